"""The SQLite store: a real file, real articles, several processes."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import dedup
from briefing import store as store_module
from briefing.extract import extract_facts
from briefing.ingest import read_article
from briefing.pipeline import ingest_paths
from briefing.store import MIGRATIONS, Issue, Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
S06 = "s06_ulanqab_bayannur_agri_docking"
S07 = "s07_ulanqab_bayannur_agri_docking_repost"


def stored(db: Path, *names: str) -> Store:
    store = Store.open(db)
    for name in names:
        article = read_article(next(INPUTS.glob(f"{name}.*")))
        store.add(article, extract_facts(article))
    return store


def test_articles_and_facts_come_back_as_they_were_stored(tmp_path):
    article = read_article(INPUTS / "s09_special_fund_allocation_table.docx")
    facts = extract_facts(article)
    with Store.open(tmp_path / "briefing.db") as store:
        store.add(article, facts)
    with Store.open(tmp_path / "briefing.db") as store:
        assert store.articles(["2020-W52"]) == [article]
        assert store.facts([article.id]) == {article.id: facts}
        assert store.weeks() == ["2020-W52"]


def test_ingesting_the_same_files_again_adds_nothing(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        first = ingest_paths(store, [INPUTS])
        second = ingest_paths(store, [INPUTS])
        assert (first.added, first.unchanged) == (12, 0)
        assert (second.added, second.replaced, second.unchanged) == (0, 0, 12)
        assert len(store.articles()) == 12
        assert sum(store.fact_counts().values()) == 161


def test_an_edited_file_replaces_its_facts(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    path = folder / "s04_hohhot_cooperation_meeting.txt"
    shutil.copy(INPUTS / path.name, path)
    with Store.open(tmp_path / "briefing.db") as store:
        ingest_paths(store, [folder])
        path.write_text(path.read_text(encoding="utf-8").replace("4.7亿元", "5.2亿元"), encoding="utf-8")
        summary = ingest_paths(store, [folder])
        facts = store.facts([path.stem])[path.stem]
    assert summary.replaced == 1
    assert "5.2亿元" in [f.surface for f in facts] and "4.7亿元" not in [f.surface for f in facts]


def test_weeks_accumulate_after_the_input_files_are_gone(tmp_path):
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    stored(db, "s05_tongliao_cau_agreement").close()
    with Store.open(db) as store:
        assert store.weeks() == ["2020-W50", "2020-W51"]


def test_a_republished_story_is_linked_to_the_original_in_either_order(tmp_path):
    with stored(tmp_path / "a.db", "s06_ulanqab_bayannur_agri_docking", "s07_ulanqab_bayannur_agri_docking_repost") as store:
        links = {a.id: a.duplicate_of for a in store.articles()}
    assert links == {S06: None, S07: S06}
    # the repost arrives first: the original, published a day earlier, still wins
    with stored(tmp_path / "b.db", "s07_ulanqab_bayannur_agri_docking_repost", "s06_ulanqab_bayannur_agri_docking") as store:
        links = {a.id: a.duplicate_of for a in store.articles()}
    assert links == {S06: None, S07: S06}


def test_no_unrelated_sample_pair_is_taken_for_a_repost(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        ingest_paths(store, [INPUTS])
        reposts = {a.id: a.duplicate_of for a in store.articles() if a.duplicate_of}
    assert reposts == {S07: S06}


def test_minhash_estimates_the_shingle_similarity():
    texts = {p.stem: (a := read_article(p)).text[a.body_start :] for p in sorted(INPUTS.iterdir())}
    sims = {
        (x, y): (dedup.jaccard(dedup.shingles(texts[x]), dedup.shingles(texts[y])),
                 dedup.estimated_similarity(dedup.signature(texts[x]), dedup.signature(texts[y])))
        for x, y in itertools.combinations(sorted(texts), 2)
    }
    exact, estimate = sims[(S06, S07)]
    assert exact > 0.6 and abs(exact - estimate) < 0.1
    assert max(max(pair) for key, pair in sims.items() if key != (S06, S07)) < 0.1


def test_a_newer_schema_is_refused_with_advice(tmp_path):
    db = tmp_path / "briefing.db"
    Store.open(db).close()
    connection = sqlite3.connect(db)
    connection.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer briefing"):
        Store.open(db)


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    db = tmp_path / "briefing.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(db)


def test_a_store_marked_read_only_is_read_but_never_written(tmp_path):
    """chmod a-w is how a user protects a file; it holds when briefing runs as root (who could write anyway) too."""
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = db.read_bytes()
    with Store.open(db) as store:
        assert store.read_only
        assert [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]
        article = read_article(INPUTS / "s05_tongliao_cau_agreement.txt")
        with pytest.raises(StoreError, match=f"store {db} is read-only; nothing was changed"):
            store.add(article, extract_facts(article))
        with pytest.raises(StoreError, match="read-only"):
            ingest_paths(store, [INPUTS])
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.db"]  # no lock files left beside it
    db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with Store.open(db) as store:
        assert not store.read_only and [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]


def test_a_read_only_store_from_an_older_briefing_asks_to_be_made_writable(tmp_path, monkeypatch):
    db = tmp_path / "briefing.db"
    Store.open(db).close()
    db.chmod(stat.S_IRUSR)
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "CREATE TABLE later (x)"))
    with pytest.raises(StoreError, match="read-only and was written by an older briefing .*make it writable once"):
        Store.open(db)


def test_a_read_only_connection_reports_read_only_and_keeps_the_data(tmp_path):
    """Root ignores file modes, so open SQLite itself read-only: the same error a locked file gives."""
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    read_only = Store(sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None), db)
    article = read_article(INPUTS / "s05_tongliao_cau_agreement.txt")
    with pytest.raises(StoreError, match="read-only"):
        read_only.add(article, extract_facts(article))
    read_only.close()
    with Store.open(db) as store:
        assert [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]


def test_a_folder_given_as_the_store_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)


def test_two_briefing_processes_ingesting_into_a_new_store_at_once_store_everything_once(tmp_path):
    """Two real ``briefing ingest`` processes, started together on a store neither has created."""
    db = tmp_path / "briefing.db"
    command = [sys.executable, "-m", "briefing", "ingest", str(INPUTS), "--db", str(db)]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    added = [int(re.search(r"(\d+) added", out).group(1)) for out, _ in outputs]
    unchanged = [int(re.search(r"(\d+) unchanged", out).group(1)) for out, _ in outputs]
    assert sum(added) == 12 and [a + u for a, u in zip(added, unchanged)] == [12, 12]
    expected = {p.stem: len(extract_facts(read_article(p))) for p in INPUTS.iterdir()}
    with Store.open(db) as store:
        assert store.fact_counts() == {k: v for k, v in expected.items() if v}
        assert {a.id: a.duplicate_of for a in store.articles() if a.duplicate_of} == {S07: S06}


def test_a_new_store_starts_at_the_latest_schema(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        assert store.schema_version() == len(MIGRATIONS)


def test_an_older_store_is_migrated_forward_keeping_its_articles(tmp_path, monkeypatch):
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    step = "ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT 'zh'; CREATE INDEX articles_language ON articles(language)"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, step))
    with Store.open(db) as store:
        assert store.schema_version() == len(MIGRATIONS) + 1
        assert [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]
        assert store._db.execute("SELECT language FROM articles").fetchall() == [("zh",)]


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, "ALTER TABLE articles ADD COLUMN x TEXT; ALTER TABLE nowhere ADD COLUMN y TEXT"))
    with pytest.raises(StoreError, match="nowhere"):
        Store.open(db)
    monkeypatch.undo()
    with Store.open(db) as store:
        assert store.schema_version() == len(MIGRATIONS)
        assert "x" not in [row[1] for row in store._db.execute("PRAGMA table_info(articles)")]
        assert [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]


def test_same_id_with_different_content_replaces_rather_than_duplicates(tmp_path):
    article = read_article(INPUTS / "s01_baotou_cas_rare_earth.txt")
    with Store.open(tmp_path / "briefing.db") as store:
        store.add(article, [])
        result = store.add(replace(article, text=article.text + "\n\n新增一段。"), [])
        assert result.status == "replaced"
        assert len(store.articles()) == 1


MONDAY, TUESDAY = dt.date(2020, 12, 21), dt.date(2020, 12, 22)


def test_issues_keep_their_number_total_and_date_and_numbers_restart_each_year(tmp_path):
    db = tmp_path / "briefing.db"
    with Store.open(db) as store:
        assert store.issue("2020-W51", MONDAY) == Issue(1, 1, MONDAY)
        assert store.issue("2020-W52", TUESDAY) == Issue(2, 2, TUESDAY)
        assert store.issue("2021-W01", TUESDAY) == Issue(1, 3, TUESDAY)
    with Store.open(db) as store:  # a later run rebuilding the same weeks on another day
        assert store.issue("2020-W52", dt.date(2021, 1, 5)) == Issue(2, 2, TUESDAY)
        assert store.stored_issue("2020-W51") == Issue(1, 1, MONDAY)
        assert store.stored_issue("2021-W02") is None


def test_an_earlier_week_numbered_later_takes_the_next_number_and_total(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        store.issue("2020-W52", MONDAY)
        assert store.issue("2020-W51", TUESDAY) == Issue(2, 2, TUESDAY)
        assert store.stored_issue("2020-W52") == Issue(1, 1, MONDAY)


def test_an_issue_number_given_by_hand_is_kept_and_cannot_take_another_weeks(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        assert store.issue("2020-W50", MONDAY, override=48) == Issue(48, 1, MONDAY)
        assert store.issue("2020-W50", TUESDAY) == Issue(48, 1, MONDAY)
        assert store.issue("2020-W51", MONDAY).number == 49
        with pytest.raises(StoreError, match="issue 48 of 2020 is already the briefing of 2020-W50"):
            store.issue("2020-W52", MONDAY, override=48)
        with pytest.raises(StoreError, match="numbered from 1"):
            store.issue("2020-W52", MONDAY, override=0)
        assert store.issue("2020-W51", TUESDAY, override=51) == Issue(51, 2, TUESDAY)
        assert store.stored_issue("2020-W52") is None  # the refused overrides numbered nothing


def test_issues_of_a_schema_1_store_get_their_total_and_date(tmp_path):
    db = tmp_path / "briefing.db"
    connection = sqlite3.connect(db)
    connection.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
    connection.executemany("INSERT INTO issues (week, year, number, assigned_at) VALUES (?, ?, ?, ?)",
                           [("2020-W52", 2020, 2, "2020-12-28T09:00:00"), ("2020-W51", 2020, 1, "2020-12-21T09:00:00")])
    connection.commit()
    connection.close()
    with Store.open(db) as store:
        assert store.stored_issue("2020-W51") == Issue(1, 1, dt.date(2020, 12, 21))
        assert store.stored_issue("2020-W52") == Issue(2, 2, dt.date(2020, 12, 28))


def test_headline_names_are_kept_at_ingest_so_a_build_needs_no_entity_lexicon(tmp_path):
    from briefing import aggregate
    from briefing.extract import entities

    with Store.open(tmp_path / "briefing.db") as store:
        ingest_paths(store, [INPUTS])
        articles = store.articles(["2020-W52"])
        ids = [a.id for a in articles]
        stories = store.stories(ids)
        assert set(stories) == set(ids)
        assert stories["s10_chifeng_transfer_gbk"]["title"][0] == ["赤峰市"]
        facts = store.facts(ids)
    entities._lexicon.cache_clear()
    stored_digest = aggregate.digest_week(articles, facts, "2020-W52", stories=stories)
    assert entities._lexicon.cache_info().currsize == 0
    assert stored_digest.by_place == aggregate.digest_week(articles, facts, "2020-W52").by_place


def test_articles_stored_without_headline_names_have_them_found_when_built(tmp_path):
    """A schema-2 store (before names were kept) is migrated; its articles are placed as before."""
    from briefing import aggregate

    db = tmp_path / "briefing.db"
    connection = sqlite3.connect(db)
    connection.executescript(MIGRATIONS[0] + ";" + MIGRATIONS[1] + "; PRAGMA user_version = 2;")
    connection.close()
    with Store.open(db) as store:
        assert store.schema_version() == len(MIGRATIONS)
        article = read_article(INPUTS / "s10_chifeng_transfer_gbk.html")
        store.add(article, extract_facts(article))
        assert store.stories([article.id]) == {}
        digest = aggregate.digest_week(store.articles(), store.facts([article.id]), "2020-W52", stories=store.stories([article.id]))
    assert [row.place for row in digest.by_place] == ["赤峰市"]


def test_a_file_stored_with_the_same_size_and_time_is_not_read_again(tmp_path, monkeypatch):
    import os

    import briefing.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "RACY_SECONDS", 0)  # the copies below are seconds old
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    reads: list[str] = []
    real_read = ingest_module.read_article
    monkeypatch.setattr(ingest_module, "read_article", lambda path: reads.append(Path(path).name) or real_read(path))
    with Store.open(tmp_path / "briefing.db") as store:
        first = ingest_paths(store, [inputs])
        assert (first.added, len(reads)) == (12, 12)
        reads.clear()
        second = ingest_paths(store, [inputs])
        assert (second.unchanged, reads) == (12, [])
        edited = inputs / "s04_hohhot_cooperation_meeting.txt"
        edited.write_text(edited.read_text(encoding="utf-8") + "\n　　新增一段。\n", encoding="utf-8")
        touched = inputs / "s05_tongliao_cau_agreement.txt"
        touched.touch()
        restored = inputs / "s12_hohhot_dairy_center.txt"  # same size, old modification time put back
        old = restored.stat()
        restored.write_text(restored.read_text(encoding="utf-8").replace("5000万元", "6000万元"), encoding="utf-8")
        os.utime(restored, ns=(old.st_atime_ns, old.st_mtime_ns))
        third = ingest_paths(store, [inputs])
        assert sorted(reads) == ["s04_hohhot_cooperation_meeting.txt", "s05_tongliao_cau_agreement.txt", "s12_hohhot_dairy_center.txt"]
        assert (third.replaced, third.unchanged) == (2, 10)
        reads.clear()
        assert ingest_paths(store, [inputs]).unchanged == 12 and reads == []


def test_a_file_changed_in_the_last_seconds_is_read_again_next_time(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)  # just written: their stamps are not kept
    with Store.open(tmp_path / "briefing.db") as store:
        ingest_paths(store, [inputs])
        assert store._db.execute("SELECT COUNT(*) FROM articles WHERE file_stamp IS NOT NULL").fetchone() == (0,)

def test_articles_stored_before_headline_names_were_kept_get_them_when_read_again(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    with Store.open(tmp_path / "briefing.db") as store:
        ingest_paths(store, [inputs])
        store._db.execute("UPDATE articles SET story = NULL, file_stamp = NULL")  # as a schema-2 store migrated
        assert store.stories([a.id for a in store.articles()]) == {}
        assert ingest_paths(store, [inputs]).unchanged == 12
        assert len(store.stories([a.id for a in store.articles()])) == 12
