"""Clinic records: opening, activity, the idle steps, resolving, credits, pings, list and lessons.

Every state change is a compare-and-set (``... WHERE status = 'open'``) so a step done by the
scheduler, a button and a listener at the same time happens once. The lesson search index holds
resolved clinics only and is written in the same transaction as the status change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.clock import from_storage, to_storage
from db import fts
from db.database import Database, Params, Transaction
from db.paging import PAGE_SIZE, Page


class ClinicStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DORMANT = "dormant"


@dataclass(frozen=True)
class ClinicDraft:
    """A clinic about to be written: the thread exists, the intake was validated."""

    guild_id: int
    channel_id: int
    thread_id: int
    intake_message_id: int | None
    asker_id: int
    topic: str
    area: str
    partnership_id: int | None
    situation: str
    tried: str
    help_needed: str


@dataclass(frozen=True)
class Clinic:
    id: int
    guild_id: int
    channel_id: int
    thread_id: int
    intake_message_id: int | None
    asker_id: int | None
    topic: str
    area: str
    partnership_id: int | None
    situation: str
    tried: str
    help_needed: str
    status: ClinicStatus
    lesson: str | None
    lesson_tags: tuple[str, ...]
    created_at: datetime
    last_activity_at: datetime
    helpers_quiet_since: datetime
    experts_resuggested_at: datetime | None
    keep_open_asked_at: datetime | None
    resolved_at: datetime | None
    resolved_by: int | None
    dormant_at: datetime | None
    thread_deleted: bool

    @property
    def is_open(self) -> bool:
        return self.status is ClinicStatus.OPEN


_FIELDS = (
    "id", "guild_id", "channel_id", "thread_id", "intake_message_id", "asker_id", "topic", "area",
    "partnership_id", "situation", "tried", "help_needed", "status", "lesson", "lesson_tags",
    "created_at", "last_activity_at", "helpers_quiet_since", "experts_resuggested_at",
    "keep_open_asked_at", "resolved_at", "resolved_by", "dormant_at", "thread_deleted",
)  # fmt: skip
_COLUMNS = ", ".join(_FIELDS)
# Lesson search: the server's resolved clinics. Where a word is found, by clinics_fts columns: the
# lesson is what people look for; then the topic, the tags, and last the intake (long, and about the
# problem rather than what solved it).
_LESSONS = fts.Scope(
    index="clinics_fts",
    table="clinics",
    alias="c",
    where="c.guild_id = :guild AND c.status = 'resolved'",
    places=(("lesson", 8), ("topic", 6), ("tags", 5), ("intake", 2)),
    columns=_COLUMNS,
)


def _moment(text: str | None) -> datetime | None:
    return from_storage(text) if text else None


def _from_row(row: sqlite3.Row) -> Clinic:
    return Clinic(
        id=row["id"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        thread_id=row["thread_id"],
        intake_message_id=row["intake_message_id"],
        asker_id=row["asker_id"],
        topic=row["topic"],
        area=row["area"],
        partnership_id=row["partnership_id"],
        situation=row["situation"],
        tried=row["tried"],
        help_needed=row["help_needed"],
        status=ClinicStatus(row["status"]),
        lesson=row["lesson"],
        lesson_tags=tuple(tag for tag in row["lesson_tags"].split(",") if tag),
        created_at=from_storage(row["created_at"]),
        last_activity_at=from_storage(row["last_activity_at"]),
        helpers_quiet_since=from_storage(row["helpers_quiet_since"]),
        experts_resuggested_at=_moment(row["experts_resuggested_at"]),
        keep_open_asked_at=_moment(row["keep_open_asked_at"]),
        resolved_at=_moment(row["resolved_at"]),
        resolved_by=row["resolved_by"],
        dormant_at=_moment(row["dormant_at"]),
        thread_deleted=bool(row["thread_deleted"]),
    )


async def _record_pings(
    tx: Transaction, clinic_id: int, guild_id: int, user_ids: Iterable[int], at: datetime
) -> None:
    await tx.execute_many(
        "INSERT INTO clinic_pings (clinic_id, guild_id, user_id, at) VALUES (?, ?, ?, ?)",
        [(clinic_id, guild_id, user_id, to_storage(at)) for user_id in user_ids],
    )


async def _changed(database: Database, sql: str, params: Params) -> bool:
    """Run one compare-and-set statement; True if it changed a row (the step was ours to do)."""
    async with database.transaction() as tx:
        return await tx.changes(sql, params) > 0


# ------------------------------------------------------------------------------------ opening
async def create(
    database: Database, draft: ClinicDraft, *, pinged: Iterable[int] = (), at: datetime
) -> Clinic:
    """Write the clinic and the pings its suggestions send; its idle clocks start now."""
    moment = to_storage(at)
    async with database.transaction() as tx:
        clinic_id = await tx.execute(
            "INSERT INTO clinics (guild_id, channel_id, thread_id, intake_message_id, asker_id, topic,"
            " area, partnership_id, situation, tried, help_needed, status, created_at,"
            " last_activity_at, helpers_quiet_since)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            (
                draft.guild_id,
                draft.channel_id,
                draft.thread_id,
                draft.intake_message_id,
                draft.asker_id,
                draft.topic,
                draft.area,
                draft.partnership_id,
                draft.situation,
                draft.tried,
                draft.help_needed,
                moment,
                moment,
                moment,
            ),
        )
        await _record_pings(tx, clinic_id, draft.guild_id, pinged, at)
        row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM clinics WHERE id = ?", (clinic_id,))
    assert row is not None
    return _from_row(row)


async def pings_since(
    database: Database, guild_id: int, user_ids: Iterable[int], since: datetime
) -> dict[int, int]:
    """How many clinic pings each member got since ``since`` (members with none are absent)."""
    rows = await database.fetch_all(
        "SELECT user_id, COUNT(*) FROM clinic_pings WHERE guild_id = ?"
        " AND user_id IN (SELECT value FROM json_each(?)) AND at > ? GROUP BY user_id",
        (guild_id, json.dumps(list(user_ids)), to_storage(since)),
    )
    return dict(rows)


# ------------------------------------------------------------------------------------ reading
async def get(database: Database, clinic_id: int) -> Clinic | None:
    row = await database.fetch_one(f"SELECT {_COLUMNS} FROM clinics WHERE id = ?", (clinic_id,))
    return None if row is None else _from_row(row)


async def by_thread(database: Database, thread_id: int) -> Clinic | None:
    row = await database.fetch_one(f"SELECT {_COLUMNS} FROM clinics WHERE thread_id = ?", (thread_id,))
    return None if row is None else _from_row(row)


async def pinged_for(database: Database, clinic_id: int) -> set[int]:
    """Everyone this clinic has pinged already (nobody is pinged twice for one clinic)."""
    rows = await database.fetch_all(
        "SELECT DISTINCT user_id FROM clinic_pings WHERE clinic_id = ?", (clinic_id,)
    )
    return {row["user_id"] for row in rows}


async def credited_helpers(database: Database, clinic_id: int) -> list[int]:
    rows = await database.fetch_all(
        "SELECT helper_id FROM clinic_credits WHERE clinic_id = ? ORDER BY at, helper_id", (clinic_id,)
    )
    return [row["helper_id"] for row in rows]


async def credit_counts(database: Database, guild_id: int, user_ids: Iterable[int]) -> dict[int, int]:
    """Clinics each member was credited as helpful in (the input /expertise who ranks with)."""
    rows = await database.fetch_all(
        "SELECT helper_id, COUNT(*) FROM clinic_credits WHERE guild_id = ?"
        " AND helper_id IN (SELECT value FROM json_each(?)) GROUP BY helper_id",
        (guild_id, json.dumps(list(user_ids))),
    )
    return dict(rows)


# ------------------------------------------------------------------------------------ activity
async def record_activity(database: Database, thread_id: int, author_id: int, *, at: datetime) -> bool:
    """A person wrote in an open clinic's thread: restart its idle clocks. False if not a clinic."""
    return await _changed(
        database,
        "UPDATE clinics SET last_activity_at = :at,"
        " helpers_quiet_since = CASE WHEN asker_id IS :author THEN helpers_quiet_since ELSE :at END"
        " WHERE thread_id = :thread AND status = 'open'",
        {"at": to_storage(at), "author": author_id, "thread": thread_id},
    )


