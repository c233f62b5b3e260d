"""Carrying out the idle steps the database says are due (the scheduler's clinic work).

Each step is claimed in the database first (a compare-and-set), then done in Discord, so a step
runs once even if ticks overlap or the bot restarts: at worst a message is lost, never doubled.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from cogs.clinics import _idle as idle
from cogs.clinics._channel import find_thread, send_quietly, set_archived
from cogs.clinics._render import DORMANT_NOTICE, keep_open_question
from cogs.clinics._suggestions import post_suggestions, suggestions_for
from cogs.clinics._views import idle_question_view
from db import areas, clinics
from db.clinics import Clinic

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)


def idle_state(clinic: Clinic) -> idle.IdleState:
    return idle.IdleState(
        open=clinic.is_open,
        last_activity_at=clinic.last_activity_at,
        helpers_quiet_since=clinic.helpers_quiet_since,
        experts_resuggested_at=clinic.experts_resuggested_at,
        keep_open_asked_at=clinic.keep_open_asked_at,
    )


async def run_idle_steps(bot: PartnershipsBot, now: datetime) -> None:
    """Do the idle steps due at ``now``, the longest overdue first, a few per tick (the rest next
    tick: ``STEPS_PER_TICK``); one clinic failing doesn't stop the others."""
    due = idle.cutoffs(now)
    candidates = await clinics.due_for_idle_steps(
        bot.database,
        quiet_before=due.ask,
        dormant_before=due.dormant,
        helpers_quiet_before=due.resuggest,
        guild_ids=[guild.id for guild in bot.guilds],
        limit=idle.STEPS_PER_TICK,
        resuggestions=idle.RESUGGESTIONS_PER_TICK,
    )
    for clinic in candidates:
        step = idle.next_step(idle_state(clinic), now)
        if step is None:
            continue
        try:
            await _run_step(bot, clinic, step, now)
        except Exception:
            log.exception(
                "clinic idle step failed clinic=%s guild=%s step=%s", clinic.id, clinic.guild_id, step
            )


async def _run_step(bot: PartnershipsBot, clinic: Clinic, step: idle.IdleStep, now: datetime) -> None:
    guild = bot.get_guild(clinic.guild_id)
    if guild is None:  # the bot left the server; the record waits in case it comes back
        return
    thread = await find_thread(bot, guild, clinic.thread_id)
    if thread is None:
        await clinics.mark_thread_deleted(bot.database, clinic.thread_id, at=now)
        log.info("clinic thread gone clinic=%s guild=%s", clinic.id, clinic.guild_id)
        return
    if step is idle.IdleStep.RESUGGEST:
        await _resuggest(bot, guild, thread, clinic, now)
    elif step is idle.IdleStep.ASK_ASKER:
        await _ask_asker(bot, thread, clinic, now)
    else:
        await _make_dormant(bot, thread, clinic, now)


async def _resuggest(
    bot: PartnershipsBot, guild: discord.Guild, thread: discord.Thread, clinic: Clinic, now: datetime
) -> None:
    area = next((area for area in await areas.all_areas(bot.database) if area.slug == clinic.area), None)
    if area is None:  # its area left the taxonomy: nobody to suggest, and the step is done all the same
        await clinics.claim_resuggestion(bot.database, clinic, [], at=now)
        return
    suggestions = await suggestions_for(
        bot,
        guild,
        area,
        f"{clinic.topic} {clinic.help_needed}",
        asker_id=clinic.asker_id,
        now=now,
        already_pinged=await clinics.pinged_for(bot.database, clinic.id),
    )
    pinged = [suggestion.user_id for suggestion in suggestions if suggestion.ping]
    if await clinics.claim_resuggestion(bot.database, clinic, pinged, at=now):
        await post_suggestions(bot, thread, suggestions, area, again=True)
        log.info(
            "clinic experts suggested again clinic=%s guild=%s pinged=%d",
            clinic.id,
            clinic.guild_id,
            len(pinged),
        )


async def _ask_asker(bot: PartnershipsBot, thread: discord.Thread, clinic: Clinic, now: datetime) -> None:
    # Unarchive first (Discord archives a thread after a week without messages) while the record
    # is still open, so the thread listener doesn't take it for an archive by hand.
    if thread.archived:
        await set_archived(thread, archived=False, locked=False)
    if not await clinics.claim_keep_open_question(bot.database, clinic.id, at=now):
        return
    mentions = discord.AllowedMentions(
        users=[discord.Object(clinic.asker_id)] if clinic.asker_id else [], roles=False, everyone=False
    )
    await send_quietly(
        thread, keep_open_question(clinic, now), allowed_mentions=mentions, view=idle_question_view(clinic.id)
    )
    log.info("clinic asked to keep open clinic=%s guild=%s", clinic.id, clinic.guild_id)


async def _make_dormant(bot: PartnershipsBot, thread: discord.Thread, clinic: Clinic, now: datetime) -> None:
    if not await clinics.mark_dormant(bot.database, clinic.id, at=now):
        return
    # A thread Discord archived already stays as it is: posting the notice would unarchive it, and
    # the listener would take that for a member bringing the clinic back.
    if not thread.archived:
        await send_quietly(thread, DORMANT_NOTICE)
        await set_archived(thread, archived=True, locked=False)
    log.info("clinic dormant clinic=%s guild=%s", clinic.id, clinic.guild_id)
