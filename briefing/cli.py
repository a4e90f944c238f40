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
EXIT_UNSENT = 4

EXIT_CODES_HELP = """\b
Exit codes:
  0  built cleanly
  3  built, but some input files were skipped (each named on stderr)
  4  built, but with --send some mail was not sent (see briefing send)
  1  nothing built (an error; the message says why)
  2  bad command-line usage"""

SEND_EXIT_CODES_HELP = """\b
Exit codes:
  0  sent to everyone (or already sent before), or, with no SMTP
     server configured, written to outputs/outbox/
  4  some mail not sent: each recipient named on stderr with the
     reason; the message stays in outputs/outbox/ for them
  1  nothing sent (an error; the message says why)
  2  bad command-line usage (such as a malformed address)"""

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
DB_OPTION = typer.Option(None, "--db", help="The SQLite store of everything read. (default: briefing.db, or \\[store] path in briefing.toml)")


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
    issue: Optional[int] = typer.Option(None, "--issue", min=1, help="Print this 第N期 instead of the number the store keeps for the week (kept for later rebuilds)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also write briefing-<week>.pdf through LibreOffice (must be installed)."),
    send: bool = typer.Option(False, "--send", help="Then e-mail the briefing to the \\[mail] recipients, as `briefing send` does."),
) -> None:
    """Build outputs/<week>/briefing-<week>.docx and .md from the articles in --inputs.

    Reads every file into the store (--db), extracts the figures, sums the chosen
    ISO week, draws the funding and signing charts and fills the Word and Markdown
    templates. Earlier weeks come from the store, so the week-over-week comparison
    works after their input files are gone. A file that cannot be read is named on
    stderr with the reason and listed in the report's appendix; the rest is built.
    """
    from briefing.charts import ChartWorker

    with ChartWorker() as chart_worker:  # first: it loads matplotlib while this process does the rest
        from briefing.config import load_settings
        from briefing.pipeline import build as build_briefing

        try:
            settings = load_settings(config, inputs=inputs, out=out, week=week, templates=templates, db=db,
                                     issue=issue, pdf=pdf or None)
            sender = _mail_sender(settings) if send else None  # a wrong [mail] setting stops us before the build
            result = build_briefing(settings, on_skip=_report_skip, chart_worker=chart_worker)
        except BriefingError as exc:
            raise _fail(exc) from None
    report = result.report
    typer.echo(
        f"read {result.articles_read} articles, skipped {len(result.skipped)}; "
        f"{result.fact_count} facts in {report.week}; wrote {report.docx}, {report.markdown}"
        + (f", {report.pdf}" if report.pdf else "")
    )
    unsent = send and _send(settings, report.week, sender=sender, after_build=True) == EXIT_UNSENT
    raise typer.Exit(EXIT_UNSENT if unsent else EXIT_OK if result.clean else EXIT_SKIPPED)


