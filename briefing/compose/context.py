"""One context for both templates: everything the briefing says, as plain dicts and strings.

The Word and the Markdown templates read the same context, so the two files always
say the same thing; every name is listed in ``docs/templates.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from briefing.charts import category_label
from briefing.config import parse_week
from briefing.models import CATEGORIES, FactRow, WeekDigest

from . import sections
from .format import clean_text, excerpt, format_cn_date, format_month_day, format_fact_value, format_money, format_pct

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
        return f"{format_month_day(start)}—{format_month_day(end)}"
    return f"{format_cn_date(start)}—{format_cn_date(end)}"


def _parse_week(digest: WeekDigest) -> tuple[int, int]:
    """ISO year and week number of the digest's week (``2020-W51`` → 2020, 51)."""
    year, number = parse_week(digest.week).split("-W")
    return int(year), int(number)


class Change(NamedTuple):
    """One week-over-week comparison, worded for a sentence and for a table cell."""

    clause: str
    """``比上周（3.20亿元）增长46.9%``; ``""`` without last week."""
    cell: str
    """``增长46.9%``; ``—`` without last week."""


NO_PREVIOUS = Change("", "—")


def money_change(current: float, previous: float | None) -> Change:
    """This week's money against last week's: 增长/下降 a percentage, 为…倍 from three times on, 持平."""
    if previous is None:
        return NO_PREVIOUS
    if previous == 0:
        return Change("上周未涉及资金数额", "上周无" if current else "持平")
    then = f"上周（{format_money(previous)}）"
    ratio = (current - previous) / previous
    if abs(ratio) < 0.0005:
        return Change(f"与{then}持平", "持平")
    if current >= MULTIPLE_FROM * previous:
        times = f"{current / previous:.1f}倍"
        return Change(f"为{then}的{times}", f"为上周的{times}")
    moved = f"{'增长' if ratio > 0 else '下降'}{format_pct(abs(ratio))}"
    return Change(f"比{then}{moved}", moved)


def count_change(current: int, previous: int | None, unit: str = "项") -> Change:
    """This week's count against last week's: 增加/减少 so many, or 持平."""
    if previous is None:
        return NO_PREVIOUS
    then = f"上周（{previous}{unit}）"
    if current == previous:
        return Change(f"与{then}持平", "持平")
    moved = f"{'增加' if current > previous else '减少'}{abs(current - previous)}{unit}"
    return Change(f"比{then}{moved}", moved)


def funding_change(current: float, previous: float | None) -> str:
    """How this week's money compares with last week's, as a clause; ``""`` without last week."""
    return money_change(current, previous).clause


def signing_change(current: int, previous: int | None) -> str:
    """How this week's signings compare with last week's, as a clause; ``""`` without last week."""
    return count_change(current, previous, "项").clause


def _measures(digest: WeekDigest) -> list[tuple[str, str, str, Change]]:
    """The headline measures once: (label, this week, last week, change), for the sentence and the table."""
    known = digest.previous_week is not None
    rows = [("资金合计", format_money(digest.total_funding_yuan),
             format_money(digest.previous_total_funding_yuan or 0) if known else "—",
             money_change(digest.total_funding_yuan, digest.previous_total_funding_yuan))]
    for label, unit, current, previous in (("签约", "项", digest.signing_count, digest.previous_signing_count),
                                           ("科技项目", "项", digest.project_count, digest.previous_project_count),
                                           ("创新平台", "个", digest.platform_count, digest.previous_platform_count)):
        rows.append((label, f"{current}{unit}", f"{previous}{unit}" if previous is not None else "—",
                     count_change(current, previous, unit)))
    return rows


def _headline(digest: WeekDigest, measures: list[tuple[str, str, str, Change]]) -> dict:
    """The few numbers a leader reads first, raw and formatted, with last week's comparison."""
    funding, signing, projects, platforms = (change.clause for *_, change in measures)
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
        "funding_change": funding,
        "signing_change": signing,
        "project_change": projects,
        "platform_change": platforms,
    }


def _headline_rows(measures: list[tuple[str, str, str, Change]]) -> list[dict]:
    """The headline figures as a small table: this week, last week and the change in a few words."""
    return [{"label": label, "value": value, "previous": previous, "change": change.cell}
            for label, value, previous, change in measures]


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
               _with_change(f"签约{headline['signing_count']}项", headline["signing_change"])]
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
    """Signed items by what was signed (合作协议, 签约项目 ...), in aggregate's order: largest first, 其他 last."""
    return [{"label": label, "count": count} for label, count in digest.signings_by_type.items() if count > 0]


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
    issued_on: dt.date | None = None
    """The date printed on the issue (the day it was first numbered); ``None``: the build date."""


def masthead_title(title: str) -> str:
    """The briefing's name as one clean line (the default when blank); the mail subject uses it too."""
    return clean_text(title) or TITLE


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
    measures = _measures(digest)
    headline = _headline(digest, measures)
    funding_rows = _funding_rows(digest)
    signing_rows = _signing_rows(digest)
    facts = [_fact_row(sequence, fact) for sequence, fact in enumerate(digest.facts, start=1)]
    iso_year, _ = _parse_week(digest)
    return {
        "title": masthead_title(masthead.title),
        "unit": clean_text(masthead.unit),
        "issue_number": masthead.issue_number,
        "issue_label": f"第{masthead.issue_number}期" if masthead.issue_number else "",
        "cumulative_label": f"总第{masthead.cumulative_number}期" if masthead.cumulative_number else "",
        "issue_date": format_cn_date(masthead.issued_on or issued),
        "report_to": clean_text(masthead.report_to),
        "copy_to": clean_text(masthead.copy_to),
        "week": digest.week,
        "week_label": week_label(digest),
        "date_range": date_range(digest.start, digest.end, iso_year),
        "generated": format_cn_date(issued),
        "headline": headline,
        "headline_rows": _headline_rows(measures),
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
