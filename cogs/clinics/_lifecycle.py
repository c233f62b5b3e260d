"""Resolving, reopening, crediting and keeping a clinic open: shared by the commands and the button."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from cogs.clinics import _forms as forms
from cogs.clinics._channel import find_thread, set_archived
from cogs.clinics._render import closing_embed
from core.errors import PermissionDenied, UserError
from core.permissions import Level, level_of
from core.replies import NO_MENTIONS, respond
from core.ui import FormModal
from db import clinics
from db.clinics import Clinic, ClinicStatus

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

NOT_OPEN = {
    ClinicStatus.RESOLVED: "This clinic is resolved already. Run `/clinic reopen` here to continue it.",
    ClinicStatus.DORMANT: "This clinic is dormant. Run `/clinic reopen` here to continue it.",
}


async def clinic_here(bot: PartnershipsBot, interaction: discord.Interaction, command: str) -> Clinic:
    """The clinic whose thread the command runs in."""
    clinic = await clinics.by_thread(bot.database, interaction.channel_id or 0)
    if clinic is None:
        raise UserError(f"Run `/clinic {command}` inside the clinic's own thread, in the clinics channel.")
    return clinic


async def ensure_asker_or_coordinator(interaction: discord.Interaction, clinic: Clinic, doing: str) -> None:
    if interaction.user.id == clinic.asker_id or await level_of(interaction) >= Level.COORDINATOR:
        return
    raise PermissionDenied(f"Only the member who opened this clinic, or a coordinator, can {doing}.")


async def ask_for_lesson(bot: PartnershipsBot, interaction: discord.Interaction, clinic: Clinic) -> None:
    """Open the "what worked?" form; submitting it resolves the clinic."""
    await ensure_asker_or_coordinator(interaction, clinic, "resolve it")
    if clinic.status is ClinicStatus.RESOLVED:
        raise UserError(NOT_OPEN[ClinicStatus.RESOLVED])

    async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
        await finish_resolve(bot, submitted, clinic.id, form)

    await interaction.response.send_modal(
        FormModal(title="What worked?", fields=forms.lesson_fields(), finish=finish)
    )


async def finish_resolve(
    bot: PartnershipsBot, interaction: discord.Interaction, clinic_id: int, form: dict[str, str]
) -> None:
    """Keep the lesson, post the closing summary, then archive and lock the thread."""
    lesson = forms.lesson(form)
    resolved = await clinics.resolve(
        bot.database, clinic_id, lesson=lesson.text, tags=lesson.tags, by=interaction.user.id, at=bot.clock()
    )
    if resolved is None:
        raise UserError("This clinic was resolved in the meantime; nothing was changed.")
    helpers = await clinics.credited_helpers(bot.database, clinic_id)
    await respond(interaction, embed=closing_embed(resolved, helpers, interaction.user.id), ephemeral=False)
    assert interaction.guild is not None
    thread = await find_thread(bot, interaction.guild, resolved.thread_id)
    if thread is None or not await set_archived(thread, archived=True, locked=True):
        await respond(
            interaction,
            "The lesson is saved, but I couldn't archive and lock this thread: I need the Manage Threads "
            "permission here.",
        )


async def keep_open(bot: PartnershipsBot, interaction: discord.Interaction, clinic_id: int) -> None:
    """The asker answered "keep open": the idle clock starts again."""
    clinic = await clinics.get(bot.database, clinic_id)
    if clinic is None:
        raise UserError("This clinic no longer exists.")
    await ensure_asker_or_coordinator(interaction, clinic, "answer this")
    if not clinic.is_open or not await clinics.keep_open(bot.database, clinic_id, at=bot.clock()):
        raise UserError(NOT_OPEN.get(clinic.status, "This clinic isn't open."))
    await interaction.response.edit_message(
        content=f"Kept open by {interaction.user.mention}. I'll ask again after another quiet week.",
        view=None,
        allowed_mentions=NO_MENTIONS,
    )


async def resolve_from_button(bot: PartnershipsBot, interaction: discord.Interaction, clinic_id: int) -> None:
    clinic = await clinics.get(bot.database, clinic_id)
    if clinic is None:
        raise UserError("This clinic no longer exists.")
    await ask_for_lesson(bot, interaction, clinic)
