"""One context for both templates: everything the briefing says, as plain dicts and strings.

The Word and the Markdown templates read the same context, so the two files always
say the same thing; every name is listed in ``docs/templates.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.charts import category_label
from briefing.config import parse_week
from briefing.models import CATEGORIES, FactRow, WeekDigest

from . import sections
from .format import clean_text, excerpt, format_cn_date, format_fact_value, format_money, format_pct

TITLE = "科技工作简报"
UNCOUNTED_MARK = "※"
MULTIPLE_FROM = 3
"""From three times last week's money on, say 为上周的N倍 rather than 增长250%."""


def week_label(digest: WeekDigest) -> str:
    """``2020年第51周（12月14日—12月20日）``; years are spelled out when the week crosses one."""
    iso_year, week_number = _parse_week(digest)
    return f"{iso_year}年第{week_number}周（{date_range(digest.start, digest.end, iso_year)}）"


def date_range(start: dt.date, end: dt.date, year: int) -> str:
    """``12月14日—12月20日`` within ``year``, else with both years."""
    if start.year == end.year == year:
        return f"{start.month}月{start.day}日—{end.month}月{end.day}日"
    return f"{format_cn_date(start)}—{format_cn_date(end)}"


def _parse_week(digest: WeekDigest) -> tuple[int, int]:
    """ISO year and week number of the digest's week (``2020-W51`` → 2020, 51)."""
    year, number = parse_week(digest.week).split("-W")
    return int(year), int(number)


def funding_change(current: float, previous: float | None) -> str:
    """How this week's money compares with last week's, as a clause; ``""`` without last week."""
    if previous is None:
        return ""
    if previous == 0:
        return "上周未涉及资金数额"
    change = (current - previous) / previous
    if abs(change) < 0.0005:
        return f"与上周（{format_money(previous)}）持平"
    if current >= MULTIPLE_FROM * previous:
        return f"为上周（{format_money(previous)}）的{current / previous:.1f}倍"
    direction = "增长" if change > 0 else "下降"
    return f"比上周（{format_money(previous)}）{direction}{format_pct(abs(change))}"


def count_change(current: int, previous: int | None, unit: str = "项") -> str:
    """How this week's count compares with last week's, as a clause; ``""`` without last week."""
    if previous is None:
        return ""
    if current == previous:
        return f"与上周（{previous}{unit}）持平"
    direction = "增加" if current > previous else "减少"
    return f"比上周（{previous}{unit}）{direction}{abs(current - previous)}{unit}"


def signing_change(current: int, previous: int | None) -> str:
    """How this week's signings compare with last week's, as a clause; ``""`` without last week."""
    return count_change(current, previous, "项")


def _headline(digest: WeekDigest) -> dict:
    """The few numbers a leader reads first, raw and formatted, with last week's comparison."""
    return {
        "article_count": len(digest.articles),
        "repost_count": sum(1 for a in digest.articles if a.duplicate_of),
        "fact_count": len(digest.facts),
        "total_funding_yuan": digest.total_funding_yuan,
        "total_funding": format_money(digest.total_funding_yuan),
        "signing_count": digest.signing_count,
        "project_count": digest.project_count,
        "platform_count": digest.platform_count,
        "category_counts": _category_counts(digest),
        "previous_week": digest.previous_week,
        "funding_change": funding_change(digest.total_funding_yuan, digest.previous_total_funding_yuan),
        "signing_change": signing_change(digest.signing_count, digest.previous_signing_count),
        "project_change": count_change(digest.project_count, digest.previous_project_count, "项"),
        "platform_change": count_change(digest.platform_count, digest.previous_platform_count, "个"),
    }


def _headline_rows(digest: WeekDigest) -> list[dict]:
    """The headline figures as a small table: this week, last week and the change in a few words."""
    known = digest.previous_week is not None
    rows = [("资金合计", format_money(digest.total_funding_yuan),
             format_money(digest.previous_total_funding_yuan or 0) if known else "—",
             _short_ratio_change(digest.total_funding_yuan, digest.previous_total_funding_yuan))]
    for label, unit, current, previous in (("签约项目", "项", digest.signing_count, digest.previous_signing_count),
                                           ("科技项目", "项", digest.project_count, digest.previous_project_count),
                                           ("创新平台", "个", digest.platform_count, digest.previous_platform_count)):
        rows.append((label, f"{current}{unit}", f"{previous}{unit}" if previous is not None else "—",
                     _short_count_change(current, previous, unit)))
    return [{"label": label, "value": value, "previous": previous, "change": change}
            for label, value, previous, change in rows]


