"""The weekly build, top to bottom: ingest → extract → store → aggregate → charts → compose.

Each stage is a plain function of its own module; this one only wires them in
order (mkdocs ``build()`` style) and decides what counts as a failed build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from briefing import aggregate, ingest
from briefing.config import Settings
from briefing.errors import BriefingError
from briefing.files import staged_folder
from briefing.models import Article, Fact, Report, SkippedFile, WeekDigest
from briefing.store import Store, content_hash

if TYPE_CHECKING:
    from briefing.charts import ChartWorker


@dataclass(frozen=True)
class BuildResult:
    """What one build read and wrote; the CLI prints it and picks the exit code from it."""

    report: Report
    articles_read: int
    """Input files read as articles in this run (new, changed or already stored)."""
    skipped: tuple[SkippedFile, ...]
    fact_count: int
    """Facts found in the reported week's articles."""

    @property
    def clean(self) -> bool:
        """True when every input file was used."""
        return not self.skipped


UNDATED_REASON = "no publish date found (no 发布时间/发布日期 line, date meta tag or document date); it cannot be placed in a week"
STORE_BATCH = 50
"""Articles written per transaction: few commits, a short write lock, a small loss if interrupted."""
TREND_WEEKS = 8
"""Weeks before the reported one that a build reads from the store (comparison, retold figures)."""


@dataclass(frozen=True)
class IngestSummary:
    """What reading a set of files into the store did."""

    files: int
    added: int
    replaced: int
    unchanged: int
    skipped: tuple[SkippedFile, ...]

    @property
    def read(self) -> int:
        """Articles read and stored (new, changed or unchanged)."""
        return self.added + self.replaced + self.unchanged


