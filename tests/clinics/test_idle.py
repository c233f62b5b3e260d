"""Idle handling at simulated times: re-suggest after 2 quiet days, ask after 7, dormant after 14.

Each step runs once, from what the database says, across restarts; the button keeps working on
the old message after a restart; threads archived or deleted by hand update the record.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from simcord.builders import ChannelHandle

from db.clinics import ClinicStatus
from tests.clinics.helpers import clinics_forum, expert, only_clinic, open_clinic, stored_message, thread_of
from tests.conftest import START, Community

QUESTION = "nobody has written here for a week. Keep this clinic open?"
DORMANT = (
    "💤 Nobody has written here for two weeks, so this clinic is now dormant and archived. "
    "Run `/clinic reopen` here to bring it back."
)


async def tick(community: Community, **since_start: float) -> datetime:
    """Move the clock to START + ``since_start`` and run the scheduler's due work then."""
    community.clock.now = START + timedelta(**since_start)
    await community.bot.scheduler.run_due(community.clock.now)
    await community.env.settle()
    return community.clock.now


async def opened(community: Community) -> ChannelHandle:
    """Mina's clinic, opened at START, with omar (opted in) suggested; returns its thread."""
    forum = await clinics_forum(community)
    await expert(community, community.members[1], pings=True)
    await open_clinic(community, community.member)
    return thread_of(community, forum, (await only_clinic(community)).thread_id)


def contents(thread: ChannelHandle) -> list[str]:
    """What people and the bot wrote after the intake, the pin notice and the first suggestions."""
    return [message.content for message in thread.history()[3:]]


def archived(community: Community, thread: ChannelHandle) -> bool:
    return community.env.backend.get_channel(thread.id).thread_metadata.archived


async def test_each_idle_step_happens_once_at_its_time(community: Community) -> None:
    thread = await opened(community)
    mina, _, pita = community.members
    await expert(community, pita, pings=True)  # a new expert since the clinic opened

    await tick(community, days=1, hours=23)
    assert contents(thread) == []

    await tick(community, days=2)
    again = thread.history()[-1]
    assert again.content.splitlines()[:3] == [
        "🩺 Nobody but the asker has written here for two days, so once more: ranked by their expertise in "
        "**GLAM (galleries, libraries, archives, museums)** and this question.",
        "1. **omar**",  # pinged when the clinic opened: not twice for one clinic
        f"2. <@{pita.id}>",
    ]
    assert stored_message(community, again).ping_user_ids == [pita.id]
    await tick(community, days=2, hours=1)
    await tick(community, days=6)
    assert len(contents(thread)) == 1

    await tick(community, days=7)
    question = thread.history()[-1]
    dormant_at = int((START + timedelta(days=14)).timestamp())
    assert (
        question.content
        == f"<@{mina.id}>, {QUESTION} Otherwise it becomes dormant and is archived <t:{dormant_at}:R>."
    )
    assert stored_message(community, question).ping_user_ids == [mina.id]
    assert [child.label for row in question.components for child in row.children] == ["Keep open", "Resolve"]
    await tick(community, days=8)
    await tick(community, days=13, hours=23)
    assert len(contents(thread)) == 2
    assert (await only_clinic(community)).status is ClinicStatus.OPEN

    await tick(community, days=14)
    assert contents(thread)[-1] == DORMANT
    assert archived(community, thread)
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.DORMANT
    assert clinic.dormant_at == START + timedelta(days=14)
    await tick(community, days=30)
    assert len(contents(thread)) == 3


async def test_only_the_askers_own_messages_still_count_as_nobody_helping(community: Community) -> None:
    thread = await opened(community)
    mina = community.member

    community.clock.now = START + timedelta(days=1)
    await mina.send(thread, "Any ideas, anyone?")
    await tick(community, days=2)
    assert contents(thread)[-1].startswith("🩺 Nobody but the asker has written here for two days")
    assert (await only_clinic(community)).last_activity_at == START + timedelta(days=1)


async def test_a_helper_reply_restarts_both_clocks(community: Community) -> None:
    thread = await opened(community)
    omar = community.members[1]

    community.clock.now = START + timedelta(days=1)
    await omar.send(thread, "I did this with the Rijksmuseum, happy to help.")
    await tick(community, days=2, hours=23)
    assert contents(thread) == ["I did this with the Rijksmuseum, happy to help."]

    await tick(community, days=3)
    assert contents(thread)[-1].startswith("🩺 Nobody but the asker has written here for two days")
    await tick(community, days=7, hours=23)
    assert len(contents(thread)) == 2
    await tick(community, days=8)
    assert QUESTION in contents(thread)[-1]


