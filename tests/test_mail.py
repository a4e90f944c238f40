"""E-mail delivery: the message parsed back, the outbox, a real SMTP server on 127.0.0.1, the send log.

The servers are aiosmtpd, started per test on a free port; scripted handlers make
them answer 421, refuse a recipient, or drop the connection. Every received message
is parsed back and checked: subject, recipients, attachment bytes and names.
"""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.utils
import json
import socket
import ssl
import sys
import types
import zipfile
from dataclasses import dataclass, replace
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from PIL import Image
from typer.testing import CliRunner

from briefing import mail
from briefing.cli import EXIT_UNSENT, app
from briefing.config import MailSettings, Settings
from briefing.errors import ConfigError, SendError
from briefing.store import Store

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "inputs"
WEEK = "2020-W51"
SUBJECT = "科技工作简报 2020年第1期（12月14日—12月20日）"
DOCX_NAME = "科技工作简报2020年第1期.docx"
PASSWORD = "correct horse battery staple"
TO, CC, BCC = "张三 <zhang@example.com>", "li@example.com", "boss@example.com"
ENVELOPE = ("zhang@example.com", "li@example.com", "boss@example.com")
MARKDOWN = """# 科技工作简报

**2020年第51周（12月14日—12月20日）**

本周资金合计**7.06亿元**，签约项目17项。

| 类别 | 金额 |
| --- | ---: |
| 专项资金 | 2.51亿元 |

![资金](funding-{week}.png)

![签约](signing-{week}.png)

- [1] 原文 <http://example.com/a?x=1&y=2>
"""


# ------------------------------------------------------------ a built briefing and settings


def write_report(out: Path, week: str = WEEK, body: str = "第一版", pdf: bool = False) -> Path:
    """A briefing as a build leaves it: .docx, .md linking two chart PNGs, maybe a .pdf, and
    the week numbered in the store beside ``out`` (``briefing.db``, as the tests' settings name it)."""
    with Store.open(out.parent / "briefing.db") as store:
        store.issue(week, dt.date(2020, 12, 21))
    folder = out / week
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"briefing-{week}.docx", "w") as archive:
        archive.writestr("word/document.xml", f"<w:document>{body}</w:document>")
    (folder / f"briefing-{week}.md").write_text(MARKDOWN.format(week=week) + body + "\n", encoding="utf-8")
    for name, colour in (("funding", "red"), ("signing", "blue")):
        Image.new("RGB", (4, 3), colour).save(folder / f"{name}-{week}.png")
    if pdf:
        (folder / f"briefing-{week}.pdf").write_bytes(b"%PDF-1.4\n% test\n%%EOF\n")
    return out


@pytest.fixture
def out(tmp_path) -> Path:
    return write_report(tmp_path / "outputs")


def settings_for(tmp_path: Path, out: Path, **mail_settings) -> Settings:
    values = {"to": (TO,), "cc": (CC,), "bcc": (BCC,), "sender": "简报 <brief@example.com>", **mail_settings}
    return Settings(out=out, db=tmp_path / "briefing.db", mail=MailSettings(**values))


def parse(data: bytes) -> email.message.EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def outbox(out: Path) -> list[Path]:
    return sorted((out / "outbox").glob("*.eml"))


