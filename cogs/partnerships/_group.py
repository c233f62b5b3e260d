"""The /partnership command group, shared by the modules that add its subcommands."""

from __future__ import annotations

from core.permissions import command_group

group = command_group("partnership", "The community's register of partnerships")
