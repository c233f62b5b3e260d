"""The coordinators' weekly digest: its claim record, and the reads that fill its sections.

One ``digests`` row per guild per week, inserted before the digest is sent (``claim``) and
stamped once it is (``mark_sent``), so a digest is never sent twice and a claimed but unsent one
(a crash, a refused send) is retried. Every read is per guild, excludes concluded partnerships
and uses an index (tests/digest/test_query_plans.py). Confidential records are returned too:
whether the digest may name them is decided where it is posted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from core.clock import from_storage, to_storage
from core.vocabulary import Health, Stage, Visibility
from db.database import Database

_OPEN = "p.stage <> 'concluded'"
_PARTNERSHIP = (
    "p.id, p.name, p.visibility, p.owner_id, p.stage, p.health, p.next_follow_up, p.last_checkin_at,"
    " p.updated_at"
)


@dataclass(frozen=True)
class DigestRecord:
    guild_id: int
    week_of: str  # the local date of the slot, YYYY-MM-DD
    claimed_at: datetime
    sent_at: datetime | None
    channel_id: int | None
    message_id: int | None


@dataclass(frozen=True)
class PartnershipRef:
    """What the digest says about a partnership: enough to name it, never its private notes."""

    id: int
    name: str
    confidential: bool
    owner_id: int | None
    stage: Stage
    health: Health | None
    next_follow_up: date | None
    last_checkin_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class CheckinAlert:
    """A check-in that went unanswered: missed (closed as such) or overdue (still waiting)."""

    checkin_id: int
    partnership: PartnershipRef
    missed: bool
    due_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None


@dataclass(frozen=True)
class UnansweredClinic:
    id: int
    thread_id: int
    topic: str
    created_at: datetime


def _moment(text: str | None) -> datetime | None:
    return from_storage(text) if text else None


def _record(row: sqlite3.Row) -> DigestRecord:
    return DigestRecord(
        guild_id=row["guild_id"],
        week_of=row["week_of"],
        claimed_at=from_storage(row["claimed_at"]),
        sent_at=_moment(row["sent_at"]),
        channel_id=row["channel_id"],
        message_id=row["message_id"],
    )


def _partnership(row: sqlite3.Row) -> PartnershipRef:
    return PartnershipRef(
        id=row["id"],
        name=row["name"],
        confidential=row["visibility"] == Visibility.CONFIDENTIAL.value,
        owner_id=row["owner_id"],
        stage=Stage(row["stage"]),
        health=Health(row["health"]) if row["health"] else None,
        next_follow_up=date.fromisoformat(row["next_follow_up"]) if row["next_follow_up"] else None,
        last_checkin_at=_moment(row["last_checkin_at"]),
        updated_at=from_storage(row["updated_at"]),
    )


# ------------------------------------------------------------------------------ the weekly claim
_RECORD = "SELECT guild_id, week_of, claimed_at, sent_at, channel_id, message_id FROM digests"


async def get(database: Database, guild_id: int, week_of: str) -> DigestRecord | None:
    row = await database.fetch_one(f"{_RECORD} WHERE guild_id = ? AND week_of = ?", (guild_id, week_of))
    return None if row is None else _record(row)


async def claim(database: Database, guild_id: int, week_of: str, *, at: datetime) -> DigestRecord:
    """Claim the week's digest (once); return the row, which may be an earlier claim or already sent."""
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT OR IGNORE INTO digests (guild_id, week_of, claimed_at) VALUES (?, ?, ?)",
            (guild_id, week_of, to_storage(at)),
        )
        row = await tx.fetch_one(f"{_RECORD} WHERE guild_id = ? AND week_of = ?", (guild_id, week_of))
    assert row is not None
    return _record(row)


async def mark_sent(
    database: Database, guild_id: int, week_of: str, *, channel_id: int, message_id: int, at: datetime
) -> bool:
    """Record the delivered message; False if the week's digest was marked sent already."""
    async with database.transaction() as tx:
        changed = await tx.changes(
            "UPDATE digests SET sent_at = ?, channel_id = ?, message_id = ?"
            " WHERE guild_id = ? AND week_of = ? AND sent_at IS NULL",
            (to_storage(at), channel_id, message_id, guild_id, week_of),
        )
    return changed > 0