def _check_addresses(values: Optional[List[str]]) -> Optional[List[str]]:
    """Reject a malformed --to/--cc/--bcc as bad usage (exit 2) before anything is composed or sent."""
    from briefing.config import parse_addresses

    try:
        parse_addresses(values or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return values or None


ADDRESS_HELP = "Replaces \\[mail] {key} in briefing.toml; repeat it or separate addresses by commas; '' for none."


@app.command(epilog=SEND_EXIT_CODES_HELP)
def send(
    week: Optional[str] = typer.Option(None, "--week", callback=_check_week, help="ISO week to send, e.g. 2020-W51. (default: latest built week)"),
    to: Optional[List[str]] = typer.Option(None, "--to", callback=_check_addresses, help="报送: " + ADDRESS_HELP.format(key="to")),
    cc: Optional[List[str]] = typer.Option(None, "--cc", callback=_check_addresses, help="抄送: " + ADDRESS_HELP.format(key="cc")),
    bcc: Optional[List[str]] = typer.Option(None, "--bcc", callback=_check_addresses, help="Blind copies: " + ADDRESS_HELP.format(key="bcc")),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent and to whom; write and send nothing."),
    force: bool = typer.Option(False, "--force", help="Send again to recipients who already received this briefing."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder the briefing was built into. (default: outputs)"),
    config: Optional[Path] = CONFIG_OPTION,
    db: Optional[Path] = DB_OPTION,
) -> None:
    r"""E-mail a built briefing: HTML body with the charts, plain-text alternative, .docx (and .pdf) attached.

    Recipients and server come from \[mail] in briefing.toml; the password only from
    the BRIEFING_SMTP_PASSWORD environment variable or the system keyring. With no
    \[mail] host the message is written to outputs/outbox/ as the exact .eml that
    would be sent, and nothing is sent. With a host it is sent, and the store
    remembers who received which briefing: a second run sends nothing unless the
    briefing changed or --force is given. Mail that could not be sent stays in
    outputs/outbox/ and each recipient is named with the reason.
    """
    from briefing.config import load_settings, with_recipients

    try:
        settings = with_recipients(load_settings(config, out=out, week=week, db=db), to=to, cc=cc, bcc=bcc)
        sender = None if dry_run else _mail_sender(settings)
    except BriefingError as exc:
        raise _fail(exc) from None
    raise typer.Exit(_send(settings, settings.week, sender=sender, force=force, dry_run=dry_run))


def _mail_sender(settings):
    """Check the [mail] settings and find the password now, so a mistake stops the command before any work."""
    from briefing import mail

    mail.check_mail(settings.mail)
    return mail.smtp_sender(settings.mail)


def _send(settings, week: Optional[str], *, sender=None, force: bool = False, dry_run: bool = False,
          after_build: bool = False) -> int:
    """Send the week's briefing, print what happened, and return the exit code.

    After ``build --send`` the briefing exists whatever happens here, so a failure to
    send is "built, not sent" (exit 4), not "nothing built" (exit 1).
    """
    from briefing.mail import send_week

    try:
        result = send_week(settings, week, force=force, dry_run=dry_run, sender=sender)
    except BriefingError as exc:
        if not after_build:
            raise _fail(exc) from None
        typer.echo(f"error: the briefing was built but not sent: {exc}", err=True)
        return EXIT_UNSENT
    return _report_send(result)


def _report_send(result) -> int:
    """Print what a send did, and each recipient not served on stderr; return the exit code."""
    message = result.message
    what = f"“{message.subject}” ({', '.join(message.attachments)})"
    already = ", ".join(f"{recipient} ({when.replace('T', ' ')})" for recipient, when in result.already.items())
    if not result.pending and not result.dry_run:
        typer.echo(f"nothing sent: {what} was already sent to {already}; --force sends it again")
        return EXIT_OK
    if already:
        typer.echo(f"already sent to {already}: not sent again (--force sends it again)")
    if result.dry_run:
        route = f"via {result.via}" if result.via else "into the outbox (no [mail] host, so nothing would be sent)"
        typer.echo(f"dry run, nothing written or sent: would send {what} to {', '.join(result.pending) or 'nobody'} {route}")
    elif not result.via:
        typer.echo(f"no SMTP server configured ([mail] host in briefing.toml), so nothing was sent: "
                   f"wrote {result.outbox_file} for {', '.join(result.pending)}")
    elif result.sent:
        typer.echo(f"sent {what} to {', '.join(result.sent)} via {result.via}; copy in {result.outbox_file}")
    for recipient, reason in result.failed.items():
        typer.echo(f"not sent to {recipient}: {reason}", err=True)
    if result.failed:
        typer.echo(f"the unsent message stays in {result.outbox_file} (its .json names who is left); "
                   f"fix the cause and run `briefing send --week {message.week}` again", err=True)
        return EXIT_UNSENT
    return EXIT_OK


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
    """Yield a function to call per file; draws a progress bar on stderr when it is a terminal and the run is long.

    stdout keeps only the summary line, so a script reading it never sees the bar.
    """
    from briefing.ingest import input_files

    if not sys.stderr.isatty():
        yield lambda: None
        return
    total = sum(len(input_files(p)) if p.is_dir() else 1 for p in paths)
    if total < PROGRESS_FROM:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
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


# ---------------------------------------------------------------- briefing templates ...

templates_app = typer.Typer(help="Copy, list and check the Word and Markdown templates.", no_args_is_help=True)
app.add_typer(templates_app, name="templates")

TEMPLATES_OPTION = typer.Option(None, "--templates", help="Templates folder. (default: [build] templates in briefing.toml, else ./templates)")
CHECK_EXIT_CODES_HELP = """\b
Exit codes:
  0  no problems found
  1  problems found (one per line), or a template is missing
  2  bad command-line usage (such as an unknown template name)"""


def _template_settings(config: Optional[Path], templates: Optional[Path]):
    """Settings for the templates commands; --templates and briefing.toml as for `briefing build`."""
    from briefing.config import load_settings

    try:
        return load_settings(config, templates=templates)
    except BriefingError as exc:
        raise _fail(exc) from None


@templates_app.command("init")
def templates_init(
    force: bool = typer.Option(False, "--force", help="Overwrite templates that are already there."),
    templates: Optional[Path] = TEMPLATES_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
) -> None:
    """Copy the built-in templates into ./templates (or --templates DIR) to edit them.

    A build then uses them instead of the built-in ones. A template already there
    is kept (it may hold your edits) unless --force is given.
    """
    from briefing.compose.templates import init_templates

    settings = _template_settings(config, templates)
    try:
        copied, kept = init_templates(settings.templates or Path(settings.workspace) / "templates", force=force)
    except BriefingError as exc:
        raise _fail(exc) from None
    for path in copied:
        typer.echo(f"copied {path}")
    for path in kept:
        typer.echo(f"kept {path}: it is already there (briefing templates init --force overwrites it with the built-in one)")


@templates_app.command("list")
def templates_list(templates: Optional[Path] = TEMPLATES_OPTION, config: Optional[Path] = CONFIG_OPTION) -> None:
    """Show the file a build uses for each template, and the folders searched (first found wins)."""
    from briefing.compose import templates as found

    settings = _template_settings(config, templates)
    search = found.labelled_search_path(settings.templates, Path(settings.workspace))
    typer.echo("folders searched, first found wins:")
    for number, (label, folder) in enumerate(search, start=1):
        typer.echo(f"  {number}. {folder}  ({label}{'' if folder.is_dir() else ', not there'})")
    labels = {folder: label for label, folder in search}
    resolved = found.resolve_templates([folder for _, folder in search])
    for name, path in resolved.items():
        typer.echo(f"{name}  {path}  ({labels[path.parent]})" if path else f"{name}  not found in any folder above")
    raise typer.Exit(EXIT_OK if all(resolved.values()) else EXIT_ERROR)


@templates_app.command("check", epilog=CHECK_EXIT_CODES_HELP)
def templates_check(
    name: Optional[str] = typer.Argument(None, help="A template name (briefing.docx, briefing.md.j2) or a template file. (default: every template)"),
    templates: Optional[Path] = TEMPLATES_OPTION,
    config: Optional[Path] = CONFIG_OPTION,
) -> None:
    """Check the templates a build would use, by rendering them with a small sample week.

    Prints each problem on its own line with where it is: the line of a .md.j2, the
    paragraph or table-cell text of a .docx. Reports Jinja syntax errors, names and
    fields the briefing does not have, required names left out, and Word tags split
    into pieces (retype such a tag in one go).
    """
    from briefing.compose.check import check_template

    settings = _template_settings(config, templates)
    try:
        paths = _templates_to_check(name, settings)
    except BriefingError as exc:
        raise _fail(exc) from None
    problems = [problem for path in paths for problem in check_template(path)]
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{len(problems)} problem(s) in {', '.join(map(str, paths))}" if problems else
               f"no problems in {', '.join(map(str, paths))}")
    raise typer.Exit(EXIT_ERROR if problems else EXIT_OK)


def _templates_to_check(name: Optional[str], settings) -> List[Path]:
    """The files named on the command line, or that a build would use, along the search path."""
    from briefing.compose.templates import TEMPLATE_NAMES, find_template, template_search_path

    if name and name not in TEMPLATE_NAMES:
        if Path(name).is_file():
            return [Path(name)]
        raise typer.BadParameter(f"{name!r} is neither a template name ({', '.join(TEMPLATE_NAMES)}) nor a file.",
                                 param_hint="NAME")
    search = template_search_path(settings.templates, Path(settings.workspace))
    return [find_template(each, search) for each in ([name] if name else TEMPLATE_NAMES)]


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
