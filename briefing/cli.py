"""The ``briefing`` command: a thin shell over the library.

Each command parses its options, calls one library function and prints. A
:class:`~briefing.errors.BriefingError` becomes a one-line message on stderr and
exit code 1; bad usage is exit code 2 (typer/click's own).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from briefing import __version__
from briefing.errors import BriefingError, InputError
from briefing.models import SkippedFile

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3

EXIT_CODES_HELP = """\b
Exit codes:
  0  built cleanly
  3  built, but some input files were skipped (each named on stderr)
  1  nothing built (an error; the message says why)
  2  bad command-line usage"""

EXTRACT_EXIT_CODES_HELP = """\b
Exit codes:
  0  every file read
  3  some files could not be read (each named on stderr)
  1  no file could be read
  2  bad command-line usage"""

app = typer.Typer(
    name="briefing",
    help="Turn a week of science-and-technology news into a Word and Markdown briefing (科技工作简报).\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Turn a week of science-and-technology news into a Word and Markdown briefing."""


def _check_week(value: Optional[str]) -> Optional[str]:
    """Reject a malformed --week as bad usage (exit 2) before any work is done."""
    from briefing.config import parse_week
    from briefing.errors import ConfigError

    if value is None:
        return None
    try:
        return parse_week(value)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None


CONFIG_OPTION = typer.Option(None, "--config", help="Settings file. (default: ./briefing.toml if present)")
DB_OPTION = typer.Option(None, "--db", help="The SQLite store of everything read. (default: briefing.db, or [store] path in briefing.toml)")


def _report_skip(entry: SkippedFile) -> None:
    typer.echo(f"skipped {entry.path}: {entry.reason}", err=True)


