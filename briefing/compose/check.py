"""Check a template before a build: what would go wrong, and where staff can find it.

Templates are edited by office staff in Word or a text editor, and a build is the
worst moment to learn that a tag is mistyped. :func:`check_template` reports, each
with where it is (a line of a ``.md.j2``; the paragraph or table-cell text of a
``.docx``, which Word can find with Ctrl+F):

- Jinja syntax errors;
- names the template uses that the context lacks, including fields of loop items
  (``row.amount_x``), found on the sample week of :mod:`.sample`;
- :data:`REQUIRED_VARIABLES` the template no longer shows;
- Word tags split across runs (Word does this when a tag is edited; docxtpl glues
  some back together, with the first piece's formatting, and fails on others);
- anything else that fails when the template is rendered with the sample week.

Word templates are read as docxtpl prepares them for Jinja (``patch_xml``), one
paragraph per line, so a Jinja line number leads back to a paragraph's text.
"""

from __future__ import annotations

import difflib
import html
import re
import tempfile
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from briefing.errors import TemplateError

from .format import FILTERS, MARKDOWN_FILTERS

REQUIRED_VARIABLES: dict[str, str] = {
    "week_label": "the week the briefing covers",
    "summary": "the headline summary",
    "facts": "the figures table, which lets a reader trace every figure",
}
"""Names every briefing must show; a template that drops one is reported. Listed in docs/templates.md.

The masthead name (``title``) is not among them: typing the name into the Word template
instead of ``{{ title }}`` is an ordinary edit, not a mistake."""

DOCS = "docs/templates.md"
TEXT_LIMIT = 80
"""Longest paragraph text quoted in a message, in characters."""
SYNTAX_FIX = ("Retype the tag: each {{ needs its }} and each {% its %}; "
              "each {% if %}/{% for %} needs its {% endif %}/{% endfor %}.")
RENDER_FIX = f"Check the filters there: yuan, yi, wan, pct and count take numbers (row.yuan, not row.amount); see {DOCS}."
SCOPES = (nodes.Macro, nodes.CallBlock, nodes.With, nodes.FilterBlock)
"""Blocks whose own names (arguments, ``with`` names) do not outlive them."""
UNKNOWN = object()
"""A template value the sample cannot tell (a ``{% set %}`` result, a macro argument): not checked."""
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_LINE_STARTS = re.compile(r"(?=<w:(?:p|tr|tbl)[ >])|(?<=</w:p>)|(?<=</w:tr>)")
_XML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Problem:
    """One thing to fix in a template, printed as one line."""

    template: Path
    where: str
    """``line 12``, ``paragraph “…”``, ``table cell “…”``; ``""`` for the whole template."""
    message: str

    def __str__(self) -> str:
        return f"{self.template}: {self.where}: {self.message}" if self.where else f"{self.template}: {self.message}"


@dataclass(frozen=True)
class _Source:
    """A template's Jinja text (a .md.j2, or one part of a .docx) and how to name a line of it."""

    text: str
    part: str = ""
    """``""`` for a text template or a document's body, ``header``/``footer`` for those parts."""
    docx: bool = False

    def where(self, lineno: int | None) -> str:
        """``line N`` in a text template; in Word, the text of the paragraph on that line."""
        if not self.docx:
            return f"line {lineno}" if lineno else ""
        lines = self.text.split("\n")
        index = min(max((lineno or 1) - 1, 0), len(lines) - 1)
        if "<w:p" not in lines[index]:  # docxtpl left only the tag of a {%p ...%} paragraph or {%tr ...%} row
            return f"{self.part} {{%p/{{%tr tag “{_xml_text(lines[index]).strip(' {}%')}”".strip()
        before = "\n".join(lines[:index])
        in_cell = len(re.findall(r"<w:tc[ >]", before)) > before.count("</w:tc>")
        return _docx_where(self.part, in_cell, _xml_text(lines[index]))


