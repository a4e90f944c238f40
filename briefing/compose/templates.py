"""Where templates come from: one ordered search path, first file found wins.

``--templates DIR`` → the workspace's ``templates/`` → the defaults shipped in the
package, file by file (mkdocs ``theme.py`` style), so staff override one template
without copying the others.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefing.errors import TemplateError
from briefing.files import atomic_path

DOCX_TEMPLATE = "briefing.docx"
MARKDOWN_TEMPLATE = "briefing.md.j2"
TEMPLATE_NAMES = (DOCX_TEMPLATE, MARKDOWN_TEMPLATE)
"""Every template a build uses."""


def builtin_templates_dir() -> Path:
    """The default templates: inside the wheel as ``briefing/templates``, else the repo's ``templates/``.

    pyproject force-includes the top-level ``templates/`` into the wheel; an
    editable or source checkout has no such folder in the package, so the
    repository's own folder is used instead.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


SEARCH_LABELS = ("--templates", "workspace", "built-in")
"""Where each folder of the search path comes from, in search order."""


def labelled_search_path(templates_dir: Path | None, workspace: Path) -> list[tuple[str, Path]]:
    """The search path with where each folder comes from, so ``briefing templates list`` can say so.

    A folder named twice (``--templates`` pointing at the workspace's ``templates/``,
    or a source checkout's own ``templates/``) is searched once, labelled
    ``workspace = built-in``.
    """
    folders = [(SEARCH_LABELS[0], Path(templates_dir))] if templates_dir is not None else []
    folders += [(SEARCH_LABELS[1], Path(workspace) / "templates"), (SEARCH_LABELS[2], builtin_templates_dir())]
    unique: list[tuple[str, Path]] = []
    for label, folder in folders:
        same = next((i for i, (_, seen) in enumerate(unique) if _same_folder(folder, seen)), None)
        if same is None:
            unique.append((label, folder))
        else:
            unique[same] = (f"{unique[same][0]} = {label}", unique[same][1])
    return unique


def template_search_path(templates_dir: Path | None, workspace: Path) -> list[Path]:
    """Folders searched for templates, first wins: ``--templates DIR``, the workspace's, the built-in ones."""
    return [folder for _, folder in labelled_search_path(templates_dir, workspace)]


def _same_folder(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def find_template(name: str, search_path: list[Path]) -> Path:
    """The first ``<folder>/<name>`` along ``search_path``; each file can be overridden on its own."""
    for folder in search_path:
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    searched = "\n".join(f"  - {folder}" for folder in search_path)
    raise TemplateError(
        f"template {name!r} not found. Searched, in order:\n{searched}\n"
        f"Put a {name} in one of these folders (or pass --templates DIR); "
        f"reinstalling briefing restores the built-in one.")


def resolve_templates(search_path: list[Path]) -> dict[str, Path | None]:
    """Each template name and the file a build would use (``None`` when no folder has it)."""
    resolved: dict[str, Path | None] = {}
    for name in TEMPLATE_NAMES:
        try:
            resolved[name] = find_template(name, search_path)
        except TemplateError:
            resolved[name] = None
    return resolved


def init_templates(destination: Path, *, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the built-in templates into ``destination`` for staff to edit; return (copied, kept).

    An existing file is somebody's edited template, so it is kept unless ``force``.
    """
    destination = Path(destination)
    if _same_folder(destination, builtin_templates_dir()):
        raise TemplateError(f"{destination} is the built-in templates folder itself: nothing to copy. "
                            f"Pass --templates DIR to copy the templates somewhere else.")
    destination.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for name in TEMPLATE_NAMES:
        target = destination / name
        if target.exists() and not force:
            kept.append(target)
            continue
        with atomic_path(target) as tmp:
            shutil.copyfile(builtin_templates_dir() / name, tmp)
        copied.append(target)
    return copied, kept
