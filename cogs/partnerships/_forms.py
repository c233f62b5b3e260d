"""Modals for partnership records; the limits are shown in each field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from cogs.partnerships import _validate as validate
from core.ui import BaseModal
from db.partnerships import PartnershipDraft

FinishRegister = Callable[[discord.Interaction, PartnershipDraft, dict[str, str]], Awaitable[None]]


class RegisterModal(BaseModal, title="Describe the partnership"):
    name: discord.ui.TextInput = discord.ui.TextInput(
        custom_id="name",
        label=f"Partnership name (optional, ≤{validate.NAME_MAX})",
        placeholder="e.g. Wikipedian in Residence at the National Museum",
        required=False,
        max_length=validate.NAME_MAX,
    )
    description: discord.ui.TextInput = discord.ui.TextInput(
        custom_id="description",
        label=f"Description (≤{validate.DESCRIPTION_MAX} characters)",
        style=discord.TextStyle.paragraph,
        placeholder="What you do together, for whom, and why",
        required=False,
        max_length=validate.DESCRIPTION_MAX,
    )
    meta_url: discord.ui.TextInput = discord.ui.TextInput(
        custom_id="meta_url",
        label="Meta-Wiki page (https://…, optional)",
        required=False,
        max_length=validate.URL_MAX,
    )
    agreement_url: discord.ui.TextInput = discord.ui.TextInput(
        custom_id="agreement_url",
        label="Agreement document (https://…, optional)",
        required=False,
        max_length=validate.URL_MAX,
    )
    end: discord.ui.TextInput = discord.ui.TextInput(
        custom_id="end", label="End date (YYYY-MM-DD, optional)", required=False, max_length=10
    )

    def __init__(self, finish: FinishRegister, draft: PartnershipDraft) -> None:
        super().__init__()
        self.finish = finish
        self.draft = draft
        self.name.placeholder = draft.partner_name[:100]

    async def on_submit(self, interaction: discord.Interaction) -> None:
        form = {
            "name": self.name.value,
            "description": self.description.value,
            "meta_url": self.meta_url.value,
            "agreement_url": self.agreement_url.value,
            "end": self.end.value,
        }
        await self.finish(interaction, self.draft, form)
