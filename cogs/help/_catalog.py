"""Which commands a member may use, grouped; read from the command tree itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from discord import app_commands

from core.permissions import Level, command_level


@dataclass(frozen=True)
class CommandEntry:
    name: str  # qualified, e.g. "setup channel"
    description: str
    level: Level


def leaf_commands(
    roots: Iterable[app_commands.Command | app_commands.Group | app_commands.ContextMenu],
) -> list[app_commands.Command]:
    """Every invocable slash command, depth first, in registration order."""
    leaves: list[app_commands.Command] = []
    for root in roots:
        if isinstance(root, app_commands.Group):
            leaves.extend(leaf_commands(root.commands))
        elif isinstance(root, app_commands.Command):
            leaves.append(root)
    return leaves


def catalog(
    roots: Iterable[app_commands.Command | app_commands.Group | app_commands.ContextMenu], level: Level
) -> dict[str, list[CommandEntry]]:
    """Commands usable at ``level``, grouped by their top-level name."""
    groups: dict[str, list[CommandEntry]] = {}
    for command in leaf_commands(roots):
        needed = command_level(command)
        if needed > level:
            continue
        top = command.qualified_name.split(" ")[0]
        groups.setdefault(top, []).append(CommandEntry(command.qualified_name, command.description, needed))
    return groups
