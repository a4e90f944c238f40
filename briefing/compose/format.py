"""Numbers and text as a Chinese briefing writes them: the shared Jinja filters.

Templates never format numbers by hand; they call these filters (``{{ x | yuan }}``),
so the Word and the Markdown briefing always print a figure the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from urllib.parse import quote

from briefing.charts import WAN, YI
from briefing.models import FactRow

SENTENCE_LIMIT = 60
"""Longest sentence excerpt in the figures table, in characters."""
CURRENCY_NAMES = {"CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑",
                  "MOP": "澳门元", "TWD": "新台币", "SGD": "新加坡元", "CHF": "瑞士法郎", "AUD": "澳元", "CAD": "加元",
                  "KRW": "韩元", "RUB": "卢布"}
QUALIFIER_PREFIXES = {"over": "超", "more_than": "超", "nearly": "近", "about": "约"}

_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHITESPACE_RUN = re.compile(r"\s+")
_MARKDOWN_ESCAPES = str.maketrans({
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "~": "\\~",
    "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;",
    "\r": " ", "\n": " ",
})


def _trimmed(number: float, decimals: int) -> str:
    """``number`` with at most ``decimals`` decimals and no trailing zeros (3600, 1.5, 25086.67)."""
    text = f"{number:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(amount: float, unit: str = "CNY") -> str:
    """Money the way a Chinese briefing writes it: ``4.70亿元`` from 1亿 up, ``3600万元`` from 1万, else ``850元``."""
    currency = CURRENCY_NAMES.get(unit, unit)
    if abs(amount) >= YI:
        return f"{amount / YI:.2f}亿{currency}"
    if abs(amount) >= WAN:
        return f"{_trimmed(amount / WAN, 2)}万{currency}"
    return f"{_trimmed(amount, 2)}{currency}"


def format_yi(amount: float) -> str:
    """Yuan as a number of 亿 with two decimals (``4.70``), for columns headed （亿元）."""
    return f"{amount / YI:.2f}"


def format_wan(amount: float) -> str:
    """Yuan as a whole number of 万 with thousands separators (``25,087``), for columns headed （万元）."""
    return f"{amount / WAN:,.0f}"


def format_pct(ratio: float, decimals: int = 1) -> str:
    """A ratio as a percentage: 0.469 → ``46.9%``."""
    return f"{ratio * 100:.{decimals}f}%"


def format_count(count: float, unit: str = "") -> str:
    """A count with its measure word, in 万/亿 when large: ``23项``, ``1.5万平方米``."""
    if abs(count) >= YI:
        return f"{_trimmed(count / YI, 2)}亿{unit}"
    if abs(count) >= WAN:
        return f"{_trimmed(count / WAN, 2)}万{unit}"
    return f"{_trimmed(count, 2)}{unit}"


def format_month_day(day: dt.date) -> str:
    """``12月14日``: a date within the year the reader already knows (week ranges, subjects)."""
    return f"{day.month}月{day.day}日"


def format_cn_date(day: dt.date | None) -> str:
    """``2020年12月14日`` without zero padding; ``日期不详`` when unknown."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "日期不详"


def format_iso_date(value: str) -> str:
    """A fact's ISO date (``2020-12-11``, ``2020-11``, ``XXXX-05-23``) in Chinese."""
    parts = value.split("-")
    words = []
    for number, suffix in zip(parts, ("年", "月", "日")):
        if number.isdigit():
            words.append(f"{int(number)}{suffix}")
    return "".join(words) or value


def format_fact_value(fact: FactRow) -> str:
    """A figure's normalised value as the table shows it, qualifier first (``约1.20亿元``)."""
    if fact.kind == "date" or isinstance(fact.value, str):
        return format_iso_date(str(fact.value))
    if fact.kind == "money":
        text = format_money(fact.value, fact.unit or "CNY")
    elif fact.kind == "percent":
        points = "百分点" in fact.surface  # 9.9个百分点 is a change in points, not a share
        text = f"{_trimmed(fact.value, 2)}{'个百分点' if points else '%'}"
    else:
        text = format_count(fact.value, fact.unit)
    return QUALIFIER_PREFIXES.get(fact.qualifier, "") + text


def escape_markdown(text: object) -> str:
    """Text safe inside a Markdown table cell or list item.

    ``|`` would end the cell, ``*``/``_``/``[`` start emphasis or links, ``<``/``&``
    start HTML, and a newline ends the table row.
    """
    return str(text).translate(_MARKDOWN_ESCAPES)


def markdown_url(url: object) -> str:
    """A URL usable inside ``<...>`` in Markdown: spaces and angle brackets percent-encoded."""
    return quote(str(url), safe=":/?#@!$&'()*+,;=%~-._")


FILTERS: dict[str, Callable] = {
    "yuan": format_money,
    "yi": format_yi,
    "wan": format_wan,
    "pct": format_pct,
    "count": format_count,
    "cn_date": format_cn_date,
}
"""Number filters shared by the Word and the Markdown templates."""

MARKDOWN_FILTERS: dict[str, Callable] = {"md": escape_markdown, "md_url": markdown_url}


def clean_text(text: str) -> str:
    """Article text as one line, without characters Word's XML cannot hold."""
    return _WHITESPACE_RUN.sub(" ", _NOT_XML_TEXT.sub("", text or "")).strip()


def excerpt(sentence: str, surface: str, limit: int = SENTENCE_LIMIT) -> str:
    """At most ``limit`` characters of ``sentence``, centred on the figure when cut."""
    sentence = clean_text(sentence)
    if len(sentence) <= limit:
        return sentence
    at = max(sentence.find(clean_text(surface)), 0)
    start = max(0, min(at - limit // 3, len(sentence) - limit))
    end = start + limit
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")
