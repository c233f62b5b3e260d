"""Check-ins: each partnership's next prompt, claiming due prompts, delivery state, answers, history.

The database drives delivery (see ``0005_checkins.sql``). ``partnerships.next_checkin_at`` is kept
current by ``reschedule``, which every write that changes what it depends on calls in its own
transaction (cadence, stage, follow-up, owner, the owner's timezone, hour and pause). Every
change of a check-in's state is a compare-and-set on ``state``, so the scheduler, a button and a
command acting at the same moment change a check-in once.

Members without a timezone get the configured default, which the check-ins cog records in
``app_state`` at start-up so that every reschedule, from any module, reads the same one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.checkin_calendar import DEFAULT_HOUR, Due, Reason, Schedule, is_late, next_due
from core.clock import from_storage, parse_timezone, to_storage
from core.vocabulary import Cadence, Health, Stage
from db.database import Database, Transaction
from db.paging import PAGE_SIZE, Page

DEFAULT_ZONE_KEY = "checkins.default_timezone"
_UTC = ZoneInfo("UTC")


class CheckinState(StrEnum):
    CLAIMED = "claimed"  # claimed, not yet delivered (retried every tick)
    SENT = "sent"  # waiting for an answer
    ANSWERED = "answered"
    SNOOZED = "snoozed"
    DISMISSED = "dismissed"
    MISSED = "missed"


OPEN_STATES = (CheckinState.CLAIMED, CheckinState.SENT)
_OPEN = "('claimed', 'sent')"


class CheckinClosed(Exception):
    """The check-in was answered, snoozed, dismissed or missed in the meantime."""


@dataclass(frozen=True)
class Checkin:
    id: int
    partnership_id: int
    guild_id: int
    recipient_id: int | None
    reason: Reason
    due_at: datetime
    claimed_at: datetime
    late: bool
    state: CheckinState
    send_attempts: int
    sent_at: datetime | None
    delivery: str | None  # 'dm' or 'thread'
    channel_id: int | None
    message_id: int | None
    reminded_at: datetime | None
    closed_at: datetime | None
    answered_by: int | None
    health: Health | None
    note: str | None
    next_step: str | None
    progress: tuple[tuple[str, float], ...] = ()  # metric, value reported (history only)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class Answer:
    """What an owner reported (validated by the caller)."""

    health: Health
    note: str | None = None
    next_step: str | None = None
    progress: Mapping[str, float] = field(default_factory=dict)  # metric as stored -> current
    follow_up: date | None = None


_FIELDS = (
    "id", "partnership_id", "guild_id", "recipient_id", "reason", "due_at", "claimed_at", "late",
    "state", "send_attempts", "sent_at", "delivery", "channel_id", "message_id", "reminded_at",
    "closed_at", "answered_by", "health", "note", "next_step",
)  # fmt: skip
_COLUMNS = ", ".join(_FIELDS)


def _moment(text: str | None) -> datetime | None:
    return from_storage(text) if text else None


def _from_row(row: sqlite3.Row, progress: tuple[tuple[str, float], ...] = ()) -> Checkin:
    return Checkin(
        id=row["id"],
        partnership_id=row["partnership_id"],
        guild_id=row["guild_id"],
        recipient_id=row["recipient_id"],
        reason=Reason(row["reason"]),
        due_at=from_storage(row["due_at"]),
        claimed_at=from_storage(row["claimed_at"]),
        late=bool(row["late"]),
        state=CheckinState(row["state"]),
        send_attempts=row["send_attempts"],
        sent_at=_moment(row["sent_at"]),
        delivery=row["delivery"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        reminded_at=_moment(row["reminded_at"]),
        closed_at=_moment(row["closed_at"]),
        answered_by=row["answered_by"],
        health=Health(row["health"]) if row["health"] else None,
        note=row["note"],
        next_step=row["next_step"],
        progress=progress,
    )


# ------------------------------------------------------------------------------------ scheduling
# One partnership's schedule inputs: the record, its owner's profile, the default zone.
_SCHEDULE = (
    "SELECT p.id, p.guild_id, p.owner_id, p.stage, p.cadence, p.next_follow_up, p.created_at,"
    " p.last_checkin_at, p.next_checkin_at, p.next_checkin_reason, p.checkin_snoozed_until,"
    " pr.timezone, pr.checkin_hour, pr.checkins_paused_until,"
    f" (SELECT value FROM app_state WHERE key = '{DEFAULT_ZONE_KEY}') AS default_zone"
    " FROM partnerships p"
    " LEFT JOIN profiles pr ON pr.guild_id = p.guild_id AND pr.user_id = p.owner_id"
)


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    return (_named_zone(name) if name else None) or default


@lru_cache(maxsize=1024)
def _named_zone(name: str) -> ZoneInfo | None:
    """A profile's timezone (None if it no longer parses); cached: claiming reads thousands at once."""
    try:
        return parse_timezone(name)
    except ValueError:
        return None