def sent_folder(out: Path) -> list[Path]:
    return sorted((out / "outbox" / "sent").glob("*.eml"))


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Transient failures are retried after 10 ms, not seconds; no password unless a test sets one."""
    monkeypatch.setattr(mail, "RETRY_DELAYS", (0.01, 0.01))
    monkeypatch.delenv(mail.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setitem(sys.modules, "keyring", None)  # the developer's own keyring stays out of it


# ------------------------------------------------------------ local SMTP servers


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    data: bytes


class Recorder:
    """An aiosmtpd handler that keeps every message; its scripts make it fail on purpose."""

    def __init__(self):
        self.messages: list[Received] = []
        self.mail_replies: list[str] = []
        """Replies to MAIL FROM, one per connection, before it starts accepting."""
        self.refuse: dict[str, str] = {}
        """Recipient → reply to RCPT TO."""
        self.drops = 0
        """DATA commands to answer by dropping the connection."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drops:
            self.drops -= 1
            server.transport.abort()
            return "250 never seen"
        self.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accept_password(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"briefing" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    """Start an aiosmtpd server on 127.0.0.1: ``start(**controller_options) -> (port, recorder)``."""
    controllers = []

    def start(**options):
        recorder = Recorder()
        port = free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return port, recorder

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A test CA made here (trustme), its PEM file for [mail] cafile, and a server context it signed."""
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    cafile = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(cafile))
    return cafile, server_context


# ------------------------------------------------------------ the message


def test_message_parses_back_with_chinese_subject_recipients_and_bcc_only_in_the_envelope(tmp_path, out):
    message = mail.compose(mail.find_report(out, WEEK), settings_for(tmp_path, out).mail, issue=1)
    parsed = parse(message.data)
    assert parsed["Subject"] == SUBJECT == message.subject
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == [("张三", "zhang@example.com")]
    assert parsed["Cc"] == CC and parsed["From"].addresses[0].addr_spec == "brief@example.com"
    assert "boss" not in message.data.decode("ascii") and parsed["Bcc"] is None
    assert message.recipients == ENVELOPE and message.sender == "brief@example.com"
    assert parsed["Message-ID"] and parsed["Date"]


def test_message_is_7bit_with_crlf_lines_so_any_server_passes_it_unchanged(tmp_path, out):
    data = mail.compose(mail.find_report(out, WEEK), settings_for(tmp_path, out).mail, issue=1).data
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_html_body_shows_the_headline_figures_and_embeds_each_chart_by_cid(tmp_path, out):
    parsed = parse(mail.compose(mail.find_report(out, WEEK), settings_for(tmp_path, out).mail, issue=1).data)
    html = parsed.get_body(("html",)).get_content()
    assert "<strong>7.06亿元</strong>" in html and "<table" in html and "2.51亿元" in html
    related = {part["Content-ID"].strip("<>"): part for part in parsed.walk() if part["Content-ID"]}
    cids = [src[len("cid:"):] for src in _image_sources(html)]
    assert len(cids) == 2 and set(cids) == set(related)
    for cid, name in zip(cids, ("funding", "signing")):
        assert related[cid].get_content() == (out / WEEK / f"{name}-{WEEK}.png").read_bytes()
        assert related[cid].get_content_type() == "image/png"
    assert "&amp;y=2" in html  # article text is escaped, not run


def _image_sources(html: str) -> list[str]:
    import re

    return re.findall(r'<img src="([^"]+)"', html)


def test_plain_text_alternative_reads_without_markup(tmp_path, out):
    parsed = parse(mail.compose(mail.find_report(out, WEEK), settings_for(tmp_path, out).mail, issue=1).data)
    text = parsed.get_body(("plain",)).get_content()
    assert "本周资金合计7.06亿元，签约项目17项。" in text
    assert "专项资金 | 2.51亿元" in text
    assert "[图：资金" in text and "](" not in text and "**" not in text and "#" not in text


def test_attachments_carry_the_exact_bytes_under_their_chinese_names(tmp_path):
    out = write_report(tmp_path / "outputs", pdf=True)
    message = mail.compose(mail.find_report(out, WEEK), settings_for(tmp_path, out).mail, issue=1)
    attachments = {part.get_filename(): part for part in parse(message.data).iter_attachments()}
    assert list(attachments) == [DOCX_NAME, "科技工作简报2020年第1期.pdf"] == list(message.attachments)
    assert attachments[DOCX_NAME].get_content() == (out / WEEK / f"briefing-{WEEK}.docx").read_bytes()
    assert attachments[DOCX_NAME].get_content_type() == mail.ATTACHMENT_TYPES[".docx"]
    assert attachments["科技工作简报2020年第1期.pdf"].get_content() == (out / WEEK / f"briefing-{WEEK}.pdf").read_bytes()


@pytest.mark.parametrize("name", ["科技工作简报{year}年第{issue}期", "一份名字很长很长的科技工作简报用来检验编码词与续行的切分{year}年第{issue}期"])
def test_attachment_names_are_written_both_as_rfc2047_words_and_rfc2231(tmp_path, out, name):
    """Outlook and Chinese webmail read ``filename="=?utf-8?b?…?="``; others read ``filename*``."""
    settings = settings_for(tmp_path, out, attachment_name=name)
    data = mail.compose(mail.find_report(out, WEEK), settings.mail, issue=1).data
    expected = name.format(year=2020, issue=1) + ".docx"
    legacy = email.message_from_bytes(data)  # the old parser keeps each form apart
    part = next(p for p in legacy.walk() if p.get_content_type() == mail.ATTACHMENT_TYPES[".docx"])
    forms = [value for key, value in part.get_params(header="content-disposition") if key == "filename"]
    encoded_words, rfc2231 = forms
    assert encoded_words.startswith("=?utf-8?b?")
    assert str(email.header.make_header(email.header.decode_header(encoded_words))) == expected
    assert email.utils.collapse_rfc2231_value(rfc2231) == expected
    assert str(email.header.make_header(email.header.decode_header(part.get_param("name")))) == expected
    assert all(len(line) <= 78 for line in str(part["Content-Disposition"]).splitlines())


def test_a_chart_missing_from_the_folder_stops_before_anything_is_written(tmp_path, out):
    (out / WEEK / f"signing-{WEEK}.png").unlink()
    with pytest.raises(SendError, match=r"signing-2020-W51.png.*briefing build"):
        mail.send_week(settings_for(tmp_path, out))
    assert not (out / "outbox").exists()


def test_without_a_build_the_error_says_to_build_first(tmp_path):
    with pytest.raises(SendError, match="briefing build"):
        mail.send_week(settings_for(tmp_path, tmp_path / "outputs"))


def test_sending_looks_the_issue_up_and_never_numbers_a_week_itself(tmp_path, out):
    elsewhere = replace(settings_for(tmp_path, out), db=tmp_path / "other.db")
    with pytest.raises(SendError, match="no store at .*other.db.*briefing build --week 2020-W51"):
        mail.send_week(elsewhere, dry_run=True)
    assert not (tmp_path / "other.db").exists()
    Store.open(tmp_path / "other.db").close()
    with pytest.raises(SendError, match="2020-W51 has no issue number in the store .*other.db"):
        mail.send_week(elsewhere, dry_run=True)


def test_the_latest_built_week_is_sent_by_default(tmp_path, out):
    write_report(out, "2020-W52")
    assert mail.find_report(out).week == "2020-W52"
    assert mail.find_report(out, WEEK).week == WEEK


def test_content_hash_ignores_when_the_docx_was_written_but_not_what_it_says(tmp_path):
    first = mail.find_report(write_report(tmp_path / "a")).content_hash()
    again = mail.find_report(write_report(tmp_path / "b")).content_hash()
    changed = mail.find_report(write_report(tmp_path / "c", body="第二版")).content_hash()
    assert first == again != changed


# ------------------------------------------------------------ the outbox (no SMTP configured)


def test_without_smtp_the_exact_eml_goes_to_the_outbox_and_nothing_is_sent(tmp_path, out):
    result = mail.send_week(settings_for(tmp_path, out))
    assert result.via == "" and result.sent == () and result.complete
    assert outbox(out) == [result.outbox_file]
    assert result.outbox_file.read_bytes() == result.message.data
    envelope = json.loads(result.outbox_file.with_suffix(".json").read_text(encoding="utf-8"))
    assert envelope["recipients"] == list(ENVELOPE) and envelope["subject"] == SUBJECT
    with Store.open(tmp_path / "briefing.db") as store:
        assert store.sends(WEEK, 1, result.message.content_hash) == {}  # written is not sent


def test_dry_run_writes_nothing(tmp_path, out):
    result = mail.send_week(settings_for(tmp_path, out), dry_run=True)
    assert result.pending == ENVELOPE and result.outbox_file is None
    assert not (out / "outbox").exists()


class MemorySender:
    """A sender that keeps messages in a list (Django's locmem backend) and refuses whom it is told to."""

    where = "memory"

    def __init__(self, refuse: dict[str, str] | None = None):
        self.outbox: list[tuple[str, list[str], bytes]] = []
        self.refuse = refuse or {}

    def deliver(self, data, sender, recipients, on_sent):
        accepted = [r for r in recipients if r not in self.refuse]
        self.outbox.append((sender, accepted, data))
        on_sent(accepted)
        return {r: self.refuse[r] for r in recipients if r in self.refuse}


def test_any_sender_can_stand_in_for_smtp_and_the_log_and_outbox_follow_it(tmp_path, out):
    settings = settings_for(tmp_path, out)
    first = mail.send_week(settings, sender=MemorySender(refuse={CC: "550 gone (permanent)"}))
    assert first.sent == ("zhang@example.com", "boss@example.com") and first.failed == {CC: "550 gone (permanent)"}
    assert outbox(out) == [first.outbox_file]
    memory = MemorySender()
    second = mail.send_week(settings, sender=memory)
    assert [recipients for _, recipients, _ in memory.outbox] == [[CC]]
    assert second.complete and outbox(out) == [] and len(sent_folder(out)) == 1


# ------------------------------------------------------------ SMTP


def smtp_settings(tmp_path, out, port, **values) -> Settings:
    return settings_for(tmp_path, out, host="127.0.0.1", port=port, security="none", **values)


def test_plain_smtp_delivers_the_outbox_bytes_once_and_files_them_as_sent(tmp_path, out, smtp_server):
    port, server = smtp_server()
    result = mail.send_week(smtp_settings(tmp_path, out, port))
    assert result.sent == ENVELOPE and result.complete
    [received] = server.messages
    assert received.recipients == ENVELOPE and received.sender == "brief@example.com"
    assert received.data == result.message.data
    assert parse(received.data)["Subject"] == SUBJECT
    assert outbox(out) == [] and sent_folder(out) == [result.outbox_file]
    assert result.outbox_file.read_bytes() == result.message.data


def test_starttls_with_a_self_signed_certificate_and_auth(tmp_path, out, smtp_server, certificates, monkeypatch):
    cafile, server_context = certificates
    port, server = smtp_server(tls_context=server_context, require_starttls=True, auth_required=True, authenticator=accept_password)
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, PASSWORD)
    settings = settings_for(tmp_path, out, host="127.0.0.1", port=port, security="starttls", cafile=cafile, user="briefing")
    result = mail.send_week(settings)
    assert result.sent == ENVELOPE, result.failed
    [received] = server.messages
    attachments = {p.get_filename(): p.get_content() for p in parse(received.data).iter_attachments()}
    assert attachments == {DOCX_NAME: (out / WEEK / f"briefing-{WEEK}.docx").read_bytes()}


def test_implicit_tls(tmp_path, out, smtp_server, certificates):
    cafile, server_context = certificates
    port, server = smtp_server(ssl_context=server_context)
    result = mail.send_week(settings_for(tmp_path, out, host="127.0.0.1", port=port, security="ssl", cafile=cafile))
    assert result.sent == ENVELOPE and len(server.messages) == 1


def test_an_untrusted_certificate_is_refused_and_the_message_says_cafile(tmp_path, out, smtp_server, certificates):
    _, server_context = certificates
    port, server = smtp_server(tls_context=server_context, require_starttls=True)
    result = mail.send_week(settings_for(tmp_path, out, host="127.0.0.1", port=port, security="starttls"))
    assert set(result.failed) == set(ENVELOPE) and not server.messages
    assert "cafile" in result.failed["li@example.com"]
    assert outbox(out) == [result.outbox_file]


def test_a_wrong_password_is_reported_without_the_password(tmp_path, out, smtp_server, certificates, monkeypatch):
    cafile, server_context = certificates
    port, server = smtp_server(tls_context=server_context, require_starttls=True, auth_required=True, authenticator=accept_password)
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, "not-the-password-42")
    settings = settings_for(tmp_path, out, host="127.0.0.1", port=port, cafile=cafile, user="briefing")
    result = mail.send_week(settings)
    reason = result.failed["zhang@example.com"]
    assert "briefing" in reason and "535" in reason and mail.PASSWORD_VARIABLE in reason
    assert "not-the-password-42" not in reason and "not-the-password-42" not in repr(mail.smtp_sender(settings.mail))
    assert not server.messages and outbox(out)


