"""Delivering prompts: by DM, to a private thread when DMs are refused, exactly once across crashes
and restarts, once (late) after downtime, then one reminder and "missed"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.checkins.helpers import (
    BUTTONS,
    FIRST_MONTHLY,
    checkin_rows,
    checkins_channel,
    dms,
    labels,
    next_checkin,
    refuse_dms,
    register,
    tick,
)
from tests.clinics.helpers import deny_bot
from tests.conftest import Community, acknowledge_errors


async def test_a_due_prompt_arrives_by_dm_once(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, "National Museum of Ghana")
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")

    await tick(community, FIRST_MONTHLY - timedelta(minutes=1))
    assert dms(community, mina) == []

    await tick(community, FIRST_MONTHLY)
    await tick(community, FIRST_MONTHLY + timedelta(minutes=1))
    (prompt,) = dms(community, mina)
    assert prompt.content == (
        "📋 Time for the monthly check-in on **National Museum of Ghana**. How is it going?"
    )
    assert labels(prompt) == BUTTONS
    embed = prompt.embeds[0]
    assert embed.title == f"#{ghana} National Museum of Ghana"
    assert embed.footer.text == "Partnerships registry of Wikimedia Partnerships"
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Stage"] == "Active"
    assert fields["Health"] == "no check-in yet"
    assert "⏰ Sent late" not in fields
    rows = await checkin_rows(community)
    assert [(row["state"], row["delivery"], row["late"], row["recipient_id"]) for row in rows] == [
        ("sent", "dm", 0, mina.id)
    ]
    assert await next_checkin(community, ghana) == ("2027-01-20T09:00:00+00:00", "cadence")


async def test_refused_dm_goes_to_a_private_thread_with_the_owner(community: Community) -> None:
    mina = community.member
    channel = await checkins_channel(community)
    await register(community, mina, "National Museum of Ghana")
    refuse_dms(community, mina)

    await tick(community, FIRST_MONTHLY)

    assert dms(community, mina) == []
    (thread,) = channel.threads
    assert thread.name == "Check-in: National Museum of Ghana"
    backend_thread = community.env.backend.get_channel(thread.id)
    assert backend_thread.type == 12  # a private thread
    assert mina.id in backend_thread.thread_members
    (prompt,) = thread.history()
    assert prompt.content.startswith(f"{mina.mention} 📋 Time for the monthly check-in")
    assert labels(prompt) == BUTTONS
    rows = await checkin_rows(community)
    assert [(row["state"], row["delivery"]) for row in rows] == [("sent", "thread")]
    pinged = community.env.backend.get_message(thread.id, prompt.id).ping_user_ids
    assert list(pinged) == [mina.id]

    # The reminder pings the owner in the thread; the buttons work there as in a DM.
    await tick(community, FIRST_MONTHLY + timedelta(days=3))
    reminder = thread.history()[-1]
    assert reminder.content.startswith(f"{mina.mention} 🔔 A reminder: the check-in on")
    assert list(community.env.backend.get_message(thread.id, reminder.id).ping_user_ids) == [mina.id]
    shown = await mina.click(prompt, label="On track")
    answered = await mina.submit_modal(shown, {})
    assert answered.response.content.startswith("✅ Answered 🟢 On track")


async def test_without_a_usable_fallback_channel_the_prompt_waits_and_is_never_dropped(
    community: Community, caplog: pytest.LogCaptureFixture
) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    refuse_dms(community, mina, times=None)

    await tick(community, FIRST_MONTHLY)
    await tick(community, FIRST_MONTHLY + timedelta(hours=1))
    assert [row["state"] for row in await checkin_rows(community)] == ["claimed"]
    locked = await checkins_channel(community, "locked")
    await deny_bot(community, locked, create_private_threads=True)
    await tick(community, FIRST_MONTHLY + timedelta(hours=2))
    await tick(community, FIRST_MONTHLY + timedelta(hours=3))
    assert locked.threads == []
    assert [row["state"] for row in await checkin_rows(community)] == ["claimed"]
    warnings = [record.getMessage() for record in caplog.records if "kept for retry" in record.getMessage()]
    assert [warning.split("problem=")[1] for warning in warnings] == [
        "DM refused and no check-ins channel is set (/setup channel)",
        "DM refused and the check-ins channel lacks Create Private Threads",
    ]
    # One refused DM is enough: retries don't knock on Discord's door with more 403s.
    dm_path = f"/channels/{mina.user.dm_channel.id}/messages"
    assert [request.method for request in community.env.http_requests if request.path == dm_path] == ["POST"]

    channel = await checkins_channel(community)
    await tick(community, FIRST_MONTHLY + timedelta(hours=4))
    (thread,) = channel.threads
    assert len(thread.history()) == 1
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]


async def test_a_crash_between_claim_and_send_retries_exactly_once(community: Community) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    dm_id = mina.user.dm_channel.id
    community.env.inject_error("POST", f"/channels/{dm_id}/messages", status=500, code=0, times=1)

    await tick(community, FIRST_MONTHLY)  # claimed, the send fails: as if the bot died there
    assert dms(community, mina) == []
    assert [row["state"] for row in await checkin_rows(community)] == ["claimed"]

    await community.restart()
    await tick(community, FIRST_MONTHLY + timedelta(minutes=1))
    await tick(community, FIRST_MONTHLY + timedelta(minutes=2))
    assert len(dms(community, mina)) == 1
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]


async def test_a_crash_after_discord_accepted_the_prompt_does_not_send_it_again(community: Community) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    await tick(community, FIRST_MONTHLY)
    (prompt,) = dms(community, mina)
    # What the database holds if the bot died after Discord accepted the message, before it was
    # recorded as sent: the prompt still claimed, with one attempt counted.
    async with community.bot.database.transaction() as tx:
        await tx.execute(
            "UPDATE checkins SET state = 'claimed', sent_at = NULL, delivery = NULL, channel_id = NULL,"
            " message_id = NULL"
        )

    await community.restart()
    await tick(community, FIRST_MONTHLY + timedelta(minutes=1))

    assert [message.id for message in dms(community, mina)] == [prompt.id]
    row = await community.bot.database.fetch_one("SELECT state, message_id, delivery FROM checkins")
    assert (row["state"], row["message_id"], row["delivery"]) == ("sent", prompt.id, "dm")


async def test_after_downtime_one_late_prompt_not_one_per_missed_period(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, "National Museum of Ghana", cadence="weekly")
    # Down from 21 November until 30 December: four weekly prompts fell due meanwhile.
    back = datetime(2026, 12, 30, 15, tzinfo=UTC)
    await community.restart()
    await tick(community, back)

    (prompt,) = dms(community, mina)
    fields = {field.name: field.value for field in prompt.embeds[0].fields}
    assert fields["⏰ Sent late"] == "The bot was offline when this was due (<t:1795770000:f>)."
    rows = await checkin_rows(community)
    assert [(row["due_at"], row["late"]) for row in rows] == [("2026-11-27T09:00:00+00:00", 1)]
    # The next one is counted from now: the first Friday slot after 30 December.
    assert await next_checkin(community, ghana) == ("2027-01-01T09:00:00+00:00", "cadence")


async def test_one_reminder_then_missed(community: Community) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    await tick(community, FIRST_MONTHLY)
    (prompt,) = dms(community, mina)

    await tick(community, FIRST_MONTHLY + timedelta(days=3) - timedelta(minutes=1))
    assert len(dms(community, mina)) == 1
    await tick(community, FIRST_MONTHLY + timedelta(days=3))
    await tick(community, FIRST_MONTHLY + timedelta(days=4))
    prompt_and_reminder = dms(community, mina)
    assert len(prompt_and_reminder) == 2
    reminder = prompt_and_reminder[1]
    assert reminder.reference is not None and reminder.reference.message_id == prompt.id
    assert reminder.content == (
        "🔔 A reminder: the check-in on **National Museum of Ghana** above is still open. The buttons "
        "still work until <t:1798275600:f>, when it counts as missed."
    )
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]

    await tick(community, FIRST_MONTHLY + timedelta(days=6))
    assert [row["state"] for row in await checkin_rows(community)] == ["missed"]
    clicked = await mina.user.click(prompt, label="On track")
    assert clicked.response.content == (
        "This check-in was missed: it got no answer in time (or a newer prompt replaced it). "
        "You can still check in any time with `/checkin now`."
    )
    assert acknowledge_errors(community.env) == []


async def test_no_reminder_while_the_owner_is_on_a_holiday_pause(community: Community) -> None:
    mina = community.member
    await register(community, mina, "National Museum of Ghana")
    await tick(community, FIRST_MONTHLY)  # Sunday 20 December: the prompt arrives
    paused = await mina.slash(community.general, "checkin pause", until="2027-01-04")
    assert paused.response is not None and paused.response.ephemeral

    await tick(community, FIRST_MONTHLY + timedelta(days=10))  # still on holiday: no reminder, not missed
    assert len(dms(community, mina)) == 1
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]

    await tick(community, datetime(2027, 1, 4, 0, 1, tzinfo=UTC))  # back (the pause ends at midnight UTC)
    assert len(dms(community, mina)) == 2
    assert dms(community, mina)[1].content.startswith("🔔 A reminder")
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]
