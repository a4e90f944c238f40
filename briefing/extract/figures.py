"""Turning one grammar match into a reading: kind, value, unit, qualifier.

A match that the grammar accepts may still not be a fact (``2020年`` has no measure
word, ``一批`` is a word); :func:`read_match` returns ``None`` for those.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from briefing.extract.grammar import BARE_MONEY_FOLLOWER, CURRENCIES, FIGURE, QUALIFIER_WORDS
from briefing.extract.normalize import normalize
from briefing.extract.numbers import chinese_value, exact, number_value, scale_factor


@dataclass(frozen=True)
class Amount:
    """One figure read on its own: ``parse_amount("超27亿元")`` → money 2700000000 CNY over."""

    kind: str
    """``money`` | ``count`` | ``percent`` | ``date``."""
    value: int | float | str
    """Yuan (or the currency's unit), the count, the percentage, or an ISO date."""
    unit: str
    qualifier: str


@dataclass(frozen=True)
class CalendarDate:
    """A date as written: the year may be missing (``12月11日``), the day too (``11月``)."""

    year: int | None
    month: int
    day: int | None

    def iso(self, default_year: int | None) -> str:
        """ISO string, the year filled from ``default_year`` or written ``XXXX``."""
        year = self.year or default_year
        head = f"{year:04d}" if year else "XXXX"
        return f"{head}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


class Reading(NamedTuple):
    """What a match says, before it is placed in an article (a tuple: made once per figure)."""

    kind: str
    value: int | float | CalendarDate
    unit: str
    qualifier: str
    unit_offset: int
    """Where the measure word starts, relative to the match (the end for non-counts)."""


_AMOUNT_GROUPS = ("a_num", "a_upper", "a_scale", "a_pre", "a_more", "a_post", "a_money", "a_count")
_PERCENT_GROUPS = ("p_words", "p_upper", "p_num", "p_pre", "p_post")
_DATE_GROUPS = ("cy", "cm", "km", "jm", "cd", "kd", "dy", "ny", "xy", "dm", "em", "fm", "nm", "xm", "dd", "ed", "nd", "xd")
"""The groups each reader needs, fetched with one ``match.group(*names)`` call (a match has ~80 groups)."""
_KIND_GROUPS = ("a_num", "p_words", "p_num", "p_upper")


def read_match(match: re.Match) -> Reading | None:
    """The reading of a :data:`~briefing.extract.grammar.FIGURE` match, or ``None`` if it is no fact."""
    amount, *percent = match.group(*_KIND_GROUPS)
    if amount is not None:
        return _read_amount(match)
    if any(percent):
        return _read_percent(match)
    return _read_date(match)


def _qualifier(word: str | None) -> str:
    """The code of the first qualifier word written (callers pass ``a or b or c``)."""
    return QUALIFIER_WORDS[word] if word else ""


def _value(number: str, scale: str) -> int | float:
    """``number`` × ``scale`` exactly; plain integers skip :class:`~decimal.Decimal`."""
    if number.isascii() and number.isdigit():
        return int(number) * _INTEGER_SCALES[scale] if scale in _INTEGER_SCALES else exact(number_value(number) * scale_factor(scale))
    return exact(number_value(number) * scale_factor(scale))


_INTEGER_SCALES = {"": 1, "万": 10_000, "亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "万亿": 1_000_000_000_000}


def _read_amount(match: re.Match) -> Reading | None:
    lower, upper, scale, before, more, after, money, count = match.group(*_AMOUNT_GROUPS)
    if upper is None and lower in ("一", "二"):
        return None  # 一批, 一次性, 二期: words, not counts (a count of two says 两)
    number, scale = upper or lower, scale or ""
    qualifier = _qualifier(before or more or after)
    length = match.end() - match.start()
    if money:
        return Reading("money", _value(number, scale), CURRENCIES[money], qualifier, length)
    if count:
        value = _value(number, scale)
        if count == "届" and value >= 1900:
            return None  # 2023届毕业生: a class year, not a count of sessions
        return Reading("count", value, count, qualifier, match.start("a_count") - match.start())
    has_large_scale = "万" in number + scale or "亿" in number + scale
    if has_large_scale and BARE_MONEY_FOLLOWER.match(match.string, match.end()):
        return Reading("money", _value(number, scale), "CNY", qualifier, length)  # 108亿, 三千万: money without 元
    return None


def _read_percent(match: re.Match) -> Reading:
    words, upper, number, before, after = match.group(*_PERCENT_GROUPS)
    value = _value(words or upper or number, "")
    return Reading("percent", value, "%", _qualifier(before or after), match.end() - match.start())


def _read_date(match: re.Match) -> Reading | None:
    groups = dict(zip(_DATE_GROUPS, match.group(*_DATE_GROUPS)))
    if groups["cm"] or groups["km"] or groups["jm"]:
        year = int(chinese_value(groups["cy"])) if groups["cy"] else None
        month = int(chinese_value(groups["cm"] or groups["km"] or groups["jm"]))
        day_text = groups["cd"] or groups["kd"]
        day = int(chinese_value(day_text)) if day_text else None
    else:
        year_text = groups["dy"] or groups["ny"] or groups["xy"]
        year = int(year_text) if year_text else None
        month = int(groups["dm"] or groups["em"] or groups["fm"] or groups["nm"] or groups["xm"])
        day_text = groups["dd"] or groups["ed"] or groups["nd"] or groups["xd"]
        day = int(day_text) if day_text else None
    if not _is_calendar_date(year, month, day):
        return None
    return Reading("date", CalendarDate(year, month, day), "", "", match.end() - match.start())


def _is_calendar_date(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)  # 2000 is a leap year: 2月29日 stays possible
    except ValueError:
        return False
    return True


def parse_amount(text: str) -> Amount | None:
    """Read one figure string (``超27亿元``, ``１.２万头``, ``三千万``, ``4.7億元``, ``近60人``).

    Returns ``None`` when ``text`` as a whole is not a figure (``第3届``, ``2020年``).
    A date without a year gets ``XXXX`` as its year.
    """
    normalized = normalize(text.strip())
    match = FIGURE.match(normalized.text)
    if match is None or match.end() != len(normalized.text):
        return None
    reading = read_match(match)
    if reading is None:
        return None
    value = reading.value.iso(None) if isinstance(reading.value, CalendarDate) else reading.value
    return Amount(reading.kind, value, reading.unit, reading.qualifier)
