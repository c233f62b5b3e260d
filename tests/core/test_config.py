"""Configuration: defaults, environment override, and one-line errors naming the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.config import SCHEMA, ConfigError, load_config, missing_token_message

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_default_file_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(None, environ={})
    assert config.token == ""
    assert config.guild_ids == ()
    assert config.database_path == Path("data/partnerships.sqlite3")
    assert config.tick_seconds == 60
    assert config.timezone.key == "UTC"


def test_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[discord]\ntoken = "abc"\nguild_ids = [123, 456]\n[database]\npath = "x/y.db"\n'
        '[scheduler]\ntick_seconds = 30\ntimezone = "Europe/Berlin"\n',
    )
    config = load_config(path, environ={})
    assert config.token == "abc"
    assert config.guild_ids == (123, 456)
    assert config.database_path == Path("x/y.db")
    assert config.tick_seconds == 30
    assert config.timezone.key == "Europe/Berlin"


def test_environment_token_overrides_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[discord]\ntoken = "from-file"\n')
    assert load_config(path, environ={"DISCORD_TOKEN": "from-env"}).token == "from-env"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[discord]\ntokn = 'x'\n", "[discord] unknown key 'tokn'"),
        ("[bot]\nx = 1\n", "unknown section [bot]"),
        ("[scheduler]\ntick_seconds = 'often'\n", "[scheduler] tick_seconds: expected a whole number"),
        ("[scheduler]\ntick_seconds = true\n", "[scheduler] tick_seconds: expected a whole number"),
        ("[scheduler]\ntick_seconds = 0\n", "[scheduler] tick_seconds: expected a whole number"),
        ("[scheduler]\ntimezone = 'Mars/Olympus'\n", "[scheduler] timezone: expected an IANA timezone"),
        ("[scheduler]\ntimezone = '../../etc/passwd'\n", "[scheduler] timezone: expected an IANA timezone"),
        ("[discord]\nguild_ids = ['abc']\n", "[discord] guild_ids: expected a list of server ids"),
        ("[discord]\nguild_ids = 5\n", "[discord] guild_ids: expected a list of server ids"),
        ("[database]\npath = 3\n", "[database] path: expected a file path"),
        ("[discord\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ={})
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml", environ={})


def test_repr_never_shows_the_token(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[discord]\ntoken = "s3cret-token"\n'), environ={})
    assert "s3cret-token" not in repr(config)
    assert "s3cret-token" not in str(config)


def test_example_config_documents_every_key_and_loads() -> None:
    example = REPO / "config.example.toml"
    parsed = tomllib.loads(example.read_text(encoding="utf-8"))
    assert {section: set(keys) for section, keys in parsed.items()} == {
        section: set(keys) for section, keys in SCHEMA.items()
    }
    load_config(example, environ={})


def test_missing_token_message_says_what_to_set() -> None:
    message = missing_token_message(Path("config.toml"))
    assert "DISCORD_TOKEN" in message
    assert "[discord]" in message
    assert "Creating the Discord application" in message


def test_checkin_and_digest_settings_are_read_and_checked(tmp_path: Path) -> None:
    defaults = load_config(None, environ={})
    assert (defaults.checkin_reminder_days, defaults.digest_weekday, defaults.digest_hour) == (3, 0, 9)
    assert defaults.checkin_prompts_per_second == 5
    path = tmp_path / "config.toml"
    path.write_text(
        '[checkins]\nreminder_days = 5\nprompts_per_second = 12\n[digest]\nweekday = "Friday"\nhour = 16\n',
        encoding="utf-8",
    )
    config = load_config(path, environ={})
    assert (config.checkin_reminder_days, config.digest_weekday, config.digest_hour) == (5, 4, 16)
    assert config.checkin_prompts_per_second == 12
    for text, message in (
        ("[checkins]\nreminder_days = 0\n", r"\[checkins\] reminder_days: expected a whole number of days"),
        ("[checkins]\nprompts_per_second = 0\n", r"\[checkins\] prompts_per_second: expected"),
        ("[checkins]\nprompts_per_second = 26\n", r"\[checkins\] prompts_per_second: expected"),
        ("[checkins]\nprompts_per_second = 2.5\n", r"\[checkins\] prompts_per_second: expected"),
        ('[digest]\nweekday = "someday"\n', r"\[digest\] weekday: expected a day of the week"),
        ("[digest]\nhour = 24\n", r"\[digest\] hour: expected an hour of the day"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config(path, environ={})
