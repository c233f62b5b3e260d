"""Opening a clinic: the thread with its pinned intake, the record, then the suggested experts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from cogs.clinics import _forms as forms
from cogs.clinics import _render as render
from cogs.clinics._channel import (
    TagChoice,
    add_member_quietly,
    clinics_channel,
    delete_quietly,
    forum_tag,
    start_thread,
)
from cogs.clinics._suggest import pinged
from cogs.clinics._suggestions import post_suggestions, suggestions_for
from core.replies import respond
from db import clinics
from db.areas import Area
from db.clinics import ClinicDraft
from db.partnerships import Partnership

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)


async def open_clinic(
    bot: PartnershipsBot,
    interaction: discord.Interaction,
    topic: str,
    area: Area,
    partnership: Partnership | None,
    form: dict[str, str],
) -> None:
    """Create the thread with the pinned intake, write the record, then suggest experts."""
    assert interaction.guild is not None
    guild, asker_id = interaction.guild, interaction.user.id
    intake = forms.intake(form)
    channel = await clinics_channel(bot, guild)
    await interaction.response.defer(ephemeral=True, thinking=True)
    now = bot.clock()
    suggestions = await suggestions_for(
        bot,
        guild,
        area,
        f"{topic} {intake.help_needed} {intake.situation}",
        asker_id=asker_id,
        now=now,
    )
    tag = (
        await forum_tag(channel, area) if isinstance(channel, discord.ForumChannel) else TagChoice(None, None)
    )
    thread, message = await start_thread(
        channel,
        topic=topic,
        content=render.intake_content(asker_id),
        embed=render.intake_embed(topic, intake, area, partnership, asker_id),
        tag=tag.tag,
    )
    draft = ClinicDraft(
        guild_id=guild.id,
        channel_id=channel.id,
        thread_id=thread.id,
        intake_message_id=message.id,
        asker_id=asker_id,
        topic=topic,
        area=area.slug,
        partnership_id=partnership.id if partnership else None,
        situation=intake.situation,
        tried=intake.tried,
        help_needed=intake.help_needed,
    )
    try:
        clinic = await clinics.create(bot.database, draft, pinged=pinged(suggestions), at=now)
    except BaseException:
        await delete_quietly(thread)
        raise
    log.info("clinic opened clinic=%s guild=%s thread=%s asker=%s", clinic.id, guild.id, thread.id, asker_id)
    await add_member_quietly(thread, asker_id)
    await post_suggestions(bot, thread, suggestions, area, again=False)
    await respond(interaction, render.opened_text(thread.id, suggestions, tag.note))
