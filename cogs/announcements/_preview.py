"""The ephemeral preview with Post · Edit · Cancel, and what Post does: post now or schedule."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import discord

from cogs.announcements import _forms as forms
from cogs.announcements import _render as render
from cogs.announcements._posting import post_claimed
from cogs.announcements._target import Target, resolve
from core.errors import UserError
from core.permissions import Level, ensure_level
from core.replies import respond
from core.ui import BaseView, FormModal
from core.when import Repeat
from db import announcements
from db.announcements import AnnouncementDraft

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    """What the coordinator chose, before anything is written."""

    guild_id: int
    author_id: int
    channel_id: int
    role_id: int | None
    due_at: datetime | None  # None: post right away
    repeat: Repeat
    zone: ZoneInfo
    wording: forms.Wording

    def record(self, due_at: datetime) -> AnnouncementDraft:
        return AnnouncementDraft(
            guild_id=self.guild_id,
            author_id=self.author_id,
            channel_id=self.channel_id,
            role_id=self.role_id,
            title=self.wording.title,
            body=self.wording.body,
            due_at=due_at,
            repeat=self.repeat,
            anchor=due_at.astimezone(self.zone),
        )


def preview_message(draft: Draft, target: Target, author: discord.Member, now: datetime) -> dict[str, Any]:
    """The preview's content and embeds: the announcement exactly as it will be sent, then notes."""
    sent = render.announcement(
        draft.wording.title,
        draft.wording.body,
        role_id=draft.role_id,
        author_name=author.display_name,
        moment=draft.due_at or now.replace(microsecond=0),
    )
    notes = render.preview_notes(
        channel=target.channel, role=target.role, due_at=draft.due_at, repeat=draft.repeat, zone=draft.zone
    )
    return {"content": sent.content, "embeds": [sent.embed, notes]}


class PreviewView(BaseView):
    def __init__(self, bot: PartnershipsBot, draft: Draft, claim_token: str) -> None:
        super().__init__(allowed_user_ids=[draft.author_id])
        self.bot = bot
        self.draft = draft
        self.claim_token = claim_token
        self.posting = False  # a second click while the first is at work must not post twice

    def _target(self, interaction: discord.Interaction) -> Target:
        assert interaction.guild is not None
        return resolve(interaction.guild, self.draft.channel_id, self.draft.role_id)

    async def show(self, interaction: discord.Interaction) -> None:
        """Answer the form with the preview (a new message, or the old preview updated after Edit)."""
        assert isinstance(interaction.user, discord.Member)
        shown = preview_message(self.draft, self._target(interaction), interaction.user, self.bot.clock())
        if interaction.message is not None and interaction.type is discord.InteractionType.modal_submit:
            await interaction.response.edit_message(**shown, view=self)
        else:
            await respond(interaction, **shown, view=self)

    @discord.ui.button(label="Post", style=discord.ButtonStyle.success)
    async def post(self, interaction: discord.Interaction, button: discord.ui.Button[PreviewView]) -> None:
        if self.posting:
            raise UserError("I'm already posting this announcement.")
        self.posting = True
        try:
            await ensure_level(interaction, Level.COORDINATOR)
            target = self._target(interaction)
            now = self.bot.clock()
            if self.draft.due_at is None:
                await interaction.response.defer()
                text = await self._post_now(target, now)
            else:
                text = await self._schedule(target, now)
        except BaseException:
            self.posting = False  # fixed (a permission, the time), it may be pressed again
            raise
        self.stop()
        if interaction.response.is_done():
            await interaction.edit_original_response(content=text, embeds=[], view=None)
        else:
            await interaction.response.edit_message(content=text, embeds=[], view=None)

    async def _post_now(self, target: Target, now: datetime) -> str:
        due_at = now.replace(microsecond=0)
        row = await announcements.create(
            self.bot.database, self.draft.record(due_at), at=now, claim_token=self.claim_token
        )
        try:
            posted = await post_claimed(self.bot, row, now)
        except Exception:
            await announcements.discard(self.bot.database, row)  # nothing stays half-done
            raise
        text = f"Posted in {target.channel.mention}: {posted.jump_url}"
        if posted.note:
            text += f"\n📣 {posted.note[0].upper()}{posted.note[1:]}."
        return text

    async def _schedule(self, target: Target, now: datetime) -> str:
        due_at = self.draft.due_at
        assert due_at is not None
        if due_at <= now:
            raise UserError(
                "That time passed while you were previewing. Run `/announce post` again with a later time."
            )
        row = await announcements.create(self.bot.database, self.draft.record(due_at), at=now)
        log.info(
            "announcement scheduled announcement=%s guild=%s due=%s repeat=%s",
            row.id,
            row.guild_id,
            row.due_at.isoformat(),
            row.repeat.value,
        )
        text = f"Scheduled **#{row.id}** for {render.when_line(row.due_at)} in {target.channel.mention}"
        if row.repeat is not Repeat.NONE:
            text += f", repeating {render.repeat_phrase(row.repeat, row.anchor)}"
        return text + f". `/announce list` shows it; `/announce cancel id:{row.id}` stops it."

    @discord.ui.button(label="Edit", style=discord.ButtonStyle.secondary)
    async def edit(self, interaction: discord.Interaction, button: discord.ui.Button[PreviewView]) -> None:
        async def finish(submitted: discord.Interaction, form: dict[str, str]) -> None:
            self.draft = replace(self.draft, wording=forms.wording(form))
            await self.show(submitted)

        await interaction.response.send_modal(
            FormModal(title="Edit your announcement", fields=forms.fields(self.draft.wording), finish=finish)
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.danger)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[PreviewView]) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Cancelled: nothing was posted or scheduled.", embeds=[], view=None
        )
