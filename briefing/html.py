"""Find the article inside a saved web page.

Government and platform sites wrap a short article in navigation, sidebars of
other headlines and footers full of dates and phone numbers. The body is the
element whose own paragraphs (``<p>``, WeChat's ``<section>``, a ``<div>`` without
blocks inside, or text between ``<br>``) hold the most non-link Chinese text.
Inside it, attachment lists (附件), editor/审核 lines, contact-phone lines and
share/QR prompts are dropped, and a date or source line at its top becomes metadata.

Metadata comes from CMS ``<meta>`` tags first, then a labelled line (发布时间：…)
inside the article's own block (the smallest element holding both title and
body), then date-classed elements and a bare date next to the title. Lists and
blocks outside the article are never asked, so a sidebar's dates never win.
``benchmarks/html_extractors.py`` compares this with trafilatura,
readability-lxml and GNE.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest import DATE_LABEL, SOURCE, clean_line, parse_datetime

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_PUBLISHING = "".join(f"(?<!{word})" for word in ("更新", "截止", "开始", "结束", "报名", "申报", "活动", "会议", "办理", "修改"))
_LABELLED_DATE = re.compile(rf"{_NOT_PUBLISHING}{DATE_LABEL}\s*[:：]\s*\S")
_TITLE_SPLIT = re.compile(r"\s*(?:_|--|\||｜| - |(?<![\d\s])-(?![\d\s])|—)\s*")
_TIME_CLASS = re.compile(r"time|date|pub", re.IGNORECASE)
_ISO_CLOCK = re.compile(r"(\d)[T-](\d{1,2}:\d\d)")
"""2021-10-08T09:30 (ISO) and 2021-06-03-10:05:12 (gov.cn's firstpublishedtime)."""
BLOCK_TAGS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "table"}
PARAGRAPH_TAGS = {"p", "section"}
DROP_TAGS = ["script", "style", "noscript", "iframe", "select", "button", "textarea", "input", "option"]
"""Dropped with their content. Not ``<form>``: site builders (VSB) wrap the whole article in one."""
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
"""An inline style that hides an element: a reader never sees it (promotions, 原标题 copies)."""
def _class_words(*words: str) -> re.Pattern[str]:
    """Any of ``words`` as a whole word of a class or id (``hide_word``, ``p-tags``; not ``shareholder``)."""
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(words) + r")(?:$|[\s_-])", re.IGNORECASE)


_HIDDEN_CLASS = _class_words("hide", "hidden", "d-none", "sr-only", "invisible")
"""A class that stylesheets hide (澎湃's ``hide_word`` promotion line)."""
_TOOL_BLOCK = _class_words("share", "zan", "dianzan", "like", "advise", "jiucuo", "toolbar", "tools", "tags", "print", "fontsize", "font")
"""class/id words (whole) of share, like, print and error-report bars inside an article (``+1``, 【纠错】)."""
HIDDEN_TEXT_LIMIT = 60
"""A hidden element with more Chinese characters than this is a collapsed part of the article
(展开全文), kept; a shorter one is a promotion or a copy of the title, dropped."""
_NAVIGATION_LINK = re.compile(r"^\s*(?:返回(?:首页|顶部|列表|上一?页|.{0,8}首页)|查看更多|点击进入|进入专题|更多\s*>|【\d+】\s*$)|>>\s*$")
"""A link inside the body that leads elsewhere (返回首页>>, 查看更多, page numbers 【2】)."""
META_DATE_NAMES = (
    "pubdate", "publishdate", "publish_date", "publishtime", "pubtime", "firstpublishedtime",
    "article:published_time", "og:release_date", "datepublished", "dc.date.issued", "dc.date", "releasedate",
)
META_TITLE_NAMES = ("articletitle", "og:title", "title")
META_SOURCE_NAMES = ("contentsource", "source", "article:source")
META_SITE_NAMES = ("sitename", "og:site_name", "site_name")
META_URL_NAMES = ("og:url", "url")

