"""How an announcement looks (one function for the preview and the real post), and the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from core.clock import discord_timestamp
from core.text import pack_lines, shorten
from core.when import Repeat
from db.announcements import Announcement, Cancellable, State

COLOUR = discord.Colour.blurple()
LIST_PAGE_CHARS = 3500
NOBODY = "the coordinators"  # the footer's author once the coordinator left or was forgotten


@dataclass(frozen=True)
class Outgoing:
    """Everything sent: the role mention in the content (so it pings), the words in the embed."""

    content: str | None
    embed: discord.Embed
    allowed_mentions: discord.AllowedMentions


def mentions_for(role_id: int | None) -> discord.AllowedMentions:
    """Exactly the chosen role may be pinged: never @everyone, @here, users or other roles."""
    if role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False
    )


def announcement(
    title: str, body: str, *, role_id: int | None, author_name: str | None, moment: datetime
) -> Outgoing:
    """The announcement message. ``moment`` is its slot, shown in the footer (and used to find
    the post again after a crash)."""
    embed = discord.Embed(title=title, description=body, colour=COLOUR, timestamp=moment)
    embed.set_footer(text=f"Posted by {author_name or NOBODY}")
    return Outgoing(
        content=f"<@&{role_id}>" if role_id is not None else None,
        embed=embed,
        allowed_mentions=mentions_for(role_id),
    )


def repeat_phrase(repeat: Repeat, anchor: datetime) -> str:
    """ "every Monday at 18:00 (Europe/Berlin)", from the series' first slot in its timezone."""
    at = f"at {anchor:%H:%M} ({anchor.tzinfo})"
    if repeat is Repeat.WEEKLY:
        return f"every {anchor:%A} {at}"
    if repeat is Repeat.MONTHLY:
        if anchor.day > 28:
            return f"monthly on day {anchor.day} (or the month's last day) {at}"
        return f"monthly on day {anchor.day} {at}"
    return "once"


def when_line(due_at: datetime | None) -> str:
    if due_at is None:
        return "right away, when you press **Post**"
    return f"{discord_timestamp(due_at, 'F')} ({discord_timestamp(due_at, 'R')})"


def preview_notes(
    *,
    channel: discord.TextChannel,
    role: discord.Role | None,
    due_at: datetime | None,
    repeat: Repeat,
    zone: ZoneInfo,
) -> discord.Embed:
    """The second embed of the preview: where, when and whom, around the exact announcement above it."""
    lines = [f"**Where:** {channel.mention}", f"**When:** {when_line(due_at)}"]
    if due_at is not None and repeat is not Repeat.NONE:
        lines.append(f"**Repeats:** {repeat_phrase(repeat, due_at.astimezone(zone))}")
    lines.append(f"**Pings:** {role.mention} and nobody else" if role else "**Pings:** nobody")
    if channel.is_news():
        lines.append("It is an announcement channel: I'll publish the post to following servers.")
    embed = discord.Embed(
        title="Preview: only you can see this",
        description="\n".join(lines),
        colour=discord.Colour.light_grey(),
    )
    embed.set_footer(text="Post sends or schedules it as shown above · Edit changes the words")
    return embed


def _upcoming_line(item: Announcement) -> str:
    parts = [
        f"**#{item.id}** · {shorten(item.title, 80)}",
        f"{discord_timestamp(item.due_at, 'F')} ({discord_timestamp(item.due_at, 'R')})",
        item.repeat.value if item.repeat is not Repeat.NONE else "once",
        f"<#{item.channel_id}>",
    ]
    if item.role_id is not None:
        parts.append(f"<@&{item.role_id}>")
    if item.state is State.POSTING:
        parts.append("being posted now")
    elif item.posted_at is not None:
        parts.append(f"last posted {discord_timestamp(item.posted_at, 'R')}")
    return " · ".join(parts)


def _recent_line(item: Announcement) -> str:
    head = f"**#{item.id}** · {shorten(item.title, 80)} · <#{item.channel_id}>"
    if item.state is State.FAILED:
        return f"❌ {head} · failed {discord_timestamp(item.updated_at, 'R')}: {item.failure}"
    if item.state is State.CANCELLED:
        return f"🚫 {head} · cancelled {discord_timestamp(item.updated_at, 'R')}"
    link = ""
    if item.message_id is not None:
        link = f" · https://discord.com/channels/{item.guild_id}/{item.channel_id}/{item.message_id}"
    posted = discord_timestamp(item.posted_at or item.updated_at, "R")
    note = f" · {item.note}" if item.note else ""
    return f"✅ {head} · posted {posted}{link}{note}"


def list_pages(upcoming: list[Announcement], recent: list[Announcement]) -> list[str]:
    """/announce list as pages of text: upcoming ones first, then the recent ones."""
    lines = ["**Upcoming**"]
    lines += [_upcoming_line(item) for item in upcoming] or ["Nothing scheduled. Use `/announce post`."]
    lines += ["", "**Recent**"]
    lines += [_recent_line(item) for item in recent] or ["Nothing posted, cancelled or failed yet."]
    return list(pack_lines(lines, LIST_PAGE_CHARS))


def list_embed(pages: list[str], page: int) -> discord.Embed:
    embed = discord.Embed(title="Announcements", description=pages[page], colour=COLOUR)
    embed.set_footer(text="Cancel one with /announce cancel · failed ones can be fixed and posted again")
    return embed


def cancel_choice_name(item: Cancellable, zone: ZoneInfo) -> str:
    """An autocomplete entry: "#12 · Title · Mon 23 Nov 18:00" (plain text: no timestamps there)."""
    when = f"{item.due_at.astimezone(zone):%a %d %b %H:%M}"
    return shorten(f"#{item.id} · {item.title}", 100 - len(when) - 3) + f" · {when}"