@pytest.mark.parametrize("trouble", [
    pytest.param(lambda server: server.mail_replies.append("421 4.3.2 too busy, try later"), id="421-then-accept"),
    pytest.param(lambda server: setattr(server, "drops", 1), id="connection-dropped-during-data"),
])
def test_a_transient_failure_is_retried_and_the_message_delivered_once(tmp_path, out, smtp_server, trouble):
    port, server = smtp_server()
    trouble(server)
    result = mail.send_week(smtp_settings(tmp_path, out, port))
    assert result.sent == ENVELOPE and len(server.messages) == 1


def test_a_recipient_refused_with_550_is_reported_and_kept_in_the_outbox(tmp_path, out, smtp_server):
    port, server = smtp_server()
    server.refuse["li@example.com"] = "550 5.1.1 no such user"
    settings = smtp_settings(tmp_path, out, port)
    result = mail.send_week(settings)
    assert result.sent == ("zhang@example.com", "boss@example.com")
    assert "550 5.1.1 no such user (permanent)" in result.failed["li@example.com"]
    assert [m.recipients for m in server.messages] == [("zhang@example.com", "boss@example.com")]  # not retried
    assert outbox(out) == [result.outbox_file]
    envelope = json.loads(result.outbox_file.with_suffix(".json").read_text(encoding="utf-8"))
    assert envelope["recipients"] == ["li@example.com"] and "550" in envelope["not_sent"]["li@example.com"]

    del server.refuse["li@example.com"]  # fixed: the next run serves only who is left
    again = mail.send_week(settings)
    assert again.sent == ("li@example.com",) and set(again.already) == {"zhang@example.com", "boss@example.com"}
    assert server.messages[-1].recipients == ("li@example.com",)
    assert outbox(out) == [] and len(sent_folder(out)) == 1


