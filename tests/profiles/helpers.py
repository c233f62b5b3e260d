"""Small helpers shared by the /profile tests."""

from __future__ import annotations

import sqlite3
from typing import Any

import discord
from simcord.actors import MemberActor

from tests.conftest import Community


def fields_of(embed: discord.Embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}  # type: ignore[misc]


async def profile_row(community: Community, actor: MemberActor) -> sqlite3.Row | None:
    return await community.bot.database.fetch_one(
        "SELECT * FROM profiles WHERE guild_id = ? AND user_id = ?", (community.guild.id, actor.id)
    )


async def set_profile(community: Community, actor: MemberActor, **options: Any) -> Any:
    result = await actor.slash(community.general, "profile set", **options)
    assert result.response.content == "Profile saved.", result.response.content
    return result
