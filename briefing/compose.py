"""Render a :class:`~briefing.models.WeekDigest` and its charts as Word and Markdown.

One context builder (:func:`build_context`) feeds both formats, so the two
files always say the same thing; numbers are formatted by the shared Jinja
filters in :data:`FILTERS`, never inside templates by hand. Templates are found
along one ordered search path (:func:`template_search_path`) so a workspace can
override the built-in ones file by file. Both renderers use a sandboxed Jinja
environment (templates are user-editable files) and write through
:func:`briefing.files.atomic_path`, so a template error never leaves half a file.

docxtpl and python-docx are imported inside :func:`write_docx` only: they cost
a noticeable part of the start-up budget.
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

from .charts import WAN, YI, category_label
from .config import parse_week
from .errors import TemplateError
from .files import atomic_path, write_text_atomic
from .models import CATEGORIES, ArticleSummary, FactRow, WeekDigest

TITLE = "科技工作简报"
DOCX_TEMPLATE = "briefing.docx"
MARKDOWN_TEMPLATE = "briefing.md.j2"
CHART_WIDTH_CM = 15
SENTENCE_LIMIT = 60
"""Longest sentence excerpt in the figures table, in characters."""
UNCOUNTED_MARK = "※"
MULTIPLE_FROM = 3
"""From three times last week's money on, say 为上周的N倍 rather than 增长250%."""
CURRENCY_NAMES = {"CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑"}
QUALIFIER_PREFIXES = {"over": "超", "more_than": "超", "nearly": "近", "about": "约"}

_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHITESPACE_RUN = re.compile(r"\s+")
_MARKDOWN_ESCAPES = str.maketrans({
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "~": "\\~",
    "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;",
    "\r": " ", "\n": " ",
})


# ---------------------------------------------------------------- templates


def builtin_templates_dir() -> Path:
    """The default templates: inside the wheel as ``briefing/templates``, else the repo's ``templates/``.

    pyproject force-includes the top-level ``templates/`` into the wheel; an
    editable or source checkout has no such folder in the package, so the
    repository's own folder is used instead.
    """
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def template_search_path(templates_dir: Path | None, workspace: Path) -> list[Path]:
    """Folders searched for templates, first wins: ``--templates DIR``, the workspace's, the built-in ones."""
    folders = [Path(templates_dir)] if templates_dir is not None else []
    folders += [Path(workspace) / "templates", builtin_templates_dir()]
    unique: list[Path] = []
    for folder in folders:
        if all(os.path.realpath(folder) != os.path.realpath(seen) for seen in unique):
            unique.append(folder)
    return unique


def find_template(name: str, search_path: list[Path]) -> Path:
    """The first ``<folder>/<name>`` along ``search_path``; each file can be overridden on its own."""
    for folder in search_path:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    searched = "\n".join(f"  - {folder}" for folder in search_path)
    raise TemplateError(
        f"template {name!r} not found. Searched, in order:\n{searched}\n"
        f"Put a {name} in one of these folders (or pass --templates DIR); "
        f"reinstalling briefing restores the built-in one.")


# ---------------------------------------------------------------- number and text filters


def _trimmed(number: float, decimals: int) -> str:
    """``number`` with at most ``decimals`` decimals and no trailing zeros (3600, 1.5, 25086.67)."""
    text = f"{number:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(amount: float, unit: str = "CNY") -> str:
    """Money the way a Chinese briefing writes it: ``4.70亿元`` from 1亿 up, ``3600万元`` from 1万, else ``850元``."""
    currency = CURRENCY_NAMES.get(unit, unit)
    if abs(amount) >= YI:
        return f"{amount / YI:.2f}亿{currency}"
    if abs(amount) >= WAN:
        return f"{_trimmed(amount / WAN, 2)}万{currency}"
    return f"{_trimmed(amount, 2)}{currency}"


def format_yi(amount: float) -> str:
    """Yuan as a number of 亿 with two decimals (``4.70``), for columns headed （亿元）."""
    return f"{amount / YI:.2f}"


def format_wan(amount: float) -> str:
    """Yuan as a whole number of 万 with thousands separators (``25,087``), for columns headed （万元）."""
    return f"{amount / WAN:,.0f}"


def format_pct(ratio: float, decimals: int = 1) -> str:
    """A ratio as a percentage: 0.469 → ``46.9%``."""
    return f"{ratio * 100:.{decimals}f}%"


