"""Turn a set of articles and their facts into one ISO week's :class:`WeekDigest`.

pandas stays inside this module (and ``charts.py``): the digest that leaves it is
plain frozen dataclasses, so the composer needs no pandas knowledge.

What a total counts matters more than how it is summed: a figure is left out of
totals (but still listed) when it repeats one already counted — a table's 合计
row, the same figure said twice in one article, or an article republished from
another one. Money that is a policy rule (an award cap) or not money committed
(output value, turnover) is not "funding".
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Mapping

from briefing.config import week_bounds
from briefing.models import Article, ArticleSummary, Fact, FactRow, SkippedFile, WeekDigest

FUNDING_CATEGORIES = ("funding", "investment", "signing", "project", "platform")
"""Money categories that are money committed this week; ``policy`` and ``other`` are not."""
SIGNING_UNITS = ("项", "个", "份", "家")
"""Measure words of signing counts that are numbers of agreements, projects or parties signed."""
TOTAL_ROW_LABELS = ("合计", "总计", "小计", "总额", "合 计", "總計")
"""First cells of table rows that repeat the rows above them."""


def latest_week(articles: Iterable[Article]) -> str | None:
    """The most recent ISO week that has a dated article, or ``None``."""
    weeks = [a.iso_week for a in articles if a.iso_week]
    return max(weeks) if weeks else None


def previous_week(week: str) -> str:
    """The ISO week before ``week``."""
    monday, _ = week_bounds(week)
    year, number, _ = (monday - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def fact_table(articles: Iterable[Article], facts: Mapping[str, list[Fact]]):
    """One row per fact, with its article's week and whether it counts in totals."""
    import pandas as pd

    rows = []
    for article in articles:
        seen: set[tuple] = set()
        for fact in facts.get(article.id, []):
            key = (fact.kind, fact.value, fact.unit, fact.category)
            counted = article.duplicate_of is None and fact.row_label.strip() not in TOTAL_ROW_LABELS and key not in seen
            if counted:
                seen.add(key)
            rows.append(
                {
                    "week": article.iso_week,
                    "article_id": article.id,
                    "kind": fact.kind,
                    "category": fact.category,
                    "value": fact.value,
                    "unit": fact.unit,
                    "counted": counted,
                    "fact": fact,
                }
            )
    columns = ["week", "article_id", "kind", "category", "value", "unit", "counted", "fact"]
    return pd.DataFrame(rows, columns=columns)


def _funding(table) -> tuple[float, dict[str, float]]:
    """Total money committed (CNY, counted facts) and its split by category, largest first."""
    money = table[(table.kind == "money") & table.counted & (table.unit == "CNY") & table.category.isin(FUNDING_CATEGORIES)]
    by_category = money.groupby("category")["value"].sum().astype(float).sort_values(ascending=False)
    return float(by_category.sum()), {k: float(v) for k, v in by_category.items()}


def _signings(table) -> tuple[int, dict[str, int]]:
    """Total signed items and items per article id."""
    signed = table[(table.kind == "count") & table.counted & (table.category == "signing") & table.unit.isin(SIGNING_UNITS)]
    by_article = signed.groupby("article_id")["value"].sum()
    return int(by_article.sum()), {k: int(v) for k, v in by_article.items()}


def digest_week(
    articles: Iterable[Article],
    facts: Mapping[str, list[Fact]],
    week: str,
    skipped: Iterable[SkippedFile] = (),
) -> WeekDigest:
    """Everything the report says about ``week``, with the week before for comparison."""
    articles = list(articles)
    table = fact_table(articles, facts)
    this_week = table[table.week == week]
    week_articles = sorted((a for a in articles if a.iso_week == week), key=lambda a: (a.published, a.id))
    numbers = {a.id: i for i, a in enumerate(week_articles, start=1)}
    total, by_category = _funding(this_week)
    signing_total, signing_by_id = _signings(this_week)
    start, end = week_bounds(week)
    before = previous_week(week)
    earlier = table[table.week == before]
    has_previous = any(a.iso_week == before for a in articles)
    return WeekDigest(
        week=week,
        start=start,
        end=end,
        total_funding_yuan=total,
        funding_by_category=by_category,
        signing_count=signing_total,
        signings_by_article={numbers[k]: v for k, v in signing_by_id.items()},
        facts_by_category=_value_counts(this_week[this_week.category != ""], "category"),
        facts_by_kind=_value_counts(this_week, "kind"),
        articles=tuple(_summary(a, numbers[a.id], len(facts.get(a.id, []))) for a in week_articles),
        facts=tuple(sorted((_fact_row(row.fact, numbers[row.article_id], row.counted) for row in this_week.itertuples()), key=_citation_order)),
        previous_week=before if has_previous else None,
        previous_total_funding_yuan=_funding(earlier)[0] if has_previous else None,
        previous_signing_count=_signings(earlier)[0] if has_previous else None,
        skipped=tuple(skipped),
    )


def _citation_order(row: FactRow) -> tuple[int, int]:
    return row.article_number, row.start


def _value_counts(table, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in table[column].value_counts().items()}


def _summary(article: Article, number: int, fact_count: int) -> ArticleSummary:
    return ArticleSummary(
        number=number,
        id=article.id,
        title=article.title,
        published=article.published.date() if article.published else None,
        source=article.source,
        url=article.url,
        fact_count=fact_count,
        duplicate_of=article.duplicate_of,
    )


def _fact_row(fact: Fact, article_number: int, counted: bool) -> FactRow:
    return FactRow(
        article_number=article_number,
        kind=fact.kind,
        category=fact.category,
        surface=fact.surface,
        value=fact.value,
        unit=fact.unit,
        qualifier=fact.qualifier,
        sentence=fact.sentence,
        counted=bool(counted),
        start=fact.start,
    )
