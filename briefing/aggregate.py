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
from typing import Callable, Iterable, Mapping

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

    def exclusion(self, article: Article, fact: Fact, cite: Callable[[str], str] = str) -> str:
        """Why ``fact`` must not be summed on its own merits, or "" (the per-article maximum comes later)."""
        if article.duplicate_of:
            return f"转载自{cite(article.duplicate_of)}，不重复计入"
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


def previous_week(week: str) -> str:
    """The ISO week before ``week``."""
    monday, _ = week_bounds(week)
    year, number, _ = (monday - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def total_of(fact: Fact) -> str:
    """Which headline total a fact can feed: ``funding``, ``signing`` or ``""`` (none)."""
    if fact.kind == "money" and fact.unit == "CNY" and fact.category in FUNDING_CATEGORIES:
        return "funding"
    if fact.kind == "count" and fact.category == "signing" and fact.unit in SIGNING_UNITS:
        return "signing"
    return ""


def _money_outside_totals(fact: Fact) -> str:
    """Why an amount of money feeds no total, so the report can say so beside it."""
    if fact.kind != "money" or total_of(fact):
        return ""
    if fact.unit != "CNY":
        return f"外币金额（{fact.unit}），未折算计入"
    if fact.category == "policy":
        return "政策奖补标准，不是投入资金"
    return "不属投入资金（产值、交易额等）"


def fact_table(
    articles: Iterable[Article],
    facts: Mapping[str, list[Fact]],
    rules: CountingRules | None = None,
    cite: Callable[[str], str] = str,
):
    """One row per fact: its week, the total it feeds, whether it is summed and why not.

    ``cite`` turns an article id into how the report names that article ([2]) in notes.
    """
    import pandas as pd

    rules = rules or counting_rules()
    articles = list(articles)
    notes = _repeats_of_earlier_articles(articles, facts, cite)
    rows = []
    for article in articles:
        for fact in facts.get(article.id, []):
            total = total_of(fact)
            note = (rules.exclusion(article, fact, cite) or notes.get(id(fact), "")) if total else _money_outside_totals(fact)
            rows.append({"week": article.iso_week, "article_id": article.id, "kind": fact.kind, "category": fact.category,
                         "value": fact.value, "unit": fact.unit, "total": total, "note": note, "fact": fact})
    columns = ["week", "article_id", "kind", "category", "value", "unit", "total", "note", "fact"]
    table = pd.DataFrame(rows, columns=columns)
    _keep_largest_per_article(table)
    table["counted"] = (table["total"] != "") & (table["note"] == "")
    return table


REPEAT_EVIDENCE = 2
"""Figures a sentence must share with one earlier article to count as retelling it."""


def _repeats_of_earlier_articles(
    articles: list[Article], facts: Mapping[str, list[Fact]], cite: Callable[[str], str] = str
) -> dict[int, str]:
    """Notes for figures that retell an earlier article, keyed by ``id(fact)``.

    Reviews and follow-ups retell figures reported weeks before ("获得财政支持1.6亿元，
    撬动企业配套投入4.18亿元"). One shared amount proves nothing (1000万元 recurs by
    chance), but a sentence whose figures match two or more of one earlier article's
    figures is telling that article's story again.
    """
    order = sorted(articles, key=lambda a: (a.published or dt.datetime.max, a.id))
    seen: list[tuple[str, set[tuple]]] = []
    notes: dict[int, str] = {}
    for article in order:
        by_sentence: dict[str, list[Fact]] = {}
        for fact in facts.get(article.id, []):
            if fact.kind in SUMMED_KINDS:
                by_sentence.setdefault(fact.sentence, []).append(fact)
        for sentence_facts in by_sentence.values():
            keys = {_figure_key(f) for f in sentence_facts}
            earlier = next(((i, shared) for i, known in seen if len(shared := keys & known) >= REPEAT_EVIDENCE), None)
            if earlier:
                for fact in sentence_facts:
                    if _figure_key(fact) in earlier[1]:
                        notes[id(fact)] = f"与此前文章{cite(earlier[0])}报道的数字相同，不重复计入"
        seen.append((article.id, {_figure_key(f) for f in facts.get(article.id, []) if f.kind in SUMMED_KINDS}))
    return notes


def _figure_key(fact: Fact) -> tuple:
    return fact.kind, float(fact.value), fact.unit


def _keep_largest_per_article(table) -> None:
    """Among an article's summable figures of one total, category and unit, only the largest is summed.

    News states a total and then its parts ("资金25086.67万元 … 新能源领域11280万元"),
    so summing them all would count the money twice; the largest is the total. This
    undercounts an article that reports two separate amounts of one kind, which is the
    safer error for figures sent to leaders. Ties keep the first figure in the text.
    """
    candidates = table[(table.total != "") & (table.note == "")]
    if candidates.empty:
        return
    values = candidates["value"].astype(float)
    keys = [candidates.article_id, candidates.total, candidates.category, candidates.unit]
    largest = values.groupby(keys).transform("max")
    first_largest = values[values == largest].groupby(keys).head(1).index
    smaller = candidates.index.difference(first_largest)
    table.loc[smaller, "note"] = "同文同类数字只计最大一项，此为分项或重复"


def _funding(table) -> tuple[float, dict[str, float]]:
    """Total money committed (CNY, counted facts) and its split by category, largest first."""
    money = table[table.counted & (table.total == "funding")]
    by_category = money.groupby("category")["value"].sum().astype(float).sort_values(ascending=False)
    return float(by_category.sum()), {k: float(v) for k, v in by_category.items()}


def _signings(table) -> tuple[int, dict[str, int]]:
    """Total signed items and items per article id."""
    signed = table[table.counted & (table.total == "signing")]
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
    week_articles = sorted((a for a in articles if a.iso_week == week), key=lambda a: (a.published, a.id))
    numbers = {a.id: i for i, a in enumerate(week_articles, start=1)}
    table = fact_table(articles, facts, cite=_citer(articles, numbers))
    this_week = table[table.week == week]
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
        facts=tuple(sorted((_fact_row(row.fact, numbers[row.article_id], row.counted, row.note) for row in this_week.itertuples()), key=_citation_order)),
        previous_week=before if has_previous else None,
        previous_total_funding_yuan=_funding(earlier)[0] if has_previous else None,
        previous_signing_count=_signings(earlier)[0] if has_previous else None,
        skipped=tuple(skipped),
    )


def _citer(articles: list[Article], numbers: Mapping[str, int]) -> Callable[[str], str]:
    """How notes name another article: its citation number this week, else its title and date."""
    by_id = {a.id: a for a in articles}

    def cite(article_id: str) -> str:
        if article_id in numbers:
            return f"[{numbers[article_id]}]"
        article = by_id.get(article_id)
        if article is None:
            return article_id
        when = f"{article.published.month}月{article.published.day}日" if article.published else ""
        return f"《{article.title}》{f'（{when}）' if when else ''}"

    return cite


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


def _fact_row(fact: Fact, article_number: int, counted: bool, note: str) -> FactRow:
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
        note=note,
    )
