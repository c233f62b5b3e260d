"""The command tree as Discord receives it: unique names, valid shapes, everything described."""

from __future__ import annotations

from collections import Counter

from cogs.help._catalog import leaf_commands
from core.bot import cog_extensions
from tests.conftest import Community


async def test_no_duplicate_command_names(community: Community) -> None:
    names = [command.qualified_name for command in leaf_commands(community.bot.tree.get_commands())]
    duplicates = [name for name, count in Counter(names).items() if count > 1]
    assert names
    assert duplicates == []


async def test_every_command_is_described(community: Community) -> None:
    for command in leaf_commands(community.bot.tree.get_commands()):
        assert command.description and command.description != "…", command.qualified_name
        for parameter in command.parameters:
            assert parameter.description and parameter.description != "…", (
                f"{command.qualified_name} {parameter.name}"
            )


async def test_every_feature_package_is_loaded(community: Community) -> None:
    assert set(cog_extensions()) <= set(community.bot.extensions)
    assert "cogs.setup" in community.bot.extensions
    assert "cogs.help" in community.bot.extensions


async def test_commands_synced_are_the_ones_in_the_tree(community: Community) -> None:
    synced = {command.name for command in await community.bot.tree.fetch_commands()}
    assert synced == {command.name for command in community.bot.tree.get_commands()}
