"""The weekly build, top to bottom: ingest → extract → aggregate → charts → compose.

Each stage is a plain function of its own module; this one only wires them in
order (mkdocs ``build()`` style) and decides what counts as a failed build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from briefing import aggregate, ingest
from briefing.config import Settings
from briefing.errors import BriefingError
from briefing.files import staged_folder
from briefing.models import Article, Fact, Report, SkippedFile, WeekDigest

@dataclass(frozen=True)
class BuildResult:
    """What one build read and wrote; the CLI prints it and picks the exit code from it."""

    report: Report
    articles_read: int
    skipped: tuple[SkippedFile, ...]
    fact_count: int
    """Facts found in the reported week's articles."""

    @property
    def clean(self) -> bool:
        """True when every input file was used."""
        return not self.skipped


def extract_all(articles: tuple[Article, ...]) -> dict[str, list[Fact]]:
    """Facts of every article, keyed by article id."""
    from briefing.extract import extract_facts

    return {article.id: extract_facts(article) for article in articles}


def undated(articles: tuple[Article, ...]) -> tuple[SkippedFile, ...]:
    """Articles with no publish date cannot be placed in a week: report them, don't guess."""
    reason = "no publish date found (no 发布时间/发布日期 line, date meta tag or document date); it cannot be placed in a week"
    return tuple(SkippedFile(a.path, reason) for a in articles if a.published is None)


def choose_week(settings: Settings, articles: tuple[Article, ...]) -> str:
    """The week asked for, or the latest week that has articles; fail if it has none."""
    weeks = sorted({a.iso_week for a in articles if a.iso_week})
    if not weeks:
        raise BriefingError(f"no dated articles in {settings.inputs}: nothing to report. Add .txt, .html or .docx articles with a publish date.")
    week = settings.week or weeks[-1]
    if week not in weeks:
        raise BriefingError(f"no articles published in {week}; weeks with articles: {', '.join(weeks)}. Pick one with --week.")
    return week


def build(settings: Settings, on_skip: Callable[[SkippedFile], None] | None = None) -> BuildResult:
    """Build the briefing for one week and return what was written."""
    from briefing import compose

    read = ingest.read_folder(settings.inputs, on_skip=on_skip, exclude=settings.out)
    if not read.articles:
        raise BriefingError(f"no readable articles in {settings.inputs} ({len(read.skipped)} file(s) skipped): nothing built.")
    no_date = undated(read.articles)
    for entry in no_date:
        if on_skip:
            on_skip(entry)
    skipped = read.skipped + no_date
    facts = extract_all(read.articles)
    week = choose_week(settings, read.articles)
    digest = aggregate.digest_week(read.articles, facts, week, skipped)
    search_path = compose.template_search_path(settings.templates, Path(settings.workspace))
    templates = (compose.find_template(compose.DOCX_TEMPLATE, search_path), compose.find_template(compose.MARKDOWN_TEMPLATE, search_path))
    report = write_report(digest, templates, Path(settings.out) / week, settings.today)
    return BuildResult(report, len(read.articles) - len(no_date), skipped, len(digest.facts))


def write_report(digest: WeekDigest, templates: tuple[Path, Path], out_dir: Path, today: dt.date) -> Report:
    """Draw the charts and fill both templates; all files appear together or none do."""
    from briefing import charts, compose

    docx_template, markdown_template = templates
    names = {"docx": f"briefing-{digest.week}.docx", "markdown": f"briefing-{digest.week}.md"}
    try:
        with staged_folder(out_dir) as staging:
            chart_files = charts.render_charts(digest, staging)
            compose.write_docx(digest, chart_files, docx_template, staging / names["docx"], today=today)
            compose.write_markdown(digest, chart_files, markdown_template, staging / names["markdown"], today=today)
    except OSError as exc:
        raise BriefingError(
            f"cannot write the briefing to {out_dir}: {exc.strerror or exc}. Check that --out names a folder you can write to."
        ) from exc
    return Report(
        digest.week,
        str(out_dir / names["docx"]),
        str(out_dir / names["markdown"]),
        tuple(str(out_dir / path.name) for path in chart_files.values()),
    )
