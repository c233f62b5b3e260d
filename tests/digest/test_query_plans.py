"""Every digest query is an index search: EXPLAIN QUERY PLAN shows no full scan of partnerships,
check-ins, clinics or digests (by table name or by the aliases the digest SQL gives them)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest_asyncio

from core.clock import to_storage
from core.vocabulary import Cadence, Goal, PartnerType, Stage, Visibility
from db import digest, partnerships
from db.database import Database
from db.migrate import migrate
from db.partnerships import PartnershipDraft
from tests.clinics.test_query_plans import traced
from tests.conftest import START

TABLES = ("partnerships", "checkins", "clinics", "digests", "p", "c", "later")
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(TABLES)})\b")


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "plans.sqlite3")
    await migrate(database)
    for number in range(40):
        draft = PartnershipDraft(
            guild_id=1 + number % 2,
            partner_name=f"Partner {number}",
            partner_type=PartnerType.MUSEUM,
            goals=(Goal.CONTENT,),
            stage=Stage.ACTIVE if number % 3 else Stage.CONCLUDED,
            visibility=Visibility.PUBLIC,
            owner_id=None if number % 7 == 0 else 10 + number % 5,
            cadence=Cadence.MONTHLY,
            next_follow_up=date(2026, 11, 20) + timedelta(days=number),
        )
        await partnerships.create(database, draft, at=START)
    async with database.transaction() as tx:
        for number in range(1, 41):
            await tx.execute(
                "INSERT INTO checkins (partnership_id, guild_id, reason, due_at, claimed_at, state)"
                " VALUES (?, ?, 'cadence', ?, ?, ?)",
                (
                    number,
                    1 + (number - 1) % 2,
                    to_storage(START + timedelta(days=number)),
                    to_storage(START),
                    ("missed", "sent", "answered")[number % 3],
                ),
            )
    yield database
    await database.close()


async def full_scans(database: Database, statements: list[str]) -> list[str]:
    scans = []
    for sql in statements:
        for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}"):
            if FULL_SCAN.match(row["detail"]):
                scans.append(f"{row['detail']} in: {sql[:160]}")
    return scans


async def test_section_queries_use_indexes(database: Database) -> None:
    works = [
        digest.checkin_alerts(database, 1, overdue_before=START),
        digest.needing_attention(database, 1),
        digest.follow_ups_between(database, 1, date(2026, 11, 24), date(2026, 11, 30)),
        digest.orphaned(database, 1),
        digest.owner_ids(database, 1),
        digest.owned_by(database, 1, [10, 11]),
        digest.unanswered_clinics(database, 1),
    ]
    statements = [sql for work in works for sql in await traced(database, work)]
    assert len(statements) == len(works)
    assert await full_scans(database, statements) == []


async def test_claim_queries_use_the_primary_key(database: Database) -> None:
    statements = await traced(database, digest.get(database, 1, "2026-11-24"))
    statements += await traced(database, digest.claim(database, 1, "2026-11-24", at=START))
    assert len(statements) == 2
    assert await full_scans(database, statements) == []
