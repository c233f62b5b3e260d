"""The digest's Reassign button: a coordinator gives a partnership without an owner here a new owner.

The button is a dynamic item (its custom_id carries the guild), so it works on old digests after
a restart. Who may use it is checked when it is clicked and again when the owner is chosen; what
needs an owner is read afresh, since the digest may be days old. The change goes through the same
recorded write as ``/partnership transfer``, so the timeline shows who reassigned it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from cogs.digest._gather import owner_gaps
from cogs.digest._sections import OwnerGap
from cogs.partnerships._render import escape
from core.errors import UserError
from core.permissions import Level, ensure_level
from core.replies import respond
from core.text import shorten
from core.ui import BaseView, guarded
from db import partnership_changes as changes
from db import partnerships
from db.partnerships import DuplicatePartnership

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)

PICK_ID = "digest:reassign:partnership"
OWNER_ID = "digest:reassign:owner"
OPTIONS_MAX = 25  # Discord's limit for a select


class ReassignButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"digest:reassign:(?P<guild_id>[0-9]+)"
):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reassign",
                emoji="🧭",
                style=discord.ButtonStyle.primary,
                custom_id=f"digest:reassign:{guild_id}",
            )
        )
        self.guild_id = guild_id

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any
    ) -> ReassignButton:
        return cls(int(match["guild_id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        guild = interaction.guild
        if guild is None or guild.id != self.guild_id:
            raise UserError("This button belongs to another server's digest.")
        await ensure_level(interaction, Level.COORDINATOR)
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        gaps = await owner_gaps(bot, guild)
        if not gaps:
            raise UserError("Nothing to reassign now: every open partnership has an owner in the server.")
        picker = ReassignPicker(gaps, user_id=interaction.user.id)
        await respond(interaction, picker.prompt(), view=picker)


def digest_view(guild_id: int) -> BaseView:
    view = BaseView(timeout=None)
    view.add_item(ReassignButton(guild_id))
    return view


def _ask_owner(gap: OwnerGap) -> str:
    reason = "its owner left the server" if gap.left else "it is orphaned"
    return f"Choose the new owner of **{escape(gap.partnership.name)}**: {reason}."


class ReassignPicker(BaseView):
    """Ephemeral: choose the partnership (when there are several), then its new owner."""

    def __init__(self, gaps: list[OwnerGap], *, user_id: int) -> None:
        super().__init__(allowed_user_ids=[user_id])
        self.gaps = {gap.partnership.id: gap for gap in gaps}
        self.total = len(gaps)
        self.chosen: OwnerGap | None = gaps[0] if len(gaps) == 1 else None
        if self.chosen is None:
            self.pick: discord.ui.Select[ReassignPicker] = discord.ui.Select(
                custom_id=PICK_ID,
                placeholder="Choose the partnership",
                options=[
                    discord.SelectOption(
                        label=shorten(
                            f"{'🔒 ' if gap.partnership.confidential else ''}{gap.partnership.name}", 90
                        )
                        + f" (#{gap.partnership.id})",
                        value=str(gap.partnership.id),
                        description="Owner left the server" if gap.left else "Orphaned",
                    )
                    for gap in gaps[:OPTIONS_MAX]
                ],
            )
            self.pick.callback = self.on_pick  # type: ignore[method-assign]
            self.add_item(self.pick)
        self.owner: discord.ui.UserSelect[ReassignPicker] = discord.ui.UserSelect(
            custom_id=OWNER_ID, placeholder="Choose the new owner"
        )
        self.owner.callback = self.on_owner  # type: ignore[method-assign]
        self.add_item(self.owner)

    def prompt(self) -> str:
        if self.chosen is not None:
            return _ask_owner(self.chosen)
        text = f"{self.total} partnerships need an owner. Choose one, then its new owner."
        if self.total > OPTIONS_MAX:
            text += (
                f" The list shows the {OPTIONS_MAX} most urgent; use `/partnership transfer` for the others."
            )
        return text

    async def on_pick(self, interaction: discord.Interaction) -> None:
        self.chosen = self.gaps[int(self.pick.values[0])]
        for option in self.pick.options:
            option.default = option.value == self.pick.values[0]
        await interaction.response.edit_message(
            content=_ask_owner(self.chosen),
            view=self,
        )

    async def on_owner(self, interaction: discord.Interaction) -> None:
        if self.chosen is None:
            raise UserError("First choose the partnership, then its new owner.")
        await ensure_level(interaction, Level.COORDINATOR)
        new_owner = self.owner.values[0]
        bot: PartnershipsBot = interaction.client  # type: ignore[assignment]
        assert interaction.guild is not None
        name = await reassign(
            bot, interaction.guild, self.chosen.partnership.id, new_owner, by=interaction.user.id
        )
        told = await tell_new_owner(new_owner, name, interaction.guild)
        self.stop()
        await interaction.response.edit_message(
            content=f"✅ **{escape(name)}** now belongs to {new_owner.mention}. "
            + (
                "I told them by direct message." if told else "I couldn't message them; please let them know."
            ),
            view=None,
            allowed_mentions=discord.AllowedMentions(users=[new_owner], everyone=False, roles=False),
        )


async def reassign(
    bot: PartnershipsBot, guild: discord.Guild, partnership_id: int, new_owner: discord.abc.User, *, by: int
) -> str:
    """Make ``new_owner`` the owner if the partnership still needs one; return its name."""
    record = await partnerships.get(bot.database, guild.id, partnership_id)
    if record is None:
        raise UserError("That partnership no longer exists.")
    if record.owner_id is not None and guild.get_member(record.owner_id) is not None:
        raise UserError(
            f"**{escape(record.name)}** has an owner in the server again (<@{record.owner_id}>); "
            "nothing changed."
        )
    if not isinstance(new_owner, discord.Member) or new_owner.bot:
        raise UserError("Choose a member of this server (not a bot) as the new owner.")
    if await partnerships.owner_has_partner(bot.database, guild.id, new_owner.id, record.partner_name):
        raise UserError(
            f"{new_owner.display_name} already owns a partnership with “{record.partner_name}”; "
            "one owner can't have the same partner twice."
        )
    summary = (
        "Orphaned partnership reassigned"
        if record.owner_id is None
        else "Reassigned: the owner left the server"
    )
    try:
        async with changes.change(
            bot.database, record.id, at=bot.clock(), author_id=by, kind="ownership", summary=summary
        ) as tx:
            await changes.transfer(tx, record.id, new_owner.id, keep_previous=None)
    except DuplicatePartnership:
        raise UserError(f"{new_owner.display_name} already owns a partnership with that partner.") from None
    log.info(
        "partnership reassigned from digest partnership=%s guild=%s by=%s to=%s",
        record.id,
        guild.id,
        by,
        new_owner.id,
    )
    return record.name


async def tell_new_owner(new_owner: discord.abc.User, name: str, guild: discord.Guild) -> bool:
    """A direct message to the new owner; False when they don't accept direct messages."""
    try:
        await new_owner.send(
            f"🧭 A coordinator made you the owner of **{escape(name)}** in **{guild.name}**. "
            "See it with `/partnership show`.",
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException:
        log.info("could not tell new owner guild=%s user=%s", guild.id, new_owner.id)
        return False
    return True