async def keep_open(database: Database, clinic_id: int, *, at: datetime) -> bool:
    """The asker chose to keep it open: that counts as activity, so the idle clock restarts."""
    return await _changed(
        database,
        "UPDATE clinics SET last_activity_at = ? WHERE id = ? AND status = 'open'",
        (to_storage(at), clinic_id),
    )


# ------------------------------------------------------------------------------------ idle steps
_IN_GUILDS = "(:guilds IS NULL OR guild_id IN (SELECT value FROM json_each(:guilds)))"


async def due_for_idle_steps(
    database: Database,
    *,
    quiet_before: datetime,
    dormant_before: datetime,
    helpers_quiet_before: datetime,
    guild_ids: Iterable[int] | None = None,
    limit: int = 200,
    resuggestions: int | None = None,
) -> list[Clinic]:
    """Open clinics with an idle step due, the longest overdue first: at most ``limit`` questions
    and dormancies, and at most ``resuggestions`` re-suggestions (``limit`` when None), only in
    ``guild_ids`` when given (a server the bot left keeps its records but gets no steps).

    Three index range searches, each reading only clinics whose step is due, so a tick's cost
    doesn't grow with the clinics already handled: nobody wrote since ``dormant_before``
    (dormancy); nobody wrote since ``quiet_before`` and the asker wasn't asked yet this quiet
    period (the question); no helper wrote since ``helpers_quiet_before`` but someone wrote since
    ``quiet_before``, and experts weren't suggested again yet (the re-suggestion; a quieter clinic
    is past it). "Overdue" is how long ago the step's cutoff passed.
    """
    rows = await database.fetch_all(
        "SELECT * FROM ("
        "  SELECT * FROM ("
        f"    SELECT {_COLUMNS}, julianday(:dormant) - julianday(last_activity_at) AS overdue FROM clinics"
        f"     WHERE status = 'open' AND last_activity_at <= :dormant AND {_IN_GUILDS}"
        "     ORDER BY last_activity_at LIMIT :limit"
        "  ) UNION ALL SELECT * FROM ("
        f"    SELECT {_COLUMNS}, julianday(:ask) - julianday(last_activity_at) FROM clinics"
        "     WHERE status = 'open'"
        "       AND (keep_open_asked_at IS NULL OR keep_open_asked_at <= last_activity_at)"
        f"       AND last_activity_at <= :ask AND last_activity_at > :dormant AND {_IN_GUILDS}"
        "     ORDER BY last_activity_at LIMIT :limit"
        "  ) ORDER BY overdue DESC, id LIMIT :limit"
        ") UNION ALL SELECT * FROM ("
        f"  SELECT {_COLUMNS}, julianday(:resuggest) - julianday(helpers_quiet_since) FROM clinics"
        "    WHERE status = 'open' AND experts_resuggested_at IS NULL"
        f"      AND helpers_quiet_since <= :resuggest AND last_activity_at > :ask AND {_IN_GUILDS}"
        "    ORDER BY helpers_quiet_since LIMIT :resuggestions"
        ") ORDER BY overdue DESC, id",
        {
            "ask": to_storage(quiet_before),
            "dormant": to_storage(dormant_before),
            "resuggest": to_storage(helpers_quiet_before),
            "guilds": None if guild_ids is None else json.dumps(list(guild_ids)),
            "limit": limit,
            "resuggestions": limit if resuggestions is None else resuggestions,
        },
    )
    return [_from_row(row) for row in rows]