_CHROME_LINE = re.compile(
    r"(?:责任编辑|编辑|责编|审核|初审|复审|终审|校对|审校|监制)\s*[:：]"
    r"|ICP备|公网安备|版权所有|Copyright|©"
    r"|二维码|扫一扫|关注我们|点击.{0,6}关注|阅读原文|分享到|字号\s*[:：]|字体\s*[:：]|打印本页|关闭窗口|上一篇|下一篇|相关链接|相关阅读"
    r"|【纠错】|【打印】|【关闭】",
    re.IGNORECASE,
)
"""Short lines inside a body that are page furniture, not article text."""
_CONTACT_LINE = re.compile(r"(?:电话|传真|热线|手机)\s*[:：]?\s*(?:\d{3,4}[-－—]\d{7,8}|1\d{10})")
_ATTACHMENT_LINE = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[:：]|\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar|7z)\s*$", re.IGNORECASE)
_FILE_LINK = re.compile(r"\.(?:docx?|xlsx?|pdf|wps|et|ofd|zip|rar|7z)(?:$|[?#])", re.IGNORECASE)
SHORT_LINE = 80
"""Only lines shorter than this can be dropped as furniture (a sentence can mention 电话)."""
_CHROME_BLOCK = re.compile(r"side|aside|related|relate|xgxx|xglj|hot|rank|recommend|foot|bottom|copyright|nav|menu|breadcrumb|crumb", re.IGNORECASE)
"""class/id of sidebars, related lists, footers and menus: never asked for a date or source outside the article's block."""
_FOOTER_TEXT = re.compile(r"ICP备|公网安备|版权所有|Copyright|©|电话\s*[:：]|地址\s*[:：]", re.IGNORECASE)


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
    meta = _meta(root)
    linked_data_date = _linked_data_date(root)
    for element in list(root.iter(*DROP_TAGS)):
        element.drop_tree()
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _is_hidden(e)]:
        if element.getparent() is not None and _han_count(element.text_content()) <= HIDDEN_TEXT_LIMIT:
            element.drop_tree()
    body = _body_element(root)
    if body is None:
        raise InputError(path, "no article body found in the page (no paragraphs of text)")
    title, heading = _title(root, meta)
    block = _article_block(heading, body)
    published = _published(root, meta, body, block, heading, linked_data_date)
    source = _source(root, meta, block, heading)
    paragraphs = []
    for index, paragraph in enumerate(p for p in _paragraphs(body) if p != title):
        if isinstance(paragraph, str) and not paragraphs and index < 3 and _is_metadata_line(paragraph):
            published = published or _datetime(paragraph)
            source = source or _source_in(paragraph)
            continue
        paragraphs.append(paragraph)
    return Page(title, paragraphs, published, source, _url(root, meta))


def _meta(root) -> dict[str, str]:
    """``<meta name|property=... content=...>`` pairs, names lower-cased."""
    pairs = {}
    for element in root.iter("meta"):
        name = (element.get("name") or element.get("property") or element.get("itemprop") or "").strip().lower()
        if name and element.get("content"):
            pairs.setdefault(name, element.get("content").strip())
    return pairs


def _is_hidden(element) -> bool:
    """Hidden by an inline style, the ``hidden`` attribute or a hiding class."""
    return (
        _HIDDEN.search(element.get("style") or "") is not None
        or element.get("hidden") is not None
        or _HIDDEN_CLASS.search(element.get("class") or "") is not None
    )


def _marker(element) -> str:
    """An element's class and id, for the patterns that tell chrome by them."""
    return " ".join(filter(None, [element.get("class"), element.get("id")]))


def _line(text: str) -> str:
    """``text`` of an element on one line: pretty-printed pages indent inside elements, and a
    date line must not look long because of it."""
    return clean_line(" ".join(text.split()))