def format_count(count: float, unit: str = "") -> str:
    """A count with its measure word, in 万/亿 when large: ``23项``, ``1.5万平方米``."""
    if abs(count) >= YI:
        return f"{_trimmed(count / YI, 2)}亿{unit}"
    if abs(count) >= WAN:
        return f"{_trimmed(count / WAN, 2)}万{unit}"
    return f"{_trimmed(count, 2)}{unit}"


def format_cn_date(day: dt.date | None) -> str:
    """``2020年12月14日`` without zero padding; ``日期不详`` when unknown."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "日期不详"


def format_iso_date(value: str) -> str:
    """A fact's ISO date (``2020-12-11``, ``2020-11``, ``XXXX-05-23``) in Chinese."""
    parts = value.split("-")
    words = []
    for number, suffix in zip(parts, ("年", "月", "日")):
        if number.isdigit():
            words.append(f"{int(number)}{suffix}")
    return "".join(words) or value


def format_fact_value(fact: FactRow) -> str:
    """A figure's normalised value as the table shows it, qualifier first (``约1.20亿元``)."""
    if fact.kind == "date" or isinstance(fact.value, str):
        return format_iso_date(str(fact.value))
    if fact.kind == "money":
        text = format_money(fact.value, fact.unit or "CNY")
    elif fact.kind == "percent":
        points = "百分点" in fact.surface  # 9.9个百分点 is a change in points, not a share
        text = f"{_trimmed(fact.value, 2)}{'个百分点' if points else '%'}"
    else:
        text = format_count(fact.value, fact.unit)
    return QUALIFIER_PREFIXES.get(fact.qualifier, "") + text


def escape_markdown(text: object) -> str:
    """Text safe inside a Markdown table cell or list item.

    ``|`` would end the cell, ``*``/``_``/``[`` start emphasis or links, ``<``/``&``
    start HTML, and a newline ends the table row.
    """
    return str(text).translate(_MARKDOWN_ESCAPES)


def markdown_url(url: object) -> str:
    """A URL usable inside ``<...>`` in Markdown: spaces and angle brackets percent-encoded."""
    return quote(str(url), safe=":/?#@!$&'()*+,;=%~-._")


FILTERS: dict[str, Callable] = {
    "yuan": format_money,
    "yi": format_yi,
    "wan": format_wan,
    "pct": format_pct,
    "count": format_count,
    "cn_date": format_cn_date,
}
"""Number filters shared by the Word and the Markdown templates."""

MARKDOWN_FILTERS: dict[str, Callable] = {"md": escape_markdown, "md_url": markdown_url}


def clean_text(text: str) -> str:
    """Article text as one line, without characters Word's XML cannot hold."""
    return _WHITESPACE_RUN.sub(" ", _NOT_XML_TEXT.sub("", text or "")).strip()


