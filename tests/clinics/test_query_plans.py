"""The clinic queries that run often (every tick, every list, every suggestion) use indexes.

Each repository function runs against a migrated database while SQLite's trace records the
statements, with their parameters bound; then EXPLAIN QUERY PLAN must show no full scan of the
clinic tables (``SCAN clinics``), only index searches.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest_asyncio

from db import clinics
from db.clinics import ClinicDraft, ClinicStatus
from db.database import Database
from db.migrate import migrate
from tests.conftest import START

TABLES = ("clinics", "clinic_pings", "clinic_credits")
_FULL_SCAN = re.compile(r"^SCAN (\w+)(?: |$)")


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "plans.sqlite3")
    await migrate(database)
    for number in range(30):
        draft = ClinicDraft(
            guild_id=1,
            channel_id=2,
            thread_id=100 + number,
            intake_message_id=None,
            asker_id=10 + number % 3,
            topic=f"Clinic {number}",
            area="glam" if number % 2 else "funding",
            partnership_id=None,
            situation="A museum hesitates",
            tried="",
            help_needed="licence advice",
        )
        created = await clinics.create(database, draft, pinged=[20, 21], at=START + timedelta(hours=number))
        if number % 3 == 0:  # lessons to search
            await clinics.resolve(
                database,
                created.id,
                lesson="A pilot and a licence summary.",
                tags=("licensing",),
                by=20,
                at=START + timedelta(hours=number, minutes=30),
            )
    yield database
    await database.close()


async def traced(database: Database, work: object) -> list[str]:
    statements: list[str] = []
    await database.connection.set_trace_callback(statements.append)
    await work  # type: ignore[misc]
    await database.connection.set_trace_callback(None)
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


async def full_scans(database: Database, statements: list[str]) -> list[str]:
    scans = []
    for sql in statements:
        for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}"):
            match = _FULL_SCAN.match(row["detail"])
            if match and match.group(1) in TABLES:
                scans.append(f"{row['detail']} in: {sql[:120]}")
    return scans


async def test_due_work_uses_indexes(database: Database) -> None:
    later = START + timedelta(days=9)
    statements = await traced(
        database,
        clinics.due_for_idle_steps(
            database,
            quiet_before=later - timedelta(days=7),
            dormant_before=later - timedelta(days=14),
            helpers_quiet_before=later - timedelta(days=2),
        ),
    )
    assert len(statements) == 1
    assert await full_scans(database, statements) == []


async def test_list_and_lessons_use_indexes(database: Database) -> None:
    statements = []
    for status, area in [
        (None, None),
        (ClinicStatus.OPEN, None),
        (None, "glam"),
        (ClinicStatus.OPEN, "glam"),
    ]:
        statements += await traced(database, clinics.list_page(database, 1, status=status, area=area))
    for query in ("museum licence", "licens pil", "pilot unicorn"):  # whole, partial, any word
        statements += await traced(database, clinics.search_lessons(database, 1, query))
    assert len(statements) >= 16
    assert await full_scans(database, statements) == []


async def test_pings_credits_and_thread_lookups_use_indexes(database: Database) -> None:
    statements = await traced(database, clinics.pings_since(database, 1, [20, 21, 22], START))
    statements += await traced(database, clinics.credit_counts(database, 1, [20, 21]))
    statements += await traced(database, clinics.by_thread(database, 105))
    statements += await traced(database, clinics.pinged_for(database, 3))
    assert len(statements) == 4
    assert await full_scans(database, statements) == []
