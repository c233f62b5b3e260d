"""Keeping a record current: edit, stage, log, target, agreement, transfer, co-owner, close."""

from __future__ import annotations

from cogs.partnerships._base import PartnershipCommands


class UpdateCommands(PartnershipCommands):
    pass
