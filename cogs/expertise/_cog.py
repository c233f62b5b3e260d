"""/expertise: declare what you know, and find who knows an area, with the evidence."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.expertise import _render as render
from cogs.expertise import _validate as validate
from cogs.expertise._areas import area_counts
from cogs.expertise._search import who as find_who
from cogs.expertise._terms import term_rows
from cogs.partnerships._access import viewer_for
from core.errors import UserError
from core.permissions import command_group
from core.replies import respond
from db import areas, expertise, profiles
from db.areas import Area
from db.expertise import ExpertiseLevel, PeopleFilter

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

LEVEL_CHOICES = [
    app_commands.Choice(name="Expert: I could teach it", value=ExpertiseLevel.EXPERT.value),
    app_commands.Choice(name="Practitioner: I have done it", value=ExpertiseLevel.PRACTITIONER.value),
    app_commands.Choice(name="Learning: I'm getting into it", value=ExpertiseLevel.LEARNING.value),
]
SWITCH_CHOICES = [
    app_commands.Choice(name="on: clinics may ping me", value="on"),
    app_commands.Choice(name="off: list me, but don't ping me", value="off"),
]
BY_CHOICES = [
    app_commands.Choice(name="people", value="people"),
    app_commands.Choice(name="affiliates (grouped by affiliation)", value="affiliates"),
]
SHOWN_PARTNERSHIPS = 40  # /expertise show lists at most this many, newest first


def guild_of(interaction: discord.Interaction) -> discord.Guild:
    assert interaction.guild is not None  # the group is guild-only
    return interaction.guild


class ExpertiseCog(commands.Cog):
    group = command_group("expertise", "Who knows what: list your areas, find people who know an area")

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # The taxonomy is loaded before the cogs, so its current words are what we index.
        await expertise.load_terms(self.bot.database, term_rows(await areas.all_areas(self.bot.database)))

    async def taxonomy(self) -> dict[str, Area]:
        return {area.slug: area for area in await areas.all_areas(self.bot.database)}

    # --- declaring ---------------------------------------------------------------------------

    @group.command(name="add", description="List an area you know and your level (again to update it)")
    @app_commands.describe(
        area="An area from the list, or your own words (up to 40 characters)",
        level="How well you know it",
        note=f"One line others will see, e.g. what you did (up to {validate.NOTE_MAX} characters)",
    )
    @app_commands.choices(level=LEVEL_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction,
        area: str,
        level: app_commands.Choice[str],
        note: str | None = None,
    ) -> None:
        guild = guild_of(interaction)
        taxonomy = await self.taxonomy()
        slug = validate.parse_area(area, list(taxonomy.values()))
        cleaned_note = validate.parse_note(note)
        chosen = ExpertiseLevel(level.value)
        try:
            created = await expertise.declare(
                self.bot.database,
                guild.id,
                interaction.user.id,
                slug,
                chosen,
                cleaned_note,
                at=self.bot.clock(),
                max_areas=validate.AREAS_MAX,
            )
        except expertise.TooManyAreas:
            raise UserError(
                f"You already list {validate.AREAS_MAX} areas, the most allowed. "
                "Remove one with `/expertise remove` first."
            ) from None
        log.info(
            "expertise %s guild=%s user=%s area=%s",
            "added" if created else "updated",
            guild.id,
            interaction.user.id,
            slug,
        )
        name = render.area_name(slug, taxonomy)
        verb = "Added" if created else "Updated"
        own = "" if slug in taxonomy else " (your own area: it isn't in the shared list)"
        await respond(
            interaction,
            f"{verb}: **{render.LEVEL_LABELS[chosen]}** in **{name}**{own}."
            " See your entry with `/expertise show`.",
        )

    @add.autocomplete("area")
    async def add_area_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.strip()
        word = typed.casefold()
        choices = [
            app_commands.Choice(name=area.label[:100], value=area.slug)
            for area in (await self.taxonomy()).values()
            if not word or word in area.label.casefold() or any(word in synonym for synonym in area.synonyms)
        ][:24]
        if typed and not any(choice.name.casefold() == word for choice in choices):
            choices.append(app_commands.Choice(name=f"“{typed}” (your own area)"[:100], value=typed[:100]))
        return choices

    @group.command(name="remove", description="Remove one of your areas")
    @app_commands.describe(area="One of the areas you listed")
    async def remove(self, interaction: discord.Interaction, area: str) -> None:
        guild = guild_of(interaction)
        taxonomy = await self.taxonomy()
        mine = await expertise.declarations(self.bot.database, guild.id, interaction.user.id)
        wanted = " ".join(area.casefold().split())
        stored = next(
            (
                item.area
                for item in mine
                if wanted in (item.area, render.area_name(item.area, taxonomy).casefold())
                or (item.area in taxonomy and taxonomy[item.area].matches(wanted))
            ),
            None,
        )
        if stored is None:
            listed = ", ".join(render.area_name(item.area, taxonomy) for item in mine) or "none yet"
            raise UserError(f"You don't list “{area.strip()[:60]}”. Your areas: {listed}.")
        await expertise.withdraw(self.bot.database, guild.id, interaction.user.id, stored)
        log.info("expertise removed guild=%s user=%s area=%s", guild.id, interaction.user.id, stored)
        await respond(interaction, f"Removed **{render.area_name(stored, taxonomy)}** from your areas.")

    @remove.autocomplete("area")
    async def remove_area_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        guild = guild_of(interaction)
        taxonomy = await self.taxonomy()
        word = current.strip().casefold()
        mine = await expertise.declarations(self.bot.database, guild.id, interaction.user.id)
        return [
            app_commands.Choice(
                name=f"{render.area_name(item.area, taxonomy)} ({item.level.value})"[:100],
                value=item.area[:100],
            )
            for item in mine
            if word in render.area_name(item.area, taxonomy).casefold() or word in item.area
        ][:25]

    @group.command(
        name="available", description="Let clinics ping you when they need your areas (off by default)"
    )
    @app_commands.describe(pings="on: clinics may ping you; off: you are listed but never pinged")
    @app_commands.choices(pings=SWITCH_CHOICES)
    async def available(self, interaction: discord.Interaction, pings: app_commands.Choice[str]) -> None:
        guild = guild_of(interaction)
        on = pings.value == "on"
        await expertise.set_available(
            self.bot.database, guild.id, interaction.user.id, on, at=self.bot.clock()
        )
        log.info("expertise availability guild=%s user=%s on=%s", guild.id, interaction.user.id, on)
        await respond(
            interaction,
            "You're open to clinic pings: a clinic in one of your areas may mention you."
            if on
            else "Clinic pings are off: you stay listed in `/expertise who`, but nobody pings you.",
        )

    # --- reading -----------------------------------------------------------------------------

    @group.command(name="show", description="A member's areas, levels and partnerships (yours by default)")
    @app_commands.describe(member="Whose expertise to show (default: yours)")
    async def show(self, interaction: discord.Interaction, member: discord.User | None = None) -> None:
        guild = guild_of(interaction)
        target = member or interaction.user
        if guild.get_member(target.id) is None:
            raise UserError(f"{target.display_name} isn't a member of this server any more.")
        own = target.id == interaction.user.id
        database = self.bot.database
        viewer = await viewer_for(interaction)
        embed = render.show_embed(
            target.display_name,
            await expertise.declarations(database, guild.id, target.id),
            await expertise.visible_partnerships_of(
                database, guild.id, viewer, target.id, limit=SHOWN_PARTNERSHIPS
            ),
            render.shown_profile(await profiles.get(database, guild.id, target.id), own=own),
            available=await expertise.is_available(database, guild.id, target.id),
            own=own,
            taxonomy=await self.taxonomy(),
        )
        await respond(interaction, embed=embed)

    @group.command(
        name="areas", description="Every area, with how many members, partnerships and open clinics"
    )
    async def areas_command(self, interaction: discord.Interaction) -> None:
        guild = guild_of(interaction)
        counts = await area_counts(self.bot.database, guild.id, await viewer_for(interaction))
        await respond(interaction, embeds=render.areas_embeds(counts))

    @group.command(name="who", description="Who knows an area? Ranked, with the evidence for each person")
    @app_commands.describe(
        query="What you need, in your words: e.g. museums, Wikidata, UNESCO, freedom of panorama",
        region="Only members who share a region containing this (e.g. Ghana)",
        language="Only members who share a language containing this (e.g. French)",
        by="List people (default) or group them by affiliation",
    )
    @app_commands.choices(by=BY_CHOICES)
    async def who(
        self,
        interaction: discord.Interaction,
        query: str,
        region: str | None = None,
        language: str | None = None,
        by: app_commands.Choice[str] | None = None,
    ) -> None:
        guild = guild_of(interaction)
        text = validate.parse_query(query)
        filters = PeopleFilter(
            region=validate.parse_filter(region, field="Region"),
            language=validate.parse_filter(language, field="Language"),
            affiliated_only=by is not None and by.value == "affiliates",
        )
        answer = await find_who(
            self.bot.database,
            guild.id,
            await viewer_for(interaction),
            text,
            filters,
            now=self.bot.clock(),
            is_present=lambda user_id: guild.get_member(user_id) is not None,
            by_affiliation=filters.affiliated_only,
        )
        taxonomy = await self.taxonomy()
        if not answer.found:
            await respond(
                interaction,
                render.nothing_found(answer, filters, taxonomy),
                view=nothing_found_view(answer.text),
            )
            return
        names = {
            person.user_id: member.display_name
            for person in answer.people
            if (member := guild.get_member(person.user_id)) is not None
        }
        await respond(interaction, embed=render.who_embed(answer, filters, names, taxonomy))


def nothing_found_view(text: str) -> discord.ui.View | None:
    """Nobody matches: offer to ask the whole community in a clinic, about what was searched."""
    from cogs.clinics._opening import open_clinic_view  # here: clinics import the expertise search

    return open_clinic_view(None, topic=text)
