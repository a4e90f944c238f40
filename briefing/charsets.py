"""Decode a saved page or text file whose encoding nobody wrote down (or wrote down wrongly).

Chinese news files come as UTF-8 (with or without a BOM), UTF-16 (Notepad's
"Unicode"), GBK/GB18030 or Big5, and a page's ``<meta charset>`` is often a copy
of a template's. The order:

1. a UTF-16 BOM, then NUL bytes (binary data is refused), then a UTF-8 BOM;
2. strict UTF-8 (valid UTF-8 is almost never an accident); a file cut off inside
   its last character (an interrupted download) is still UTF-8;
3. the legacy Chinese encodings that decode without error (a declared charset,
   then GB18030, then Big5), judged by how *plausible* their characters are:
   Big5 bytes are nearly always valid GB18030 too, and then read as rare
   characters and symbols, while real text is almost all common characters
   (GB2312 level 1, Big5 常用字) and Chinese punctuation. The first clearly
   plausible decoding wins, else the most plausible; a declared charset is
   believed only that far;
4. charset-normalizer, for anything else.

charset-normalizer alone is not step 3: it refuses GBK pages carrying the noise some
sites inject (``科↑技``, ``1★52项``) as "too chaotic" and guesses wrongly on short
texts. ``benchmarks/encodings.py`` measures both on every sample in every
encoding it can be written in; ``tests/test_charsets.py`` pins the result.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from briefing.errors import InputError

PLAUSIBLE = 0.6
"""Least share of common characters among the non-ASCII ones for a legacy decoding to be believed
(real text scores 0.97–1.0, Big5 read as GB18030 about 0.3)."""
CLEARLY_PLAUSIBLE = 0.9
"""A decoding this plausible is taken without trying the others."""
_GB_NAMES = {"gbk", "gb2312", "gb18030", "x-gbk", "euc-cn", "cp936"}
_BIG5_NAMES = {"big5", "big5-hkscs", "cp950", "x-big5"}


def decode_bytes(raw: bytes, path: Path, declared: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` (the bytes of ``path``) and return ``(text, encoding)``.

    ``declared`` is the charset the file claims (a page's ``<meta charset>``); it is
    believed only as far as the bytes agree. GBK and GB2312 are read as their superset
    GB18030. Raises :class:`InputError` for binary data and undecodable bytes.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(path, f"starts like UTF-16 text but does not decode ({exc.reason})") from exc
    if b"\x00" in raw[:8192]:
        raise InputError(path, "binary data, not a text file (is it another format renamed?)")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(raw) - 3:
            return raw[: exc.start].decode("utf-8"), "utf-8"
    legacy = _best_legacy(raw, _canonical(declared))
    if legacy is not None:
        return legacy
    return _charset_normalizer(raw, path)


def _canonical(declared: str | None) -> str | None:
    if not declared:
        return None
    declared = declared.strip().lower()
    if declared in _GB_NAMES:
        return "gb18030"
    if declared in _BIG5_NAMES:
        return "big5"
    return declared


def _best_legacy(raw: bytes, declared: str | None) -> tuple[str, str] | None:
    """The declared charset, GB18030 or Big5, whichever decodes to clearly plausible text first, else the most plausible."""
    candidates = [encoding for encoding in dict.fromkeys((declared, "gb18030", "big5")) if encoding and encoding not in ("utf-8", "utf8")]
    best: tuple[float, str, str] | None = None
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = plausibility(text)
        if score >= CLEARLY_PLAUSIBLE:
            return text, encoding
        if best is None or score > best[0]:
            best = (score, text, encoding)
    return best[1:] if best is not None and best[0] >= PLAUSIBLE else None


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
SAMPLE_CHARS = 20_000
"""Characters of a text that :func:`plausibility` looks at; a page's opening says enough."""


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters or punctuation."""
    unusual = _NOT_ASCII.findall(text, 0, SAMPLE_CHARS)
    if not unusual:
        return 1.0
    return sum(map(_common_characters().__contains__, unusual)) / len(unusual)


@functools.cache
def _common_characters() -> frozenset[str]:
    """GB2312 level 1 (3,755 simplified), Big5 常用字 (5,401 traditional) and Chinese punctuation."""
    simplified = {bytes([a, b]).decode("gb2312") for a in range(0xB0, 0xD8) for b in range(0xA1, 0xFF) if (a, b) < (0xD7, 0xFA)}
    traditional = set()
    for a in range(0xA4, 0xC7):
        for b in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            try:
                traditional.add(bytes([a, b]).decode("big5"))
            except UnicodeDecodeError:
                continue
    punctuation = set("，。、；：？！“”‘’（）《》〈〉【】〔〕—…·　「」『』．％℃●■◆★※→") | {chr(c) for c in range(0xFF01, 0xFF5F)}
    return frozenset(simplified | traditional | punctuation | {"\u00a0"})


def _charset_normalizer(raw: bytes, path: Path) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InputError(path, "cannot tell the text encoding (not UTF-8, GBK, GB18030 or Big5)")
    encoding = "gb18030" if best.encoding in {"gbk", "gb2312"} else best.encoding
    return str(best), encoding
