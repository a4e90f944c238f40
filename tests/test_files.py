"""Output files appear whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from briefing.files import atomic_path, write_text_atomic


def test_a_failed_write_leaves_neither_the_target_nor_a_temporary_file(tmp_path):
    target = tmp_path / "report.docx"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("renderer crashed")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_previous_file(tmp_path):
    target = write_text_atomic(tmp_path / "briefing.md", "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("new, half")
            raise RuntimeError
    assert target.read_text() == "old"


def test_written_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        target = write_text_atomic(tmp_path / "sub" / "briefing.md", "简报")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert target.read_text(encoding="utf-8") == "简报"


def test_a_staged_folder_moves_every_file_in_on_success(tmp_path):
    from briefing.files import staged_folder

    with staged_folder(tmp_path / "2020-W52") as staging:
        (staging / "a.png").write_bytes(b"png")
        (staging / "b.md").write_text("md")
    assert sorted(p.name for p in (tmp_path / "2020-W52").iterdir()) == ["a.png", "b.md"]


def test_a_staged_folder_adds_nothing_when_a_file_fails(tmp_path):
    from briefing.files import staged_folder

    target = tmp_path / "2020-W52"
    target.mkdir()
    (target / "b.md").write_text("last week's good run")
    with pytest.raises(RuntimeError):
        with staged_folder(target) as staging:
            (staging / "a.png").write_bytes(b"png")
            raise RuntimeError("template failed")
    assert [p.name for p in target.iterdir()] == ["b.md"]
    assert (target / "b.md").read_text() == "last week's good run"


def test_a_staged_folder_removes_owned_files_this_run_did_not_write(tmp_path):
    from briefing.files import staged_folder

    target = tmp_path / "2020-W52"
    target.mkdir()
    (target / "b.pdf").write_bytes(b"%PDF last run")
    (target / "notes.txt").write_text("the user's own file")
    with staged_folder(target, owned=["a.docx", "b.pdf"]) as staging:
        (staging / "a.docx").write_bytes(b"docx")
    assert sorted(p.name for p in target.iterdir()) == ["a.docx", "notes.txt"]
