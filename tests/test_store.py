"""The SQLite store: a real file, real articles, several processes."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import dedup
from briefing.extract import extract_facts
from briefing.ingest import read_article
from briefing.pipeline import ingest_paths
from briefing.store import MIGRATIONS, Store, StoreError

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


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_a_read_only_store_says_so_and_loses_nothing(tmp_path):
    db = tmp_path / "briefing.db"
    stored(db, "s01_baotou_cas_rare_earth").close()
    db.chmod(stat.S_IRUSR)
    with pytest.raises(StoreError, match="read-only"):
        stored(db, "s05_tongliao_cau_agreement")
    db.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with Store.open(db) as store:
        assert [a.id for a in store.articles()] == ["s01_baotou_cas_rare_earth"]


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


def _ingest_in_another_process(db: str, folder: str) -> None:
    with Store.open(db) as store:
        ingest_paths(store, [folder])


def test_two_processes_ingesting_at_once_store_everything_once(tmp_path):
    db = str(tmp_path / "briefing.db")
    Store.open(db).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_ingest_in_another_process, args=(db, str(INPUTS))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Store.open(db) as store:
        assert len(store.articles()) == 12
        assert sum(store.fact_counts().values()) == 161
        assert {a.id: a.duplicate_of for a in store.articles() if a.duplicate_of} == {S07: S06}


def test_same_id_with_different_content_replaces_rather_than_duplicates(tmp_path):
    article = read_article(INPUTS / "s01_baotou_cas_rare_earth.txt")
    with Store.open(tmp_path / "briefing.db") as store:
        store.add(article, [])
        result = store.add(replace(article, text=article.text + "\n\n新增一段。"), [])
        assert result.status == "replaced"
        assert len(store.articles()) == 1


def test_issue_numbers_persist_run_within_the_year_and_restart_each_year(tmp_path):
    db = tmp_path / "briefing.db"
    with Store.open(db) as store:
        assert store.issue_number("2020-W51") == 1
        assert store.issue_number("2020-W52") == 2
        assert store.issue_number("2021-W01") == 1
    with Store.open(db) as store:  # a later run rebuilding the same weeks
        assert store.issue_number("2020-W52") == 2
        assert store.issue_number("2020-W51") == 1
        assert store.cumulative_issue_number("2021-W01") == 3
        assert store.cumulative_issue_number("2021-W02") is None


def test_an_issue_number_given_by_hand_is_kept_and_cannot_take_another_weeks(tmp_path):
    with Store.open(tmp_path / "briefing.db") as store:
        assert store.issue_number("2020-W50", override=48) == 48
        assert store.issue_number("2020-W50") == 48
        assert store.issue_number("2020-W51") == 49
        with pytest.raises(StoreError, match="issue 48 of 2020 is already the briefing of 2020-W50"):
            store.issue_number("2020-W52", override=48)
        with pytest.raises(StoreError, match="numbered from 1"):
            store.issue_number("2020-W52", override=0)
        assert store.issue_number("2020-W51", override=51) == 51
