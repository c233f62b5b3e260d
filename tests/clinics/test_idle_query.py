"""Which clinics a tick finds due, in which order, and that it reads them from the idle indexes
(each entry a clinic with a step due), not by skipping the clinics already handled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest_asyncio

from core.clock import to_storage
from db import clinics
from db.clinics import ClinicDraft
from db.database import Database
from db.migrate import migrate
from tests.conftest import START

NOW = START + timedelta(days=30)
CUTOFFS = {
    "quiet_before": NOW - timedelta(days=7),
    "dormant_before": NOW - timedelta(days=14),
    "helpers_quiet_before": NOW - timedelta(days=2),
}


def days_ago(days: float) -> str:
    return to_storage(NOW - timedelta(days=days))


# topic: (status, last activity, helpers quiet since, experts suggested again, asker asked), days ago
CLINICS = {
    "quiet three weeks": ("open", 20, 20, None, None),  # dormancy, 6 days overdue
    "quiet eight days": ("open", 8, 8, None, None),  # the question, 1 day overdue
    "quiet eight days, asked": ("open", 8, 8, None, 0.5),  # asked this quiet period: nothing
    "helpers quiet four days": ("open", 1, 4, None, None),  # re-suggestion, 2 days overdue
    "helpers quiet, suggested again": ("open", 1, 4, 1.5, None),  # nothing
    "quiet three weeks, resolved": ("resolved", 20, 20, None, None),  # nothing
}


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "idle.sqlite3")
    await migrate(database)
    for number, (topic, (status, active, helped, resuggested, asked)) in enumerate(CLINICS.items()):
        draft = ClinicDraft(
            1, 2, 100 + number, None, 10, topic, "glam", None, "A museum hesitates", "", "help"
        )
        clinic = await clinics.create(database, draft, at=NOW - timedelta(days=25))
        async with database.transaction() as tx:
            await tx.execute(
                "UPDATE clinics SET status = ?, last_activity_at = ?, helpers_quiet_since = ?,"
                " experts_resuggested_at = ?, keep_open_asked_at = ? WHERE id = ?",
                (
                    status,
                    days_ago(active),
                    days_ago(helped),
                    None if resuggested is None else days_ago(resuggested),
                    None if asked is None else days_ago(asked),
                    clinic.id,
                ),
            )
    yield database
    await database.close()


async def due(database: Database, **options: Any) -> list[str]:
    return [clinic.topic for clinic in await clinics.due_for_idle_steps(database, **CUTOFFS, **options)]


async def test_only_clinics_with_a_step_due_longest_overdue_first(database: Database) -> None:
    assert await due(database) == ["quiet three weeks", "helpers quiet four days", "quiet eight days"]


async def test_limits_apply_to_questions_and_dormancy_and_to_re_suggestions_apart(database: Database) -> None:
    assert await due(database, limit=1, resuggestions=0) == ["quiet three weeks"]
    assert await due(database, limit=0, resuggestions=1) == ["helpers quiet four days"]
    assert await due(database, limit=1, resuggestions=1) == ["quiet three weeks", "helpers quiet four days"]


async def test_only_the_servers_given(database: Database) -> None:
    assert await due(database, guild_ids=[2]) == []
    assert len(await due(database, guild_ids=[1])) == 3


async def test_reads_the_idle_indexes(database: Database) -> None:
    statements: list[str] = []
    await database.connection.set_trace_callback(statements.append)
    await due(database)
    await database.connection.set_trace_callback(None)
    plan = " | ".join(
        row["detail"] for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {statements[-1]}")
    )
    assert "USING INDEX clinics_idle (status=? AND last_activity_at<?)" in plan
    assert "USING INDEX clinics_idle_unasked (status=? AND last_activity_at>? AND last_activity_at<?)" in plan
    assert "USING INDEX clinics_idle_unresuggested (status=? AND helpers_quiet_since<?)" in plan
