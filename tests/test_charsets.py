"""Encoding detection measured against the real encoding of every sample.

Each sample article (tests/data and inputs, text and web pages) is written in every
encoding it can be written in, whole and cut short, and must decode to exactly its
text. ``benchmarks/encodings.py`` prints the same measurement as a table, beside
charset-normalizer on its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing import html
from briefing.charsets import decode_bytes, plausibility
from briefing.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5"}
"""Encoding a file is written in → the name decode_bytes reports (GBK is read as its superset)."""
LENGTHS = {"whole": None, "300 chars": 300, "40 chars": 40}
_HAN = re.compile(r"[\u4e00-\u9fff]")


def sample_texts() -> dict[str, str]:
    """The text of every sample file, decoded with its known encoding (NBSP, which Big5 and GBK lack, as a space)."""
    paths = [*sorted((ROOT / "inputs").glob("*.txt")), *sorted((ROOT / "inputs").glob("*.html")),
             *sorted((DATA / "devset").glob("*.txt")), *sorted((DATA / "html").glob("*.html"))]
    texts = {}
    for path in paths:
        raw = path.read_bytes()
        texts[path.name] = raw.decode("gb18030" if html.declared_charset(raw) == "gbk" else "utf-8").replace("\u00a0", " ")
    return texts


def cases(length: int | None, encoding: str):
    """``(name, text, bytes)`` for every sample ``encoding`` can write; ``length`` cuts a piece of the body.

    A traditional-script page with a few simplified characters in its chrome (简体版,
    发布时间) loses them in Big5, as when such a page is saved in Big5.
    """
    for name, text in sample_texts().items():
        if length is not None:
            body = _HAN.search(text, len(text) // 3)  # past the page head and title
            text = text[body.start() :][:length]
        writable = "".join(c for c in text if _writable(c, encoding))
        if len(text) - len(writable) <= 5:
            yield name, writable, writable.encode(encoding)


def _writable(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("length", LENGTHS.values(), ids=LENGTHS.keys())
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_sample_decodes_in_every_encoding(encoding, length):
    wrong, count = [], 0
    for name, text, raw in cases(length, encoding):
        count += 1
        decoded, detected = decode_bytes(raw, Path(name))
        if decoded != text or detected != ENCODINGS[encoding]:
            wrong.append((name, detected))
    assert count >= 3 and wrong == []


@pytest.mark.parametrize(
    "written, declared",
    [("gbk", "utf-8"), ("utf-8", "gbk"), ("big5", "gbk"), ("gbk", "big5"), ("gbk", "iso-8859-1"), ("big5", "gb2312")],
)
def test_a_lying_declared_charset_is_not_believed(written, declared):
    text = sample_texts()["s11_anniversary_review_hant.txt"]
    decoded, detected = decode_bytes(text.encode(written), Path("page.html"), declared)
    assert decoded == text and detected == ENCODINGS[written]


def test_a_noisy_gbk_page_charset_normalizer_refuses_is_read():
    """科↑技 and 1★52项: charset-normalizer finds such GBK text too chaotic to name."""
    text = sample_texts()["d11_ordos_noise.txt"]
    assert decode_bytes(text.encode("gbk"), Path("noise.txt")) == (text, "gb18030")


def test_gb18030_characters_beyond_gbk_are_read():
    """A name written with a rare character (𠮷, four bytes in GB18030 and not in GBK at all)."""
    text = sample_texts()["s05_tongliao_cau_agreement.txt"].replace("通辽市", "通辽市𠮷", 1)
    assert decode_bytes(text.encode("gb18030"), Path("rare.txt")) == (text, "gb18030")


def test_a_utf8_file_cut_inside_its_last_character_is_still_utf8():
    text = sample_texts()["s05_tongliao_cau_agreement.txt"]
    raw = text.encode("utf-8")[:-1]
    decoded, detected = decode_bytes(raw, Path("cut.txt"))
    assert detected == "utf-8" and decoded == text[:-1]


def test_big5_read_as_gb18030_is_implausible():
    text = sample_texts()["s11_anniversary_review_hant.txt"]
    assert plausibility(text) > 0.95
    assert plausibility(text.encode("big5").decode("gb18030")) < 0.4


@pytest.mark.parametrize(
    "raw, reason",
    [(bytes(range(0x80, 0x100)) * 40, "cannot tell the text encoding"), (b"PK\x03\x04\x00\x00binary", "binary data")],
)
def test_undecodable_and_binary_bytes_are_refused(raw, reason):
    with pytest.raises(InputError, match=reason):
        decode_bytes(raw, Path("odd.txt"))
