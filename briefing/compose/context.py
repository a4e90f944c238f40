"""One context for both templates: everything the briefing says, as plain dicts and strings.

The Word and the Markdown templates read the same context, so the two files always
say the same thing; every name is listed in ``docs/templates.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from briefing.charts import category_label
from briefing.config import parse_week
from briefing.models import CATEGORIES, ArticleSummary, FactRow, WeekDigest

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


def signing_change(current: int, previous: int | None) -> str:
    """How this week's signings compare with last week's, as a clause; ``""`` without last week."""
    if previous is None:
        return ""
    if current == previous:
        return f"与上周（{previous}项）持平"
    direction = "增加" if current > previous else "减少"
    return f"比上周（{previous}项）{direction}{abs(current - previous)}项"


def _headline(digest: WeekDigest) -> dict:
    """The few numbers a leader reads first, raw and formatted, with last week's comparison."""
    return {
        "article_count": len(digest.articles),
        "fact_count": len(digest.facts),
        "total_funding_yuan": digest.total_funding_yuan,
        "total_funding": format_money(digest.total_funding_yuan),
        "signing_count": digest.signing_count,
        "category_counts": _category_counts(digest),
        "previous_week": digest.previous_week,
        "funding_change": funding_change(digest.total_funding_yuan, digest.previous_total_funding_yuan),
        "signing_change": signing_change(digest.signing_count, digest.previous_signing_count),
    }


def _category_counts(digest: WeekDigest) -> dict[str, int]:
    """Number of money and count figures per category, by Chinese label, in the model's category order."""
    counts = digest.facts_by_category
    return {category_label(code): counts[code] for code in CATEGORIES if counts.get(code)}


def _summary(headline: dict) -> str:
    """The headline figures as the opening sentences of the briefing."""
    opening = f"本周共收录科技新闻{headline['article_count']}篇，摘录数字{headline['fact_count']}项"
    if headline["category_counts"]:
        opening += "，按类别为" + "、".join(f"{label}{count}项" for label, count in headline["category_counts"].items())
    opening += "。"
    if headline["total_funding_yuan"] > 0:
        money = f"涉及资金合计{headline['total_funding']}"
    else:
        money = "本周新闻未涉及资金数额"
    signing = f"签约项目{headline['signing_count']}项"
    clauses = [_with_change(money, headline["funding_change"]),
               _with_change(signing, headline["signing_change"])]
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
    """Signed items per source article, in citation order."""
    titles = {article.number: clean_text(article.title) for article in digest.articles}
    return [{"number": number, "citation": f"[{number}]", "title": titles.get(number, ""), "count": count}
            for number, count in sorted(digest.signings_by_article.items()) if count > 0]


def _signing_summary(digest: WeekDigest, rows: list[dict]) -> str:
    if not digest.signing_count:
        return "本周新闻未涉及签约项目。"
    return f"本周签约项目合计{digest.signing_count}项，来自{len(rows)}篇文章。"


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


def _article_row(article: ArticleSummary, numbers_by_id: Mapping[str, int]) -> dict:
    """One source for the list: number, title, date, site, URL and whether it is a repost."""
    source = clean_text(article.source)
    date = format_cn_date(article.published) if article.published else ""
    return {
        "number": article.number,
        "citation": f"[{article.number}]",
        "title": clean_text(article.title) or article.id,
        "date": date or "日期不详",
        "source": source,
        "meta": "，".join(part for part in (source, date, f"摘录数字{article.fact_count}项") if part),
        "url": clean_text(article.url),
        "fact_count": article.fact_count,
        "duplicate_note": _duplicate_note(article.duplicate_of, numbers_by_id),
    }


def _duplicate_note(duplicate_of: str | None, numbers_by_id: Mapping[str, int]) -> str:
    if not duplicate_of:
        return ""
    if duplicate_of in numbers_by_id:
        return f"（转载自[{numbers_by_id[duplicate_of]}]，数字不重复计入）"
    return f"（转载自已收录文章 {duplicate_of}，数字不重复计入）"


def build_context(digest: WeekDigest, *, today: dt.date | None = None) -> dict:
    """Everything both templates show, as plain dicts, lists and strings.

    Raw numbers sit beside formatted ones so a template can re-format with the
    shared filters. Chart entries (``funding_chart``, ``signing_chart``) are added
    by each writer because Word wants images and Markdown wants file names
    (``""`` when a chart is missing). ``today`` is injectable so outputs are
    reproducible. The names a template can use:

    - ``title``, ``week``, ``week_label``, ``date_range``, ``generated``, ``summary``
    - ``headline``: ``article_count``, ``fact_count``, ``total_funding`` (``_yuan``),
      ``signing_count``, ``previous_week``, ``funding_change``, ``signing_change``
    - ``funding_rows``: ``label``, ``category``, ``yuan``, ``amount``, ``share``;
      ``funding_total``, ``funding_summary``
    - ``signing_rows``: ``number``, ``citation``, ``title``, ``count``; ``signing_summary``
    - ``facts``: ``number``, ``citation``, ``article_number``, ``kind``, ``category``,
      ``surface``, ``value``, ``sentence``, ``counted``, ``mark``, ``note``;
      ``uncounted_count``, ``uncounted_mark``
    - ``articles``: ``number``, ``citation``, ``title``, ``date``, ``source``, ``meta``,
      ``url``, ``fact_count``, ``duplicate_note``
    - ``skipped``: ``path``, ``reason``
    """
    headline = _headline(digest)
    funding_rows = _funding_rows(digest)
    signing_rows = _signing_rows(digest)
    numbers_by_id = {article.id: article.number for article in digest.articles}
    facts = [_fact_row(sequence, fact) for sequence, fact in enumerate(digest.facts, start=1)]
    iso_year, _ = _parse_week(digest)
    return {
        "title": TITLE,
        "week": digest.week,
        "week_label": week_label(digest),
        "date_range": date_range(digest.start, digest.end, iso_year),
        "generated": format_cn_date(today or dt.date.today()),
        "headline": headline,
        "summary": _summary(headline),
        "funding_rows": funding_rows,
        "funding_total": headline["total_funding"],
        "funding_summary": _funding_summary(funding_rows, headline["total_funding"]),
        "signing_rows": signing_rows,
        "signing_summary": _signing_summary(digest, signing_rows),
        "facts": facts,
        "uncounted_count": sum(1 for fact in facts if fact["note"]),
        "uncounted_mark": UNCOUNTED_MARK,
        "articles": [_article_row(article, numbers_by_id) for article in digest.articles],
        "skipped": [{"path": clean_text(s.path), "reason": clean_text(s.reason)} for s in digest.skipped],
        "funding_chart": "",
        "signing_chart": "",
    }
