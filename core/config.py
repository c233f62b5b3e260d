"""Configuration: a TOML file (optional) plus the environment, validated strictly.

Every key is declared once in ``SCHEMA`` with its type and default, so unknown keys and wrong
types are reported by name, and ``config.example.toml`` can be checked against it in tests.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import parse_timezone

DEFAULT_CONFIG_PATH = Path("config.toml")
TOKEN_ENV = "DISCORD_TOKEN"
README_APP_SECTION = "README.md, section 'Creating the Discord application'"


class ConfigError(Exception):
    """A configuration problem, worded for the person running the bot (one line)."""


@dataclass(frozen=True)
class Setting:
    kind: type | tuple[type, ...]
    default: Any
    expected: str  # how the error message describes a valid value


# section -> key -> Setting. Keep config.example.toml in step (a test checks it).
SCHEMA: dict[str, dict[str, Setting]] = {
    "discord": {
        "token": Setting(str, "", "a string (the bot token)"),
        "guild_ids": Setting(list, [], "a list of server ids (integers)"),
    },
    "database": {
        "path": Setting(str, "data/partnerships.sqlite3", "a file path (string)"),
    },
    "scheduler": {
        "tick_seconds": Setting(int, 60, "a whole number of seconds between 1 and 3600"),
        "timezone": Setting(str, "UTC", "an IANA timezone name such as 'Europe/Berlin'"),
    },
    "clinics": {
        "weekly_ping_cap": Setting(int, 3, "a whole number of pings between 0 and 50"),
    },
    "checkins": {
        "reminder_days": Setting(int, 3, "a whole number of days between 1 and 14"),
        "prompts_per_second": Setting(int, 5, "a whole number of prompts a second between 1 and 25"),
    },
    "digest": {
        "weekday": Setting(str, "monday", "a day of the week in English, such as 'monday'"),
        "hour": Setting(int, 9, "an hour of the day between 0 and 23"),
    },
}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Config:
    token: str = ""
    guild_ids: tuple[int, ...] = ()
    database_path: Path = Path("data/partnerships.sqlite3")
    tick_seconds: int = 60
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    clinic_weekly_ping_cap: int = 3  # pings per member per 7 days from clinic suggestions
    checkin_reminder_days: int = 3  # days without an answer before the reminder, and again before "missed"
    checkin_prompts_per_second: int = 5  # the sender's pace: a share of Discord's 50 requests a second
    digest_weekday: int = 0  # Monday = 0, as datetime.weekday()
    digest_hour: int = 9  # in the [scheduler] timezone

    def __repr__(self) -> str:  # never let the token reach a log line or traceback
        return (
            f"Config(token={'<set>' if self.token else '<missing>'}, guild_ids={self.guild_ids}, "
            f"database_path={self.database_path}, tick_seconds={self.tick_seconds}, "
            f"timezone={self.timezone.key}, clinic_weekly_ping_cap={self.clinic_weekly_ping_cap}, "
            f"checkin_reminder_days={self.checkin_reminder_days}, "
            f"checkin_prompts_per_second={self.checkin_prompts_per_second}, "
            f"digest_weekday={self.digest_weekday}, digest_hour={self.digest_hour})"
        )


def _check_type(section: str, key: str, value: Any, setting: Setting) -> None:
    # bool is an int subclass in Python; a TOML `true` is never a valid number here.
    if isinstance(value, bool) and setting.kind is not bool:
        raise ConfigError(f"[{section}] {key}: expected {setting.expected}, got {value!r}")
    if not isinstance(value, setting.kind):
        raise ConfigError(f"[{section}] {key}: expected {setting.expected}, got {value!r}")


def _read_table(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    values: dict[str, dict[str, Any]] = {}
    for section, table in raw.items():
        if section not in SCHEMA:
            known = ", ".join(f"[{name}]" for name in SCHEMA)
            raise ConfigError(f"unknown section [{section}]: expected one of {known}")
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}]: expected a table of settings, got {table!r}")
        for key, value in table.items():
            setting = SCHEMA[section].get(key)
            if setting is None:
                known = ", ".join(SCHEMA[section])
                raise ConfigError(f"[{section}] unknown key '{key}': expected one of {known}")
            _check_type(section, key, value, setting)
            values.setdefault(section, {})[key] = value
    return values


def _value(values: dict[str, dict[str, Any]], section: str, key: str) -> Any:
    return values.get(section, {}).get(key, SCHEMA[section][key].default)


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read the TOML file (missing file = defaults) and the environment; raise ConfigError."""
    environ = os.environ if environ is None else environ
    explicit = path is not None
    path = path or DEFAULT_CONFIG_PATH
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: not valid TOML ({error})") from None
    elif explicit:
        raise ConfigError(f"--config {path}: no such file")
    values = _read_table(raw)

    guild_ids = _value(values, "discord", "guild_ids")
    if not all(isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in guild_ids):
        raise ConfigError(f"[discord] guild_ids: expected a list of server ids (integers), got {guild_ids!r}")

    tick_seconds = _value(values, "scheduler", "tick_seconds")
    if not 1 <= tick_seconds <= 3600:
        raise ConfigError(
            f"[scheduler] tick_seconds: expected a whole number of seconds between 1 and 3600, "
            f"got {tick_seconds}"
        )

    timezone_name = _value(values, "scheduler", "timezone")
    try:
        timezone = parse_timezone(timezone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"[scheduler] timezone: expected an IANA timezone name such as 'Europe/Berlin', "
            f"got {timezone_name!r}"
        ) from None

    weekly_ping_cap = _value(values, "clinics", "weekly_ping_cap")
    if not 0 <= weekly_ping_cap <= 50:
        raise ConfigError(
            "[clinics] weekly_ping_cap: expected a whole number of pings between 0 and 50, "
            f"got {weekly_ping_cap}"
        )

    reminder_days = _value(values, "checkins", "reminder_days")
    if not 1 <= reminder_days <= 14:
        raise ConfigError(
            f"[checkins] reminder_days: expected a whole number of days between 1 and 14, got {reminder_days}"
        )

    prompts_per_second = _value(values, "checkins", "prompts_per_second")
    if not 1 <= prompts_per_second <= 25:
        raise ConfigError(
            "[checkins] prompts_per_second: expected a whole number of prompts a second between 1 and 25, "
            f"got {prompts_per_second}"
        )

    weekday_name = _value(values, "digest", "weekday").strip().lower()
    if weekday_name not in WEEKDAYS:
        raise ConfigError(
            f"[digest] weekday: expected a day of the week in English, such as 'monday', got {weekday_name!r}"
        )
    digest_hour = _value(values, "digest", "hour")
    if not 0 <= digest_hour <= 23:
        raise ConfigError(f"[digest] hour: expected an hour of the day between 0 and 23, got {digest_hour}")

    token = environ.get(TOKEN_ENV) or _value(values, "discord", "token")
    return Config(
        token=token.strip(),
        guild_ids=tuple(guild_ids),
        database_path=Path(_value(values, "database", "path")),
        tick_seconds=tick_seconds,
        timezone=timezone,
        clinic_weekly_ping_cap=weekly_ping_cap,
        checkin_reminder_days=reminder_days,
        checkin_prompts_per_second=prompts_per_second,
        digest_weekday=WEEKDAYS.index(weekday_name),
        digest_hour=digest_hour,
    )


def missing_token_message(config_path: Path) -> str:
    return (
        f"No Discord bot token. Set the {TOKEN_ENV} environment variable, or `token` under [discord] "
        f"in {config_path} (copy config.example.toml). To create the bot and get a token, see "
        f"{README_APP_SECTION}."
    )
