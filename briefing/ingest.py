"""Read article files into :class:`~briefing.models.Article` objects.

One reader per suffix (pelican's ``Readers`` pattern): ``.txt``, ``.md``, ``.eml``, ``.html``/``.htm``
and ``.docx``. Every reader returns the article's visible text only: the title line,
then the body paragraphs; page chrome (site welcome line, the publish-time line,
navigation, sidebars, footers) stays out, so its numbers never become facts.
A file that cannot be read raises :class:`~briefing.errors.InputError` naming the
reason; :func:`read_folder` turns those into :class:`SkippedFile` entries and goes on.
"""

from __future__ import annotations

import datetime as dt
import html as html_module
import io
import os
import time
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from briefing.charsets import decode_bytes
from briefing.errors import InputError
from briefing.extract.normalize import FOLD
from briefing.models import Article, SkippedFile, TableCell

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Larger files are refused: no news article is this big, a runaway file is."""
MAX_PAGE_BYTES = 100 * 1024 * 1024
"""A web page saved as one file carries its images inside (base64), so it may be this big;
over :data:`MAX_FILE_BYTES` it is read only if that is what makes it big."""
MAX_TEXT_CHARS = 200_000
"""Longer article texts are refused: news articles run to a few thousand characters,
and a data dump would drown the week's report in table rows."""
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A .docx whose parts unpack to more than this is treated as a zip bomb."""

_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d\d)(?:[:：](?P<S>\d\d))?)?"
)
DATE_LABEL = r"(?:发布时间|发布日期|發布時間|發佈時間|发布于|時間|时间|日期)"
"""Labels that introduce a page's publish time (发布时间：2020-12-10)."""
_DATE_LINE = re.compile(rf"^\s*{DATE_LABEL}\s*[:：]?\s*(?=\S)")
SOURCE = re.compile(r"(?:来源|來源|信息来源|文章来源)\s*[:：]\s*(?P<source>(?:(?!作者|编辑|责任编辑|记者|发布|时间|日期|浏览|阅读|字号|字体|分享|打印|点击)[^\s|｜　<>])+)")
_SOURCE_LINE = re.compile(r"^[（(]\s*(?:来源|來源)\s*[:：]\s*(?P<source>[^）)]+)[）)]\s*$")
_WELCOME = re.compile(r"^\s*(?:欢迎|歡迎)(?:访问|光临|来到|瀏覽|浏览|訪問|光臨|來到)?(?P<site>.*?)[!！。]?\s*$")
_INDENT = " \t\u00a0\u3000\u2002\u2003\ufeff"


def parse_datetime(text: str) -> dt.datetime | None:
    """The first calendar date (with optional clock time) in ``text``, or ``None``.

    Reads 2020/12/08 09:32:17, 2020-12-10 09:15, 2020年12月16日 15:42 and their
    full-width forms; an impossible date (2020-13-40) counts as no date.
    """
    match = _DATE.search(text.translate(FOLD))
    if not match:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        return dt.datetime(parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0))
    except ValueError:
        return None


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
"""An HTML tag left in text copied from a page; ``<科技日报>`` (angle brackets as title marks) is not one."""
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)


def clean_line(line: str) -> str:
    """A paragraph without HTML leftovers, its indent (NBSP, full-width spaces) or trailing blanks.

    Text copied out of a web page (and pages that escape twice) keeps entities and tags:
    ``&nbsp;&nbsp;&ldquo;科技兴蒙&rdquo;<br/>``. They are not what a reader sees, so they
    are decoded or dropped before the text exists, and every offset into it indexes
    what the reader sees.
    """
    if "&" in line:
        line = html_module.unescape(line)
    if "<" in line:
        line = _TAG.sub("", line)
    return line.strip(_INDENT).rstrip()


def _lines_of(text: str) -> list[str]:
    """Lines of a text, a ``<br>`` or ``</p>`` left in it counting as a line break."""
    return (_LINE_BREAK_TAG.sub("\n", text) if "<" in text else text).splitlines()


# ---------------------------------------------------------------- files


def _unreadable(exc: OSError) -> str:
    """Why a file the system would not give us is skipped."""
    return f"cannot read the file ({exc.strerror or exc})"


def _read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(path, f"file is {size // 1_000_000} MB; articles over {limit // 1_000_000} MB are refused")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, _unreadable(exc)) from exc
    if not raw or raw.isspace():  # (strip() would copy a big file)
        raise InputError(path, "the file is empty")
    return raw


# ---------------------------------------------------------------- readers


