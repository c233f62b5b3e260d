"""Who left the server: recorded as Discord reports it, undone when they rejoin, found by the first
tick after downtime, and left out of /expertise areas' member counts; /profile forget removes it."""

from __future__ import annotations

from datetime import timedelta

from simcord.actors import MemberActor

from core.clock import to_storage
from db import expertise
from tests.conftest import Community, tick
from tests.expertise.helpers import declare, record

GLAM = "**GLAM** — {} · 0 partnerships · 0 open clinics"


async def glam_line(community: Community) -> str:
    result = await community.member.slash(community.general, "expertise areas")
    lines = result.response.embeds[0].description.split("\n")
    return next(line for line in lines if line.startswith("**GLAM**"))


async def departures(community: Community) -> dict[int, str]:
    rows = await community.bot.database.fetch_all(
        "SELECT user_id, left_at FROM member_departures WHERE guild_id = ?", (community.guild.id,)
    )
    return {row["user_id"]: row["left_at"] for row in rows}


def leave_unseen(community: Community, actor: MemberActor) -> None:
    """The member leaves while the bot is offline: Discord's list changes, no event reaches the bot."""
    del community.env.backend.get_guild(community.guild.id).members[actor.id]


def rejoin_unseen(community: Community, actor: MemberActor) -> None:
    community.env.backend.add_member(community.guild.id, actor.id)  # no announcement: the bot is away


async def test_a_member_who_leaves_is_not_counted_until_they_rejoin(community: Community) -> None:
    mina, _, pita = community.members
    await declare(community, mina, "GLAM")
    await declare(community, pita, "GLAM", "learning")
    assert await glam_line(community) == GLAM.format("2 members")

    community.clock.advance(hours=1)
    community.guild.remove_member(pita)
    assert await glam_line(community) == GLAM.format("1 member")
    assert await departures(community) == {pita.id: "2026-11-20T13:00:00+00:00"}

    community.guild.add_member(pita.user)
    assert await glam_line(community) == GLAM.format("2 members")
    assert await departures(community) == {}


async def test_someone_the_bot_holds_nothing_about_leaves_no_record(community: Community) -> None:
    mina, omar, _ = community.members
    await declare(community, mina, "GLAM")
    community.guild.remove_member(omar)
    assert await glam_line(community) == GLAM.format("1 member")
    assert await departures(community) == {}


async def test_comings_and_goings_while_the_bot_was_offline_are_found_after_start_up(
    community: Community,
) -> None:
    mina, omar, pita = community.members
    for actor in (mina, omar, pita):
        await declare(community, actor, "GLAM")
    community.guild.remove_member(omar)  # seen: recorded
    assert await glam_line(community) == GLAM.format("2 members")

    leave_unseen(community, pita)
    rejoin_unseen(community, omar)
    community.clock.advance(days=3)
    await community.restart()
    assert await departures(community) == {omar.id: "2026-11-20T12:00:00+00:00"}  # not yet compared

    await tick(community, community.clock())
    assert await departures(community) == {pita.id: to_storage(community.clock())}
    assert await glam_line(community) == GLAM.format("2 members")  # mina and omar

    # A second start finds nothing new: pita's record keeps its first date.
    community.clock.advance(days=1)
    await community.restart()
    await tick(community, community.clock())
    assert await departures(community) == {pita.id: to_storage(community.clock() - timedelta(days=1))}


async def test_forget_removes_the_departure_record(community: Community) -> None:
    _, _, pita = community.members
    await declare(community, pita, "GLAM")
    community.guild.remove_member(pita)
    await community.env.settle()
    rejoin_unseen(community, pita)  # back, but the bot hasn't noticed yet
    assert set(await departures(community)) == {pita.id}

    asked = await pita.slash(community.general, "profile forget")
    await pita.click(asked.response, label="Forget me")

    assert await departures(community) == {}
    assert await glam_line(community) == GLAM.format("0 members")


async def test_owners_co_owners_and_profiles_are_on_record_too(community: Community) -> None:
    mina, omar, pita = community.members
    await record(community, mina, "City Museum", co_owners=(omar,))
    shared = await pita.slash(community.general, "profile set", region="Ghana")
    assert shared.response is not None
    for actor in (community.admin, mina, omar, pita):  # the admin holds nothing here
        community.guild.remove_member(actor)
    await community.env.settle()
    assert set(await departures(community)) == {mina.id, omar.id, pita.id}


async def test_owners_co_owners_and_profiles_who_left_while_offline_are_found(community: Community) -> None:
    mina, omar, pita = community.members
    await record(community, mina, "City Museum", co_owners=(omar,))
    shared = await pita.slash(community.general, "profile set", region="Ghana")
    assert shared.response is not None
    for actor in (community.admin, mina, omar, pita):
        leave_unseen(community, actor)
    await community.restart()
    await tick(community, community.clock())
    assert set(await departures(community)) == {mina.id, omar.id, pita.id}


async def test_a_departed_members_declarations_changing_keeps_the_counts_right(community: Community) -> None:
    mina, _, pita = community.members
    database = community.bot.database
    await declare(community, mina, "GLAM")
    await declare(community, pita, "GLAM")
    community.guild.remove_member(pita)
    await community.env.settle()
    assert await glam_line(community) == GLAM.format("1 member")

    assert await expertise.withdraw(database, community.guild.id, pita.id, "glam")
    assert await glam_line(community) == GLAM.format("1 member")
    await declare(community, pita, "GLAM")  # as an import would, while they are away
    assert await glam_line(community) == GLAM.format("1 member")
    async with database.transaction() as tx:  # no command moves a declaration; the tally follows anyway
        await tx.execute("UPDATE member_expertise SET area = 'wikidata' WHERE user_id = ?", (pita.id,))
    assert await glam_line(community) == GLAM.format("1 member")

    community.guild.add_member(pita.user)
    await community.env.settle()
    assert await glam_line(community) == GLAM.format("1 member")  # pita's area is Wikidata now
    tallies = await database.fetch_all("SELECT area, members FROM departed_expertise_tallies")
    assert {row["area"]: row["members"] for row in tallies} == {"glam": 0, "wikidata": 0}
