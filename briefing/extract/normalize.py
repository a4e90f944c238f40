"""Offset-preserving normalisation: the grammar reads one clean script, offsets stay original.

Two steps, both cheap:

1. :data:`FOLD` is a 1:1 ``str.translate`` table (full-width → ASCII, traditional →
   simplified from ``lexicons/hant.toml``, which ``scripts/make_hant_table.py`` derives
   from OpenCC's character conversion). One character in,
   one character out, so every offset into the folded text is an offset into the original.
2. Only when a page carries injected noise (``科↑技``, ``12.3∑亿元``, pinyin readings
   ``萬(wàn)元``, spaces around digits) is a *compacted* copy built, with a short list of
   segment starts that maps compacted offsets back to original ones by bisection.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from importlib import resources
from dataclasses import dataclass


def _traditional_pairs() -> list[str]:
    """Traditional → simplified "繁简" pairs from ``lexicons/hant.toml`` (derived from OpenCC)."""
    table = tomllib.loads(resources.files("briefing").joinpath("lexicons/hant.toml").read_text(encoding="utf-8"))
    pairs = table["pairs"].split()
    assert all(len(pair) == 2 for pair in pairs), "each traditional/simplified pair is two characters"
    return pairs


_PAIRS = _traditional_pairs()

_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_PUNCTUATION = {"\u2236": ":", "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u301c": "~", "\u3007": "〇"}

FOLD = str.maketrans(_FULL_WIDTH | _PUNCTUATION | {pair[0]: pair[1] for pair in _PAIRS})
"""The 1:1 translation table applied to every text before the grammar reads it."""

_TRADITIONAL = re.compile("[" + "".join(sorted({pair[0] for pair in _PAIRS if pair[0] != pair[1]})) + "]")
_FULL_WIDTH_CHARACTERS = re.compile("([" + re.escape("".join(c for c, half in (_FULL_WIDTH | _PUNCTUATION).items() if c != half)) + "])")
"""The characters :data:`FOLD` changes in simplified text, captured so that splitting at them keeps them."""

_CJK = "\u4e00-\u9fff"
_NOISE_SYMBOLS = (
    "\u2190-\u21ff"  # arrows ↑ →
    "\u2200-\u2235\u2237-\u22ff"  # mathematical operators ∑ ∫ (not ∶, the ratio colon)
    "\u2300-\u23ff\u2460-\u24ff\u2580-\u27bf\u2900-\u2bff"  # technical, circled, blocks, shapes, dingbats
    "\u00a7\u00b6\u2020\u2021\u2022\u203b\u2605\u2606\u266a\u266b"
    "\u00ad\u200b-\u200d\u2060\ufeff"  # soft hyphen, zero-width characters
)
_PINYIN = "a-z\u00e0-\u00fc\u0101-\u01dc"
_SPACE = " \u00a0\u2009\u202f"
NOISE = re.compile(
    # One character class first, then alternatives that look back at the character it
    # consumed: ``re`` skips straight to candidates only for a pattern that starts with a
    # class (not for alternatives that each start with one), instead of trying every position.
    rf"[{_NOISE_SYMBOLS}({_SPACE}]"
    rf"(?:(?<=[{_NOISE_SYMBOLS}])[{_NOISE_SYMBOLS}]*"
    rf"|(?<=[{_CJK}]\()[{_PINYIN}]{{1,6}}\)"  # 萬(wàn)
    rf"|(?<=[\d%][{_SPACE}])[{_SPACE}]*(?=[{_CJK}%])"  # 4.7 亿元
    rf"|(?<=[{_CJK}][{_SPACE}])[{_SPACE}]*(?=\d))"  # 达到 300
)
"""Characters a reader's eye skips: injected symbols, pinyin readings, spacing around digits."""


@dataclass(frozen=True)
class Normalized:
    """The text the grammar reads, and the way back to original offsets."""

    text: str
    """Folded (and, when noise was present, compacted) text."""
    _compact_starts: tuple[int, ...] = ()
    _original_starts: tuple[int, ...] = ()

    @property
    def compacted(self) -> bool:
        """Whether noise was taken out (the text differs from the folded original)."""
        return bool(self._compact_starts)

    def original(self, index: int) -> int:
        """Original offset of the character at ``index`` in :attr:`text`."""
        if not self._compact_starts:
            return index
        segment = bisect_right(self._compact_starts, index) - 1
        return self._original_starts[segment] + index - self._compact_starts[segment]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the text span ``[start, end)``; noise inside is kept."""
        if not self._compact_starts:
            return start, end
        return self.original(start), self.original(end - 1) + 1


def normalize(text: str) -> Normalized:
    """Fold ``text`` and, only if it carries noise, compact it (see module docstring)."""
    folded = fold(text)
    return _compacted(folded, [match.span() for match in NOISE.finditer(folded)])


_SYMBOLS_BEFORE_A_CHARACTER = re.compile(rf"[{_NOISE_SYMBOLS}]+(?=[{_CJK}\d])")
"""Starts with its class, so ``re`` skips to symbols; the character before is checked apart."""
_CHARACTER = re.compile(rf"[{_CJK}\d]")


def without_symbols(text: str) -> Normalized:
    """``text`` without the symbols injected between its characters (科◆学技术局), not folded:
    what the entity scan reads, so that names are found through the noise."""
    noise = [
        match.span()
        for match in _SYMBOLS_BEFORE_A_CHARACTER.finditer(text)
        if match.start() and _CHARACTER.match(text, match.start() - 1)
    ]
    return _compacted(text, noise)


def _compacted(text: str, noise: list[tuple[int, int]]) -> Normalized:
    """``text`` without the ``noise`` spans, with the way back to its offsets."""
    if not noise:
        return Normalized(text)
    pieces, compact_starts, original_starts = [], [], []
    kept_from, compact_length = 0, 0
    for noise_start, noise_end in noise + [(len(text), len(text))]:
        pieces.append(text[kept_from:noise_start])
        compact_starts.append(compact_length)
        original_starts.append(kept_from)
        compact_length += noise_start - kept_from
        kept_from = noise_end
    return Normalized("".join(pieces), tuple(compact_starts), tuple(original_starts))


def fold(text: str) -> str:
    """``text`` in the grammar's script (simplified, half-width), same length.

    ``str.translate`` looks every character up and raises (and swallows) a KeyError for
    each one the table leaves alone: right for traditional script, where most characters
    change, but twice as slow as needed on simplified text, where only a few full-width
    ones (，：（ …) do. Those are translated alone, the text split at them in one pass.
    """
    if _TRADITIONAL.search(text):
        return text.translate(FOLD)
    pieces = _FULL_WIDTH_CHARACTERS.split(text)
    pieces[1::2] = "".join(pieces[1::2]).translate(FOLD)
    return "".join(pieces)
