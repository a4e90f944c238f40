"""Deliver a built briefing by e-mail: never lost, never sent twice.

report files → one MIME message (an HTML body with the charts inline, a plain-text
alternative, the .docx and the .pdf attached) → the outbox → SMTP when configured.

The outbox (``outputs/outbox/``) is both the queue and the record. Every message is
first written there as the exact bytes SMTP will carry, with a ``.json`` envelope
beside it naming the recipients still to be served; without an SMTP server that is
where it stays (Django's file backend). A message delivered to everyone moves to
``outbox/sent/``; one with recipients left over stays, its envelope saying who and
why. The send log in the store (week, issue, recipient, content hash) keeps a rerun
from sending the same briefing to anyone twice, while a briefing rebuilt with other
content is a new send.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import mimetypes
import os
import re
import smtplib
import socket
import ssl
import time
import zipfile
from dataclasses import dataclass, field, replace
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol, Sequence
from urllib.parse import quote, unquote

from briefing.compose.context import masthead_title
from briefing.compose.format import format_month_day
from briefing.config import MailSettings, Settings, split_address, week_bounds
from briefing.errors import ConfigError, SendError
from briefing.files import atomic_path
from briefing.store import Store

PASSWORD_VARIABLE = "BRIEFING_SMTP_PASSWORD"
KEYRING_SERVICE = "briefing-smtp"
"""The keyring entry holding the password: ``keyring set briefing-smtp USER``."""
RETRY_DELAYS = (2.0, 10.0, 30.0)
"""Seconds to wait before each retry after a transient failure (4xx, connection lost)."""
SMTP_TIMEOUT = 60.0
OUTBOX = "outbox"
SENT = "sent"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
UNSET_SENDER = "briefing@localhost"
"""From address of outbox-only messages when ``[mail] sender`` is not set (it is required to send)."""
ATTACHMENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}
POLICY = policy.SMTP.clone(cte_type="7bit", refold_source="none")
"""CRLF lines; every part base64 or quoted-printable, so a server without 8BITMIME passes it
unchanged; headers we fold by hand (the attachments') are written exactly as given."""
ENCODED_WORD_BYTES = 39
"""UTF-8 bytes per RFC 2047 encoded-word (13 Chinese characters): 64 characters with ``=?utf-8?b?…?=``,
so ``filename="…"`` fits a 78-character line."""
RFC2231_CHUNK = 54
"""Characters per ``filename*N*=`` continuation, so no header line passes 78 characters."""
CHARSET_PREFIX = "utf-8''"
HTML_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',SimSun,sans-serif;font-size:14px;line-height:1.6;color:#222;max-width:900px">
{body}
</body>
</html>
"""
TABLE_ATTRS = {"border": "1", "cellpadding": "4", "cellspacing": "0", "style": "border-collapse:collapse;border-color:#999"}
IMAGE_WIDTH = "640"


# ------------------------------------------------------------ the briefing's files


@dataclass(frozen=True)
class ReportFiles:
    """A built briefing as it lies in ``outputs/<week>/``."""

    week: str
    docx: Path
    markdown: Path
    """The body of the e-mail; the charts it links to are embedded."""
    pdf: Path | None = None
    """Attached too when a build made one (``--pdf``)."""

    def content_hash(self) -> str:
        """What the briefing says, not when its files were written.

        The .docx is hashed part by part (a zip records each build's time); the PDF
        is left out, as it renders the .docx and stamps its own creation time. So a
        rebuild of the same content matches the send log and changed content does not.
        """
        digest = hashlib.sha256()
        with zipfile.ZipFile(self.docx) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode() + b"\0" + hashlib.sha256(archive.read(name)).digest())
        digest.update(self.markdown.read_bytes())
        return digest.hexdigest()


def find_report(out: Path, week: str | None = None) -> ReportFiles:
    """The briefing of ``week`` (default: the latest built) under ``out``; SendError when it was not built."""
    week = week or _latest_built_week(out)
    folder = out / week
    docx, markdown, pdf = (folder / f"briefing-{week}{suffix}" for suffix in (".docx", ".md", ".pdf"))
    for path in (docx, markdown):
        if not path.is_file():
            raise SendError(f"no briefing to send: {path} does not exist. Run `briefing build --week {week}` first")
    try:
        zipfile.ZipFile(docx).close()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SendError(f"{docx} is not a readable Word file ({exc}); run `briefing build --week {week}` again") from exc
    return ReportFiles(week, docx, markdown, pdf if pdf.is_file() else None)


def _latest_built_week(out: Path) -> str:
    weeks = sorted(p.name for p in out.iterdir() if (p / f"briefing-{p.name}.docx").is_file()) if out.is_dir() else []
    if not weeks:
        raise SendError(f"no briefing to send in {out}: run `briefing build` first, or give --out the folder it wrote to")
    return weeks[-1]


# ------------------------------------------------------------ the message


@dataclass(frozen=True)
class Message:
    """One composed briefing e-mail."""

    week: str
    issue: int
    subject: str
    sender: str
    """The envelope sender (an address without display name)."""
    recipients: tuple[str, ...]
    """Every envelope recipient: to, then cc, then bcc, each once."""
    attachments: tuple[str, ...]
    """The attachments' file names as recipients see them."""
    content_hash: str
    data: bytes
    """Exactly what the outbox holds and SMTP carries (CRLF, 7-bit)."""

    @property
    def stem(self) -> str:
        """The outbox file name: one per week, issue and content."""
        return f"briefing-{self.week}-{self.issue}-{self.content_hash[:12]}"


def template_fields(week: str, issue: int, title: str) -> dict[str, object]:
    """Values for the ``[mail] subject`` and ``attachment_name`` templates."""
    start, end = week_bounds(week)
    return {"title": title, "year": int(week[:4]), "issue": issue, "week": week, "start": format_month_day(start), "end": format_month_day(end)}


def compose(files: ReportFiles, mail: MailSettings, issue: int, title: str = "科技工作简报") -> Message:
    """The e-mail for a built briefing: HTML and plain text from its Markdown, charts inline, files attached."""
    fields = template_fields(files.week, issue, title)
    subject = mail.subject.format(**fields)
    sender = split_address(mail.sender)[1] if mail.sender else UNSET_SENDER
    content_hash = files.content_hash()
    message = _headed_message(mail, subject, sender, files.week)
    _add_body(message, files.markdown, subject, content_hash)
    message.make_mixed()
    names = []
    for path in filter(None, (files.docx, files.pdf)):
        names.append(_file_name(mail.attachment_name.format(**fields)) + path.suffix)
        message.attach(_attachment(path.read_bytes(), ATTACHMENT_TYPES[path.suffix], names[-1]))
    recipients = _unique(split_address(a)[1] for a in (*mail.to, *mail.cc, *mail.bcc))
    return Message(files.week, issue, subject, sender, recipients, tuple(names), content_hash, message.as_bytes())


def _headed_message(mail: MailSettings, subject: str, sender: str, week: str) -> EmailMessage:
    """A message with its headers; bcc recipients are left out, as they travel in the envelope only."""
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = _header_address(mail.sender) if mail.sender else Address(addr_spec=sender)
    for header, addresses in (("To", mail.to), ("Cc", mail.cc)):
        if addresses:
            message[header] = [_header_address(a) for a in addresses]
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(idstring=f"briefing.{week}", domain=sender.rpartition("@")[2])
    return message


def _add_body(message: EmailMessage, markdown: Path, subject: str, content_hash: str) -> None:
    """Plain text, then HTML with the Markdown's images as related ``cid:`` parts."""
    tokens, parser = _parse_markdown(markdown.read_text(encoding="utf-8-sig"))
    images = _inline_images(tokens, markdown, content_hash)
    message.set_content(_plain_text(tokens))
    body = parser.renderer.render(tokens, parser.options, {})
    message.add_alternative(HTML_PAGE.format(title=html.escape(subject), body=body), subtype="html")
    for cid, path in images.items():
        maintype, _, subtype = (mimetypes.guess_type(path.name)[0] or "image/png").partition("/")
        message.get_payload()[1].add_related(path.read_bytes(), maintype, subtype, cid=f"<{cid}>")


def _header_address(text: str) -> Address:
    name, address = split_address(text)
    return Address(display_name=name, addr_spec=address)


def _unique(addresses: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in addresses:
        seen.setdefault(recipient_key(address), address)
    return tuple(seen.values())


def recipient_key(address: str) -> str:
    """How the send log knows a recipient: case never makes a second send."""
    return address.lower()


def _file_name(text: str) -> str:
    """A template-made name safe on every system (no path separators or control characters)."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", text).strip() or "briefing"


def _attachment(data: bytes, content_type: str, filename: str) -> MIMEPart:
    """An attachment whose Chinese name shows everywhere: RFC 2047 words for Outlook and
    webmail that read only ``name=``/``filename=``, RFC 2231 ``filename*`` for the rest."""
    words = _encoded_words(filename)
    part = MIMEPart(policy=POLICY)
    part.set_raw("Content-Type", f'{content_type};\n name="{words}"')
    part.set_raw("Content-Disposition", f'attachment;\n filename="{words}";{_rfc2231("filename", filename)}')
    part.set_raw("Content-Transfer-Encoding", "base64")
    part.set_payload(base64.encodebytes(data).decode("ascii"))
    return part


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 base64 encoded-words, one per folded line, split between characters."""
    chunks = _packed(text, ENCODED_WORD_BYTES, lambda chunk: len(chunk.encode()))
    return "\n ".join(f"=?utf-8?b?{base64.b64encode(chunk.encode()).decode('ascii')}?=" for chunk in chunks)


def _rfc2231(name: str, text: str) -> str:
    """``name*=utf-8''…`` folded into ``name*0*=``, ``name*1*=`` … continuations, never splitting a %XX."""
    chunks = _packed(re.findall(r"%[0-9A-F]{2}|[^%]", quote(text, safe="")), RFC2231_CHUNK, len)
    if len(chunks) == 1:
        return f"\n {name}*=utf-8''{chunks[0]}"
    return ";".join(f"\n {name}*{i}*={'' if i else CHARSET_PREFIX}{chunk}" for i, chunk in enumerate(chunks))


def _packed(pieces: Iterable[str], limit: int, size: Callable[[str], int]) -> list[str]:
    """``pieces`` joined into runs no bigger than ``limit`` (as ``size`` measures), none split."""
    chunks, current = [], ""
    for piece in pieces:
        if current and size(current + piece) > limit:
            chunks.append(current)
            current = ""
        current += piece
    return [*chunks, current]


# ------------------------------------------------------------ Markdown → HTML and plain text


def _parse_markdown(text: str):
    """Tokens of the Markdown briefing (CommonMark + tables; raw HTML is shown as text, never run)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = parser.parse(text)
    for token in tokens:
        if token.type == "table_open":
            token.attrs.update(TABLE_ATTRS)
    return tokens, parser


def _inline_images(tokens, markdown: Path, content_hash: str) -> dict[str, Path]:
    """Point every local image of the Markdown at a ``cid:`` part; return cid → file.

    Charts are found by the image links in the .md, so a new chart needs no change here.
    """
    found: dict[str, Path] = {}
    for child in (c for t in tokens for c in (t.children or ()) if c.type == "image"):
        source = unquote(str(child.attrGet("src") or ""))
        if not source or "://" in source or source.startswith("data:"):
            continue
        path = markdown.parent / source
        if not path.is_file():
            raise SendError(f"{markdown} shows the image {source}, which is missing from {markdown.parent}; run `briefing build` again")
        cid = f"{path.stem}.{content_hash[:12]}@briefing"
        found[cid] = path
        child.attrSet("src", f"cid:{cid}")
        child.attrSet("width", IMAGE_WIDTH)
        child.attrSet("style", "max-width:100%;height:auto")
    return found


def _plain_text(tokens) -> str:
    """The briefing as plain text: headings, paragraphs, lists, table rows joined by " | "."""
    lines: list[str] = []
    row: list[str] | None = None
    depth = 0
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            lines.append(" | ".join(row or []))
            row = None
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if not depth:
                lines.append("")
        elif token.type == "inline":
            text = _inline_text(token)
            if row is not None:
                row.append(text)
            else:
                lines.append(("  " * (depth - 1) + "- " if depth else "") + text)
        elif token.type in ("heading_close", "table_close") or (token.type == "paragraph_close" and not depth):
            lines.append("")
        elif token.type == "hr":
            lines += ["—" * 20, ""]
    return "\n".join(lines).strip() + "\n"


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(f"[图：{child.content or '图表'}，见网页版正文]")
    return "".join(parts)


# ------------------------------------------------------------ senders


class Sender(Protocol):
    """Something that delivers a message (SMTP here; a list in tests, like Django's locmem backend)."""

    where: str

    def deliver(self, data: bytes, sender: str, recipients: Sequence[str], on_sent: Callable[[list[str]], None]) -> dict[str, str]:
        """Send ``data``; call ``on_sent`` with each batch of accepted recipients; return recipient → why not sent."""


class SmtpSender:
    """The ``[mail]`` server: TLS as configured, AUTH when a user is set, transient failures retried."""

    def __init__(self, mail: MailSettings, password: str | None, delays: Sequence[float] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.mail = mail
        self._password = password
        self.delays = RETRY_DELAYS if delays is None else tuple(delays)
        self.sleep = sleep
        self.where = f"{mail.host}:{mail.smtp_port}"

    def __repr__(self) -> str:
        return f"SmtpSender({self.where}, {self.mail.security})"

    def deliver(self, data: bytes, sender: str, recipients: Sequence[str], on_sent: Callable[[list[str]], None]) -> dict[str, str]:
        """Send to ``recipients``, retrying transient failures; return the recipients not served, with why.

        A recipient a server refuses with 5xx is not retried; one refused with 4xx is
        retried with the others still waiting. Each accepted batch is reported through
        ``on_sent`` before the connection is closed, so a failing QUIT never causes a resend.
        """
        pending, failed, reason = list(recipients), {}, ""
        attempts = 1 + len(self.delays)
        for delay in (0.0, *self.delays):
            if delay:
                self.sleep(delay)
            try:
                refused = self._send_once(data, sender, pending, on_sent)
            except (smtplib.SMTPException, OSError, SendError) as exc:
                transient, reason = self._explain(exc)
                if not transient:
                    return {**failed, **dict.fromkeys(pending, reason)}
                continue
            failed.update({r: _reply(code, text) for r, (code, text) in refused.items() if code >= 500})
            pending = [r for r, (code, _) in refused.items() if code < 500]
            if not pending:
                return failed
            reason = "; ".join(_reply(*refused[r]) for r in pending)
        return {**failed, **dict.fromkeys(pending, f"{reason} (still failing after {attempts} attempts)")}

    def _send_once(self, data: bytes, sender: str, recipients: list[str], on_sent) -> dict[str, tuple[int, bytes]]:
        connection = self._connect()
        try:
            try:
                refused = connection.sendmail(sender, recipients, data)
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            on_sent([r for r in recipients if r not in refused])
            return refused
        finally:
            _quit(connection)

    def _connect(self) -> smtplib.SMTP:
        mail = self.mail
        context = self._tls_context()
        if mail.security == "ssl":
            connection = smtplib.SMTP_SSL(mail.host, mail.smtp_port, timeout=SMTP_TIMEOUT, context=context)
        else:
            connection = smtplib.SMTP(mail.host, mail.smtp_port, timeout=SMTP_TIMEOUT)
        try:
            connection.ehlo()
            if mail.security == "starttls":
                connection.starttls(context=context)
                connection.ehlo()
            if mail.user:
                self._login(connection)
        except BaseException:
            _quit(connection)
            raise
        return connection

    def _tls_context(self) -> ssl.SSLContext:
        """Certificates checked against the system's authorities, or only against ``[mail] cafile``."""
        try:
            return ssl.create_default_context(cafile=str(self.mail.cafile) if self.mail.cafile else None)
        except (ssl.SSLError, OSError) as exc:
            raise SendError(f"[mail] cafile {self.mail.cafile} is not a readable PEM certificate file ({exc})") from None

    def _login(self, connection: smtplib.SMTP) -> None:
        try:
            connection.login(self.mail.user, self._password or "")
        except UnicodeEncodeError:
            # the exception object would hold the password; drop it
            raise SendError("the user name or password has non-ASCII characters, which SMTP AUTH cannot carry") from None

    def _explain(self, exc: BaseException) -> tuple[bool, str]:
        """(transient?, what happened and how to fix it) for a failed attempt."""
        mail = self.mail
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            return False, (f"the server refused the login of {mail.user} ({_reply(exc.smtp_code, exc.smtp_error)}); "
                           f"check [mail] user and the password in {PASSWORD_VARIABLE} or the keyring")
        if isinstance(exc, smtplib.SMTPResponseException):
            return 400 <= exc.smtp_code < 500, _reply(exc.smtp_code, exc.smtp_error)
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            return False, f"{exc}; the server does not offer it: check [mail] security ({mail.security}) and port"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return False, (f"the certificate of {self.where} is not trusted ({exc.verify_message}); for a test or "
                           "self-signed certificate set [mail] cafile to its PEM file")
        if isinstance(exc, ssl.SSLError):
            return False, f"TLS with {self.where} failed ({exc.reason or exc}); check [mail] security and port (465 is ssl, 587 starttls)"
        if isinstance(exc, socket.gaierror):
            return False, f"cannot find the server {mail.host} ({exc.strerror}); check [mail] host"
        if isinstance(exc, SendError):
            return False, str(exc)
        if isinstance(exc, smtplib.SMTPServerDisconnected):
            return True, f"{self.where} closed the connection ({exc})"
        return True, f"cannot reach {self.where}: {getattr(exc, 'strerror', None) or exc or type(exc).__name__}"


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    kind = "temporary" if 400 <= code < 500 else "permanent" if code >= 500 else "unexpected"
    return f"{code} {' '.join(text.split())} ({kind})"


def _quit(connection: smtplib.SMTP) -> None:
    """Say goodbye without letting a failing QUIT undo a delivery that already happened."""
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def smtp_password(mail: MailSettings) -> str | None:
    """The login password: ``BRIEFING_SMTP_PASSWORD``, else the system keyring; never from briefing.toml."""
    if not mail.user:
        return None
    password = os.environ.get(PASSWORD_VARIABLE) or _keyring_password(mail.user)
    if not password:
        raise ConfigError(
            f"[mail] user is {mail.user} but no password was found: set the {PASSWORD_VARIABLE} environment variable, "
            f"or `pip install keyring` and run `keyring set {KEYRING_SERVICE} {mail.user}`"
        )
    return password


def _keyring_password(user: str) -> str | None:
    """The password kept in the system keyring, when the optional ``keyring`` package is installed."""
    try:
        import keyring
        import keyring.errors
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringError:
        return None


def smtp_sender(mail: MailSettings) -> SmtpSender | None:
    """The configured SMTP server, or None when there is none (the outbox is then the destination)."""
    return SmtpSender(mail, smtp_password(mail)) if mail.host else None


def check_mail(mail: MailSettings) -> None:
    """Refuse what cannot work before composing or sending anything."""
    if not (mail.to or mail.cc or mail.bcc):
        raise ConfigError('no recipients: add to = ["name@example.cn"] under [mail] in briefing.toml, or pass --to')
    if mail.host and not mail.sender:
        raise ConfigError(f'[mail] host is {mail.host} but no sender is set: add sender = "you@example.cn" under [mail]')
    if mail.user and mail.security == "none" and mail.host not in LOOPBACK:
        raise ConfigError(
            f'refusing to send the password for {mail.user} unencrypted to {mail.host}: set [mail] security = "starttls" or "ssl"'
        )


# ------------------------------------------------------------ the outbox


def outbox_folder(settings: Settings) -> Path:
    return Path(settings.out) / OUTBOX


def _queue(folder: Path, message: Message, recipients: Sequence[str]) -> Path:
    """Write the message and its envelope into the outbox before any attempt to send it."""
    eml = folder / f"{message.stem}.eml"
    with atomic_path(eml) as tmp:
        tmp.write_bytes(message.data)
    _write_envelope(eml, message, recipients)
    return eml


def _write_envelope(eml: Path, message: Message, recipients: Sequence[str], not_sent: Mapping[str, str] | None = None,
                    sent: Sequence[str] = ()) -> None:
    """The ``.json`` beside an ``.eml``: who it is (still) for, which an .eml cannot say for bcc."""
    record = {
        "week": message.week, "issue": message.issue, "subject": message.subject, "from": message.sender,
        "recipients": list(recipients), "not_sent": dict(not_sent or {}), "sent": list(sent),
        "content_hash": message.content_hash, "attachments": list(message.attachments),
    }
    with atomic_path(eml.with_suffix(".json")) as tmp:
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _settle(eml: Path, message: Message, sent: Sequence[str], failed: Mapping[str, str]) -> Path:
    """After sending: move a fully delivered message to ``sent/``; keep the rest, its envelope naming who is left."""
    if failed:
        _write_envelope(eml, message, list(failed), failed, sent)
        return eml
    target = eml.parent / SENT / f"{eml.stem}-{dt.datetime.now():%Y%m%dT%H%M%S}.eml"
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_envelope(eml, message, [], {}, sent)
    os.replace(eml.with_suffix(".json"), target.with_suffix(".json"))
    os.replace(eml, target)
    return target


# ------------------------------------------------------------ one send


@dataclass(frozen=True)
class SendResult:
    """What one ``briefing send`` did; the CLI prints it and picks the exit code from it."""

    message: Message
    pending: tuple[str, ...]
    """Recipients this run was to serve (all but those already served, unless forced)."""
    already: Mapping[str, str] = field(default_factory=dict)
    """Recipients skipped because the send log has this briefing for them, with when."""
    sent: tuple[str, ...] = ()
    failed: Mapping[str, str] = field(default_factory=dict)
    """Recipients not served, with the reason; the message stays in the outbox for them."""
    outbox_file: Path | None = None
    """Where the .eml is now: ``outbox/`` while unsent, ``outbox/sent/`` once delivered."""
    via: str = ""
    """``host:port`` of the SMTP server; "" when no server is configured (outbox only)."""
    dry_run: bool = False

    @property
    def complete(self) -> bool:
        """True when nobody who should have the briefing is left without it."""
        return not self.failed


def send_week(settings: Settings, week: str | None = None, *, force: bool = False, dry_run: bool = False,
              sender: Sender | None = None) -> SendResult:
    """E-mail the briefing of ``week`` (default: latest built) to everyone who has not had it yet.

    The message is written to the outbox first; with no SMTP server configured that
    is all. Otherwise it is sent, each accepted recipient is logged at once, and the
    outbox keeps the message until nobody is left.
    """
    mail = settings.mail
    check_mail(mail)
    files = find_report(Path(settings.out), week or settings.week)
    if sender is None and not dry_run:
        sender = smtp_sender(mail)
    with _built_store(Path(settings.db), files.week) as store:
        issue = _built_issue(store, files.week)
        message = compose(files, mail, issue, masthead_title(settings.report.title))
        result = _plan(message, {} if force else store.sends(files.week, issue, message.content_hash), dry_run)
        result = replace(result, via=sender.where if sender else f"{mail.host}:{mail.smtp_port}" if mail.host else "")
        if dry_run or not result.pending:
            return result
        eml = _queue(outbox_folder(settings), message, result.pending)
        if sender is None:
            return replace(result, outbox_file=eml)

        def log(recipients: list[str]) -> None:
            store.record_sends(files.week, issue, message.content_hash, [recipient_key(r) for r in recipients])

        failed = sender.deliver(message.data, message.sender, result.pending, log)
        sent = tuple(r for r in result.pending if r not in failed)
        return replace(result, sent=sent, failed=failed, outbox_file=_settle(eml, message, sent, failed))


def _built_store(db: Path, week: str) -> Store:
    """The store the briefing was built with; sending never creates one (a dry run writes nothing)."""
    if not db.is_file():
        raise SendError(f"no store at {db}: the briefing of {week} is numbered when it is built. "
                        f"Run `briefing build --week {week}` with the same --db first")
    return Store.open(db)


def _built_issue(store: Store, week: str) -> int:
    """第N期 as the build printed it; sending only looks it up, so the mail and the document agree."""
    issue = store.stored_issue(week)
    if issue is None:
        raise SendError(f"{week} has no issue number in the store {store.path}: it was built with another --db. "
                        f"Run `briefing build --week {week}` with this --db first")
    return issue.number


def _plan(message: Message, already_sent: Mapping[str, str], dry_run: bool) -> SendResult:
    """Split the recipients into those to serve and those the send log says already have this briefing."""
    already = {r: already_sent[recipient_key(r)] for r in message.recipients if recipient_key(r) in already_sent}
    pending = tuple(r for r in message.recipients if r not in already)
    return SendResult(message, pending, already, dry_run=dry_run)
