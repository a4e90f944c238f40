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
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable, Mapping

from briefing.config import week_bounds
from briefing.extract.normalize import FOLD
from briefing.models import (
    Article,
    ArticleSummary,
    Fact,
    FactRow,
    PartnerRow,
    PlaceRow,
    SkippedFile,
    WeekDigest,
    WeekPoint,
)

FUNDING_CATEGORIES = ("funding", "investment", "signing", "project", "platform")
"""Money categories that are money committed; ``policy`` and ``other`` are not."""
COUNT_TOTALS: dict[str, tuple[str, ...]] = {
    "signing": ("项", "份"),
    "project": ("项", "个"),
    "platform": ("个", "家", "项"),
}
"""The headline counts and the measure words each adds up. Signings are agreements or
projects (项/份): 家/个 after 签约 count the parties (四家单位, 5个盟市). Projects come in
项 or 个 (攻关项目3个); platforms in 个, 家 or 项 (共建创新平台8项). The report writes
projects in 项 and platforms in 个."""
SUMMED_KINDS = ("money", "count")
FIGURE_KINDS = ("money", "count", "percent")
"""Kinds that are figures in the report's sense; a date is not one."""
TREND_POINTS = 8
"""Stored weeks in the trend: the reported week and up to seven before it."""
OTHER_SIGNING_TYPE = "其他"
"""The type of a signing whose clause has none of the ``[signing_types]`` keywords."""
LEAD_CHARS = 80
"""Longest lead sentence an article summary carries, … included."""
_CLAUSE_BREAK = re.compile("[，、；：。！？,;:!?]")
_SENTENCE = re.compile(r"[^\n]*?[。！？!?]|[^\n]*")


@dataclass(frozen=True)
class CountingRules:
    """The word lists of ``lexicons/counting.toml``."""

    total_row_labels: tuple[str, ...]
    cumulative_words: tuple[str, ...]
    subset_words: tuple[str, ...]
    tentative_words: tuple[str, ...]
    not_partner_suffixes: tuple[str, ...] = ()
    signing_types: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(type, keywords)`` in the file's order, which breaks ties."""

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

    def signing_type(self, fact: Fact) -> str:
        """What a signing figure counts: the type of the keyword nearest it in its clause.

        Chinese names what is counted right beside the number, before it (签署合作协议5项)
        or after it (5项合作协议); the nearest keyword on either side wins, a tie goes to
        the type listed first.
        """
        sentence, surface = fact.sentence.translate(FOLD), fact.surface.translate(FOLD)
        at = max(sentence.find(surface), 0)
        before = _CLAUSE_BREAK.split(sentence[:at])[-1]
        after = _CLAUSE_BREAK.split(sentence[at + len(surface):])[0]
        found = [(distance, order, name) for order, (name, words) in enumerate(self.signing_types)
                 for word in words for distance in _distances(before, after, word)]
        return min(found)[2] if found else OTHER_SIGNING_TYPE


def _distances(before: str, after: str, word: str) -> list[int]:
    """Characters between ``word`` and the figure, for its nearest use on each side."""
    distances = []
    if (left := before.rfind(word)) >= 0:
        distances.append(len(before) - left - len(word))
    if (right := after.find(word)) >= 0:
        distances.append(right)
    return distances


def _sentence_before(sentence: str, surface: str) -> str:
    """The part of a fact's sentence before the figure."""
    at = sentence.find(surface)
    return sentence[: at if at >= 0 else len(sentence)]


@functools.cache
def counting_rules() -> CountingRules:
    """The rules shipped in the package, read once."""
    data = tomllib.loads(resources.files("briefing").joinpath("lexicons/counting.toml").read_text(encoding="utf-8"))
    types = tuple((name, tuple(words)) for name, words in data.pop("signing_types", {}).items())
    return CountingRules(**{key: tuple(value) for key, value in data.items()}, signing_types=types)


