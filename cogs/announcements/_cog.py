"""/announce post, list and cancel (coordinators only), and the scheduled posting."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from cogs.announcements import _forms as forms
from cogs.announcements import _render as render
from cogs.announcements._due import post_due
from cogs.announcements._preview import Draft, PreviewView
from cogs.announcements._target import default_channel_id, pingable_role, resolve
from core.errors import UserError
from core.paging import Pager
from core.permissions import Level, command_group, level_of
from core.replies import respond
from core.ui import FormModal
from core.when import Repeat, read_time
from db import announcements, profiles
from db.announcements import State

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

DUE_WORK = "announcements.post"
WHEN_MAX = 100
REPEAT_CHOICES = [
    app_commands.Choice(name="weekly, from the first time", value=Repeat.WEEKLY.value),
    app_commands.Choice(name="monthly, from the first time", value=Repeat.MONTHLY.value),
]
NOT_CANCELLABLE = {
    State.POSTED: "was already posted; there is nothing left to cancel.",
    State.CANCELLED: "was already cancelled.",
    State.FAILED: "failed and won't be posted; there is nothing to cancel.",
    State.POSTING: "is being posted right now. Look again in a minute.",
}


class AnnouncementsCog(commands.Cog):
    announce = command_group(
        "announce", "Post and schedule announcements (coordinators)", level=Level.COORDINATOR
    )

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        # Marks this run's claims: a row left 'posting' under another token was claimed by a run
        # that stopped mid-post, and is retried.
        self.claim_token = secrets.token_hex(8)

    async def cog_load(self) -> None:
        self.bot.scheduler.register(DUE_WORK, self.due_work)

    async def cog_unload(self) -> None:
        self.bot.scheduler.unregister(DUE_WORK)

    async def due_work(self, now: datetime) -> None:
        await post_due(self.bot, now, self.claim_token)

    async def zone_of(self, guild_id: int, user_id: int) -> ZoneInfo:
        """The member's /profile timezone, else the configured one."""
        profile = await profiles.get(self.bot.database, guild_id, user_id)
        return profile.zone_or(self.bot.config.timezone) if profile else self.bot.config.timezone

    # ---------------------------------------------------------------------- post
    @announce.command(
        name="post", description="Compose an announcement, preview it, then post or schedule it"
    )
    @app_commands.describe(
        channel="Where to post (default: the announcements channel from /setup)",
        role="One role to ping; nobody else is pinged",
        when="In your timezone, e.g. 2027-03-01 18:00 · tomorrow 9:00 · next monday 18:00 (empty: now)",
        repeat="Repeat it weekly or monthly, from the first time",
    )
    @app_commands.choices(repeat=REPEAT_CHOICES)
    async def post(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        role: discord.Role | None = None,
        when: app_commands.Range[str, 1, WHEN_MAX] | None = None,
        repeat: app_commands.Choice[str] | None = None,
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        channel_id = channel.id if channel else await default_channel_id(self.bot.database, guild.id)
        role_id = pingable_role(role).id if role else None
        resolve(guild, channel_id, role_id)  # before the form, so nobody writes it in vain
        zone = await self.zone_of(guild.id, interaction.user.id)
        due_at = read_time(when, zone, self.bot.clock()) if when is not None else None
        chosen = Repeat(repeat.value) if repeat else Repeat.NONE
        if chosen is not Repeat.NONE and due_at is None:
            raise UserError(
                f"A {chosen.value} announcement needs its first time: add “when”, for example "
                "“next monday 18:00”."
            )

        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            draft = Draft(
                guild_id=guild.id,
                author_id=interaction.user.id,
                channel_id=channel_id,
                role_id=role_id,
                due_at=due_at,
                repeat=chosen,
                zone=zone,
                wording=forms.wording(form),
            )
            await PreviewView(self.bot, draft, self.claim_token).show(submitted)

        await interaction.response.send_modal(
            FormModal(title="Your announcement", fields=forms.fields(), finish=finish)
        )

    # ---------------------------------------------------------------------- list
    @announce.command(name="list", description="Upcoming announcements, and the recent ones")
    async def list(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id

        async def render_page(number: int) -> tuple[discord.Embed, int]:
            pages = render.list_pages(
                await announcements.upcoming(self.bot.database, guild_id),
                await announcements.recent(self.bot.database, guild_id),
            )
            number = min(number, len(pages) - 1)
            return render.list_embed(pages, number), len(pages)

        embed, pages = await render_page(0)
        pager = Pager(render_page, pages=pages, user_id=interaction.user.id)
        await respond(interaction, embed=embed, view=pager if pager.needed else None)

    # ---------------------------------------------------------------------- cancel
    @announce.command(name="cancel", description="Cancel a scheduled announcement (a repeating one stops)")
    @app_commands.describe(id="The announcement's number (pick from the list)")
    async def cancel(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        assert interaction.guild_id is not None
        cancelled, item = await announcements.cancel(
            self.bot.database, interaction.guild_id, id, by=interaction.user.id, at=self.bot.clock()
        )
        if item is None:
            raise UserError(f"There is no announcement #{id} in this server. `/announce list` shows them.")
        if not cancelled:
            raise UserError(f"Announcement #{id} ({item.title}) {NOT_CANCELLABLE[item.state]}")
        series = f" The {item.repeat.value} series is stopped." if item.repeat is not Repeat.NONE else ""
        await respond(
            interaction, f"Cancelled announcement **#{id}** ({item.title}): it won't be posted.{series}"
        )

    @cancel.autocomplete("id")
    async def cancel_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        """Upcoming announcements of this server; autocomplete skips the group's check, so check here."""
        if interaction.guild_id is None or await level_of(interaction) < Level.COORDINATOR:
            return []
        zone = await self.zone_of(interaction.guild_id, interaction.user.id)
        typed = current.strip().lstrip("#")
        offered = await announcements.cancellable(self.bot.database, interaction.guild_id, typed, limit=25)
        return [
            app_commands.Choice(name=render.cancel_choice_name(item, zone), value=item.id) for item in offered
        ]
