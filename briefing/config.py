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
from typing import Iterable

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
    issue: int | None = None
    """``--issue N``: the 第N期 to print, replacing the number the store keeps for the week."""
    pdf: bool = False
    """``--pdf``: also convert the Word briefing to PDF through LibreOffice."""
    report: ReportSettings = field(default_factory=lambda: ReportSettings())
    """The masthead and closing block, from ``[report]``."""
    mail: MailSettings = field(default_factory=lambda: MailSettings())
    """Delivery by e-mail, from ``[mail]``."""


@dataclass(frozen=True)
class ReportSettings:
    """``[report]`` in briefing.toml: what the masthead and the closing block (版记) say."""

    title: str = "科技工作简报"
    """The briefing's name, printed large and red at the top."""
    unit: str = ""
    """The issuing unit (编印单位), left under the name and in the closing block."""
    report_to: str = ""
    """The 报送 line: the leaders and bodies the briefing is sent to."""
    copy_to: str = ""
    """The 抄送 line: partner units that receive a copy."""
    cumulative: bool = False
    """Print 总第N期 (the count of all issues so far) beside 第N期."""


SECURITY_MODES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
MAIL_TEMPLATE_SAMPLE = {"title": "科技工作简报", "year": 2020, "issue": 51, "week": "2020-W51", "start": "12月14日", "end": "12月20日"}
"""Fields a ``[mail] subject`` or ``attachment_name`` template can use, with values of their type,
so a template is checked as it will be filled in (``{issue:02d}`` is fine, ``{start.x}`` is not)."""
MAIL_TEMPLATE_FIELDS = tuple(MAIL_TEMPLATE_SAMPLE)


@dataclass(frozen=True)
class MailSettings:
    """``[mail]`` in briefing.toml: who gets the briefing and through which server. Never a password."""

    host: str = ""
    """SMTP server; "" means none: messages are written to ``outputs/outbox/`` and not sent."""
    port: int = 0
    """0 means the usual port of :attr:`security` (25, 587 or 465)."""
    security: str = "starttls"
    """``none`` (plain SMTP), ``starttls`` (upgrade after connecting) or ``ssl`` (TLS from the start)."""
    user: str = ""
    """Login name; "" means no AUTH. The password comes from ``BRIEFING_SMTP_PASSWORD`` or the keyring."""
    sender: str = ""
    """The From address; required when :attr:`host` is set."""
    to: tuple[str, ...] = ()
    """报送: the main recipients, ``name@example.cn`` or ``张三 <name@example.cn>``."""
    cc: tuple[str, ...] = ()
    """抄送: copies, shown to every recipient."""
    bcc: tuple[str, ...] = ()
    """Blind copies: in the SMTP envelope only, never in the message's headers."""
    cafile: Path | None = None
    """A PEM file of certificates to trust instead of the system's (a test CA, a self-signed server)."""
    subject: str = "{title} {year}年第{issue}期（{start}—{end}）"
    """The subject line, a template over :data:`MAIL_TEMPLATE_FIELDS`."""
    attachment_name: str = "{title}{year}年第{issue}期"
    """The attachments' file name without its suffix, a template like :attr:`subject`."""

    @property
    def smtp_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


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
    known = {f.name for f in fields(Settings)} - {"today", "db", "issue", "pdf", "report", "mail"}
    table = dict(data.get("build", {}))
    problems = [f"unknown key [build] {key}" for key in table if key not in known]
    report, report_problems = _report_settings(data.get("report", {}))
    problems += report_problems
    mail, mail_problems = _mail_settings(data.get("mail", {}))
    problems += mail_problems
    store = data.get("store", {})
    problems += [f"unknown key [store] {key}" for key in store if key != "path"]
    if "path" in store:
        table["db"] = store["path"]
    problems += [f"{_where(key)} must be a string" for key, value in table.items() if not isinstance(value, str)]
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems) + f" (known keys: [build] {', '.join(sorted(known))}; [store] path; [mail] {', '.join(_MAIL_KEYS)})")
    values = {key: Path(value) if key in _PATH_KEYS else value for key, value in table.items()}
    sections = {"report": report, "mail": mail}
    return {**values, **{name: value for name, value in sections.items() if name in data}}


def _report_settings(table: dict) -> tuple[ReportSettings, list[str]]:
    """``[report]`` checked key by key: text keys must be strings, ``cumulative`` true or false."""
    known = {f.name: f.type for f in fields(ReportSettings)}
    problems = [f"unknown key [report] {key} (known: {', '.join(known)})" for key in table if key not in known]
    for key, value in table.items():
        wanted = bool if key == "cumulative" else str
        if key in known and not isinstance(value, wanted):
            problems.append(f"[report] {key} must be {'true or false' if wanted is bool else 'a string'}")
    return (ReportSettings() if problems else ReportSettings(**table)), problems


