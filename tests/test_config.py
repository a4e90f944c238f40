"""Settings: defaults, briefing.toml, command-line overrides, week strings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefing.config import (MailSettings, Settings, load_settings, parse_week, split_address, week_bounds,
                             with_recipients)
from briefing.errors import ConfigError


def test_defaults_without_a_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.inputs == Path("inputs") and settings.out == Path("outputs") and settings.week is None


def test_toml_then_command_line_win_over_defaults(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('[build]\ninputs = "articles"\nout = "reports"\nweek = "2020-W50"\n', encoding="utf-8")
    settings = load_settings(config, out=Path("elsewhere"), week=None)
    assert settings.inputs == Path("articles")
    assert settings.out == Path("elsewhere")
    assert settings.week == "2020-W50"


def test_every_problem_in_the_file_is_reported_at_once(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('[build]\ninptus = "x"\nout = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert "unknown key [build] inptus" in str(caught.value)
    assert "[build] out must be a string" in str(caught.value)


def test_a_missing_config_file_named_on_the_command_line_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


@pytest.mark.parametrize("text, week", [("2020-W51", "2020-W51"), ("2020-w51", "2020-W51"), ("2020W51", "2020-W51"), ("2020-W5", "2020-W05")])
def test_week_strings_are_read_leniently_and_written_canonically(text, week):
    assert parse_week(text) == week


@pytest.mark.parametrize("text", ["2020-51", "2020-W54", "W51", "2020-W00"])
def test_bad_week_strings_say_how_to_write_one(text):
    with pytest.raises(ConfigError, match="W"):
        parse_week(text)


def test_week_bounds_monday_to_sunday():
    monday, sunday = week_bounds("2020-W53")
    assert (monday.isoformat(), sunday.isoformat()) == ("2020-12-28", "2021-01-03")


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().week = "2020-W01"  # type: ignore[misc]


def test_report_table_sets_the_masthead_and_closing_block(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('[report]\ntitle = "科技合作简报"\nunit = "赤峰市科技局"\nreport_to = "市委、市政府领导"\n'
                      'copy_to = "各旗县区科技局"\ncumulative = true\n', encoding="utf-8")
    report = load_settings(config).report
    assert (report.title, report.unit, report.report_to, report.copy_to, report.cumulative) == (
        "科技合作简报", "赤峰市科技局", "市委、市政府领导", "各旗县区科技局", True)


def test_report_table_problems_are_named(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('[report]\nunti = "x"\ncumulative = "yes"\ntitle = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    message = str(error.value)
    assert "unknown key [report] unti" in message
    assert "[report] cumulative must be true or false" in message and "[report] title must be a string" in message


def test_mail_table_gives_server_recipients_and_templates(tmp_path):
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = tmp_path / "briefing.toml"
    config.write_text(
        '[mail]\nhost = "smtp.example.cn"\nport = 2525\nsecurity = "ssl"\nuser = "briefing"\nsender = "简报 <brief@example.cn>"\n'
        'to = ["张三 <zhang@example.cn>", "li@example.cn; wang@example.cn"]\ncc = "chen@example.cn"\nbcc = []\n'
        f'cafile = "{(tmp_path / "ca.pem").as_posix()}"\nsubject = "第{{issue}}期 {{week}}"\n', encoding="utf-8")
    mail = load_settings(config).mail
    assert (mail.host, mail.smtp_port, mail.security, mail.user) == ("smtp.example.cn", 2525, "ssl", "briefing")
    assert mail.to == ("张三 <zhang@example.cn>", "li@example.cn", "wang@example.cn") and mail.cc == ("chen@example.cn",) and mail.bcc == ()
    assert mail.cafile == tmp_path / "ca.pem" and mail.subject == "第{issue}期 {week}"


def test_mail_defaults_are_starttls_on_587_and_no_server():
    mail = Settings().mail
    assert (mail.host, mail.security, mail.smtp_port) == ("", "starttls", 587)


def test_mail_table_problems_are_all_named_and_a_password_is_refused_without_echoing_it(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text(
        '[mail]\npassword = "s3cr3t-value"\nsecurity = "tls"\nport = "25"\nto = ["zhang@", "ok@example.cn"]\n'
        'sender = "nobody"\nsubjcet = "x"\nsubject = "{number}"\ncafile = "missing.pem"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    message = str(error.value)
    assert "s3cr3t-value" not in message
    assert "[mail] password is never read from briefing.toml" in message and "BRIEFING_SMTP_PASSWORD" in message
    for expected in ("[mail] security must be one of none, starttls, ssl", "[mail] port must be a whole number",
                     "[mail] to: 'zhang@' is not an e-mail address", "[mail] sender: 'nobody'", "unknown key [mail] subjcet",
                     "[mail] subject '{number}' cannot be filled in", "[mail] cafile missing.pem does not exist"):
        assert expected in message


@pytest.mark.parametrize("text, parsed", [
    ("zhang@example.cn", ("", "zhang@example.cn")),
    ("张三 <zhang@example.cn>", ("张三", "zhang@example.cn")),
    ('"Zhang San" <zhang.san+briefing@mail.example.com.cn>', ("Zhang San", "zhang.san+briefing@mail.example.com.cn")),
])
def test_addresses_are_read_with_or_without_a_display_name(text, parsed):
    assert split_address(text) == parsed


@pytest.mark.parametrize("text", ["zhang", "zhang@", "@example.cn", "zhang@example", "zh ang@example.cn", "a@b@example.cn",
                                  "zhang..san@example.cn", "张三@example.cn", "张三 <zhang@example.cn", "zhang@-example.cn"])
def test_malformed_addresses_are_refused(text):
    with pytest.raises(ValueError, match="not an e-mail address"):
        split_address(text)


def test_command_line_recipients_replace_the_files_list_by_list():
    settings = replace(Settings(), mail=MailSettings(to=("a@example.cn",), cc=("b@example.cn",), bcc=("c@example.cn",)))
    changed = with_recipients(settings, to=["x@example.cn, y@example.cn"], cc=[""])
    assert (changed.mail.to, changed.mail.cc, changed.mail.bcc) == (("x@example.cn", "y@example.cn"), (), ("c@example.cn",))
