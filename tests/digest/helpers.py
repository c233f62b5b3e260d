"""Shared steps for the digest tests: a digest channel, ticks at simulated times, seeding.

Check-in rows are written with plain SQL in ``add_checkin`` — here and nowhere else — because the
check-ins feature is being built alongside; once it exists, replace that one function.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from core.clock import to_storage
from tests.conftest import Community, tick  # noqa: F401 (tick: re-exported)

# The first digest slot after the fixture's start (Friday 20 November 2026, 12:00 UTC):
# Tuesday 24 November 2026, 08:00 in New York (EST) = 13:00 UTC.
FIRST_SLOT = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


async def digest_channel(
    community: Community,
    name: str = "coordinators",
    *,
    private: bool = True,
    also_visible_to: tuple[Any, ...] = (),
) -> ChannelHandle:
    """A text channel set as the digest channel. Private: only coordinators, admins and the bot see
    it, and whoever is in ``also_visible_to`` (roles or members, each by an overwrite)."""
    overwrites: dict[Any, discord.PermissionOverwrite] = {}
    if private:
        allowed = discord.PermissionOverwrite(view_channel=True)
        overwrites = {
            community.guild.default_role: discord.PermissionOverwrite(view_channel=False),
            community.coordinator_role: allowed,
            community.guild.roles["Admins"]: allowed,
            community.guild.me: allowed,
            **dict.fromkeys(also_visible_to, allowed),
        }
    channel = community.guild.create_text_channel(name, overwrites=overwrites)
    result = await community.admin.slash(
        community.general, "setup channel", purpose="digest", channel=channel
    )
    assert "Coordinator digest channel set" in result.response.content, result.response.content
    return channel


def digests_in(community: Community, channel: ChannelHandle) -> list[discord.Message]:
    """The digests the bot posted in ``channel``, oldest first."""
    return [message for message in channel.history() if message.author.id == community.bot.user.id]


def fields_of(message: discord.Message) -> dict[str, str]:
    (embed,) = message.embeds
    return {field.name: field.value for field in embed.fields}  # type: ignore[misc]


def pinged(community: Community, message: discord.Message) -> list[int]:
    """Whom SimCord recorded the message as notifying."""
    return list(community.env.backend.get_message(message.channel.id, message.id).ping_user_ids)


def button_labels(message: discord.Message) -> list[str]:
    return [child.label for row in message.components for child in row.children]  # type: ignore[union-attr]


async def digest_rows(community: Community) -> list[tuple[str, bool]]:
    rows = await community.bot.database.fetch_all("SELECT week_of, sent_at FROM digests ORDER BY week_of")
    return [(row["week_of"], row["sent_at"] is not None) for row in rows]


async def add_checkin(
    community: Community,
    partnership_id: int,
    *,
    state: str,
    due_at: datetime,
    sent_at: datetime | None = None,
    reminded_at: datetime | None = None,
    closed_at: datetime | None = None,
) -> int:
    """A check-in row as the check-ins feature writes it (see the module docstring)."""
    owner = await community.bot.database.fetch_value(
        "SELECT owner_id FROM partnerships WHERE id = ?", (partnership_id,)
    )
    async with community.bot.database.transaction() as tx:
        return await tx.execute(
            "INSERT INTO checkins (partnership_id, guild_id, recipient_id, reason, due_at, claimed_at, state,"
            " sent_at, delivery, reminded_at, closed_at) VALUES (?, ?, ?, 'cadence', ?, ?, ?, ?, ?, ?, ?)",
            (
                partnership_id,
                community.guild.id,
                owner,
                to_storage(due_at),
                to_storage(due_at),
                state,
                to_storage(sent_at) if sent_at else None,
                "dm" if sent_at else None,
                to_storage(reminded_at) if reminded_at else None,
                to_storage(closed_at) if closed_at else None,
            ),
        )


IMPORT_DEFAULTS = {"partner_type": "museum", "goals": "content", "stage": "active", "visibility": "public"}


async def import_partnerships(community: Community, rows: list[dict[str, Any]]) -> None:
    """Create partnerships through `/partnership import` (the one command that sets health).

    Each row needs ``partner_name`` and ``owner_id`` (empty: orphaned); the rest has defaults.
    """
    columns = list(dict.fromkeys([*IMPORT_DEFAULTS, *(key for row in rows for key in row)]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**IMPORT_DEFAULTS, **row})
    shown = await community.coordinator.slash(
        community.general, "partnership import", file=("partners.csv", buffer.getvalue().encode())
    )
    assert shown.response.embeds, shown.response.content
    preview = shown.response.embeds[0].description
    assert preview.startswith(f"**{len(rows)} row"), preview
    done = await community.coordinator.click(shown.response, label="Confirm")
    assert done.response.content.startswith(f"Imported {len(rows)} partnership"), done.response.content


async def register(community: Community, actor: MemberActor, partner: str, **options: Any) -> int:
    """`/partnership register` with the form submitted; returns the new record's id."""
    shown = await actor.slash(
        community.general,
        "partnership register",
        partner=partner,
        type=options.pop("type", "museum"),
        stage=options.pop("stage", "active"),
        goals=options.pop("goals", "content"),
        **options,
    )
    assert shown.modal is not None, shown.response and shown.response.content
    await actor.submit_modal(shown, {"description": f"Working with {partner}"})
    return await community.bot.database.fetch_value("SELECT max(id) FROM partnerships")
