"""Shared steps for the announcement tests: the channel, composing through the form, reading posts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from db import announcements
from db.announcements import Announcement
from tests.conftest import Community


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


WORDING = {"title": "GLAM partnerships call", "body": "Join us to share what worked with museums this year."}


async def announcements_channel(community: Community, *, news: bool = False) -> ChannelHandle:
    """An announcements channel set with /setup, as an admin would."""
    guild = community.guild
    channel = guild.create_news_channel("news") if news else guild.create_text_channel("announcements")
    result = await community.admin.slash(
        community.general, "setup channel", purpose="announcements", channel=channel
    )
    assert "Announcements channel set" in result.response.content, result.response.content
    return channel


async def set_timezone(community: Community, actor: MemberActor, zone: str) -> None:
    result = await actor.slash(community.general, "profile set", timezone=zone)
    assert result.response.content.startswith("Profile saved"), result.response.content


async def compose(
    community: Community,
    actor: MemberActor | None = None,
    wording: dict[str, str] | None = None,
    **options: Any,
) -> Any:
    """Run /announce post and fill in the form; return the form's result (the preview)."""
    actor = actor or community.coordinator
    shown = await actor.slash(community.general, "announce post", **options)
    assert shown.modal is not None, shown.response and shown.response.content
    return await actor.submit_modal(shown, wording or WORDING)


async def press_post(community: Community, preview: Any, actor: MemberActor | None = None) -> str:
    """Press Post on a preview; return what the coordinator is told."""
    result = await (actor or community.coordinator).click(preview.response, label="Post")
    return reply_text(result)


def reply_text(result: Any) -> str:
    """The text of an answer: the updated preview, or a follow-up (errors after a defer)."""
    messages = [message for message in [*result.followups, result.response] if message is not None]
    return "\n".join(message.content for message in messages if message.content)


def form_fields(result: Any) -> dict[str, dict[str, Any]]:
    """The modal's text inputs by custom_id (label, max_length, and the filled-in value)."""
    return {field["custom_id"]: field for row in result.modal["components"] for field in row["components"]}


def posts(channel: ChannelHandle) -> list[discord.Message]:
    """What members see in the channel, oldest first."""
    return channel.history()


def stored(community: Community, message: discord.Message) -> Any:
    """SimCord's record of a message: whom it pinged, what it allowed, whether it was published."""
    return community.env.backend.get_message(message.channel.id, message.id)


def published(community: Community, message: discord.Message) -> bool:
    """Whether the post was published to following servers (SimCord records it as a flag)."""
    return bool(stored(community, message).flags & community.env.backend.CROSSPOSTED_FLAG)


async def all_rows(community: Community) -> list[Announcement]:
    rows = await community.bot.database.fetch_all("SELECT id, guild_id FROM announcements ORDER BY id")
    found = [await announcements.get(community.bot.database, row["guild_id"], row["id"]) for row in rows]
    return [item for item in found if item is not None]


async def only_row(community: Community) -> Announcement:
    rows = await all_rows(community)
    assert len(rows) == 1, rows
    return rows[0]


async def count(community: Community) -> int:
    return await community.bot.database.fetch_value("SELECT COUNT(*) FROM announcements")


async def tick(community: Community, **advance: float) -> None:
    """Move the clock on and run the scheduler's due work, as the periodic tick would."""
    await community.bot.scheduler.run_due(community.clock.advance(**advance))


async def schedule_in_an_hour(community: Community) -> ChannelHandle:
    """An announcements channel with one announcement scheduled an hour from now."""
    channel = await announcements_channel(community)
    preview = await compose(community, when="in 1 hour")
    assert (await press_post(community, preview)).startswith("Scheduled **#1**")
    return channel


async def stop_recording(community: Community) -> None:
    """From now on the bot can claim a post but not record how it went, as if it stopped right there."""
    await community.bot.database.run_script(
        "CREATE TRIGGER frozen BEFORE UPDATE ON announcements WHEN NEW.state != 'posting'"
        " BEGIN SELECT RAISE(ABORT, 'the bot stopped'); END;"
    )


async def restart_and_recover(community: Community) -> None:
    """Start again after the stop: the database works again and the tick runs twice."""
    await community.restart()
    await community.bot.database.run_script("DROP TRIGGER frozen;")
    await tick(community, minutes=1)
    await tick(community, minutes=1)
