"""A backlog of idle steps (after downtime, or a busy week) is worked off a few steps per tick, the
longest overdue first, so no tick grows with the backlog; a server the bot left holds nobody up."""

from __future__ import annotations

from datetime import timedelta

from cogs.clinics._idle import RESUGGESTIONS_PER_TICK, STEPS_PER_TICK
from db import clinics
from db.clinics import ClinicDraft
from tests.clinics.helpers import clinics_forum, expert, open_clinic
from tests.conftest import START, Community, tick


async def statuses(community: Community) -> dict[str, str]:
    rows = await community.bot.database.fetch_all("SELECT topic, status FROM clinics ORDER BY id")
    return {row["topic"]: row["status"] for row in rows}


async def open_one_an_hour(community: Community, count: int) -> list[str]:
    """Mina opens ``count`` clinics an hour apart, from START; returns their topics, oldest first."""
    await clinics_forum(community)
    topics = [f"Museum question {number}" for number in range(count)]
    for hours, topic in enumerate(topics):
        community.clock.now = START + timedelta(hours=hours)
        await open_clinic(community, community.member, topic=topic)
    return topics


async def test_a_backlog_goes_dormant_a_few_clinics_per_tick_oldest_first(community: Community) -> None:
    assert STEPS_PER_TICK == 5
    topics = await open_one_an_hour(community, 6)

    await tick(community, START + timedelta(days=20))
    assert await statuses(community) == {
        **dict.fromkeys(topics[:5], "dormant"),
        "Museum question 5": "open",
    }

    await tick(community, START + timedelta(days=20, minutes=1))
    assert set((await statuses(community)).values()) == {"dormant"}


async def test_experts_are_suggested_again_one_clinic_per_tick(community: Community) -> None:
    assert RESUGGESTIONS_PER_TICK == 1
    await expert(community, community.members[1], pings=True)
    await open_one_an_hour(community, 2)
    database = community.bot.database

    await tick(community, START + timedelta(days=3))
    resuggested = await database.fetch_all(
        "SELECT topic FROM clinics WHERE experts_resuggested_at IS NOT NULL"
    )
    assert [row["topic"] for row in resuggested] == ["Museum question 0"]

    await tick(community, START + timedelta(days=3, minutes=1))
    assert (
        await database.fetch_value("SELECT count(*) FROM clinics WHERE experts_resuggested_at IS NULL") == 0
    )


async def test_clinics_of_a_server_the_bot_left_hold_nobody_up(community: Community) -> None:
    database = community.bot.database
    for number in range(STEPS_PER_TICK):  # quieter for longer than the clinic below
        topic = f"Elsewhere {number}"
        draft = ClinicDraft(
            999, 998, 1_000 + number, None, 997, topic, "glam", None, "A museum hesitates", "", ""
        )
        await clinics.create(database, draft, at=START - timedelta(days=30))
    await open_one_an_hour(community, 1)

    await tick(community, START + timedelta(days=20))

    assert await statuses(community) == {
        **{f"Elsewhere {number}": "open" for number in range(STEPS_PER_TICK)},
        "Museum question 0": "dormant",
    }
