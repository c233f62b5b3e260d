"""Member profiles: timezone, affiliation, region, languages, preferred check-in hour, share flags.

Other features read profiles through ``get``: check-ins for ``zone_or`` and ``checkin_hour``, the
expertise directory for ``public_view()``, which applies the member's share flags. The timezone has
no share flag: others see it as the member's local time, so they know when to reach them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import from_storage, parse_timezone, to_storage
from db import checkins
from db.database import Database

# What ``update`` may change; everything else is the key or bookkeeping.
EDITABLE = frozenset(
    {
        "timezone",
        "affiliation",
        "region",
        "languages",
        "checkin_hour",
        "share_affiliation",
        "share_region",
        "share_languages",
    }
)


@dataclass(frozen=True)
class PublicProfile:
    """What other members may see: hidden fields are None (or empty), never their stored value."""

    user_id: int
    timezone: str | None
    affiliation: str | None
    region: str | None
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    guild_id: int
    user_id: int
    timezone: str | None = None
    affiliation: str | None = None
    region: str | None = None
    languages: tuple[str, ...] = ()
    checkin_hour: int | None = None
    share_affiliation: bool = True
    share_region: bool = True
    share_languages: bool = True
    updated_at: datetime | None = None

    def zone_or(self, default: ZoneInfo) -> ZoneInfo:
        """The member's timezone, or ``default`` (the configured one) when unset."""
        return parse_timezone(self.timezone) if self.timezone else default

    def public_view(self) -> PublicProfile:
        return PublicProfile(
            user_id=self.user_id,
            timezone=self.timezone,
            affiliation=self.affiliation if self.share_affiliation else None,
            region=self.region if self.share_region else None,
            languages=self.languages if self.share_languages else (),
        )


_COLUMNS = (
    "guild_id, user_id, timezone, affiliation, region, languages, checkin_hour,"
    " share_affiliation, share_region, share_languages, updated_at"
)


def _from_row(row: sqlite3.Row) -> Profile:
    return Profile(
        guild_id=row["guild_id"],
        user_id=row["user_id"],
        timezone=row["timezone"],
        affiliation=row["affiliation"],
        region=row["region"],
        languages=tuple(part for part in (row["languages"] or "").split(",") if part),
        checkin_hour=row["checkin_hour"],
        share_affiliation=bool(row["share_affiliation"]),
        share_region=bool(row["share_region"]),
        share_languages=bool(row["share_languages"]),
        updated_at=from_storage(row["updated_at"]),
    )


async def get(database: Database, guild_id: int, user_id: int) -> Profile | None:
    row = await database.fetch_one(
        f"SELECT {_COLUMNS} FROM profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return _from_row(row) if row else None


async def update(database: Database, guild_id: int, user_id: int, *, at: datetime, **changes: Any) -> Profile:
    """Change only the given fields (creating the profile if needed) and return the result.

    Read and write share one transaction, so two quick updates can't undo each other.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"not editable profile fields: {sorted(unknown)}")
    async with database.transaction() as tx:
        row = await tx.fetch_one(
            f"SELECT {_COLUMNS} FROM profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
        current = _from_row(row) if row else Profile(guild_id=guild_id, user_id=user_id)
        profile = replace(current, **changes, updated_at=at)
        await tx.execute(
            # An upsert, not INSERT OR REPLACE: columns other features keep here (a check-in pause) stay.
            f"INSERT INTO profiles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            + ", ".join(f"{column} = excluded.{column}" for column in (*sorted(EDITABLE), "updated_at")),
            (
                guild_id,
                user_id,
                profile.timezone,
                profile.affiliation,
                profile.region,
                ",".join(profile.languages) or None,
                profile.checkin_hour,
                int(profile.share_affiliation),
                int(profile.share_region),
                int(profile.share_languages),
                to_storage(at),
            ),
        )
        await checkins.reschedule_member(tx, guild_id, user_id, now=at)  # timezone, check-in hour
    return profile