async def claim_resuggestion(
    database: Database, clinic: Clinic, pinged: Iterable[int], *, at: datetime
) -> bool:
    """Mark the re-suggestion done (and its pings sent); False if it was done already."""
    async with database.transaction() as tx:
        claimed = await tx.changes(
            "UPDATE clinics SET experts_resuggested_at = ?"
            " WHERE id = ? AND status = 'open' AND experts_resuggested_at IS NULL",
            (to_storage(at), clinic.id),
        )
        if claimed:
            await _record_pings(tx, clinic.id, clinic.guild_id, pinged, at)
    return claimed > 0


async def claim_keep_open_question(database: Database, clinic_id: int, *, at: datetime) -> bool:
    return await _changed(
        database,
        "UPDATE clinics SET keep_open_asked_at = ? WHERE id = ? AND status = 'open'"
        " AND (keep_open_asked_at IS NULL OR keep_open_asked_at <= last_activity_at)",
        (to_storage(at), clinic_id),
    )


async def mark_dormant(database: Database, clinic_id: int, *, at: datetime) -> bool:
    """Open → dormant; False if it wasn't open."""
    return await _changed(
        database,
        "UPDATE clinics SET status = 'dormant', dormant_at = ? WHERE id = ? AND status = 'open'",
        (to_storage(at), clinic_id),
    )


async def mark_thread_deleted(database: Database, thread_id: int, *, at: datetime) -> Clinic | None:
    """The thread is gone: an open clinic becomes dormant; a resolved one keeps its lesson."""
    async with database.transaction() as tx:
        await tx.execute(
            "UPDATE clinics SET thread_deleted = 1,"
            " dormant_at = CASE WHEN status = 'open' THEN :at ELSE dormant_at END,"
            " status = CASE WHEN status = 'open' THEN 'dormant' ELSE status END"
            " WHERE thread_id = :thread",
            {"at": to_storage(at), "thread": thread_id},
        )
        row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM clinics WHERE thread_id = ?", (thread_id,))
    return None if row is None else _from_row(row)


