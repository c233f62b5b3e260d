"""Resolving with a lesson, crediting helpers, reopening — inside the clinic's thread, by the right people."""

from __future__ import annotations

from typing import Any

from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from db import clinics
from db.clinics import ClinicStatus
from tests.clinics.helpers import clinics_forum, deny_bot, only_clinic, open_clinic, stored_message, thread_of
from tests.conftest import Community

LESSON = {
    "lesson": "Offer a small pilot batch under CC BY-SA first; the museum agreed once it saw attribution.",
    "tags": "licensing, Museum",
}


async def opened(community: Community) -> tuple[ChannelHandle, ChannelHandle]:
    """A forum with one clinic opened by mina; returns (forum, thread)."""
    forum = await clinics_forum(community)
    await open_clinic(community, community.member)
    clinic = await only_clinic(community)
    return forum, thread_of(community, forum, clinic.thread_id)


async def resolve(
    community: Community, actor: MemberActor, thread: ChannelHandle, form: dict[str, str]
) -> Any:
    shown = await actor.slash(thread, "clinic resolve")
    assert shown.modal is not None, shown.response and shown.response.content
    assert shown.modal["title"] == "What worked?"
    return await actor.submit_modal(shown, form)


def thread_state(community: Community, thread: ChannelHandle) -> tuple[bool, bool]:
    metadata = community.env.backend.get_channel(thread.id).thread_metadata
    return metadata.archived, metadata.locked


async def test_the_asker_resolves_with_a_lesson_then_the_thread_is_archived_and_locked(
    community: Community,
) -> None:
    _, thread = await opened(community)
    mina, omar, _ = community.members
    await mina.slash(thread, "clinic helpful", member=omar)

    result = await resolve(community, mina, thread, LESSON)

    assert not result.response.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "✅ Resolved: Museum hesitates about the licence"
    assert embed.description == LESSON["lesson"]
    fields = {field.name: field.value for field in embed.fields}
    assert fields == {
        "Tags": "licensing, museum",
        "Helpers credited": f"<@{omar.id}>",
        "Resolved by": f"<@{mina.id}>",
    }
    assert stored_message(community, result.response.message).ping_user_ids == []
    assert thread_state(community, thread) == (True, True)
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.RESOLVED
    assert (clinic.lesson, clinic.lesson_tags, clinic.resolved_by) == (
        LESSON["lesson"],
        ("licensing", "museum"),
        mina.id,
    )
    assert clinic.resolved_at == community.clock()


async def test_a_resolved_lesson_is_found_with_a_link_to_its_thread(community: Community) -> None:
    _, thread = await opened(community)
    await resolve(community, community.member, thread, LESSON)

    result = await community.members[2].slash(community.general, "clinic lessons", query="pilot attribution")

    embed = result.response.embeds[0]
    assert embed.title == "Lessons: pilot attribution"
    lines = embed.description.splitlines()
    assert lines[0] == (
        "**#1 Museum hesitates about the licence** · "
        f"https://discord.com/channels/{community.guild.id}/{thread.id}"
    )
    assert "**pilot**" in lines[1] and "**attribution**" in lines[1]
    assert embed.footer.text == "Showing 1–1 of 1"


async def test_only_the_asker_or_a_coordinator_resolves_and_only_inside_the_thread(
    community: Community,
) -> None:
    _, thread = await opened(community)
    _, omar, _ = community.members

    refused = await omar.slash(thread, "clinic resolve")
    outside = await community.member.slash(community.general, "clinic resolve")
    by_coordinator = await community.coordinator.slash(thread, "clinic resolve")

    assert refused.modal is None
    assert (
        refused.response.content
        == "Only the member who opened this clinic, or a coordinator, can resolve it."
    )
    assert (
        outside.response.content
        == "Run `/clinic resolve` inside the clinic's own thread, in the clinics channel."
    )
    assert by_coordinator.modal is not None
    assert (await only_clinic(community)).status is ClinicStatus.OPEN


async def test_an_empty_lesson_resolves_nothing_and_resolving_twice_is_refused(community: Community) -> None:
    _, thread = await opened(community)
    mina = community.member

    empty = await resolve(community, mina, thread, {"lesson": "   "})
    assert empty.response.content == "The lesson can't be empty."
    assert (await only_clinic(community)).status is ClinicStatus.OPEN
    assert thread_state(community, thread) == (False, False)

    await resolve(community, mina, thread, LESSON)
    again = await mina.slash(thread, "clinic resolve")
    assert again.modal is None
    assert (
        again.response.content == "This clinic is resolved already. Run `/clinic reopen` here to continue it."
    )


