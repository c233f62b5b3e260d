"""Time phrases and repeat slots (core/when.py), with expected moments worked out by hand.

dateparser 1.5.0 reads "next monday" as the first Monday after today: on a Friday, the coming
Monday; on a Monday, the Monday a week later (even when 18:00 today is still ahead).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.errors import UserError
from core.when import Repeat, next_slot, read_time
from tests.announcements.helpers import utc

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
FRIDAY_NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 13:00 in Berlin, 07:00 in New York


@pytest.mark.parametrize(
    ("phrase", "zone", "expected"),
    [
        ("2027-03-01 18:00", BERLIN, utc(2027, 3, 1, 17, 0)),
        ("tomorrow 9:00", BERLIN, utc(2026, 11, 21, 8, 0)),
        ("next monday 18:00", BERLIN, utc(2026, 11, 23, 17, 0)),
        ("in 2 hours", BERLIN, utc(2026, 11, 20, 14, 0)),
        ("2027-03-01 18:00", NEW_YORK, utc(2027, 3, 1, 23, 0)),
        ("tomorrow 9:00", NEW_YORK, utc(2026, 11, 21, 14, 0)),
        ("next monday 18:00", NEW_YORK, utc(2026, 11, 23, 23, 0)),
        ("18:00", NEW_YORK, utc(2026, 11, 20, 23, 0)),  # later today, New York time
        ("in 2 hours", NEW_YORK, utc(2026, 11, 20, 14, 0)),
        ("  Next  Monday   6pm ", BERLIN, utc(2026, 11, 23, 17, 0)),
        ("1/3/2027 18:00", BERLIN, utc(2027, 3, 1, 17, 0)),  # day before month
    ],
)
def test_phrases_are_read_in_the_given_timezone(phrase: str, zone: ZoneInfo, expected: datetime) -> None:
    assert read_time(phrase, zone, FRIDAY_NOON) == expected


def test_next_monday_on_a_monday_is_a_week_later() -> None:
    monday_morning = utc(2026, 11, 23, 9, 0)
    assert read_time("next monday 18:00", ZoneInfo("UTC"), monday_morning) == utc(2026, 11, 30, 18, 0)
    sunday = utc(2026, 11, 22, 9, 0)
    assert read_time("next monday 18:00", ZoneInfo("UTC"), sunday) == utc(2026, 11, 23, 18, 0)


def test_a_clock_time_after_a_dst_change_keeps_its_local_hour() -> None:
    # Berlin moves to summer time on Sunday 28 March 2027: Monday 18:00 is then 16:00 UTC.
    assert read_time("next monday 18:00", BERLIN, utc(2027, 3, 26, 12, 0)) == utc(2027, 3, 29, 16, 0)
    # New York moves on Sunday 14 March 2027: Monday 9:00 EDT is 13:00 UTC.
    assert read_time("next monday 9:00", NEW_YORK, utc(2027, 3, 12, 17, 0)) == utc(2027, 3, 15, 13, 0)


def test_a_duration_across_a_dst_change_counts_real_time() -> None:
    # 01:30 summer time in Berlin on 31 October 2027; at 03:00 the clocks go back to 02:00.
    night = utc(2027, 10, 30, 23, 30)
    assert read_time("in 2 hours", BERLIN, night) == utc(2027, 10, 31, 1, 30)
    assert read_time("03:30", BERLIN, night) == utc(2027, 10, 31, 2, 30)  # 03:30 winter time


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("someday soon", "I couldn't read “someday soon” as a time. Try “2027-03-01 18:00”"),
        ("2027-02-30 18:00", "I couldn't read “2027-02-30 18:00” as a time."),
        (
            "yesterday 9:00",
            "“yesterday 9:00” reads as Thu 19 Nov 2026, 09:00 (Europe/Berlin), which is not in the future.",
        ),
        ("2026-11-20 11:00", "reads as Fri 20 Nov 2026, 11:00 (Europe/Berlin), which is not in the future."),
        ("now", "“now” reads as Fri 20 Nov 2026, 13:00 (Europe/Berlin), which is not in the future."),
        (
            "next monday",
            "“next monday” reads as Mon 23 Nov 2026 but gives no time of day. "
            "Add one, for example “next monday 18:00”.",
        ),
    ],
)
def test_unreadable_past_or_dateless_phrases_say_what_was_understood(phrase: str, message: str) -> None:
    with pytest.raises(UserError) as refused:
        read_time(phrase, BERLIN, FRIDAY_NOON)
    assert message in refused.value.message


def test_weekly_slots_keep_the_local_hour_across_dst() -> None:
    first = datetime(2027, 3, 22, 18, 0, tzinfo=BERLIN)  # Monday, 17:00 UTC in winter time
    assert next_slot(Repeat.WEEKLY, first, utc(2027, 3, 22, 17, 0)) == utc(2027, 3, 29, 16, 0)
    new_york_first = datetime(2027, 11, 1, 9, 0, tzinfo=NEW_YORK)  # Monday, 13:00 UTC in summer time
    assert next_slot(Repeat.WEEKLY, new_york_first, utc(2027, 11, 1, 13, 0)) == utc(2027, 11, 8, 14, 0)


def test_the_next_slot_is_strictly_after_the_given_moment() -> None:
    first = datetime(2026, 11, 23, 18, 0, tzinfo=ZoneInfo("UTC"))
    assert next_slot(Repeat.WEEKLY, first, utc(2026, 11, 23, 18, 0)) == utc(2026, 11, 30, 18, 0)
    # After ten days of downtime: the first Monday after now, not the missed one.
    assert next_slot(Repeat.WEEKLY, first, utc(2026, 12, 3, 10, 0)) == utc(2026, 12, 7, 18, 0)
    assert next_slot(Repeat.NONE, first, utc(2026, 11, 23, 18, 0)) is None


def test_monthly_slots_at_month_end_fall_on_the_last_day_of_shorter_months() -> None:
    slots = []
    after = utc(2027, 1, 31, 17, 0)  # the first slot: Sunday 31 January 2027, 18:00 Berlin
    for _ in range(4):
        after = next_slot(Repeat.MONTHLY, datetime(2027, 1, 31, 18, 0, tzinfo=BERLIN), after)  # type: ignore[assignment]
        slots.append(after)
    assert slots == [
        utc(2027, 2, 28, 17, 0),
        utc(2027, 3, 31, 16, 0),  # summer time from 28 March
        utc(2027, 4, 30, 16, 0),
        utc(2027, 5, 31, 16, 0),
    ]
    thirtieth = datetime(2027, 1, 30, 9, 0, tzinfo=BERLIN)
    assert next_slot(Repeat.MONTHLY, thirtieth, utc(2027, 1, 30, 8, 0)) == utc(2027, 2, 28, 8, 0)
    assert next_slot(Repeat.MONTHLY, thirtieth, utc(2027, 2, 28, 8, 0)) == utc(2027, 3, 30, 7, 0)
    fifteenth = datetime(2027, 1, 15, 9, 0, tzinfo=BERLIN)
    assert next_slot(Repeat.MONTHLY, fifteenth, utc(2027, 1, 15, 8, 0)) == utc(2027, 2, 15, 8, 0)
