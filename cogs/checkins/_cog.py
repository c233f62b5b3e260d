"""/checkin now · cadence · pause · resume · history, the prompt buttons and the scheduled work."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from cogs.checkins import _render as render
from cogs.checkins._answers import ensure_owner, member_zone, open_form
from cogs.checkins._buttons import STATUS, Action, CheckinButton
from cogs.checkins._delivery import Delivery
from cogs.checkins._sender import Sender
from cogs.partnerships import _validate as validate
from cogs.partnerships._access import OwnPartnership, VisiblePartnership, ensure_can_change
from cogs.partnerships._choices import CADENCE_CHOICES
from core.checkin_calendar import OPEN_ENDED, is_open_ended, start_of_day
from core.errors import UserError
from core.paging import Pager
from core.permissions import command_group
from core.replies import respond
from core.vocabulary import Cadence, Stage
from db import checkins
from db import partnership_changes as changes

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

DUE_WORK = "checkins"
PAUSE_MAX = timedelta(days=365)
STATUS_CHOICES = [
    app_commands.Choice(name=render.STATUS_NAMES[health], value=action.value)
    for action, health in STATUS.items()
]


def _guild_id(interaction: discord.Interaction) -> int:
    assert interaction.guild_id is not None  # the group is guild-only
    return interaction.guild_id


class CheckinsCog(commands.Cog):
    checkin = command_group("checkin", "Check-ins: answer now, set the cadence, pause, see past answers")

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
        self.delivery = Delivery(bot)
        self.sender = Sender(bot, self.delivery)

    async def cog_load(self) -> None:
        if await checkins.use_default_zone(self.bot.database, self.bot.config.timezone, now=self.bot.clock()):
            log.info("checkins rescheduled for default timezone=%s", self.bot.config.timezone.key)
        self.bot.add_dynamic_items(CheckinButton)
        self.sender.start()
        self.bot.scheduler.register(DUE_WORK, self.due_work)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(CheckinButton)
        self.bot.scheduler.unregister(DUE_WORK)
        self.sender.stop()

    async def due_work(self, now: datetime) -> None:
        """The tick: claim what is due, then hand it to the sender; the tick doesn't wait for sending."""
        await self.delivery.claim(now)
        self.sender.wake()

    # ---------------------------------------------------------------------- now
    @checkin.command(name="now", description="Check in on a partnership you own, now (a short form follows)")
    @app_commands.describe(partnership="The partnership (start typing its name)", status="How it is going")
    @app_commands.choices(status=STATUS_CHOICES)
    async def now(
        self,
        interaction: discord.Interaction,
        partnership: OwnPartnership,
        status: app_commands.Choice[str],
    ) -> None:
        ensure_owner(interaction.user.id, partnership)
        if partnership.stage is Stage.CONCLUDED:
            raise UserError(
                f"**{partnership.name}** is concluded; check-ins are for partnerships still running."
            )
        await open_form(self.bot, interaction, partnership, STATUS[Action(status.value)], checkin_id=None)

    # ---------------------------------------------------------------------- cadence
    @checkin.command(name="cadence", description="How often a partnership's check-in prompts come")
    @app_commands.describe(partnership="The partnership (start typing its name)", cadence="How often")
    @app_commands.choices(cadence=CADENCE_CHOICES)
    async def cadence(
        self,
        interaction: discord.Interaction,
        partnership: VisiblePartnership,
        cadence: app_commands.Choice[str],
    ) -> None:
        await ensure_can_change(interaction, partnership)
        chosen = Cadence(cadence.value)
        if chosen is partnership.cadence:
            raise UserError(f"Check-ins for **{partnership.name}** are {chosen.value} already.")
        async with changes.change(
            self.bot.database,
            partnership.id,
            at=self.bot.clock(),
            author_id=interaction.user.id,
            kind="edited",
            summary=f"Check-in cadence: {partnership.cadence.value} → {chosen.value}",
        ) as tx:
            await changes.set_columns(tx, partnership.id, {"cadence": chosen})
        due = await checkins.next_prompt(self.bot.database, partnership.id)
        lines = [f"Check-ins for **{partnership.name}** are now {chosen.value}."]
        lines += filter(None, [render.cadence_note(partnership)])
        paused = await self._paused_until(interaction, partnership.owner_id)
        lines.append(render.next_prompt_line(partnership, due, paused_until=paused))
        await respond(interaction, "\n".join(lines))

    async def _paused_until(self, interaction: discord.Interaction, owner_id: int | None) -> datetime | None:
        if owner_id is None:
            return None
        return await checkins.paused_until(self.bot.database, _guild_id(interaction), owner_id)

    # ---------------------------------------------------------------------- pause / resume
    @checkin.command(
        name="pause", description="Pause the check-in prompts of all your partnerships (a holiday)"
    )
    @app_commands.describe(until="The day prompts may come again, YYYY-MM-DD (empty: until /checkin resume)")
    async def pause(self, interaction: discord.Interaction, until: str | None = None) -> None:
        guild_id, user_id = _guild_id(interaction), interaction.user.id
        now = self.bot.clock()
        zone = await member_zone(self.bot, guild_id, user_id)
        moment = OPEN_ENDED
        day = validate.parse_date(until, field="The date")
        if day is not None:
            today = now.astimezone(zone).date()
            if day <= today:
                raise UserError(
                    f"Pick a day after today ({today.isoformat()}, your time) for the pause to end."
                )
            if day > today + PAUSE_MAX:
                raise UserError(
                    "A pause can end at most a year from now; leave `until` empty to pause until "
                    "`/checkin resume`."
                )
            moment = start_of_day(day, zone)
        owned = await checkins.set_pause(self.bot.database, guild_id, user_id, moment, now=now)
        log.info("checkins paused guild=%s user=%s open_ended=%s", guild_id, user_id, day is None)
        await respond(interaction, render.pause_text(moment, len(owned)))

    @checkin.command(name="resume", description="End your check-in pause")
    async def resume(self, interaction: discord.Interaction) -> None:
        guild_id, user_id = _guild_id(interaction), interaction.user.id
        now = self.bot.clock()
        paused = await checkins.paused_until(self.bot.database, guild_id, user_id)
        if paused is None or (not is_open_ended(paused) and paused <= now):
            raise UserError("Your check-ins aren't paused. Pause them with `/checkin pause`.")
        owned = await checkins.set_pause(self.bot.database, guild_id, user_id, None, now=now)
        log.info("checkins resumed guild=%s user=%s", guild_id, user_id)
        upcoming = [due for due in owned if due is not None]
        await respond(interaction, render.resume_text(min(upcoming, key=lambda due: due.at, default=None)))

    # ---------------------------------------------------------------------- history
    @checkin.command(name="history", description="A partnership's past check-ins: status, note, who and when")
    @app_commands.describe(partnership="The partnership (start typing its name)")
    async def history(self, interaction: discord.Interaction, partnership: VisiblePartnership) -> None:
        async def render_page(number: int) -> tuple[discord.Embed, int]:
            page = await checkins.history(self.bot.database, partnership.id, page=number)
            return render.history_embed(partnership, page), page.pages

        embed, pages = await render_page(0)
        pager = Pager(render_page, pages=pages, user_id=interaction.user.id)
        await respond(interaction, embed=embed, view=pager if pager.needed else None)
