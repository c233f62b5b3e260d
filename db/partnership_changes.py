"""Changes to an existing partnership: each one a transaction that also writes the timeline entry,
bumps ``updated_at`` and rewrites the search document, so history and search never drift.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import date, datetime

from core.clock import to_storage
from core.vocabulary import AgreementItem, Stage
from db import checkins
from db.database import Database, Transaction
from db.partnerships import DuplicatePartnership, add_timeline, refresh_search

# Columns a change may set directly; anything else is a programming error (keys become SQL).
EDITABLE_COLUMNS = frozenset(
    {
        "name",
        "partner_name",
        "partner_type",
        "goals",
        "structure",
        "scope",
        "stage",
        "visibility",
        "owner_id",
        "region",
        "projects",
        "description",
        "meta_url",
        "agreement_url",
        "start_date",
        "end_date",
        "next_follow_up",
        "cadence",
        "outcome",
        "lessons",
    }
)


def _stored(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ",".join(str(getattr(item, "value", item)) for item in value)
    return getattr(value, "value", value)


@asynccontextmanager
async def change(
    database: Database,
    partnership_id: int,
    *,
    at: datetime,
    author_id: int | None,
    kind: str,
    summary: str,
    note: str | None = None,
) -> AsyncIterator[Transaction]:
    """One recorded change: the caller's statements, then the timeline entry and search document."""
    try:
        async with database.transaction() as tx:
            yield tx
            await checkins.reschedule(tx, partnership_id, now=at)  # cadence, stage, follow-up, owner...
            await tx.execute(
                "UPDATE partnerships SET updated_at = ? WHERE id = ?", (to_storage(at), partnership_id)
            )
            await add_timeline(
                tx, partnership_id, kind, author_id=author_id, at=at, summary=summary, note=note
            )
            await refresh_search(tx, partnership_id)
    except sqlite3.IntegrityError as error:
        if "UNIQUE" in str(error) and "partnerships" in str(error):
            raise DuplicatePartnership(str(partnership_id)) from error
        raise


async def set_columns(tx: Transaction, partnership_id: int, values: Mapping[str, object]) -> None:
    """Set record columns (enums, tuples and dates are stored as ``create`` stores them)."""
    unknown = set(values) - EDITABLE_COLUMNS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if not values:
        return
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    await tx.execute(
        f"UPDATE partnerships SET {assignments} WHERE id = :id",
        {**{column: _stored(value) for column, value in values.items()}, "id": partnership_id},
    )


async def set_areas(tx: Transaction, partnership_id: int, areas: tuple[str, ...]) -> None:
    await tx.execute("DELETE FROM partnership_areas WHERE partnership_id = ?", (partnership_id,))
    await tx.execute_many(
        "INSERT INTO partnership_areas (partnership_id, area) VALUES (?, ?)",
        [(partnership_id, area) for area in dict.fromkeys(areas)],
    )


async def save_target(
    tx: Transaction,
    partnership_id: int,
    metric: str,
    *,
    target: float,
    current: float,
    unit: str,
    at: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO partnership_targets (partnership_id, metric, target, current, unit, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (partnership_id, metric) DO UPDATE SET"
        " target = excluded.target, current = excluded.current, unit = excluded.unit,"
        " updated_at = excluded.updated_at",
        (partnership_id, metric, target, current, unit, to_storage(at)),
    )


async def remove_target(tx: Transaction, partnership_id: int, metric: str) -> None:
    await tx.execute(
        "DELETE FROM partnership_targets WHERE partnership_id = ? AND metric = ?", (partnership_id, metric)
    )


async def save_agreement_item(
    tx: Transaction,
    partnership_id: int,
    item: AgreementItem,
    *,
    done: bool,
    note: str | None,
    author_id: int,
    at: datetime,
) -> None:
    await tx.execute(
        "INSERT INTO partnership_agreement (partnership_id, item, done, note, updated_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (partnership_id, item) DO UPDATE SET"
        " done = excluded.done, note = coalesce(excluded.note, note),"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (partnership_id, item.value, int(done), note, author_id, to_storage(at)),
    )


async def add_co_owner(tx: Transaction, partnership_id: int, user_id: int) -> None:
    await tx.execute(
        "INSERT OR IGNORE INTO partnership_co_owners (partnership_id, user_id) VALUES (?, ?)",
        (partnership_id, user_id),
    )


async def remove_co_owner(tx: Transaction, partnership_id: int, user_id: int) -> None:
    await tx.execute(
        "DELETE FROM partnership_co_owners WHERE partnership_id = ? AND user_id = ?",
        (partnership_id, user_id),
    )


async def transfer(
    tx: Transaction, partnership_id: int, new_owner_id: int, *, keep_previous: int | None
) -> None:
    """Make ``new_owner_id`` the owner; the previous owner stays on as co-owner if ``keep_previous``."""
    await remove_co_owner(tx, partnership_id, new_owner_id)
    await set_columns(tx, partnership_id, {"owner_id": new_owner_id})
    if keep_previous is not None:
        await add_co_owner(tx, partnership_id, keep_previous)


def conclude_columns(outcome: str, lessons: str, end: date) -> dict[str, object]:
    return {"stage": Stage.CONCLUDED, "outcome": outcome, "lessons": lessons, "end_date": end}