def extract_all(articles: Iterable[Article]) -> dict[str, list[Fact]]:
    """Facts of every article, keyed by article id."""
    from briefing.extract import extract_facts

    return {article.id: extract_facts(article) for article in articles}


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    on_skip: Callable[[SkippedFile], None] | None = None,
    exclude: str | Path | None = None,
    on_file: Callable[[], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every file under ``paths``, one at a time.

    A file stored with the same stamp (size, times, inode: :func:`briefing.ingest.file_stamp`) is
    not read again; a file
    whose content is unchanged (same hash) is not extracted again; an article without a
    publish date is reported, not stored (it has no week).
    """
    counts = {"added": 0, "replaced": 0, "unchanged": 0}
    skipped: list[SkippedFile] = []
    batch: list[tuple[Article, list[Fact]]] = []
    stamps: dict[str, str] = {}

    def write_batch() -> None:
        if not batch:
            return
        stories = {article.id: aggregate.story_names(article) for article, _ in batch}
        for stored in store.add_many(batch, stories, stamps):
            counts[stored.status] += 1
        batch.clear()
        stamps.clear()

    for item in ingest.read_files(paths, exclude, unchanged=store.file_unchanged, stamps=stamps):
        if on_file:
            on_file()
        if isinstance(item, ingest.UnchangedFile):
            counts["unchanged"] += 1
            continue
        if isinstance(item, Article) and item.published is None:
            item = SkippedFile(item.path, UNDATED_REASON)
        if isinstance(item, SkippedFile):
            skipped.append(item)
            if on_skip:
                on_skip(item)
        elif store.known_hash(item.id) == content_hash(item):
            counts["unchanged"] += 1  # touched, not changed: read as it is now, not again next time
            story = None if store.stories([item.id]) else aggregate.story_names(item)  # stored before names were kept
            store.record_stamp(item.id, item.path, stamps.pop(item.path, None), story)
        else:
            from briefing.extract import extract_facts  # the grammar is compiled only when a file needs it

            batch.append((item, extract_facts(item)))
            if len(batch) == STORE_BATCH:
                write_batch()
    write_batch()
    return IngestSummary(sum(counts.values()) + len(skipped), counts["added"], counts["replaced"], counts["unchanged"], tuple(skipped))


def choose_week(settings: Settings, weeks: list[str]) -> str:
    """The week asked for, or the latest stored week; fail if there is none."""
    if not weeks:
        raise BriefingError(
            f"no dated articles in {settings.inputs} or in the store {settings.db}: nothing built. "
            "Add .txt, .html or .docx articles with a publish date."
        )
    week = settings.week or weeks[-1]
    if week not in weeks:
        raise BriefingError(f"no articles published in {week}; weeks with articles: {', '.join(weeks)}. Pick one with --week.")
    return week


def weeks_up_to(week: str, count: int = TREND_WEEKS) -> list[str]:
    """``week`` and the ``count`` ISO weeks before it."""
    weeks = [week]
    for _ in range(count):
        weeks.append(aggregate.previous_week(weeks[-1]))
    return weeks


def build(settings: Settings, on_skip: Callable[[SkippedFile], None] | None = None,
          chart_worker: ChartWorker | None = None) -> BuildResult:
    """Read the inputs into the store, then build the briefing for one week from the store.

    ``chart_worker`` (a :class:`briefing.charts.ChartWorker` the caller started as early as
    it could) loads matplotlib in a second process while this one reads and aggregates.
    """
    from briefing import compose

    ingest.input_files(settings.inputs)  # a missing inputs folder is an error, not a skipped file
    if settings.pdf:
        compose.office_program()  # no LibreOffice: say how to install it before any work is done
    with Store.open(settings.db) as store:
        run = store.start_run("build")
        summary = ingest_paths(store, [settings.inputs], on_skip, exclude=settings.out)
        week = choose_week(settings, store.weeks())
        articles = store.articles(weeks_up_to(week))
        ids = [a.id for a in articles]
        digest = aggregate.digest_week(articles, store.facts(ids), week, summary.skipped, store.stories(ids))
        search_path = compose.template_search_path(settings.templates, Path(settings.workspace))
        templates = (compose.find_template(compose.DOCX_TEMPLATE, search_path), compose.find_template(compose.MARKDOWN_TEMPLATE, search_path))
        masthead = _masthead(settings, store, week)
        report = write_report(digest, templates, Path(settings.out) / week, settings.today, masthead, pdf=settings.pdf,
                              chart_worker=chart_worker)
        store.finish_run(run, files=summary.files, added=summary.added, replaced=summary.replaced,
                         unchanged=summary.unchanged, skipped=len(summary.skipped), week=week)
    return BuildResult(report, summary.read, summary.skipped, len(digest.facts))


def _masthead(settings: Settings, store: Store, week: str):
    """第N期, 总第N期 and the issue date from the store (kept per week, ``--issue`` wins) and ``[report]``."""
    from briefing.compose import Masthead

    report = settings.report
    issue = store.issue(week, settings.today, settings.issue)
    cumulative = issue.cumulative if report.cumulative else None
    return Masthead(report.title, report.unit, issue.number, cumulative, report.report_to, report.copy_to, issue.issued_on)


def write_report(digest: WeekDigest, templates: tuple[Path, Path], out_dir: Path, today: dt.date,
                 masthead=None, *, pdf: bool = False, chart_worker: ChartWorker | None = None) -> Report:
    """Draw the charts, fill both templates (and convert to PDF); all files appear together or none do."""
    from briefing import charts, compose

    docx_template, markdown_template = templates
    names = {"docx": f"briefing-{digest.week}.docx", "markdown": f"briefing-{digest.week}.md",
             "pdf": f"briefing-{digest.week}.pdf"}
    owned = [*names.values(), *(charts.chart_file_name(name, digest.week) for name in charts.CHART_NAMES)]
    try:
        with staged_folder(out_dir, owned) as staging:
            chart_files = chart_worker.render(digest, staging) if chart_worker else charts.render_charts(digest, staging)
            compose.write_docx(digest, chart_files, docx_template, staging / names["docx"], today=today, masthead=masthead)
            compose.write_markdown(digest, chart_files, markdown_template, staging / names["markdown"], today=today,
                                   masthead=masthead)
            if pdf:
                compose.write_pdf(staging / names["docx"], staging / names["pdf"])
    except OSError as exc:
        raise BriefingError(
            f"cannot write the briefing to {out_dir}: {exc.strerror or exc}. Check that --out names a folder you can write to."
        ) from exc
    return Report(
        digest.week,
        str(out_dir / names["docx"]),
        str(out_dir / names["markdown"]),
        tuple(str(out_dir / path.name) for path in chart_files.values()),
        str(out_dir / names["pdf"]) if pdf else None,
    )
