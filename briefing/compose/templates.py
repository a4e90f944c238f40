"""Where templates come from: one ordered search path, first file found wins.

``--templates DIR`` → the workspace's ``templates/`` → the defaults shipped in the
package, file by file (mkdocs ``theme.py`` style), so staff override one template
without copying the others.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.errors import TemplateError

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


def template_search_path(templates_dir: Path | None, workspace: Path) -> list[Path]:
    """Folders searched for templates, first wins: ``--templates DIR``, the workspace's, the built-in ones."""
    folders = [Path(templates_dir)] if templates_dir is not None else []
    folders += [Path(workspace) / "templates", builtin_templates_dir()]
    unique: list[Path] = []
    for folder in folders:
        if all(os.path.realpath(folder) != os.path.realpath(seen) for seen in unique):
            unique.append(folder)
    return unique


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