def _linked_data_date(root) -> dt.datetime | None:
    """``datePublished`` (or ``pubDate``) of the page's JSON-LD, read before scripts are dropped."""
    import json

    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                for key in ("datePublished", "pubDate", "dateCreated"):
                    if isinstance(item.get(key), str) and (when := _datetime(item[key])):
                        return when
    return None


def _han_count(text: str) -> int:
    return len(_HAN.findall(text))


def _datetime(text: str) -> dt.datetime | None:
    return parse_datetime(_ISO_CLOCK.sub(r"\1 \2", text))


# ---------------------------------------------------------------- body


def _body_element(root):
    """The element whose own paragraphs hold the most non-link Chinese text.

    Its own paragraphs are its ``<p>``/``<section>`` children, ``<div>`` children
    with no blocks inside (some editors write a div per paragraph) and the text
    lying directly in it (pages that separate paragraphs with ``<br>``). Link text counts
    against a paragraph, and footer-like text (ICP, 版权所有, 电话：) counts nothing.
    """
    best, best_score = None, 0
    for element in root.iter("div", "td", "article", "section"):
        score = _chunk_score(element.text or "", 0)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in PARAGRAPH_TAGS or (child.tag == "div" and not _has_blocks(child)):
                link_text = sum(_han_count(a.text_content()) for a in child.iter("a"))
                score += _chunk_score(child.text_content(), link_text)
            elif child.tag == "a":
                score -= 2 * _han_count(child.text_content())
            score += _chunk_score(child.tail or "", 0)
        if score > best_score:
            best, best_score = element, score
    return best


def _has_blocks(element) -> bool:
    """Whether ``element`` has block children (a ``<div>`` without them is a paragraph, as some editors write)."""
    return any(child.tag in BLOCK_TAGS or child.tag in ("ul", "ol", "td") for child in element.iterdescendants())


def _chunk_score(text: str, link_han: int) -> int:
    if _FOOTER_TEXT.search(text) and len(text) < 200:
        return 0
    return _han_count(text) - 2 * link_han


def _paragraphs(body) -> list:
    """Text of ``body`` split at block elements and ``<br>``; each ``<table>`` as rows of cells.

    Tables are kept as tables so their cells keep their column headers
    ("支持资金（万元）") and the extractor can read the unit of a bare number.
    Paragraphs that are links to files (an attachment list) and furniture lines are
    dropped; a sentence with a link to a policy document is kept.
    """
    for link in list(body.iter("a")):
        if link.getparent() is not None and len(text := _line(link.text_content())) < 20 and _NAVIGATION_LINK.search(text):
            link.drop_tree()
    for element in list(body.iter("div", "span", "ul", "section")):
        marker = _marker(element)
        if element is not body and element.getparent() is not None and marker and _TOOL_BLOCK.search(marker):
            if _han_count(element.text_content()) < 40:
                element.drop_tree()
    for element in list(body.iter("p", "li", "div", "section")):
        links = list(element.iter("a"))
        if element is body or element.getparent() is None or not links:
            continue
        link_han = sum(_han_count(a.text_content()) for a in links)
        to_files = all(_FILE_LINK.search(a.get("href") or "") for a in links)
        if to_files and link_han >= 0.6 * _han_count(element.text_content()):
            element.drop_tree()
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
    after_bare_label = False
    for line in (clean_line(line) for line in body.text_content().split("\n")):
        if line.startswith(_TABLE_MARK):
            table = tables[int(line[len(_TABLE_MARK):])]
            if table:
                blocks.append(table)
        elif line and not _is_furniture(line) and not (after_bare_label and len(line) <= 8):
            blocks.append(line)
        if line:
            after_bare_label = _BARE_LABEL.fullmatch(line) is not None  # 责任编辑： then the name on its own line
    return blocks


_BARE_LABEL = re.compile(r".{0,12}(?:责任编辑|编辑|责编|审核|校对|作者|记者)\s*[:：]")


