"""The buttons on a check-in prompt: dynamic items with the check-in id in the custom_id, so they
keep working on old messages, in direct messages and private threads, after any restart."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import discord

from cogs.checkins import _answers as answers
from cogs.checkins._render import STATUS_NAMES
from core.ui import BaseView, guarded
from core.vocabulary import Health

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


class Action(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_ATTENTION = "needs_attention"
    STALLED = "stalled"
    SNOOZE = "snooze"
    DISMISS = "dismiss"


STATUS = {
    Action.ON_TRACK: Health.ON_TRACK,
    Action.NEEDS_ATTENTION: Health.NEEDS_ATTENTION,
    Action.STALLED: Health.STALLED,
}
_LOOK = {
    Action.ON_TRACK: (STATUS_NAMES[Health.ON_TRACK], discord.ButtonStyle.success),
    Action.NEEDS_ATTENTION: (STATUS_NAMES[Health.NEEDS_ATTENTION], discord.ButtonStyle.primary),
    Action.STALLED: (STATUS_NAMES[Health.STALLED], discord.ButtonStyle.danger),
    Action.SNOOZE: ("Snooze a week", discord.ButtonStyle.secondary),
    Action.DISMISS: ("Not now", discord.ButtonStyle.secondary),
}


def custom_id_prefix(checkin_id: int) -> str:
    """What every button of one prompt starts with: how a retry recognises a prompt already sent."""
    return f"checkin:{checkin_id}:"


class CheckinButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"checkin:(?P<id>[0-9]+):(?P<action>on_track|needs_attention|stalled|snooze|dismiss)",
):
    def __init__(self, checkin_id: int, action: Action) -> None:
        label, style = _LOOK[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"{custom_id_prefix(checkin_id)}{action}")
        )
        self.checkin_id = checkin_id
        self.action = action

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> CheckinButton:
        return cls(int(match["id"]), Action(match["action"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        checkin, record = await answers.open_checkin(bot, interaction, self.checkin_id)
        if self.action is Action.SNOOZE:
            await answers.snooze(bot, interaction, checkin, record)
        elif self.action is Action.DISMISS:
            await answers.dismiss(bot, interaction, checkin)
        else:
            await answers.open_form(bot, interaction, record, STATUS[self.action], checkin_id=checkin.id)


def prompt_view(checkin_id: int) -> BaseView:
    view = BaseView(timeout=None)
    for action in Action:
        view.add_item(CheckinButton(checkin_id, action))
    return view