def test_a_server_that_is_down_leaves_everything_in_the_outbox(tmp_path, out):
    result = mail.send_week(smtp_settings(tmp_path, out, free_port()))
    assert result.sent == () and set(result.failed) == set(ENVELOPE)
    assert "cannot reach 127.0.0.1" in result.failed[CC] and "3 attempts" in result.failed[CC]
    assert outbox(out) == [result.outbox_file] and result.outbox_file.read_bytes() == result.message.data


def test_a_second_send_is_refused_and_force_sends_again(tmp_path, out, smtp_server):
    port, server = smtp_server()
    settings = smtp_settings(tmp_path, out, port)
    mail.send_week(settings)
    second = mail.send_week(settings)
    assert second.pending == () and set(second.already) == set(ENVELOPE) and len(server.messages) == 1
    assert outbox(out) == []
    forced = mail.send_week(settings, force=True)
    assert forced.sent == ENVELOPE and len(server.messages) == 2


def test_a_rebuilt_briefing_with_new_content_is_a_new_send(tmp_path, out, smtp_server):
    port, server = smtp_server()
    settings = smtp_settings(tmp_path, out, port)
    mail.send_week(settings)
    write_report(out, body="更正后的第二版")
    assert mail.send_week(settings).sent == ENVELOPE and len(server.messages) == 2