def _is_furniture(line: str) -> bool:
    if _ATTACHMENT_LINE.search(line):
        return True
    return len(line) < SHORT_LINE and (_CHROME_LINE.search(line) is not None or _CONTACT_LINE.search(line) is not None)


_TABLE_MARK = "\ue000table:"
"""Stands in for a table while the body's text is split into paragraphs."""


def _is_metadata_line(line: str) -> bool:
    """A 发布时间/来源 line at the top of the body (moved into the metadata)."""
    dated = re.match(rf"\s*{DATE_LABEL}\s*[:：]?", line) is not None and _datetime(line) is not None
    sourced = len(line) < SHORT_LINE and (match := SOURCE.search(line)) is not None and match.start() < 4
    return dated or sourced


# ---------------------------------------------------------------- title


def _title(root, meta: dict[str, str]):
    """``(title, heading element or None)``.

    ArticleTitle-style meta, else a heading the ``<title>`` repeats, else
    ``<title>``'s first part. Sidebars have headings too ("图片新闻"); the page's
    ``<title>`` names the article, so a heading it contains is the article's own.
    """
    page_title = _line(root.findtext(".//title") or "")
    meta_title = next((_line(meta[name]) for name in META_TITLE_NAMES if meta.get(name)), "")
    wanted = meta_title or page_title
    for element in root.iter("h1", "h2", "h3", "div", "p", "span", "td"):
        is_heading = element.tag in ("h1", "h2", "h3") or "title" in _marker(element).lower()
        text = _line(element.text_content()) if is_heading else ""
        if _han_count(text) >= 4 and text in wanted and not _inside(element, "li", "a"):
            return (meta_title or text), element
    if meta_title:
        return meta_title, None
    return (_line(_TITLE_SPLIT.split(page_title)[0]) if page_title else ""), None


def _inside(element, *tags: str) -> bool:
    return any(ancestor.tag in tags for ancestor in element.iterancestors())


def _article_block(heading, body):
    """The smallest element holding both the title heading and the body (else the body's parent)."""
    if heading is not None:
        heading_line = set(heading.iterancestors())
        for ancestor in body.iterancestors():
            if ancestor in heading_line:
                return ancestor
    parent = body.getparent()
    return parent if parent is not None else body


# ---------------------------------------------------------------- metadata


def _published(root, meta: dict[str, str], body, block, heading, linked_data: dt.datetime | None = None) -> dt.datetime | None:
    """Publish time, asking in order (the first answer wins):

    1. CMS meta tags (PubDate, publishdate, firstpublishedtime, article:published_time...),
       then the page's JSON-LD ``datePublished``;
    2. a labelled line (发布时间：…) in the article's block (see :func:`_scopes`), outside lists;
    3. a date/time-classed element (or ``<time datetime>``, WeChat's ``#publish_time``, a
       date-classed link) in the article's block, outside lists;
    4. a short element that is just a date (``<span>2021-04-12 16:30</span>``), or starts
       with one before its source and author labels, in the article's block, outside the
       title, the body and lists.

    A meta date without a clock time gives way to a visible time on the same day.
    """
    stated = next((when for name in META_DATE_NAMES if name in meta and (when := _datetime(meta[name]))), None) or linked_data
    if stated is not None and stated.time() != dt.time():
        return stated
    visible = _visible_date(root, body, block, heading)
    if stated is None or (visible is not None and visible.date() == stated.date()):
        return visible or stated
    return stated


def _visible_date(root, body, block, heading) -> dt.datetime | None:
    """Steps 2–4 of :func:`_published`: a date the page shows beside its title.

    The first date found wins, unless it has no clock time and a later one of the same
    day has (a header's "2025年06月10日 星期二" before the article's "2025年06月10日08:26")."""
    dates = _shown_dates(root, body, block, heading)
    first = next(dates, None)
    if first is None or first.time() != dt.time():
        return first
    later = itertools.islice(dates, SAME_DAY_CANDIDATES)
    return next((when for when in later if when.date() == first.date() and when.time() != dt.time()), first)