@dataclass(frozen=True)
class _Parts:
    """What a reader finds, before it becomes an :class:`Article`."""

    title: str
    paragraphs: list[str]
    published: dt.datetime | None = None
    source: str = ""
    url: str = ""
    encoding: str = ""
    tables: tuple = ()


def read_txt(path: Path) -> _Parts:
    """A saved text page: optional site line, title, publish-time line, paragraphs."""
    text, encoding = decode_bytes(_read_bytes(path), path)
    return _text_layout(_lines_of(text), encoding)


def _text_layout(raw_lines: list[str], encoding: str, fallback_title: str = "") -> _Parts:
    """Title, date, source and paragraphs of an article written as lines of plain text.

    The publish-time line anchors the layout: the last line before it that is not
    the site's welcome line is the title, everything after it is the body. Without
    one, the first line is the title (or ``fallback_title``, an e-mail's subject,
    when the text does not start with it).
    """
    lines = [clean_line(line) for line in raw_lines]
    site = ""
    if lines and (welcome := _WELCOME.match(lines[0])):
        site = welcome.group("site").strip()
        lines = lines[1:]
    date_at = next((i for i, line in enumerate(lines) if _DATE_LINE.match(line) and parse_datetime(line)), None)
    published = parse_datetime(lines[date_at]) if date_at is not None else None
    if date_at is not None and any(lines[:date_at]):
        title = next(line for line in reversed(lines[:date_at]) if line)
        body = lines[date_at + 1 :]
    elif fallback_title:
        title, body = fallback_title, [line for i, line in enumerate(lines) if i != date_at]
    else:
        head = [i for i, line in enumerate(lines) if line and i != date_at]
        title = lines[head[0]] if head else ""
        body = [line for i, line in enumerate(lines) if i != date_at and (not head or i > head[0])]
    source_match = SOURCE.search(lines[date_at]) if date_at is not None else None
    paragraphs, line_source = _split_source_lines(body)
    source = line_source or (source_match.group("source") if source_match else "") or site
    return _Parts(title, tab_tables(paragraphs), published, source, encoding=encoding)


def tab_tables(lines: list[str]) -> list:
    """Paragraph lines, with each run of two or more tab-separated rows of one width made a table.

    Text copied from a web page or a spreadsheet (and a Markdown table) keeps a table as
    one line per row with its cells between tabs. As a table, a bare number in it gets
    the unit of its column header ("支持资金（万元）"), as a .docx or HTML table's does.
    """
    blocks: list = []
    run: list[str] = []

    def close_run() -> None:
        rows = [[cell.strip() for cell in row.split("\t")] for row in run]
        blocks.extend([rows] if len(rows) > 1 else run)
        run.clear()

    for line in lines:
        if run and ("\t" not in line or line.count("\t") != run[0].count("\t")):
            close_run()
        if "\t" in line:
            run.append(line)
        else:
            blocks.append(line)
    close_run()
    return blocks


_MARKDOWN_MARKUP = re.compile(
    r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S)|\d+[.)]\s+)"  # heading, quote, list marker
    r"|!\[[^\]]*\]\([^)]*\)"  # image
    r"|\[([^\]]+)\]\([^)]*\)"  # link: keep its text
    r"|(\*\*|__|\*|_|`)(?=\S)|(?<=\S)(\*\*|__|\*|_|`)"  # emphasis and code marks
)
_MARKDOWN_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s*\|?\s*:?-{3,}")


def read_markdown(path: Path) -> _Parts:
    """A Markdown file: the same layout as a text page, with the markup taken off.

    Tables keep their rows as tab-separated lines; a ``---`` rule or table ruler is
    dropped. Links keep their text, images are dropped.
    """
    text, encoding = decode_bytes(_read_bytes(path), path)
    lines = []
    for line in _lines_of(text):
        if _MARKDOWN_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(_MARKDOWN_MARKUP.sub(lambda m: m.group(1) or "", line))
    return _text_layout(lines, encoding)


_FORWARD_HEADER = re.compile(
    r"^\s*(?:-{2,}.*(?:Forwarded|Original|转发|原始邮件).*-{2,}"
    r"|(?:From|To|Cc|Sent|Date|Subject|发件人|收件人|抄送|发送时间|日期|主题)\s*[:：].*)\s*$",
    re.IGNORECASE,
)
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:Fwd?|FW|Re|转发|回复)\s*[:：]\s*)+", re.IGNORECASE)