def test_the_send_log_knows_a_recipient_whatever_the_case(tmp_path, out, smtp_server):
    port, server = smtp_server()
    mail.send_week(smtp_settings(tmp_path, out, port, cc=(), bcc=()))
    shouting = mail.send_week(smtp_settings(tmp_path, out, port, to=("ZHANG@Example.com",), cc=(), bcc=()))
    assert shouting.pending == () and len(server.messages) == 1


# ------------------------------------------------------------ settings checked before sending


def test_no_recipients_is_an_error_that_says_where_to_add_them(tmp_path, out):
    with pytest.raises(ConfigError, match=r"no recipients.*\[mail\].*--to"):
        mail.send_week(settings_for(tmp_path, out, to=(), cc=(), bcc=()))


def test_a_password_is_never_sent_unencrypted_to_another_host(tmp_path, out):
    settings = settings_for(tmp_path, out, host="smtp.example.com", security="none", user="briefing")
    with pytest.raises(ConfigError, match="unencrypted"):
        mail.send_week(settings)


def test_a_missing_password_says_how_to_provide_it(tmp_path, out):
    settings = settings_for(tmp_path, out, host="127.0.0.1", user="briefing")
    with pytest.raises(ConfigError, match=rf"{mail.PASSWORD_VARIABLE}.*keyring set {mail.KEYRING_SERVICE} briefing"):
        mail.send_week(settings)


