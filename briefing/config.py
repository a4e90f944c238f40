"""Settings in one place: defaults ← ``briefing.toml`` ← command-line options.

Secrets never live here or in the TOML file; later stages read them from the
environment. Every problem in the file is reported at once, so a user fixes the
file in one go (mkdocs ``load_config`` style).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from briefing.errors import ConfigError

CONFIG_NAME = "briefing.toml"
WEEK_PATTERN = re.compile(r"^(?P<year>\d{4})-?W(?P<week>\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """Everything a build needs to know; paths are relative to the current folder."""

    inputs: Path = Path("inputs")
    """Folder of article files (.txt, .html, .docx), read recursively."""
    out: Path = Path("outputs")
    """Folder that receives ``<week>/briefing-<week>.docx|.md`` and the charts."""
    templates: Path | None = None
    """A folder whose templates override the workspace's and the built-in ones."""
    workspace: Path = Path(".")
    """The folder holding ``briefing.toml`` and an optional ``templates/``."""
    db: Path = Path("briefing.db")
    """The SQLite store of every article read so far (weeks accumulate there)."""
    week: str | None = None
    """ISO week to report (``2020-W51``); ``None`` means the latest week with articles."""
    today: dt.date = field(default_factory=dt.date.today)
    """The date printed as the report's date; injectable so outputs are reproducible."""


def parse_week(text: str) -> str:
    """Check an ISO week (``2020-W51``, also ``2020w51``, ``2020-W5``) and return it as ``2020-W51``."""
    match = WEEK_PATTERN.match(text.strip())
    if not match:
        raise ConfigError(f"week '{text}' is not an ISO week; write it like 2020-W51")
    year, week = int(match["year"]), int(match["week"])
    weeks_in_year = dt.date(year, 12, 28).isocalendar()[1]
    if not 1 <= week <= weeks_in_year:
        raise ConfigError(f"week '{text}' does not exist: {year} has weeks W01 to W{weeks_in_year}")
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week."""
    year, number = (int(x) for x in parse_week(week).split("-W"))
    monday = dt.date.fromisocalendar(year, number, 1)
    return monday, monday + dt.timedelta(days=6)


def load_settings(config_path: Path | None = None, **overrides) -> Settings:
    """Build :class:`Settings` from defaults, the TOML file and CLI overrides (None = not given)."""
    path = config_path or Path(CONFIG_NAME)
    from_file = _read_toml(path) if path.exists() else {}
    if config_path is not None and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    values = {**from_file, **{k: v for k, v in overrides.items() if v is not None}}
    if values.get("week"):
        values["week"] = parse_week(values["week"])
    return replace(Settings(), **values)


_PATH_KEYS = {"inputs", "out", "templates", "workspace", "db"}


def _read_toml(path: Path) -> dict:
    """Settings from a briefing.toml's ``[build]`` and ``[store]`` tables, checked; all problems raised together."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    known = {f.name for f in fields(Settings)} - {"today", "db"}
    table = dict(data.get("build", {}))
    problems = [f"unknown key [build] {key}" for key in table if key not in known]
    store = data.get("store", {})
    problems += [f"unknown key [store] {key}" for key in store if key != "path"]
    if "path" in store:
        table["db"] = store["path"]
    problems += [f"{_where(key)} must be a string" for key, value in table.items() if not isinstance(value, str)]
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems) + f" (known keys: [build] {', '.join(sorted(known))}; [store] path)")
    return {key: Path(value) if key in _PATH_KEYS else value for key, value in table.items()}


def _where(key: str) -> str:
    return "[store] path" if key == "db" else f"[build] {key}"
