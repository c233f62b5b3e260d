"""Who a clinic suggests, and the message that names them (pinging exactly the chosen few)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from cogs.clinics._channel import send_quietly
from cogs.clinics._experts import ranked_experts
from cogs.clinics._render import suggestion_mentions, suggestions_text
from cogs.clinics._suggest import Suggestion, choose
from db import clinics
from db.areas import Area

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

PING_WINDOW = timedelta(days=7)  # the weekly cap counts pings over the last seven days


async def suggestions_for(
    bot: PartnershipsBot,
    guild: discord.Guild,
    area: Area,
    text: str,
    *,
    asker_id: int | None,
    now: datetime,
    already_pinged: Collection[int] = (),
) -> list[Suggestion]:
    def is_present(user_id: int) -> bool:
        member = guild.get_member(user_id)
        return user_id != asker_id and member is not None and not member.bot

    ranked = await ranked_experts(bot.database, guild.id, area, text, now=now, is_present=is_present)
    recent = await clinics.pings_since(
        bot.database, guild.id, [expert.user_id for expert in ranked], now - PING_WINDOW
    )
    return choose(
        ranked,
        asker_id=asker_id or 0,
        is_member=is_present,
        pings_this_week=recent,
        weekly_cap=bot.config.clinic_weekly_ping_cap,
        already_pinged=already_pinged,
    )


async def post_suggestions(
    bot: PartnershipsBot, thread: discord.Thread, suggestions: list[Suggestion], area: Area, *, again: bool
) -> None:
    names = {}
    for suggestion in suggestions:
        member = thread.guild.get_member(suggestion.user_id)
        names[suggestion.user_id] = member.display_name if member else "a member"
    text = suggestions_text(
        suggestions, names, area, weekly_cap=bot.config.clinic_weekly_ping_cap, again=again
    )
    await send_quietly(thread, text, allowed_mentions=suggestion_mentions(suggestions))