def _schedule(row: sqlite3.Row, *, keep_pending: bool) -> Schedule:
    pending = None
    if keep_pending and row["next_checkin_at"]:
        pending = Due(from_storage(row["next_checkin_at"]), Reason(row["next_checkin_reason"] or "cadence"))
    return Schedule(
        stage=Stage(row["stage"]),
        cadence=Cadence(row["cadence"]),
        has_owner=row["owner_id"] is not None,
        anchor=from_storage(row["last_checkin_at"] or row["created_at"]),
        zone=_zone(row["timezone"], _zone(row["default_zone"], _UTC)),
        hour=DEFAULT_HOUR if row["checkin_hour"] is None else row["checkin_hour"],
        follow_up=date.fromisoformat(row["next_follow_up"]) if row["next_follow_up"] else None,
        snoozed_until=_moment(row["checkin_snoozed_until"]),
        paused_until=_moment(row["checkins_paused_until"]),
        pending=pending,
    )


def _next_values(due: Due | None) -> tuple[str | None, str | None]:
    """``next_checkin_at`` and ``next_checkin_reason`` as stored."""
    return (to_storage(due.at), due.reason.value) if due else (None, None)


async def _store_next(tx: Transaction, partnership_id: int, due: Due | None) -> None:
    await tx.execute(
        "UPDATE partnerships SET next_checkin_at = ?, next_checkin_reason = ? WHERE id = ?",
        (*_next_values(due), partnership_id),
    )


async def reschedule(tx: Transaction, partnership_id: int, *, now: datetime) -> Due | None:
    """Recompute the partnership's next prompt after a change, in the caller's transaction."""
    row = await tx.fetch_one(f"{_SCHEDULE} WHERE p.id = ?", (partnership_id,))
    if row is None:
        return None
    due = next_due(_schedule(row, keep_pending=True), now)
    await _store_next(tx, partnership_id, due)
    return due


async def reschedule_member(
    tx: Transaction, guild_id: int, user_id: int, *, now: datetime
) -> list[Due | None]:
    """Recompute the next prompt of every partnership the member owns; return them in id order.
    Two statements however many they own (a coordinator may own hundreds)."""
    rows = await tx.fetch_all(
        f"{_SCHEDULE} WHERE p.owner_id = ? AND p.guild_id = ? ORDER BY p.id", (user_id, guild_id)
    )
    upcoming = [next_due(_schedule(row, keep_pending=True), now) for row in rows]
    await tx.execute_many(
        "UPDATE partnerships SET next_checkin_at = ?, next_checkin_reason = ? WHERE id = ?",
        [(*_next_values(due), row["id"]) for row, due in zip(rows, upcoming, strict=True)],
    )
    return upcoming


async def use_default_zone(database: Database, zone: ZoneInfo, *, now: datetime) -> bool:
    """Record the configured default timezone; if it changed (or is new), reschedule everything."""
    async with database.transaction() as tx:
        stored = await tx.fetch_value("SELECT value FROM app_state WHERE key = ?", (DEFAULT_ZONE_KEY,))
        if stored == zone.key:
            return False
        await tx.execute(
            "INSERT INTO app_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (DEFAULT_ZONE_KEY, zone.key),
        )
        for row in await tx.fetch_all("SELECT id FROM partnerships WHERE owner_id IS NOT NULL"):
            await reschedule(tx, row["id"], now=now)
    return True


async def next_prompt(database: Database, partnership_id: int) -> Due | None:
    """The stored next prompt of a partnership."""
    row = await database.fetch_one(
        "SELECT next_checkin_at, next_checkin_reason FROM partnerships WHERE id = ?", (partnership_id,)
    )
    if row is None or row["next_checkin_at"] is None:
        return None
    return Due(from_storage(row["next_checkin_at"]), Reason(row["next_checkin_reason"] or "cadence"))


async def set_pause(
    database: Database, guild_id: int, user_id: int, until: datetime | None, *, now: datetime
) -> list[Due | None]:
    """Pause (``until`` a moment) or resume (None) a member's prompts; return their next prompts."""
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO profiles (guild_id, user_id, checkins_paused_until, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO UPDATE SET"
            " checkins_paused_until = excluded.checkins_paused_until, updated_at = excluded.updated_at",
            (guild_id, user_id, to_storage(until) if until else None, to_storage(now)),
        )
        return await reschedule_member(tx, guild_id, user_id, now=now)