def read_eml(path: Path) -> _Parts:
    """A forwarded news e-mail: the article is in its HTML or plain-text body.

    The subject (without Fwd:/转发:) is the title when the body does not give one; the
    forwarding header block (发件人/From, 主题/Subject …) is not article text; the
    publish time comes from the body's 发布时间 line, else the mail's Date header.
    """
    import email
    import email.policy
    from email.utils import parsedate_to_datetime

    message = email.message_from_bytes(_read_bytes(path), policy=email.policy.default)
    subject = _SUBJECT_PREFIX.sub("", str(message.get("subject", ""))).strip()
    html_part = message.get_body(preferencelist=("html",))
    plain_part = message.get_body(preferencelist=("plain",))
    if html_part is None and plain_part is None:
        raise InputError(path, "the e-mail has no text or HTML body")
    if plain_part is not None:
        lines = [line for line in _lines_of(plain_part.get_content()) if not _FORWARD_HEADER.match(line)]
        parts = _text_layout(lines, "eml", fallback_title=subject)
    else:
        from briefing import html

        page = html.parse_page(html_part.get_content(), path)
        parts = _Parts(page.title or subject, page.paragraphs, page.published, page.source, page.url, "eml")
    if parts.published is None and message.get("date"):
        try:
            parts = replace(parts, published=_naive(parsedate_to_datetime(str(message["date"]))))
        except (TypeError, ValueError):
            pass
    return parts


def _split_source_lines(lines: list[str]) -> tuple[list[str], str]:
    """Drop ``（来源：…）`` lines from the body and return the source they name."""
    source = ""
    kept = []
    for line in lines:
        if match := _SOURCE_LINE.match(line):
            source = source or match.group("source").strip()
        else:
            kept.append(line)
    return kept, source


def read_docx(path: Path) -> _Parts:
    """A Word file: title paragraph, date/source line, body paragraphs and tables in order.

    Without a date line the file's created date stands in. The file's author is not
    the source: it names whoever typed the file ("Administrator"), not the publisher.
    """
    document, properties = _open_docx(path)
    blocks = _docx_blocks(document)
    texts = [b for b in blocks if isinstance(b, str)]
    title = next((t for t in texts if t), "") or (properties.title or "")
    if blocks and blocks[0] == title:
        blocks = blocks[1:]
    return _Parts(title, blocks, _naive(properties.created), encoding="docx")


def _naive(when: dt.datetime | None) -> dt.datetime | None:
    return when.replace(tzinfo=None) if when is not None else None


def _open_docx(path: Path):
    """The main document part and the core properties of a .docx, read from one copy of its bytes.

    Only those two parts are parsed (python-docx's ``Document()`` parses styles, theme,
    fonts and settings too, 15 times slower); the bytes are read once, so a file replaced
    mid-read cannot mix two versions. A zip bomb is refused from the sizes its directory
    declares, which bound what zipfile will unpack.
    """
    from docx.document import Document
    from docx.opc.coreprops import CoreProperties
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from lxml import etree

    raw = _read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_DOCX_UNPACKED_BYTES:
                raise InputError(path, f"the .docx unpacks to {unpacked // 1_000_000} MB; refused as a likely zip bomb")
            targets = _package_targets(archive.read("_rels/.rels"))
            main = parse_xml(archive.read(targets.get("officeDocument", "word/document.xml")))
            core = targets.get("core-properties")
            properties = CoreProperties(parse_xml(archive.read(core) if core in archive.namelist() else _EMPTY_CORE))
    except zipfile.BadZipFile as exc:
        raise InputError(path, "not a valid .docx file (the zip container is corrupt or truncated)") from exc
    except KeyError as exc:
        raise InputError(path, f"not a valid .docx file ({exc.args[0]}; is it another kind of zip file?)") from exc
    except (etree.LxmlError, ValueError, zlib.error, EOFError) as exc:
        raise InputError(path, f"the .docx is damaged ({exc.__class__.__name__}: {exc})") from exc
    if main.tag != qn("w:document"):
        raise InputError(path, f"not a Word document that can be read (its main part is {main.tag}); save it again from Word as a .docx")
    return Document(main, None), properties


_EMPTY_CORE = b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'


def _package_targets(relationships: bytes) -> dict[str, str]:
    """Part names by relationship type (``officeDocument``, ``core-properties``) from ``_rels/.rels``."""
    from lxml import etree

    root = etree.fromstring(relationships, etree.XMLParser(resolve_entities=False, no_network=True))
    return {rel.get("Type", "").rsplit("/", 1)[-1]: rel.get("Target", "").lstrip("/") for rel in root}


def _docx_blocks(document) -> list:
    """Paragraph texts (str) and tables (list of rows of cell texts) in document order."""
    from docx.table import Table

    blocks: list = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [[clean_line(cell.text) for cell in row.cells] for row in item.rows]
            if rows:
                blocks.append(rows)
        else:
            blocks.append(clean_line(item.text))
    return blocks


