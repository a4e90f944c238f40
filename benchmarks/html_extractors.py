"""Compare HTML article extractors on the sample pages and tests/data/html.

Runs briefing's own reader (``ingest.read_html`` → ``html.parse_page``, plus the
metadata-line lifting ``read_article`` does) and, when installed, trafilatura,
readability-lxml and GNE on the same decoded text, and scores each against
``tests/data/html/expected.json``:

- body P/R/F1: character level, whitespace removed, matched characters from
  ``difflib.SequenceMatcher`` (tables flattened to their cell texts);
- exact: pages whose body paragraphs equal the expectation exactly;
- leaks: chrome strings (ICP/phone numbers, sidebar headlines, editor lines...)
  found in the body, summed over pages, and pages with any leak;
- title / date / datetime / source / url: pages where the field is exactly right
  ("date" compares the day only, "datetime" the clock time too);
- ms/page: mean wall time per page, decoding included, after one warm-up run.

The other extractors are for this comparison only, not dependencies::

    /work/.venv/bin/pip install trafilatura readability-lxml gne
    /work/.venv/bin/python benchmarks/html_extractors.py [-v]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import html, ingest  # noqa: E402

EXPECTED = ROOT / "tests" / "data" / "html" / "expected.json"
_SPACE = re.compile(r"\s+")
_ISO_T = re.compile(r"(\d)[T-](\d{1,2}:\d\d)")


def load_pages() -> list[dict]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["pages"]


def decoded(path: Path) -> str:
    raw = path.read_bytes()
    return ingest.decode_bytes(raw, path, html.declared_charset(raw))[0]


def to_datetime(value) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return ingest.parse_datetime(_ISO_T.sub(r"\1 \2", str(value)))


def lines(text: str | None) -> list[str]:
    return [ingest.clean_line(line) for line in (text or "").split("\n") if ingest.clean_line(line)]


# ---------------------------------------------------------------- extractors


def ours(path: Path) -> dict:
    parts = ingest._lift_metadata_lines(ingest.read_html(path))
    return dict(title=parts.title, body=parts.paragraphs, published=parts.published, source=parts.source, url=parts.url)


def trafilatura_default(path: Path, **options) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(
        decoded(path),
        include_tables=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M:%S"},
        **options,
    )
    if doc is None:
        return dict(title="", body=[], published=None, source="", url="")
    get = doc.get if isinstance(doc, dict) else lambda key: getattr(doc, key, None)
    return dict(title=get("title") or "", body=lines(get("text")), published=to_datetime(get("date")), source=get("sitename") or "", url=get("url") or "")


def trafilatura_precision(path: Path) -> dict:
    return trafilatura_default(path, favor_precision=True)


def readability(path: Path) -> dict:
    import lxml.html
    from readability import Document

    doc = Document(decoded(path))
    summary = lxml.html.fromstring(doc.summary(html_partial=True))
    for element in summary.iter():
        if element.tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "td", "section"):
            element.tail = "\n" + (element.tail or "")
    return dict(title=doc.short_title(), body=lines(summary.text_content()), published=None, source="", url="")


def gne(path: Path) -> dict:
    from gne import GeneralNewsExtractor

    result = GeneralNewsExtractor().extract(decoded(path))
    return dict(title=result.get("title") or "", body=lines(result.get("content")), published=to_datetime(result.get("publish_time")), source=result.get("author") or "", url="")


EXTRACTORS = {
    "briefing.html": ours,
    "trafilatura": trafilatura_default,
    "trafilatura(precision)": trafilatura_precision,
    "readability-lxml": readability,
    "gne": gne,
}


# ---------------------------------------------------------------- scoring


def flat(blocks) -> str:
    out = []
    for block in blocks:
        out.append(" ".join(" ".join(row) for row in block) if isinstance(block, list) else block)
    return _SPACE.sub("", "".join(out))


def score(page: dict, got: dict) -> dict:
    want, have = flat(page["body"]), flat(got["body"])
    matched = sum(b.size for b in difflib.SequenceMatcher(None, want, have, autojunk=False).get_matching_blocks())
    expected_when = dt.datetime.fromisoformat(page["published"]) if page["published"] else None
    leaks = [c for c in page["chrome"] if _SPACE.sub("", c) in have]
    return dict(
        matched=matched,
        want=len(want),
        have=len(have),
        exact=got["body"] == page["body"],
        leaks=leaks,
        title=got["title"] == page["title"],
        date=bool(got["published"] and expected_when and got["published"].date() == expected_when.date()),
        datetime=got["published"] == expected_when,
        source=got["source"] == page["source"],
        url=got["url"] == page["url"],
    )


def run(verbose: bool = False) -> None:
    pages = load_pages()
    header = f"{'extractor':24} {'P':>6} {'R':>6} {'F1':>6} {'exact':>6} {'leaks':>9} {'title':>6} {'date':>6} {'dtime':>6} {'source':>6} {'url':>6} {'ms/page':>8}"
    print(f"{len(pages)} pages: {', '.join(Path(p['path']).stem for p in pages)}\n")
    print(header)
    print("-" * len(header))
    for name, extractor in EXTRACTORS.items():
        results, elapsed, failures = [], 0.0, []
        for page in pages:
            path = ROOT / page["path"]
            try:
                extractor(path)  # warm-up (imports, model loading)
                start = time.perf_counter()
                got = extractor(path)
                elapsed += time.perf_counter() - start
            except ImportError:
                results = None
                break
            except Exception as exc:  # noqa: BLE001 - a failure is a result
                failures.append(f"{Path(page['path']).stem}: {exc.__class__.__name__}: {exc}")
                got = dict(title="", body=[], published=None, source="", url="")
            results.append((page, score(page, got)))
            if verbose:
                s = results[-1][1]
                print(f"  {name:22} {Path(page['path']).stem:38} R={s['matched'] / max(s['want'], 1):.2f} P={s['matched'] / max(s['have'], 1):.2f} "
                      f"title={s['title']:d} dt={s['datetime']:d} src={s['source']:d} url={s['url']:d} leaks={s['leaks']}")
        if results is None:
            print(f"{name:24} (not installed)")
            continue
        n = len(results)
        matched = sum(s["matched"] for _, s in results)
        precision = matched / max(sum(s["have"] for _, s in results), 1)
        recall = matched / max(sum(s["want"] for _, s in results), 1)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        leaks = sum(len(s["leaks"]) for _, s in results)
        leaky_pages = sum(bool(s["leaks"]) for _, s in results)
        count = lambda key: f"{sum(s[key] for _, s in results)}/{n}"  # noqa: E731
        print(
            f"{name:24} {precision:6.3f} {recall:6.3f} {f1:6.3f} {count('exact'):>6} {f'{leaks} ({leaky_pages}p)':>9} "
            f"{count('title'):>6} {count('date'):>6} {count('datetime'):>6} {count('source'):>6} {count('url'):>6} {1000 * elapsed / n:8.1f}"
        )
        for failure in failures:
            print(f"    failed: {failure}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print per-page scores")
    run(parser.parse_args().verbose)
