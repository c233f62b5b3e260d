"""/partnership: register and read partnership records."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.partnerships import _validate as validate
from cogs.partnerships._access import viewer_for, visible_partnership
from cogs.partnerships._forms import RegisterModal
from cogs.partnerships._render import choice_label, partnership_embed
from core.permissions import command_group
from core.replies import respond
from core.vocabulary import (
    PARTNER_TYPE_LABELS,
    STAGE_LABELS,
    Cadence,
    PartnerType,
    Stage,
    Visibility,
    default_cadence,
    scope_for,
)
from db import areas, partnerships
from db.partnerships import PartnershipDraft

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

TYPE_CHOICES = [
    app_commands.Choice(name=label, value=kind.value) for kind, label in PARTNER_TYPE_LABELS.items()
]
STAGE_CHOICES = [app_commands.Choice(name=label, value=stage.value) for stage, label in STAGE_LABELS.items()]
VISIBILITY_CHOICES = [
    app_commands.Choice(name="Public: everyone in the server can read it", value=Visibility.PUBLIC.value),
    app_commands.Choice(
        name="Confidential: only owners and coordinators", value=Visibility.CONFIDENTIAL.value
    ),
]
CADENCE_CHOICES = [app_commands.Choice(name=cadence.value, value=cadence.value) for cadence in Cadence]
GOAL_SUGGESTIONS = [
    "content",
    "funding",
    "advocacy",
    "content, funding",
    "content, advocacy",
    "funding, advocacy",
    "content, funding, advocacy",
]


class PartnershipsCog(commands.Cog):
    group = command_group("partnership", "The community's register of partnerships")

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    async def taxonomy(self) -> dict[str, areas.Area]:
        return {area.slug: area for area in await areas.all_areas(self.bot.database)}

    # ------------------------------------------------------------------ register
    @group.command(name="register", description="Register a partnership you run (a form follows)")
    @app_commands.describe(
        partner=f"The partner organisation (up to {validate.PARTNER_NAME_MAX} characters)",
        type="What kind of organisation the partner is",
        stage="Where the partnership stands now",
        goals="One or more of content, funding, advocacy (comma-separated)",
        visibility="Public, or confidential (owners and coordinators only)",
        areas="Areas, comma-separated (from the list, or your own words)",
        region=f"Region or country (up to {validate.REGION_MAX} characters)",
        start="Start date, YYYY-MM-DD",
        cadence="How often you'd like a check-in (default: monthly when active)",
    )
    @app_commands.choices(
        type=TYPE_CHOICES, stage=STAGE_CHOICES, visibility=VISIBILITY_CHOICES, cadence=CADENCE_CHOICES
    )
    async def register(
        self,
        interaction: discord.Interaction,
        partner: str,
        type: app_commands.Choice[str],
        stage: app_commands.Choice[str],
        goals: str,
        visibility: app_commands.Choice[str] | None = None,
        areas: str | None = None,
        region: str | None = None,
        start: str | None = None,
        cadence: app_commands.Choice[str] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        partner_name = validate.text(
            partner, field="Partner name", limit=validate.PARTNER_NAME_MAX, required=True
        )
        assert partner_name is not None
        partner_type = PartnerType(type.value)
        chosen_stage = Stage(stage.value)
        draft = PartnershipDraft(
            guild_id=interaction.guild_id,
            partner_name=partner_name,
            partner_type=partner_type,
            goals=validate.parse_goals(goals),
            stage=chosen_stage,
            visibility=Visibility(visibility.value) if visibility else Visibility.PUBLIC,
            owner_id=interaction.user.id,
            cadence=Cadence(cadence.value) if cadence else default_cadence(chosen_stage),
            scope=scope_for(partner_type),
            areas=validate.parse_areas(areas, (await self.taxonomy()).values()),
            region=validate.text(region, field="Region", limit=validate.REGION_MAX),
            start_date=validate.parse_date(start, field="Start date"),
        )
        if await partnerships.owner_has_partner(
            self.bot.database, draft.guild_id, draft.owner_id, partner_name
        ):
            raise validate.duplicate_error(partner_name)
        await interaction.response.send_modal(RegisterModal(self, draft))

    async def finish_register(
        self, interaction: discord.Interaction, draft: PartnershipDraft, form: dict[str, str]
    ) -> None:
        """Called by the form: validate the long fields, write everything at once, show the record."""
        end = validate.parse_date(form.get("end"), field="End date")
        validate.date_order(draft.start_date, end)
        draft = replace(
            draft,
            name=validate.text(form.get("name"), field="Partnership name", limit=validate.NAME_MAX),
            description=validate.text(
                form.get("description"), field="Description", limit=validate.DESCRIPTION_MAX
            )
            or "",
            meta_url=validate.parse_url(form.get("meta_url"), field="Meta-Wiki page"),
            agreement_url=validate.parse_url(form.get("agreement_url"), field="Agreement document"),
            end_date=end,
        )
        try:
            created = await partnerships.create(self.bot.database, draft, at=self.bot.clock())
        except partnerships.DuplicatePartnership:
            raise validate.duplicate_error(draft.partner_name) from None
        detail = await partnerships.detail(self.bot.database, created)
        await respond(
            interaction,
            f"Registered **{created.name}** (#{created.id}). Keep it current with `/partnership log`.",
            embed=partnership_embed(detail, await self.taxonomy()),
        )

    # ---------------------------------------------------------------------- show
    @group.command(name="show", description="Show one partnership: stage, owners, health, targets, timeline")
    @app_commands.describe(partnership="The partnership (start typing its name)")
    async def show(self, interaction: discord.Interaction, partnership: str) -> None:
        assert interaction.guild_id is not None
        viewer = await viewer_for(interaction)
        record = await visible_partnership(self.bot.database, interaction.guild_id, viewer, partnership)
        detail = await partnerships.detail(self.bot.database, record)
        await respond(interaction, embed=partnership_embed(detail, await self.taxonomy()))

    # -------------------------------------------------------------- autocomplete
    @show.autocomplete("partnership")
    async def partnership_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        viewer = await viewer_for(interaction)
        found = await partnerships.autocomplete(self.bot.database, interaction.guild_id, viewer, current)
        return [app_commands.Choice(name=choice_label(record), value=str(record.id)) for record in found[:25]]

    @register.autocomplete("areas")
    async def areas_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        done, _, typing = current.rpartition(",")
        prefix = f"{done.strip()}, " if done.strip() else ""
        word = typing.strip().casefold()
        options = []
        for area in (await self.taxonomy()).values():
            if not word or word in area.label.casefold() or any(word in synonym for synonym in area.synonyms):
                options.append(
                    app_commands.Choice(name=(prefix + area.label)[:100], value=(prefix + area.label)[:100])
                )
        return options[:25]

    @register.autocomplete("goals")
    async def goals_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        word = current.strip().casefold()
        return [
            app_commands.Choice(name=option, value=option) for option in GOAL_SUGGESTIONS if word in option
        ][:25]
