"""Categories of money and count facts, decided by keyword lists office staff can edit.

The lists and the decision rule live in ``briefing/lexicons/categories.toml`` (its header
comment is the rule's documentation); this module loads them once and applies them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from briefing.errors import ConfigError
from briefing.extract.normalize import fold


class Neighbourhood(NamedTuple):
    """Where a figure stands in the folded text: its own span, its clause and its sentence."""

    text: str
    start: int
    unit_start: int
    """Start of the measure word (counts) or the figure's end (everything else)."""
    end: int
    clause_start: int
    clause_end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True)
class Category:
    """One ``[categories.NAME]`` table of the lexicon file."""

    name: str
    kinds: tuple[str, ...]
    keywords: tuple[str, ...]
    kind_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Keywords for one kind only (``money_keywords``: 给予/奖励 make an amount a policy rule)."""
    context_keywords: tuple[str, ...] = ()
    sentence_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per kind: words anywhere in the sentence that decide when nothing nearer did."""
    outranks: tuple[str, ...] = ()
    sentence_outranks: tuple[str, ...] = ()
    """Categories this one replaces when one of its :attr:`sentence_outrank_keywords` stands
    anywhere in the sentence (签约项目中，…的项目6个: the projects of a signing are signed projects)."""
    sentence_outrank_keywords: tuple[str, ...] = ()
    count_units: frozenset[str] = frozenset()
    """When not empty, the only measure words a count of this category can have."""
    condition_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per kind: words after a figure in its clause that make it the condition of a rule (``…的``)."""
    condition_openers: tuple[str, ...] = ()
    """Words opening a clause that states a condition (``对…的``)."""
    count_after_keywords: tuple[str, ...] = ()
    """Nouns that name what is counted only when they follow the count (``12个盟市``); before it
    they are the breakdown (``分盟市看，呼和浩特市287家``), not the thing."""
    unit_fixed_overrides: tuple[str, ...] = ()
    """Words in a count's clause before it that decide this category even for a measure word of
    ``unit_fixed`` (``带动就业4200余人``: jobs, not people; ``较去年提升3120位``: a rank)."""


class _Keyword(NamedTuple):
    """What a keyword found near a figure means, looked up once per keyword found."""

    category: str
    rank: int
    needs_context: bool
    """A context keyword: it counts only when the sentence has one of the category's own keywords."""
    count_units: frozenset[str]
    """The category's :attr:`Category.count_units` (empty for money tables: any unit fits)."""


@dataclass
class _KindTable:
    """Keyword search for one fact kind: one regex, and what each keyword means."""

    pattern: re.Pattern
    keywords: dict[str, _Keyword]
    own_keywords: dict[str, re.Pattern] = field(default_factory=dict)
    after_only: frozenset[str] = frozenset()
    """Keywords that count only after the figure (:attr:`Category.count_after_keywords`)."""