# ------------------------------------------------------------------------------------ lifecycle
async def resolve(
    database: Database, clinic_id: int, *, lesson: str, tags: tuple[str, ...], by: int, at: datetime
) -> Clinic | None:
    """Open or dormant → resolved, with the lesson indexed for search; None if already resolved."""
    async with database.transaction() as tx:
        changed = await tx.changes(
            "UPDATE clinics SET status = 'resolved', lesson = ?, lesson_tags = ?, resolved_at = ?,"
            " resolved_by = ? WHERE id = ? AND status IN ('open', 'dormant')",
            (lesson, ",".join(tags), to_storage(at), by, clinic_id),
        )
        if not changed:
            return None
        row = await tx.fetch_one(f"SELECT {_COLUMNS} FROM clinics WHERE id = ?", (clinic_id,))
        assert row is not None
        clinic = _from_row(row)
        await tx.execute("DELETE FROM clinics_fts WHERE rowid = ?", (clinic_id,))
        await tx.execute(
            "INSERT INTO clinics_fts (rowid, topic, intake, lesson, tags) VALUES (?, ?, ?, ?, ?)",
            (
                clinic_id,
                clinic.topic,
                "\n".join(filter(None, (clinic.situation, clinic.tried, clinic.help_needed))),
                lesson,
                " ".join(tags),
            ),
        )
    return clinic


async def reopen(database: Database, clinic_id: int, *, at: datetime, only_dormant: bool = False) -> bool:
    """Resolved or dormant → open, with fresh idle clocks; the lesson leaves the search index."""
    allowed = "('dormant')" if only_dormant else "('resolved', 'dormant')"
    moment = to_storage(at)
    async with database.transaction() as tx:
        changed = await tx.changes(
            "UPDATE clinics SET status = 'open', last_activity_at = :at, helpers_quiet_since = :at,"
            " experts_resuggested_at = NULL, keep_open_asked_at = NULL, resolved_at = NULL,"
            f" resolved_by = NULL, dormant_at = NULL WHERE id = :id AND status IN {allowed}"
            " AND thread_deleted = 0",
            {"at": moment, "id": clinic_id},
        )
        if changed:
            await tx.execute("DELETE FROM clinics_fts WHERE rowid = ?", (clinic_id,))
    return changed > 0


async def credit(database: Database, clinic: Clinic, helper_id: int, *, by: int, at: datetime) -> bool:
    """Credit a helper once per clinic; False if they were credited already."""
    return await _changed(
        database,
        "INSERT OR IGNORE INTO clinic_credits (clinic_id, guild_id, helper_id, credited_by, at)"
        " VALUES (?, ?, ?, ?, ?)",
        (clinic.id, clinic.guild_id, helper_id, by, to_storage(at)),
    )


# ------------------------------------------------------------------------------------ finding
async def list_page(
    database: Database,
    guild_id: int,
    *,
    status: ClinicStatus | None = None,
    area: str | None = None,
    page: int = 0,
) -> Page:
    """Clinics of the guild, newest first, optionally of one status and/or area."""
    where = "guild_id = :guild"
    params: dict[str, Any] = {"guild": guild_id, "limit": PAGE_SIZE, "offset": page * PAGE_SIZE}
    if status is not None:
        where += " AND status = :status"
        params["status"] = status.value
    if area is not None:
        where += " AND area = :area"
        params["area"] = area
    async with database.read() as tx:
        # The total from the tallies triggers keep (``clinic_tallies``), not by counting rows.
        total = await tx.fetch_value(
            "SELECT coalesce(sum(total), 0) FROM clinic_tallies WHERE guild_id = :guild"
            " AND (:status IS NULL OR status = :status) AND (:area IS NULL OR area = :area)",
            {"status": None, "area": None, **params},
        )
        rows = await tx.fetch_all(
            f"SELECT {_COLUMNS} FROM clinics WHERE {where}"
            " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset",
            params,
        )
    return Page([_from_row(row) for row in rows], total, page, {})


async def search_lessons(database: Database, guild_id: int, text: str, *, page: int = 0) -> Page:
    """Ranked search over the server's resolved clinics (``fts.search``: whole words as typed,
    partial ones as prefixes); records with any word if none has every word."""
    return await fts.search(database, _LESSONS, text, {"guild": guild_id}, _from_row, page=page)