def test_the_password_can_come_from_the_keyring(monkeypatch):
    fake = types.ModuleType("keyring")
    fake.errors = types.SimpleNamespace(KeyringError=RuntimeError)
    fake.get_password = lambda service, user: "from-keyring" if (service, user) == (mail.KEYRING_SERVICE, "briefing") else None
    monkeypatch.setitem(sys.modules, "keyring", fake)
    monkeypatch.setitem(sys.modules, "keyring.errors", fake.errors)
    assert mail.smtp_password(MailSettings(host="127.0.0.1", user="briefing")) == "from-keyring"
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, "from-environment")
    assert mail.smtp_password(MailSettings(host="127.0.0.1", user="briefing")) == "from-environment"


# ------------------------------------------------------------ the commands

runner = CliRunner()


def write_config(folder: Path, port: int, **extra: str) -> None:
    values = {"host": '"127.0.0.1"', "port": str(port), "security": '"none"', "sender": '"brief@example.com"',
              "to": f'["{TO}"]', "cc": f'["{CC}"]', **{key: f'"{value}"' for key, value in extra.items()}}
    lines = ["[mail]", *(f"{key} = {value}" for key, value in values.items())]
    (folder / "briefing.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_build_send_delivers_once_and_the_second_run_says_why_it_sends_nothing(tmp_path, monkeypatch, smtp_server):
    monkeypatch.chdir(tmp_path)
    port, server = smtp_server()
    write_config(tmp_path, port)
    first = runner.invoke(app, ["build", "--inputs", str(INPUTS), "--send"])
    assert first.exit_code == 0, first.output
    [received] = server.messages
    parsed = parse(received.data)
    assert parsed["Subject"].startswith("科技工作简报 2020年第") and "12月21日—12月27日" in parsed["Subject"]
    assert received.recipients == ("zhang@example.com", "li@example.com")
    docx = next(parsed.iter_attachments())
    assert docx.get_content() == (tmp_path / "outputs" / "2020-W52" / "briefing-2020-W52.docx").read_bytes()
    assert "sent “科技工作简报" in first.stdout and "zhang@example.com, li@example.com" in first.stdout

    second = runner.invoke(app, ["build", "--inputs", str(INPUTS), "--send"])
    assert second.exit_code == 0, second.output
    assert len(server.messages) == 1
    assert "already sent to zhang@example.com" in second.stdout and "nothing sent" in second.stdout


def test_send_command_reports_each_unsent_recipient_and_exits_4(tmp_path, monkeypatch, smtp_server):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    port, server = smtp_server()
    server.refuse["li@example.com"] = "550 5.1.1 no such user"
    write_config(tmp_path, port)
    result = runner.invoke(app, ["send"])
    assert result.exit_code == EXIT_UNSENT == 4
    assert "not sent to li@example.com: 550 5.1.1 no such user" in result.stderr
    assert "outbox" in result.stderr and "briefing send --week 2020-W51" in result.stderr
    assert "sent “" in result.stdout and "zhang@example.com" in result.stdout


def test_send_command_without_a_server_writes_the_outbox_and_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    result = runner.invoke(app, ["send", "--to", "wang@example.com", "--cc", ""])
    assert result.exit_code == 0, result.output
    assert "no SMTP server configured" in result.stdout and "outputs/outbox/" in result.stdout
    [eml] = outbox(tmp_path / "outputs")
    assert parse(eml.read_bytes())["To"] == "wang@example.com" and parse(eml.read_bytes())["Cc"] is None


def test_send_command_dry_run_names_the_recipients_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    result = runner.invoke(app, ["send", "--dry-run", "--to", "wang@example.com, zhao@example.com"])
    assert result.exit_code == 0, result.output
    assert "would send" in result.stdout and "wang@example.com, zhao@example.com" in result.stdout
    assert not (tmp_path / "outputs" / "outbox").exists()


def test_a_malformed_address_on_the_command_line_is_bad_usage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["send", "--to", "zhang@"])
    assert result.exit_code == 2 and "zhang@" in result.output


