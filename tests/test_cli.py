"""The command line: exit codes, messages, and what it writes (typer's CliRunner)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing.cli import app

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
BAD = Path(__file__).parent / "data" / "bad"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(autouse=True)
def in_a_scratch_folder(tmp_path_factory, monkeypatch):
    """Each test runs in its own empty folder, so the default briefing.db lands there."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("build", "--inputs", str(INPUTS), "--out", str(out), "--db", str(out / "briefing.db"))
    return result, out


def test_build_on_the_samples_exits_0_and_says_what_it_wrote(built):
    result, out = built
    assert result.exit_code == 0, result.output
    docx_path = out / "2020-W52" / "briefing-2020-W52.docx"
    md_path = out / "2020-W52" / "briefing-2020-W52.md"
    assert docx_path.is_file() and md_path.is_file()
    assert "read 12 articles, skipped 0" in result.stdout
    assert "2020-W52" in result.stdout and str(docx_path) in result.stdout and str(md_path) in result.stdout


def test_build_leaves_no_temporary_files(built):
    _, out = built
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]


def test_bad_files_are_named_and_the_rest_is_built(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS, inputs)
    for bad in BAD.iterdir():
        shutil.copy(bad, inputs)
    result = run("build", "--inputs", str(inputs), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3, result.output
    for bad in BAD.iterdir():
        assert bad.name in result.stderr
    assert "the file is empty" in result.stderr
    document = docx.Document(str(tmp_path / "out" / "2020-W52" / "briefing-2020-W52.docx"))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    for bad in BAD.iterdir():
        assert bad.name in text


def test_a_folder_with_nothing_readable_exits_1(tmp_path):
    shutil.copy(BAD / "empty.txt", tmp_path)
    result = run("build", "--inputs", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "error:" in result.stderr and "nothing built" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.docx"))


def test_missing_inputs_folder_exits_1_naming_it(tmp_path):
    result = run("build", "--inputs", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "missing" in result.stderr and "does not exist" in result.stderr


def test_a_week_without_articles_exits_1_and_lists_the_weeks(tmp_path):
    result = run("build", "--inputs", str(INPUTS), "--out", str(tmp_path), "--week", "2020-W40")
    assert result.exit_code == 1
    assert "2020-W50, 2020-W51, 2020-W52" in result.stderr


@pytest.mark.parametrize("args", [["build", "--week", "2020-51"], ["build", "--no-such-option"], ["frobnicate"]])
def test_bad_usage_exits_2(args):
    assert run(*args).exit_code == 2


def test_help_documents_the_exit_codes():
    result = run("build", "--help")
    assert result.exit_code == 0
    for line in ["0  built cleanly", "3  built, but some input files were skipped", "1  nothing built", "2  bad command-line usage"]:
        assert line in result.stdout


@pytest.mark.parametrize(
    "template, problem",
    [("# {{ title\n", "briefing.md.j2"), ("# {{ no_such_name }}\n", "no_such_name")],
    ids=["syntax-error", "unknown-variable"],
)
def test_a_broken_template_exits_1_and_keeps_the_previous_briefing(tmp_path, template, problem):
    out = tmp_path / "out"
    assert run("build", "--inputs", str(INPUTS), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "2020-W52").iterdir()}
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "briefing.md.j2").write_text(template, encoding="utf-8")
    result = run("build", "--inputs", str(INPUTS), "--out", str(out), "--templates", str(templates))
    assert result.exit_code == 1
    assert problem in result.stderr
    after = {p.name: p.read_bytes() for p in (out / "2020-W52").iterdir()}
    assert after == before  # no new chart or .docx beside an old .md, no temporary files


def test_an_output_folder_inside_the_inputs_is_not_read_back(tmp_path):
    workspace = tmp_path / "articles"
    shutil.copytree(INPUTS, workspace)
    first = run("build", "--inputs", str(workspace), "--out", str(workspace / "outputs"))
    second = run("build", "--inputs", str(workspace), "--out", str(workspace / "outputs"))
    assert first.exit_code == second.exit_code == 0
    assert first.stdout.split(";")[0] == second.stdout.split(";")[0] == "read 12 articles, skipped 0"


def test_an_output_path_that_is_a_file_exits_1_with_a_message(tmp_path):
    blocker = tmp_path / "outputs"
    blocker.write_text("not a folder")
    result = run("build", "--inputs", str(INPUTS), "--out", str(blocker))
    assert result.exit_code == 1
    assert "cannot write the briefing" in result.stderr and "Traceback" not in result.output


def test_undated_articles_are_skipped_once_and_counted_once(tmp_path):
    shutil.copy(INPUTS / "s01_baotou_cas_rare_earth.txt", tmp_path)
    (tmp_path / "undated.txt").write_text("无日期的文章\n\n签署合作协议5项。\n", encoding="utf-8")
    result = run("build", "--inputs", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "read 1 articles, skipped 1" in result.stdout
    assert "undated.txt" in result.stderr and "no publish date" in result.stderr


def test_extract_json_prints_one_object_per_article():
    files = [str(INPUTS / "s04_hohhot_cooperation_meeting.txt"), str(INPUTS / "s08_hinggan_symposium_nofigures.txt")]
    result = run("extract", "--json", *files)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["s04_hohhot_cooperation_meeting", "s08_hinggan_symposium_nofigures"]
    assert records[0]["published"] == "2020-12-12"
    surfaces = [f["surface"] for f in records[0]["facts"]]
    assert "4.7亿元" in surfaces and "330余项" in surfaces
    assert records[1]["facts"] == []
    fact = records[0]["facts"][0]
    assert set(fact) >= {"kind", "surface", "value", "unit", "qualifier", "category", "sentence", "start", "end"}


def test_extract_table_names_each_article_and_its_figures():
    result = run("extract", str(INPUTS / "s05_tongliao_cau_agreement.txt"))
    assert result.exit_code == 0
    assert "s05_tongliao_cau_agreement" in result.stdout and "近60人" in result.stdout


def test_extract_of_an_unreadable_file_exits_1():
    result = run("extract", str(BAD / "empty.txt"))
    assert result.exit_code == 1 and "empty.txt" in result.stderr


def test_ingest_then_articles_lists_what_is_stored(tmp_path):
    db = str(tmp_path / "store.db")
    first = run("ingest", str(INPUTS), "--db", db)
    assert first.exit_code == 0, first.output
    assert "12 files: 12 added, 0 replaced, 0 unchanged, 0 skipped" in first.stdout
    again = run("ingest", str(INPUTS / "s01_baotou_cas_rare_earth.txt"), "--db", db)
    assert "1 unchanged" in again.stdout
    listed = run("articles", "--week", "2020-W51", "--json", "--db", db)
    assert listed.exit_code == 0
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["id"] for r in records] == [
        "s05_tongliao_cau_agreement",
        "s06_ulanqab_bayannur_agri_docking",
        "s07_ulanqab_bayannur_agri_docking_repost",
        "s08_hinggan_symposium_nofigures",
    ]
    assert set(records[0]) == {"id", "title", "published", "source", "url", "path", "facts", "duplicate_of"}
    assert records[0]["facts"] == 13 and records[0]["published"].startswith("2020-12-14")
    assert records[2]["duplicate_of"] == "s06_ulanqab_bayannur_agri_docking"
    table = run("articles", "--db", db)
    assert table.stdout.count("\n") == 12 and "转载自" in table.stdout


def test_ingest_names_bad_and_missing_paths_and_goes_on(tmp_path):
    result = run("ingest", str(BAD), str(tmp_path / "nowhere"), str(INPUTS / "s01_baotou_cas_rare_earth.txt"), "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 3
    assert "nowhere: does not exist" in result.stderr and "empty.txt" in result.stderr
    assert "1 added" in result.stdout


def test_the_week_before_comes_from_the_store_after_its_files_are_gone(tmp_path):
    db = str(tmp_path / "store.db")
    week51 = tmp_path / "week51"
    week51.mkdir()
    shutil.copy(INPUTS / "s05_tongliao_cau_agreement.txt", week51)
    assert run("ingest", str(INPUTS / "s01_baotou_cas_rare_earth.txt"), "--db", db).exit_code == 0
    result = run("build", "--inputs", str(week51), "--out", str(tmp_path / "out"), "--db", db)
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "out" / "2020-W51" / "briefing-2020-W51.md").read_text(encoding="utf-8")
    assert "比上周" in markdown or "上周" in markdown


def test_store_path_from_briefing_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefing.toml").write_text('[store]\npath = "data/weekly.db"\n', encoding="utf-8")
    result = run("ingest", str(INPUTS / "s01_baotou_cas_rare_earth.txt"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "weekly.db").is_file()


def _briefing(*args: str, **options):
    """Run the real ``briefing`` command in its own process."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "briefing", *args], text=True, timeout=300, **options)


def test_a_long_ingest_draws_a_progress_bar_on_a_terminal_and_nowhere_else(tmp_path):
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    from briefing.cli import PROGRESS_FROM

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(PROGRESS_FROM):
        shutil.copy(INPUTS / "s01_baotou_cas_rare_earth.txt", folder / f"a{number:03d}.txt")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    on_terminal = _briefing("ingest", str(folder), "--db", str(tmp_path / "a.db"), stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert on_terminal.returncode == 0
    assert "reading articles" in drawn.decode("utf-8", "replace")
    assert on_terminal.stdout.startswith(f"{PROGRESS_FROM} files: {PROGRESS_FROM} added")
    piped = _briefing("ingest", str(folder), "--db", str(tmp_path / "b.db"), capture_output=True)
    assert piped.returncode == 0 and "reading articles" not in piped.stderr + piped.stdout


def test_a_read_only_store_is_listed_but_ingest_stops_before_reading_anything(tmp_path):
    db = tmp_path / "store.db"
    assert run("ingest", str(INPUTS / "s01_baotou_cas_rare_earth.txt"), "--db", str(db)).exit_code == 0
    db.chmod(0o444)
    listed = run("articles", "--json", "--db", str(db))
    assert listed.exit_code == 0 and json.loads(listed.stdout)["id"] == "s01_baotou_cas_rare_earth"
    refused = run("ingest", str(INPUTS), "--db", str(db))
    assert refused.exit_code == 1
    assert f"the store {db} is read-only; nothing was changed" in refused.stderr and "skipped" not in refused.stderr
