"""/partnership export and import (coordinators): CSV, JSON and a Meta-Wiki table."""

from __future__ import annotations

from cogs.partnerships._base import PartnershipCommands


class ExchangeCommands(PartnershipCommands):
    pass
