"""Writing output files so that a crash never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    Libraries such as docxtpl and matplotlib want a file name to save to, not a
    stream, so this hands them a temporary name in the same folder (a rename
    within one filesystem is atomic) and removes it if anything fails.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        tmp.chmod(_default_file_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _default_file_mode() -> int:
    """The mode ``open()`` would give a new file (mkstemp's 0600 would hide reports from colleagues)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomic(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


@contextlib.contextmanager
def staged_folder(folder: str | os.PathLike, owned: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty staging folder inside ``folder``; on success move its files into ``folder``.

    A briefing is several files (charts, .docx, .md, .pdf) that belong together: if any
    of them fails to render, none of them replaces the previous run's files. ``owned``
    names every file such a set can hold; one of them that this run did not write is
    removed on success, so a PDF or chart of an earlier run is never sent or shown with
    the new briefing.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        yield staging
        written = sorted(staging.iterdir())
        for path in written:
            os.replace(path, folder / path.name)
        for name in set(owned) - {path.name for path in written}:
            (folder / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
