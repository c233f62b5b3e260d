"""/profile set · show · export · forget: a member's own details, and their data on request."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from cogs.partnerships._access import viewer_for
from cogs.profiles import _fields as fields
from cogs.profiles._export import export_document, to_json
from cogs.profiles._render import (
    NOTHING_HELD,
    forget_confirmation,
    forgotten_summary,
    member_profile_embed,
    own_profile_embed,
)
from cogs.profiles._views import ForgetView
from core.errors import UserError
from core.permissions import command_group
from core.replies import NO_MENTIONS, respond
from db import forget, partnerships, profiles
from db.partnerships import Viewer

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

NO_OPTIONS = (
    "Tell me what to set: `timezone`, `affiliation`, `region`, `languages`, `checkin_hour`, "
    "or `show_affiliation` / `show_region` / `show_languages` to choose what others see. "
    f"Give `{fields.CLEAR}` to clear a text field."
)


def _guild_id(interaction: discord.Interaction) -> int:
    assert interaction.guild_id is not None  # the group is guild-only
    return interaction.guild_id


class ProfilesCog(commands.Cog):
    group = command_group(
        "profile", "Your profile: timezone, affiliation, languages; export or delete your data"
    )

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    async def _own_embed(self, guild_id: int, user_id: int, viewer: Viewer) -> discord.Embed:
        database = self.bot.database
        return own_profile_embed(
            await profiles.get(database, guild_id, user_id),
            await partnerships.count_for_member(database, guild_id, user_id, viewer),
            default_zone=self.bot.config.timezone,
            now=self.bot.clock(),
        )

    @group.command(
        name="set", description="Set your timezone, affiliation, region, languages or check-in hour"
    )
    @app_commands.describe(
        timezone="Your timezone, e.g. Europe/Berlin (type a city to search)",
        affiliation=f"Your organisation or affiliate (up to {fields.AFFILIATION_MAX} characters; - clears)",
        region=f"Your region or country (up to {fields.REGION_MAX} characters; - clears)",
        languages=f"Languages you work in, comma-separated (up to {fields.LANGUAGES_MAX}; - clears)",
        checkin_hour="The hour (0–23, your time) you'd like check-in prompts",
        show_affiliation="Show your affiliation to other members",
        show_region="Show your region to other members",
        show_languages="Show your languages to other members",
    )
    async def set_profile(
        self,
        interaction: discord.Interaction,
        timezone: str | None = None,
        affiliation: str | None = None,
        region: str | None = None,
        languages: str | None = None,
        checkin_hour: app_commands.Range[int, 0, 23] | None = None,
        show_affiliation: bool | None = None,
        show_region: bool | None = None,
        show_languages: bool | None = None,
    ) -> None:
        # Parse every option before writing any, so one bad value writes nothing.
        changes: dict[str, Any] = {}
        if timezone is not None:
            changes["timezone"] = fields.parse_timezone_name(timezone)
        if affiliation is not None:
            changes["affiliation"] = fields.parse_affiliation(affiliation)
        if region is not None:
            changes["region"] = fields.parse_region(region)
        if languages is not None:
            changes["languages"] = fields.parse_languages(languages)
        for name, value in (
            ("checkin_hour", checkin_hour),
            ("share_affiliation", show_affiliation),
            ("share_region", show_region),
            ("share_languages", show_languages),
        ):
            if value is not None:
                changes[name] = value
        if not changes:
            raise UserError(NO_OPTIONS)
        guild_id = _guild_id(interaction)
        await profiles.update(
            self.bot.database, guild_id, interaction.user.id, at=self.bot.clock(), **changes
        )
        log.info("profile updated guild=%s user=%s fields=%s", guild_id, interaction.user.id, sorted(changes))
        embed = await self._own_embed(guild_id, interaction.user.id, await viewer_for(interaction))
        await respond(interaction, "Profile saved.", embed=embed)

    @set_profile.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        first: list[str] = []
        if interaction.guild_id is not None:
            mine = await profiles.get(self.bot.database, interaction.guild_id, interaction.user.id)
            if mine is not None and mine.timezone:
                first.append(mine.timezone)
        first += [self.bot.config.timezone.key, "UTC"]
        return [
            app_commands.Choice(name=name, value=name)
            for name in fields.timezone_suggestions(current, first=first)
        ]

    @group.command(name="show", description="Show your profile, or what another member shares")
    @app_commands.describe(member="Whose profile (default: yours)")
    async def show(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        guild_id = _guild_id(interaction)
        viewer = await viewer_for(interaction)
        if member is None or member.id == interaction.user.id:
            await respond(interaction, embed=await self._own_embed(guild_id, interaction.user.id, viewer))
            return
        profile = await profiles.get(self.bot.database, guild_id, member.id)
        embed = member_profile_embed(
            member.id,
            member.display_name,
            profile.public_view() if profile else None,
            await partnerships.count_for_member(self.bot.database, guild_id, member.id, viewer),
            default_zone=self.bot.config.timezone,
            now=self.bot.clock(),
        )
        await respond(interaction, embed=embed)

    @group.command(name="export", description="Download everything I hold about you in this server (JSON)")
    async def export(self, interaction: discord.Interaction) -> None:
        guild_id, user_id = _guild_id(interaction), interaction.user.id
        database = self.bot.database
        owned = await partnerships.of_member(database, guild_id, user_id)
        document = export_document(
            guild_id=guild_id,
            user_id=user_id,
            exported_at=self.bot.clock(),
            profile=await profiles.get(database, guild_id, user_id),
            partnerships=await partnerships.details_without_timeline(database, owned),
            authored=await partnerships.authored_by(
                database, guild_id, user_id, await viewer_for(interaction)
            ),
        )
        log.info("member data exported guild=%s user=%s partnerships=%d", guild_id, user_id, len(owned))
        await respond(
            interaction,
            "Here is everything I hold about you in this server: your profile, the partnerships you own "
            "or co-own, and the timeline entries you wrote.",
            files=[discord.File(fp=io.BytesIO(to_json(document)), filename=f"my-data-{guild_id}.json")],
        )

    @group.command(name="forget", description="Delete your data here; your partnerships go to coordinators")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        guild_id = _guild_id(interaction)
        preview = await forget.preview(self.bot.database, guild_id, interaction.user.id, at=self.bot.clock())
        if preview.nothing:
            await respond(interaction, NOTHING_HELD)
            return
        await respond(
            interaction, forget_confirmation(preview), view=ForgetView(interaction, self._forget_confirmed)
        )

    async def _forget_confirmed(self, interaction: discord.Interaction) -> None:
        result = await forget.forget(
            self.bot.database, _guild_id(interaction), interaction.user.id, at=self.bot.clock()
        )
        await interaction.response.edit_message(
            content=forgotten_summary(result), view=None, allowed_mentions=NO_MENTIONS
        )