def test_send_force_sends_again(tmp_path, monkeypatch, smtp_server):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    port, server = smtp_server()
    write_config(tmp_path, port)
    assert runner.invoke(app, ["send"]).exit_code == 0
    assert "nothing sent" in runner.invoke(app, ["send"]).stdout
    forced = runner.invoke(app, ["send", "--force"])
    assert forced.exit_code == 0 and len(server.messages) == 2


def test_a_server_that_is_down_exits_4_with_the_mail_kept(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    write_config(tmp_path, free_port())
    result = runner.invoke(app, ["send"])
    assert result.exit_code == 4
    assert "not sent to zhang@example.com: cannot reach 127.0.0.1" in result.stderr
    assert len(outbox(tmp_path / "outputs")) == 1


def test_the_password_never_appears_in_the_output(tmp_path, monkeypatch, smtp_server, certificates):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / "outputs")
    cafile, server_context = certificates
    port, _ = smtp_server(tls_context=server_context, require_starttls=True, auth_required=True, authenticator=accept_password)
    write_config(tmp_path, port, security="starttls", user="briefing", cafile=str(cafile))
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, "hunter2-wrong")
    result = runner.invoke(app, ["send"])
    assert result.exit_code == 4 and "535" in result.stderr
    assert "hunter2" not in result.output
    monkeypatch.setenv(mail.PASSWORD_VARIABLE, PASSWORD)
    assert runner.invoke(app, ["send"]).exit_code == 0


def test_a_cafile_that_is_not_a_certificate_is_named(tmp_path, out, smtp_server):
    port, _ = smtp_server()
    (tmp_path / "not-a-cert.pem").write_text("hello", encoding="utf-8")
    result = mail.send_week(settings_for(tmp_path, out, host="127.0.0.1", port=port, cafile=tmp_path / "not-a-cert.pem"))
    assert "not-a-cert.pem is not a readable PEM certificate file" in result.failed[CC]
    assert outbox(out) == [result.outbox_file]


def test_build_send_that_cannot_send_says_built_but_not_sent_and_exits_4(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path, free_port())

    def refuse(*args, **kwargs):
        raise SendError("the outbox folder outputs/outbox is not writable")

    monkeypatch.setattr(mail, "send_week", refuse)
    result = runner.invoke(app, ["build", "--inputs", str(INPUTS), "--send"])
    assert result.exit_code == EXIT_UNSENT
    assert (tmp_path / "outputs" / "2020-W52" / "briefing-2020-W52.docx").is_file()
    assert "the briefing was built but not sent: the outbox folder" in result.stderr
