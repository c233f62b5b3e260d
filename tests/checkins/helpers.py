"""Shared steps for the check-in tests: registering, ticking the scheduler, reading prompts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from cogs.checkins._sender import Sender
from tests.conftest import Community, tick  # noqa: F401 (tick: re-exported)

# The fixture starts on Friday 20 November 2026 at 12:00 UTC. A partnership registered then as
# active (monthly, owner without a profile: UTC, 09:00) is first due on Sunday 20 December.
FIRST_MONTHLY = datetime(2026, 12, 20, 9, tzinfo=UTC)
BUTTONS = ["On track", "Needs attention", "Stalled", "Snooze a week", "Not now"]


async def register(community: Community, actor: MemberActor, partner: str, **options: Any) -> int:
    """Register through /partnership register (active museum by default); return the new id."""
    chosen = {"partner": partner, "type": "museum", "stage": "active", "goals": "content", **options}
    shown = await actor.slash(community.general, "partnership register", **chosen)
    assert shown.modal is not None, shown.response and shown.response.content
    result = await actor.submit_modal(shown, {"description": f"Working with {partner}"})
    assert "Registered" in result.response.content, result.response.content
    return await community.bot.database.fetch_value("SELECT max(id) FROM partnerships")


def from_bot(community: Community, channel: ChannelHandle) -> list[discord.Message]:
    return [message for message in channel.history() if message.author.id == community.bot.user.id]


def dms(community: Community, actor: MemberActor) -> list[discord.Message]:
    """What the bot sent the member by direct message, oldest first."""
    return from_bot(community, actor.user.dm_channel)


def labels(message: discord.Message) -> list[str]:
    return [child.label for row in message.components for child in row.children]  # type: ignore[union-attr]


def enabled(message: discord.Message) -> list[bool]:
    """Whether each button of the message can still be clicked."""
    return [not child.disabled for row in message.components for child in row.children]  # type: ignore[union-attr]


async def checkin_rows(community: Community) -> list[dict[str, Any]]:
    rows = await community.bot.database.fetch_all(
        "SELECT id, partnership_id, recipient_id, reason, due_at, late, state, delivery, answered_by,"
        " health, note, next_step FROM checkins ORDER BY id"
    )
    return [dict(row) for row in rows]


async def next_checkin(community: Community, partnership_id: int) -> tuple[str | None, str | None]:
    row = await community.bot.database.fetch_one(
        "SELECT next_checkin_at, next_checkin_reason FROM partnerships WHERE id = ?", (partnership_id,)
    )
    assert row is not None
    return row["next_checkin_at"], row["next_checkin_reason"]


async def checkins_channel(community: Community, name: str = "check-ins") -> ChannelHandle:
    channel = community.guild.create_text_channel(name)
    result = await community.admin.slash(
        community.general, "setup channel", purpose="checkins", channel=channel
    )
    assert "Check-ins fallback channel set" in result.response.content, result.response.content
    return channel


def refuse_dms(community: Community, actor: MemberActor, *, times: int | None = None) -> None:
    """The member doesn't accept direct messages from server members (Discord error 50007)."""
    community.env.inject_error(
        "POST",
        f"/channels/{actor.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=times,
    )


class FakeTime:
    """A pacer's clock and sleep that move only on paper: sleeping records the wait and moves on."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def sender(community: Community) -> Sender:
    cog = community.bot.get_cog("CheckinsCog")
    assert cog is not None
    return cog.sender  # type: ignore[attr-defined, no-any-return]
