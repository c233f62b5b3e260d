"""The digest's reads and its weekly claim, on a real database: what counts as missed or overdue,
which clinics are unanswered, the follow-up window's edges, and claiming once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest_asyncio

from core.clock import to_storage
from core.vocabulary import Cadence, Goal, PartnerType, Stage, Visibility
from db import clinics, digest, partnerships
from db.clinics import ClinicDraft
from db.database import Database
from db.migrate import migrate
from db.partnerships import PartnershipDraft
from tests.conftest import START

GUILD, OTHER_GUILD = 1, 2
ASKER, HELPER = 10, 11


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "digest.sqlite3")
    await migrate(database)
    yield database
    await database.close()


async def partnership(
    database: Database,
    name: str,
    *,
    guild: int = GUILD,
    stage: Stage = Stage.ACTIVE,
    follow_up: date | None = None,
) -> int:
    draft = PartnershipDraft(
        guild_id=guild,
        partner_name=name,
        partner_type=PartnerType.LIBRARY,
        goals=(Goal.CONTENT,),
        stage=stage,
        visibility=Visibility.PUBLIC,
        owner_id=ASKER,
        cadence=Cadence.MONTHLY,
        next_follow_up=follow_up,
    )
    return (await partnerships.create(database, draft, at=START)).id


async def checkin(
    database: Database,
    partnership_id: int,
    state: str,
    due_at: datetime,
    *,
    guild: int = GUILD,
    reminded_at: datetime | None = None,
) -> None:
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO checkins (partnership_id, guild_id, reason, due_at, claimed_at, state, sent_at,"
            " reminded_at) VALUES (?, ?, 'cadence', ?, ?, ?, ?, ?)",
            (
                partnership_id,
                guild,
                to_storage(due_at),
                to_storage(due_at),
                state,
                to_storage(due_at) if state != "claimed" else None,
                to_storage(reminded_at) if reminded_at else None,
            ),
        )


async def test_missed_and_overdue_check_ins(database: Database) -> None:
    now = START + timedelta(days=20)
    overdue_before = now - timedelta(days=3)
    missed = await partnership(database, "Missed")
    superseded = await partnership(database, "Missed, then asked again")
    reminded = await partnership(database, "Reminded")
    unreminded = await partnership(database, "Sent four days ago, no reminder yet")
    recent = await partnership(database, "Sent two days ago")
    concluded = await partnership(database, "Concluded", stage=Stage.CONCLUDED)
    elsewhere = await partnership(database, "Another server", guild=OTHER_GUILD)
    await checkin(database, missed, "missed", START)
    await checkin(database, superseded, "missed", START)
    await checkin(database, superseded, "claimed", START + timedelta(days=19))
    await checkin(database, reminded, "sent", now - timedelta(days=1), reminded_at=now - timedelta(hours=1))
    await checkin(database, unreminded, "sent", now - timedelta(days=4))
    await checkin(database, recent, "sent", now - timedelta(days=2))
    await checkin(database, concluded, "missed", START)
    await checkin(database, elsewhere, "missed", START, guild=OTHER_GUILD)

    alerts = await digest.checkin_alerts(database, GUILD, overdue_before=overdue_before)
    assert sorted((alert.partnership.name, alert.missed) for alert in alerts) == [
        ("Missed", True),
        ("Reminded", False),
        ("Sent four days ago, no reminder yet", False),
    ]


def draft_clinic(thread_id: int) -> ClinicDraft:
    return ClinicDraft(
        guild_id=GUILD,
        channel_id=5,
        thread_id=thread_id,
        intake_message_id=None,
        asker_id=ASKER,
        topic=f"Clinic in {thread_id}",
        area="glam",
        partnership_id=None,
        situation="A museum hesitates",
        tried="",
        help_needed="licence advice",
    )


async def test_unanswered_clinics_are_open_ones_only_the_asker_wrote_in(database: Database) -> None:
    later = START + timedelta(hours=5)
    for thread_id in (101, 102, 103, 104, 105):
        await clinics.create(database, draft_clinic(thread_id), at=START)
    assert await clinics.record_activity(database, 102, ASKER, at=later)  # the asker again: still unanswered
    assert await clinics.record_activity(database, 103, HELPER, at=later)  # a helper wrote
    resolved = await clinics.by_thread(database, 104)
    assert resolved is not None
    await clinics.resolve(database, resolved.id, lesson="Ask early", tags=(), by=ASKER, at=later)
    await clinics.mark_thread_deleted(database, 105, at=later)

    found = await digest.unanswered_clinics(database, GUILD)
    assert sorted(clinic.thread_id for clinic in found) == [101, 102]
    assert await digest.unanswered_clinics(database, OTHER_GUILD) == []


async def test_follow_ups_include_both_ends_of_the_window(database: Database) -> None:
    first, last = date(2026, 11, 24), date(2026, 11, 30)
    for name, day in [("Before", first - timedelta(days=1)), ("First", first), ("Last", last)]:
        await partnership(database, name, follow_up=day)
    await partnership(database, "After", follow_up=last + timedelta(days=1))
    await partnership(database, "Concluded", follow_up=first, stage=Stage.CONCLUDED)
    found = await digest.follow_ups_between(database, GUILD, first, last)
    assert sorted(ref.name for ref in found) == ["First", "Last"]


async def test_a_week_is_claimed_once_and_marked_sent_once(database: Database) -> None:
    claimed = await digest.claim(database, GUILD, "2026-11-24", at=START)
    again = await digest.claim(database, GUILD, "2026-11-24", at=START + timedelta(minutes=1))
    assert again == claimed
    assert claimed.sent_at is None
    sent_at = START + timedelta(minutes=2)
    assert await digest.mark_sent(database, GUILD, "2026-11-24", channel_id=7, message_id=8, at=sent_at)
    assert not await digest.mark_sent(database, GUILD, "2026-11-24", channel_id=7, message_id=9, at=sent_at)
    stored = await digest.get(database, GUILD, "2026-11-24")
    assert stored is not None
    assert (stored.sent_at, stored.channel_id, stored.message_id) == (sent_at, 7, 8)
    assert await digest.get(database, OTHER_GUILD, "2026-11-24") is None