def _fail(exc: BriefingError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(EXIT_ERROR)


@app.command(epilog=EXIT_CODES_HELP)
def build(
    inputs: Optional[Path] = typer.Option(None, "--inputs", help="Folder of articles (.txt, .html, .docx). (default: inputs)"),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for the generated briefing. (default: outputs)"),
    week: Optional[str] = typer.Option(None, "--week", callback=_check_week, help="ISO week to report, e.g. 2020-W51. (default: latest week with articles)"),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Folder whose templates override the built-in ones."),
    config: Optional[Path] = CONFIG_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Build outputs/<week>/briefing-<week>.docx and .md from the articles in --inputs.

    Reads every file into the store (--db), extracts the figures, sums the chosen
    ISO week, draws the funding and signing charts and fills the Word and Markdown
    templates. Earlier weeks come from the store, so the week-over-week comparison
    works after their input files are gone. A file that cannot be read is named on
    stderr with the reason and listed in the report's appendix; the rest is built.
    """
    from briefing.config import load_settings
    from briefing.pipeline import build as build_briefing

    try:
        settings = load_settings(config, inputs=inputs, out=out, week=week, templates=templates, db=db)
        result = build_briefing(settings, on_skip=_report_skip)
    except BriefingError as exc:
        raise _fail(exc) from None
    report = result.report
    typer.echo(
        f"read {result.articles_read} articles, skipped {len(result.skipped)}; "
        f"{result.fact_count} facts in {report.week}; wrote {report.docx}, {report.markdown}"
    )
    raise typer.Exit(EXIT_OK if result.clean else EXIT_SKIPPED)


@app.command(epilog=EXTRACT_EXIT_CODES_HELP)
def ingest(
    paths: List[Path] = typer.Argument(..., help="Article files or folders (read recursively)."),
    config: Optional[Path] = CONFIG_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Read articles into the store without building a briefing.

    An unchanged file adds nothing; an edited file replaces its facts; a republished
    story is linked to the original. Prints what was added, replaced and skipped.
    """
    from briefing.config import load_settings
    from briefing.pipeline import ingest_paths
    from briefing.store import Store

    try:
        settings = load_settings(config, db=db)
        with Store.open(settings.db) as store, _progress(paths) as advance:
            run = store.start_run("ingest")
            summary = ingest_paths(store, paths, on_skip=_report_skip, on_file=advance)
            store.finish_run(run, files=summary.files, added=summary.added, replaced=summary.replaced,
                             unchanged=summary.unchanged, skipped=len(summary.skipped))
    except BriefingError as exc:
        raise _fail(exc) from None
    typer.echo(
        f"{summary.files} files: {summary.added} added, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged, {len(summary.skipped)} skipped; store {settings.db}"
    )
    if summary.files and summary.read == 0:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_SKIPPED if summary.skipped else EXIT_OK)


PROGRESS_FROM = 50
"""Files from which a progress bar is worth showing."""


@contextlib.contextmanager
def _progress(paths: List[Path]):
    """Yield a function to call per file; draws a progress bar on a terminal for long runs."""
    from briefing.ingest import input_files

    total = sum(len(input_files(p)) if p.is_dir() else 1 for p in paths)
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("reading articles", total=total)
        yield lambda: progress.advance(task)


@app.command()
def articles(
    week: Optional[str] = typer.Option(None, "--week", callback=_check_week, help="Only this ISO week, e.g. 2020-W51."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article per line."),
    config: Optional[Path] = CONFIG_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    """List the stored articles: id, date, figures, title, and which story a repost repeats."""
    from briefing.config import load_settings
    from briefing.store import Store

    try:
        settings = load_settings(config, db=db)
        with Store.open(settings.db) as store:
            stored = store.articles([week] if week else None)
            counts = store.fact_counts()
    except BriefingError as exc:
        raise _fail(exc) from None
    for article in sorted(stored, key=lambda a: (a.published or dt.datetime.min, a.id)):
        typer.echo(_stored_json(article, counts.get(article.id, 0)) if as_json else _stored_line(article, counts.get(article.id, 0)))


def _stored_json(article, fact_count: int) -> str:
    record = {
        "id": article.id,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source,
        "url": article.url or None,
        "path": article.path,
        "facts": fact_count,
        "duplicate_of": article.duplicate_of,
    }
    return json.dumps(record, ensure_ascii=False)


def _stored_line(article, fact_count: int) -> str:
    published = article.published.date().isoformat() if article.published else "无日期"
    repost = f"  (转载自 {article.duplicate_of})" if article.duplicate_of else ""
    return f"{article.iso_week or '-':<9} {published}  {fact_count:>3} 项  {article.id}  {article.title}{repost}"


@app.command(epilog=EXTRACT_EXIT_CODES_HELP)
def extract(
    files: List[Path] = typer.Argument(..., help="Article files (.txt, .html, .docx)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per article per line (the gold-file shape)."),
) -> None:
    """Print the figures found in each FILE: a readable table, or JSON lines with --json."""
    from briefing.extract import extract_article
    from briefing.ingest import read_article

    failures = 0
    for path in files:
        try:
            article = read_article(path)
        except InputError as exc:
            _report_skip(SkippedFile(exc.path, exc.reason))
            failures += 1
            continue
        facts, entities = extract_article(article)
        typer.echo(_article_json(article, facts, entities) if as_json else _article_table(article, facts, entities))
    if failures == len(files):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_SKIPPED if failures else EXIT_OK)


def _article_json(article, facts, entities: dict) -> str:
    published = article.published.date().isoformat() if article.published else None
    record = {
        "id": article.id,
        "title": article.title,
        "published": published,
        "facts": [f.as_json() for f in facts],
        "entities": entities,
    }
    return json.dumps(record, ensure_ascii=False)


def _article_table(article, facts, entities: dict) -> str:
    published = article.published.date().isoformat() if article.published else "无日期"
    lines = [f"{article.id}  {published}  {article.title}"]
    lines.append(f"  地区: {'、'.join(entities['places']) or '无'}")
    lines.append(f"  机构: {'、'.join(entities['orgs']) or '无'}")
    for fact in facts:
        value = fact.value if isinstance(fact.value, str) else f"{fact.value:,}"
        lines.append(f"  {fact.kind:<8}{fact.surface:<14}{value!s:>18} {fact.unit:<4}{fact.qualifier:<10}{fact.category}")
    if not facts:
        lines.append("  (no figures)")
    return "\n".join(lines)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
