"""Bulk reads and writes for /partnership export and import.

Export reads every record of a guild the viewer may see (the one rule, ``_VISIBLE``), with the
targets and agreement checklist around it, from one snapshot and a chunk at a time, so an export
of any size holds only one chunk in memory. Import writes many records in ONE transaction: if any
row fails (say a duplicate registered since the preview), nothing at all is written.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from core.clock import to_storage
from core.vocabulary import AgreementItem, Health
from db import checkins
from db import partnership_changes as changes
from db.database import Database, Transaction
from db.partnerships import (
    _COLUMNS,
    _VISIBLE,
    DuplicatePartnership,
    Partnership,
    PartnershipDraft,
    Target,
    Viewer,
    _from_row,
    _viewer_params,
    insert,
    refresh_search,
)


@dataclass(frozen=True)
class ExportRecord:
    """A record with the parts of it that live in other tables."""

    partnership: Partnership
    targets: tuple[Target, ...] = ()
    agreement_done: tuple[AgreementItem, ...] = ()

    @property
    def confidential(self) -> bool:
        return self.partnership.confidential


@dataclass(frozen=True)
class ImportRow:
    """One valid row of an import file: a draft plus what ``insert`` does not write."""

    row_number: int
    draft: PartnershipDraft
    co_owner_ids: tuple[int, ...] = ()
    targets: tuple[Target, ...] = ()
    agreement_done: tuple[AgreementItem, ...] = ()
    health: Health | None = None
    last_checkin_at: datetime | None = None
    outcome: str | None = None
    lessons: str | None = None


class ImportConflict(Exception):
    """A row could not be written; the whole import was rolled back."""

    def __init__(self, row: ImportRow) -> None:
        super().__init__(f"row {row.row_number}")
        self.row = row


EXPORT_CHUNK = 500  # records per read: about a megabyte in memory at a time, whatever the registry's size

# What an export reads: the records the viewer may see, with or without the confidential ones.
_EXPORTED = f"p.guild_id = :guild AND {_VISIBLE} AND (:confidential OR p.visibility <> 'confidential')"


@dataclass(frozen=True)
class ExportCounts:
    """How many records an export holds, and how many it leaves out, counted in its snapshot."""

    records: int
    confidential: int  # of ``records``
    left_out: int  # confidential records the viewer may see but chose to leave out


class ExportSnapshot:
    """One consistent read of a guild's records for an export: counts, then records a chunk at a time."""

    def __init__(self, tx: Transaction, params: dict[str, object], counts: ExportCounts, chunk: int) -> None:
        self._tx = tx
        self._params = params
        self.counts = counts
        self._chunk = chunk

    async def chunks(self) -> AsyncIterator[list[ExportRecord]]:
        """The records oldest first, in chunks; the targets and agreement items are read per chunk."""
        after = 0
        while True:
            # NOT INDEXED: each chunk reads on from the last id (the table's own order) and stops
            # after a chunk, instead of sorting the whole server from a (guild_id, ...) index.
            rows = await self._tx.fetch_all(
                f"SELECT {_COLUMNS} FROM partnerships p NOT INDEXED WHERE {_EXPORTED} AND p.id > :after"
                " ORDER BY p.id LIMIT :chunk",
                {**self._params, "after": after, "chunk": self._chunk},
            )
            if not rows:
                return
            records = list(map(_from_row, rows))
            yield await self._with_parts(records)
            after = records[-1].id

    async def _with_parts(self, records: list[Partnership]) -> list[ExportRecord]:
        # The chunk's id range, in this guild (records left out are read but not used). CROSS JOIN
        # keeps SQLite reading the range first, not the whole server's records.
        span = {"guild": self._params["guild"], "first": records[0].id, "last": records[-1].id}
        target_rows = await self._tx.fetch_all(
            "SELECT t.partnership_id, t.metric, t.target, t.current, t.unit FROM partnership_targets t"
            " CROSS JOIN partnerships p ON p.id = t.partnership_id"
            " WHERE t.partnership_id BETWEEN :first AND :last AND p.guild_id = :guild"
            " ORDER BY t.partnership_id, t.metric",
            span,
        )
        agreement_rows = await self._tx.fetch_all(
            "SELECT a.partnership_id, a.item FROM partnership_agreement a"
            " CROSS JOIN partnerships p ON p.id = a.partnership_id"
            " WHERE a.partnership_id BETWEEN :first AND :last AND p.guild_id = :guild AND a.done",
            span,
        )
        targets: dict[int, list[Target]] = {}
        for row in target_rows:
            targets.setdefault(row["partnership_id"], []).append(
                Target(row["metric"], row["target"], row["current"], row["unit"])
            )
        done: dict[int, set[AgreementItem]] = {}
        for row in agreement_rows:
            done.setdefault(row["partnership_id"], set()).add(AgreementItem(row["item"]))
        return [
            ExportRecord(
                partnership=record,
                targets=tuple(targets.get(record.id, ())),
                agreement_done=tuple(item for item in AgreementItem if item in done.get(record.id, ())),
            )
            for record in records
        ]


