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
from typing import Sequence

from briefing.extract.chrome import chrome_spans, inside
from briefing.extract.entities import Mention, entities_summary, find_entities, sentence_entities
from briefing.extract.figures import Reading, english_amounts, read_match
from briefing.extract.grammar import FIGURE
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

_CHROME_LINE = re.compile(r"\((?:来源|稿源|责任编辑|编辑|作者)[:][^\n]*\)[ \t]*$", re.M)
"""A （来源：…） line of page chrome, when only indentation stands before its bracket."""
_INDENT = " \t\u3000"
_QUOTED = re.compile(
    r"《[^《》\n]{1,40}》"  # titles of documents
    r"|“(?P<curly>[^“”\n]*)”|「(?P<corner>[^「」\n]*)」|『(?P<white>[^『』\n]*)』|‘(?P<single>[^‘’\n]*)’"
    r"|\"(?P<ascii>[^\"\n]*)\""  # quotes are matched whole so ASCII "…" pairs stay paired
)
"""Document titles and quotations: their figures are names or slogans when the quote is short.

Both patterns start with a literal character, so ``re`` skips straight to candidates; a
chrome line is found from its bracket, not from the start of every line."""
SLOGAN_LENGTH = 12
"""A quotation this short (“两个稀土基地”, 「4+8+N」) is a name; a longer one is quoted speech."""
_CLAUSE_MARKS = re.compile(r"[,。;]")


def _not_fact_spans(text: str) -> list[tuple[int, int]]:
    """Chrome lines, document titles and short quotations, sorted and not overlapping."""
    lines = []
    for match in _CHROME_LINE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not text[line_start : match.start()].strip(_INDENT):
            lines.append((line_start, match.end()))
    spans = list(lines)
    for match in _QUOTED.finditer(text):
        if lines and inside(lines, *match.span()):
            continue  # a quotation within a chrome line: the line is dropped whole
        quoted = match.lastgroup and match.group(match.lastgroup)
        if quoted is None or (len(quoted) <= SLOGAN_LENGTH and not _CLAUSE_MARKS.search(quoted)):
            spans.append(match.span())
    return sorted(spans)


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
    return _facts(article, lexicon, normalize(article.text), mentions)


def _facts(
    article: Article, lexicon: Lexicon | str | PathLike | None, normalized: Normalized, mentions: Sequence[Mention] | None
) -> list[Fact]:
    if not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    found = _find_figures(normalized.text)
    if not found and not article.cells:
        return []
    if mentions is None:
        mentions = find_entities(article.text)
    in_sentence = _SentenceEntities(mentions)
    years = _date_years(found, article)
    placer = _Placer(article, normalized, lexicon, in_sentence)
    facts = [placer.fact(reading, years.get(reading.start)) for reading in found]
    if not article.cells:
        return facts
    cells = [_with_entities(c, article.text, in_sentence) for c in _clear_of(table_facts(article, lexicon), facts)]
    return sorted(facts + cells, key=lambda f: f.start)


def extract_article(article: Article, lexicon: Lexicon | str | PathLike | None = None) -> tuple[list[Fact], dict]:
    """The article's facts and its entities in the gold shape (what ``extract --json`` prints).

    Places and organisations are found once and serve both the article-level list
    and each fact's own sentence; the text is normalised once, and tells the entity scan
    whether there are injected symbols to read through.
    """
    normalized = normalize(article.text)
    mentions = find_entities(article.text, symbols=normalized.compacted)
    return _facts(article, lexicon, normalized, mentions), entities_summary(mentions)


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


def _find_figures(text: str) -> list[Reading]:
    """Grammar matches that are facts, outside chrome, slogans and document titles."""
    found = [reading for match in FIGURE.finditer(text) if (reading := read_match(match)) is not None]
    if english := english_amounts(text):
        found = sorted(found + _clear_of(english, found), key=lambda r: r.start)
    if found and (quoted := _not_fact_spans(text)):
        found = _outside(found, quoted)
    if found and (chrome := chrome_spans(text)):
        found = _outside(found, chrome)
    return found


