"""Fill the Word (docxtpl) and Markdown (Jinja2) templates with the briefing's context.

Both renderers use a sandboxed Jinja environment (templates are user-editable files)
with ``StrictUndefined``, and write through :func:`briefing.files.atomic_path`, so a
template error never leaves half a file. docxtpl and python-docx are imported inside
:func:`write_docx` only: they cost a noticeable part of the start-up budget.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from briefing.errors import TemplateError
from briefing.files import atomic_path, write_text_atomic
from briefing.models import WeekDigest

from .context import Masthead, build_context
from .format import FILTERS, MARKDOWN_FILTERS

CHART_WIDTH_CM = 15


def jinja_environment(*, autoescape: bool, loader: jinja2.BaseLoader | None = None,
                      filters: Mapping[str, Callable] = FILTERS) -> SandboxedEnvironment:
    """A sandboxed environment (templates are user files) with the shared filters.

    ``StrictUndefined`` turns a mistyped ``{{ name }}`` into an error that names it
    instead of a silent blank in a document sent to leaders.
    """
    env = SandboxedEnvironment(loader=loader, autoescape=autoescape, undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(filters)
    return env


def write_markdown(digest: WeekDigest, charts: Mapping[str, Path], template_path: Path,
                   out_path: Path, *, today: dt.date | None = None, masthead: Masthead | None = None) -> Path:
    """Render the Markdown briefing; charts are linked by their path relative to ``out_path``."""
    template_path, out_path = Path(template_path), Path(out_path)
    env = jinja_environment(autoescape=False, loader=jinja2.FileSystemLoader(str(template_path.parent)),
                            filters={**FILTERS, **MARKDOWN_FILTERS})
    context = build_context(digest, today=today, masthead=masthead)
    context.update({f"{name}_chart": _relative_link(path, out_path.parent) for name, path in charts.items()})
    try:
        text = env.get_template(template_path.name).render(context)
    except jinja2.TemplateError as exc:
        raise _template_error(template_path, exc, context) from exc
    return write_text_atomic(out_path, text)


def _relative_link(path: Path, folder: Path) -> str:
    """A chart's path as a Markdown link target relative to the .md file's folder."""
    relative = os.path.relpath(Path(path).resolve(), Path(folder).resolve())
    return quote(Path(relative).as_posix())


def write_docx(digest: WeekDigest, charts: Mapping[str, Path], template_path: Path,
               out_path: Path, *, today: dt.date | None = None, masthead: Masthead | None = None) -> Path:
    """Render the Word briefing from a docxtpl template; charts become inline images 15 cm wide.

    Autoescape is on so ``<`` or ``&`` in an article title cannot break Word's XML.
    """
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage

    template_path, out_path = Path(template_path), Path(out_path)
    template = _open_docx_template(template_path, DocxTemplate)
    context = build_context(digest, today=today, masthead=masthead)
    context.update({f"{name}_chart": InlineImage(template, str(path), width=Cm(CHART_WIDTH_CM))
                    for name, path in charts.items()})
    try:
        template.render(context, jinja_environment(autoescape=True), autoescape=True)
    except jinja2.TemplateError as exc:
        raise _template_error(template_path, exc, context) from exc
    _stamp_properties(template.docx.core_properties, context["title"] + " " + context["week_label"], today)
    with atomic_path(out_path) as tmp:
        template.save(tmp)
    return out_path


def _stamp_properties(properties, title: str, today: dt.date | None) -> None:
    """Give the briefing its own title and dates, not the template's (File > Properties in Word)."""
    stamp = dt.datetime.combine(today or dt.date.today(), dt.time())
    properties.title = title
    properties.created = properties.modified = stamp
    properties.revision = 1


def _open_docx_template(template_path: Path, docx_template_class):
    """Load a Word template, or say why it is not one."""
    from docx.opc.exceptions import PackageNotFoundError

    if not template_path.is_file():
        raise TemplateError(f"{template_path}: Word template not found.")
    template = docx_template_class(str(template_path))
    try:
        template.init_docx()
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise TemplateError(f"{template_path}: not a readable Word .docx file ({exc}). "
                            f"Save it from Word as .docx, or delete it to use the built-in template.") from exc
    return template


def _template_error(template_path: Path, exc: jinja2.TemplateError, context: Mapping) -> TemplateError:
    """A Jinja failure as a message naming the template, where in it, the problem and the fix."""
    where = str(template_path)
    line = _template_line(template_path, exc)
    if line:
        where += f", line {line}"
    near = _docx_text_near(template_path, exc)
    if near:
        where += f", in the text “{near}”"
    problem = (exc.message or type(exc).__name__).rstrip(".")
    fix = "Fix this tag in the template"
    if isinstance(exc, jinja2.UndefinedError):
        fix += "; names a template can use: " + ", ".join(sorted(context))
    return TemplateError(f"{where}: {problem}. {fix}.")


def _template_line(template_path: Path, exc: jinja2.TemplateError) -> int | None:
    """The template line the error is on, for a text template (docx XML lines mean nothing to users)."""
    if template_path.suffix == ".docx":
        return None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        return exc.lineno
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if Path(frame.filename).name == template_path.name]
    return frames[-1].lineno if frames else None


def _docx_text_near(template_path: Path, exc: jinja2.TemplateError) -> str:
    """The Word text around the failing tag, so staff can find it with Ctrl+F.

    docxtpl attaches the text around a syntax error; for an undefined name the
    template's paragraphs are searched for the name instead.
    """
    if template_path.suffix != ".docx":
        return ""
    context_lines = [part.strip() for part in getattr(exc, "docx_context", []) if part.strip()]
    if context_lines:
        return " ".join(context_lines)[:200]
    name = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
    if not name:
        return ""
    return _docx_paragraph_containing(template_path, name[1] or name[2])


def _docx_paragraph_containing(template_path: Path, word: str) -> str:
    """The first paragraph or table cell text of the template that mentions ``word``."""
    from docx import Document

    document = Document(str(template_path))
    cells = (cell for table in document.tables for row in table.rows for cell in row.cells)
    texts = [p.text for p in document.paragraphs] + [cell.text for cell in cells]
    return next((text.strip()[:200] for text in texts if word in text), "")
