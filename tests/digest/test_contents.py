"""What the digest says: each section from records made through the real commands (check-in rows
by the helper until check-ins exist), nothing that is fine, mentions that never ping, and limits."""

from __future__ import annotations

from datetime import UTC, datetime

from core.clock import discord_timestamp
from tests.clinics.helpers import clinics_forum, open_clinic, thread_of
from tests.conftest import START, Community
from tests.digest.helpers import (
    FIRST_SLOT,
    add_checkin,
    button_labels,
    digest_channel,
    digests_in,
    fields_of,
    import_partnerships,
    pinged,
    register,
    tick,
)


def day(month: int, number: int, hour: int = 13) -> datetime:
    return datetime(2026, month, number, hour, tzinfo=UTC)


async def log(community: Community, actor: object, partnership_id: int, follow_up: str) -> None:
    result = await actor.slash(  # type: ignore[attr-defined]
        community.general,
        "partnership log",
        partnership=str(partnership_id),
        note="Called them",
        follow_up=follow_up,
    )
    assert "Logged" in result.response.content, result.response.content


async def test_each_section_lists_what_needs_attention_most_urgent_first(community: Community) -> None:
    mina, omar, pita = community.members
    channel = await digest_channel(community)
    ghana = await register(community, mina, "National Museum of Ghana")  # 1
    archive = await register(community, omar, "City Archive")  # 2
    university = await register(community, pita, "Open University", type="university", stage="prospect")  # 3
    await import_partnerships(
        community,
        [
            {"partner_name": "Stalled Museum", "owner_id": omar.id, "health": "stalled"},  # 4
            {"partner_name": "Wobbly Library", "owner_id": pita.id, "health": "needs_attention"},  # 5
            {"partner_name": "Happy Gallery", "owner_id": mina.id, "health": "on_track"},  # 6
            {"partner_name": "Lost Archive", "owner_id": "", "stage": "negotiating"},  # 7: orphaned
            {"partner_name": "Done Library", "owner_id": mina.id, "health": "stalled", "stage": "concluded"},
        ],
    )
    await log(community, mina, ghana, "2026-11-27")  # within the week from Tuesday 24 November
    await log(community, omar, archive, "2026-12-05")  # not yet
    await log(community, pita, university, "2026-11-30")  # the seventh day: included
    # Check-ins, in states the check-ins feature's own tick leaves alone: missed; overdue (reminded
    # a day ago, so not yet missed); sent recently (fine); missed but followed by a newer one
    # (fine); answered (fine). tests/digest/test_queries.py has the other overdue case.
    await add_checkin(
        community, ghana, state="missed", due_at=day(11, 10), sent_at=day(11, 10), closed_at=day(11, 16)
    )
    await add_checkin(
        community, archive, state="sent", due_at=day(11, 20), sent_at=day(11, 20), reminded_at=day(11, 23)
    )
    await add_checkin(community, university, state="sent", due_at=day(11, 23), sent_at=day(11, 23))
    await add_checkin(
        community, 4, state="missed", due_at=day(11, 1), sent_at=day(11, 1), closed_at=day(11, 7)
    )
    await add_checkin(
        community, 4, state="answered", due_at=day(11, 8), sent_at=day(11, 8), closed_at=day(11, 9)
    )
    await add_checkin(
        community, 5, state="answered", due_at=day(11, 19), sent_at=day(11, 19), closed_at=day(11, 19)
    )
    # Clinics: one nobody answered, one where a helper wrote.
    forum = await clinics_forum(community)
    await open_clinic(community, mina)
    await open_clinic(community, omar, topic="A funder wants exclusivity")
    rows = await community.bot.database.fetch_all("SELECT thread_id FROM clinics ORDER BY id")
    unanswered, answered = (row["thread_id"] for row in rows)
    community.clock.advance(hours=1)
    await pita.send(
        thread_of(community, forum, answered), "We had that with a foundation: ask for a CC BY-SA carve-out."
    )

    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    due = {number: discord_timestamp(day(11, number), "D") for number in (10, 20)}
    assert fields_of(posted) == {
        "📭 Missed and overdue check-ins (2)": (
            f"❌ **National Museum of Ghana** (#1) · {mina.mention} · missed, due {due[10]}\n"
            f"⏳ **City Archive** (#2) · {omar.mention} · no answer yet, due {due[20]} · reminded"
        ),
        "🚦 Stalled or needing attention (2)": (
            f"🔴 Stalled · **Stalled Museum** (#4) · {omar.mention} · Active\n"
            f"🟠 Needs attention · **Wobbly Library** (#5) · {pita.mention} · Active"
        ),
        "🧭 No owner in the server (1)": (
            "👻 **Lost Archive** (#7) · orphaned (its owner asked to be forgotten)"
        ),
        "📅 Follow-ups in the next 7 days (2)": (
            f"📅 Fri 27 Nov · **National Museum of Ghana** (#1) · {mina.mention}\n"
            f"📅 Mon 30 Nov · **Open University** (#3) · {pita.mention}"
        ),
        "🩺 Clinics nobody has answered (1)": (
            f"🩺 <#{unanswered}> · Museum hesitates about the licence · opened "
            f"{discord_timestamp(START, 'R')}"
        ),
    }
    assert posted.embeds[0].description == (
        "What needs attention, most urgent first.\n"
        "Press **Reassign** to give a partnership without an owner here a new one."
    )
    assert button_labels(posted) == ["Reassign"]
    assert pinged(community, posted) == []  # mentions show names; nobody is notified


