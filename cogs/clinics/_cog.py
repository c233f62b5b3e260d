"""/clinic commands and the listeners that keep clinic records in step with their threads."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.clinics import _forms as forms
from cogs.clinics import _idle as idle
from cogs.clinics import _lifecycle as lifecycle
from cogs.clinics import _render as render
from cogs.clinics._channel import clinics_channel, find_thread, set_archived
from cogs.clinics._idle_steps import idle_state, run_idle_steps
from cogs.clinics._opening import OpenClinicButton, open_clinic
from cogs.clinics._views import IdleAnswerButton
from cogs.partnerships._access import VisiblePartnership
from cogs.partnerships._base import list_choices
from cogs.partnerships._render import results_embed
from core.errors import UserError
from core.paging import Pager, RenderPage
from core.permissions import command_group
from core.replies import respond
from core.text import shorten
from core.ui import FormModal
from db import areas, clinics, fts
from db.areas import Area
from db.clinics import ClinicStatus

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

IDLE_WORK = "clinics.idle"
QUERY_MAX = 200
STATUS_CHOICES = [
    app_commands.Choice(name=label, value=status.value) for status, label in render.STATUS_LABELS.items()
]
# Messages people write (not pins, joins or other system notices) count as activity.
_WRITTEN = frozenset({discord.MessageType.default, discord.MessageType.reply})


class ClinicsCog(commands.Cog):
    clinic = command_group("clinic", "Peer help with a partnership problem, and the lessons kept from it")

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(IdleAnswerButton, OpenClinicButton)
        self.bot.scheduler.register(IDLE_WORK, self.idle_work)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(IdleAnswerButton, OpenClinicButton)
        self.bot.scheduler.unregister(IDLE_WORK)

    async def idle_work(self, now: datetime) -> None:
        await run_idle_steps(self.bot, now)

    async def taxonomy(self) -> list[Area]:
        return await areas.all_areas(self.bot.database)

    async def area_named(self, text: str) -> Area:
        return forms.area(text, await self.taxonomy())

    async def area_choices(self, current: str) -> list[app_commands.Choice[str]]:
        return list_choices(
            current.replace(",", " "),
            [(area.label, (area.label.casefold(), *area.synonyms)) for area in await self.taxonomy()],
        )

    # ---------------------------------------------------------------------- open
    @clinic.command(
        name="open", description="Ask the community for help with a partnership problem (a form follows)"
    )
    @app_commands.describe(
        topic=f"What the problem is about, in a line (up to {forms.TOPIC_MAX} characters)",
        area="The area it belongs to (pick from the list)",
        partnership="The partnership it is about, if any",
    )
    async def open(
        self,
        interaction: discord.Interaction,
        topic: str,
        area: str,
        partnership: VisiblePartnership | None = None,
    ) -> None:
        assert interaction.guild is not None
        title = forms.topic(topic)
        chosen = await self.area_named(area)
        await clinics_channel(self.bot, interaction.guild)  # before the form, so nobody fills it in vain

        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            await open_clinic(self.bot, submitted, title, chosen, partnership, form)

        await interaction.response.send_modal(
            FormModal(title="Your clinic: what's going on?", fields=forms.intake_fields(), finish=finish)
        )

    @open.autocomplete("area")
    async def open_area_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.area_choices(current)

    # ---------------------------------------------------------------------- lifecycle
    @clinic.command(name="resolve", description="Close this clinic with what worked (a form follows)")
    async def resolve(self, interaction: discord.Interaction) -> None:
        clinic = await lifecycle.clinic_here(self.bot, interaction, "resolve")
        await lifecycle.ask_for_lesson(self.bot, interaction, clinic)

    @clinic.command(name="helpful", description="Credit a member who helped in this clinic")
    @app_commands.describe(member="The member who helped")
    async def helpful(self, interaction: discord.Interaction, member: discord.Member) -> None:
        clinic = await lifecycle.clinic_here(self.bot, interaction, "helpful")
        await lifecycle.ensure_asker_or_coordinator(interaction, clinic, "credit helpers")
        if member.id == interaction.user.id:
            raise UserError("You can't credit yourself; credit someone who helped you.")
        if member.bot:
            raise UserError("Bots can't be credited; credit a member who helped.")
        if member.id == clinic.asker_id:
            raise UserError(f"{member.mention} opened this clinic; credit someone who helped them.")
        if not await clinics.credit(
            self.bot.database, clinic, member.id, by=interaction.user.id, at=self.bot.clock()
        ):
            raise UserError(f"{member.mention} is credited in this clinic already.")
        log.info("clinic helper credited clinic=%s guild=%s helper=%s", clinic.id, clinic.guild_id, member.id)
        await respond(
            interaction,
            f"🙏 {interaction.user.mention} credited {member.mention} as helpful in this clinic.",
            ephemeral=False,
        )

    @clinic.command(name="reopen", description="Reopen this resolved or dormant clinic")
    async def reopen(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        clinic = await lifecycle.clinic_here(self.bot, interaction, "reopen")
        await lifecycle.ensure_asker_or_coordinator(interaction, clinic, "reopen it")
        if clinic.is_open:
            raise UserError("This clinic is open already.")
        thread = await find_thread(self.bot, interaction.guild, clinic.thread_id)
        if thread is None or not await set_archived(thread, archived=False, locked=False):
            raise UserError("I couldn't unarchive this thread: I need the Manage Threads permission here.")
        await clinics.reopen(self.bot.database, clinic.id, at=self.bot.clock())
        log.info("clinic reopened clinic=%s guild=%s by=%s", clinic.id, clinic.guild_id, interaction.user.id)
        await respond(
            interaction,
            f"🔓 {interaction.user.mention} reopened this clinic. Resolve it again with `/clinic resolve`.",
            ephemeral=False,
        )

    # ---------------------------------------------------------------------- finding
    async def _send_pages(self, interaction: discord.Interaction, render_page: RenderPage) -> None:
        embed, pages = await render_page(0)
        pager = Pager(render_page, pages=pages, user_id=interaction.user.id)
        await respond(interaction, embed=embed, view=pager if pager.needed else None)

    @clinic.command(name="list", description="List clinics, newest first; filter by status or area")
    @app_commands.describe(status="Only clinics in this state", area="Only clinics in this area")
    @app_commands.choices(status=STATUS_CHOICES)
    async def list(
        self,
        interaction: discord.Interaction,
        status: app_commands.Choice[str] | None = None,
        area: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        chosen = await self.area_named(area) if area is not None else None
        wanted = ClinicStatus(status.value) if status else None
        taxonomy = {item.slug: item for item in await self.taxonomy()}
        described = ", ".join(
            filter(None, (status.name if status else None, chosen.label if chosen else None))
        )

        async def render_page(number: int) -> tuple[discord.Embed, int]:
            page = await clinics.list_page(
                self.bot.database, guild_id, status=wanted, area=chosen.slug if chosen else None, page=number
            )
            lines = [render.list_line(item, taxonomy) for item in page.items]
            title = f"Clinics ({page.total})" + (f" · {described}" if described else "")
            empty = "No clinics match." if described else "No clinics yet. Open one with `/clinic open`."
            return results_embed(shorten(title, 256), page, lines, empty=empty), page.pages  # type: ignore[arg-type]

        await self._send_pages(interaction, render_page)

    @list.autocomplete("area")
    async def list_area_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self.area_choices(current)

    @clinic.command(name="lessons", description="Search what worked in resolved clinics")
    @app_commands.describe(query="Words to look for, e.g. museum licence negotiation")
    async def lessons(self, interaction: discord.Interaction, query: str) -> None:
        assert interaction.guild_id is not None
        guild_id = interaction.guild_id
        text = query.strip()
        if len(text) > QUERY_MAX:
            raise UserError(f"The search is {len(text)} characters; the limit is {QUERY_MAX}.")
        if not fts.terms(text):
            raise UserError("Search for words, for example `museum licence`.")

        async def render_page(number: int) -> tuple[discord.Embed, int]:
            page = await clinics.search_lessons(self.bot.database, guild_id, text, page=number)
            lines = [
                line
                for item in page.items
                for line in render.lesson_lines(item, page.snippets.get(item.id, ""))
            ]
            embed = results_embed(  # type: ignore[arg-type]
                shorten(f"Lessons: {text}", 256),
                page,
                lines,
                empty=f"No resolved clinic mentions “{shorten(text, 80)}”. Try fewer or other words.",
            )
            return embed, page.pages

        await self._send_pages(interaction, render_page)

    # ---------------------------------------------------------------------- listeners
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """A person wrote in a thread: if it is an open clinic's, its idle clocks restart."""
        if (
            message.guild is None
            or message.author.bot
            or message.type not in _WRITTEN
            or not isinstance(message.channel, discord.Thread)
        ):
            return
        await clinics.record_activity(
            self.bot.database, message.channel.id, message.author.id, at=self.bot.clock()
        )

    @commands.Cog.listener()
    async def on_raw_thread_update(self, payload: discord.RawThreadUpdateEvent) -> None:
        """Archived by hand → dormant; a dormant clinic's thread unarchived → open again."""
        clinic = await clinics.by_thread(self.bot.database, payload.thread_id)
        if clinic is None:
            return
        archived = bool(payload.data.get("thread_metadata", {}).get("archived", False))
        now = self.bot.clock()
        if archived:
            if idle.archived_by_hand(idle_state(clinic), now) and await clinics.mark_dormant(
                self.bot.database, clinic.id, at=now
            ):
                log.info("clinic archived by hand clinic=%s guild=%s", clinic.id, clinic.guild_id)
        elif clinic.status is ClinicStatus.DORMANT and await clinics.reopen(
            self.bot.database, clinic.id, at=now, only_dormant=True
        ):
            log.info("clinic unarchived by hand clinic=%s guild=%s", clinic.id, clinic.guild_id)

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        clinic = await clinics.mark_thread_deleted(self.bot.database, payload.thread_id, at=self.bot.clock())
        if clinic is not None:
            log.info("clinic thread deleted clinic=%s guild=%s", clinic.id, clinic.guild_id)