def previous_week(week: str) -> str:
    """The ISO week before ``week``."""
    monday, _ = week_bounds(week)
    year, number, _ = (monday - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{number:02d}"


def total_of(fact: Fact) -> str:
    """Which headline total a fact can feed: ``funding``, one of :data:`COUNT_TOTALS` or ``""`` (none)."""
    if fact.kind == "money" and fact.unit == "CNY" and fact.category in FUNDING_CATEGORIES:
        return "funding"
    if fact.kind == "count" and fact.unit in COUNT_TOTALS.get(fact.category, ()):
        return fact.category
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


def _counted(table, total: str):
    """The rows summed into one headline total."""
    return table[table.counted & (table.total == total)]


def _funding(table) -> tuple[float, dict[str, float]]:
    """Total money committed (CNY, counted facts) and its split by category, largest first."""
    by_category = _counted(table, "funding").groupby("category")["value"].sum().astype(float).sort_values(ascending=False)
    return float(by_category.sum()), {k: float(v) for k, v in by_category.items()}


def _count(table, total: str) -> int:
    """Items summed into one of :data:`COUNT_TOTALS`."""
    return int(_counted(table, total)["value"].sum())


def _headline_totals(table, funding: float | None = None) -> dict[str, float]:
    """The funding total (``funding`` when already summed) and every count total of some rows (one week's)."""
    return {"funding": _funding(table)[0] if funding is None else funding, **{total: _count(table, total) for total in COUNT_TOTALS}}


def _signings_by_article(table) -> dict[str, int]:
    """Signed items per article id."""
    by_article = _counted(table, "signing").groupby("article_id")["value"].sum()
    return {k: int(v) for k, v in by_article.items()}


def digest_week(
    articles: Iterable[Article],
    facts: Mapping[str, list[Fact]],
    week: str,
    skipped: Iterable[SkippedFile] = (),
    stories: Mapping[str, Mapping] | None = None,
) -> WeekDigest:
    """Everything the report says about ``week``, with the week before and the weeks' trend.

    ``articles`` are the stored articles of ``week`` and of the weeks the comparison and
    the trend need (the pipeline passes the 8 ISO weeks before it). ``stories`` are their
    stored :func:`story_names`; an article without them has them found here.
    """
    articles = list(articles)
    week_articles = sorted((a for a in articles if a.iso_week == week), key=lambda a: (a.published, a.id))
    numbers = {a.id: i for i, a in enumerate(week_articles, start=1)}
    rules = counting_rules()
    table = fact_table(articles, facts, rules, cite=_citer(articles, numbers))
    this_week = table[table.week == week]
    total, by_category = _funding(this_week)
    totals = _headline_totals(this_week, total)
    start, end = week_bounds(week)
    story = StorySetting(week_articles, rules.not_partner_suffixes, stories)
    return WeekDigest(
        week=week,
        start=start,
        end=end,
        total_funding_yuan=total,
        funding_by_category=by_category,
        signing_count=totals["signing"],
        signings_by_article={numbers[k]: v for k, v in _signings_by_article(this_week).items()},
        facts_by_category=_value_counts(this_week[this_week.category != ""], "category"),
        facts_by_kind=_value_counts(this_week, "kind"),
        articles=tuple(_summary(a, numbers[a.id], facts.get(a.id, [])) for a in week_articles),
        facts=tuple(sorted((_fact_row(row.fact, numbers[row.article_id], row.counted, row.note) for row in this_week.itertuples()), key=_citation_order)),
        skipped=tuple(skipped),
        project_count=totals["project"],
        platform_count=totals["platform"],
        trend=_trend(table, articles, week),
        by_place=tuple(PlaceRow(*row) for row in _breakdown(this_week, numbers, story.places)),
        by_partner=tuple(PartnerRow(*row) for row in _breakdown(this_week, numbers, story.orgs)),
        signings_by_type=_signings_by_type(this_week, rules),
        **_previous(table, articles, week),
    )


def _previous(table, articles: list[Article], week: str) -> dict:
    """The ``previous_*`` fields of the digest; none when no article of the week before is stored."""
    before = previous_week(week)
    if not any(a.iso_week == before for a in articles):
        return {}
    totals = _headline_totals(table[table.week == before])
    return {
        "previous_week": before,
        "previous_total_funding_yuan": totals["funding"],
        "previous_signing_count": totals["signing"],
        "previous_project_count": totals["project"],
        "previous_platform_count": totals["platform"],
    }


def _trend(table, articles: list[Article], week: str) -> tuple[WeekPoint, ...]:
    """``week`` and the stored weeks before it, at most :data:`TREND_POINTS`, oldest first.

    Only weeks with a stored article are points: a week nobody collected news for has
    no data, which is not the same as a week without funding.
    """
    per_week = Counter(a.iso_week for a in articles if a.iso_week and a.iso_week <= week)
    points = []
    for stored in sorted(per_week)[-TREND_POINTS:]:
        totals = _headline_totals(table[table.week == stored])
        points.append(WeekPoint(stored, week_bounds(stored)[0], totals["funding"], totals["signing"], per_week[stored]))
    return tuple(points)


def _prefectures(places: Iterable[str]) -> list[str]:
    """The prefecture-level places (盟市) among ``places``, counties folded into theirs."""
    from briefing.extract.entities import prefecture_of  # the entity module only when a fact names a place

    return [found for place in places if (found := prefecture_of(place))]


class StorySetting:
    """Where and with whom a figure happened: its sentence's places and organisations, else its story's.

    News names the place once, in the headline ("赤峰市举办科技成果转化对接活动"), and
    rarely again beside each figure ("共签约项目17项"). A figure whose own sentence names
    no league-city (or no organisation) is placed where its article's headline places the
    story, or, for a headline that names none, its opening sentence. The headline wins
    over the opening sentence because the latter also names venues ("在北京签署"). The
    entities are found once per article, lazily, only for articles whose figures need them.
    Local authorities (``not_partner_suffixes`` in ``lexicons/counting.toml``) are no partners.
    """

    def __init__(self, articles: Iterable[Article], not_partner_suffixes: tuple[str, ...] = (),
                 stories: Mapping[str, Mapping] | None = None):  # fmt: skip
        self._articles = {article.id: article for article in articles}
        self._not_partners = not_partner_suffixes
        self._stories = dict(stories or {})
        self._found: dict[tuple[str, int], list[str]] = {}

    def places(self, fact: Fact) -> list[str]:
        return _prefectures(fact.places) or self._story(fact.article_id, PLACES, _prefectures)

    def orgs(self, fact: Fact) -> list[str]:
        return self._partners(fact.orgs) or self._story(fact.article_id, ORGS, self._partners)

    def _partners(self, orgs: Iterable[str]) -> list[str]:
        return [org for org in orgs if not org.endswith(self._not_partners)]

    def _story(self, article_id: str, kind: int, keep: Callable[[list[str]], list[str]]) -> list[str]:
        key = (article_id, kind)
        if key not in self._found:
            article = self._articles.get(article_id)
            if article_id not in self._stories and article is not None:
                self._stories[article_id] = story_names(article)  # stored before names were kept at ingest
            story = self._stories.get(article_id, {})
            named = (keep(list(story[line][kind])) for line in STORY_LINES if line in story)
            self._found[key] = next((names for names in named if names), [])
        return self._found[key]


PLACES, ORGS = 0, 1
STORY_LINES = ("title", "lead")


def story_names(article: Article) -> dict[str, tuple[list[str], list[str]]]:
    """The places and organisations of ``article``'s headline and of its opening sentence.

    Found once at ingest and stored (:meth:`briefing.store.Store.add_many`): a build then
    places figures without loading the entity lexicon.
    """
    return {"title": _entities(article.title), "lead": _entities(lead_sentence(article, limit=10_000))}


def _entities(text: str) -> tuple[list[str], list[str]]:
    """Canonical places and organisations named in ``text``, each once."""
    from briefing.extract.entities import entities_summary, find_entities

    found = entities_summary(find_entities(text))
    return found["places"], found["orgs"]


def _breakdown(table, numbers: Mapping[str, int], names_of: Callable[[Fact], Iterable[str]]) -> list[tuple]:
    """``(name, yuan, signed, facts, article numbers)`` per name the counted figures' sentences give.

    A figure counts once under each name its sentence gives (two league-cities: two rows),
    so rows overlap. Largest funding first, then signings, then figures, then by name.
    """
    import pandas as pd

    records = [(name, float(row.value) if row.total == "funding" else 0.0, int(row.value) if row.total == "signing" else 0,
                numbers[row.article_id]) for row in table[table.counted].itertuples() for name in dict.fromkeys(names_of(row.fact))]
    frame = pd.DataFrame(records, columns=["name", "yuan", "signed", "number"])
    grouped = frame.groupby("name", as_index=False).agg(
        yuan=("yuan", "sum"), signed=("signed", "sum"), facts=("number", "size"),
        numbers=("number", lambda found: tuple(sorted(set(found)))))
    grouped = grouped.sort_values(["yuan", "signed", "facts", "name"], ascending=[False, False, False, True])
    return [(row.name, float(row.yuan), int(row.signed), int(row.facts), row.numbers) for row in grouped.itertuples()]


def _signings_by_type(table, rules: CountingRules) -> dict[str, int]:
    """Counted signed items by :meth:`CountingRules.signing_type`; largest first, 其他 last."""
    tally: Counter[str] = Counter()
    for fact in _counted(table, "signing")["fact"]:
        tally[rules.signing_type(fact)] += int(fact.value)
    order = [name for name, _ in rules.signing_types]
    rank = {name: (name == OTHER_SIGNING_TYPE, -count, order.index(name) if name in order else len(order))
            for name, count in tally.items()}
    return {name: tally[name] for name in sorted(tally, key=rank.get)}


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


def _summary(article: Article, number: int, facts: list[Fact]) -> ArticleSummary:
    return ArticleSummary(
        number=number,
        id=article.id,
        title=article.title,
        published=article.published.date() if article.published else None,
        source=article.source,
        url=article.url,
        fact_count=len(facts),
        duplicate_of=article.duplicate_of,
        lead=lead_sentence(article),
        figure_count=sum(1 for fact in facts if fact.kind in FIGURE_KINDS),
    )


def lead_sentence(article: Article, limit: int = LEAD_CHARS) -> str:
    """The body's first sentence (to its 。！？ or line end), cut to ``limit`` characters with ….

    Lists a story without figures ("其他动态") by what it says, not only by its title.
    """
    first = _SENTENCE.match(article.text[article.body_start:].strip()).group().strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


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
        places=fact.places,
        orgs=fact.orgs,
    )
