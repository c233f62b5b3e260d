"""When the weekly digest is due: Discord-free calendar arithmetic on APScheduler's CronTrigger.

The digest's slot is a weekday and hour in the server's timezone (``[scheduler] timezone``);
the trigger keeps it at that local hour across DST changes. Only the most recent slot matters:
after downtime that one is sent (late, with a note), never one per missed week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from core.clock import to_utc

# A digest posted by the first tick after its slot is on time; the tick is at most an hour.
LATE_AFTER = timedelta(hours=2)
FOLLOW_UP_DAYS = 7


@dataclass(frozen=True)
class Slot:
    """One week's digest moment."""

    at: datetime  # aware, in UTC
    local_date: date  # the slot's date in the server's timezone: the digest's ``week_of``

    @property
    def week_of(self) -> str:
        return self.local_date.isoformat()

    def is_late(self, now: datetime) -> bool:
        return now - self.at > LATE_AFTER


def weekly_trigger(weekday: int, hour: int, timezone: ZoneInfo) -> CronTrigger:
    """Every ``weekday`` (0 = Monday) at ``hour``:00 local time."""
    return CronTrigger(day_of_week=weekday, hour=hour, minute=0, second=0, timezone=timezone)


def latest_slot(now: datetime, weekday: int, hour: int, timezone: ZoneInfo) -> Slot:
    """The most recent slot at or before ``now``."""
    trigger = weekly_trigger(weekday, hour, timezone)
    # Eight days back always holds a slot; walk forward to the last one not after now.
    moment = trigger.get_next_fire_time(None, now - timedelta(days=8))
    while True:
        following = trigger.get_next_fire_time(moment, moment)
        if following > now:
            break
        moment = following
    return Slot(at=to_utc(moment), local_date=moment.astimezone(timezone).date())


def follow_up_window(now: datetime, timezone: ZoneInfo) -> tuple[date, date]:
    """The coming seven days, today included, as local dates."""
    today = now.astimezone(timezone).date()
    return today, today + timedelta(days=FOLLOW_UP_DAYS - 1)