@asynccontextmanager
async def export_snapshot(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    *,
    confidential: bool = True,
    chunk: int | None = None,
) -> AsyncIterator[ExportSnapshot]:
    """Every record of the guild that ``viewer`` may see (without confidential ones unless
    ``confidential``), counted and then read in chunks, all from one snapshot."""
    params = {"guild": guild_id, "confidential": int(confidential), **_viewer_params(viewer)}
    async with database.snapshot() as tx:
        row = await tx.fetch_one(
            "SELECT count(*) AS visible, coalesce(sum(p.visibility = 'confidential'), 0) AS confidential"
            f" FROM partnerships p WHERE p.guild_id = :guild AND {_VISIBLE}",
            params,
        )
        assert row is not None
        visible, hidden = row["visible"], row["confidential"]
        counts = (
            ExportCounts(records=visible, confidential=hidden, left_out=0)
            if confidential
            else ExportCounts(records=visible - hidden, confidential=0, left_out=hidden)
        )
        yield ExportSnapshot(tx, params, counts, chunk or EXPORT_CHUNK)


async def export_records(database: Database, guild_id: int, viewer: Viewer) -> list[ExportRecord]:
    """Every record of the guild that ``viewer`` may see, oldest first, as one list (small reads)."""
    async with export_snapshot(database, guild_id, viewer) as snapshot:
        return [record async for chunk in snapshot.chunks() for record in chunk]


async def owner_partner_keys(database: Database, guild_id: int) -> set[tuple[int, str]]:
    """(owner, casefolded partner name) of every owned record: what an import must not repeat."""
    rows = await database.fetch_all(
        "SELECT owner_id, partner_name FROM partnerships WHERE guild_id = ? AND owner_id IS NOT NULL",
        (guild_id,),
    )
    return {(row["owner_id"], row["partner_name"].casefold()) for row in rows}


async def import_rows(
    database: Database, rows: list[ImportRow], *, at: datetime, author_id: int
) -> list[int]:
    """Create every row, or none: raises ImportConflict naming the first row that failed."""
    created: list[int] = []
    async with database.transaction() as tx:
        for row in rows:
            try:
                partnership_id = await insert(tx, row.draft, at=at, kind="imported", author_id=author_id)
            except DuplicatePartnership:
                raise ImportConflict(row) from None
            for user_id in row.co_owner_ids:
                await changes.add_co_owner(tx, partnership_id, user_id)
            for target in row.targets:
                await changes.save_target(
                    tx,
                    partnership_id,
                    target.metric,
                    target=target.target,
                    current=target.current,
                    unit=target.unit,
                    at=at,
                )
            for item in row.agreement_done:
                await changes.save_agreement_item(
                    tx, partnership_id, item, done=True, note=None, author_id=author_id, at=at
                )
            if row.outcome or row.lessons:
                await changes.set_columns(
                    tx, partnership_id, {"outcome": row.outcome, "lessons": row.lessons}
                )
                await refresh_search(tx, partnership_id)  # insert indexed the record before its lessons
            if row.health or row.last_checkin_at:
                # Check-in state, carried over as it was: not something a member edits.
                await tx.execute(
                    "UPDATE partnerships SET health = ?, last_checkin_at = ? WHERE id = ?",
                    (
                        row.health.value if row.health else None,
                        to_storage(row.last_checkin_at) if row.last_checkin_at else None,
                        partnership_id,
                    ),
                )
                # Cadence slots count from the last check-in, which insert() didn't know yet.
                await checkins.reschedule(tx, partnership_id, now=at)
            created.append(partnership_id)
    return created