def _short_ratio_change(current: float, previous: float | None) -> str:
    """``增长12.5%`` / ``下降3.0%`` / ``持平`` / ``—`` (no last week) for a table cell."""
    if previous is None:
        return "—"
    if previous == 0:
        return "上周无" if current else "持平"
    change = (current - previous) / previous
    if abs(change) < 0.0005:
        return "持平"
    if current >= MULTIPLE_FROM * previous:
        return f"为上周的{current / previous:.1f}倍"
    return f"{'增长' if change > 0 else '下降'}{format_pct(abs(change))}"


def _short_count_change(current: int, previous: int | None, unit: str) -> str:
    """``增加2项`` / ``减少1个`` / ``持平`` / ``—`` for a table cell."""
    if previous is None:
        return "—"
    if current == previous:
        return "持平"
    return f"{'增加' if current > previous else '减少'}{abs(current - previous)}{unit}"


def _category_counts(digest: WeekDigest) -> dict[str, int]:
    """Number of money and count figures per category, by Chinese label, in the model's category order."""
    counts = digest.facts_by_category
    return {category_label(code): counts[code] for code in CATEGORIES if counts.get(code)}


def _summary(headline: dict) -> str:
    """The headline figures as the opening sentences of the briefing."""
    reposts = f"（其中转载{headline['repost_count']}篇）" if headline["repost_count"] else ""
    opening = f"本周共收录科技新闻{headline['article_count']}篇{reposts}，摘录数字{headline['fact_count']}项。"
    if headline["total_funding_yuan"] > 0:
        money = f"涉及资金合计{headline['total_funding']}"
    else:
        money = "本周新闻未涉及资金数额"
    clauses = [_with_change(money, headline["funding_change"]),
               _with_change(f"签约项目{headline['signing_count']}项", headline["signing_change"])]
    if headline["project_count"]:
        clauses.append(_with_change(f"科技项目{headline['project_count']}项", headline["project_change"]))
    if headline["platform_count"]:
        clauses.append(_with_change(f"创新平台{headline['platform_count']}个", headline["platform_change"]))
    return opening + "；".join(clauses) + "。"


def _with_change(clause: str, change: str) -> str:
    return f"{clause}，{change}" if change else clause


def _funding_rows(digest: WeekDigest) -> list[dict]:
    """Money by category, largest first as aggregate ordered it, with each share of the total."""
    amounts = {code: yuan for code, yuan in digest.funding_by_category.items() if yuan > 0}
    total = sum(amounts.values())
    return [{"category": code, "label": category_label(code, "money"), "yuan": yuan,
             "amount": format_money(yuan), "share": format_pct(yuan / total)}
            for code, yuan in amounts.items()]


def _funding_summary(rows: list[dict], total: str) -> str:
    """``本周资金合计4.70亿元，其中专项资金2.30亿元（48.9%）、…。``"""
    if not rows:
        return "本周新闻未涉及资金数额。"
    parts = "、".join(f"{row['label']}{row['amount']}（{row['share']}）" for row in rows)
    return f"本周资金合计{total}，其中{parts}。"


def _signing_rows(digest: WeekDigest) -> list[dict]:
    """Signed items by what was signed (合作协议, 签约项目 ...), largest first."""
    return [{"label": label, "count": count}
            for label, count in sorted(digest.signings_by_type.items(), key=lambda item: -item[1]) if count > 0]


def _signing_summary(digest: WeekDigest, rows: list[dict]) -> str:
    """``本周签约合计17项，其中签约项目12项、合作协议5项。``"""
    if not digest.signing_count:
        return "本周新闻未涉及签约项目。"
    articles = sum(1 for count in digest.signings_by_article.values() if count > 0)
    parts = "、".join(f"{row['label']}{row['count']}项" for row in rows)
    split = f"，其中{parts}" if len(rows) > 1 else ""
    return f"本周签约合计{digest.signing_count}项{split}，见于{articles}篇报道。"


