"""When prompts come, driven through the real commands at simulated times: owners' timezones and
a DST change, cadence changes, follow-up dates, pause and resume, concluding and forgetting."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import discord_timestamp
from tests.checkins.helpers import checkin_rows, dms, next_checkin, register, tick
from tests.conftest import Community


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def when(moment: datetime) -> str:
    return f"{discord_timestamp(moment, 'F')} ({discord_timestamp(moment, 'R')})"


async def profile(community: Community, actor: Any, **options: Any) -> None:
    result = await actor.slash(community.general, "profile set", **options)
    assert result.response.content == "Profile saved.", result.response.content


async def due_dates(community: Community, partnership_id: int) -> list[str]:
    return [row["due_at"] for row in await checkin_rows(community) if row["partnership_id"] == partnership_id]


async def test_owners_in_two_timezones_keep_their_local_hour_across_dst(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    community.clock.now = utc(2027, 3, 5, 12)  # a Friday, before both DST changes of 2027
    await profile(community, mina, timezone="Europe/Berlin", checkin_hour=9)
    await profile(community, omar, timezone="America/New_York", checkin_hour=9)
    berlin = await register(community, mina, "Berlin Museum", cadence="weekly")
    new_york = await register(community, omar, "New York Library", cadence="weekly")
    assert await next_checkin(community, berlin) == ("2027-03-12T08:00:00+00:00", "cadence")
    assert await next_checkin(community, new_york) == ("2027-03-12T14:00:00+00:00", "cadence")

    await tick(community, utc(2027, 3, 12, 7, 59))
    assert await checkin_rows(community) == []
    for moment in [
        utc(2027, 3, 12, 8),
        utc(2027, 3, 12, 14),
        utc(2027, 3, 19, 8),
        utc(2027, 3, 19, 13),  # New York is on summer time since 14 March: 09:00 is 13:00 UTC
        utc(2027, 3, 26, 8),
        utc(2027, 3, 26, 13),
        utc(2027, 4, 2, 7),  # Berlin is on summer time since 28 March: 09:00 is 07:00 UTC
    ]:
        await tick(community, moment)

    assert await due_dates(community, berlin) == [
        "2027-03-12T08:00:00+00:00",
        "2027-03-19T08:00:00+00:00",
        "2027-03-26T08:00:00+00:00",
        "2027-04-02T07:00:00+00:00",
    ]
    assert await due_dates(community, new_york) == [
        "2027-03-12T14:00:00+00:00",
        "2027-03-19T13:00:00+00:00",
        "2027-03-26T13:00:00+00:00",
    ]
    assert [row["late"] for row in await checkin_rows(community)] == [0] * 7


async def test_cadence_changes_move_the_next_prompt(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, "National Museum of Ghana")
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")

    weekly = await mina.slash(community.general, "checkin cadence", partnership=str(ghana), cadence="weekly")
    assert weekly.response.content == (
        "Check-ins for **National Museum of Ghana** are now weekly.\n"
        f"The next check-in prompt comes {when(utc(2026, 11, 27, 9))}."
    )
    assert await next_checkin(community, ghana) == ("2026-11-27T09:00:00+00:00", "cadence")

    quarterly = await community.coordinator.slash(
        community.general, "checkin cadence", partnership=str(ghana), cadence="quarterly"
    )
    assert quarterly.response.content.endswith(f"The next check-in prompt comes {when(utc(2027, 2, 20, 9))}.")

    # Any other way the cadence changes moves it too, and so does the owner's check-in hour.
    edited = await mina.slash(
        community.general, "partnership edit", partnership=str(ghana), cadence="monthly"
    )
    assert "Updated check-in cadence" in edited.response.content
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")
    await profile(community, mina, checkin_hour=15, timezone="Asia/Tokyo")
    assert await next_checkin(community, ghana) == ("2026-12-20T06:00:00+00:00", "cadence")

    off = await mina.slash(community.general, "checkin cadence", partnership=str(ghana), cadence="off")
    assert off.response.content == (
        "Check-ins for **National Museum of Ghana** are now off.\n"
        "No prompt is scheduled: it has no check-in cadence at this stage and no upcoming follow-up date "
        "(set one with `/partnership log`)."
    )
    assert await next_checkin(community, ghana) == (None, None)
    summaries = await community.bot.database.fetch_all(
        "SELECT summary FROM partnership_timeline WHERE summary LIKE 'Check-in cadence%' ORDER BY id"
    )
    assert [row["summary"] for row in summaries] == [
        "Check-in cadence: monthly → weekly",
        "Check-in cadence: weekly → quarterly",
        "Check-in cadence: monthly → off",
    ]


async def test_early_stages_are_prompted_on_their_follow_up_date(community: Community) -> None:
    mina = community.member
    archive = await register(community, mina, "City Archive", type="archive", stage="prospect")
    assert await next_checkin(community, archive) == (None, None)

    logged = await mina.slash(
        community.general,
        "partnership log",
        partnership=str(archive),
        note="First call",
        follow_up="2026-12-01",
    )
    assert "Logged" in logged.response.content
    assert await next_checkin(community, archive) == ("2026-12-01T09:00:00+00:00", "follow_up")
    weekly = await mina.slash(
        community.general, "checkin cadence", partnership=str(archive), cadence="weekly"
    )
    assert "At the stage Prospect prompts follow its follow-up dates" in weekly.response.content
    assert await next_checkin(community, archive) == ("2026-12-01T09:00:00+00:00", "follow_up")

    await tick(community, utc(2026, 12, 1, 9))
    (prompt,) = dms(community, mina)
    assert prompt.content == "📅 Today is the follow-up date you set for **City Archive**. How is it going?"
    assert await next_checkin(community, archive) == (None, None)


async def test_pause_and_resume(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, "National Museum of Ghana", cadence="weekly")
    await register(community, mina, "City Archive", type="archive", cadence="weekly")

    paused = await mina.slash(community.general, "checkin pause", until="2026-12-10")
    assert paused.response.content == (
        f"⏸️ Check-ins paused for your 2 partnerships until {discord_timestamp(utc(2026, 12, 10), 'D')}. "
        "Prompts due meanwhile come after the pause, once; `/checkin resume` ends it early."
    )
    assert await next_checkin(community, ghana) == ("2026-12-11T09:00:00+00:00", "cadence")
    await tick(community, utc(2026, 11, 27, 9))
    assert dms(community, mina) == []

    resumed = await mina.slash(community.general, "checkin resume")
    assert (
        resumed.response.content == f"▶️ Check-ins resumed. The next prompt comes {when(utc(2026, 12, 4, 9))}."
    )
    assert await next_checkin(community, ghana) == ("2026-12-04T09:00:00+00:00", "cadence")

    until_resumed = await mina.slash(community.general, "checkin pause")
    assert until_resumed.response.content == (
        "⏸️ Check-ins paused for your 2 partnerships until you run `/checkin resume`."
    )
    assert await next_checkin(community, ghana) == (None, None)
    # Changing the profile keeps the pause.
    await profile(community, mina, region="West Africa")
    assert await next_checkin(community, ghana) == (None, None)
    await tick(community, utc(2026, 12, 4, 9))
    assert dms(community, mina) == []
    await mina.slash(community.general, "checkin resume")
    assert await next_checkin(community, ghana) == ("2026-12-11T09:00:00+00:00", "cadence")


async def test_pause_bad_input_changes_nothing(community: Community) -> None:
    mina = community.member
    ghana = await register(community, mina, "National Museum of Ghana")
    for until, message in [
        ("next week", "The date “next week” isn't a date. Write it as YYYY-MM-DD"),
        ("2026-11-20", "Pick a day after today (2026-11-20, your time) for the pause to end."),
        ("2026-02-30", "The date “2026-02-30” doesn't exist in the calendar."),
        ("2028-01-01", "A pause can end at most a year from now"),
    ]:
        result = await mina.slash(community.general, "checkin pause", until=until)
        assert result.ephemeral
        assert result.response.content.startswith(message), result.response.content
    not_paused = await mina.slash(community.general, "checkin resume")
    assert not_paused.response.content == "Your check-ins aren't paused. Pause them with `/checkin pause`."
    assert await community.bot.database.fetch_value("SELECT COUNT(*) FROM profiles") == 0
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")


async def test_concluded_and_forgotten_owners_get_no_prompts(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    ghana = await register(community, mina, "National Museum of Ghana")
    archive = await register(community, omar, "City Archive", type="archive")
    closing = await mina.slash(community.general, "partnership close", partnership=str(ghana))
    await mina.submit_modal(closing, {"outcome": "Done", "lessons": "Start early", "end": "2026-11-20"})
    assert await next_checkin(community, ghana) == (None, None)
    late = await mina.slash(community.general, "checkin now", partnership=str(ghana), status="on_track")
    assert late.response.content == (
        "**National Museum of Ghana** is concluded; check-ins are for partnerships still running."
    )

    # Omar answers once, has a prompt open, then asks to be forgotten.
    await tick(community, utc(2026, 12, 20, 9))
    (prompt,) = dms(community, omar)
    shown = await omar.user.click(prompt, label="On track")
    await omar.user.submit_modal(shown, {"note": "Uploads going well."})
    community.clock.advance(days=31)
    await tick(community, utc(2027, 1, 20, 9))
    confirm = await omar.slash(community.general, "profile forget")
    assert "• **2** check-in prompts sent to you: kept in the partnership's history, without your name" in (
        confirm.response.content
    )
    assert (
        "• **1** check-in you answered: kept, notes included, without your name" in confirm.response.content
    )
    await omar.click(confirm.response, label="Forget me")

    assert await next_checkin(community, archive) == (None, None)
    rows = await checkin_rows(community)
    assert [(row["state"], row["recipient_id"], row["answered_by"], row["note"]) for row in rows] == [
        ("answered", None, None, "Uploads going well."),
        ("dismissed", None, None, None),
    ]
    await tick(community, utc(2027, 3, 1, 9) + timedelta(days=1))
    assert len(dms(community, omar)) == 2  # the two prompts; no reminder after forgetting


async def test_start_up_schedules_what_was_never_scheduled_and_follows_the_default_zone(
    community: Community,
) -> None:
    ghana = await register(community, community.member, "National Museum of Ghana")
    # A database from before check-ins: nothing scheduled, no default timezone recorded.
    async with community.bot.database.transaction() as tx:
        await tx.execute("UPDATE partnerships SET next_checkin_at = NULL, next_checkin_reason = NULL")
        await tx.execute("DELETE FROM app_state WHERE key = 'checkins.default_timezone'")
    await community.restart()
    assert await next_checkin(community, ghana) == ("2026-12-20T09:00:00+00:00", "cadence")

    # The configured default timezone changes: owners without their own follow it.
    community.bot_config = replace(community.bot_config, timezone=ZoneInfo("Europe/Berlin"))
    await community.restart()
    assert await next_checkin(community, ghana) == ("2026-12-20T08:00:00+00:00", "cadence")


async def test_an_imported_partnership_counts_its_cadence_from_its_last_check_in(
    community: Community,
) -> None:
    mina = community.members[0]
    csv = (
        "name,partner_name,partner_type,goals,stage,visibility,owner_id,cadence,last_checkin_at\r\n"
        f"Archive scans,City Archive,archive,content,active,public,{mina.id},monthly,"
        "2026-11-03T10:00:00+00:00\r\n"
    )
    shown = await community.coordinator.slash(
        community.general, "partnership import", file=("partners.csv", csv.encode())
    )
    done = await community.coordinator.click(shown.response, label="Confirm")
    assert done.response.content.startswith("Imported 1 partnership"), done.response.content
    partnership_id = await community.bot.database.fetch_value("SELECT max(id) FROM partnerships")
    # Monthly from 3 November (not from today, the 20th), at 09:00 UTC for an owner without a profile.
    assert await next_checkin(community, partnership_id) == ("2026-12-03T09:00:00+00:00", "cadence")


async def test_show_says_when_the_next_check_in_comes(community: Community) -> None:
    mina = community.members[0]
    museum = await register(community, mina, "Hall Museum")

    async def details() -> str:
        shown = await mina.slash(community.general, "partnership show", partnership=str(museum))
        return next(field.value for field in shown.response.embeds[0].fields if field.name == "Details")

    # Registered on Friday 20 November 2026, monthly: first due on Sunday 20 December at 09:00 UTC.
    assert "Check-ins: monthly · next <t:1797757200:R>" in (await details()).splitlines()
    off = await mina.slash(community.general, "checkin cadence", partnership=str(museum), cadence="off")
    assert off.response is not None
    assert "Check-ins: off" in (await details()).splitlines()
