"""``Article`` → ``list[Fact]``: run the grammar once, drop non-facts, place each figure.

Placing a figure means: its original offsets (through :class:`Normalized`), its sentence,
its category (:class:`~briefing.extract.lexicon.Lexicon`), for dates the year, and the
places and organisations its sentence names (:mod:`~briefing.extract.entities`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from os import PathLike
from typing import NamedTuple, Sequence

from briefing.extract.chrome import chrome_spans
from briefing.extract.entities import Mention, entities_summary, find_entities, sentence_entities
from briefing.extract.figures import CalendarDate, Reading, read_match
from briefing.extract.grammar import find_figures
from briefing.extract.lexicon import Lexicon, Neighbourhood, load_lexicon
from briefing.extract.normalize import Normalized, normalize
from briefing.extract.tables import table_facts
from briefing.models import Article, Fact

SENTENCE_ENDS = "。!?;\n"
"""Sentence boundaries in folded text (！？； are folded to !?;)."""
CLAUSE_ENDS = SENTENCE_ENDS + ",、:\t"
"""Clause boundaries: the window in which a category keyword is looked for."""
LOOK_AROUND = 400
"""How far a sentence boundary is searched for either side; keeps huge unpunctuated texts linear."""

_NOT_FACTS = re.compile(
    r"^[ \t\u3000]*\((?:来源|稿源|责任编辑|编辑|作者)[:][^\n]*\)[ \t]*$"  # （来源：…）: page chrome
    r"|《[^《》\n]{1,40}》"  # titles of documents
    r"|“(?P<curly>[^“”\n]*)”|「(?P<corner>[^「」\n]*)」|『(?P<white>[^『』\n]*)』|‘(?P<single>[^‘’\n]*)’"
    r"|\"(?P<ascii>[^\"\n]*)\"",  # quotes are matched whole so ASCII "…" pairs stay paired
    re.M,
)
"""Spans whose figures are chrome, document titles or (short quotes) slogans and names."""
SLOGAN_LENGTH = 12
"""A quotation this short (“两个稀土基地”, 「4+8+N」) is a name; a longer one is quoted speech."""
_CLAUSE_MARKS = re.compile(r"[,。;]")


def _not_fact_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _NOT_FACTS.finditer(text):
        quoted = match.lastgroup and match.group(match.lastgroup)
        if quoted is None or (len(quoted) <= SLOGAN_LENGTH and not _CLAUSE_MARKS.search(quoted)):
            spans.append(match.span())
    return spans


class _Found(NamedTuple):
    start: int
    end: int
    reading: Reading


def extract_facts(
    article: Article,
    lexicon: Lexicon | str | PathLike | None = None,
    mentions: Sequence[Mention] | None = None,
) -> list[Fact]:
    """Every fact in ``article``, in text order (samples/README.md defines a fact).

    ``lexicon`` defaults to the shipped category lists; a path names an extra keyword
    file added to them (:func:`~briefing.extract.lexicon.load_lexicon`). ``mentions``
    are the article's places and organisations when the caller already found them
    (:func:`~briefing.extract.entities.find_entities`); each fact carries those of
    its own sentence.
    """
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    normalized = normalize(article.text)
    found = _find_figures(normalized.text)
    if not found and not article.cells:
        return []
    if mentions is None:
        mentions = find_entities(article.text)
    in_sentence = _SentenceEntities(mentions)
    years = _date_years(found, article)
    placer = _Placer(article, normalized, lexicon, in_sentence)
    facts = [placer.fact(item, years.get(item.start)) for item in found]
    if not article.cells:
        return facts
    cells = [
        _with_entities(c, article.text, in_sentence)
        for c in table_facts(article, lexicon)
        if not any(f.start < c.end and c.start < f.end for f in facts)
    ]
    return sorted(facts + cells, key=lambda f: f.start)


def extract_article(article: Article, lexicon: Lexicon | str | PathLike | None = None) -> tuple[list[Fact], dict]:
    """The article's facts and its entities in the gold shape (what ``extract --json`` prints).

    Places and organisations are found once and serve both the article-level list
    and each fact's own sentence.
    """
    mentions = find_entities(article.text)
    return extract_facts(article, lexicon, mentions), entities_summary(mentions)


class _SentenceEntities:
    """The places and organisations within a span, found by bisection over mention starts."""

    def __init__(self, mentions: Sequence[Mention]):
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def __call__(self, start: int, end: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if not self.mentions:
            return (), ()
        low = bisect_left(self.starts, start)
        high = bisect_left(self.starts, end, low)
        if low == high:
            return (), ()
        places, orgs = sentence_entities(self.mentions[low:high], start, end)
        return tuple(places), tuple(orgs)


def _with_entities(fact: Fact, text: str, in_sentence: _SentenceEntities) -> Fact:
    """``fact`` (a table cell) with the places and organisations named in its sentence."""
    sentence_start = text.find(fact.sentence, max(0, fact.end - len(fact.sentence)))
    if sentence_start < 0:
        sentence_start = fact.start
    places, orgs = in_sentence(sentence_start, sentence_start + len(fact.sentence))
    return replace(fact, places=places, orgs=orgs)


def _find_figures(text: str) -> list[_Found]:
    """Grammar matches that are facts, outside chrome, slogans and document titles."""
    found = []
    for match in find_figures(text):
        reading = read_match(match)
        if reading is not None:
            found.append(_Found(match.start(), match.end(), reading))
    if found and any(c in text for c in "“「『‘\"《("):
        found = _outside(found, _not_fact_spans(text))
    if found and (chrome := chrome_spans(text)):
        found = _outside(found, chrome)
    return found


def _outside(found: list[_Found], spans: list[tuple[int, int]]) -> list[_Found]:
    starts = [start for start, _ in spans]
    kept = []
    for item in found:
        i = bisect_right(starts, item.start) - 1
        if i < 0 or spans[i][1] < item.end:
            kept.append(item)
    return kept


def _date_years(found: list[_Found], article: Article) -> dict[int, int | None]:
    """Year for each date without one: the publish year, else the nearest year in the text.

    Per the corpus conventions the publish date wins even when an earlier sentence names
    another year; the text's own dates are used only for undated articles (nearest
    preceding dated date, else the first one after); otherwise ``None`` (→ ``XXXX``).
    """
    dates = [item for item in found if item.reading.kind == "date"]
    if article.published is not None:
        return {item.start: article.published.year for item in dates}
    first_stated = next((item.reading.value.year for item in dates if item.reading.value.year), None)
    years, latest = {}, first_stated
    for item in dates:
        latest = item.reading.value.year or latest
        years[item.start] = latest
    return years


class _Placer:
    """Places one article's figures: what it needs is computed once per article, not per figure.

    Sentence and clause boundaries are found in one pass over the folded text and looked
    up by bisection; a sentence's original span, text and entities are worked out once
    and shared by every figure in it (news sentences often hold several).
    """

    def __init__(self, article: Article, normalized: Normalized, lexicon: Lexicon, in_sentence: _SentenceEntities):
        self.article, self.normalized, self.lexicon, self.in_sentence = article, normalized, lexicon, in_sentence
        text = normalized.text
        self.sentence_ends = [match.start() for match in _SENTENCE_END.finditer(text)]
        self.clause_ends = [match.start() for match in _CLAUSE_END.finditer(text)]
        self.sentences: dict[tuple[int, int], tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def fact(self, item: _Found, year: int | None) -> Fact:
        """The :class:`Fact` of one grammar match, ``year`` filling a date written without one."""
        reading, article = item.reading, self.article
        where = self.neighbourhood(item)
        value = reading.value.iso(year) if isinstance(reading.value, CalendarDate) else reading.value
        category = self.lexicon.categorize(reading.kind, reading.unit, where) if reading.kind in ("money", "count") else ""
        start, end = self.normalized.original_span(item.start, item.end)
        sentence, places, orgs = self.sentence(where.sentence_start, max(where.sentence_end, where.sentence_start + 1))
        return Fact(
            article_id=article.id,
            kind=reading.kind,
            surface=article.text[start:end],
            value=value,
            unit=reading.unit,
            qualifier=reading.qualifier,
            category=category,
            sentence=sentence,
            start=start,
            end=end,
            places=places,
            orgs=orgs,
        )

    def sentence(self, start: int, end: int) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """The original text of the folded span ``[start, end)`` and the places and organisations in it."""
        key = (start, end)
        if key not in self.sentences:
            original_start, original_end = self.normalized.original_span(start, end)
            places, orgs = self.in_sentence(original_start, original_end)
            self.sentences[key] = (self.article.text[original_start:original_end].strip(), places, orgs)
        return self.sentences[key]

    def neighbourhood(self, item: _Found) -> Neighbourhood:
        """The figure's clause and sentence: boundaries at most :data:`LOOK_AROUND` away."""
        text, start, end = self.normalized.text, item.start, item.end
        sentence_start = _after_last(self.sentence_ends, max(0, start - LOOK_AROUND), start)
        clause_start = _after_last(self.clause_ends, sentence_start, start)
        high = min(len(text), end + LOOK_AROUND)
        sentence_end = _first_at_or_after(self.sentence_ends, end, high)
        if sentence_end < high and text[sentence_end] != "\n":
            sentence_end += 1  # the full stop belongs to its sentence, a line break does not
        clause_end = _first_at_or_after(self.clause_ends, end, high)
        return Neighbourhood(text, start, start + item.reading.unit_offset, end, clause_start, clause_end, sentence_start, sentence_end)


_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_ENDS)}]")


def _after_last(ends: list[int], low: int, position: int) -> int:
    """Offset just past the last of the sorted ``ends`` in ``[low, position)`` (``low`` when none)."""
    i = bisect_left(ends, position) - 1
    return ends[i] + 1 if i >= 0 and ends[i] >= low else low


def _first_at_or_after(ends: list[int], position: int, high: int) -> int:
    """The first of the sorted ``ends`` in ``[position, high)`` (``high`` when none)."""
    i = bisect_left(ends, position)
    return ends[i] if i < len(ends) and ends[i] < high else high
