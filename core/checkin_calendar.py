"""When a partnership's next check-in prompt is due. Discord-free and database-free.

APScheduler's triggers do the calendar arithmetic in the owner's timezone, so a prompt at 09:00
stays at 09:00 local time across a daylight-saving change. The rules:

- active and on-hold partnerships with a cadence get a prompt every week, fortnight, month or
  quarter, counted from the last check-in (or the registration), at the owner's hour;
- any open partnership is also prompted on its next follow-up date, at the owner's hour
  (for prospect, contacting and negotiating ones that is the only prompt);
- "Snooze a week" puts a prompt seven days later, before anything else;
- concluded and orphaned partnerships are never prompted; a paused owner gets the first slot
  after the pause ends (a follow-up during the pause waits for the owner's return);
- a prompt already due but not yet claimed stays due, so an edit a second before the tick
  doesn't lose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.calendarinterval import CalendarIntervalTrigger
from apscheduler.triggers.cron import CronTrigger

from core.clock import to_utc
from core.vocabulary import Cadence, Stage

DEFAULT_HOUR = 9  # for owners who haven't chosen a check-in hour in /profile
SNOOZE = timedelta(days=7)
# A prompt sent this long after it was due says the bot was offline (a tick is at most an hour).
LATE_AFTER = timedelta(hours=2)
# Stored for "paused until /checkin resume"; any pause ending in this year or later is open-ended.
OPEN_ENDED = datetime(9999, 12, 31, tzinfo=UTC)
# Monthly and quarterly prompts land on this day at the latest, so no month is ever skipped.
LAST_SAFE_DAY = 28

CADENCE_STAGES = frozenset({Stage.ACTIVE, Stage.ON_HOLD})
_MONTHS_APART = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}


class Reason(StrEnum):
    """Why a prompt is due (stored with each check-in)."""

    CADENCE = "cadence"
    FOLLOW_UP = "follow_up"
    SNOOZE = "snooze"
    MANUAL = "manual"  # /checkin now: answered on the spot, never scheduled


@dataclass(frozen=True)
class Due:
    at: datetime  # UTC
    reason: Reason


@dataclass(frozen=True)
class Schedule:
    """Everything that decides a partnership's next prompt."""

    stage: Stage
    cadence: Cadence
    has_owner: bool
    anchor: datetime  # the last check-in, or the registration: cadence slots count from it
    zone: ZoneInfo  # the owner's, or the configured default
    hour: int = DEFAULT_HOUR
    follow_up: date | None = None
    snoozed_until: datetime | None = None
    paused_until: datetime | None = None
    pending: Due | None = None  # the stored next prompt, if any


def is_open_ended(paused_until: datetime) -> bool:
    return paused_until.year >= OPEN_ENDED.year


def next_due(schedule: Schedule, now: datetime) -> Due | None:
    """The next prompt for ``schedule`` as of ``now``, or None when nothing is to be prompted."""
    if schedule.stage is Stage.CONCLUDED or not schedule.has_owner:
        return None
    pause = schedule.paused_until
    if pause is not None and is_open_ended(pause):
        return None
    paused = pause is not None and pause > now
    pending = schedule.pending
    if not paused and pending is not None and pending.at <= now and _still_wanted(schedule, pending):
        return pending
    return _upcoming(schedule, now, pause if paused else None)


def _still_wanted(schedule: Schedule, pending: Due) -> bool:
    """A prompt due but not yet claimed stands, unless answered since or its reason is gone."""
    if pending.at <= schedule.anchor:  # a check-in came after it fell due
        return False
    if pending.reason is Reason.CADENCE:
        return schedule.stage in CADENCE_STAGES and schedule.cadence is not Cadence.OFF
    if pending.reason is Reason.FOLLOW_UP:
        return schedule.follow_up is not None
    return schedule.snoozed_until is not None


def _upcoming(schedule: Schedule, now: datetime, pause_end: datetime | None) -> Due | None:
    after = pause_end or now
    if schedule.snoozed_until is not None and schedule.snoozed_until > after:
        return Due(to_utc(schedule.snoozed_until), Reason.SNOOZE)
    candidates: list[Due] = []
    if schedule.stage in CADENCE_STAGES and schedule.cadence is not Cadence.OFF:
        slot = _cadence_slot(schedule, after)
        if slot is not None:
            candidates.append(Due(slot, Reason.CADENCE))
    if schedule.follow_up is not None:
        moment = _follow_up_moment(schedule, now, pause_end)
        if moment is not None:
            candidates.append(Due(moment, Reason.FOLLOW_UP))
    return min(candidates, key=lambda due: due.at, default=None)


def _cadence_trigger(cadence: Cadence, anchor: date, hour: int, zone: ZoneInfo) -> BaseTrigger:
    if cadence is Cadence.WEEKLY:
        return CronTrigger(day_of_week=anchor.weekday(), hour=hour, timezone=zone)
    if cadence is Cadence.FORTNIGHTLY:
        return CalendarIntervalTrigger(weeks=2, hour=hour, start_date=anchor, timezone=zone)
    step = _MONTHS_APART[cadence]
    months = ",".join(str(month) for month in range(1, 13) if (month - anchor.month) % step == 0)
    return CronTrigger(month=months, day=min(anchor.day, LAST_SAFE_DAY), hour=hour, timezone=zone)


def _cadence_slot(schedule: Schedule, after: datetime) -> datetime | None:
    """The first cadence slot after ``after`` and after the anchor's (local) day."""
    zone = schedule.zone
    anchor_day = schedule.anchor.astimezone(zone).date()
    day_after_anchor = datetime.combine(anchor_day + timedelta(days=1), time(0), tzinfo=zone)
    trigger = _cadence_trigger(schedule.cadence, anchor_day, schedule.hour, zone)
    return _first_from(trigger, max(after + timedelta(seconds=1), day_after_anchor))


def _follow_up_moment(schedule: Schedule, now: datetime, pause_end: datetime | None) -> datetime | None:
    assert schedule.follow_up is not None
    moment = datetime.combine(schedule.follow_up, time(schedule.hour), tzinfo=schedule.zone)
    if moment <= now:
        return None
    if pause_end is not None and moment <= pause_end:
        # It falls in the owner's holiday: ask at their first hour back instead.
        daily = CronTrigger(hour=schedule.hour, timezone=schedule.zone)
        return _first_from(daily, pause_end + timedelta(seconds=1))
    return to_utc(moment)


def _first_from(trigger: BaseTrigger, start: datetime) -> datetime | None:
    """The trigger's first fire time at or after ``start``, in UTC."""
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < start:  # interval triggers start from their start date
        fire = trigger.get_next_fire_time(fire, start)
    return None if fire is None else to_utc(fire)


def is_late(due_at: datetime, now: datetime) -> bool:
    return now - due_at > LATE_AFTER


def snoozed_until(now: datetime, zone: ZoneInfo) -> datetime:
    """A week from now by the owner's wall clock (the same local time, whatever DST does)."""
    return to_utc(now.astimezone(zone) + SNOOZE)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight at the start of ``day``, in UTC: where a pause "until" that day ends."""
    return to_utc(datetime.combine(day, time(0), tzinfo=zone))