def check_template(path: Path) -> list[Problem]:
    """Everything wrong with the template at ``path``, checked against the sample week; ``[]`` when clean."""
    from .sample import sample_context

    path = Path(path)
    try:
        sources, problems = _read_sources(path)
    except TemplateError as exc:
        return [Problem(path, "", str(exc).removeprefix(f"{path}: "))]
    context = sample_context()
    used: set[str] | None = set()
    for source in sources:
        found, names = _check_source(path, source, context)
        problems += found
        used = None if used is None or names is None else used | names
    if used is not None:
        problems += _missing_required(path, used)
    return problems or _render_problems(path)


def _read_sources(path: Path) -> tuple[list[_Source], list[Problem]]:
    """The Jinja text of a template, and (for Word) the tags split across runs."""
    if path.suffix.lower() != ".docx":
        try:
            return [_Source(path.read_text(encoding="utf-8"))], []
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"{path}: cannot read it as a UTF-8 text template ({exc}).") from exc
    template = _open_docx(path)
    parts = _docx_parts(template)
    sources = [_Source(_one_paragraph_per_line(template.patch_xml(template.xml_to_string(element))), part, True)
               for part, element in parts]
    return sources, [problem for part, element in parts for problem in _split_tags(path, part, element)]


def _check_source(path: Path, source: _Source, context: Mapping) -> tuple[list[Problem], set[str] | None]:
    """Syntax, unknown names and unknown fields in one template text, and the context names it reads.

    The names are ``None`` when the text does not parse (nothing can be said about them).
    """
    env = _environment(source.docx)
    try:
        ast = env.parse(source.text)
    except jinja2.TemplateSyntaxError as exc:
        return [_syntax_problem(path, source, exc)], None
    used = _names_read(ast, source.text, env)
    found = sorted(set(_walk(ast, dict(context), used - set(context), env)))
    problems = [Problem(path, source.where(lineno), message) for lineno, message in found]
    if not problems:
        try:
            env.compile(ast)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(_syntax_problem(path, source, exc))
    return problems, used


def _names_read(ast: nodes.Template, text: str, env: jinja2.Environment) -> set[str]:
    """The context names a template reads (``find_undeclared_variables``).

    That function compiles the template and stops at an unknown filter or test, so
    those get stand-ins here; the walk reports them.
    """
    lenient = env.overlay()
    lenient.filters = {**{node.name: str for node in ast.find_all(nodes.Filter)}, **env.filters}
    lenient.tests = {**{node.name: bool for node in ast.find_all(nodes.Test)}, **env.tests}
    return meta.find_undeclared_variables(lenient.parse(text))


def _syntax_problem(path: Path, source: _Source, exc: jinja2.TemplateSyntaxError) -> Problem:
    return Problem(path, source.where(exc.lineno), f"Jinja syntax error: {exc.message.rstrip('.')}. {SYNTAX_FIX}")


def _missing_required(path: Path, used: set[str]) -> list[Problem]:
    return [Problem(path, "", f"does not use `{name}` ({why}), which every briefing must show. "
                              f"Put it back (see {DOCS} for how the built-in template shows it).")
            for name, why in REQUIRED_VARIABLES.items() if name not in used]


def _render_problems(path: Path) -> list[Problem]:
    """Render for real with the sample week: catches what reading the tags cannot (a filter given text).

    Any exception counts: a build would stop on it too.
    """
    from .render import write_docx, write_markdown
    from .sample import SAMPLE_TODAY, sample_digest

    write = write_docx if path.suffix.lower() == ".docx" else write_markdown
    with tempfile.TemporaryDirectory() as folder:
        try:
            write(sample_digest(), {}, path, Path(folder) / f"sample{path.suffix}", today=SAMPLE_TODAY)
        except TemplateError as exc:
            return [Problem(path, "", f"fails to render the sample week: {str(exc).removeprefix(str(path)).lstrip(',: ')}")]
        except Exception as exc:  # noqa: BLE001 - a filter given the wrong type raises anything
            return [Problem(path, _traceback_line(path, exc), f"fails to render the sample week: "
                                                              f"{type(exc).__name__}: {exc}. {RENDER_FIX}")]
    return []