def excerpt(sentence: str, surface: str, limit: int = SENTENCE_LIMIT) -> str:
    """At most ``limit`` characters of ``sentence``, centred on the figure when cut."""
    sentence = clean_text(sentence)
    if len(sentence) <= limit:
        return sentence
    at = max(sentence.find(clean_text(surface)), 0)
    start = max(0, min(at - limit // 3, len(sentence) - limit))
    end = start + limit
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


# ---------------------------------------------------------------- context


def week_label(digest: WeekDigest) -> str:
    """``2020年第51周（12月14日—12月20日）``; years are spelled out when the week crosses one."""
    iso_year, week_number = _parse_week(digest)
    return f"{iso_year}年第{week_number}周（{date_range(digest.start, digest.end, iso_year)}）"


def date_range(start: dt.date, end: dt.date, year: int) -> str:
    """``12月14日—12月20日`` within ``year``, else with both years."""
    if start.year == end.year == year:
        return f"{start.month}月{start.day}日—{end.month}月{end.day}日"
    return f"{format_cn_date(start)}—{format_cn_date(end)}"


def _parse_week(digest: WeekDigest) -> tuple[int, int]:
    """ISO year and week number of the digest's week (``2020-W51`` → 2020, 51)."""
    year, number = parse_week(digest.week).split("-W")
    return int(year), int(number)


def funding_change(current: float, previous: float | None) -> str:
    """How this week's money compares with last week's, as a clause; ``""`` without last week."""
    if previous is None:
        return ""
    if previous == 0:
        return "上周未涉及资金数额"
    change = (current - previous) / previous
    if abs(change) < 0.0005:
        return f"与上周（{format_money(previous)}）持平"
    if current >= MULTIPLE_FROM * previous:
        return f"为上周（{format_money(previous)}）的{current / previous:.1f}倍"
    direction = "增长" if change > 0 else "下降"
    return f"比上周（{format_money(previous)}）{direction}{format_pct(abs(change))}"


def signing_change(current: int, previous: int | None) -> str:
    """How this week's signings compare with last week's, as a clause; ``""`` without last week."""
    if previous is None:
        return ""
    if current == previous:
        return f"与上周（{previous}项）持平"
    direction = "增加" if current > previous else "减少"
    return f"比上周（{previous}项）{direction}{abs(current - previous)}项"


def _headline(digest: WeekDigest) -> dict:
    """The few numbers a leader reads first, raw and formatted, with last week's comparison."""
    return {
        "article_count": len(digest.articles),
        "fact_count": len(digest.facts),
        "total_funding_yuan": digest.total_funding_yuan,
        "total_funding": format_money(digest.total_funding_yuan),
        "signing_count": digest.signing_count,
        "category_counts": _category_counts(digest),
        "previous_week": digest.previous_week,
        "funding_change": funding_change(digest.total_funding_yuan, digest.previous_total_funding_yuan),
        "signing_change": signing_change(digest.signing_count, digest.previous_signing_count),
    }


def _category_counts(digest: WeekDigest) -> dict[str, int]:
    """Number of money and count figures per category, by Chinese label, in the model's category order."""
    counts = digest.facts_by_category
    return {category_label(code): counts[code] for code in CATEGORIES if counts.get(code)}


def _summary(headline: dict) -> str:
    """The headline figures as the opening sentences of the briefing."""
    opening = f"本周共收录科技新闻{headline['article_count']}篇，摘录数字{headline['fact_count']}项"
    if headline["category_counts"]:
        opening += "，按类别为" + "、".join(f"{label}{count}项" for label, count in headline["category_counts"].items())
    opening += "。"
    if headline["total_funding_yuan"] > 0:
        money = f"涉及资金合计{headline['total_funding']}"
    else:
        money = "本周新闻未涉及资金数额"
    signing = f"签约项目{headline['signing_count']}项"
    clauses = [_with_change(money, headline["funding_change"]),
               _with_change(signing, headline["signing_change"])]
    return opening + "；".join(clauses) + "。"


def _with_change(clause: str, change: str) -> str:
    return f"{clause}，{change}" if change else clause


def _funding_rows(digest: WeekDigest) -> list[dict]:
    """Money by category, largest first as aggregate ordered it, with each share of the total."""
    amounts = {code: yuan for code, yuan in digest.funding_by_category.items() if yuan > 0}
    total = sum(amounts.values())
    return [{"category": code, "label": category_label(code, "money"), "yuan": yuan,
             "amount": format_money(yuan), "share": format_pct(yuan / total)}
            for code, yuan in amounts.items()]


def _funding_summary(rows: list[dict], total: str) -> str:
    """``本周资金合计4.70亿元，其中专项资金2.30亿元（48.9%）、…。``"""
    if not rows:
        return "本周新闻未涉及资金数额。"
    parts = "、".join(f"{row['label']}{row['amount']}（{row['share']}）" for row in rows)
    return f"本周资金合计{total}，其中{parts}。"


def _signing_rows(digest: WeekDigest) -> list[dict]:
    """Signed items per source article, in citation order."""
    titles = {article.number: clean_text(article.title) for article in digest.articles}
    return [{"number": number, "citation": f"[{number}]", "title": titles.get(number, ""), "count": count}
            for number, count in sorted(digest.signings_by_article.items()) if count > 0]


def _signing_summary(digest: WeekDigest, rows: list[dict]) -> str:
    if not digest.signing_count:
        return "本周新闻未涉及签约项目。"
    return f"本周签约项目合计{digest.signing_count}项，来自{len(rows)}篇文章。"


def _fact_row(sequence: int, fact: FactRow) -> dict:
    """One figure for the table: where it comes from, what it is, and whether it counts."""
    return {
        "number": sequence,
        "article_number": fact.article_number,
        "citation": f"[{fact.article_number}]",
        "kind": fact.kind,
        "category": category_label(fact.category, fact.kind),
        "surface": clean_text(fact.surface),
        "value": format_fact_value(fact),
        "sentence": excerpt(fact.sentence, fact.surface),
        "counted": fact.counted,
        "mark": UNCOUNTED_MARK if fact.note else "",
        "note": clean_text(fact.note),
    }


def _article_row(article: ArticleSummary, numbers_by_id: Mapping[str, int]) -> dict:
    """One source for the list: number, title, date, site, URL and whether it is a repost."""
    source = clean_text(article.source)
    date = format_cn_date(article.published) if article.published else ""
    return {
        "number": article.number,
        "citation": f"[{article.number}]",
        "title": clean_text(article.title) or article.id,
        "date": date or "日期不详",
        "source": source,
        "meta": "，".join(part for part in (source, date, f"摘录数字{article.fact_count}项") if part),
        "url": clean_text(article.url),
        "fact_count": article.fact_count,
        "duplicate_note": _duplicate_note(article.duplicate_of, numbers_by_id),
    }


def _duplicate_note(duplicate_of: str | None, numbers_by_id: Mapping[str, int]) -> str:
    if not duplicate_of:
        return ""
    if duplicate_of in numbers_by_id:
        return f"（转载自[{numbers_by_id[duplicate_of]}]，数字不重复计入）"
    return f"（转载自已收录文章 {duplicate_of}，数字不重复计入）"


def build_context(digest: WeekDigest, *, today: dt.date | None = None) -> dict:
    """Everything both templates show, as plain dicts, lists and strings.

    Raw numbers sit beside formatted ones so a template can re-format with the
    shared filters. Chart entries (``funding_chart``, ``signing_chart``) are added
    by each writer because Word wants images and Markdown wants file names
    (``""`` when a chart is missing). ``today`` is injectable so outputs are
    reproducible. The names a template can use:

    - ``title``, ``week``, ``week_label``, ``date_range``, ``generated``, ``summary``
    - ``headline``: ``article_count``, ``fact_count``, ``total_funding`` (``_yuan``),
      ``signing_count``, ``previous_week``, ``funding_change``, ``signing_change``
    - ``funding_rows``: ``label``, ``category``, ``yuan``, ``amount``, ``share``;
      ``funding_total``, ``funding_summary``
    - ``signing_rows``: ``number``, ``citation``, ``title``, ``count``; ``signing_summary``
    - ``facts``: ``number``, ``citation``, ``article_number``, ``kind``, ``category``,
      ``surface``, ``value``, ``sentence``, ``counted``, ``mark``, ``note``;
      ``uncounted_count``, ``uncounted_mark``
    - ``articles``: ``number``, ``citation``, ``title``, ``date``, ``source``, ``meta``,
      ``url``, ``fact_count``, ``duplicate_note``
    - ``skipped``: ``path``, ``reason``
    """
    headline = _headline(digest)
    funding_rows = _funding_rows(digest)
    signing_rows = _signing_rows(digest)
    numbers_by_id = {article.id: article.number for article in digest.articles}
    facts = [_fact_row(sequence, fact) for sequence, fact in enumerate(digest.facts, start=1)]
    iso_year, _ = _parse_week(digest)
    return {
        "title": TITLE,
        "week": digest.week,
        "week_label": week_label(digest),
        "date_range": date_range(digest.start, digest.end, iso_year),
        "generated": format_cn_date(today or dt.date.today()),
        "headline": headline,
        "summary": _summary(headline),
        "funding_rows": funding_rows,
        "funding_total": headline["total_funding"],
        "funding_summary": _funding_summary(funding_rows, headline["total_funding"]),
        "signing_rows": signing_rows,
        "signing_summary": _signing_summary(digest, signing_rows),
        "facts": facts,
        "uncounted_count": sum(1 for fact in facts if fact["note"]),
        "uncounted_mark": UNCOUNTED_MARK,
        "articles": [_article_row(article, numbers_by_id) for article in digest.articles],
        "skipped": [{"path": clean_text(s.path), "reason": clean_text(s.reason)} for s in digest.skipped],
        "funding_chart": "",
        "signing_chart": "",
    }


# ---------------------------------------------------------------- rendering


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
                   out_path: Path, *, today: dt.date | None = None) -> Path:
    """Render the Markdown briefing; charts are linked by their path relative to ``out_path``."""
    template_path, out_path = Path(template_path), Path(out_path)
    env = jinja_environment(autoescape=False, loader=jinja2.FileSystemLoader(str(template_path.parent)),
                            filters={**FILTERS, **MARKDOWN_FILTERS})
    context = build_context(digest, today=today)
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
               out_path: Path, *, today: dt.date | None = None) -> Path:
    """Render the Word briefing from a docxtpl template; charts become inline images 15 cm wide.

    Autoescape is on so ``<`` or ``&`` in an article title cannot break Word's XML.
    """
    from docx.shared import Cm
    from docxtpl import DocxTemplate, InlineImage

    template_path, out_path = Path(template_path), Path(out_path)
    template = _open_docx_template(template_path, DocxTemplate)
    context = build_context(digest, today=today)
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