class Lexicon:
    """Keyword lists per category and the rule that picks one (see the TOML file's header)."""

    def __init__(self, categories: list[Category], priority: list[str], unit_fixed: dict, unit_default: dict,
                 after_reach: int = 12):  # fmt: skip
        self.categories = {c.name: c for c in categories}
        self.rank = {name: i for i, name in enumerate(priority + [c.name for c in categories if c.name not in priority])}
        self.unit_fixed = dict(unit_fixed)
        self.unit_default = dict(unit_default)
        self.after_reach = after_reach
        self._tables = {kind: self._kind_table(kind) for kind in ("money", "count")}
        self._sentence_rules = {kind: self._sentence_rules_for(kind) for kind in ("money", "count")}
        self._condition_rules = {kind: self._condition_rules_for(kind) for kind in ("money", "count")}
        # per category, the categories that outrank it (most have none)
        self._outranked_by = {name: {c.name for c in categories if name in c.outranks} for name in self.categories}
        self._unit_override_category = {word: c.name for c in categories for word in c.unit_fixed_overrides}
        self._unit_overrides = _words_pattern(self._unit_override_category)
        self._sentence_outranked_by = {
            name: [(c.name, _words_pattern(c.sentence_outrank_keywords)) for c in categories if name in c.sentence_outranks]
            for name in self.categories
        }

    def _kind_table(self, kind: str) -> _KindTable:
        category_of, needs_context, own, after_only = {}, set(), {}, set()
        # lowest priority first, so a word listed under two categories belongs to the higher one
        for category in sorted(self.categories.values(), key=lambda c: self.rank[c.name], reverse=True):
            if kind not in category.kinds:
                continue
            plain = category.keywords + category.kind_keywords.get(kind, ())
            after = category.count_after_keywords if kind == "count" else ()
            for word in plain + category.context_keywords + after:
                category_of[word] = category.name
            after_only.update(after)
            needs_context.update(category.context_keywords)
            if category.context_keywords and plain:
                own[category.name] = _words_pattern(plain)
        keywords = {
            word: _Keyword(name, self.rank[name], word in needs_context,
                           self.categories[name].count_units if kind == "count" else frozenset())
            for word, name in category_of.items()
        }  # fmt: skip
        return _KindTable(_words_pattern(category_of), keywords, own, frozenset(after_only))

    def _sentence_rules_for(self, kind: str) -> list[tuple[str, re.Pattern]]:
        ordered = sorted(self.categories.values(), key=lambda c: self.rank[c.name])
        return [(c.name, _words_pattern(c.sentence_keywords[kind])) for c in ordered if c.sentence_keywords.get(kind)]

    def _condition_rules_for(self, kind: str) -> list[tuple[str, tuple[str, ...], re.Pattern, re.Pattern]]:
        ordered = sorted(self.categories.values(), key=lambda c: self.rank[c.name])
        return [
            (c.name, c.condition_openers, _words_pattern(c.condition_keywords[kind]), _words_pattern(c.sentence_keywords[kind]))
            for c in ordered if c.condition_openers and c.condition_keywords.get(kind) and c.sentence_keywords.get(kind)
        ]

    @staticmethod
    def _is_condition(where: Neighbourhood, after: re.Pattern, sentence_words: re.Pattern) -> bool:
        """Whether the figure, in a clause opened by a condition word, is the condition of a rule:
        对…500万元以上…的, in a sentence that gives."""
        return (
            after.search(where.text, where.end, where.clause_end) is not None
            and sentence_words.search(where.text, where.sentence_start, where.sentence_end) is not None
        )

    def categorize(self, kind: str, unit: str, where: Neighbourhood) -> str:
        """The category of a ``money`` or ``count`` figure standing at ``where``."""
        if kind == "count" and unit in self.unit_fixed:
            override = self._unit_overrides.search(where.text, where.clause_start, where.start)
            return self._unit_override_category[override.group()] if override else self.unit_fixed[unit]
        for name, openers, after, sentence_words in self._condition_rules[kind]:
            if where.text.startswith(openers, where.clause_start, where.start) and self._is_condition(where, after, sentence_words):
                return name
        table = self._tables[kind]
        after_end = min(where.clause_end, where.end + self.after_reach)
        if kind == "count":
            found = self._nearest(table, unit, where, where.unit_start, after_end, after=True)
            found = found or self._nearest(table, unit, where, where.clause_start, where.start)
        else:
            found = self._nearest(table, unit, where, where.clause_start, where.start)
            found = found or self._nearest(table, unit, where, where.unit_start, after_end, after=True)
        if found := found or self._nearest(table, unit, where, where.sentence_start, where.clause_start):
            for name, keywords in self._sentence_outranked_by[found]:
                if keywords.search(where.text, where.sentence_start, where.sentence_end):
                    return name
            return found
        for name, pattern in self._sentence_rules[kind]:
            if pattern.search(where.text, where.sentence_start, where.sentence_end):
                return name
        if where.sentence_start and (kind == "money" or unit not in self.unit_default):
            # a sentence without a keyword continues its paragraph's topic (a ；-joined one, its period's);
            # not a count whose measure word says what it counts (新增3000户, 举办5场)
            text, end = where.text, where.sentence_start
            low = max(0, end - 400)
            stops = ("\n", "。", "!", "?") if text[end - 1] == ";" else ("\n",)
            earlier = max(text.rfind(stop, low, end) for stop in stops) + 1
            if found := self._nearest(table, unit, where, earlier or low, end):
                return found
        return self.unit_default.get(unit, "other") if kind == "count" else "other"

    def categorize_label(self, kind: str, label: str, unit: str = "", context: str = "") -> str:
        """The category of a table column from its header (``支持资金`` → funding), else ``context``.

        ``context`` (the table's caption) is read like the earlier part of the header's sentence.
        """
        text = fold(f"{context}\n{label}" if context else label)
        end, label_start = len(text), len(text) - len(label)
        return self.categorize(kind, unit, Neighbourhood(text, end, end, end, label_start, end, 0, end))

    def _nearest(self, table: _KindTable, unit: str, where: Neighbourhood, start: int, end: int, after: bool = False) -> str | None:
        """Category of the keyword nearest the figure in ``[start, end)`` (``after`` it or before), after ``outranks``."""
        if start >= end:
            return None
        nearest: tuple[int, int, str] | None = None
        present: set[str] = set()
        for match in table.pattern.finditer(where.text, start, end):
            if not after and match.group() in table.after_only:
                continue
            category, rank, needs_context, count_units = table.keywords[match.group()]
            if count_units and unit not in count_units:
                continue
            if needs_context and not self._has_own_keyword(table, category, where):
                continue
            candidate = (match.start() - where.unit_start if after else where.start - match.end(), rank, category)
            if nearest is None or candidate < nearest:
                nearest = candidate
            present.add(category)
        if nearest is None:
            return None
        outranking = self._outranked_by[nearest[2]]
        return next((c for c in present if c in outranking), nearest[2]) if outranking else nearest[2]

    def _has_own_keyword(self, table: _KindTable, category: str, where: Neighbourhood) -> bool:
        pattern = table.own_keywords.get(category)
        return bool(pattern and pattern.search(where.text, where.sentence_start, where.sentence_end))


