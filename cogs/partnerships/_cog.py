"""The /partnership cog, assembled from one module per job (they share ``_group.group``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from cogs.partnerships._browse import BrowseCommands
from cogs.partnerships._exchange import ExchangeCommands
from cogs.partnerships._group import group
from cogs.partnerships._register import RegisterCommands
from cogs.partnerships._update import UpdateCommands

if TYPE_CHECKING:
    from core.bot import PartnershipsBot


class PartnershipsCog(RegisterCommands, BrowseCommands, UpdateCommands, ExchangeCommands, commands.Cog):
    group = group

    def __init__(self, bot: PartnershipsBot) -> None:
        self.bot = bot
