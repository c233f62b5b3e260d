"""When something should happen: time phrases a person typed, and the slots of a repeating schedule.

Discord-free. Phrases ("2027-03-01 18:00", "tomorrow 9:00", "next monday 18:00", "in 2 hours") are
read by dateparser in the person's timezone, relative to the bot's clock (never the real now).
Repeating slots come from APScheduler's triggers in the schedule's own timezone, so "every Monday
18:00 Europe/Berlin" stays 18:00 local across a DST change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from dateparser.date import DateDataParser

from core.errors import UserError

EXAMPLES = "“2027-03-01 18:00”, “tomorrow 9:00”, “next monday 18:00” or “in 2 hours”"
# Moving the base by this much moves a duration ("in 2 hours") by as much, but not a clock time.
_PROBE = timedelta(minutes=7)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Repeat(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def describe(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as a person reads it in ``zone``, e.g. "Mon 23 Nov 2026, 18:00 (Europe/Berlin)"."""
    return f"{moment.astimezone(zone):%a %d %b %Y, %H:%M} ({zone.key})"


def _parse(phrase: str, zone: ZoneInfo, base: datetime) -> tuple[datetime, str] | None:
    """dateparser's reading of ``phrase`` relative to ``base`` (naive, local wall time in ``zone``).

    English only, so a phrase never changes meaning by being taken for another language; day
    before month in numeric dates, as in most of the world. ``period`` is "time" only when the
    phrase gave a time of day (or a duration shorter than a day).
    """
    parser = DateDataParser(
        languages=["en"],
        settings={
            "TIMEZONE": zone.key,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    found = parser.get_date_data(phrase)
    if found.date_obj is None:
        return None
    return found.date_obj, found.period or ""


def read_time(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The future moment (aware, UTC, whole seconds) that ``text`` names, read in ``zone``.

    Raise ``UserError`` naming what was understood when the phrase is unreadable, gives no time of
    day, or is not in the future. A duration ("in 2 hours") counts real time, even across a DST
    change; a clock time ("monday 18:00") is that time on the local clock.
    """
    phrase = " ".join(text.split())
    now = now.astimezone(UTC).replace(microsecond=0)
    base = now.astimezone(zone).replace(tzinfo=None)
    found = _parse(phrase, zone, base) if phrase else None
    if found is None:
        raise UserError(f"I couldn't read “{phrase}” as a time. Try {EXAMPLES} (read in {zone.key}).")
    local, period = found
    if period != "time":
        raise UserError(
            f"“{phrase}” reads as {local:%a %d %b %Y} but gives no time of day. "
            f"Add one, for example “{phrase} 18:00”."
        )
    probed = _parse(phrase, zone, base + _PROBE)
    wall = local.replace(tzinfo=None)
    if probed is not None and probed[0].replace(tzinfo=None) - wall == _PROBE:
        moment = now + (wall - base)  # a duration from now
    else:
        moment = local.astimezone(UTC)
    moment = moment.replace(microsecond=0)
    if moment <= now:
        raise UserError(
            f"“{phrase}” reads as {describe(moment, zone)}, which is not in the future. "
            "Give a later time, or leave “when” empty to post right away."
        )
    return moment


def _trigger(repeat: Repeat, anchor: datetime) -> BaseTrigger:
    """APScheduler's trigger for the series whose first slot is ``anchor``, in ``anchor``'s timezone.

    Monthly on the 29th–31st falls on the last day of shorter months, rather than skipping them.
    """
    at: dict[str, Any] = {"hour": anchor.hour, "minute": anchor.minute, "timezone": anchor.tzinfo}
    if repeat is Repeat.WEEKLY:
        return CronTrigger(day_of_week=_WEEKDAYS[anchor.weekday()], **at)
    if repeat is Repeat.MONTHLY:
        if anchor.day <= 28:
            return CronTrigger(day=anchor.day, **at)
        if anchor.day == 31:
            return CronTrigger(day="last", **at)
        return OrTrigger([CronTrigger(day=anchor.day, **at), CronTrigger(month=2, day="last", **at)])
    raise ValueError(f"{repeat} has no slots after the first")


def next_slot(repeat: Repeat, anchor: datetime, after: datetime) -> datetime | None:
    """The first slot strictly after ``after`` (aware, UTC) of the series that started at ``anchor``.

    ``anchor`` is the first slot in the series' own timezone (a ``ZoneInfo``): every slot keeps its
    local weekday or day of the month and its local hour. None when the series doesn't repeat.
    """
    if repeat is Repeat.NONE:
        return None
    if not isinstance(anchor.tzinfo, ZoneInfo):
        raise ValueError("the anchor needs its IANA timezone, so slots follow the local clock")
    # Passing ``after`` as the previous fire time makes the trigger look strictly later.
    slot = _trigger(repeat, anchor).get_next_fire_time(after, after)
    return None if slot is None else slot.astimezone(UTC)
