"""A command asks the member's permission level several times (the group's check, the partnership
option, the change itself); the database is asked once per interaction."""

from __future__ import annotations

from tests.conftest import Community
from tests.partnerships.test_register_show import register


async def coordinator_role_reads(community: Community, work: object) -> int:
    sent: list[str] = []
    connection = community.bot.database.connection
    await connection.set_trace_callback(sent.append)
    try:
        await work  # type: ignore[misc]
    finally:
        await connection.set_trace_callback(None)
    return sum("FROM coordinator_roles" in sql for sql in sent)


async def test_a_change_command_looks_the_level_up_once(community: Community) -> None:
    mina = community.member
    await register(community, mina)

    reads = await coordinator_role_reads(
        community, mina.slash(community.general, "partnership log", partnership="1", note="Met the curator")
    )

    assert reads == 1
    timeline = await community.bot.database.fetch_value(
        "SELECT note FROM partnership_timeline WHERE kind = 'interaction'"
    )
    assert timeline == "Met the curator"


async def test_each_interaction_decides_afresh(community: Community) -> None:
    """The level is kept per interaction, never per member: a role made a coordinator role counts
    from the next command on."""
    await register(community, community.member, visibility="confidential")
    events = community.guild.create_role("Events team")
    eva = community.add_member("eva", roles=[events])

    before = await eva.slash(community.general, "partnership show", partnership="1")
    made = await community.admin.slash(community.general, "setup coordinator-role", role=events)
    after = await eva.slash(community.general, "partnership show", partnership="1")

    assert before.response.content.startswith("I can't find a partnership “1” that you can see.")
    assert made.response.content == f"Members with {events.mention} are now coordinators."
    assert after.response.embeds[0].title == "#1 National Museum of Ghana"
