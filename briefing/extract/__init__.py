"""Find the figures in an article: money, counts, percentages and dates (stage 2 of the pipeline).

``extract_facts(article)`` returns :class:`~briefing.models.Fact` objects in text order;
``parse_amount("超27亿元")`` reads one figure string. What counts as a fact, and every
convention for values, units, qualifiers and categories, is defined in the sample
corpus README (``inputs/`` + ``tests/data/gold.jsonl``).

Modules, in the order a text flows through them:

- :mod:`~briefing.extract.normalize`: fold traditional/full-width characters 1:1 and
  compact injected noise, keeping a way back to original offsets;
- :mod:`~briefing.extract.grammar`: the one compiled regex for every figure form;
- :mod:`~briefing.extract.numbers`: values of Arabic and Chinese numerals;
- :mod:`~briefing.extract.figures`: a match → kind, value, unit, qualifier;
- :mod:`~briefing.extract.lexicon`: categories from ``briefing/lexicons/categories.toml``;
- :mod:`~briefing.extract.tables`: table cells whose unit is in the column header;
- :mod:`~briefing.extract.entities`: places and organisations (gazetteer, lexicons,
  name grammar), for the article and for each fact's sentence;
- :mod:`~briefing.extract.facts`: all of it placed in an article.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "Amount": "figures", "parse_amount": "figures",
    "Lexicon": "lexicon", "load_lexicon": "lexicon",
    "Mention": "entities", "article_entities": "entities", "entities_summary": "entities", "find_entities": "entities",
    "extract_article": "facts", "extract_facts": "facts",
}  # fmt: skip
"""Public names and the module that defines each. They are loaded on first use (PEP 562), so a
build that only needs :mod:`~briefing.extract.normalize` does not compile the grammar and the
entity patterns."""

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # for type checkers and editors: the same names, re-exported
    from briefing.extract.entities import Mention as Mention
    from briefing.extract.entities import article_entities as article_entities
    from briefing.extract.entities import entities_summary as entities_summary
    from briefing.extract.entities import find_entities as find_entities
    from briefing.extract.facts import extract_article as extract_article
    from briefing.extract.facts import extract_facts as extract_facts
    from briefing.extract.figures import Amount as Amount
    from briefing.extract.figures import parse_amount as parse_amount
    from briefing.extract.lexicon import Lexicon as Lexicon
    from briefing.extract.lexicon import load_lexicon as load_lexicon


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
