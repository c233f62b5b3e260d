"""Who a new clinic suggests and pings: the asker never, leavers never, five at most, opt-in only,
and each member at most the weekly cap (3 by default) across all clinics."""

from __future__ import annotations

from dataclasses import replace

from tests.clinics.helpers import clinics_forum, expert, open_clinic, reply_text, stored_message, thread_of
from tests.conftest import Community


async def suggestion_message(community: Community, forum, clinic_id: int):  # type: ignore[no-untyped-def]
    thread_id = await community.bot.database.fetch_value(
        "SELECT thread_id FROM clinics WHERE id = ?", (clinic_id,)
    )
    return thread_of(community, forum, thread_id).history()[-1]


async def test_the_asker_and_members_who_left_are_never_suggested(community: Community) -> None:
    forum = await clinics_forum(community)
    mina, omar, pita = community.members
    for actor in (mina, omar, pita):
        await expert(community, actor, pings=True)
    community.guild.remove_member(omar)
    await community.env.settle()

    result = await open_clinic(community, mina)

    assert reply_text(result).endswith("I suggested 1 member(s) and pinged 1.")
    message = await suggestion_message(community, forum, 1)
    assert message.content.splitlines()[1:-1] == [f"1. <@{pita.id}>"]
    assert stored_message(community, message).ping_user_ids == [pita.id]


async def test_at_most_five_are_suggested_best_first(community: Community) -> None:
    forum = await clinics_forum(community)
    helpers = [community.add_member(f"helper{number}") for number in range(7)]
    for number, actor in enumerate(helpers):
        # Two experts, then practitioners: the ranking puts experts first.
        await expert(community, actor, level="expert" if number in (3, 5) else "practitioner", pings=True)

    await open_clinic(community, community.member)

    message = await suggestion_message(community, forum, 1)
    lines = message.content.splitlines()[1:-1]
    assert len(lines) == 5
    assert lines[:2] == [f"1. <@{helpers[3].id}>", f"2. <@{helpers[5].id}>"]
    assert sorted(stored_message(community, message).ping_user_ids) == sorted(
        actor.id for actor in helpers if f"<@{actor.id}>" in message.content
    )


async def test_the_weekly_cap_stops_pings_across_clinics_until_the_week_has_passed(
    community: Community,
) -> None:
    forum = await clinics_forum(community)
    mina, omar, pita = community.members
    await expert(community, omar, pings=True)

    for number in range(3):
        community.clock.advance(days=1)
        await open_clinic(community, mina, topic=f"Museum question {number}")
    community.clock.advance(days=1)
    capped = await open_clinic(community, pita, topic="Another museum question")

    assert reply_text(capped).endswith("I suggested 1 member(s) and pinged 0.")
    fourth = await suggestion_message(community, forum, 4)
    assert fourth.content.splitlines()[1] == "1. **omar**"
    assert stored_message(community, fourth).ping_user_ids == []
    assert (
        await community.bot.database.fetch_value(
            "SELECT COUNT(*) FROM clinic_pings WHERE user_id = ?", (omar.id,)
        )
        == 3
    )

    # Seven days after the first ping, one ping has left the window.
    community.clock.advance(days=4, minutes=1)
    await open_clinic(community, pita, topic="A fifth museum question")
    fifth = await suggestion_message(community, forum, 5)
    assert fifth.content.splitlines()[1] == f"1. <@{omar.id}>"
    assert stored_message(community, fifth).ping_user_ids == [omar.id]


async def test_the_cap_is_configurable(community: Community) -> None:
    forum = await clinics_forum(community)
    mina, omar, _ = community.members
    await expert(community, omar, pings=True)
    community.bot.config = replace(community.bot.config, clinic_weekly_ping_cap=1)

    await open_clinic(community, mina, topic="First")
    await open_clinic(community, mina, topic="Second")

    first = await suggestion_message(community, forum, 1)
    second = await suggestion_message(community, forum, 2)
    assert stored_message(community, first).ping_user_ids == [omar.id]
    assert stored_message(community, second).ping_user_ids == []
    assert "at most 1 times a week each" in second.content


async def test_members_who_opted_out_are_named_without_a_ping(community: Community) -> None:
    forum = await clinics_forum(community)
    mina, omar, _ = community.members
    await expert(community, omar, pings=False)

    await open_clinic(community, mina)

    message = await suggestion_message(community, forum, 1)
    assert message.content.splitlines()[1] == "1. **omar**"
    assert f"<@{omar.id}>" not in message.content
    assert stored_message(community, message).ping_user_ids == []
    assert stored_message(community, message).allowed_mentions.users == frozenset()
