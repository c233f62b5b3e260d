"""Answering a prompt: the form, the write-back, who may answer, snooze, not now, the clinic offer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.clock import discord_timestamp
from tests.checkins.helpers import (
    FIRST_MONTHLY,
    checkin_rows,
    dms,
    enabled,
    next_checkin,
    register,
    tick,
)
from tests.clinics.helpers import INTAKE, clinics_forum, reply_text
from tests.conftest import Community

GHANA = "National Museum of Ghana"
METRIC = "files uploaded to Commons"


def modal_fields(result: Any) -> dict[str, Any]:
    """The modal's text inputs by custom_id."""
    return {field["custom_id"]: field for row in result.modal["components"] for field in row["components"]}


async def prompted(community: Community, **options: Any) -> tuple[int, Any]:
    """Mina's museum partnership (with a target), and its first monthly prompt in her DMs."""
    mina = community.member
    ghana = await register(community, mina, GHANA, areas="museums", **options)
    target = await mina.slash(
        community.general,
        "partnership target",
        partnership=str(ghana),
        metric=METRIC,
        target=500,
        current=120,
    )
    assert "Saved" in target.response.content
    await tick(community, FIRST_MONTHLY)
    (prompt,) = dms(community, mina)
    return ghana, prompt


async def written(community: Community) -> dict[str, Any]:
    """What an answer may have changed: the partnership, its target, its check-in timeline entries."""
    database = community.bot.database
    record = await database.fetch_one(
        "SELECT health, last_checkin_at, next_follow_up FROM partnerships WHERE id = 1"
    )
    return {
        "record": dict(record),  # type: ignore[arg-type]
        "target": await database.fetch_value("SELECT current FROM partnership_targets"),
        "timeline": await database.fetch_value(
            "SELECT COUNT(*) FROM partnership_timeline WHERE kind = 'checkin'"
        ),
        "reported": await database.fetch_value("SELECT COUNT(*) FROM checkin_targets"),
    }


async def test_an_answer_updates_the_record_and_shows_in_partnership_show(community: Community) -> None:
    mina = community.member
    ghana, prompt = await prompted(community)

    shown = await mina.user.click(prompt, label="Needs attention")
    assert shown.modal["title"] == f"Needs attention: {GHANA}"
    fields = modal_fields(shown)
    assert list(fields) == ["note", "progress", "next_step", "follow_up"]
    assert fields["progress"]["value"] == f"{METRIC}: 120"
    answered = await mina.user.submit_modal(
        shown,
        {
            "note": "The curator left; we wait for the new one.",
            "progress": f"{METRIC}: 180 files",
            "next_step": "Meet the new curator",
            "follow_up": "2027-01-10",
        },
    )

    # The prompt now shows the answer, its buttons greyed out; a thank-you follows.
    edited = answered.response
    assert edited.id == prompt.id
    assert edited.content == (
        f"✅ Answered 🟠 Needs attention by {mina.mention} {discord_timestamp(FIRST_MONTHLY, 'R')}."
        " Thank you!"
    )
    assert enabled(edited.message) == [False] * 5
    (thanks,) = answered.followups
    assert thanks.content.startswith(f"Thanks! **{GHANA}** is now 🟠 Needs attention;")
    assert "Open a clinic" not in str(thanks.components)

    rows = await checkin_rows(community)
    assert [
        (row["state"], row["health"], row["answered_by"], row["note"], row["next_step"]) for row in rows
    ] == [
        (
            "answered",
            "needs_attention",
            mina.id,
            "The curator left; we wait for the new one.",
            "Meet the new curator",
        )
    ]
    assert await written(community) == {
        "record": {
            "health": "needs_attention",
            "last_checkin_at": "2026-12-20T09:00:00+00:00",
            "next_follow_up": "2027-01-10",
        },
        "target": 180.0,
        "timeline": 1,
        "reported": 1,
    }
    # The follow-up date comes before the next monthly slot, so it is the next prompt.
    assert await next_checkin(community, ghana) == ("2027-01-10T09:00:00+00:00", "follow_up")

    show = await mina.slash(community.general, "partnership show", partnership=str(ghana))
    show_fields = {field.name: field.value for field in show.response.embeds[0].fields}
    assert show_fields["Health"] == f"🟠 Needs attention ({discord_timestamp(FIRST_MONTHLY, 'R')})"
    assert show_fields["Next follow-up"].startswith("<t:1799571600:D>")  # 10 January 2027
    assert f"**{METRIC}**: 180/500" in show_fields["Targets"]
    assert (
        "Check-in: 🟠 Needs attention · next step: Meet the new curator — The curator left; we wait for "
        f"the new one. ({mina.mention})"
    ) in show_fields["Recent timeline"]


