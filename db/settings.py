"""Guild settings: which channel serves which purpose, and which roles are coordinators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.clock import to_storage
from db.database import Database


class ChannelPurpose(StrEnum):
    CLINICS = "clinics"
    CHECKINS = "checkins"
    ANNOUNCEMENTS = "announcements"
    DIGEST = "digest"


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    channels: dict[ChannelPurpose, int] = field(default_factory=dict)
    coordinator_role_ids: frozenset[int] = frozenset()

    def channel_id(self, purpose: ChannelPurpose) -> int | None:
        return self.channels.get(purpose)


async def load(database: Database, guild_id: int) -> GuildSettings:
    async with database.read() as tx:
        channel_rows = await tx.fetch_all(
            "SELECT purpose, channel_id FROM guild_channels WHERE guild_id = ?", (guild_id,)
        )
        role_rows = await tx.fetch_all(
            "SELECT role_id FROM coordinator_roles WHERE guild_id = ?", (guild_id,)
        )
    return GuildSettings(
        guild_id=guild_id,
        channels={ChannelPurpose(row["purpose"]): row["channel_id"] for row in channel_rows},
        coordinator_role_ids=frozenset(row["role_id"] for row in role_rows),
    )


async def coordinator_role_ids(database: Database, guild_id: int) -> frozenset[int]:
    rows = await database.fetch_all("SELECT role_id FROM coordinator_roles WHERE guild_id = ?", (guild_id,))
    return frozenset(row["role_id"] for row in rows)


async def set_channel(
    database: Database, guild_id: int, purpose: ChannelPurpose, channel_id: int, *, by: int, at: datetime
) -> None:
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO guild_channels (guild_id, purpose, channel_id, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, purpose) DO UPDATE SET"
            " channel_id = excluded.channel_id, set_by = excluded.set_by, set_at = excluded.set_at",
            (guild_id, purpose.value, channel_id, by, to_storage(at)),
        )


async def clear_channel(database: Database, guild_id: int, purpose: ChannelPurpose) -> bool:
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "DELETE FROM guild_channels WHERE guild_id = ? AND purpose = ?", (guild_id, purpose.value)
            )
            > 0
        )


async def add_coordinator_role(
    database: Database, guild_id: int, role_id: int, *, by: int, at: datetime
) -> bool:
    """Add a coordinator role; return False if it was one already."""
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "INSERT OR IGNORE INTO coordinator_roles (guild_id, role_id, set_by, set_at)"
                " VALUES (?, ?, ?, ?)",
                (guild_id, role_id, by, to_storage(at)),
            )
            > 0
        )


async def remove_coordinator_role(database: Database, guild_id: int, role_id: int) -> bool:
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "DELETE FROM coordinator_roles WHERE guild_id = ? AND role_id = ?", (guild_id, role_id)
            )
            > 0
        )