def read_html(path: Path) -> _Parts:
    """A saved web page; see :mod:`briefing.html` for how the body is found."""
    from briefing import html

    raw = _read_bytes(path, MAX_PAGE_BYTES)
    if len(raw) > MAX_FILE_BYTES:
        raw = _without_embedded_files(raw)
        if len(raw) > MAX_FILE_BYTES:
            raise InputError(
                path, f"the page holds {len(raw) // 1_000_000} MB even without its embedded images; "
                f"pages over {MAX_FILE_BYTES // 1_000_000} MB are refused (is it a data export rather than an article?)"
            )
    text, encoding = decode_bytes(raw, path, html.declared_charset(raw))
    page = html.parse_page(text, path)
    return _Parts(page.title, page.paragraphs, page.published, page.source, page.url, encoding)


_BASE64 = re.compile(rb"[A-Za-z0-9+/=\s]*")


def _without_embedded_files(raw: bytes) -> bytes:
    """``raw`` without the base64 payloads of ``data:`` URIs.

    A page saved as one file (SingleFile, a WeChat article kept with its pictures)
    carries its images and fonts inside as base64; they are what makes it big, and
    they are not text. A plain search, not one regular expression over the whole
    page, keeps this at about 0.1 s per 50 MB.
    """
    pieces, at = [], 0
    while (found := raw.find(b";base64,", at)) != -1:
        payload = found + len(b";base64,")
        pieces.append(raw[at:payload])
        at = _BASE64.match(raw, payload).end()
    pieces.append(raw[at:])
    return b"".join(pieces)


READERS: dict[str, Callable[[Path], _Parts]] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".eml": read_eml,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
}
"""Reader per lower-case suffix; adding a format means adding one entry."""


