"""Find the article inside a saved web page.

Government and platform sites wrap a short article in navigation, sidebars of
other headlines and footers full of dates and phone numbers. The body is the
element whose own paragraphs hold the most non-link Chinese text; metadata comes
from CMS ``<meta>`` tags first, then labelled lines (发布时间：…), and only then
from date-looking elements outside any list, so a sidebar's dates never win.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest import DATE_LABEL, SOURCE, clean_line, parse_datetime

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LABELLED_DATE = re.compile(rf"{DATE_LABEL}\s*[:：]\s*\S")
_TITLE_SPLIT = re.compile(r"\s*(?:_|--|\||｜| - |—)\s*")
_TIME_CLASS = re.compile(r"time|date|pub", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "table"}
DROP_TAGS = ["script", "style", "noscript", "iframe", "form", "select", "button", "textarea"]
META_DATE_NAMES = ("pubdate", "publishdate", "publish_date", "article:published_time", "og:release_date", "dc.date", "firstpublishedtime", "releasedate")
META_TITLE_NAMES = ("articletitle", "og:title", "title")
META_SOURCE_NAMES = ("contentsource", "source", "article:source")
META_SITE_NAMES = ("sitename", "og:site_name", "site_name")


@dataclass(frozen=True)
class Page:
    """What :func:`parse_page` finds in a page."""

    title: str
    paragraphs: list
    """Paragraph strings, and tables as lists of rows of cell texts, in page order."""
    published: dt.datetime | None
    source: str
    url: str


def declared_charset(raw: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares, if any (it may lie; decoding checks)."""
    match = _CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def parse_page(text: str, path: Path) -> Page:
    """Split a decoded page into title, body paragraphs and metadata."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(path, f"not a readable HTML page ({exc})") from exc
    for element in root.iter(*DROP_TAGS):
        element.drop_tree()
    meta = _meta(root)
    body = _body_element(root)
    if body is None:
        raise InputError(path, "no article body found in the page (no paragraphs of text)")
    title = _title(root, meta, body)
    paragraphs = [p for p in _paragraphs(body) if p != title]
    return Page(title, paragraphs, _published(root, meta, body), _source(root, meta), _url(root, meta))


def _meta(root) -> dict[str, str]:
    """``<meta name|property=... content=...>`` pairs, names lower-cased."""
    pairs = {}
    for element in root.iter("meta"):
        name = (element.get("name") or element.get("property") or "").strip().lower()
        if name and element.get("content"):
            pairs.setdefault(name, element.get("content").strip())
    return pairs


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


def _body_element(root):
    """The element whose direct ``<p>`` children hold the most non-link Chinese text."""
    best, best_score = None, 0
    for element in root.iter("div", "td", "article", "section"):
        score = 0
        for child in element:
            if child.tag == "p":
                link_text = sum(_han_count(a.text_content()) for a in child.iter("a"))
                score += _han_count(child.text_content()) - 2 * link_text
        if score > best_score:
            best, best_score = element, score
    return best


def _paragraphs(body) -> list:
    """Text of ``body`` split at block elements and ``<br>``; each ``<table>`` as rows of cells.

    Tables are kept as tables so their cells keep their column headers
    ("支持资金（万元）") and the extractor can read the unit of a bare number.
    """
    tables = []
    for table in list(body.iter("table")):
        if any(a.tag == "table" for a in table.iterancestors()) or table.getparent() is None:
            continue
        rows = [[clean_line(cell.text_content()) for cell in row.iter("td", "th")] for row in table.iter("tr")]
        tables.append([row for row in rows if any(row)])
        marker = table.makeelement("p", {})
        marker.text = f"{_TABLE_MARK}{len(tables) - 1}"
        marker.tail = table.tail
        table.getparent().replace(table, marker)
    for element in body.iter():
        if element.tag == "br" or element.tag in BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
        if element.tag in BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
    blocks: list = []
    for line in (clean_line(line) for line in body.text_content().split("\n")):
        if line.startswith(_TABLE_MARK):
            table = tables[int(line[len(_TABLE_MARK):])]
            if table:
                blocks.append(table)
        elif line:
            blocks.append(line)
    return blocks


_TABLE_MARK = "\ue000table:"
"""Stands in for a table while the body's text is split into paragraphs."""


def _title(root, meta: dict[str, str], body) -> str:
    """ArticleTitle-style meta, else a heading the ``<title>`` repeats, else ``<title>``'s first part.

    Sidebars have headings too ("图片新闻"); the page's ``<title>`` names the
    article, so a heading it contains is the article's own.
    """
    for name in META_TITLE_NAMES:
        if meta.get(name):
            return clean_line(meta[name])
    page_title = clean_line(root.findtext(".//title") or "")
    first_part = clean_line(_TITLE_SPLIT.split(page_title)[0]) if page_title else ""
    for element in root.iter("h1", "h2", "h3", "div", "p", "span", "td"):
        is_heading = element.tag in ("h1", "h2", "h3") or "title" in (element.get("class") or "").lower()
        text = clean_line(element.text_content()) if is_heading else ""
        if _han_count(text) >= 4 and text in page_title and not _inside(element, "li", "a"):
            return text
    return first_part


def _inside(element, *tags: str) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _published(root, meta: dict[str, str], body) -> dt.datetime | None:
    """Publish time: CMS meta tags, then a labelled line, then a time element outside lists."""
    for name in META_DATE_NAMES:
        if name in meta and (when := parse_datetime(meta[name])):
            return when
    for element in root.iter("div", "span", "p", "td", "em", "font"):
        if _inside(element, "li", "ul", "ol") or element is body or _contains(element, body):
            continue
        own = clean_line(element.text_content())
        if len(own) < 80 and _LABELLED_DATE.search(own) and (when := parse_datetime(own)):
            return when
    for element in root.iter("span", "div", "p", "em", "time"):
        marker = " ".join(filter(None, [element.get("class"), element.get("id")]))
        if _TIME_CLASS.search(marker) and not _inside(element, "li", "ul", "ol"):
            if when := parse_datetime(element.text_content()):
                return when
    return None


def _contains(element, other) -> bool:
    return any(node is other for node in element.iter())


def _source(root, meta: dict[str, str]) -> str:
    for name in META_SOURCE_NAMES:
        if meta.get(name):
            return meta[name]
    for element in root.iter("span", "div", "p", "td"):
        text = element.text_content()
        if len(text) < 120 and not _inside(element, "li") and (match := SOURCE.search(text)):
            return match.group("source")
    for name in META_SITE_NAMES:
        if meta.get(name):
            return meta[name]
    parts = _TITLE_SPLIT.split((root.findtext(".//title") or "").strip())
    return parts[-1] if len(parts) > 1 else ""


def _url(root, meta: dict[str, str]) -> str:
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    return meta.get("og:url", "")
