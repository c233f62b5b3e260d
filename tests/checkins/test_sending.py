"""Sending: the tick only claims and hands prompts to the sender, which sends them oldest first at a
steady pace, exactly once across restarts and rate limits (429)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.pacing import Pacer
from tests.checkins.helpers import (
    FIRST_MONTHLY,
    FakeTime,
    checkin_rows,
    dms,
    register,
    sender,
    tick,
)
from tests.conftest import Community

HOUR = 3600.0


async def sent_ids(community: Community) -> list[int | None]:
    """The message id of each check-in's prompt, in check-in (claim) order."""
    rows = await community.bot.database.fetch_all("SELECT message_id FROM checkins ORDER BY id")
    return [row["message_id"] for row in rows]


async def three_owners_due(community: Community) -> None:
    for actor, partner in zip(
        community.members, ("National Museum of Ghana", "Biblioteca Nacional", "Te Papa"), strict=True
    ):
        await register(community, actor, partner)


async def test_the_tick_returns_while_the_sender_is_still_sending(community: Community) -> None:
    await three_owners_due(community)
    # One prompt an hour: after the first, the sender waits its turn (in SimCord's virtual time).
    time = FakeTime()
    sender(community).pacer = Pacer(1 / HOUR, clock=time)

    await tick(community, FIRST_MONTHLY)  # claims all three, hands them over, returns

    assert [row["state"] for row in await checkin_rows(community)] == ["sent", "claimed", "claimed"]
    mina, omar, pita = community.members
    assert [len(dms(community, actor)) for actor in (mina, omar, pita)] == [1, 0, 0]

    time.now += HOUR
    await community.env.advance_time(HOUR)
    assert [row["state"] for row in await checkin_rows(community)] == ["sent", "sent", "claimed"]
    time.now += HOUR
    await community.env.advance_time(HOUR)
    assert [row["state"] for row in await checkin_rows(community)] == ["sent", "sent", "sent"]
    assert [len(dms(community, actor)) for actor in (mina, omar, pita)] == [1, 1, 1]
    sent = await sent_ids(community)
    assert sent == sorted(sent)  # in the order they were claimed


async def test_a_prompt_kept_from_an_earlier_tick_goes_before_newer_ones(community: Community) -> None:
    mina, omar, _pita = community.members
    await register(community, mina, "National Museum of Ghana")  # due 20 December
    await register(community, omar, "Biblioteca Nacional", cadence="quarterly")  # due 20 February
    community.env.inject_error("POST", f"/channels/{mina.user.dm_channel.id}/messages", status=500, times=1)
    await tick(community, FIRST_MONTHLY)
    assert [row["state"] for row in await checkin_rows(community)] == ["claimed"]

    # Mina's prompt is still waiting when Omar's is claimed; Mina's goes first.
    async with community.bot.database.transaction() as tx:
        await tx.execute(
            "UPDATE partnerships SET next_checkin_at = ? WHERE owner_id = ?",
            (
                "2026-12-20T10:00:00+00:00",
                omar.id,
            ),
        )
    await tick(community, FIRST_MONTHLY + timedelta(hours=1))

    assert [row["state"] for row in await checkin_rows(community)] == ["sent", "sent"]
    (mina_prompt,) = dms(community, mina)
    (omar_prompt,) = dms(community, omar)
    assert mina_prompt.id < omar_prompt.id


async def test_a_restart_in_the_middle_of_sending_sends_the_rest_once(community: Community) -> None:
    await three_owners_due(community)
    sender(community).pacer = Pacer(1 / HOUR, clock=FakeTime())
    await tick(community, FIRST_MONTHLY)
    assert [row["state"] for row in await checkin_rows(community)] == ["sent", "claimed", "claimed"]

    await community.restart()  # the old sender stops while it waits for its next turn
    await tick(community, FIRST_MONTHLY + timedelta(minutes=1))  # the new one sends the rest

    rows = await checkin_rows(community)
    assert [row["state"] for row in rows] == ["sent", "sent", "sent"]
    assert [len(dms(community, actor)) for actor in community.members] == [1, 1, 1]
    attempts = await community.bot.database.fetch_all("SELECT send_attempts FROM checkins ORDER BY id")
    assert [row["send_attempts"] for row in attempts] == [1, 1, 1]


async def test_the_sender_keeps_to_the_configured_pace(community: Community) -> None:
    mina = community.member
    for number in range(7):
        await register(community, mina, f"Community Archive {number}")
    time = FakeTime()
    sender(community).pacer = Pacer(
        community.bot.config.checkin_prompts_per_second, burst=5, clock=time, sleep=time.sleep
    )

    await tick(community, FIRST_MONTHLY)

    assert len(dms(community, mina)) == 7
    assert time.slept == [0.2, 0.2]  # five at once, then one every fifth of a second


async def test_a_prompt_that_meets_a_429_is_sent_once_after_a_pause(
    community: Community, caplog: pytest.LogCaptureFixture
) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    time = FakeTime()
    sender(community).pacer = Pacer(5, burst=5, clock=time, sleep=time.sleep)
    community.env.inject_error(
        "POST",
        f"/channels/{mina.user.dm_channel.id}/messages",
        status=429,
        message="You are being rate limited.",
        times=1,
    )

    await tick(community, FIRST_MONTHLY)

    (prompt,) = dms(community, mina)
    row = await community.bot.database.fetch_one("SELECT state, message_id, send_attempts FROM checkins")
    assert (row["state"], row["message_id"], row["send_attempts"]) == ("sent", prompt.id, 2)
    assert time.slept == [2.0]  # held back before trying again
    assert any("rate limited" in record.getMessage() for record in caplog.records)
