"""Render a :class:`~briefing.models.WeekDigest` and its charts as Word and Markdown.

- :mod:`.templates`: the template search path (``--templates`` → workspace → built-in);
- :mod:`.format`: the number and text filters both templates share;
- :mod:`.context`: :func:`build_context`, the one context both templates read;
- :mod:`.render`: :func:`write_docx` (docxtpl) and :func:`write_markdown` (Jinja2).
"""

from .context import TITLE, UNCOUNTED_MARK, Masthead, build_context, date_range, funding_change, signing_change, week_label
from .format import (
    FILTERS, MARKDOWN_FILTERS, clean_text, escape_markdown, excerpt, format_cn_date, format_count,
    format_fact_value, format_money, format_pct, markdown_url,
)
from .pdf import office_program, write_pdf
from .render import CHART_WIDTH_CM, jinja_environment, write_docx, write_markdown
from .templates import DOCX_TEMPLATE, MARKDOWN_TEMPLATE, TEMPLATE_NAMES, builtin_templates_dir, find_template, template_search_path

__all__ = [
    "CHART_WIDTH_CM", "DOCX_TEMPLATE", "FILTERS", "MARKDOWN_FILTERS", "MARKDOWN_TEMPLATE", "TEMPLATE_NAMES", "TITLE",
    "Masthead", "UNCOUNTED_MARK", "build_context", "builtin_templates_dir", "clean_text", "date_range", "escape_markdown", "excerpt",
    "find_template", "format_cn_date", "format_count", "format_fact_value", "format_money", "format_pct",
    "funding_change", "jinja_environment", "markdown_url", "office_program", "signing_change", "template_search_path", "week_label",
    "write_docx", "write_markdown", "write_pdf",
]
