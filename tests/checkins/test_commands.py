"""/checkin now, cadence and history: who may use them, bad input, and what they show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.clock import discord_timestamp
from tests.checkins.helpers import FIRST_MONTHLY, checkin_rows, dms, next_checkin, register, tick
from tests.conftest import START, Community

GHANA = "National Museum of Ghana"


async def answer_now(community: Community, actor: Any, partnership_id: int, status: str, **form: str) -> Any:
    shown = await actor.slash(
        community.general, "checkin now", partnership=str(partnership_id), status=status
    )
    assert shown.modal is not None, shown.response and shown.response.content
    return await actor.submit_modal(shown, form)


async def test_checkin_now_records_a_manual_check_in_for_owners_and_co_owners(community: Community) -> None:
    mina, omar, pita = community.members
    ghana = await register(community, mina, GHANA)
    added = await mina.slash(community.general, "partnership co-owner", partnership=str(ghana), member=omar)
    assert "now co-owns" in added.response.content

    community.clock.advance(days=5)
    result = await answer_now(community, omar, ghana, "on_track", note="Good meeting.")
    assert result.response.content.startswith(f"Thanks! **{GHANA}** is now 🟢 On track;")
    assert result.ephemeral
    rows = await checkin_rows(community)
    assert [(row["reason"], row["state"], row["answered_by"], row["note"]) for row in rows] == [
        ("manual", "answered", omar.id, "Good meeting.")
    ]
    # The monthly cadence now counts from this check-in (25 November), not from the registration.
    assert await next_checkin(community, ghana) == ("2026-12-25T09:00:00+00:00", "cadence")

    for actor in (pita, community.coordinator):
        refused = await actor.slash(
            community.general, "checkin now", partnership=str(ghana), status="stalled"
        )
        assert refused.modal is None
        assert (
            refused.response.content == f"Only the owner and co-owners of “{GHANA}” can answer its check-ins."
        )
    assert len(await checkin_rows(community)) == 1


async def test_checkin_now_offers_only_the_askers_own_partnerships(community: Community) -> None:
    mina, omar, pita = community.members
    ghana = await register(community, mina, GHANA)
    shared = await register(community, omar, "Makerere University", type="university")
    await omar.slash(community.general, "partnership co-owner", partnership=str(shared), member=mina)
    await register(community, pita, "Kenya National Archives", type="archive")

    offered = await mina.autocomplete(community.general, "checkin now", "partnership", "")
    assert sorted(choice["value"] for choice in offered) == sorted([str(ghana), str(shared)])
    typed = await mina.autocomplete(community.general, "checkin now", "partnership", "makerere")
    assert [choice["value"] for choice in typed] == [str(shared)]
    # Coordinators may see everything, but a check-in is the owners' to give.
    assert await community.coordinator.autocomplete(community.general, "checkin now", "partnership", "") == []
    # Elsewhere the same option offers every partnership the asker may see.
    history = await mina.autocomplete(community.general, "checkin history", "partnership", "")
    assert len(history) == 3


async def test_checkin_now_answers_a_waiting_prompt(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, GHANA)
    await tick(community, FIRST_MONTHLY)
    (prompt,) = dms(community, mina)
    community.clock.advance(hours=2)

    await answer_now(community, mina, ghana, "on_track")

    rows = await checkin_rows(community)
    assert [(row["reason"], row["state"], row["health"]) for row in rows] == [
        ("cadence", "answered", "on_track")
    ]
    clicked = await mina.user.click(prompt, label="Stalled")
    answered_at = FIRST_MONTHLY + timedelta(hours=2)
    assert clicked.response.content == (
        f"This check-in was already answered (🟢 On track) by {mina.mention} "
        f"{discord_timestamp(answered_at, 'R')}. To report again, use `/checkin now`."
    )
    await tick(community, FIRST_MONTHLY + timedelta(days=4))
    assert len(dms(community, mina)) == 1  # answered: no reminder


async def test_checkin_commands_refuse_what_the_member_cannot_see(community: Community) -> None:
    mina, pita = community.members[0], community.members[2]
    secret = await register(community, mina, "Secret Funder", type="funder", visibility="confidential")
    for command, options in [
        ("checkin now", {"status": "on_track"}),
        ("checkin cadence", {"cadence": "weekly"}),
        ("checkin history", {}),
    ]:
        result = await pita.slash(community.general, command, partnership=str(secret), **options)
        assert result.response.content == (
            f"I can't find a partnership “{secret}” that you can see. Pick one from the list."
        ), command
        missing = await mina.slash(community.general, command, partnership="999", **options)
        assert missing.response.content.startswith("I can't find a partnership “999”")
    assert await checkin_rows(community) == []
    # Owners and coordinators see a confidential partnership's check-ins.
    await answer_now(community, mina, secret, "on_track", note="Budget agreed.")
    seen = await community.coordinator.slash(community.general, "checkin history", partnership=str(secret))
    assert "> Budget agreed." in seen.response.embeds[0].description


async def test_checkin_now_bad_input_writes_nothing(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, GHANA)
    result = await answer_now(community, mina, ghana, "stalled", note="Stuck.", follow_up="31/12/2026")
    assert result.response.content == (
        "Follow-up date “31/12/2026” isn't a date. Write it as YYYY-MM-DD, for example 2027-03-01."
    )
    assert await checkin_rows(community) == []
    timeline = await community.bot.database.fetch_value(
        "SELECT COUNT(*) FROM partnership_timeline WHERE kind = 'checkin'"
    )
    assert timeline == 0


async def test_cadence_needs_an_owner_or_coordinator_and_a_change(community: Community) -> None:
    mina, pita = community.members[0], community.members[2]
    ghana = await register(community, mina, GHANA)
    refused = await pita.slash(community.general, "checkin cadence", partnership=str(ghana), cadence="weekly")
    assert refused.response.content.startswith(
        f"Only the owners of “{GHANA}” and coordinators can change it."
    )
    same = await mina.slash(community.general, "checkin cadence", partnership=str(ghana), cadence="monthly")
    assert same.response.content == f"Check-ins for **{GHANA}** are monthly already."
    stored = await community.bot.database.fetch_value(
        "SELECT cadence FROM partnerships WHERE id = ?", (ghana,)
    )
    assert stored == "monthly"
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")


async def test_history_lists_answers_newest_first_in_pages(community: Community) -> None:
    mina, pita = community.members[0], community.members[2]
    ghana = await register(community, mina, GHANA)
    empty = await pita.slash(community.general, "checkin history", partnership=str(ghana))
    assert (
        empty.response.embeds[0].description == "No check-ins yet. Answer one any time with `/checkin now`."
    )

    await answer_now(community, mina, ghana, "needs_attention", note="Slow replies.", next_step="Call them")
    for day in range(1, 12):
        community.clock.now = START + timedelta(days=day)
        await answer_now(community, mina, ghana, "on_track")

    shown = await pita.slash(community.general, "checkin history", partnership=str(ghana))
    embed = shown.response.embeds[0]
    assert embed.title == f"Check-ins: #{ghana} {GHANA}"
    assert embed.footer.text == "Showing 1–10 of 12, newest first"
    newest = discord_timestamp(START + timedelta(days=11), "d")
    assert embed.description.split("\n\n")[0] == f"**{newest}** 🟢 On track (`/checkin now`) · {mina.mention}"
    turned = await pita.click(shown.response, label="Next ▶")
    last = turned.response.embeds[0]
    assert last.footer.text == "Showing 11–12 of 12, newest first"
    assert last.description.split("\n\n")[-1] == (
        f"**{discord_timestamp(START, 'd')}** 🟠 Needs attention (`/checkin now`) · {mina.mention}\n"
        "> Slow replies.\n"
        "next step: Call them"
    )


async def test_between_due_and_tick_an_edit_keeps_the_prompt_and_an_answer_replaces_it(
    community: Community,
) -> None:
    mina = community.member
    ghana = await register(community, mina, GHANA)
    archive = await register(community, mina, "City Archive", type="archive")
    community.clock.now = FIRST_MONTHLY + timedelta(seconds=30)  # both due; the tick hasn't run yet

    logged = await mina.slash(community.general, "partnership log", partnership=str(archive), note="Met them")
    assert "Logged" in logged.response.content
    assert await next_checkin(community, archive) == ("2026-12-20T09:00:00+00:00", "cadence")
    await answer_now(community, mina, ghana, "on_track")
    assert await next_checkin(community, ghana) == ("2027-01-20T09:00:00+00:00", "cadence")

    await tick(community, FIRST_MONTHLY + timedelta(minutes=1))
    (prompt,) = dms(community, mina)
    assert "**City Archive**" in prompt.content