def read_article(path: str | Path) -> Article:
    """Read one file into an :class:`Article`; raise :class:`InputError` when it can't be."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise InputError(path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {supported})")
    parts = _lift_metadata_lines(_run_reader(reader, path))
    text, cells = _compose_text(parts.title, parts.paragraphs)
    if len(text) <= len(parts.title):
        raise InputError(path, "no article text found (only a title, or nothing readable)")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(path, f"the text is {len(text):,} characters, more than any news article ({MAX_TEXT_CHARS:,}); is it a data dump?")
    return Article(
        id=path.stem,
        path=str(path),
        title=parts.title,
        text=text,
        published=parts.published,
        source=parts.source,
        url=parts.url,
        encoding=parts.encoding,
        cells=tuple(cells),
    )


def _run_reader(reader: Callable[[Path], _Parts], path: Path) -> _Parts:
    """Run a reader; an unforeseen failure on one odd file becomes an InputError, not a crash.

    The rest of the folder must still be read. The message keeps the exception so the
    odd file can be reported and the reader fixed.
    """
    try:
        return reader(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - one file's surprise must not stop the run
        raise InputError(path, f"could not be read ({exc.__class__.__name__}: {exc}); please report this file") from exc


METADATA_LINES_AT_TOP = 3
"""How many leading body paragraphs may be date/source lines (发布日期：… 来源：…)."""


def _lift_metadata_lines(parts: _Parts) -> _Parts:
    """Move date and source lines at the top of the body into the metadata.

    Pages and Word files put "发布日期：2020年12月11日　来源：鄂尔多斯市科技局" under the
    title; it is metadata, and its date must not become a figure. The line's date wins
    over a file property (a .docx's created date is when the file was made).
    """
    published, source, kept = parts.published, parts.source, []
    for index, block in enumerate(parts.paragraphs):
        if index < METADATA_LINES_AT_TOP and isinstance(block, str) and _is_metadata_line(block):
            published = parse_datetime(block) or published
            source_match = SOURCE.search(block)
            source = source_match.group("source") if source_match else source
            continue
        kept.append(block)
    return replace(parts, paragraphs=kept, published=published, source=source)


def _is_metadata_line(line: str) -> bool:
    dated = _DATE_LINE.match(line) is not None and parse_datetime(line) is not None
    sourced = len(line) < 80 and (match := SOURCE.search(line)) is not None and match.start() < 4
    return dated or sourced


def _compose_text(title: str, blocks: list) -> tuple[str, list[TableCell]]:
    """Build :attr:`Article.text` from paragraphs and tables, recording table cell offsets."""
    pieces: list[str] = [title] if title else []
    cells: list[TableCell] = []
    offset = len(title) + 2 if title else 0
    for block in blocks:
        if isinstance(block, str):
            if block:
                pieces.append(block)
                offset += len(block) + 2
            continue
        rows_text, row_cells = _table_text(block, offset)
        pieces.append(rows_text)
        cells.extend(row_cells)
        offset += len(rows_text) + 2
    return "\n\n".join(pieces), cells


def _table_text(rows: list[list[str]], offset: int) -> tuple[str, list[TableCell]]:
    """One line per row, cells joined by tabs; data cells carry their column header."""
    header = rows[0]
    lines, cells = [], []
    position = offset
    for row_index, row in enumerate(rows):
        line_cells = []
        for column, cell in enumerate(row):
            if row_index and column:
                column_header = header[column] if column < len(header) else ""
                cells.append(TableCell(position, position + len(cell), column_header, row[0]))
            line_cells.append(cell)
            position += len(cell) + 1
        lines.append("\t".join(line_cells))
    return "\n".join(lines), cells


# ---------------------------------------------------------------- folders


@dataclass(frozen=True)
class IngestResult:
    """What a folder held: the articles read, sorted by id, and the files skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[SkippedFile, ...]


def input_files(folder: str | Path, exclude: str | Path | None = None) -> list[Path]:
    """Every regular file under ``folder`` (recursive, sorted), minus hidden and lock files.

    ``exclude`` is a folder left out, such as the outputs folder when it sits inside the
    inputs: a previous briefing must never be read back as an article.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "does not exist or is not a folder")
    excluded = Path(exclude).resolve() if exclude is not None else None
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and not p.name.startswith("~$")
        and not (excluded and p.resolve().is_relative_to(excluded))
    )


@dataclass(frozen=True)
class UnchangedFile:
    """A file :func:`read_files` did not read: the caller already holds it as it is."""

    path: str


RACY_SECONDS = 2
"""A file modified this recently may change again within the same clock tick: its stamp is not kept."""


def file_stamp(path: str | Path) -> str | None:
    """Size, modification and change times and inode of a file: equal stamps mean it need not be
    read again. The change time cannot be set back (``cp -p``, ``rsync -t`` and ``touch -d`` restore
    only the modification time). ``None`` for a file modified in the last :data:`RACY_SECONDS`, as
    git treats a "racily clean" file: an edit within the same tick would not change the stamp."""
    status = os.stat(path)
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) < RACY_SECONDS * 1_000_000_000:
        return None
    return f"{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"


def read_files(
    paths: Iterable[str | Path],
    exclude: str | Path | None = None,
    unchanged: Callable[[str, str], bool] | None = None,
    stamps: dict[str, str] | None = None,
) -> Iterator[Article | SkippedFile | UnchangedFile]:
    """Read each file named, or under each folder named, one at a time (memory stays flat).

    Yields an :class:`Article` per readable file and a :class:`SkippedFile` per file that
    cannot be read or path that does not exist. Files that share a name (``news.txt`` in
    two folders) get their path relative to the folder given as id, so ids stay distinct.
    ``unchanged(path, stamp)`` says whether a file is already stored as it is (then an
    :class:`UnchangedFile` is yielded and the file is not read); ``stamps`` receives each
    read file's :func:`file_stamp`, taken before it is read, for the caller to store.
    """
    listed: list[tuple[Path, Path]] = []
    for given in map(Path, paths):
        if given.is_file():
            listed.append((given, given.parent))
        elif given.is_dir():
            listed.extend((path, given) for path in input_files(given, exclude))
        else:
            yield SkippedFile(str(given), "does not exist")
    stems = Counter(path.stem for path, _ in listed)
    for path, root in listed:
        try:
            stamp = file_stamp(path)
        except OSError as exc:
            yield SkippedFile(str(path), _unreadable(exc))
            continue
        if unchanged is not None and stamp is not None and unchanged(str(path), stamp):
            yield UnchangedFile(str(path))
            continue
        if stamps is not None and stamp is not None:
            stamps[str(path)] = stamp
        try:
            article = read_article(path)
        except InputError as exc:
            yield SkippedFile(exc.path, exc.reason)
            continue
        yield replace(article, id=path.relative_to(root).as_posix()) if stems[path.stem] > 1 else article


def read_folder(
    folder: str | Path,
    on_skip: Callable[[SkippedFile], None] | None = None,
    exclude: str | Path | None = None,
) -> IngestResult:
    """Read every file in ``folder`` (but ``exclude``); a bad file is skipped and reported, never fatal."""
    input_files(folder)  # a missing folder is an error here, not a skipped file
    articles, skipped = [], []
    for item in read_files([folder], exclude):
        if isinstance(item, SkippedFile):
            skipped.append(item)
            if on_skip:
                on_skip(item)
        else:
            articles.append(item)
    return IngestResult(tuple(articles), tuple(skipped))
