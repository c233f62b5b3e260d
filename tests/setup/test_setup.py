"""/setup through Discord: admins configure, others are refused and nothing is written."""

from __future__ import annotations

import discord

from db import settings
from db.settings import ChannelPurpose
from tests.conftest import Community


async def test_admin_sets_a_forum_for_clinics(community: Community) -> None:
    forum = community.guild.create_forum_channel("partnership-clinics")
    result = await community.admin.slash(community.general, "setup channel", purpose="clinics", channel=forum)
    assert result.ephemeral
    assert f"Clinics channel set to {forum.mention}" in result.response.content
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.channel_id(ChannelPurpose.CLINICS) == forum.id


async def test_wrong_channel_type_is_refused_and_nothing_written(community: Community) -> None:
    forum = community.guild.create_forum_channel("forum")
    result = await community.admin.slash(community.general, "setup channel", purpose="digest", channel=forum)
    assert result.ephemeral
    assert result.response.content == "The coordinator digest channel must be a text channel."
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.channels == {}


async def test_omitting_the_channel_unsets_it(community: Community) -> None:
    await community.admin.slash(
        community.general, "setup channel", purpose="digest", channel=community.general
    )
    result = await community.admin.slash(community.general, "setup channel", purpose="digest")
    assert result.response.content == "Coordinator digest channel unset."
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.channel_id(ChannelPurpose.DIGEST) is None


async def test_plain_member_is_refused_even_when_admins_unhide_setup(community: Community) -> None:
    await community.open_command_to_everyone("setup")
    for command, options in [
        ("setup channel", {"purpose": "digest", "channel": community.general}),
        ("setup coordinator-role", {"role": community.coordinator_role}),
        ("setup show", {}),
    ]:
        result = await community.member.slash(community.general, command, **options)
        assert result.ephemeral
        assert "Only server admins" in result.response.content
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.channels == {}
    assert stored.coordinator_role_ids == {community.coordinator_role.id}


async def test_coordinators_are_not_admins(community: Community) -> None:
    await community.open_command_to_everyone("setup")
    result = await community.coordinator.slash(community.general, "setup show")
    assert "Only server admins" in result.response.content


async def test_coordinator_role_add_and_remove(community: Community) -> None:
    stewards = community.guild.create_role("GLAM stewards")
    added = await community.admin.slash(community.general, "setup coordinator-role", role=stewards)
    assert added.response.content == f"Members with {stewards.mention} are now coordinators."
    again = await community.admin.slash(community.general, "setup coordinator-role", role=stewards)
    assert again.response.content == f"{stewards.mention} is already a coordinator role."
    removed = await community.admin.slash(
        community.general, "setup coordinator-role", role=stewards, remove=True
    )
    assert removed.response.content == f"{stewards.mention} is no longer a coordinator role."
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.coordinator_role_ids == {community.coordinator_role.id}


async def test_everyone_cannot_be_the_coordinator_role(community: Community) -> None:
    result = await community.admin.slash(
        community.general, "setup coordinator-role", role=community.guild.default_role
    )
    assert "@everyone can't be the coordinator role" in result.response.content
    stored = await settings.load(community.bot.database, community.guild.id)
    assert stored.coordinator_role_ids == {community.coordinator_role.id}


async def test_show_reports_set_missing_and_permissions(community: Community) -> None:
    guild = community.guild
    digest = guild.create_text_channel("coordinators")
    # A channel where the bot can see but not speak: /setup show must say so.
    locked = guild.create_text_channel(
        "announcements",
        overwrites={guild.default_role: discord.PermissionOverwrite(send_messages=False)},
    )
    await community.admin.slash(community.general, "setup channel", purpose="digest", channel=digest)
    set_locked = await community.admin.slash(
        community.general, "setup channel", purpose="announcements", channel=locked
    )
    # Discord also withholds Embed Links where Send Messages is denied.
    assert "I'm missing these permissions there: Send Messages, Embed Links" in set_locked.response.content

    result = await community.admin.slash(community.general, "setup show")
    embed = result.response.embeds[0]
    assert result.ephemeral
    assert f"**Coordinator digest**: {digest.mention} ✓" in embed.description
    assert (
        f"**Announcements**: {locked.mention}, but I'm missing: Send Messages, Embed Links."
        in embed.description
    )
    assert "**Clinics**: not set." in embed.description
    assert "**Check-ins fallback**: not set." in embed.description
    assert embed.fields[0].value == community.coordinator_role.mention
    assert embed.footer.text == "3 thing(s) to fix"


async def test_setup_is_hidden_from_members_by_default(community: Community) -> None:
    assert "setup show" not in community.member.available_commands(community.general)
    assert "setup show" in community.admin.available_commands(community.general)
