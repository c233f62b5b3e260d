"""Scheduled and repeating announcements at simulated times: once, late after downtime, across restarts."""

from __future__ import annotations

from core.clock import discord_timestamp
from core.when import Repeat
from db.announcements import State
from tests.announcements.helpers import (
    WORDING,
    announcements_channel,
    compose,
    only_row,
    posts,
    press_post,
    restart_and_recover,
    schedule_in_an_hour,
    set_timezone,
    stop_recording,
    stored,
    tick,
    utc,
)
from tests.conftest import Community


async def test_a_scheduled_announcement_posts_once_when_due(community: Community) -> None:
    channel = await announcements_channel(community)
    glam = community.guild.create_role("GLAM folks", mentionable=True)
    due = utc(2026, 11, 21, 9, 0)  # "tomorrow 9:00" in UTC, the configured default timezone
    preview = await compose(community, when="tomorrow 9:00", role=glam)
    assert f"**When:** {discord_timestamp(due, 'F')} ({discord_timestamp(due, 'R')})" in (
        preview.response.embeds[1].description
    )
    assert preview.response.embeds[0].timestamp == due

    told = await press_post(community, preview)

    assert told == (
        f"Scheduled **#1** for {discord_timestamp(due, 'F')} ({discord_timestamp(due, 'R')}) in "
        f"{channel.mention}. `/announce list` shows it; `/announce cancel id:1` stops it."
    )
    row = await only_row(community)
    assert (row.state, row.due_at, row.repeat, str(row.anchor.tzinfo)) == (
        State.SCHEDULED,
        due,
        Repeat.NONE,
        "UTC",
    )

    await tick(community, hours=20, minutes=59)  # 08:59
    assert posts(channel) == []
    await tick(community, minutes=1)  # 09:00
    await tick(community, minutes=1)
    [post] = posts(channel)
    assert post.content == glam.mention
    assert stored(community, post).ping_role_ids == [glam.id]
    assert post.embeds[0].title == WORDING["title"]
    row = await only_row(community)
    assert (row.state, row.message_id, row.post_count) == (State.POSTED, post.id, 1)


async def test_a_restart_before_it_is_due_loses_nothing(community: Community) -> None:
    channel = await announcements_channel(community)
    await press_post(community, await compose(community, when="in 2 hours"))
    await community.restart()
    await tick(community, hours=1)
    assert posts(channel) == []
    await tick(community, hours=1)
    await tick(community, minutes=5)
    assert len(posts(channel)) == 1


async def test_after_downtime_an_overdue_announcement_is_posted_once_late(community: Community) -> None:
    channel = await announcements_channel(community)
    await press_post(community, await compose(community, when="tomorrow 9:00"))
    await community.restart()  # the bot was down for three days
    await tick(community, days=3)
    await tick(community, minutes=1)
    [post] = posts(channel)
    assert post.embeds[0].timestamp == utc(2026, 11, 21, 9, 0)  # the time it was meant for
    row = await only_row(community)
    assert (row.state, row.posted_at) == (State.POSTED, utc(2026, 11, 23, 12, 0))


async def test_times_are_read_in_each_coordinators_timezone(community: Community) -> None:
    await announcements_channel(community)
    await set_timezone(community, community.coordinator, "Europe/Berlin")
    await press_post(community, await compose(community, when="next monday 18:00"))
    admin_preview = await compose(community, community.admin, when="next monday 18:00")
    await press_post(community, admin_preview, community.admin)

    rows = await community.bot.database.fetch_all("SELECT due_at, timezone FROM announcements ORDER BY id")
    assert [(row["due_at"], row["timezone"]) for row in rows] == [
        ("2026-11-23T17:00:00+00:00", "Europe/Berlin"),  # 18:00 in Berlin (winter time)
        ("2026-11-23T18:00:00+00:00", "UTC"),  # the admin has no profile timezone: the server's
    ]