def _where(key: str) -> str:
    return "[store] path" if key == "db" else f"[build] {key}"


# ------------------------------------------------------------ [mail]

_MAIL_KEYS = tuple(f.name for f in fields(MailSettings))
_ADDRESS = re.compile(r"^\s*(?:(?P<name>[^<>]*?)\s*<(?P<angle>[^<>]*)>|(?P<bare>[^<>\s]+))\s*$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def split_address(text: str) -> tuple[str, str]:
    """``张三 <zhang@example.cn>`` → ``("张三", "zhang@example.cn")``; ValueError saying what is wrong.

    Addresses are checked before anything is sent, so a typo never makes a server
    refuse a message halfway through the recipient list.
    """
    match = _ADDRESS.match(text)
    address = (match["angle"] if match["angle"] is not None else match["bare"]) if match else ""
    local, at, domain = address.rpartition("@")
    if not (at and _LOCAL_PART.match(local) and _DOMAIN.match(domain)):
        raise ValueError(f"'{text}' is not an e-mail address; write name@example.cn or 张三 <name@example.cn>")
    return (match["name"] or "").strip().strip('"').strip(), address


def parse_addresses(values: Iterable[str]) -> tuple[str, ...]:
    """Checked addresses (``name <addr>`` or ``addr``) from items that may each hold several (``a@x.cn, b@y.cn``)."""
    found, problems = [], []
    for part in (p.strip() for value in values for p in re.split(r"[,;，；]", value)):
        if not part:
            continue
        try:
            name, address = split_address(part)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        found.append(f"{name} <{address}>" if name else address)
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(found)


def with_recipients(settings: Settings, to: Iterable[str] | None = None, cc: Iterable[str] | None = None,
                    bcc: Iterable[str] | None = None) -> Settings:
    """Command-line recipients replace the file's, list by list (None keeps the file's list)."""
    given = {"to": to, "cc": cc, "bcc": bcc}
    try:
        changes = {key: parse_addresses(values) for key, values in given.items() if values is not None}
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return replace(settings, mail=replace(settings.mail, **changes))


def _mail_settings(table: dict) -> tuple[MailSettings, list[str]]:
    """``[mail]`` checked key by key; a password in the file is refused, never echoed."""
    problems = [f"unknown key [mail] {key}" for key in table if key not in _MAIL_KEYS and key != "password"]
    if "password" in table:
        problems.append(
            "[mail] password is never read from briefing.toml (anyone who can read the file would have it): "
            "delete that line and set the BRIEFING_SMTP_PASSWORD environment variable or store it in the system keyring"
        )
    values = {key: value for key, value in table.items() if key in _MAIL_KEYS}
    for key in ("host", "security", "user", "sender", "cafile", "subject", "attachment_name"):
        if key in values and not isinstance(values[key], str):
            problems.append(f"[mail] {key} must be a string")
            del values[key]
    if "port" in values and (type(values["port"]) is not int or not 0 < values["port"] < 65536):
        problems.append("[mail] port must be a whole number from 1 to 65535")
    if values.get("security", "starttls") not in SECURITY_MODES:
        problems.append(f"[mail] security must be one of {', '.join(SECURITY_MODES)}, not '{values['security']}'")
    problems += _mail_address_problems(values)
    problems += [problem for key in ("subject", "attachment_name") for problem in _template_problems(key, values.get(key))]
    if "cafile" in values:
        values["cafile"] = Path(values["cafile"])
        if not values["cafile"].is_file():
            problems.append(f"[mail] cafile {values['cafile']} does not exist; give the path of a PEM certificate file")
    return (MailSettings() if problems else MailSettings(**values)), problems


def _mail_address_problems(values: dict) -> list[str]:
    """Check ``sender``, ``to``, ``cc`` and ``bcc``, turning the lists into tuples of checked addresses."""
    problems = []
    for key in ("to", "cc", "bcc"):
        if key not in values:
            continue
        items = [values[key]] if isinstance(values[key], str) else values[key]
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            problems.append(f'[mail] {key} must be a list of addresses, like {key} = ["name@example.cn"]')
            continue
        try:
            values[key] = parse_addresses(items)
        except ValueError as exc:
            problems.append(f"[mail] {key}: {exc}")
    if values.get("sender"):
        try:
            split_address(values["sender"])
        except ValueError as exc:
            problems.append(f"[mail] sender: {exc}")
    return problems


def _template_problems(key: str, template: str | None) -> list[str]:
    if template is None:
        return []
    try:
        template.format(**MAIL_TEMPLATE_SAMPLE)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        fields_list = ", ".join("{" + name + "}" for name in MAIL_TEMPLATE_FIELDS)
        return [f"[mail] {key} '{template}' cannot be filled in ({exc!r}); it can use {fields_list}"]
    return []