async def test_buttons_work_after_a_restart(community: Community) -> None:
    mina = community.member
    _, prompt = await prompted(community)
    await community.restart()

    shown = await mina.user.click(prompt, label="On track")
    answered = await mina.user.submit_modal(shown, {})

    assert answered.response.content.startswith("✅ Answered 🟢 On track")
    assert [(row["state"], row["health"]) for row in await checkin_rows(community)] == [
        ("answered", "on_track")
    ]


async def test_a_former_owner_is_refused_and_a_co_owner_may_answer(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    ghana, prompt = await prompted(community)
    handed = await mina.slash(community.general, "partnership transfer", partnership=str(ghana), to=omar)
    assert "now belongs to" in handed.response.content

    refused = await mina.user.click(prompt, label="On track")
    assert refused.modal is None
    assert refused.response.content == (
        f"Only the owner and co-owners of “{GHANA}” can answer its check-ins."
    )
    assert refused.ephemeral

    # Omar makes mina a co-owner: her prompt works again.
    added = await omar.slash(community.general, "partnership co-owner", partnership=str(ghana), member=mina)
    assert "now co-owns" in added.response.content
    shown = await mina.user.click(prompt, label="Stalled")
    answered = await mina.user.submit_modal(shown, {"note": "Nothing moves."})
    assert answered.response.content.startswith("✅ Answered 🔴 Stalled")
    assert [(row["state"], row["answered_by"]) for row in await checkin_rows(community)] == [
        ("answered", mina.id)
    ]


async def test_bad_input_in_the_form_writes_nothing(community: Community) -> None:
    mina = community.member
    _, prompt = await prompted(community)
    before = await written(community)
    cases = [
        ({"follow_up": "2027-13-01"}, "Follow-up date “2027-13-01” doesn't exist in the calendar."),
        ({"follow_up": "2026-12-01"}, "The follow-up date 2026-12-01 is in the past; today is 2026-12-20."),
        ({"progress": "visitors: 5"}, f"“visitors” isn't one of this partnership's targets ({METRIC})."),
        ({"progress": f"{METRIC}: lots"}, f"The figure for “{METRIC}” must be a number"),
        ({"progress": f"{METRIC}: -3"}, f"The figure for “{METRIC}” must be a number 0 or more (got -3)."),
        ({"progress": "just words"}, "Line 1 of the targets, “just words”, isn't “metric: figure”"),
    ]
    for values, message in cases:
        shown = await mina.user.click(prompt, label="On track")
        result = await mina.user.submit_modal(shown, values)
        assert result.ephemeral
        assert message in result.response.content, (values, result.response.content)
    assert await written(community) == before
    assert [row["state"] for row in await checkin_rows(community)] == ["sent"]
    assert enabled(dms(community, mina)[0]) == [True] * 5


async def test_a_prompt_is_answered_once(community: Community) -> None:
    mina = community.member
    _, prompt = await prompted(community)
    first = await mina.user.click(prompt, label="On track")
    second = await mina.user.click(prompt, label="Stalled")  # two forms open at once
    await mina.user.submit_modal(first, {})

    late = await mina.user.submit_modal(second, {"note": "Or is it?"})
    assert late.response.content.startswith("This check-in was already answered (🟢 On track) by")
    assert [(row["health"], row["note"]) for row in await checkin_rows(community)] == [("on_track", None)]
    assert (await written(community))["timeline"] == 1


async def test_snooze_asks_again_in_a_week_and_not_now_keeps_the_next_slot(community: Community) -> None:
    mina = community.member
    ghana, prompt = await prompted(community)

    snoozed = await mina.user.click(prompt, label="Snooze a week")
    week_later = FIRST_MONTHLY + timedelta(days=7)
    assert snoozed.response.content == (
        f"⏰ Snoozed by {mina.mention}: I'll ask again {discord_timestamp(week_later, 'F')} "
        f"({discord_timestamp(week_later, 'R')})."
    )
    assert enabled(snoozed.response.message) == [False] * 5
    assert await next_checkin(community, ghana) == ("2026-12-27T09:00:00+00:00", "snooze")

    await tick(community, week_later)
    again = dms(community, mina)[-1]
    assert again.content == f"⏰ You snoozed this a week ago: how is **{GHANA}** going?"
    assert await next_checkin(community, ghana) == ("2027-01-20T09:00:00+00:00", "cadence")

    skipped = await mina.user.click(again, label="Not now")
    january = FIRST_MONTHLY.replace(year=2027, month=1)
    assert skipped.response.content == (
        f"Not now, said {mina.mention}: the next check-in comes {discord_timestamp(january, 'F')} "
        f"({discord_timestamp(january, 'R')})."
    )
    rows = await checkin_rows(community)
    assert [(row["reason"], row["state"]) for row in rows] == [
        ("cadence", "snoozed"),
        ("snooze", "dismissed"),
    ]
    assert (await written(community))["record"]["health"] is None


async def test_needs_attention_twice_offers_a_clinic_about_the_partnership(community: Community) -> None:
    mina = community.member
    await clinics_forum(community)
    ghana, prompt = await prompted(community)
    shown = await mina.user.click(prompt, label="Needs attention")
    first = await mina.user.submit_modal(shown, {"note": "Slow replies."})
    assert "Open a clinic" not in str(first.followups[0].components)

    community.clock.advance(hours=1)
    manual = await mina.slash(
        community.general, "checkin now", partnership=str(ghana), status="needs_attention"
    )
    offer = await mina.submit_modal(manual, {"note": "Still slow."})
    assert "It sounds stuck." in offer.response.content
    clinic_form = await mina.click(offer.response, label="Open a clinic")
    assert clinic_form.modal["title"] == "Your clinic: what's going on?"
    fields = modal_fields(clinic_form)
    assert fields["topic"]["value"] == f"{GHANA}: needs attention"
    assert fields["area"]["value"] == "GLAM (galleries, libraries, archives, museums)"

    opened = await mina.submit_modal(
        clinic_form, {"topic": fields["topic"]["value"], "area": fields["area"]["value"], **INTAKE}
    )
    assert "Your clinic is open" in reply_text(opened)
    clinic = await community.bot.database.fetch_one("SELECT partnership_id, asker_id, topic FROM clinics")
    assert dict(clinic) == {
        "partnership_id": ghana,
        "asker_id": mina.id,
        "topic": f"{GHANA}: needs attention",
    }


async def test_stalled_offers_a_clinic_at_once(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, GHANA)
    shown = await mina.slash(community.general, "checkin now", partnership=str(ghana), status="stalled")
    result = await mina.submit_modal(shown, {})
    assert "It sounds stuck." in result.response.content
    assert "Open a clinic" in str(result.response.components)


async def test_an_empty_expertise_search_offers_a_clinic_about_the_words(community: Community) -> None:
    mina = community.member
    await clinics_forum(community)
    nobody = await mina.slash(community.general, "expertise who", query="freedom of panorama")
    assert nobody.response.content.startswith("Nobody matches “freedom of panorama” yet.")

    clinic_form = await mina.click(nobody.response, label="Open a clinic")
    fields = modal_fields(clinic_form)
    assert (fields["topic"]["value"], fields["area"].get("value")) == ("freedom of panorama", None)
    bad_area = await mina.submit_modal(
        clinic_form, {"topic": "Freedom of panorama", "area": "Cooking", **INTAKE}
    )
    assert bad_area.response.content == "“Cooking” isn't one of the areas. Pick one from the list."
    clinic_form = await mina.click(nobody.response, label="Open a clinic")
    opened = await mina.submit_modal(
        clinic_form, {"topic": "Freedom of panorama", "area": "copyright", **INTAKE}
    )
    assert "Your clinic is open" in reply_text(opened)
    clinic = await community.bot.database.fetch_one("SELECT partnership_id, area, topic FROM clinics")
    assert dict(clinic) == {"partnership_id": None, "area": "copyright", "topic": "Freedom of panorama"}


async def test_answered_prompts_leave_no_live_views_behind(community: Community) -> None:
    mina = community.member
    _, prompt = await prompted(community)
    kept = len(community.bot.persistent_views)

    snoozed = await mina.user.click(prompt, label="Snooze a week")
    assert enabled(snoozed.response.message) == [False] * 5
    await tick(community, FIRST_MONTHLY + timedelta(days=7))
    again = dms(community, mina)[-1]
    shown = await mina.user.click(again, label="On track")
    answered = await mina.user.submit_modal(shown, {})
    assert enabled(answered.response.message) == [False] * 5

    # The greyed-out buttons are only a picture: the bot doesn't keep one more view per prompt.
    assert len(community.bot.persistent_views) == kept
