"""Announcement records: scheduling, claiming a due post, recording how it went, listing, cancelling.

Every change of state is a compare-and-set on ``state`` (and on the claim token while posting), so
the scheduler's tick, a Post button and a cancel racing each other change a row once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.clock import from_storage, to_storage
from core.when import Repeat
from db.database import Database

# Rows listed as "recent" in /announce list.
RECENT_LIMIT = 10


class State(StrEnum):
    SCHEDULED = "scheduled"
    POSTING = "posting"
    POSTED = "posted"
    CANCELLED = "cancelled"
    FAILED = "failed"


@dataclass(frozen=True)
class AnnouncementDraft:
    """An announcement about to be written (validated by the caller)."""

    guild_id: int
    author_id: int
    channel_id: int
    role_id: int | None
    title: str
    body: str
    due_at: datetime
    repeat: Repeat
    anchor: datetime  # the first slot, in the series' timezone (a ZoneInfo)


@dataclass(frozen=True)
class Announcement:
    id: int
    guild_id: int
    author_id: int | None
    channel_id: int
    role_id: int | None
    title: str
    body: str
    due_at: datetime
    repeat: Repeat
    anchor: datetime  # the first slot, in the series' timezone
    state: State
    claim_token: str | None
    attempts: int
    message_id: int | None
    posted_at: datetime | None
    post_count: int
    note: str | None
    failure: str | None
    updated_at: datetime


_FIELDS = (
    "id", "guild_id", "author_id", "channel_id", "role_id", "title", "body", "due_at", "repeat",
    "timezone", "anchor_local", "state", "claim_token", "attempts", "message_id", "posted_at",
    "post_count", "note", "failure", "updated_at",
)  # fmt: skip
_COLUMNS = ", ".join(_FIELDS)


def _from_row(row: sqlite3.Row) -> Announcement:
    return Announcement(
        id=row["id"],
        guild_id=row["guild_id"],
        author_id=row["author_id"],
        channel_id=row["channel_id"],
        role_id=row["role_id"],
        title=row["title"],
        body=row["body"],
        due_at=from_storage(row["due_at"]),
        repeat=Repeat(row["repeat"]),
        anchor=datetime.fromisoformat(row["anchor_local"]).replace(tzinfo=ZoneInfo(row["timezone"])),
        state=State(row["state"]),
        claim_token=row["claim_token"],
        attempts=row["attempts"],
        message_id=row["message_id"],
        posted_at=from_storage(row["posted_at"]) if row["posted_at"] else None,
        post_count=row["post_count"],
        note=row["note"],
        failure=row["failure"],
        updated_at=from_storage(row["updated_at"]),
    )


async def create(
    database: Database, draft: AnnouncementDraft, *, at: datetime, claim_token: str | None = None
) -> Announcement:
    """Write a scheduled announcement, or with ``claim_token`` one claimed for posting right now."""
    moment = to_storage(at)
    state = State.SCHEDULED if claim_token is None else State.POSTING
    async with database.transaction() as tx:
        announcement_id = await tx.execute(
            "INSERT INTO announcements (guild_id, author_id, channel_id, role_id, title, body, due_at,"
            " repeat, timezone, anchor_local, state, claim_token, claimed_at, attempts, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.guild_id,
                draft.author_id,
                draft.channel_id,
                draft.role_id,
                draft.title,
                draft.body,
                to_storage(draft.due_at),
                draft.repeat.value,
                str(draft.anchor.tzinfo),
                f"{draft.anchor:%Y-%m-%dT%H:%M}",
                state.value,
                claim_token,
                moment if claim_token else None,
                1 if claim_token else 0,
                moment,
                moment,
            ),
        )
        row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM announcements WHERE id = ?", (announcement_id,))
    assert row is not None
    return _from_row(row)


async def get(database: Database, guild_id: int, announcement_id: int) -> Announcement | None:
    row = await database.fetch_one(
        f"SELECT {_COLUMNS} FROM announcements WHERE id = ? AND guild_id = ?", (announcement_id, guild_id)
    )
    return None if row is None else _from_row(row)


# ------------------------------------------------------------------------------------ posting
async def due(database: Database, *, now: datetime, claim_token: str) -> list[Announcement]:
    """Scheduled rows due by ``now``, and rows a previous run of the bot left mid-post."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM announcements WHERE state = 'scheduled' AND due_at <= ?"
        f" UNION ALL SELECT {_COLUMNS} FROM announcements WHERE state = 'posting' AND claim_token IS NOT ?"
        " ORDER BY due_at, id",
        (to_storage(now), claim_token),
    )
    return [_from_row(row) for row in rows]


async def claim(
    database: Database, announcement: Announcement, *, claim_token: str, at: datetime
) -> Announcement | None:
    """Take a due row for posting; None if someone else took it or it changed (e.g. was cancelled)."""
    async with database.transaction() as tx:
        changed = await tx.changes(
            "UPDATE announcements SET state = 'posting', claim_token = ?, claimed_at = ?,"
            " attempts = attempts + 1, updated_at = ?"
            " WHERE id = ? AND due_at = ? AND state = ? AND claim_token IS ?",
            (
                claim_token,
                to_storage(at),
                to_storage(at),
                announcement.id,
                to_storage(announcement.due_at),
                announcement.state.value,
                announcement.claim_token,
            ),
        )
        if not changed:
            return None
        row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM announcements WHERE id = ?", (announcement.id,))
    assert row is not None
    return _from_row(row)


