"""Turning one grammar match into a reading: kind, value, unit, qualifier.

A match that the grammar accepts may still not be a fact (``2020年`` has no measure
word, ``一批`` is a word); :func:`read_match` returns ``None`` for those.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from briefing.extract.grammar import (
    BARE_MONEY_FOLLOWER,
    CURRENCIES,
    DATE_PARTS,
    ENGLISH_AMOUNT,
    ENGLISH_CURRENCIES,
    ENGLISH_HINT,
    ENGLISH_SCALES,
    FIGURE,
    PERCENT_PARTS,
    PREFIX_CURRENCIES,
    QUALIFIER_WORDS,
)
from briefing.extract.normalize import normalize
from briefing.extract.numbers import chinese_value, exact, exact_value


@dataclass(frozen=True)
class Amount:
    """One figure read on its own: ``parse_amount("超27亿元")`` → money 2700000000 CNY over."""

    kind: str
    """``money`` | ``count`` | ``percent`` | ``date``."""
    value: int | float | str
    """Yuan (or the currency's unit), the count, the percentage, or an ISO date."""
    unit: str
    qualifier: str


class CalendarDate(NamedTuple):
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
    """What a match says and where it stands, before it is placed in an article (a tuple:
    one is made per figure)."""

    kind: str
    value: int | float | CalendarDate
    unit: str
    qualifier: str
    start: int
    """Offsets in the text the grammar read (folded, compacted)."""
    end: int
    unit_start: int
    """Where the measure word starts (counts) or the figure's end (everything else)."""


def _positions(pattern: re.Pattern, names: tuple[str, ...]) -> itemgetter:
    """Picks the groups ``names`` from ``match.groups()``: one C call instead of a lookup per name."""
    return itemgetter(*(pattern.groupindex[name] - 1 for name in names))


_AMOUNT_GROUPS = _positions(FIGURE, ("a_num", "a_upper", "a_scale", "a_pre", "a_more", "a_post", "a_money", "a_count"))
_PERCENT_GROUPS = _positions(PERCENT_PARTS, ("p_words", "p_upper", "p_num", "p_pre", "p_post"))
_DATE_GROUPS = _positions(
    DATE_PARTS, ("cy", "cm", "km", "jm", "cd", "kd", "dy", "ny", "xy", "dm", "em", "fm", "nm", "xm", "dd", "ed", "nd", "xd")
)


def read_match(match: re.Match) -> Reading | None:
    """The reading of a :data:`~briefing.extract.grammar.FIGURE` match, or ``None`` if it is no fact.

    A date or percentage is told by its marking group, which encloses the whole
    alternative and so is the last one closed; its parts are read from a second match.
    """
    kind = match.lastgroup
    if kind == "date":
        return _read_date(DATE_PARTS.match(match.string, match.start()))
    if kind == "percent":
        return _read_percent(PERCENT_PARTS.match(match.string, match.start()))
    return _read_amount(match)


def _read_amount(match: re.Match) -> Reading | None:
    lower, upper, scale, before, more, after, money, count = _AMOUNT_GROUPS(match.groups())
    if upper is None and (lower == "一" or lower == "二" and count not in ("人", "名", "位")):
        return None  # 一批, 一次性, 二期: words, not counts (a count of two says 两, of people also 二人)
    number, scale = upper or lower, scale or ""
    qualifier = QUALIFIER_WORDS.get(before or more or after, "")  # the first one written
    start, end = match.span()
    if money:
        currency = _currency_before(match.string, start) if money == "元" else CURRENCIES[money]
        return Reading("money", exact_value(number, scale), currency, qualifier, start, end, end)
    if count:
        value = exact_value(number, scale)
        if count == "届" and value >= 1900:
            return None  # 2023届毕业生: a class year, not a count of sessions
        if count == "次" and match.string.startswith(("会议", "全会", "全体会议"), end) and _SESSION.search(match.string, max(0, start - 12), start):
            return None  # 十四届全国人大三次会议: the third session, an ordinal
        return Reading("count", value, count, qualifier, start, end, match.start("a_count"))
    has_large_scale = "万" in number + scale or "亿" in number + scale
    if has_large_scale and number[0] not in BARE_SCALE_CHARACTERS and BARE_MONEY_FOLLOWER.match(match.string, end):
        return Reading("money", exact_value(number, scale), "CNY", qualifier, start, end, end)  # 108亿, 三千万: money without 元
    # (not a bare scale: 观众近万, 用户规模近亿 count people, not yuan)
    return None


_SESSION = re.compile(r"[\d一二三四五六七八九十]届")
"""十四届 before …三次会议: the session of a term, an ordinal."""
BARE_SCALE_CHARACTERS = "百千万亿"


def _currency_before(text: str, start: int) -> str:
    """The currency of an amount in 元: CNY, unless a currency is written before it (新台币3亿元)."""
    if start and text[start - 1] in _PREFIX_CURRENCY_ENDS:
        for word, code in PREFIX_CURRENCIES.items():
            if start >= len(word) and text.startswith(word, start - len(word)):
                return code
    return "CNY"


_PREFIX_CURRENCY_ENDS = frozenset(word[-1] for word in PREFIX_CURRENCIES)


def english_amounts(text: str) -> list[Reading]:
    """Money written in English in ``text`` (``USD 50 million`` → 50000000 USD); most texts have none."""
    if not ENGLISH_HINT.search(text):
        return []
    readings = []
    for match in ENGLISH_AMOUNT.finditer(text):
        sign, number, scale, number2, scale2, word = match.groups()
        currency = ENGLISH_CURRENCIES[(sign or word).lower()]
        factor = ENGLISH_SCALES[(scale or scale2 or "").lower()] if scale or scale2 else 1
        start, end = match.span()
        value = exact(Decimal((number or number2).replace(",", "")) * factor)
        readings.append(Reading("money", value, currency, "", start, end, end))
    return readings


def _read_percent(match: re.Match) -> Reading:
    words, upper, number, before, after = _PERCENT_GROUPS(match.groups())
    value = exact_value(words or upper or number, "")
    start, end = match.span()
    return Reading("percent", value, "%", QUALIFIER_WORDS.get(before or after, ""), start, end, end)


def _read_date(match: re.Match) -> Reading | None:
    cy, cm, km, jm, cd, kd, dy, ny, xy, dm, em, fm, nm, xm, dd, ed, nd, xd = _DATE_GROUPS(match.groups())
    if cm or km or jm:
        year = int(chinese_value(cy)) if cy else None
        month = int(chinese_value(cm or km or jm))
        day_text = cd or kd
        day = int(chinese_value(day_text)) if day_text else None
    else:
        year_text = dy or ny or xy
        year = int(year_text) if year_text else None
        month = int(dm or em or fm or nm or xm)
        day_text = dd or ed or nd or xd
        day = int(day_text) if day_text else None
    if not _is_calendar_date(year, month, day):
        return None
    start, end = match.span()
    return Reading("date", CalendarDate(year, month, day), "", "", start, end, end)


def _is_calendar_date(year: int | None, month: int, day: int | None) -> bool:
    try:
        dt.date(year or 2000, month, day or 1)  # 2000 is a leap year: 2月29日 stays possible
    except ValueError:
        return False
    return True


def parse_amount(text: str) -> Amount | None:
    """Read one figure string (``超27亿元``, ``１.２万头``, ``三千万``, ``4.7億元``, ``近60人``, ``USD 50 million``).

    Returns ``None`` when ``text`` as a whole is not a figure (``第3届``, ``2020年``).
    A date without a year gets ``XXXX`` as its year.
    """
    normalized = normalize(text.strip())
    match = FIGURE.match(normalized.text)
    if match is not None and match.end() == len(normalized.text):
        reading = read_match(match)
    else:
        english = english_amounts(normalized.text)
        reading = english[0] if len(english) == 1 and english[0].end - english[0].start == len(normalized.text) else None
    if reading is None:
        return None
    value = reading.value.iso(None) if isinstance(reading.value, CalendarDate) else reading.value
    return Amount(reading.kind, value, reading.unit, reading.qualifier)