def _words_pattern(words) -> re.Pattern:
    """One regex matching any of ``words``, longest first (``建设资金`` before ``资金``)."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)) or r"(?!x)x")


def parse_lexicon(data: dict, where: str = "lexicon") -> Lexicon:
    """Build a :class:`Lexicon` from the parsed TOML of a lexicon file."""
    tables = data.get("categories", {})
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{where}: no [categories.NAME] tables found; see briefing/lexicons/categories.toml")
    categories = [
        Category(
            name=name,
            kinds=tuple(table.get("kinds", ("money", "count"))),
            keywords=tuple(fold(w) for w in table.get("keywords", ())),
            kind_keywords={kind: tuple(fold(w) for w in table.get(f"{kind}_keywords", ())) for kind in ("money", "count")},
            context_keywords=tuple(fold(w) for w in table.get("context_keywords", ())),
            sentence_keywords={kind: tuple(fold(w) for w in table.get(f"{kind}_sentence_keywords", ())) for kind in ("money", "count")},
            outranks=tuple(table.get("outranks", ())),
            sentence_outranks=tuple(table.get("sentence_outranks", ())),
            sentence_outrank_keywords=tuple(fold(w) for w in table.get("sentence_outrank_keywords", ())),
            count_after_keywords=tuple(fold(w) for w in table.get("count_after_keywords", ())),
            unit_fixed_overrides=tuple(fold(w) for w in table.get("unit_fixed_overrides", ())),
            count_units=frozenset(fold(u) for u in table.get("count_units", ())),
            condition_openers=tuple(fold(w) for w in table.get("condition_openers", ())),
            condition_keywords={kind: tuple(fold(w) for w in table.get(f"{kind}_condition_keywords", ())) for kind in ("money", "count")},
        )
        for name, table in tables.items()
    ]
    return Lexicon(categories, list(data.get("priority", [])), data.get("unit_fixed", {}),
                   data.get("unit_default", {}), int(data.get("after_reach", 12)))  # fmt: skip


def merge_lexicons(base: dict, extra: dict) -> dict:
    """``base`` with ``extra``'s keywords appended and its scalar settings and unit tables applied."""
    merged = {**base, **{k: v for k, v in extra.items() if k not in ("categories", "unit_fixed", "unit_default")}}
    for table in ("unit_fixed", "unit_default"):
        merged[table] = {**base.get(table, {}), **extra.get(table, {})}
    categories = {name: dict(table) for name, table in base.get("categories", {}).items()}
    for name, table in extra.get("categories", {}).items():
        current = categories.setdefault(name, {})
        for key, value in table.items():
            current[key] = list(current.get(key, [])) + [v for v in value if v not in current.get(key, [])] if isinstance(value, list) and key != "kinds" else value
    merged["categories"] = categories
    return merged


def _read_toml(path: Path | str, text: str | None = None) -> dict:
    try:
        return tomllib.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the lexicon file {path} ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the line it names") from exc


@lru_cache(maxsize=None)
def _default_data() -> dict:
    text = resources.files("briefing").joinpath("lexicons/categories.toml").read_text(encoding="utf-8")
    return _read_toml("briefing/lexicons/categories.toml", text)


@lru_cache(maxsize=8)
def load_lexicon(extra: str | Path | None = None) -> Lexicon:
    """The shipped lexicon, plus the keyword file ``extra`` when given (loaded once per path)."""
    data = _default_data()
    if extra is not None:
        data = merge_lexicons(data, _read_toml(extra))
    return parse_lexicon(data, str(extra or "briefing/lexicons/categories.toml"))
