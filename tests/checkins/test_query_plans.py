"""The check-in queries the scheduler runs every tick (and the per-record reads) use indexes.

Each repository function runs against a migrated database with a few hundred partnerships and
check-ins while SQLite's trace records its statements; EXPLAIN QUERY PLAN must then show no full
scan of ``checkins`` or ``partnerships`` (``p`` where aliased), nor of the owners' profiles.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest_asyncio

from core.vocabulary import Cadence, Goal, PartnerType, Stage, Visibility
from db import checkins, partnerships
from db.database import Database
from db.migrate import migrate
from db.partnerships import PartnershipDraft
from tests.conftest import START

SCANNED = {"checkins", "partnerships", "p", "profiles", "pr", "checkin_targets"}
_FULL_SCAN = re.compile(r"^SCAN (\w+)(?: |$)")
LATER = START + timedelta(days=40)


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "plans.sqlite3")
    await migrate(database)
    async with database.transaction() as tx:
        for number in range(300):
            draft = PartnershipDraft(
                guild_id=1,
                partner_name=f"Partner {number}",
                partner_type=PartnerType.MUSEUM,
                goals=(Goal.CONTENT,),
                stage=Stage.ACTIVE,
                visibility=Visibility.PUBLIC,
                owner_id=10 + number % 20,
                cadence=Cadence.WEEKLY,
            )
            await partnerships.insert(tx, draft, at=START + timedelta(hours=number), author_id=None)
    await checkins.claim_due(database, now=START + timedelta(days=9))
    while (checkin := await checkins.next_unsent(database)) is not None:  # all sent
        await checkins.mark_sent(
            database,
            checkin.id,
            delivery="dm",
            channel_id=5,
            message_id=checkin.id,
            at=START + timedelta(days=9),
        )
    yield database
    await database.close()


async def traced(database: Database, work: Awaitable[Any]) -> list[str]:
    statements: list[str] = []
    await database.connection.set_trace_callback(statements.append)
    await work
    await database.connection.set_trace_callback(None)
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE"))]


async def full_scans(database: Database, statements: list[str]) -> list[str]:
    scans = []
    for sql in statements:
        for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}"):
            match = _FULL_SCAN.match(row["detail"])
            if match and match.group(1) in SCANNED:
                scans.append(f"{row['detail']} in: {sql[:120]}")
    return scans


async def test_the_due_work_uses_indexes(database: Database) -> None:
    statements = await traced(database, checkins.claim_due(database, now=LATER))
    first = await checkins.next_unsent(database)  # claimed just now
    assert first is not None
    statements += await traced(database, checkins.next_unsent(database))
    statements += await traced(database, checkins.next_unsent(database, after=first))
    statements += await traced(database, checkins.reminders_due(database, sent_before=LATER, now=LATER))
    statements += await traced(database, checkins.mark_missed(database, reminded_before=LATER, at=LATER))
    assert len(statements) > 300  # claiming reads each due partnership's schedule and moves it on
    assert await full_scans(database, statements) == []


async def test_rescheduling_and_per_record_reads_use_indexes(database: Database) -> None:
    async with database.transaction() as tx:
        statements = await traced(database, checkins.reschedule_member(tx, 1, 10, now=LATER))
    statements += await traced(database, checkins.recent_health(database, 3))
    statements += await traced(database, checkins.history(database, 3))
    statements += await traced(database, checkins.next_prompt(database, 3))
    statements += await traced(database, checkins.get(database, 3))
    assert len(statements) >= 20
    assert await full_scans(database, statements) == []
