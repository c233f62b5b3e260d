"""When the digest is posted: at the configured weekday and hour in the server's timezone, once a
week across ticks and restarts, retried after a failed send, one late digest after downtime, and
nothing claimed while the channel is missing or unusable."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import discord
import pytest
from simcord.backend.models import Overwrite
from simcord.enums import OverwriteType

from cogs.digest._render import ALL_QUIET
from tests.conftest import START, Community
from tests.digest.helpers import FIRST_SLOT, WEEK, digest_channel, digest_rows, digests_in, tick

LATE = "⏰ Late: this digest was due <t:{}:f>, when I couldn't post it."


def description(message: discord.Message) -> str:
    (embed,) = message.embeds
    return embed.description or ""


def title(message: discord.Message) -> str:
    (embed,) = message.embeds
    return embed.title or ""


async def test_posts_at_the_configured_local_weekday_and_hour_and_not_before(community: Community) -> None:
    channel = await digest_channel(community)
    await tick(community, FIRST_SLOT - timedelta(days=3))  # Saturday: the last slot was before setup...
    # ...so that slot's digest comes at once, marked late (see the next test); none until Tuesday.
    assert len(digests_in(community, channel)) == 1
    await tick(community, FIRST_SLOT - timedelta(seconds=1))  # Tuesday 07:59:59 in New York
    assert len(digests_in(community, channel)) == 1

    await tick(community, FIRST_SLOT)  # Tuesday 08:00 in New York = 13:00 UTC
    posted = digests_in(community, channel)
    assert len(posted) == 2
    assert title(posted[-1]) == "Coordinators' digest · week of 24 November 2026"
    assert description(posted[-1]) == ALL_QUIET
    assert await digest_rows(community) == [("2026-11-17", True), ("2026-11-24", True)]


async def test_the_first_tick_after_setup_sends_the_last_slot_late_with_a_note(community: Community) -> None:
    channel = await digest_channel(community)
    await tick(community, START)  # Friday 20 November; the last slot was Tuesday 17 November
    (late,) = digests_in(community, channel)
    last_slot = int(datetime(2026, 11, 17, 13, 0, tzinfo=UTC).timestamp())
    assert title(late) == "Coordinators' digest · week of 17 November 2026"
    assert description(late) == f"{LATE.format(last_slot)}\n{ALL_QUIET}"


async def test_once_a_week_across_ticks_and_restarts(community: Community) -> None:
    channel = await digest_channel(community)
    await tick(community, FIRST_SLOT)
    await tick(community, FIRST_SLOT + timedelta(minutes=1))
    await community.restart()
    await tick(community, FIRST_SLOT + timedelta(hours=1))
    await tick(community, FIRST_SLOT + timedelta(days=6, hours=23))
    assert len(digests_in(community, channel)) == 1

    await tick(community, FIRST_SLOT + WEEK)
    await community.restart()
    await tick(community, FIRST_SLOT + WEEK + timedelta(minutes=1))
    posted = digests_in(community, channel)
    assert len(posted) == 2
    assert "Late" not in description(posted[-1])
    assert await digest_rows(community) == [("2026-11-24", True), ("2026-12-01", True)]


async def test_a_crash_between_claim_and_send_is_retried_once(community: Community) -> None:
    channel = await digest_channel(community)
    community.env.inject_error("POST", f"/channels/{channel.id}/messages", status=500)
    await tick(community, FIRST_SLOT)
    assert digests_in(community, channel) == []
    assert await digest_rows(community) == [("2026-11-24", False)]  # claimed, not sent

    await community.restart()
    await tick(community, FIRST_SLOT + timedelta(minutes=1))
    await tick(community, FIRST_SLOT + timedelta(minutes=2))
    assert len(digests_in(community, channel)) == 1
    assert await digest_rows(community) == [("2026-11-24", True)]


async def test_three_weeks_of_downtime_give_one_late_digest(community: Community) -> None:
    channel = await digest_channel(community)
    await tick(community, FIRST_SLOT)
    back = FIRST_SLOT + 3 * WEEK + timedelta(days=2)  # Thursday 17 December
    await community.restart()
    await tick(community, back)
    await tick(community, back + timedelta(minutes=1))
    posted = digests_in(community, channel)
    assert len(posted) == 2
    missed_slot = int(datetime(2026, 12, 15, 13, 0, tzinfo=UTC).timestamp())
    assert title(posted[-1]) == "Coordinators' digest · week of 15 December 2026"
    assert description(posted[-1]).splitlines()[0] == LATE.format(missed_slot)
    assert await digest_rows(community) == [("2026-11-24", True), ("2026-12-15", True)]


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "cogs.digest._posting"]


async def test_without_a_usable_channel_nothing_is_claimed_and_it_warns_once_per_slot(
    community: Community, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cogs.digest._posting")
    guild = community.guild.id
    await tick(community, FIRST_SLOT)
    await tick(community, FIRST_SLOT + timedelta(minutes=1))
    assert warnings(caplog) == [
        f"digest not posted guild={guild} week_of=2026-11-24 reason=no digest channel set "
        "(/setup channel purpose:digest)"
    ]

    channel = await digest_channel(community)
    community.env.backend.delete_channel(channel.id)
    await community.env.settle()
    await tick(community, FIRST_SLOT + timedelta(minutes=2))
    await tick(community, FIRST_SLOT + timedelta(minutes=3))
    assert warnings(caplog)[1:] == [
        f"digest not posted guild={guild} week_of=2026-11-24 reason=digest channel {channel.id} "
        "no longer exists"
    ]

    channel = await digest_channel(community, "coordinators-2", private=False)
    bot_id = community.bot.user.id
    denied = discord.Permissions(send_messages=True, embed_links=True).value
    community.env.backend.set_overwrite(
        channel.id, Overwrite(bot_id, OverwriteType.MEMBER, allow=0, deny=denied)
    )
    await community.env.settle()
    await tick(community, FIRST_SLOT + timedelta(minutes=4))
    await tick(community, FIRST_SLOT + timedelta(minutes=5))
    assert warnings(caplog)[2:] == [
        f"digest not posted guild={guild} week_of=2026-11-24 reason=missing permissions in channel "
        f"{channel.id}: Send Messages, Embed Links"
    ]
    assert await digest_rows(community) == []

    community.env.backend.delete_overwrite(channel.id, bot_id)
    await community.env.settle()
    await tick(community, FIRST_SLOT + timedelta(minutes=6))
    assert len(digests_in(community, channel)) == 1
    assert await digest_rows(community) == [("2026-11-24", True)]


async def test_one_guild_failing_does_not_stop_the_others(community: Community) -> None:
    env = community.env
    other = env.create_guild(name="Wikimedia Österreich")
    admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    other_admin = other.add_member(env.create_user("otto_admin"), roles=[admins])
    other_channel = other.create_text_channel("digest")
    lobby = other.create_text_channel("lobby")
    await other_admin.slash(lobby, "setup channel", purpose="digest", channel=other_channel)
    channel = await digest_channel(community)
    env.inject_error("POST", f"/channels/{channel.id}/messages", status=403, code=50013, times=None)

    await tick(community, FIRST_SLOT)
    assert digests_in(community, channel) == []
    assert len([m for m in other_channel.history() if m.author.id == community.bot.user.id]) == 1
    rows = await community.bot.database.fetch_all("SELECT guild_id, sent_at FROM digests ORDER BY guild_id")
    assert {(row["guild_id"], row["sent_at"] is not None) for row in rows} == {
        (community.guild.id, False),
        (other.id, True),
    }