SAME_DAY_CANDIDATES = 20
"""How many further dates are asked for a clock time on the first one's day: the article's own
line is near its title, and a large page has thousands of elements."""


def _shown_dates(root, body, block, heading):
    """Every date :func:`_visible_date` may take, in the order of its steps."""
    for scope in _scopes(block, root, heading):
        for element in scope.iter("div", "span", "p", "td", "em", "font", "time", "i", "small"):
            if _inside(element, "li", "ul", "ol") or element is body or _contains(element, body):
                continue
            if scope is root and _in_chrome(element):
                continue
            own = _line(element.text_content())
            if len(own) < SHORT_LINE and _LABELLED_DATE.search(own) and (when := _datetime(own)):
                yield when
    for scope in _scopes(block, root, heading):
        for element in scope.iter("span", "div", "p", "em", "time", "i", "font", "a", "h5", "h6"):
            marker = _marker(element)
            if scope is root and _in_chrome(element):
                continue
            if element.tag == "a" and element.get("href"):
                continue
            if (_TIME_CLASS.search(marker) or element.tag == "time") and not _inside(element, "li", "ul", "ol"):
                text = _line(element.text_content())
                if len(text) < SHORT_LINE and (when := _datetime(element.get("datetime") or text)):
                    yield when
    if heading is not None:
        for element in block.iter("span", "div", "p", "em", "font", "td", "i", "h5", "h6"):
            if element is body or _contains(element, body) or _contains(element, heading) or _inside(element, "li", "ul", "ol"):
                continue
            for text in (_line(element.text_content()), _line(element.text or "")):
                if _han_count(text) <= 8 and len(text) < 40 and (when := _datetime(text)):
                    yield when


def _scopes(block, root, heading) -> tuple:
    """Where to look for metadata: the article's block; the whole page only when no title heading was found.

    With a heading, the block spans from the title to the body, where pages put
    their date and source lines; anything outside it is another story's.
    """
    return (block,) if heading is not None else (block, root)


def _in_chrome(element) -> bool:
    """Inside ``<aside>``/``<nav>``/``<footer>`` or a block whose class/id says sidebar, related, footer or menu."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("aside", "nav", "footer", "header"):
            return True
        if _CHROME_BLOCK.search(_marker(node)):
            return True
    return False


def _contains(element, other) -> bool:
    return any(node is other for node in element.iter())


def _source_in(text: str) -> str:
    match = SOURCE.search(text)
    return match.group("source") if match else ""


def _source(root, meta: dict[str, str], block, heading) -> str:
    """ContentSource meta, a 来源：line (the article's block first), WeChat's account, then the site."""
    for name in META_SOURCE_NAMES:
        if meta.get(name):
            return _source_in(meta[name]) or meta[name]  # some CMSs write the label into the tag
    for scope in _scopes(block, root, heading):
        for element in scope.iter("span", "div", "p", "td"):
            text = _line(element.text_content())
            if scope is root and _in_chrome(element):
                continue
            if len(text) < 120 and not _inside(element, "li") and (source := _source_in(text)):
                return source
    account = root.find(".//*[@id='js_name']")
    if account is not None and clean_line(account.text_content()):
        return clean_line(account.text_content())
    for name in META_SITE_NAMES:
        if meta.get(name):
            return meta[name]
    parts = _TITLE_SPLIT.split((root.findtext(".//title") or "").strip())
    return clean_line(parts[-1]) if len(parts) > 1 else ""


def _url(root, meta: dict[str, str]) -> str:
    """The canonical link, else ``og:url``, else a CMS ``<meta name="Url">``."""
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return link.get("href").strip()
    return next((meta[name] for name in META_URL_NAMES if meta.get(name)), "")
