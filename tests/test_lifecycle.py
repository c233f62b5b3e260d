"""Start-up and restart: the database survives, and commands are only re-synced when they change."""

from __future__ import annotations

from db import settings
from db.settings import ChannelPurpose
from tests.conftest import Community


def command_syncs(community: Community) -> int:
    return sum(
        1
        for request in community.env.http_requests
        if request.method == "PUT" and request.path.endswith("/commands")
    )


async def test_settings_survive_a_restart_and_sync_is_not_repeated(community: Community) -> None:
    await community.admin.slash(
        community.general, "setup channel", purpose="digest", channel=community.general
    )
    assert command_syncs(community) == 1
    bot = await community.restart()
    stored = await settings.load(bot.database, community.guild.id)
    assert stored.channel_id(ChannelPurpose.DIGEST) == community.general.id
    assert command_syncs(community) == 1  # unchanged tree: no second sync
    result = await community.admin.slash(community.general, "setup show")
    assert f"{community.general.mention} ✓" in result.response.embeds[0].description


async def test_database_file_is_created_with_its_folder(community: Community) -> None:
    assert community.bot_config.database_path.exists()