async def test_helpful_credits_a_helper_once(community: Community) -> None:
    _, thread = await opened(community)
    mina, omar, _ = community.members

    result = await mina.slash(thread, "clinic helpful", member=omar)
    again = await mina.slash(thread, "clinic helpful", member=omar)

    assert not result.response.ephemeral
    assert result.response.content == f"🙏 <@{mina.id}> credited <@{omar.id}> as helpful in this clinic."
    assert stored_message(community, result.response.message).ping_user_ids == []
    assert again.response.ephemeral
    assert again.response.content == f"<@{omar.id}> is credited in this clinic already."
    rows = await community.bot.database.fetch_all(
        "SELECT clinic_id, helper_id, credited_by, at FROM clinic_credits"
    )
    assert [tuple(row) for row in rows] == [(1, omar.id, mina.id, "2026-11-20T12:00:00+00:00")]
    # The count /expertise who ranks with (its clinic-credits seam runs the same query).
    assert await clinics.credit_counts(community.bot.database, community.guild.id, [omar.id, mina.id]) == {
        omar.id: 1
    }


async def test_helpful_refuses_self_bots_the_asker_strangers_and_other_channels(community: Community) -> None:
    _, thread = await opened(community)
    mina, omar, pita = community.members
    robot = community.guild.add_member(community.env.create_user("robot", bot=True))
    await community.env.settle()
    cases = [
        (mina, thread, {"member": mina}, "You can't credit yourself; credit someone who helped you."),
        (mina, thread, {"member": robot}, "Bots can't be credited; credit a member who helped."),
        (community.coordinator, thread, {"member": mina}, f"<@{mina.id}> opened this clinic;"),
        (
            pita,
            thread,
            {"member": omar},
            "Only the member who opened this clinic, or a coordinator, can credit",
        ),
        (mina, community.general, {"member": omar}, "Run `/clinic helpful` inside the clinic's own thread"),
    ]
    for actor, channel, options, expected in cases:
        result = await actor.slash(channel, "clinic helpful", **options)
        assert result.response.ephemeral
        assert result.response.content.startswith(expected), result.response.content
    assert await community.bot.database.fetch_value("SELECT COUNT(*) FROM clinic_credits") == 0

    by_coordinator = await community.coordinator.slash(thread, "clinic helpful", member=omar)
    assert by_coordinator.response.content.endswith(f"credited <@{omar.id}> as helpful in this clinic.")


async def test_reopen_unarchives_and_takes_the_lesson_out_of_search(community: Community) -> None:
    _, thread = await opened(community)
    mina, _, pita = community.members
    await resolve(community, mina, thread, LESSON)
    community.clock.advance(days=3)

    refused = await pita.slash(thread, "clinic reopen")
    result = await mina.slash(thread, "clinic reopen")
    again = await mina.slash(thread, "clinic reopen")

    assert (
        refused.response.content == "Only the member who opened this clinic, or a coordinator, can reopen it."
    )
    assert result.response.content == (
        f"🔓 <@{mina.id}> reopened this clinic. Resolve it again with `/clinic resolve`."
    )
    assert again.response.content == "This clinic is open already."
    assert thread_state(community, thread) == (False, False)
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.OPEN
    assert clinic.last_activity_at == community.clock()
    assert clinic.resolved_at is None
    search = await mina.slash(community.general, "clinic lessons", query="pilot")
    assert search.response.embeds[0].description == (
        "No resolved clinic mentions “pilot”. Try fewer or other words."
    )


async def test_a_lesson_is_kept_even_when_the_thread_cannot_be_archived(community: Community) -> None:
    forum, thread = await opened(community)
    await deny_bot(community, forum, manage_threads=True, manage_channels=True)

    result = await resolve(community, community.member, thread, LESSON)

    assert result.followups[-1].ephemeral
    assert result.followups[-1].content == (
        "The lesson is saved, but I couldn't archive and lock this thread: I need the Manage Threads "
        "permission here."
    )
    assert thread_state(community, thread) == (False, False)
    assert (await only_clinic(community)).status is ClinicStatus.RESOLVED