async def test_owners_who_left_the_server_or_asked_to_be_forgotten_are_listed(community: Community) -> None:
    mina, omar, pita = community.members
    channel = await digest_channel(community)
    await register(community, omar, "City Archive")  # 1
    await register(community, omar, "Old Foundation", type="funder", stage="on_hold")  # 2
    await register(community, pita, "Open University", type="university")  # 3
    await register(community, mina, "National Museum of Ghana")  # 4: mina stays
    community.guild.remove_member(omar)
    asked = await pita.slash(community.general, "profile forget")
    await pita.click(asked.response, label="Forget me")
    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    assert fields_of(posted) == {
        "🧭 No owner in the server (3)": (
            f"🚪 **City Archive** (#1) · {omar.mention} left the server\n"
            "👻 **Open University** (#3) · orphaned (its owner asked to be forgotten)\n"
            f"🚪 **Old Foundation** (#2) · {omar.mention} left the server"
        )
    }
    assert button_labels(posted) == ["Reassign"]


async def test_when_all_is_well_a_short_all_quiet_digest_is_posted(community: Community) -> None:
    mina, omar, _ = community.members
    channel = await digest_channel(community)
    ghana = await register(community, mina, "National Museum of Ghana")
    await import_partnerships(
        community,
        [
            {"partner_name": "Happy Gallery", "owner_id": omar.id, "health": "on_track"},
            {"partner_name": "Done Library", "owner_id": "", "health": "stalled", "stage": "concluded"},
        ],
    )
    await add_checkin(
        community, ghana, state="answered", due_at=day(11, 19), sent_at=day(11, 19), closed_at=day(11, 19)
    )
    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    (embed,) = posted.embeds
    assert embed.title == "Coordinators' digest · week of 24 November 2026"
    assert embed.description == (
        "🌿 All quiet: no missed or overdue check-ins, nothing stalled or needing attention, every "
        "partnership has an owner here, no follow-ups due in the next 7 days and no unanswered clinics."
    )
    assert embed.fields == []
    assert button_labels(posted) == []


async def test_long_sections_are_cut_most_urgent_first_within_discords_limits(community: Community) -> None:
    mina, omar, pita = community.members
    channel = await digest_channel(community)
    owners = [mina.id, omar.id, pita.id]
    rows = [
        {
            "partner_name": f"Partner {number:02d} " + "with a long name " * 4,
            "owner_id": "" if number % 2 else owners[number % 3],
            "health": "stalled" if number < 20 else "needs_attention",
            "next_follow_up": "2026-11-25",
        }
        for number in range(60)
    ]
    await import_partnerships(community, rows)
    for partnership_id in range(1, 61):
        await add_checkin(
            community, partnership_id, state="missed", due_at=day(11, 10), closed_at=day(11, 16)
        )
    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    (embed,) = posted.embeds
    assert len(embed) <= 6000
    assert [field.name for field in embed.fields] == [
        "📭 Missed and overdue check-ins (60)",
        "🚦 Stalled or needing attention (60)",
        "🧭 No owner in the server (30)",
        "📅 Follow-ups in the next 7 days (60)",
    ]
    for field in embed.fields:
        assert len(field.value) <= 1024  # type: ignore[arg-type]
        *lines, more = field.value.splitlines()  # type: ignore[union-attr]
        shown = int(field.name.rsplit("(", 1)[1].rstrip(")"))  # type: ignore[union-attr]
        assert more == f"…and {shown - len(lines)} more"
    health = fields_of(posted)["🚦 Stalled or needing attention (60)"].splitlines()
    assert health[0].startswith("🔴 Stalled · **Partner 00 with a long name")  # stalled before the rest
    assert all(line.startswith("🔴 Stalled") for line in health[:-1])