_CLAIMED = "id = ? AND state = 'posting' AND claim_token = ?"


async def mark_posted(
    database: Database,
    announcement: Announcement,
    *,
    message_id: int,
    next_due: datetime | None,
    note: str | None,
    at: datetime,
) -> bool:
    """Record the post; a repeating one is scheduled again at ``next_due``, a one-off is done."""
    state = State.POSTED if next_due is None else State.SCHEDULED
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "UPDATE announcements SET state = ?, due_at = ?, claim_token = NULL, claimed_at = NULL,"
                " attempts = 0, message_id = ?, posted_at = ?, post_count = post_count + 1, note = ?,"
                f" failure = NULL, updated_at = ? WHERE {_CLAIMED}",
                (
                    state.value,
                    to_storage(next_due or announcement.due_at),
                    message_id,
                    to_storage(at),
                    note,
                    to_storage(at),
                    announcement.id,
                    announcement.claim_token,
                ),
            )
            > 0
        )


async def release(database: Database, announcement: Announcement, *, at: datetime) -> bool:
    """Give a claimed row back to the schedule, to be tried again at the next tick."""
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "UPDATE announcements SET state = 'scheduled', claim_token = NULL, claimed_at = NULL,"
                f" updated_at = ? WHERE {_CLAIMED}",
                (to_storage(at), announcement.id, announcement.claim_token),
            )
            > 0
        )


async def mark_failed(database: Database, announcement: Announcement, *, reason: str, at: datetime) -> bool:
    """Stop a claimed row for good, with the reason coordinators see in /announce list."""
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "UPDATE announcements SET state = 'failed', failure = ?, claim_token = NULL,"
                f" updated_at = ? WHERE {_CLAIMED}",
                (reason, to_storage(at), announcement.id, announcement.claim_token),
            )
            > 0
        )


async def discard(database: Database, announcement: Announcement) -> None:
    """Delete a row claimed for an immediate post that didn't go out: nothing stays half-done."""
    async with database.transaction() as tx:
        await tx.execute(
            f"DELETE FROM announcements WHERE {_CLAIMED} AND post_count = 0",
            (announcement.id, announcement.claim_token),
        )


# ------------------------------------------------------------------------------------ listing
async def upcoming(database: Database, guild_id: int) -> list[Announcement]:
    """Scheduled (and currently posting) announcements of the guild, soonest first."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM announcements WHERE guild_id = ? AND state IN ('scheduled', 'posting')"
        " ORDER BY due_at, id",
        (guild_id,),
    )
    return [_from_row(row) for row in rows]


@dataclass(frozen=True)
class Cancellable:
    """What /announce cancel offers to choose from: no body, so a long list stays cheap to read."""

    id: int
    title: str
    due_at: datetime


async def cancellable(database: Database, guild_id: int, typed: str, *, limit: int) -> list[Cancellable]:
    """Scheduled announcements whose number or title contains ``typed`` (any case), soonest first."""
    rows = await database.fetch_all(
        "SELECT id, title, due_at FROM announcements WHERE guild_id = ? AND state = 'scheduled'"
        " ORDER BY due_at, id",
        (guild_id,),
    )
    # Filtered here, not with LIKE: SQLite folds the case of ASCII letters only.
    wanted = typed.casefold()
    matching = (row for row in rows if wanted in str(row["id"]) or wanted in row["title"].casefold())
    return [
        Cancellable(row["id"], row["title"], from_storage(row["due_at"]))
        for row, _ in zip(matching, range(limit), strict=False)
    ]


async def recent(database: Database, guild_id: int, *, limit: int = RECENT_LIMIT) -> list[Announcement]:
    """The latest posted, cancelled or failed announcements of the guild, newest first."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM announcements WHERE guild_id = ?"
        " AND state IN ('posted', 'cancelled', 'failed') ORDER BY updated_at DESC, id DESC LIMIT ?",
        (guild_id, limit),
    )
    return [_from_row(row) for row in rows]


async def cancel(
    database: Database, guild_id: int, announcement_id: int, *, by: int, at: datetime
) -> tuple[bool, Announcement | None]:
    """Cancel a scheduled announcement (a series stops entirely).

    Return whether it was cancelled now, and the row as it is afterwards (None if there is no such
    announcement in this guild).
    """
    async with database.transaction() as tx:
        changed = await tx.changes(
            "UPDATE announcements SET state = 'cancelled', cancelled_by = ?, updated_at = ?"
            " WHERE id = ? AND guild_id = ? AND state = 'scheduled'",
            (by, to_storage(at), announcement_id, guild_id),
        )
        row = await tx.fetch_one(
            f"SELECT {_COLUMNS} FROM announcements WHERE id = ? AND guild_id = ?", (announcement_id, guild_id)
        )
    return changed > 0, None if row is None else _from_row(row)