async def test_weekly_keeps_its_local_hour_across_dst_and_skips_missed_weeks(community: Community) -> None:
    channel = await announcements_channel(community)
    await set_timezone(community, community.coordinator, "Europe/Berlin")
    community.clock.now = utc(2027, 3, 19, 12, 0)  # a Friday; summer time starts on 28 March
    preview = await compose(community, when="next monday 18:00", repeat="weekly")
    assert "**Repeats:** every Monday at 18:00 (Europe/Berlin)" in preview.response.embeds[1].description
    told = await press_post(community, preview)
    assert ", repeating every Monday at 18:00 (Europe/Berlin)." in told

    await tick(community, days=3, hours=5)  # Monday 22 March, 17:00 UTC = 18:00 CET
    assert len(posts(channel)) == 1
    row = await only_row(community)
    assert (row.state, row.due_at) == (State.SCHEDULED, utc(2027, 3, 29, 16, 0))  # 18:00 CEST

    await tick(community, days=6, hours=23)  # Monday 29 March, 16:00 UTC
    assert len(posts(channel)) == 2
    assert (await only_row(community)).due_at == utc(2027, 4, 5, 16, 0)

    # Down from Sunday 4 April until Wednesday 14 April: one late post, then the next Monday.
    await community.restart()
    await tick(community, days=16)
    await tick(community, minutes=1)
    assert len(posts(channel)) == 3
    row = await only_row(community)
    assert (row.state, row.due_at, row.post_count) == (State.SCHEDULED, utc(2027, 4, 19, 16, 0), 3)


async def test_monthly_from_the_31st_falls_on_each_months_last_day(community: Community) -> None:
    channel = await announcements_channel(community)
    community.clock.now = utc(2027, 1, 20, 12, 0)
    await press_post(community, await compose(community, when="2027-01-31 18:00", repeat="monthly"))

    community.clock.now = utc(2027, 1, 31, 18, 0)
    await tick(community)
    assert (await only_row(community)).due_at == utc(2027, 2, 28, 18, 0)
    community.clock.now = utc(2027, 2, 28, 18, 0)
    await tick(community)
    assert (await only_row(community)).due_at == utc(2027, 3, 31, 18, 0)
    assert [post.embeds[0].timestamp for post in posts(channel)] == [
        utc(2027, 1, 31, 18, 0),
        utc(2027, 2, 28, 18, 0),
    ]


async def test_a_crash_after_discord_took_the_post_does_not_post_it_twice(community: Community) -> None:
    channel = await schedule_in_an_hour(community)
    await stop_recording(community)  # the bot stops right after Discord accepted the message
    await tick(community, hours=1)
    assert len(posts(channel)) == 1
    assert (await only_row(community)).state is State.POSTING

    await restart_and_recover(community)

    [post] = posts(channel)
    row = await only_row(community)
    assert (row.state, row.message_id) == (State.POSTED, post.id)


async def test_a_crash_before_the_post_went_out_posts_it_after_the_restart(community: Community) -> None:
    channel = await schedule_in_an_hour(community)
    await stop_recording(community)  # the bot stops after claiming, before the post went out
    community.env.inject_error("POST", f"/channels/{channel.id}/messages", status=503)
    await tick(community, hours=1)
    assert posts(channel) == []
    assert (await only_row(community)).state is State.POSTING

    await restart_and_recover(community)

    assert len(posts(channel)) == 1
    assert (await only_row(community)).state is State.POSTED


async def test_a_passing_discord_failure_is_retried_at_the_next_tick(community: Community) -> None:
    channel = await schedule_in_an_hour(community)
    community.env.inject_error("POST", f"/channels/{channel.id}/messages", status=503)

    await tick(community, hours=1)
    row = await only_row(community)
    assert (row.state, row.attempts) == (State.SCHEDULED, 1)
    assert posts(channel) == []

    await tick(community, minutes=1)
    assert len(posts(channel)) == 1
    assert (await only_row(community)).state is State.POSTED


async def test_a_failure_that_keeps_happening_is_given_up_after_five_tries(community: Community) -> None:
    channel = await schedule_in_an_hour(community)
    community.env.inject_error("POST", f"/channels/{channel.id}/messages", status=503, times=None)

    await tick(community, hours=1)
    for _ in range(5):
        await tick(community, minutes=1)

    row = await only_row(community)
    assert row.state is State.FAILED
    assert row.attempts == 5
    assert row.failure == "Discord kept failing (503) after 5 tries. Post it again when it works."
    assert posts(channel) == []


async def test_a_news_channel_post_at_its_time_is_published(community: Community) -> None:
    news = await announcements_channel(community, news=True)
    assert (await press_post(community, await compose(community, when="in 1 hour"))).startswith("Scheduled")
    await tick(community, hours=1)
    [post] = posts(news)
    assert stored(community, post).flags & community.env.backend.CROSSPOSTED_FLAG
    assert (await only_row(community)).note == "published to following servers"
