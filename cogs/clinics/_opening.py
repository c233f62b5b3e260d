"""Opening a clinic: the thread with its pinned intake, the record, then the suggested experts."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

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
from cogs.partnerships._access import viewer_for
from core.errors import UserError
from core.replies import respond
from core.text import shorten
from core.ui import BaseView, FormModal, guarded
from db import areas, clinics, partnerships
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
    *,
    guild: discord.Guild | None = None,
) -> None:
    """Create the thread with the pinned intake, write the record, then suggest experts.

    ``guild`` is for a clinic opened from a direct message (a check-in's "Open a clinic").
    """
    guild = guild or interaction.guild
    assert guild is not None
    asker_id = interaction.user.id
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


async def open_clinic_form(
    bot: PartnershipsBot,
    interaction: discord.Interaction,
    guild: discord.Guild,
    partnership: Partnership | None,
    topic: str | None,
) -> None:
    """``/clinic open`` from a button: one form that also asks the topic and area (prefilled)."""
    await clinics_channel(bot, guild)  # before the form, so nobody fills it in vain
    taxonomy = await areas.all_areas(bot.database)
    slugs = partnership.areas if partnership else ()
    area_default = next((area.label for area in taxonomy if area.slug in slugs), None)

    async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
        chosen = forms.area(form.get("area", ""), taxonomy)
        await open_clinic(
            bot, submitted, forms.topic(form.get("topic", "")), chosen, partnership, form, guild=guild
        )

    await interaction.response.send_modal(
        FormModal(
            title="Your clinic: what's going on?",
            fields=forms.opening_fields(shorten(topic, forms.TOPIC_MAX) if topic else None, area_default),
            finish=finish,
        )
    )


class OpenClinicButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"clinic:open:(?P<guild_id>[0-9]*):(?P<partnership_id>[0-9]*):(?P<topic>.*)",
):
    """The "Open a clinic" button, where someone is stuck (a check-in answer, an empty ``/expertise who``).

    A dynamic item: it works on old messages after a restart, and in direct messages (where the
    guild comes from the custom_id). The clicker must be able to see the partnership.
    """

    def __init__(self, guild_id: int | None, partnership_id: int | None, topic: str = "") -> None:
        custom_id = f"clinic:open:{guild_id or ''}:{partnership_id or ''}:{topic}"[:100]
        super().__init__(
            discord.ui.Button(
                label="Open a clinic", emoji="🩺", style=discord.ButtonStyle.primary, custom_id=custom_id
            )
        )
        self.guild_id = guild_id
        self.partnership_id = partnership_id
        self.topic = topic

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> OpenClinicButton:
        return cls(
            int(match["guild_id"] or 0) or None, int(match["partnership_id"] or 0) or None, match["topic"]
        )

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        guild = bot.get_guild(self.guild_id) if self.guild_id else interaction.guild
        if guild is None or guild.get_member(interaction.user.id) is None:
            raise UserError("Clinics belong to a server you're a member of; run `/clinic open` there.")
        partnership = None
        if self.partnership_id is not None:
            viewer = await viewer_for(interaction)
            partnership = await partnerships.get_visible(bot.database, guild.id, self.partnership_id, viewer)
            if partnership is None:
                raise UserError("That partnership is no longer available to you; use `/clinic open`.")
        await open_clinic_form(bot, interaction, guild, partnership, self.topic or None)


def open_clinic_view(guild_id: int | None, partnership_id: int | None = None, topic: str = "") -> BaseView:
    view = BaseView(timeout=None)
    view.add_item(OpenClinicButton(guild_id, partnership_id, topic))
    return view