async def paused_until(database: Database, guild_id: int, user_id: int) -> datetime | None:
    value = await database.fetch_value(
        "SELECT checkins_paused_until FROM profiles WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return _moment(value)


# ------------------------------------------------------------------------------------ claiming
async def claim_due(database: Database, *, now: datetime) -> list[int]:
    """Claim every prompt due by ``now`` and move each partnership on to its next slot after now.

    One transaction: a prompt is claimed exactly once (and UNIQUE per due moment besides). After
    downtime the stored moment is long past: it becomes one late prompt, and the next slot is
    counted from now, so missed periods are not sent one by one. A newer prompt closes an older
    one still open (as missed), so an owner never has two prompts for one partnership.

    The writes go as a few statements over all the due rows, not a few per row: a tick with
    10,000 prompts due stays within seconds.
    """
    moment = to_storage(now)
    claims: list[tuple[object, ...]] = []
    moves: list[tuple[object, ...]] = []
    snoozes_used: list[tuple[int]] = []
    async with database.transaction() as tx:
        rows = await tx.fetch_all(
            f"{_SCHEDULE} WHERE p.next_checkin_at IS NOT NULL AND p.next_checkin_at <= ?", (moment,)
        )
        if not rows:
            return []
        for row in rows:
            if row["owner_id"] is not None:
                claims.append(_claim_values(row, now, moment))
            schedule = _schedule(row, keep_pending=False)
            if row["next_checkin_reason"] == Reason.SNOOZE.value:  # this prompt used the snooze up
                snoozes_used.append((row["id"],))
                schedule = replace(schedule, snoozed_until=None)
            moves.append((*_next_values(next_due(schedule, now)), row["id"]))
        before = await tx.fetch_value("SELECT coalesce(max(id), 0) FROM checkins")
        await tx.execute_many(
            "INSERT INTO checkins (partnership_id, guild_id, recipient_id, reason, due_at, claimed_at, late,"
            " state) VALUES (?, ?, ?, ?, ?, ?, ?, 'claimed') ON CONFLICT (partnership_id, due_at) DO NOTHING",
            claims,
        )
        claimed = [
            row["id"]
            for row in await tx.fetch_all("SELECT id FROM checkins WHERE id > ? ORDER BY id", (before,))
        ]
        await tx.execute(
            f"UPDATE checkins SET state = 'missed', closed_at = ? WHERE id <= ? AND state IN {_OPEN}"
            " AND partnership_id IN (SELECT partnership_id FROM checkins WHERE id > ?)",
            (moment, before, before),
        )
        await tx.execute_many(
            "UPDATE partnerships SET checkin_snoozed_until = NULL WHERE id = ?", snoozes_used
        )
        await tx.execute_many(
            "UPDATE partnerships SET next_checkin_at = ?, next_checkin_reason = ? WHERE id = ?", moves
        )
    return claimed


def _claim_values(row: sqlite3.Row, now: datetime, moment: str) -> tuple[object, ...]:
    late = is_late(from_storage(row["next_checkin_at"]), now)
    reason = row["next_checkin_reason"] or Reason.CADENCE.value
    return (row["id"], row["guild_id"], row["owner_id"], reason, row["next_checkin_at"], moment, int(late))


# ------------------------------------------------------------------------------------ delivery
async def get(database: Database, checkin_id: int) -> Checkin | None:
    row = await database.fetch_one(f"SELECT {_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,))
    return None if row is None else _from_row(row)


async def next_unsent(database: Database, *, after: Checkin | None = None) -> Checkin | None:
    """The oldest claimed prompt not yet delivered that comes after ``after`` in that order: the
    sender reads one at a time, so a prompt closed meanwhile (answered, withdrawn) is not sent."""
    if after is None:
        row = await database.fetch_one(
            f"SELECT {_COLUMNS} FROM checkins WHERE state = 'claimed' ORDER BY claimed_at, id LIMIT 1"
        )
    else:
        claimed_at = to_storage(after.claimed_at)
        row = await database.fetch_one(
            f"SELECT {_COLUMNS} FROM checkins WHERE state = 'claimed' AND claimed_at >= ?"
            " AND (claimed_at > ? OR id > ?) ORDER BY claimed_at, id LIMIT 1",
            (claimed_at, claimed_at, after.id),
        )
    return None if row is None else _from_row(row)


async def _changed(database: Database, sql: str, params: tuple[object, ...]) -> bool:
    async with database.transaction() as tx:
        return await tx.changes(sql, params) > 0


async def begin_attempt(database: Database, checkin_id: int, recipient_id: int) -> bool:
    """Count a delivery attempt before it is made (so a retry knows to look for a message already
    sent) and address it to the current owner. False if the check-in is no longer waiting."""
    return await _changed(
        database,
        "UPDATE checkins SET send_attempts = send_attempts + 1, recipient_id = ?"
        " WHERE id = ? AND state = 'claimed'",
        (recipient_id, checkin_id),
    )


async def use_thread(database: Database, checkin_id: int, thread_id: int | None) -> None:
    """Deliver by thread from now on: the DM was refused (``thread_id`` None), or the thread is
    made and is remembered before posting in it, so a retry reuses it."""
    await _changed(
        database,
        "UPDATE checkins SET delivery = 'thread', channel_id = ? WHERE id = ? AND state = 'claimed'",
        (thread_id, checkin_id),
    )


async def mark_sent(
    database: Database, checkin_id: int, *, delivery: str, channel_id: int, message_id: int, at: datetime
) -> bool:
    return await _changed(
        database,
        "UPDATE checkins SET state = 'sent', sent_at = ?, delivery = ?, channel_id = ?, message_id = ?"
        " WHERE id = ? AND state = 'claimed'",
        (to_storage(at), delivery, channel_id, message_id, checkin_id),
    )


async def close_unsent(database: Database, checkin_id: int, state: CheckinState, *, at: datetime) -> bool:
    """Close a claimed prompt that has nobody to go to (the partnership was orphaned or concluded)."""
    return await _changed(
        database,
        "UPDATE checkins SET state = ?, closed_at = ? WHERE id = ? AND state = 'claimed'",
        (state.value, to_storage(at), checkin_id),
    )


async def reminders_due(database: Database, *, sent_before: datetime, now: datetime) -> list[Checkin]:
    """Prompts waiting long enough for their reminder; not while the member is on a holiday pause
    (the reminder comes when they are back, and "missed" only after it)."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM checkins"
        " WHERE state = 'sent' AND reminded_at IS NULL AND sent_at <= ?"
        " AND NOT EXISTS (SELECT 1 FROM profiles pr WHERE pr.guild_id = checkins.guild_id"
        "   AND pr.user_id = checkins.recipient_id AND pr.checkins_paused_until > ?)"
        " ORDER BY claimed_at, id",
        (to_storage(sent_before), to_storage(now)),
    )
    return [_from_row(row) for row in rows]


async def claim_reminder(database: Database, checkin_id: int, *, at: datetime) -> bool:
    """Claim the one reminder before sending it: at worst a reminder is lost, never doubled."""
    return await _changed(
        database,
        "UPDATE checkins SET reminded_at = ? WHERE id = ? AND state = 'sent' AND reminded_at IS NULL",
        (to_storage(at), checkin_id),
    )


async def mark_missed(database: Database, *, reminded_before: datetime, at: datetime) -> list[int]:
    """Close as missed every prompt reminded before ``reminded_before`` and still unanswered."""
    async with database.transaction() as tx:
        rows = await tx.fetch_all(
            "UPDATE checkins SET state = 'missed', closed_at = ?"
            " WHERE state = 'sent' AND reminded_at IS NOT NULL AND reminded_at <= ? RETURNING id",
            (to_storage(at), to_storage(reminded_before)),
        )
    return sorted(row["id"] for row in rows)


# ------------------------------------------------------------------------------------ answers
async def record_answer(
    tx: Transaction,
    partnership_id: int,
    guild_id: int,
    answer: Answer,
    *,
    checkin_id: int | None,
    by: int,
    at: datetime,
) -> int:
    """Write an answer inside the caller's recorded change; return the check-in's id.

    ``checkin_id`` None is ``/checkin now``: it answers the partnership's open prompt if there is
    one (so no reminder follows), else it records a manual check-in. Raises CheckinClosed when the
    prompt was closed in the meantime, so the whole change rolls back.
    """
    if checkin_id is None:
        checkin_id = await tx.fetch_value(
            f"SELECT id FROM checkins WHERE partnership_id = ? AND state IN {_OPEN} ORDER BY id DESC LIMIT 1",
            (partnership_id,),
        )
    moment = to_storage(at)
    follow_up = answer.follow_up.isoformat() if answer.follow_up else None
    values = (moment, by, answer.health.value, answer.note, answer.next_step)
    if checkin_id is None:
        checkin_id = await tx.execute(
            "INSERT INTO checkins (closed_at, answered_by, health, note, next_step, partnership_id,"
            " guild_id, recipient_id, reason, due_at, claimed_at, state)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, 'answered')",
            (*values, partnership_id, guild_id, by, moment, moment),
        )
    elif not await tx.changes(
        "UPDATE checkins SET state = 'answered', closed_at = ?, answered_by = ?, health = ?, note = ?,"
        f" next_step = ? WHERE id = ? AND state IN {_OPEN}",
        (*values, checkin_id),
    ):
        raise CheckinClosed(checkin_id)
    await tx.execute(
        "UPDATE partnerships SET health = ?, last_checkin_at = ?, checkin_snoozed_until = NULL,"
        " next_follow_up = coalesce(?, next_follow_up) WHERE id = ?",
        (answer.health.value, moment, follow_up, partnership_id),
    )
    for metric, current in answer.progress.items():
        await tx.execute(
            "UPDATE partnership_targets SET current = ?, updated_at = ?"
            " WHERE partnership_id = ? AND metric = ?",
            (current, moment, partnership_id, metric),
        )
    await tx.execute_many(
        "INSERT INTO checkin_targets (checkin_id, metric, current) VALUES (?, ?, ?)",
        [(checkin_id, metric, current) for metric, current in answer.progress.items()],
    )
    return checkin_id


async def snooze(
    database: Database, checkin: Checkin, *, by: int, until: datetime, now: datetime
) -> Due | None:
    """Close the prompt as snoozed and schedule a new one at ``until``; CheckinClosed if closed already."""
    async with database.transaction() as tx:
        await _close(tx, checkin.id, CheckinState.SNOOZED, by=by, at=now)
        await tx.execute(
            "UPDATE partnerships SET checkin_snoozed_until = ? WHERE id = ?",
            (to_storage(until), checkin.partnership_id),
        )
        return await reschedule(tx, checkin.partnership_id, now=now)


async def dismiss(database: Database, checkin: Checkin, *, by: int, now: datetime) -> Due | None:
    """ "Not now": close the prompt; the next regular prompt stands. CheckinClosed if closed already."""
    async with database.transaction() as tx:
        await _close(tx, checkin.id, CheckinState.DISMISSED, by=by, at=now)
    return await next_prompt(database, checkin.partnership_id)


async def _close(tx: Transaction, checkin_id: int, state: CheckinState, *, by: int, at: datetime) -> None:
    if not await tx.changes(
        f"UPDATE checkins SET state = ?, closed_at = ?, answered_by = ? WHERE id = ? AND state IN {_OPEN}",
        (state.value, to_storage(at), by, checkin_id),
    ):
        raise CheckinClosed(checkin_id)


async def recent_health(database: Database, partnership_id: int, *, limit: int = 2) -> list[Health]:
    """The statuses of the latest answers, newest first (for "needs attention twice in a row")."""
    rows = await database.fetch_all(
        "SELECT health FROM checkins WHERE partnership_id = ? AND state = 'answered'"
        " ORDER BY closed_at DESC, id DESC LIMIT ?",
        (partnership_id, limit),
    )
    return [Health(row["health"]) for row in rows]


async def history(database: Database, partnership_id: int, *, page: int = 0) -> Page[Checkin]:
    """Closed check-ins, newest first, with the progress each answer reported."""
    closed = f"partnership_id = ? AND state NOT IN {_OPEN}"
    async with database.read() as tx:
        total = await tx.fetch_value(f"SELECT COUNT(*) FROM checkins WHERE {closed}", (partnership_id,))
        rows = await tx.fetch_all(
            f"SELECT {_COLUMNS} FROM checkins WHERE {closed} ORDER BY due_at DESC, id DESC LIMIT ? OFFSET ?",
            (partnership_id, PAGE_SIZE, page * PAGE_SIZE),
        )
        progress = await _progress(tx, [row["id"] for row in rows])
    items = [_from_row(row, progress.get(row["id"], ())) for row in rows]
    return Page(items=items, total=total, page=page, snippets={})


async def _progress(tx: Transaction, checkin_ids: Iterable[int]) -> dict[int, tuple[tuple[str, float], ...]]:
    rows = await tx.fetch_all(
        "SELECT checkin_id, metric, current FROM checkin_targets"
        " WHERE checkin_id IN (SELECT value FROM json_each(?)) ORDER BY metric",
        (json.dumps(list(checkin_ids)),),
    )
    found: dict[int, list[tuple[str, float]]] = {}
    for row in rows:
        found.setdefault(row["checkin_id"], []).append((row["metric"], row["current"]))
    return {checkin_id: tuple(items) for checkin_id, items in found.items()}