def _traceback_line(path: Path, exc: Exception) -> str:
    """``line N`` of a text template where rendering failed ("" for Word, whose lines are XML)."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__) if Path(frame.filename).name == path.name]
    return f"line {frames[-1].lineno}" if frames and path.suffix.lower() != ".docx" else ""


# ---------------------------------------------------------------- names and fields


def _walk(node: nodes.Node, scope: dict, unknown: set[str], env: jinja2.Environment) -> Iterator[tuple[int, str]]:
    """``(line, message)`` for each unknown name, field, filter or test, following loop variables.

    ``scope`` maps names to sample values; a ``for`` binds its variable to the
    list's first item, so ``row.amount_x`` is checked against a real row.
    """
    if isinstance(node, nodes.For):
        yield from _walk(node.iter, scope, unknown, env)
        inner = {**scope, **_bind(node.target, _first_item(_value(node.iter, scope))), "loop": UNKNOWN}
        for child in [*node.body, *([node.test] if node.test else [])]:
            yield from _walk(child, inner, unknown, env)
        for child in node.else_:
            yield from _walk(child, scope, unknown, env)
        return
    if isinstance(node, SCOPES):
        scope = dict(scope)
    if isinstance(node, nodes.Name) and node.ctx in ("store", "param"):
        scope[node.name] = UNKNOWN
    elif isinstance(node, nodes.Name) and node.name in unknown and node.name not in scope:
        yield node.lineno, _unknown_name(node.name, scope)
    elif isinstance(node, (nodes.Getattr, nodes.Getitem)):
        message = _unknown_field(node, scope)
        if message:
            yield node.lineno, message
    elif isinstance(node, (nodes.Filter, nodes.Test)):
        message = _unknown_filter(node, env)
        if message:
            yield node.lineno, message
    for child in node.iter_child_nodes():
        yield from _walk(child, scope, unknown, env)


def _bind(target: nodes.Node, value: object) -> dict:
    """Loop variables and their sample values (``for a, b in ...`` binds both to UNKNOWN)."""
    if isinstance(target, nodes.Name):
        return {target.name: value}
    return {name.name: UNKNOWN for name in target.find_all(nodes.Name)}


def _first_item(value: object) -> object:
    return value[0] if isinstance(value, (list, tuple)) and value else UNKNOWN


def _value(node: nodes.Node, scope: Mapping) -> object:
    """The sample value of ``name``, ``name.field`` or ``name["field"]``; UNKNOWN for anything else."""
    if isinstance(node, nodes.Name):
        return scope.get(node.name, UNKNOWN)
    key = _field_key(node)
    if key is None:
        return UNKNOWN
    base = _value(node.node, scope)
    if isinstance(base, Mapping):
        return base.get(key, UNKNOWN)
    if isinstance(base, (list, tuple)) and isinstance(key, int) and -len(base) <= key < len(base):
        return base[key]
    return UNKNOWN


def _field_key(node: nodes.Node) -> str | int | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return node.arg.value
    return None


def _unknown_field(node: nodes.Node, scope: Mapping) -> str:
    """The message for ``row.amount_x`` when the sample ``row`` is a dict without ``amount_x``."""
    key, base = _field_key(node), _value(node.node, scope)
    if not isinstance(key, str) or not isinstance(base, Mapping) or key in base or hasattr(base, key):
        return ""
    fields = sorted(map(str, base))
    return (f"unknown field `{_expression(node)}`: `{_expression(node.node)}` has no `{key}`"
            f"{_did_you_mean(key, fields)}; its fields are {', '.join(fields)}. Retype it (see {DOCS}).")


def _expression(node: nodes.Node) -> str:
    """``row.amount_x`` back from the template's tree, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    key = _field_key(node)
    if key is None:
        return "…"
    return f"{_expression(node.node)}.{key}" if isinstance(node, nodes.Getattr) else f"{_expression(node.node)}[{key!r}]"