def _fact_row(sequence: int, fact: FactRow) -> dict:
    """One figure for the table: where it comes from, what it is, and whether it counts."""
    return {
        "number": sequence,
        "article_number": fact.article_number,
        "citation": f"[{fact.article_number}]",
        "kind": fact.kind,
        "category": category_label(fact.category, fact.kind),
        "surface": clean_text(fact.surface),
        "value": format_fact_value(fact),
        "sentence": excerpt(fact.sentence, fact.surface),
        "counted": fact.counted,
        "mark": UNCOUNTED_MARK if fact.note else "",
        "note": clean_text(fact.note),
    }


@dataclass(frozen=True)
class Masthead:
    """What the masthead and the closing block say, from ``[report]`` in briefing.toml and the store."""

    title: str = TITLE
    """The briefing's name in red at the top (科技工作简报)."""
    unit: str = ""
    """The issuing unit, printed at the left under the title (编印单位)."""
    issue_number: int | None = None
    """第N期, numbered within the year by the store."""
    cumulative_number: int | None = None
    """总第N期 across years; ``None`` leaves it out."""
    report_to: str = ""
    """The 报送 line of the closing block (leaders and bodies the briefing goes to)."""
    copy_to: str = ""
    """The 抄送 line of the closing block (partner units)."""


def build_context(digest: WeekDigest, *, today: dt.date | None = None, masthead: Masthead | None = None) -> dict:
    """Everything both templates show, as plain dicts, lists and strings.

    Raw numbers sit beside formatted ones so a template can re-format with the
    shared filters. Chart entries (``funding_chart``, ``signing_chart``,
    ``trend_chart``) are added by each writer because Word wants images and
    Markdown wants file names (``""`` when a chart is missing). ``today`` is the
    issue date, injectable so outputs are reproducible. Every name is documented
    in ``docs/templates.md`` (a test keeps the two in step).
    """
    masthead = masthead or Masthead()
    issued = today or dt.date.today()
    headline = _headline(digest)
    funding_rows = _funding_rows(digest)
    signing_rows = _signing_rows(digest)
    facts = [_fact_row(sequence, fact) for sequence, fact in enumerate(digest.facts, start=1)]
    iso_year, _ = _parse_week(digest)
    return {
        "title": clean_text(masthead.title) or TITLE,
        "unit": clean_text(masthead.unit),
        "issue_number": masthead.issue_number,
        "issue_label": f"第{masthead.issue_number}期" if masthead.issue_number else "",
        "cumulative_label": f"总第{masthead.cumulative_number}期" if masthead.cumulative_number else "",
        "issue_date": format_cn_date(issued),
        "report_to": clean_text(masthead.report_to),
        "copy_to": clean_text(masthead.copy_to),
        "week": digest.week,
        "week_label": week_label(digest),
        "date_range": date_range(digest.start, digest.end, iso_year),
        "generated": format_cn_date(issued),
        "headline": headline,
        "headline_rows": _headline_rows(digest),
        "summary": _summary(headline),
        "funding_rows": funding_rows,
        "funding_total": headline["total_funding"],
        "funding_summary": _funding_summary(funding_rows, headline["total_funding"]),
        "signing_rows": signing_rows,
        "signing_summary": _signing_summary(digest, signing_rows),
        "sections": sections.category_sections(digest),
        "places": sections.place_rows(digest),
        "partners": sections.partner_rows(digest),
        "trend_rows": sections.trend_rows(digest),
        "other_news": sections.other_news(digest),
        "facts": facts,
        "uncounted_count": sum(1 for fact in facts if fact["note"]),
        "uncounted_mark": UNCOUNTED_MARK,
        "articles": sections.source_rows(digest),
        "skipped": [{"path": clean_text(s.path), "reason": clean_text(s.reason)} for s in digest.skipped],
        "funding_chart": "",
        "signing_chart": "",
        "trend_chart": "",
    }
