"""Turn a set of articles and their facts into one ISO week's :class:`WeekDigest`.

pandas stays inside this module (and ``charts.py``): the digest that leaves it is
plain frozen dataclasses, so the composer needs no pandas knowledge.

What a total counts matters more than how it is summed. News states a total and
then its parts, repeats last year's statistics and republishes other sites, so
summing every figure would inflate what leaders read. The rules that decide
which figures are summed live in ``lexicons/counting.toml`` (staff can extend
the word lists); every figure is still listed, with the reason when it is not
summed. Money that is a policy rule (an award cap) or not money committed
(output value, turnover) is not "funding".
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Mapping

from briefing.config import week_bounds
from briefing.extract.normalize import FOLD
from briefing.models import Article, ArticleSummary, Fact, FactRow, SkippedFile, WeekDigest

FUNDING_CATEGORIES = ("funding", "investment", "signing", "project", "platform")
"""Money categories that are money committed; ``policy`` and ``other`` are not."""
SIGNING_UNITS = ("项", "份")
"""Measure words that count agreements or projects signed (家/个 count the parties, 5个盟市)."""
SUMMED_KINDS = ("money", "count")


@dataclass(frozen=True)
class CountingRules:
    """The word lists of ``lexicons/counting.toml``."""

    total_row_labels: tuple[str, ...]
    cumulative_words: tuple[str, ...]
    subset_words: tuple[str, ...]
    tentative_words: tuple[str, ...]

    def exclusion(self, article: Article, fact: Fact) -> str:
        """Why ``fact`` must not be summed on its own merits, or "" (the per-article maximum comes later)."""
        if article.duplicate_of:
            return f"转载自 {article.duplicate_of}，不重复计入"
        if fact.row_label.strip() in self.total_row_labels:
            return "表格合计行"
        sentence = fact.sentence.translate(FOLD)
        before = _sentence_before(sentence, fact.surface.translate(FOLD))
        if any(word in sentence for word in self.cumulative_words):
            return "累计或年度统计数，非本周新增"
        if any(word in before for word in self.subset_words):
            return "分项数，已含在总数内"
        if any(word in before for word in self.tentative_words):
            return "拟定或预计数，尚未落实"
        return ""


def _sentence_before(sentence: str, surface: str) -> str:
    """The part of a fact's sentence before the figure."""
    at = sentence.find(surface)
    return sentence[: at if at >= 0 else len(sentence)]


@functools.cache
def counting_rules() -> CountingRules:
    """The rules shipped in the package, read once."""
    data = tomllib.loads(resources.files("briefing").joinpath("lexicons/counting.toml").read_text(encoding="utf-8"))
    return CountingRules(**{key: tuple(value) for key, value in data.items()})


def latest_week(articles: Iterable[Article]) -> str | None:
    """The most recent ISO week that has a dated article, or ``None``."""
    weeks = [a.iso_week for a in articles if a.iso_week]
    return max(weeks) if weeks else None


def previous_week(week: str) -> str:
    """The ISO week before ``week``."""
    monday, _ = week_bounds(week)
    year, number, _ = (monday - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def fact_table(articles: Iterable[Article], facts: Mapping[str, list[Fact]], rules: CountingRules | None = None):
    """One row per fact, with its article's week, whether it is summed and why not."""
    import pandas as pd

    rules = rules or counting_rules()
    rows = [
        {
            "week": article.iso_week,
            "article_id": article.id,
            "kind": fact.kind,
            "category": fact.category,
            "value": fact.value,
            "unit": fact.unit,
            "note": rules.exclusion(article, fact) if fact.kind in SUMMED_KINDS else "",
            "fact": fact,
        }
        for article in articles
        for fact in facts.get(article.id, [])
    ]
    columns = ["week", "article_id", "kind", "category", "value", "unit", "note", "fact"]
    table = pd.DataFrame(rows, columns=columns)
    _drop_money_reported_before(table, {a.id: a for a in articles})
    _keep_largest_per_article(table)
    table["counted"] = table["note"] == ""
    return table


def _drop_money_reported_before(table, articles: Mapping[str, Article]) -> None:
    """An amount already summed from an earlier article is that article's figure again.

    Reviews and follow-ups repeat amounts reported weeks before ("获得财政支持1.6亿元");
    the same amount of the same category in a later article is far likelier a repeat
    than a coincidence. Counts are left alone: "8项" recurs by chance.
    """
    money = table[(table.kind == "money") & (table.note == "") & table.category.isin(FUNDING_CATEGORIES)]
    order = sorted(money.article_id.unique(), key=lambda i: (articles[i].published or dt.datetime.max, i))
    first_seen: dict[tuple, str] = {}
    for article_id in order:
        rows = money[money.article_id == article_id]
        for index, key in zip(rows.index, zip(rows.value.astype(float), rows.unit, rows.category)):
            if first_seen.setdefault(key, article_id) != article_id:
                table.loc[index, "note"] = f"与此前文章 {first_seen[key]} 报道的金额相同，不重复计入"


def _keep_largest_per_article(table) -> None:
    """Among an article's summable figures of one kind, category and unit, only the largest is summed.

    The rest are its parts or repeats ("资金25086.67万元 … 新能源领域11280万元").
    Ties keep the first figure in the text.
    """
    candidates = table[table.kind.isin(SUMMED_KINDS) & (table.note == "")]
    if candidates.empty:
        return
    values = candidates["value"].astype(float)
    keys = [candidates.article_id, candidates.kind, candidates.category, candidates.unit]
    largest = values.groupby(keys).transform("max")
    first_largest = values[values == largest].groupby(keys).head(1).index
    smaller = candidates.index.difference(first_largest)
    table.loc[smaller, "note"] = "同文同类数字只计最大一项，此为分项或重复"


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
        facts=tuple(sorted((_fact_row(row.fact, numbers[row.article_id], row.note) for row in this_week.itertuples()), key=_citation_order)),
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


def _fact_row(fact: Fact, article_number: int, note: str) -> FactRow:
    return FactRow(
        article_number=article_number,
        kind=fact.kind,
        category=fact.category,
        surface=fact.surface,
        value=fact.value,
        unit=fact.unit,
        qualifier=fact.qualifier,
        sentence=fact.sentence,
        counted=not note,
        start=fact.start,
        note=note,
    )
