"""/partnership register: options first, then a form for the long fields."""

from __future__ import annotations

from dataclasses import replace

import discord
from discord import app_commands

from cogs.partnerships import _validate as validate
from cogs.partnerships._base import PartnershipCommands, guild_of, project_choices
from cogs.partnerships._choices import (
    CADENCE_CHOICES,
    STAGE_CHOICES,
    TYPE_CHOICES,
    VISIBILITY_CHOICES,
    goal_choices,
)
from cogs.partnerships._forms import register_fields
from cogs.partnerships._group import group
from cogs.partnerships._render import partnership_embed
from core.replies import respond
from core.ui import FormModal
from core.vocabulary import Cadence, PartnerType, Stage, Visibility, default_cadence, scope_for
from db import partnerships
from db.partnerships import PartnershipDraft


class RegisterCommands(PartnershipCommands):
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
        projects="Wikimedia projects involved, comma-separated (e.g. Commons, Wikidata)",
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
        projects: str | None = None,
    ) -> None:
        partner_name = validate.required_text(partner, field="Partner name", limit=validate.PARTNER_NAME_MAX)
        partner_type = PartnerType(type.value)
        chosen_stage = Stage(stage.value)
        draft = PartnershipDraft(
            guild_id=guild_of(interaction),
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
            projects=validate.parse_projects(projects),
        )
        if await partnerships.owner_has_partner(
            self.bot.database, draft.guild_id, draft.owner_id, partner_name
        ):
            raise validate.duplicate_error(partner_name)

        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            await self.finish_register(submitted, draft, form)

        form = FormModal(
            title="Describe the partnership", fields=register_fields(partner_name), finish=finish
        )
        await interaction.response.send_modal(form)

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

    @register.autocomplete("areas")
    async def register_areas_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.area_choices(current)

    @register.autocomplete("projects")
    async def register_projects_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return project_choices(current)

    @register.autocomplete("goals")
    async def register_goals_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return goal_choices(current)
