"""The "keep this clinic open?" buttons: dynamic items, so they work on old messages after a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from cogs.clinics import _lifecycle as lifecycle
from core.ui import BaseView, guarded

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

KEEP, RESOLVE = "keep", "resolve"
_LOOK = {KEEP: ("Keep open", discord.ButtonStyle.success), RESOLVE: ("Resolve", discord.ButtonStyle.primary)}


class IdleAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"clinic:idle:(?P<clinic_id>[0-9]+):(?P<choice>keep|resolve)",
):
    def __init__(self, clinic_id: int, choice: str) -> None:
        label, style = _LOOK[choice]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"clinic:idle:{clinic_id}:{choice}")
        )
        self.clinic_id = clinic_id
        self.choice = choice

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> IdleAnswerButton:
        return cls(int(match["clinic_id"]), match["choice"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        if self.choice == KEEP:
            await lifecycle.keep_open(bot, interaction, self.clinic_id)
        else:
            await lifecycle.resolve_from_button(bot, interaction, self.clinic_id)


def idle_question_view(clinic_id: int) -> BaseView:
    view = BaseView(timeout=None)
    view.add_item(IdleAnswerButton(clinic_id, KEEP))
    view.add_item(IdleAnswerButton(clinic_id, RESOLVE))
    return view
