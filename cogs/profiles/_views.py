"""The /profile forget confirmation: Forget me or Cancel, for the member who asked only."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from cogs.profiles._render import CANCELLED, TIMED_OUT
from core.replies import NO_MENTIONS
from core.ui import BaseView

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 180


class ForgetView(BaseView):
    def __init__(
        self, origin: discord.Interaction, confirm: Callable[[discord.Interaction], Awaitable[None]]
    ) -> None:
        super().__init__(allowed_user_ids={origin.user.id}, timeout=CONFIRM_SECONDS)
        self.origin = origin  # the command's interaction: its message is edited when time runs out
        self.confirm = confirm

    @discord.ui.button(label="Forget me", style=discord.ButtonStyle.danger)
    async def forget_me(
        self, interaction: discord.Interaction, button: discord.ui.Button[ForgetView]
    ) -> None:
        await self.confirm(interaction)
        self.stop()

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[ForgetView]) -> None:
        self.stop()
        await interaction.response.edit_message(content=CANCELLED, view=None, allowed_mentions=NO_MENTIONS)

    async def on_timeout(self) -> None:
        try:
            await self.origin.edit_original_response(content=TIMED_OUT, view=None)
        except discord.HTTPException:
            # Past Discord's 15-minute interaction window, or the message was dismissed.
            log.info(
                "forget confirmation expired unseen guild=%s user=%s",
                self.origin.guild_id,
                self.origin.user.id,
            )
