"""Remember what was read: one SQLite file of articles, facts, runs, issue numbers and sends.

Staff run the tool every week, and a briefing compares with earlier weeks after their
input files are gone, so every article is stored with its text, its content hash and
its facts. Re-ingesting an unchanged file adds nothing; an edited file replaces its
facts; a republished story is linked to the original (:mod:`briefing.dedup`).

Concurrency and safety: WAL journal and a busy timeout let two ``briefing`` processes
ingest at once; each article is written in its own transaction, so an interrupted run
loses nothing already stored. The schema is versioned in ``PRAGMA user_version`` and
migrated forward by :data:`MIGRATIONS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from briefing import dedup
from briefing.errors import BriefingError
from briefing.models import Article, Fact, TableCell

DEFAULT_PATH = Path("briefing.db")
CANDIDATES_COMPARED = 20
"""Stored articles whose signatures are compared per lookup, those sharing the most LSH bands."""
BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another process's transaction before giving up."""


class StoreError(BriefingError):
    """The store cannot be opened or written."""


MIGRATIONS: tuple[str, ...] = (
    # 1: articles, facts, LSH bands for near-duplicates, runs, issue numbers, sends
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        published TEXT,
        week TEXT,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        encoding TEXT NOT NULL,
        text TEXT NOT NULL,
        cells TEXT NOT NULL,
        signature BLOB NOT NULL,
        duplicate_of TEXT REFERENCES articles(id) ON DELETE SET NULL,
        stored_at TEXT NOT NULL
    );
    CREATE INDEX articles_week ON articles(week);
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
    CREATE TABLE facts (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        surface TEXT NOT NULL,
        value TEXT NOT NULL,
        unit TEXT NOT NULL,
        qualifier TEXT NOT NULL,
        category TEXT NOT NULL,
        sentence TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        row_label TEXT NOT NULL,
        places TEXT NOT NULL,
        orgs TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    );
    CREATE TABLE bands (
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    CREATE INDEX bands_key ON bands(key);
    CREATE INDEX bands_article ON bands(article_id);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        files INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL DEFAULT 0,
        replaced INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        week TEXT
    );
    CREATE TABLE issues (
        week TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        number INTEGER NOT NULL,
        assigned_at TEXT NOT NULL,
        UNIQUE (year, number)
    );
    CREATE TABLE sends (
        week TEXT NOT NULL,
        issue_number INTEGER,
        recipient TEXT NOT NULL,
        attachment_hash TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (week, recipient, attachment_hash)
    );
    """,
    # 2: an issue keeps its 总第N期 and its date from when it was first numbered
    """
    ALTER TABLE issues ADD COLUMN cumulative INTEGER;
    ALTER TABLE issues ADD COLUMN issued_on TEXT;
    UPDATE issues SET issued_on = substr(assigned_at, 1, 10);
    UPDATE issues SET cumulative = (
        SELECT COUNT(*) FROM issues AS earlier
        WHERE earlier.assigned_at < issues.assigned_at
           OR (earlier.assigned_at = issues.assigned_at AND earlier.week <= issues.week))
    """,
    # 3: the places and organisations of an article's headline and opening sentence, found at
    # ingest so that a build never loads the entity lexicon (NULL for articles stored before)
    """
    ALTER TABLE articles ADD COLUMN story TEXT;
    """,
    # 4: each file's stamp when it was read (size, modification and change times, inode), so an
    # unchanged file is not read again (NULL until a file is next read)
    """
    ALTER TABLE articles ADD COLUMN file_stamp TEXT;
    CREATE INDEX articles_path ON articles(path);
    """,
)
"""Schema steps; step N brings ``user_version`` from N-1 to N. Append, never edit."""


@dataclass(frozen=True)
class Issue:
    """One numbered briefing, as the store keeps it."""

    number: int
    """第N期, within the ISO year of the week."""
    cumulative: int
    """总第N期: the order in which weeks were first numbered, across years."""
    issued_on: dt.date
    """The date printed on the briefing: the day it was first numbered (or renumbered by hand)."""


@dataclass(frozen=True)
class StoredArticle:
    """What storing one article did."""

    id: str
    status: str
    """``added``, ``replaced`` (the file changed) or ``unchanged``."""
    duplicate_of: str | None


def content_hash(article: Article) -> str:
    """Hash of what the article says (title, text, date); a re-saved file with the same content matches."""
    published = article.published.isoformat() if article.published else ""
    return hashlib.sha256("\x1f".join((article.title, article.text, published)).encode("utf-8")).hexdigest()


class Store:
    """The SQLite store; use as a context manager (``with Store.open(path) as store:``)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: bool = False):
        self._db = connection
        self.path = path
        self.read_only = read_only
        """Opened read-only: every write raises :class:`StoreError`."""

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | Path = DEFAULT_PATH) -> Store:
        """Open (or create) the store at ``path`` and bring its schema up to date.

        A store whose file is marked read-only is opened read-only (see
        :func:`is_read_only`): it can be listed and reported from, and the first write
        raises :class:`StoreError` before anything else happens.
        """
        path = Path(path)
        if path.exists() and path.is_dir():
            raise StoreError(f"store {path} is a folder; give --db a file name such as briefing.db")
        read_only = is_read_only(path)
        try:
            if read_only:
                connection = sqlite3.connect(_read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = ON")
            store = cls(connection, path, read_only)
            if not read_only:
                _use_wal(connection)
            # WAL with synchronous=NORMAL cannot corrupt the file; a power cut may lose the
            # last batch, which the next run simply reads again.
            connection.execute("PRAGMA synchronous = NORMAL")
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the store {path}: {exc}. Is it a briefing store, and can you write to its folder?") from exc
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc.strerror or exc}") from exc
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        """Apply the steps of :data:`MIGRATIONS` the store lacks, all in one write transaction.

        The version is read inside the transaction, so two processes opening a new store
        at once do not both create it: the second waits, then finds it up to date.
        """
        if self.read_only:
            self._check_version(self.schema_version(), upgrade_needed=True)
            return
        with self._transaction():
            version = self.schema_version()
            self._check_version(version)
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in filter(str.strip, script.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def _check_version(self, version: int, upgrade_needed: bool = False) -> None:
        if version > len(MIGRATIONS):
            raise StoreError(
                f"the store {self.path} was written by a newer briefing (schema {version}, this one knows {len(MIGRATIONS)}); upgrade briefing"
            )
        if upgrade_needed and version < len(MIGRATIONS):
            raise StoreError(
                f"the store {self.path} is read-only and was written by an older briefing (schema {version}, now {len(MIGRATIONS)}); "
                "make it writable once so it can be upgraded"
            )

    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _transaction(self):
        if self.read_only:
            raise StoreError(_READ_ONLY.format(path=self.path))
        return _Transaction(self._db, self.path)

    # ------------------------------------------------------------ articles

    def known_hash(self, article_id: str) -> str | None:
        """The content hash stored for ``article_id``, or ``None`` when it is new."""
        row = self._db.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def add(self, article: Article, facts: list[Fact], story: Mapping | None = None) -> StoredArticle:
        """Store one article and its facts (see :meth:`add_many`)."""
        return self.add_many([(article, facts)], {article.id: story} if story is not None else None)[0]

    def add_many(
        self,
        items: list[tuple[Article, list[Fact]]],
        stories: Mapping[str, Mapping] | None = None,
        stamps: Mapping[str, str] | None = None,
    ) -> list[StoredArticle]:
        """Store articles with their facts in one transaction; link each to the story it republishes.

        Callers extract first and hand over a batch, so the write lock is held only
        for the writing and another process ingesting at the same time waits briefly.
        An unchanged article (same id, same content hash) is left as it is. ``stories``
        holds, per article id, the names of its headline and opening sentence
        (:func:`briefing.aggregate.story_names`), kept for the build; ``stamps``, per file
        path, its :func:`briefing.ingest.file_stamp` when it was read (:meth:`file_unchanged`).
        """
        results = []
        with self._transaction():
            for article, facts in items:
                story, stamp = (stories or {}).get(article.id), (stamps or {}).get(article.path)
                results.append(self._write(article, facts, story, stamp))
        return results

    def record_stamp(self, article_id: str, path: str, stamp: str | None, story: Mapping | None = None) -> None:
        """Note that ``article_id`` was read from ``path`` when it had this :func:`~briefing.ingest.file_stamp`
        (and, for an article stored before they were kept, its headline names)."""
        with self._transaction():
            self._set_stamp(article_id, path, stamp)
            if story is not None:
                self._db.execute("UPDATE articles SET story = ? WHERE id = ?", (json.dumps(story, ensure_ascii=False), article_id))

    def _set_stamp(self, article_id: str, path: str, stamp: str | None) -> None:
        self._db.execute("UPDATE articles SET path = ?, file_stamp = ? WHERE id = ?", (path, stamp, article_id))

    def file_unchanged(self, path: str, stamp: str) -> bool:
        """Whether the file at ``path`` is stored as read when it had this :func:`~briefing.ingest.file_stamp`."""
        return self._db.execute("SELECT 1 FROM articles WHERE path = ? AND file_stamp = ?", (path, stamp)).fetchone() is not None

    def _write(self, article: Article, facts: list[Fact], story: Mapping | None = None, stamp: str | None = None) -> StoredArticle:
        digest = content_hash(article)
        known = self.known_hash(article.id)
        if known == digest:
            self._set_stamp(article.id, article.path, stamp)
            row = self._db.execute("SELECT duplicate_of FROM articles WHERE id = ?", (article.id,)).fetchone()
            return StoredArticle(article.id, "unchanged", row[0])
        sig = dedup.signature(article.text[article.body_start :])
        if known is not None:  # an edited file: its old facts and bands go
            self._db.execute("DELETE FROM facts WHERE article_id = ?", (article.id,))
            self._db.execute("DELETE FROM bands WHERE article_id = ?", (article.id,))
        self._db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "path=excluded.path, content_hash=excluded.content_hash, title=excluded.title, published=excluded.published, "
            "week=excluded.week, source=excluded.source, url=excluded.url, encoding=excluded.encoding, text=excluded.text, "
            "cells=excluded.cells, signature=excluded.signature, duplicate_of=NULL, stored_at=excluded.stored_at, "
            "story=excluded.story, file_stamp=excluded.file_stamp",
            (
                article.id, article.path, digest, article.title,
                article.published.isoformat() if article.published else None, article.iso_week,
                article.source, article.url, article.encoding, article.text,
                json.dumps([[c.start, c.end, c.header, c.row_label] for c in article.cells], ensure_ascii=False),
                dedup.to_bytes(sig), _now(), json.dumps(story, ensure_ascii=False) if story is not None else None, stamp,
            ),
        )
        self._db.executemany("INSERT INTO facts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [_fact_row(article.id, i, f) for i, f in enumerate(facts)])
        keys = dedup.bands(sig)
        original = self._link_duplicate(article, sig, keys)
        self._db.executemany("INSERT INTO bands VALUES (?,?)", [(key, article.id) for key in keys])
        return StoredArticle(article.id, "replaced" if known else "added", original)

    def _link_duplicate(self, article: Article, sig, keys: list[int]) -> str | None:
        """Point ``article`` (or the stored story it matches) at whichever was published first."""
        match = self._most_similar(article.id, sig, keys)
        if match is None:
            return None
        root = self._db.execute("SELECT COALESCE(duplicate_of, id) FROM articles WHERE id = ?", (match,)).fetchone()[0]
        root_published = self._db.execute("SELECT published FROM articles WHERE id = ?", (root,)).fetchone()[0]
        mine = article.published.isoformat() if article.published else None
        if mine is not None and (root_published is None or mine < root_published):
            self._db.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", (article.id, root))
            self._db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", (article.id, root))
            return None
        self._db.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", (root, article.id))
        return root

    def _most_similar(self, article_id: str, sig, keys: list[int]) -> str | None:
        """The stored article most similar to ``sig`` above :data:`dedup.SIMILARITY`, found through LSH bands.

        Candidates are ranked by how many bands they share (the expected count grows
        with similarity), and only the best :data:`CANDIDATES_COMPARED` have their
        signatures compared, so a store full of related stories stays fast.
        """
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(
            f"SELECT a.id, a.signature FROM (SELECT article_id, COUNT(*) AS shared FROM bands WHERE key IN ({marks}) "
            f"AND article_id != ? GROUP BY article_id ORDER BY shared DESC LIMIT {CANDIDATES_COMPARED}) c "
            "JOIN articles a ON a.id = c.article_id",
            [*keys, article_id],
        ).fetchall()
        best = dedup.most_similar(sig, [stored for _, stored in rows])
        return rows[best][0] if best is not None else None

    def weeks(self) -> list[str]:
        """ISO weeks that have stored articles, oldest first."""
        return [row[0] for row in self._db.execute("SELECT DISTINCT week FROM articles WHERE week IS NOT NULL ORDER BY week")]

    def articles(self, weeks: Iterable[str] | None = None) -> list[Article]:
        """Stored articles of ``weeks`` (all when ``None``), by id."""
        columns = "id, path, title, text, published, source, url, encoding, cells, duplicate_of"
        if weeks is None:
            rows = self._db.execute(f"SELECT {columns} FROM articles ORDER BY id")
        else:
            weeks = list(weeks)
            marks = ",".join("?" * len(weeks))
            rows = self._db.execute(f"SELECT {columns} FROM articles WHERE week IN ({marks}) ORDER BY id", weeks)
        return [_article(row) for row in rows]

    def facts(self, article_ids: Iterable[str]) -> dict[str, list[Fact]]:
        """Stored facts of each article, in text order."""
        found: dict[str, list[Fact]] = {}
        for article_id in article_ids:
            rows = self._db.execute("SELECT * FROM facts WHERE article_id = ? ORDER BY seq", (article_id,))
            found[article_id] = [_fact(row) for row in rows]
        return found

    def stories(self, article_ids: Iterable[str]) -> dict[str, dict]:
        """The stored headline and opening-sentence names of each article that has them."""
        ids = list(article_ids)
        found = {}
        for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):  # SQLite's limit on parameters
            marks = ",".join("?" * len(chunk))
            for article_id, story in self._db.execute(f"SELECT id, story FROM articles WHERE id IN ({marks}) AND story IS NOT NULL", chunk):
                found[article_id] = json.loads(story)
        return found

    def fact_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT article_id, COUNT(*) FROM facts GROUP BY article_id"))

    # ------------------------------------------------------------ issue numbers

    def issue(self, week: str, today: dt.date, override: int | None = None) -> Issue:
        """The briefing's issue for ``week``: numbered once, so a rebuild says the same 第N期 of the same date.

        A new week gets one more than the highest 第N期 of its ISO year (the first
        briefing of a year is 第1期), the next 总第N期, and ``today`` as its date.
        ``override`` (``--issue``) renumbers the week and dates it ``today``, unless
        another week of that year already has that number; 总第N期 stays.
        """
        year = int(week[:4])
        with self._transaction():
            stored = self._issue_row(week)
            if stored and override is None:
                return stored
            number = self._check_free_number(week, year, override) if override is not None else self._next_number(year)
            cumulative = stored.cumulative if stored else self._next_cumulative()
            self._db.execute(
                "INSERT INTO issues (week, year, number, assigned_at, cumulative, issued_on) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (week) DO UPDATE SET number = excluded.number, assigned_at = excluded.assigned_at, "
                "issued_on = excluded.issued_on",
                (week, year, number, _now(), cumulative, today.isoformat()),
            )
        return Issue(number, cumulative, today)

    def stored_issue(self, week: str) -> Issue | None:
        """The issue ``week`` was built as, or ``None`` when it was never built: looking never numbers it."""
        return self._issue_row(week)

    def _issue_row(self, week: str) -> Issue | None:
        row = self._db.execute("SELECT number, cumulative, issued_on FROM issues WHERE week = ?", (week,)).fetchone()
        return Issue(row[0], row[1], dt.date.fromisoformat(row[2])) if row else None

    def _next_number(self, year: int) -> int:
        highest = self._db.execute("SELECT MAX(number) FROM issues WHERE year = ?", (year,)).fetchone()[0]
        return (highest or 0) + 1

    def _next_cumulative(self) -> int:
        return (self._db.execute("SELECT MAX(cumulative) FROM issues").fetchone()[0] or 0) + 1

    def _check_free_number(self, week: str, year: int, number: int) -> int:
        if number < 1:
            raise StoreError(f"issue number {number} is not valid; issues are numbered from 1")
        holder = self._db.execute("SELECT week FROM issues WHERE year = ? AND number = ? AND week != ?", (year, number, week)).fetchone()
        if holder:
            raise StoreError(f"issue {number} of {year} is already the briefing of {holder[0]}; pass another --issue, or none to keep the numbering")
        return number

    # ------------------------------------------------------------ sends

    def sends(self, week: str, issue: int, content_hash: str) -> dict[str, str]:
        """Recipients who already have this briefing (week, issue and content), with when it was sent."""
        rows = self._db.execute(
            "SELECT recipient, sent_at FROM sends WHERE week = ? AND issue_number = ? AND attachment_hash = ?",
            (week, issue, content_hash),
        )
        return dict(rows.fetchall())

    def record_sends(self, week: str, issue: int, content_hash: str, recipients: Iterable[str]) -> None:
        """Log recipients a server accepted the briefing for; a forced resend updates the time."""
        with self._transaction():
            self._db.executemany(
                "INSERT INTO sends (week, issue_number, recipient, attachment_hash, sent_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (week, recipient, attachment_hash) DO UPDATE SET issue_number = excluded.issue_number, sent_at = excluded.sent_at",
                [(week, issue, recipient, content_hash, _now()) for recipient in recipients],
            )

    # ------------------------------------------------------------ runs

    def start_run(self, command: str) -> int:
        with self._transaction():
            cursor = self._db.execute("INSERT INTO runs (command, started_at) VALUES (?, ?)", (command, _now()))
        return cursor.lastrowid

    def finish_run(self, run_id: int, **counts: int | str | None) -> None:
        assignments = ", ".join(f"{name} = ?" for name in counts)
        with self._transaction():
            self._db.execute(f"UPDATE runs SET finished_at = ?, {assignments} WHERE id = ?", (_now(), *counts.values(), run_id))


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``/``ROLLBACK``, turning SQLite failures into StoreError."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db, self._path = connection, path

    def __enter__(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _store_error(self._path, exc) from exc

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            try:
                self._db.execute("COMMIT")
                return
            except sqlite3.OperationalError as commit_error:
                self._db.execute("ROLLBACK")
                raise _store_error(self._path, commit_error) from commit_error
        self._db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError):
            raise _store_error(self._path, exc) from exc


