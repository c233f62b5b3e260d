"""The announcement queries that run often (every tick, every list, every keystroke) use indexes.

Each repository function runs against a migrated database while SQLite's trace records the
statements with their parameters bound; EXPLAIN QUERY PLAN must then show no full scan of
``announcements``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest_asyncio

from core.when import Repeat
from db import announcements
from db.announcements import AnnouncementDraft
from db.database import Database
from db.migrate import migrate
from tests.clinics.test_query_plans import traced
from tests.conftest import START


async def plans(database: Database, statements: list[str]) -> list[str]:
    return [
        row["detail"] for sql in statements for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}")
    ]


def full_scans(plan: list[str]) -> list[str]:
    return [detail for detail in plan if detail.startswith("SCAN announcements")]


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "plans.sqlite3")
    await migrate(database)
    for number in range(40):
        due = START + timedelta(hours=number)
        draft = AnnouncementDraft(
            guild_id=1 + number % 2,
            author_id=10,
            channel_id=20,
            role_id=None,
            title=f"Announcement {number}",
            body="Text",
            due_at=due,
            repeat=Repeat.WEEKLY if number % 3 else Repeat.NONE,
            anchor=due.astimezone(ZoneInfo("UTC")),
        )
        await announcements.create(database, draft, at=START, claim_token="old" if number == 5 else None)
    yield database
    await database.close()


async def test_the_due_work_query_uses_an_index(database: Database) -> None:
    statements = await traced(
        database, announcements.due(database, now=START + timedelta(hours=10), claim_token="new")
    )
    assert len(statements) == 1
    plan = await plans(database, statements)
    assert any("USING INDEX announcements_due (state=? AND due_at<?)" in detail for detail in plan), plan
    assert full_scans(plan) == []


async def test_list_and_cancel_queries_use_indexes(database: Database) -> None:
    statements = await traced(database, announcements.upcoming(database, 1))
    statements += await traced(database, announcements.recent(database, 1))
    statements += await traced(database, announcements.get(database, 1, 3))
    statements += await traced(database, announcements.cancel(database, 1, 3, by=10, at=START))
    assert len(statements) == 4
    assert full_scans(await plans(database, statements)) == []
