"""Previous/Next buttons over pages that are rendered on demand, so every turn shows fresh data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from core.ui import BaseView

# Render page ``n`` (0-based): the embed, and how many pages there are now.
RenderPage = Callable[[int], Awaitable[tuple[discord.Embed, int]]]


class Pager(BaseView):
    def __init__(self, render: RenderPage, *, pages: int, user_id: int, page: int = 0) -> None:
        super().__init__(allowed_user_ids=[user_id], timeout=900)
        self.render = render
        self.page = page
        self.pages = pages
        self._refresh_buttons()

    @property
    def needed(self) -> bool:
        """A single page needs no buttons."""
        return self.pages > 1

    def _refresh_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1
        self.position.label = f"Page {self.page + 1}/{self.pages}"

    async def _turn(self, interaction: discord.Interaction, page: int) -> None:
        embed, self.pages = await self.render(page)
        self.page = min(page, self.pages - 1)
        self._refresh_buttons()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        await self._turn(interaction, max(0, self.page - 1))

    @discord.ui.button(label="Page", style=discord.ButtonStyle.secondary, disabled=True)
    async def position(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        """A label only: Discord has no plain text in a row of buttons."""

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Pager]) -> None:
        await self._turn(interaction, self.page + 1)