def _clear_of(items, taken) -> list:
    """The ``items`` (facts or readings) that overlap none of ``taken``."""
    return [item for item in items if not any(other.start < item.end and item.start < other.end for other in taken)]


def _outside(found: list[Reading], spans: list[tuple[int, int]]) -> list[Reading]:
    starts = [start for start, _ in spans]
    kept = []
    for reading in found:
        i = bisect_right(starts, reading.start) - 1
        if i < 0 or spans[i][1] < reading.end:
            kept.append(reading)
    return kept


def _date_years(found: list[Reading], article: Article) -> dict[int, int | None]:
    """Year for each date without one: the publish year, else the nearest year in the text.

    Per the corpus conventions the publish date wins even when an earlier sentence names
    another year; the text's own dates are used only for undated articles (nearest
    preceding dated date, else the first one after); otherwise ``None`` (→ ``XXXX``).
    """
    dates = [reading for reading in found if reading.kind == "date"]
    if article.published is not None:
        return {date.start: article.published.year for date in dates}
    first_stated = next((date.value.year for date in dates if date.value.year), None)
    years, latest = {}, first_stated
    for date in dates:
        latest = date.value.year or latest
        years[date.start] = latest
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
        self.clause_ends = [match.start() for match in _CLAUSE_END.finditer(text)]
        self.sentence_ends = [end for end in self.clause_ends if text[end] in SENTENCE_ENDS]
        self.sentences: dict[tuple[int, int], tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def fact(self, reading: Reading, year: int | None) -> Fact:
        """The :class:`Fact` of one grammar match, ``year`` filling a date written without one."""
        article = self.article
        sentence_start, sentence_end = self.sentence_span(reading)
        value, category = reading.value, ""
        if reading.kind in ("money", "count"):
            where = self.neighbourhood(reading, sentence_start, sentence_end)
            category = self.lexicon.categorize(reading.kind, reading.unit, where)
        elif reading.kind == "date":
            value = reading.value.iso(year)
        start, end = self.normalized.original_span(reading.start, reading.end)
        sentence, places, orgs = self.sentence(sentence_start, max(sentence_end, sentence_start + 1))
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

    def sentence_span(self, reading: Reading) -> tuple[int, int]:
        """The figure's sentence: boundaries at most :data:`LOOK_AROUND` away."""
        text, start, end = self.normalized.text, reading.start, reading.end
        high = min(len(text), end + LOOK_AROUND)
        sentence_start, sentence_end = _around(self.sentence_ends, start, end, max(0, start - LOOK_AROUND), high)
        if sentence_end < high and text[sentence_end] != "\n":
            sentence_end += 1  # the full stop belongs to its sentence, a line break does not
        return sentence_start, sentence_end

    def neighbourhood(self, reading: Reading, sentence_start: int, sentence_end: int) -> Neighbourhood:
        """The figure's clause within its sentence, for :meth:`Lexicon.categorize`."""
        text, start, end = self.normalized.text, reading.start, reading.end
        clause_start, clause_end = _around(self.clause_ends, start, end, sentence_start, min(len(text), end + LOOK_AROUND))
        return Neighbourhood(text, start, reading.unit_start, end, clause_start, clause_end, sentence_start, sentence_end)


_CLAUSE_END = re.compile(f"[{re.escape(CLAUSE_ENDS)}]")


def _around(ends: list[int], start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """The boundaries around ``[start, end)`` among the sorted ``ends``: just past the last one
    in ``[low, start)`` (``low`` when none) and the first one in ``[end, high)`` (``high`` when none)."""
    i = bisect_left(ends, start)
    before = ends[i - 1] + 1 if i and ends[i - 1] >= low else low
    j = bisect_left(ends, end, i)
    return before, ends[j] if j < len(ends) and ends[j] < high else high
