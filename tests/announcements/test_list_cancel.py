"""/announce list and cancel, and what a scheduled announcement does when it can't be posted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import discord_timestamp
from core.when import Repeat
from db import announcements
from db.announcements import AnnouncementDraft, State
from tests.announcements.helpers import (
    announcements_channel,
    compose,
    only_row,
    posts,
    press_post,
    set_timezone,
    tick,
    utc,
)
from tests.clinics.helpers import deny_bot
from tests.conftest import Community


async def schedule(community: Community, title: str, when: str, **options: Any) -> None:
    preview = await compose(
        community, wording={"title": title, "body": "Details inside."}, when=when, **options
    )
    assert (await press_post(community, preview)).startswith("Scheduled **#")


async def test_list_shows_upcoming_with_timestamps_and_the_recent_ones(community: Community) -> None:
    channel = await announcements_channel(community)
    glam = community.guild.create_role("GLAM folks", mentionable=True)
    await schedule(community, "Weekly GLAM call", "next monday 18:00", repeat="weekly", role=glam)
    await schedule(community, "Board update", "tomorrow 9:00")
    await schedule(community, "Dropped idea", "tomorrow 10:00")
    await community.coordinator.slash(community.general, "announce cancel", id=3)
    await tick(community, days=1)  # the board update goes out at 09:00 tomorrow

    result = await community.coordinator.slash(community.general, "announce list")

    assert result.ephemeral
    [post] = posts(channel)
    monday = utc(2026, 11, 23, 18, 0)
    now = utc(2026, 11, 21, 12, 0)
    assert result.response.embeds[0].description == (
        "**Upcoming**\n"
        f"**#1** · Weekly GLAM call · {discord_timestamp(monday, 'F')} ({discord_timestamp(monday, 'R')})"
        f" · weekly · {channel.mention} · {glam.mention}\n"
        "\n"
        "**Recent**\n"
        f"✅ **#2** · Board update · {channel.mention} · posted {discord_timestamp(now, 'R')}"
        f" · {post.jump_url}\n"
        f"🚫 **#3** · Dropped idea · {channel.mention}"
        f" · cancelled {discord_timestamp(utc(2026, 11, 20, 12), 'R')}"
    )


async def schedule_many(community: Community, count: int) -> None:
    channel = await announcements_channel(community)
    for number in range(count):  # written directly: composing them through the form adds nothing here
        due = community.clock.now + timedelta(hours=number + 1)
        draft = AnnouncementDraft(
            guild_id=community.guild.id,
            author_id=community.coordinator.id,
            channel_id=channel.id,
            role_id=None,
            title=f"Announcement with a fairly long title number {number:02}",
            body="Details inside.",
            due_at=due,
            repeat=Repeat.NONE,
            anchor=due.astimezone(ZoneInfo("UTC")),
        )
        await announcements.create(community.bot.database, draft, at=community.clock.now)


async def test_a_long_list_is_paged(community: Community) -> None:
    await schedule_many(community, 30)

    result = await community.coordinator.slash(community.general, "announce list")
    first = result.response.embeds[0].description
    assert "**#1** · Announcement with a fairly long title number 00" in first
    assert "**#30**" not in first
    turned = await community.coordinator.click(result.response, label="Next ▶")
    assert (
        "**#30** · Announcement with a fairly long title number 29" in turned.response.embeds[0].description
    )


async def test_cancel_autocomplete_offers_only_upcoming_ones_of_this_server(community: Community) -> None:
    await announcements_channel(community)
    await set_timezone(community, community.coordinator, "Europe/Berlin")
    await schedule(community, "Weekly GLAM call", "next monday 18:00", repeat="weekly")
    await schedule(community, "Board update", "tomorrow 9:00")
    await press_post(community, await compose(community))  # posted now: nothing to cancel
    # Another server's announcement never shows here.
    await community.bot.database.run_script(
        "INSERT INTO announcements (guild_id, author_id, channel_id, title, body, due_at, repeat, timezone,"
        " anchor_local, state, created_at, updated_at) VALUES (99, 1, 2, 'Elsewhere', 'x',"
        " '2026-11-25T10:00:00+00:00', 'none', 'UTC', '2026-11-25T10:00', 'scheduled',"
        " '2026-11-20T12:00:00+00:00', '2026-11-20T12:00:00+00:00');"
    )

    offered = await community.coordinator.autocomplete(community.general, "announce cancel", "id", "")
    assert offered == [
        {"name": "#2 · Board update · Sat 21 Nov 09:00", "value": 2},
        {"name": "#1 · Weekly GLAM call · Mon 23 Nov 18:00", "value": 1},
    ]
    typed = await community.coordinator.autocomplete(community.general, "announce cancel", "id", "glam")
    assert typed == [{"name": "#1 · Weekly GLAM call · Mon 23 Nov 18:00", "value": 1}]


async def test_cancel_autocomplete_offers_the_25_soonest_and_matches_numbers(community: Community) -> None:
    await schedule_many(community, 30)

    offered = await community.coordinator.autocomplete(community.general, "announce cancel", "id", "")
    assert [choice["value"] for choice in offered] == list(range(1, 26))
    # "3": announcements #3, #13, #23 and #30, and the titles "number 03", "13" and "23" (#4, #14, #24).
    typed = await community.coordinator.autocomplete(community.general, "announce cancel", "id", "#3")
    assert [choice["value"] for choice in typed] == [3, 4, 13, 14, 23, 24, 30]
    any_case = await community.coordinator.autocomplete(
        community.general, "announce cancel", "id", "NUMBER 07"
    )
    assert [choice["value"] for choice in any_case] == [8]


async def test_cancelling_a_series_stops_it(community: Community) -> None:
    channel = await announcements_channel(community)
    await schedule(community, "Weekly GLAM call", "next monday 18:00", repeat="weekly")
    await tick(community, days=3, hours=6)  # Monday 23 November, 18:00: the first one goes out

    result = await community.coordinator.slash(community.general, "announce cancel", id=1)

    assert result.response.content == (
        "Cancelled announcement **#1** (Weekly GLAM call): it won't be posted. The weekly series is stopped."
    )
    await tick(community, days=7)
    await tick(community, days=7)
    assert len(posts(channel)) == 1
    row = await only_row(community)
    assert (row.state, row.post_count) == (State.CANCELLED, 1)


async def test_cancelling_what_is_posted_cancelled_or_unknown_is_explained(community: Community) -> None:
    await announcements_channel(community)
    await press_post(community, await compose(community))
    await schedule(community, "Board update", "tomorrow 9:00")
    await community.coordinator.slash(community.general, "announce cancel", id=2)

    for number, message in [
        (1, "Announcement #1 (GLAM partnerships call) was already posted; there is nothing left to cancel."),
        (2, "Announcement #2 (Board update) was already cancelled."),
        (7, "There is no announcement #7 in this server. `/announce list` shows them."),
    ]:
        result = await community.coordinator.slash(community.general, "announce cancel", id=number)
        assert result.ephemeral
        assert result.response.content == message
    states = await community.bot.database.fetch_all("SELECT state FROM announcements ORDER BY id")
    assert [row["state"] for row in states] == ["posted", "cancelled"]


async def test_a_permission_lost_before_the_time_marks_it_failed_with_the_reason(
    community: Community,
) -> None:
    channel = await announcements_channel(community)
    await schedule(community, "Board update", "tomorrow 9:00")
    await deny_bot(community, channel, send_messages=True)

    await tick(community, days=1)
    await tick(community, minutes=1)  # not retried

    assert posts(channel) == []
    row = await only_row(community)
    reason = f"I can't post in {channel.mention}: I'm missing Send Messages, Embed Links there."
    assert (row.state, row.failure, row.attempts) == (State.FAILED, reason, 1)
    listed = await community.coordinator.slash(community.general, "announce list")
    assert f"❌ **#1** · Board update · {channel.mention} · failed" in listed.response.embeds[0].description
    assert reason in listed.response.embeds[0].description


async def test_a_deleted_channel_or_role_marks_it_failed(community: Community) -> None:
    channel = await announcements_channel(community)
    events = community.guild.create_text_channel("events")
    glam = community.guild.create_role("GLAM folks", mentionable=True)
    await schedule(community, "In events", "tomorrow 9:00", channel=events)
    await schedule(community, "For GLAM", "tomorrow 9:00", role=glam)
    community.env.backend.delete_channel(events.id)
    community.env.backend.delete_role(community.guild.id, glam.id)
    await community.env.settle()

    await tick(community, days=1)

    failures = await community.bot.database.fetch_all("SELECT state, failure FROM announcements ORDER BY id")
    assert [(row["state"], row["failure"]) for row in failures] == [
        ("failed", f"The channel <#{events.id}> no longer exists (or isn't a text or announcement channel)."),
        ("failed", "The role to ping no longer exists."),
    ]
    assert posts(channel) == []


async def test_a_post_still_goes_out_when_its_author_is_no_longer_a_coordinator(community: Community) -> None:
    channel = await announcements_channel(community)
    await schedule(community, "Board update", "tomorrow 9:00")
    await community.admin.slash(
        community.general, "setup coordinator-role", role=community.coordinator_role, remove=True
    )
    await tick(community, days=1)
    [post] = posts(channel)
    assert post.embeds[0].footer.text == "Posted by cora_coordinator"


async def test_a_forgotten_author_is_no_longer_named(community: Community) -> None:
    channel = await announcements_channel(community)
    coordinator = community.coordinator
    await schedule(community, "Board update", "tomorrow 9:00")

    asked = await coordinator.slash(community.general, "profile forget")
    assert (
        "**1** announcement you wrote: kept, without your name (scheduled ones are still posted)"
        in asked.response.content
    )
    await coordinator.click(asked.response, label="Forget me")
    await tick(community, days=1)

    [post] = posts(channel)
    assert post.embeds[0].footer.text == "Posted by the coordinators"
    row = await only_row(community)
    assert (row.state, row.author_id) == (State.POSTED, None)
