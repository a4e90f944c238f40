"""Scoring extracted facts and entities against a hand-labelled gold file (``tests/data/gold.jsonl`` shape).

Facts are matched per article by ``(kind, surface, value)`` as a multiset: the same
``8项`` twice in gold needs two predictions. Qualifier and category accuracy are measured
over the matched pairs only, so a missed fact is counted once (as a miss), not thrice.
Used by ``benchmarks/extract.py`` and by the quality gates in ``tests/test_extract.py``
and ``tests/test_entities.py``.

Entities (samples/README.md, "Matching"): per article, after NFKC and removing
whitespace, a predicted name matches a gold entity when it equals the canonical name or
one of the article's aliases for it; a place also matches when both sides are equal
after dropping one trailing 自治区 / 特别行政区 / 省 / 市 / 盟 / 旗 / 县 / 区
(呼和浩特 ~ 呼和浩特市). Each gold entity takes at most one prediction: 包头 and 包头市
together count one hit and one false positive. Scores are micro-averaged over articles.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from briefing.models import Article, Fact

KINDS = ("money", "count", "percent", "date")


@dataclass
class Score:
    """Counts for one kind (or all kinds); the ratios are properties."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    qualifier_right: int = 0
    category_right: int = 0
    category_total: int = 0
    misses: list[str] = field(default_factory=list)
    """Readable lines for what went wrong (for the benchmark's ``-v``)."""

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualifier_right / self.true_positives if self.true_positives else 1.0

    @property
    def category_accuracy(self) -> float:
        return self.category_right / self.category_total if self.category_total else 1.0

    def add(self, other: Score) -> None:
        for name in ("true_positives", "false_positives", "false_negatives", "qualifier_right", "category_right", "category_total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)


def _key(fact: dict) -> tuple:
    value = fact["value"]
    return fact["kind"], fact["surface"], round(float(value), 6) if isinstance(value, (int, float)) else value


def score_article(article_id: str, gold: list[dict], predicted: list[dict]) -> dict[str, Score]:
    """Scores per kind for one article; both lists hold facts in the gold-file shape, in text order."""
    scores = {kind: Score() for kind in KINDS}
    waiting: dict[tuple, list[dict]] = defaultdict(list)
    for fact in gold:
        waiting[_key(fact)].append(fact)
    for fact in predicted:
        score = scores[fact["kind"]]
        candidates = waiting.get(_key(fact))
        if not candidates:
            score.false_positives += 1
            score.misses.append(f"{article_id}  extra    {fact['kind']:<8}{fact['surface']}  {fact['value']}")
            continue
        wanted = candidates.pop(0)
        score.true_positives += 1
        score.qualifier_right += fact.get("qualifier", "") == wanted.get("qualifier", "")
        if wanted.get("category"):
            score.category_total += 1
            score.category_right += fact.get("category") == wanted["category"]
            if fact.get("category") != wanted["category"]:
                score.misses.append(f"{article_id}  category {fact['surface']}: {fact.get('category')} (gold {wanted['category']})")
        if fact.get("qualifier", "") != wanted.get("qualifier", ""):
            score.misses.append(f"{article_id}  qualifier {fact['surface']}: {fact.get('qualifier')!r} (gold {wanted.get('qualifier')!r})")
    for left in waiting.values():
        for fact in left:
            scores[fact["kind"]].false_negatives += 1
            scores[fact["kind"]].misses.append(f"{article_id}  missed   {fact['kind']:<8}{fact['surface']}  {fact['value']}")
    return scores


def read_gold(path: str | Path) -> list[dict]:
    """The records of a gold ``.jsonl`` file, one per article."""
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def article_path(folder: str | Path, article_id: str) -> Path | None:
    """The file in ``folder`` whose stem is ``article_id`` (any suffix), or ``None``."""
    return next(iter(sorted(Path(folder).glob(f"{article_id}.*"))), None)


def score_corpus(
    gold: Iterable[dict],
    folder: str | Path,
    extract: Callable[[Article], list[Fact]],
    read: Callable[[Path], Article],
) -> dict[str, Score]:
    """Scores per kind plus ``"all"`` for every gold article found in ``folder``."""
    totals = {kind: Score() for kind in (*KINDS, "all")}
    for record in gold:
        path = article_path(folder, record["id"])
        if path is None:
            raise FileNotFoundError(f"no article file for gold id {record['id']} in {folder}")
        predicted = [fact.as_json() for fact in extract(read(path))]
        for kind, score in score_article(record["id"], record["facts"], predicted).items():
            totals[kind].add(score)
            totals["all"].add(score)
    return totals


# ---------------------------------------------------------------- entities

_PLACE_SUFFIXES = ("特别行政区", "自治区", "省", "市", "盟", "旗", "县", "区")
ENTITY_KINDS = ("places", "orgs")


def _normal(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _without_suffix(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _forms(canonical: str, aliases: list[str], is_place: bool) -> set[str]:
    """Every string that counts as naming this gold entity."""
    forms = {_normal(canonical)} | {_normal(alias) for alias in aliases}
    if is_place:
        forms |= {_without_suffix(form) for form in forms}
    return forms


def _matches(predicted: str, forms: set[str], is_place: bool) -> bool:
    name = _normal(predicted)
    return name in forms or (is_place and _without_suffix(name) in forms)


def match_counts(
    predicted: list[str], gold: list[str], aliases: Mapping[str, list[str]], is_place: bool
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) for one article and one kind."""
    hits, extra, missed = match_entities(predicted, gold, aliases, is_place)
    return hits, len(extra), len(missed)


def match_entities(
    predicted: list[str], gold: list[str], aliases: Mapping[str, list[str]], is_place: bool
) -> tuple[int, list[str], list[str]]:
    """(true positives, the extra predicted names, the missed gold names) for one article and one kind."""
    gold_forms = [_forms(name, list(aliases.get(name, [])), is_place) for name in gold]
    taken = [False] * len(gold)
    hits, extra = 0, []
    for name in predicted:
        for index, forms in enumerate(gold_forms):
            if not taken[index] and _matches(name, forms, is_place):
                taken[index] = True
                hits += 1
                break
        else:
            extra.append(name)
    return hits, extra, [name for name, found in zip(gold, taken) if not found]


def score_entities(predicted: Mapping[str, dict], gold: Mapping[str, dict]) -> dict[str, Score]:
    """Micro-averaged scores of ``predicted`` against ``gold``, both keyed by article id with
    values in the gold shape ``{"places": [...], "orgs": [...], "aliases": {...}}``.

    Returns a :class:`Score` for ``"places"``, ``"orgs"`` and ``"all"``. An article
    missing from ``predicted`` counts as predicting nothing.
    """
    totals = {kind: Score() for kind in (*ENTITY_KINDS, "all")}
    for article_id, expected in gold.items():
        guess = predicted.get(article_id, {})
        for kind in ENTITY_KINDS:
            hits, extra, missed = match_entities(list(guess.get(kind, [])), list(expected.get(kind, [])),
                                                 expected.get("aliases", {}), is_place=kind == "places")
            misses = [f"{article_id}  missed   {kind[:-1]:<6}{name}" for name in missed]
            misses += [f"{article_id}  extra    {kind[:-1]:<6}{name}" for name in extra]
            score = Score(true_positives=hits, false_positives=len(extra), false_negatives=len(missed), misses=misses)
            totals[kind].add(score)
            totals["all"].add(score)
    return totals