def _unknown_name(name: str, scope: Mapping) -> str:
    names = sorted(n for n in scope if isinstance(n, str))
    return (f"unknown variable `{name}`{_did_you_mean(name, names)}: the briefing has no such name. "
            f"Retype it, or use a name listed in {DOCS}.")


def _unknown_filter(node: nodes.Filter | nodes.Test, env: jinja2.Environment) -> str:
    kind, known = ("filter", env.filters) if isinstance(node, nodes.Filter) else ("test", env.tests)
    if node.name in known:
        return ""
    ours = sorted(name for name in known if name in {**FILTERS, **MARKDOWN_FILTERS})
    listed = f"; the briefing's own filters are {', '.join(ours)}" if ours else ""
    return (f"unknown {kind} `{node.name}`{_did_you_mean(node.name, sorted(known))}{listed}. "
            f"Retype it (filters are listed in {DOCS}).")


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _environment(docx: bool) -> jinja2.Environment:
    """The environment a build renders with, so unknown filters count as errors here too."""
    from .render import jinja_environment

    return jinja_environment(autoescape=docx, filters=FILTERS if docx else {**FILTERS, **MARKDOWN_FILTERS})


# ---------------------------------------------------------------- Word


def _open_docx(path: Path):
    """A docxtpl template ready for ``patch_xml``, or a TemplateError saying why the file is not one."""
    from docxtpl import DocxTemplate

    from .render import _open_docx_template

    return _open_docx_template(path, DocxTemplate)


def _docx_parts(template) -> list[tuple[str, object]]:
    """The document's body, headers and footers as XML elements, labelled for messages."""
    from docx.oxml import parse_xml

    parts = [("", template.docx.element.body)]
    for label, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
        parts += [(label, parse_xml(part.blob)) for _, part in template.get_headers_footers(uri)]
    return parts


def _split_tags(path: Path, part: str, root) -> Iterator[Problem]:
    """A problem for each ``{{ }}``/``{% %}`` whose characters come from more than one ``<w:r>`` run."""
    from docx.oxml.ns import qn

    for paragraph in root.iter(qn("w:p")):
        texts = [t for t in paragraph.iter(qn("w:t")) if next(t.iterancestors(qn("w:p"))) is paragraph]
        text = "".join(t.text or "" for t in texts)
        run_numbers: dict = {}
        runs = [run_numbers.setdefault(t.getparent(), len(run_numbers)) for t in texts for _ in (t.text or "")]
        for tag in _TAG.finditer(text):
            pieces = len(set(runs[tag.start():tag.end()]))
            if pieces > 1:
                in_cell = next(paragraph.iterancestors(qn("w:tc")), None) is not None
                yield Problem(path, _docx_where(part, in_cell, text),
                              f"the tag “{tag[0]}” is stored by Word in {pieces} separate pieces (runs), as happens "
                              f"when part of a tag is edited or reformatted; docxtpl joins some with the first "
                              f"piece's formatting and fails on others. Select the whole tag, delete it and type "
                              f"it again in one go, then run `briefing templates check` again.")


def _docx_where(part: str, in_cell: bool, text: str) -> str:
    """``table cell “…”`` / ``header paragraph “…”``: what staff search for in Word."""
    kind = "table cell" if in_cell else "paragraph"
    text = text.strip()
    quoted = text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"
    return f"{part} {kind} “{quoted}”".strip()


def _one_paragraph_per_line(xml: str) -> str:
    """docxtpl's Jinja text with each paragraph, table row and ``{%p``/``{%tr`` tag on a line of its own.

    Jinja then reports a line that is one paragraph, whose text staff can search for in Word.
    """
    return _LINE_STARTS.sub("\n", xml.replace("\n", " "))


def _xml_text(xml_line: str) -> str:
    return html.unescape(_XML_TAG.sub("", xml_line))