_READ_ONLY = "the store {path} is read-only; nothing was changed. Make it writable (chmod u+w) or pass --db with another file"


def is_read_only(path: Path) -> bool:
    """Whether the store file at ``path`` must not be written.

    True when nobody has write permission on it (``chmod a-w``, how a user protects a
    file), which is respected even when briefing runs as root, who could write it
    anyway; and when this user may not write it or its file system is mounted read-only
    (``os.access``). A store that does not exist yet is not read-only.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the store to WAL, waiting for a process that holds it meanwhile.

    SQLite answers "database is locked" at once, without its busy wait, when another
    connection is using the file as this one changes the journal mode; two processes
    opening a new store together meet exactly that.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _read_only_uri(path: Path) -> str:
    """A read-only SQLite URI for ``path``.

    A store closed cleanly has no ``-wal`` file; it is then opened ``immutable`` too, so
    SQLite leaves no lock files beside it (and needs no writable folder). With a ``-wal``
    file, whose pages are part of the store, SQLite reads it.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri if path.with_name(path.name + "-wal").exists() else uri + "&immutable=1"


def _store_error(path: Path, exc: sqlite3.OperationalError) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(_READ_ONLY.format(path=path))
    if "locked" in text or "busy" in text:
        return StoreError(f"the store {path} is busy: another briefing process held it for {BUSY_TIMEOUT_MS // 1000} s; try again")
    return StoreError(f"the store {path} could not be written: {text}")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _fact_row(article_id: str, seq: int, fact: Fact) -> tuple:
    return (
        article_id, seq, fact.kind, fact.surface, json.dumps(fact.value), fact.unit, fact.qualifier, fact.category,
        fact.sentence, fact.start, fact.end, fact.row_label,
        json.dumps(list(fact.places), ensure_ascii=False), json.dumps(list(fact.orgs), ensure_ascii=False),
    )


def _fact(row: tuple) -> Fact:
    article_id, _, kind, surface, value, unit, qualifier, category, sentence, start, end, row_label, places, orgs = row
    return Fact(
        article_id, kind, surface, json.loads(value), unit, qualifier, category, sentence, start, end, row_label,
        tuple(json.loads(places)), tuple(json.loads(orgs)),
    )


def _article(row: tuple) -> Article:
    article_id, path, title, text, published, source, url, encoding, cells, duplicate_of = row
    return Article(
        id=article_id,
        path=path,
        title=title,
        text=text,
        published=dt.datetime.fromisoformat(published) if published else None,
        source=source,
        url=url,
        encoding=encoding,
        cells=tuple(TableCell(*cell) for cell in json.loads(cells)),
        duplicate_of=duplicate_of,
    )
