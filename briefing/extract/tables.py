"""Facts from table cells: a bare number whose unit is in the column header.

``支持资金（万元）`` over ``6320.00`` is money, 63200000 CNY; ``项目数（项）`` over ``22`` is a
count of 22 项. The cell text is the surface. The unit comes from the column header, else
the row label, else a caption's ``（单位：万元）``; the category from the header's words,
else the caption paragraph above the table.
"""

from __future__ import annotations

import re

from briefing.extract.grammar import CURRENCIES, MEASURE_WORDS
from briefing.extract.lexicon import Lexicon
from briefing.extract.normalize import fold
from briefing.extract.numbers import exact, number_value, scale_factor
from briefing.models import Article, Fact, TableCell

_LABEL_AND_UNIT = re.compile(r"^(?P<label>.*?)\s*\((?:单位:)?\s*(?P<unit>[^()]+)\)\s*$")
_CAPTION_UNIT = re.compile(r"单位\s*:\s*(?P<unit>[^\s(),;。、]+)")
_BARE_NUMBER = re.compile(r"\s*(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s*")
_SCALED_UNIT = re.compile(r"^(?P<scale>千万|百万|万亿|[万亿千百])?(?P<unit>.+)$")
CAPTION_REACH = 300
"""How far before a cell a caption's ``（单位：万元）`` is still taken as the table's unit."""


def unit_of(written: str) -> tuple[str, str, int] | None:
    """``(kind, unit, factor)`` of a unit as a table writes it: ``万元``, ``项``, ``万亩``, ``%``."""
    written = fold(written).strip()
    if written in ("%", "百分比"):
        return "percent", "%", 1
    if written in MEASURE_WORDS:
        return "count", written, 1
    scaled = _SCALED_UNIT.match(written)
    scale, unit = scaled.group("scale") or "", scaled.group("unit")
    if unit in CURRENCIES:
        return "money", CURRENCIES[unit], scale_factor(scale)
    if unit in MEASURE_WORDS:
        return "count", unit, scale_factor(scale)
    return None


def label_and_unit(header: str) -> tuple[str, str | None]:
    """``("支持资金", "万元")`` from ``支持资金（万元）``; ``(header, None)`` when it names no unit."""
    match = _LABEL_AND_UNIT.match(fold(header).strip())
    return (match.group("label"), match.group("unit")) if match else (fold(header).strip(), None)


def _cell_unit(cell: TableCell, captions: list[tuple[int, str]]) -> tuple[str, tuple[str, str, int]] | None:
    """The label and unit of a cell: from its column header, else its row label, else the caption."""
    label, written = label_and_unit(cell.header)
    row_label, row_written = label_and_unit(cell.row_label)
    for name, unit in ((label, written), (row_label, row_written)):
        if unit and (described := unit_of(unit)):
            return name, described
    caption = next((unit for position, unit in reversed(captions) if cell.start - CAPTION_REACH <= position < cell.start), None)
    if caption and (described := unit_of(caption)):
        return label, described
    return None


def table_facts(article: Article, lexicon: Lexicon) -> list[Fact]:
    """One fact per table cell holding a bare number under a header with a unit."""
    if not article.cells:
        return []
    folded = fold(article.text)
    captions = [(m.start(), m.group("unit")) for m in _CAPTION_UNIT.finditer(folded)]
    facts = []
    categories: dict[tuple[str, str], str] = {}
    for cell in article.cells:
        number = _BARE_NUMBER.fullmatch(folded, cell.start, cell.end)
        described = _cell_unit(cell, captions) if number else None
        if described is None:
            continue
        label, (kind, unit, factor) = described
        if kind in ("money", "count") and (label, kind) not in categories:
            caption = _paragraph_before_table(folded, cell.start)
            categories[label, kind] = lexicon.categorize_label(kind, label, unit, caption)
        start, end = number.span("number")
        facts.append(
            Fact(
                article_id=article.id,
                kind=kind,
                surface=article.text[start:end],
                value=exact(number_value(number.group("number")) * factor),
                unit=unit,
                qualifier="",
                category=categories.get((label, kind), ""),
                sentence=_row_text(article.text, cell.start),
                start=start,
                end=end,
                row_label=cell.row_label,
            )
        )
    return facts


def _paragraph_before_table(text: str, position: int) -> str:
    """The paragraph just above the table holding ``position`` (its caption, usually)."""
    table_start = text.rfind("\n\n", 0, position)
    if table_start < 0:
        return ""
    return text[text.rfind("\n\n", 0, table_start) + 2 : table_start]


def _row_text(text: str, position: int) -> str:
    """The table row (one line of the article text) a cell sits in."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end >= 0 else len(text)].strip()
