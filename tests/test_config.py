"""Settings: defaults, briefing.toml, command-line overrides, week strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.config import Settings, load_settings, parse_week, week_bounds
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
