"""The check-in calendar alone: cadences, stages, owners' timezones and hours, DST, pauses, snoozes.

Expected moments are worked out by hand: Europe/Berlin is UTC+1 until 29 March 2026 and UTC+2
after; America/New_York is UTC−4 until 1 November 2026 and UTC−5 after.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.checkin_calendar import (
    OPEN_ENDED,
    Due,
    Reason,
    Schedule,
    is_late,
    next_due,
    snoozed_until,
    start_of_day,
)
from core.vocabulary import Cadence, Stage

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def schedule(**changes: object) -> Schedule:
    base = Schedule(
        stage=Stage.ACTIVE,
        cadence=Cadence.WEEKLY,
        has_owner=True,
        anchor=utc(2026, 11, 20, 12),  # a Friday
        zone=ZoneInfo("UTC"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def cadence_at(moment: datetime) -> Due:
    return Due(moment, Reason.CADENCE)


def test_weekly_keeps_the_local_hour_across_the_spring_change_in_berlin() -> None:
    before = schedule(anchor=utc(2026, 3, 15, 10), zone=BERLIN)  # Sunday 15 March
    assert next_due(before, utc(2026, 3, 15, 10)) == cadence_at(utc(2026, 3, 22, 8))  # 09:00 CET
    across = schedule(anchor=utc(2026, 3, 22, 10), zone=BERLIN)
    assert next_due(across, utc(2026, 3, 22, 10)) == cadence_at(utc(2026, 3, 29, 7))  # 09:00 CEST
    assert next_due(across, utc(2026, 3, 29, 7)) == cadence_at(utc(2026, 4, 5, 7))


def test_weekly_keeps_the_local_hour_across_the_autumn_change_in_new_york() -> None:
    owner = schedule(anchor=utc(2026, 10, 18, 12), zone=NEW_YORK, hour=9)  # Sunday 18 October
    assert next_due(owner, utc(2026, 10, 18, 12)) == cadence_at(utc(2026, 10, 25, 13))  # 09:00 EDT
    later = replace(owner, anchor=utc(2026, 10, 25, 14))
    assert next_due(later, utc(2026, 10, 25, 14)) == cadence_at(utc(2026, 11, 1, 14))  # 09:00 EST


def test_the_same_slot_in_two_timezones() -> None:
    berlin = schedule(zone=BERLIN, hour=8)
    new_york = schedule(zone=NEW_YORK, hour=8)
    now = utc(2026, 11, 20, 12)
    assert next_due(berlin, now) == cadence_at(utc(2026, 11, 27, 7))
    assert next_due(new_york, now) == cadence_at(utc(2026, 11, 27, 13))


def test_fortnightly_counts_two_weeks_from_the_anchor() -> None:
    owner = schedule(cadence=Cadence.FORTNIGHTLY, anchor=utc(2026, 3, 2, 10), zone=BERLIN)  # a Monday
    assert next_due(owner, utc(2026, 3, 2, 10)) == cadence_at(utc(2026, 3, 16, 8))
    assert next_due(owner, utc(2026, 3, 20)) == cadence_at(utc(2026, 3, 30, 7))  # after the change


def test_monthly_at_a_month_end_never_skips_a_month() -> None:
    owner = schedule(cadence=Cadence.MONTHLY, anchor=utc(2026, 1, 31, 12))
    assert next_due(owner, utc(2026, 1, 31, 12)) == cadence_at(utc(2026, 2, 28, 9))
    assert next_due(owner, utc(2026, 3, 1)) == cadence_at(utc(2026, 3, 28, 9))
    mid_month = schedule(cadence=Cadence.MONTHLY, anchor=utc(2026, 1, 15, 12), zone=BERLIN)
    assert next_due(mid_month, utc(2026, 1, 15, 12)) == cadence_at(utc(2026, 2, 15, 8))


def test_quarterly_comes_every_third_month_on_the_anchor_day() -> None:
    owner = schedule(cadence=Cadence.QUARTERLY, anchor=utc(2026, 1, 15, 12))
    assert next_due(owner, utc(2026, 1, 15, 12)) == cadence_at(utc(2026, 4, 15, 9))
    assert next_due(owner, utc(2026, 5, 1)) == cadence_at(utc(2026, 7, 15, 9))
    year_end = schedule(cadence=Cadence.QUARTERLY, anchor=utc(2026, 11, 30, 12))
    assert next_due(year_end, utc(2026, 11, 30, 12)) == cadence_at(utc(2027, 2, 28, 9))


def test_no_prompt_on_the_anchor_day_itself() -> None:
    # Registered at 06:00 with an hour of 9: the first weekly prompt is a week later, not at 09:00.
    owner = schedule(anchor=utc(2026, 11, 20, 6))
    assert next_due(owner, utc(2026, 11, 20, 6)) == cadence_at(utc(2026, 11, 27, 9))


def test_early_stages_are_prompted_on_their_follow_up_date_only() -> None:
    prospect = schedule(stage=Stage.PROSPECT, zone=TOKYO, hour=14, follow_up=date(2026, 12, 1))
    assert next_due(prospect, utc(2026, 11, 20, 12)) == Due(utc(2026, 12, 1, 5), Reason.FOLLOW_UP)
    assert next_due(replace(prospect, follow_up=None), utc(2026, 11, 20, 12)) is None
    assert next_due(prospect, utc(2026, 12, 1, 5)) is None  # its moment has passed


def test_an_earlier_follow_up_comes_before_the_cadence() -> None:
    active = schedule(cadence=Cadence.MONTHLY, zone=BERLIN, follow_up=date(2026, 12, 3))
    assert next_due(active, utc(2026, 11, 20, 12)) == Due(utc(2026, 12, 3, 8), Reason.FOLLOW_UP)
    later = replace(active, follow_up=date(2027, 1, 5))
    assert next_due(later, utc(2026, 11, 20, 12)) == cadence_at(utc(2026, 12, 20, 8))


def test_concluded_orphaned_and_cadence_off_get_nothing() -> None:
    now = utc(2026, 11, 20, 12)
    assert next_due(schedule(stage=Stage.CONCLUDED, follow_up=date(2026, 12, 1)), now) is None
    assert next_due(schedule(has_owner=False), now) is None
    assert next_due(schedule(cadence=Cadence.OFF), now) is None
    assert next_due(schedule(stage=Stage.ON_HOLD), now) == cadence_at(utc(2026, 11, 27, 9))


def test_a_pause_moves_prompts_to_the_first_slot_after_it() -> None:
    now = utc(2026, 11, 20, 12)
    paused = schedule(paused_until=utc(2026, 12, 5))  # a Saturday
    assert next_due(paused, now) == cadence_at(utc(2026, 12, 11, 9))  # the Friday after
    follow_up = schedule(stage=Stage.NEGOTIATING, follow_up=date(2026, 12, 1), paused_until=utc(2026, 12, 5))
    assert next_due(follow_up, now) == Due(utc(2026, 12, 5, 9), Reason.FOLLOW_UP)  # first hour back
    assert next_due(schedule(paused_until=OPEN_ENDED), now) is None
    ended = schedule(paused_until=utc(2026, 11, 1))
    assert next_due(ended, now) == cadence_at(utc(2026, 11, 27, 9))


def test_a_snooze_comes_first() -> None:
    snoozed = schedule(snoozed_until=utc(2026, 11, 30, 10))
    assert next_due(snoozed, utc(2026, 11, 23)) == Due(utc(2026, 11, 30, 10), Reason.SNOOZE)
    assert next_due(snoozed, utc(2026, 11, 30, 10)) == cadence_at(utc(2026, 12, 4, 9))  # used up


def test_a_prompt_already_due_stays_due_until_claimed() -> None:
    now = utc(2026, 11, 20, 12)
    overdue = schedule(anchor=utc(2026, 11, 12, 12), pending=cadence_at(utc(2026, 11, 19, 9)))
    assert next_due(overdue, now) == cadence_at(utc(2026, 11, 19, 9))
    assert next_due(replace(overdue, cadence=Cadence.OFF), now) is None
    # Answered since it fell due: the cadence counts from the answer instead.
    assert next_due(replace(overdue, anchor=utc(2026, 11, 20, 11)), now) == cadence_at(utc(2026, 11, 27, 9))
    follow_up = Due(utc(2026, 11, 20, 9), Reason.FOLLOW_UP)
    prospect = schedule(stage=Stage.PROSPECT, anchor=utc(2026, 11, 1), follow_up=date(2026, 11, 20))
    assert next_due(replace(prospect, pending=follow_up), now) == follow_up  # its moment passed, unclaimed
    snooze = Due(utc(2026, 11, 20, 10), Reason.SNOOZE)
    assert next_due(replace(prospect, pending=snooze), now) is None  # the snooze was cleared
    paused = replace(overdue, paused_until=utc(2026, 12, 5))
    assert next_due(paused, now) == cadence_at(utc(2026, 12, 10, 9))  # Thursdays, like the anchor
    future = schedule(pending=cadence_at(utc(2026, 12, 25, 9)))
    assert next_due(future, now) == cadence_at(utc(2026, 11, 27, 9))


def test_snooze_keeps_the_wall_clock_across_dst() -> None:
    clicked = utc(2026, 3, 25, 9, 30)  # 10:30 CET
    assert snoozed_until(clicked, BERLIN) == utc(2026, 4, 1, 8, 30)  # 10:30 CEST, 6 days 23 hours later


def test_pause_ends_at_local_midnight() -> None:
    assert start_of_day(date(2026, 12, 5), BERLIN) == utc(2026, 12, 4, 23)
    assert start_of_day(date(2026, 12, 5), NEW_YORK) == utc(2026, 12, 5, 5)


def test_late_means_well_past_due() -> None:
    now = utc(2026, 11, 20, 12)
    assert is_late(now - timedelta(hours=3), now)
    assert not is_late(now - timedelta(hours=1), now)
