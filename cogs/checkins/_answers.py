"""Answering a check-in, from a prompt's buttons or ``/checkin now``: the form and the write-back.

The write-back is one recorded change (``db.partnership_changes.change``): the check-in, the
partnership's health, last check-in, target progress and next follow-up, the timeline entry and
the search document commit together, and the next prompt is rescheduled in the same step.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord

from cogs.checkins import _form as form_fields
from cogs.checkins import _render as render
from cogs.clinics._opening import open_clinic_view
from core.checkin_calendar import snoozed_until
from core.errors import PermissionDenied, UserError
from core.replies import NO_MENTIONS, respond
from core.text import shorten
from core.ui import FormModal
from core.vocabulary import Health
from db import checkins, partnerships, profiles
from db import partnership_changes as changes
from db.checkins import Answer, Checkin, CheckinClosed
from db.partnerships import Partnership

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

GONE = "This check-in no longer exists: its partnership was removed."


async def member_zone(bot: PartnershipsBot, guild_id: int, user_id: int) -> ZoneInfo:
    """The member's timezone from their profile, or the configured default."""
    profile = await profiles.get(bot.database, guild_id, user_id)
    return profile.zone_or(bot.config.timezone) if profile else bot.config.timezone


def ensure_owner(user_id: int, record: Partnership) -> None:
    """Check-ins are answered by the partnership's owner and co-owners, nobody else."""
    if user_id not in record.owner_ids:
        raise PermissionDenied(
            f"Only the owner and co-owners of “{shorten(record.name, 80)}” can answer its check-ins."
        )


async def open_checkin(
    bot: PartnershipsBot, interaction: discord.Interaction, checkin_id: int
) -> tuple[Checkin, Partnership]:
    """The prompt a button belongs to, if the clicker may answer it and it is still open."""
    checkin = await checkins.get(bot.database, checkin_id)
    if checkin is None:
        raise UserError(GONE)
    record = await partnerships.get(bot.database, checkin.guild_id, checkin.partnership_id)
    if record is None:
        raise UserError(GONE)
    ensure_owner(interaction.user.id, record)
    if not checkin.is_open:
        raise UserError(render.closed_message(checkin))
    return checkin, record


def disabled_copy(message: discord.Message | None) -> discord.ui.View | None:
    """The message's buttons, greyed out: the prompt stays readable, its answer recorded."""
    if message is None:
        return None
    view = discord.ui.View.from_message(message, timeout=None)
    for item in view.children:
        if isinstance(item, discord.ui.Button):
            item.disabled = True
    # Only its look is sent: stopped, discord.py doesn't keep it among the live views for good
    # (one more with every answered prompt, for as long as the bot runs).
    view.stop()
    return view


async def open_form(
    bot: PartnershipsBot,
    interaction: discord.Interaction,
    record: Partnership,
    health: Health,
    *,
    checkin_id: int | None,
) -> None:
    """Open the check-in form for ``health``; ``checkin_id`` None records a manual check-in."""
    detail = await partnerships.detail(bot.database, record, timeline_limit=0)

    async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
        await _write_back(bot, submitted, record.guild_id, record.id, health, form, checkin_id=checkin_id)

    title = shorten(f"{render.STATUS_NAMES[health]}: {record.name}", 45)
    fields = form_fields.answer_fields(detail, bot.clock().date())
    await interaction.response.send_modal(FormModal(title=title, fields=fields, finish=finish))


async def _write_back(
    bot: PartnershipsBot,
    interaction: discord.Interaction,
    guild_id: int,
    partnership_id: int,
    health: Health,
    form: dict[str, str],
    *,
    checkin_id: int | None,
) -> None:
    record = await partnerships.get(bot.database, guild_id, partnership_id)
    if record is None:
        raise UserError(GONE)
    ensure_owner(interaction.user.id, record)  # owners may have changed while the form was open
    detail = await partnerships.detail(bot.database, record, timeline_limit=0)
    answer = form_fields.parse_answer(form, health, detail.targets, bot.clock().date())
    now = bot.clock()
    try:
        async with changes.change(
            bot.database,
            record.id,
            at=now,
            author_id=interaction.user.id,
            kind="checkin",
            summary=render.timeline_summary(answer),
            note=answer.note,
        ) as tx:
            checkin_id = await checkins.record_answer(
                tx, record.id, guild_id, answer, checkin_id=checkin_id, by=interaction.user.id, at=now
            )
    except CheckinClosed:
        closed = await checkins.get(bot.database, checkin_id or 0)
        raise UserError(render.closed_message(closed) if closed else GONE) from None
    except sqlite3.IntegrityError:  # two manual check-ins within one second
        raise UserError("You checked in on this a moment ago; nothing new was written.") from None
    log.info(
        "checkin answered checkin=%s partnership=%s guild=%s by=%s health=%s",
        checkin_id,
        record.id,
        guild_id,
        interaction.user.id,
        health.value,
    )
    await _confirm(bot, interaction, record, answer, now)


async def _confirm(
    bot: PartnershipsBot, interaction: discord.Interaction, record: Partnership, answer: Answer, now: datetime
) -> None:
    """Show the answer on the prompt it came from, then thank, offering a clinic if it seems stuck."""
    if interaction.message is not None:
        await interaction.response.edit_message(
            content=render.answered_note(answer.health, interaction.user.id, now),
            view=disabled_copy(interaction.message),
            allowed_mentions=NO_MENTIONS,
        )
    offer = form_fields.needs_clinic(await checkins.recent_health(bot.database, record.id))
    due = await checkins.next_prompt(bot.database, record.id)
    topic = f"{record.name}: {render.STATUS_NAMES[answer.health].lower()}"
    await respond(
        interaction,
        render.thanks(record, answer, due, offer_clinic=offer),
        view=open_clinic_view(record.guild_id, record.id, topic) if offer else None,
    )


async def snooze(
    bot: PartnershipsBot, interaction: discord.Interaction, checkin: Checkin, record: Partnership
) -> None:
    """Close the prompt and ask again in a week, by the owner's clock."""
    now = bot.clock()
    zone = await member_zone(bot, record.guild_id, record.owner_id or interaction.user.id)
    try:
        due = await checkins.snooze(
            bot.database, checkin, by=interaction.user.id, until=snoozed_until(now, zone), now=now
        )
    except CheckinClosed:
        raise UserError("This check-in was answered in the meantime; nothing changed.") from None
    log.info("checkin snoozed checkin=%s partnership=%s by=%s", checkin.id, record.id, interaction.user.id)
    await interaction.response.edit_message(
        content=render.snoozed_note(interaction.user.id, due),
        view=disabled_copy(interaction.message),
        allowed_mentions=NO_MENTIONS,
    )


async def dismiss(bot: PartnershipsBot, interaction: discord.Interaction, checkin: Checkin) -> None:
    """ "Not now": close the prompt; the next regular prompt stands."""
    try:
        due = await checkins.dismiss(bot.database, checkin, by=interaction.user.id, now=bot.clock())
    except CheckinClosed:
        raise UserError("This check-in was answered in the meantime; nothing changed.") from None
    log.info("checkin dismissed checkin=%s partnership=%s", checkin.id, checkin.partnership_id)
    await interaction.response.edit_message(
        content=render.dismissed_note(interaction.user.id, due),
        view=disabled_copy(interaction.message),
        allowed_mentions=NO_MENTIONS,
    )