async def test_keep_open_restarts_the_quiet_week_and_only_the_asker_may_answer(community: Community) -> None:
    thread = await opened(community)
    mina, omar, _ = community.members
    await tick(community, days=7)
    question = thread.history()[-1]

    refused = await omar.click(question, label="Keep open")
    assert refused.response.ephemeral
    assert (
        refused.response.content
        == "Only the member who opened this clinic, or a coordinator, can answer this."
    )

    kept = await mina.click(question, label="Keep open")
    edited = thread.history()[-1]
    assert edited.id == question.id
    assert edited.content == f"Kept open by <@{mina.id}>. I'll ask again after another quiet week."
    assert edited.components == []
    assert kept.acknowledged
    assert (await only_clinic(community)).last_activity_at == START + timedelta(days=7)

    await tick(community, days=13, hours=23)
    assert (await only_clinic(community)).status is ClinicStatus.OPEN
    await tick(community, days=14)
    assert QUESTION in thread.history()[-1].content
    await tick(community, days=21)
    assert (await only_clinic(community)).status is ClinicStatus.DORMANT


async def test_the_resolve_button_asks_for_the_lesson(community: Community) -> None:
    thread = await opened(community)
    await tick(community, days=7)

    shown = await community.member.click(thread.history()[-1], label="Resolve")
    assert shown.modal is not None and shown.modal["title"] == "What worked?"
    await community.member.submit_modal(shown, {"lesson": "Nobody answered; I asked the chapter directly."})

    assert (await only_clinic(community)).status is ClinicStatus.RESOLVED
    await tick(community, days=30)
    assert thread.history()[-1].embeds[0].title.startswith("✅ Resolved")


async def test_a_restart_mid_way_loses_and_repeats_nothing_and_the_button_still_works(
    community: Community,
) -> None:
    thread = await opened(community)
    mina = community.member

    await tick(community, days=1)
    await community.restart()
    await tick(community, days=2)
    await tick(community, days=7)
    question = thread.history()[-1]
    assert len(contents(thread)) == 2

    await community.restart()
    await tick(community, days=8)
    assert len(contents(thread)) == 2  # the question is not asked again after the restart

    kept = await mina.click(question, label="Keep open")
    assert kept.acknowledged
    assert thread.history()[-1].content.startswith("Kept open by")
    assert (await only_clinic(community)).last_activity_at == START + timedelta(days=8)


async def test_after_long_downtime_the_furthest_step_runs_alone(community: Community) -> None:
    thread = await opened(community)

    await tick(community, days=20)

    assert contents(thread) == [DORMANT]
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.DORMANT
    assert clinic.keep_open_asked_at is None and clinic.experts_resuggested_at is None


async def test_discords_own_archive_after_a_quiet_week_is_left_to_the_idle_steps(
    community: Community,
) -> None:
    thread = await opened(community)
    await tick(community, days=2)

    community.clock.now = START + timedelta(days=9)
    community.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await community.env.settle()
    assert (await only_clinic(community)).status is ClinicStatus.OPEN

    await tick(community, days=9)
    assert not archived(community, thread)
    assert QUESTION in contents(thread)[-1]


async def test_a_thread_discord_archived_goes_dormant_quietly(community: Community) -> None:
    thread = await opened(community)
    await tick(community, days=7)

    community.clock.now = START + timedelta(days=13, hours=23, minutes=30)
    community.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await community.env.settle()
    await tick(community, days=14)

    assert archived(community, thread)
    assert DORMANT not in contents(thread)
    assert (await only_clinic(community)).status is ClinicStatus.DORMANT


async def test_a_thread_archived_by_hand_makes_the_clinic_dormant_and_unarchiving_reopens_it(
    community: Community,
) -> None:
    thread = await opened(community)

    community.clock.now = START + timedelta(days=1)
    community.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": True})
    await community.env.settle()
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.DORMANT
    assert clinic.dormant_at == START + timedelta(days=1)
    await tick(community, days=20)
    assert contents(thread) == []

    community.env.backend.edit_channel(thread.id, {}, thread_metadata={"archived": False})
    await community.env.settle()
    clinic = await only_clinic(community)
    assert clinic.status is ClinicStatus.OPEN
    assert clinic.last_activity_at == START + timedelta(days=20)


async def test_a_thread_deleted_by_hand_is_recorded(community: Community) -> None:
    thread = await opened(community)

    community.env.backend.delete_channel(thread.id)
    await community.env.settle()

    clinic = await only_clinic(community)
    assert clinic.thread_deleted
    assert clinic.status is ClinicStatus.DORMANT
    await tick(community, days=20)  # nothing left to nudge, nothing fails
    listed = await community.member.slash(community.general, "clinic list")
    assert listed.response.embeds[0].description.endswith("thread deleted")


async def test_resolved_clinics_get_no_idle_steps(community: Community) -> None:
    thread = await opened(community)
    shown = await community.member.slash(thread, "clinic resolve")
    await community.member.submit_modal(shown, {"lesson": "Solved on day one."})

    await tick(community, days=30)

    assert [message.embeds[0].title for message in thread.history()[3:]] == [
        "✅ Resolved: Museum hesitates about the licence"
    ]
    assert (await only_clinic(community)).status is ClinicStatus.RESOLVED