# ------------------------------------------------------------------------------ the sections
async def checkin_alerts(
    database: Database, guild_id: int, *, overdue_before: datetime
) -> list[CheckinAlert]:
    """Missed check-ins that are still a partnership's latest, and sent ones now overdue.

    Overdue: sent and reminded already, or sent before ``overdue_before`` (now minus the reminder
    delay) in case the reminder has not gone out. A missed check-in drops out of the digest as
    soon as a later check-in of the same partnership exists.
    """
    rows = await database.fetch_all(
        f"SELECT c.id AS checkin_id, c.state, c.due_at, c.sent_at, c.reminded_at, {_PARTNERSHIP}"
        " FROM checkins c JOIN partnerships p ON p.id = c.partnership_id"
        f" WHERE c.guild_id = :guild AND c.state IN ('missed', 'sent') AND {_OPEN}"
        "   AND (c.state = 'missed' AND NOT EXISTS (SELECT 1 FROM checkins later"
        "          WHERE later.partnership_id = c.partnership_id AND later.due_at > c.due_at)"
        "        OR c.state = 'sent' AND (c.reminded_at IS NOT NULL OR c.sent_at <= :overdue))",
        {"guild": guild_id, "overdue": to_storage(overdue_before)},
    )
    return [
        CheckinAlert(
            checkin_id=row["checkin_id"],
            partnership=_partnership(row),
            missed=row["state"] == "missed",
            due_at=from_storage(row["due_at"]),
            sent_at=_moment(row["sent_at"]),
            reminded_at=_moment(row["reminded_at"]),
        )
        for row in rows
    ]


async def needing_attention(database: Database, guild_id: int) -> list[PartnershipRef]:
    """Open partnerships whose latest health is stalled or needs attention."""
    rows = await database.fetch_all(
        f"SELECT {_PARTNERSHIP} FROM partnerships p"
        f" WHERE p.guild_id = ? AND p.health IN ('stalled', 'needs_attention') AND {_OPEN}",
        (guild_id,),
    )
    return [_partnership(row) for row in rows]


async def follow_ups_between(
    database: Database, guild_id: int, first: date, last: date
) -> list[PartnershipRef]:
    """Open partnerships with their next follow-up from ``first`` to ``last`` (both included)."""
    rows = await database.fetch_all(
        f"SELECT {_PARTNERSHIP} FROM partnerships p"
        f" WHERE p.guild_id = ? AND p.next_follow_up BETWEEN ? AND ? AND {_OPEN}",
        (guild_id, first.isoformat(), last.isoformat()),
    )
    return [_partnership(row) for row in rows]


async def orphaned(database: Database, guild_id: int) -> list[PartnershipRef]:
    """Open partnerships without an owner (the owner asked to be forgotten)."""
    rows = await database.fetch_all(
        f"SELECT {_PARTNERSHIP} FROM partnerships p WHERE p.guild_id = ? AND p.owner_id IS NULL AND {_OPEN}",
        (guild_id,),
    )
    return [_partnership(row) for row in rows]


async def owner_ids(database: Database, guild_id: int) -> set[int]:
    """Everyone who owns an open partnership here (the caller checks who is still a member)."""
    rows = await database.fetch_all(
        f"SELECT DISTINCT p.owner_id FROM partnerships p"
        f" WHERE p.guild_id = ? AND p.owner_id IS NOT NULL AND {_OPEN}",
        (guild_id,),
    )
    return {row["owner_id"] for row in rows}


async def owned_by(database: Database, guild_id: int, owners: Iterable[int]) -> list[PartnershipRef]:
    """Open partnerships owned by any of ``owners``."""
    rows = await database.fetch_all(
        f"SELECT {_PARTNERSHIP} FROM partnerships p WHERE p.guild_id = ?"
        f" AND p.owner_id IN (SELECT value FROM json_each(?)) AND {_OPEN}",
        (guild_id, json.dumps(sorted(owners))),
    )
    return [_partnership(row) for row in rows]


async def unanswered_clinics(database: Database, guild_id: int) -> list[UnansweredClinic]:
    """Open clinics where nobody but the asker has written since they opened.

    ``helpers_quiet_since`` starts at ``created_at`` and moves on with every message by someone
    other than the asker, so the two are equal exactly while no helper has written. Reopening
    restarts that clock, so a reopened clinic is not listed (whether anyone answered it before
    is not recorded).
    """
    rows = await database.fetch_all(
        "SELECT id, thread_id, topic, created_at FROM clinics"
        " WHERE guild_id = ? AND status = 'open' AND helpers_quiet_since = created_at"
        " AND thread_deleted = 0",
        (guild_id,),
    )
    return [
        UnansweredClinic(row["id"], row["thread_id"], row["topic"], from_storage(row["created_at"]))
        for row in rows
    ]
