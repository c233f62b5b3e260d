"""Time and timezones: aware datetimes only, UTC in storage, Discord timestamps on screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

Clock = Callable[[], datetime]
TimestampStyle = Literal["t", "T", "d", "D", "f", "F", "R"]


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    """Convert an aware datetime to UTC; refuse naive ones, which are always a bug here."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: attach a timezone before storing or comparing it")
    return moment.astimezone(UTC)


def to_storage(moment: datetime) -> str:
    """Serialise for the database: ISO 8601 in UTC, so text order is time order."""
    return to_utc(moment).isoformat(timespec="seconds")


def from_storage(text: str) -> datetime:
    """Parse a value written by ``to_storage``."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def discord_timestamp(moment: datetime, style: TimestampStyle = "f") -> str:
    """Render as a Discord timestamp tag, which every reader sees in their own local time."""
    return f"<t:{int(to_utc(moment).timestamp())}:{style}>"


def parse_timezone(name: str) -> ZoneInfo:
    """Return the IANA zone called ``name``; raise ValueError with a readable reason otherwise."""
    name = name.strip()
    if not name or name.startswith(("/", ".")) or ".." in name:
        raise ValueError(f"{name!r} is not a timezone name")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a known timezone (try a name like 'Europe/Berlin')") from None


@cache
def timezone_names() -> tuple[str, ...]:
    """All IANA zone names, sorted; cached because the lookup reads the tz database."""
    return tuple(sorted(available_timezones()))
