"""Extraction quality and speed: P/R/F1 per fact kind and for entities against gold, then chars/s.

    python benchmarks/extract.py                       # tests/data/gold.jsonl + inputs/
    python benchmarks/extract.py GOLD.jsonl FOLDER -v  # another labelled set; -v lists misses

Facts are matched per article by (kind, surface, value) as a multiset; qualifier and
category accuracy are over matched facts; places and organisations are scored per article
with aliases accepted (see :mod:`briefing.evaluate`). Throughput is measured on one core,
after the lexicons are loaded, over >= 10 MB of article text (the articles repeated), for
what ``briefing extract --json`` does (facts and entities), and is the number DESIGN.md
budgets (>= 1,000,000 chars/s). It is CPU time (``time.process_time``), the median of
three runs, so that other work on a shared machine does not slow the figure down.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.evaluate import KINDS, Score, article_path, read_gold, score_corpus, score_entities  # noqa: E402
from briefing.extract import extract_article, extract_facts  # noqa: E402
from briefing.ingest import read_article  # noqa: E402

THROUGHPUT_CHARS = 10_000_000
RUNS = 3
"""Throughput runs; the median is reported (robust to one run disturbed by a neighbour)."""


def quality_table(scores: dict[str, Score]) -> str:
    """One row per kind and one for all: P, R, F1, gold count, qualifier and category accuracy."""
    lines = [f"{'kind':<8}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'found':>7}{'qual':>7}{'cat':>7}"]
    for kind in (*KINDS, "all"):
        s = scores[kind]
        gold = s.true_positives + s.false_negatives
        found = s.true_positives + s.false_positives
        lines.append(
            f"{kind:<8}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{gold:>6}{found:>7}"
            f"{s.qualifier_accuracy:>7.3f}{s.category_accuracy:>7.3f}"
        )
    return "\n".join(lines)


def entity_table(scores: dict[str, Score]) -> str:
    """P, R, F1 for places, organisations and both."""
    lines = [f"{'entities':<8}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'found':>7}"]
    for kind in ("places", "orgs", "all"):
        s = scores[kind]
        gold, found = s.true_positives + s.false_negatives, s.true_positives + s.false_positives
        lines.append(f"{kind:<8}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{gold:>6}{found:>7}")
    return "\n".join(lines)


def throughput(articles: list, minimum_chars: int = THROUGHPUT_CHARS, runs: int = RUNS) -> tuple[int, float, int]:
    """``(chars, CPU seconds, facts)`` for extracting ``articles`` repeated to ``minimum_chars``.

    CPU time, not wall time: on a shared machine the wall clock also counts other
    processes. The seconds are the median of ``runs`` runs.
    """
    size = sum(len(a.text) for a in articles)
    batch = articles * (minimum_chars // max(size, 1) + 1)
    for article in articles:  # warm caches: compiled patterns, lexicons
        extract_article(article)
    timings = []
    for _ in range(runs):
        started = time.process_time()
        facts = sum(len(extract_article(a)[0]) for a in batch)
        timings.append(time.process_time() - started)
    return size * len(batch) // len(articles), statistics.median(timings), facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=ROOT / "tests/data/gold.jsonl", type=Path)
    parser.add_argument("folder", nargs="?", default=ROOT / "inputs", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list missed, extra and mislabelled facts and entities")
    args = parser.parse_args(argv)

    gold = read_gold(args.gold)
    scores = score_corpus(gold, args.folder, extract_facts, read_article)
    print(f"{args.gold} ({len(gold)} articles, {args.folder})\n")
    print(quality_table(scores))
    if args.verbose and scores["all"].misses:
        print("\n" + "\n".join(scores["all"].misses))

    articles = [read_article(path) for record in gold if (path := article_path(args.folder, record["id"]))]
    if all("entities" in record for record in gold):
        predicted = {a.id: extract_article(a)[1] for a in articles}
        entity_scores = score_entities(predicted, {r["id"]: r["entities"] for r in gold})
        print("\n" + entity_table(entity_scores))
        if args.verbose and entity_scores["all"].misses:
            print("\n" + "\n".join(entity_scores["all"].misses))
    chars, seconds, facts = throughput(articles)
    print(f"\nthroughput: {chars:,} chars in {seconds:.2f} s = {chars / seconds:,.0f} chars/s, {facts / seconds:,.0f} facts/s "
          f"(one core, CPU time, median of {RUNS} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
