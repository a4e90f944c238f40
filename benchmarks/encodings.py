"""Encoding detection against the real encoding of every sample: briefing.charsets vs charset-normalizer alone.

    python benchmarks/encodings.py

Every sample article (inputs/ and tests/data, text files and web pages) is written in
each encoding that can hold it, whole and as 300- and 40-character pieces of its body
(the cases of ``tests/test_charsets.py``). A case is right when the bytes decode to
exactly the sample's text. charset-normalizer is asked the way a caller without our
rules would: ``from_bytes(raw).best()``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from charset_normalizer import from_bytes  # noqa: E402

from briefing.charsets import decode_bytes  # noqa: E402
from briefing.errors import InputError  # noqa: E402
from test_charsets import ENCODINGS, LENGTHS, cases  # noqa: E402


def ours(raw: bytes) -> str | None:
    try:
        return decode_bytes(raw, Path("sample"))[0]
    except InputError:
        return None


def charset_normalizer_alone(raw: bytes) -> str | None:
    best = from_bytes(raw).best()
    return str(best) if best is not None else None


def main() -> int:
    print(f"{'written as':<11}{'length':<11}{'cases':>6}{'briefing':>10}{'charset-normalizer':>20}")
    totals = [0, 0, 0]
    for encoding in ENCODINGS:
        for label, length in LENGTHS.items():
            found = list(cases(length, encoding))
            right = [sum(decode(raw) == text for _, text, raw in found) for decode in (ours, charset_normalizer_alone)]
            totals = [totals[0] + len(found), totals[1] + right[0], totals[2] + right[1]]
            print(f"{encoding:<11}{label:<11}{len(found):>6}{right[0]:>10}{right[1]:>20}")
    print(f"{'all':<22}{totals[0]:>6}{totals[1]:>10}{totals[2]:>20}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
