"""The body of the briefing: what happened by category, where, with whom, and the sources.

A leader reads a briefing by topic, not by article, so the figures' sentences are
regrouped under one heading per category (签约合作, 资金支持 ...). Each sentence
appears once, under the category of its first counted figure, with its citation;
a republished story adds nothing to the text (its original already says it) and is
listed with the original in the sources. Table rows are left to the figures table:
"呼和浩特市 22 6320.00" is data, not a sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from briefing.models import ArticleSummary, FactRow, WeekDigest

from .format import clean_text, excerpt, format_cn_date, format_money, format_month_day

SECTION_ORDER = (
    ("signing", "签约合作"),
    ("funding", "资金支持"),
    ("investment", "投资建设"),
    ("project", "项目建设"),
    ("platform", "平台建设"),
    ("people", "人才引育"),
    ("enterprise", "企业培育"),
    ("event", "活动交流"),
    ("policy", "政策措施"),
    ("other", "其他情况"),
)
"""Category sections in the order an S&T office reports them: agreements and money first."""
SUB_NUMERALS = "一二三四五六七八九十"
ITEM_LIMIT = 120
"""Longest sentence quoted in a section, in characters (cut around its first figure)."""
PARTNER_LIMIT = 12
"""Partners listed at most; the rest are in the figures table."""
NARRATIVE_KINDS = ("money", "count")


def sub_heading_number(index: int) -> str:
    """``（一）`` … ``（十）``, then ``（11）``: the second heading level of Chinese documents."""
    return f"（{SUB_NUMERALS[index]}）" if index < len(SUB_NUMERALS) else f"（{index + 1}）"


def merged_reposts(digest: WeekDigest) -> set[int]:
    """Citation numbers of this week's reposts whose original is also this week's."""
    numbers = {article.id: article.number for article in digest.articles}
    return {article.number for article in digest.articles if article.duplicate_of in numbers}


def category_sections(digest: WeekDigest) -> list[dict]:
    """One section per category that has sentences, in :data:`SECTION_ORDER`."""
    skip = merged_reposts(digest)
    by_category: dict[str, list[dict]] = {}
    for (number, sentence), facts in _sentences(digest.facts, skip).items():
        lead = next((f for f in facts if f.counted), facts[0])
        by_category.setdefault(lead.category or "other", []).append(
            {"text": excerpt(sentence, lead.surface, ITEM_LIMIT), "citation": f"[{number}]", "article_number": number})
    sections = []
    for code, heading in SECTION_ORDER:
        if code in by_category:
            number = sub_heading_number(len(sections))
            sections.append({"number": number, "code": code, "heading": heading, "entries": by_category[code]})
    return sections


def _sentences(facts: Iterable[FactRow], skip: set[int]) -> dict[tuple[int, str], list[FactRow]]:
    """Money and count figures grouped by (article, sentence), in citation then text order."""
    grouped: dict[tuple[int, str], list[FactRow]] = {}
    for fact in facts:
        if fact.kind in NARRATIVE_KINDS and fact.article_number not in skip and "\t" not in fact.sentence:
            grouped.setdefault((fact.article_number, fact.sentence), []).append(fact)
    return grouped


def place_rows(digest: WeekDigest) -> list[dict]:
    """The week's counted money and signings by league-city (盟市) named in their sentences."""
    return [_breakdown_row(row.place, row) for row in digest.by_place]


def partner_rows(digest: WeekDigest) -> list[dict]:
    """The organisations named beside the week's counted figures, the busiest first."""
    return [_breakdown_row(row.org, row) for row in digest.by_partner[:PARTNER_LIMIT]]


def _breakdown_row(name: str, row) -> dict:
    return {
        "name": clean_text(name),
        "funding": format_money(row.funding_yuan) if row.funding_yuan else "—",
        "funding_yuan": row.funding_yuan,
        "signing": f"{row.signing_count}项" if row.signing_count else "—",
        "signing_count": row.signing_count,
        "fact_count": row.fact_count,
        "citations": "".join(f"[{number}]" for number in row.article_numbers),
    }


def trend_rows(digest: WeekDigest) -> list[dict]:
    """Funding and signings of the stored weeks up to this one, oldest first."""
    return [{"week": point.week, "funding": format_money(point.funding_yuan), "funding_yuan": point.funding_yuan,
             "label": f"{format_month_day(point.start)}—{format_month_day(point.start + dt.timedelta(days=6))}",
             "signing_count": point.signing_count, "article_count": point.article_count}
            for point in digest.trend]


def other_news(digest: WeekDigest) -> list[dict]:
    """Articles without figures (appointments, visits, meetings): their title and lead sentence."""
    skip = merged_reposts(digest)
    return [{"citation": f"[{a.number}]", "title": clean_text(a.title) or a.id, "source": clean_text(a.source),
             "date": format_cn_date(a.published), "lead": clean_text(a.lead)}
            for a in digest.articles if a.figure_count == 0 and a.number not in skip]


def source_rows(digest: WeekDigest) -> list[dict]:
    """The source list: each story once, with the sites that republished it this week beside it."""
    skip = merged_reposts(digest)
    reposts: dict[str, list[dict]] = {}
    for article in digest.articles:
        if article.number in skip:
            reposts.setdefault(article.duplicate_of, []).append(_repost(article))
    return [{**_article_row(article), "reposts": reposts.get(article.id, [])}
            for article in digest.articles if article.number not in skip]


def _repost(article: ArticleSummary) -> dict:
    source = clean_text(article.source)
    date = format_cn_date(article.published) if article.published else ""
    return {"citation": f"[{article.number}]", "source": source or clean_text(article.title), "date": date,
            "url": clean_text(article.url)}


def _article_row(article: ArticleSummary) -> dict:
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
        "duplicate_note": _duplicate_note(article.duplicate_of),
    }


def _duplicate_note(duplicate_of: str | None) -> str:
    """For a repost of an earlier week's story (this week's reposts are merged into their original)."""
    return f"（转载自已收录文章 {duplicate_of}，数字不重复计入）" if duplicate_of else ""
