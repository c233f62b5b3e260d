"""/help lists what the asker may use, grouped, and nothing else."""

from __future__ import annotations

from tests.conftest import Community


def listed(result) -> str:  # type: ignore[no-untyped-def]
    embed = result.response.embeds[0]
    return "\n".join(f"{field.name}\n{field.value}" for field in embed.fields)


async def test_member_sees_member_commands_only(community: Community) -> None:
    result = await community.member.slash(community.general, "help")
    assert result.ephemeral
    text = listed(result)
    assert "`/help`" in text
    assert "/setup" not in text
    assert result.response.embeds[0].footer.text == "You are using me as: member"


async def test_admin_sees_setup_commands(community: Community) -> None:
    result = await community.admin.slash(community.general, "help")
    text = listed(result)
    for name in ("setup channel", "setup coordinator-role", "setup show"):
        assert f"`/{name}`" in text
    assert "*(server admins)*" in text
    assert result.response.embeds[0].footer.text == "You are using me as: admin"


async def test_coordinator_level_is_reported(community: Community) -> None:
    result = await community.coordinator.slash(community.general, "help")
    assert "/setup" not in listed(result)
    assert result.response.embeds[0].footer.text == "You are using me as: coordinator"
