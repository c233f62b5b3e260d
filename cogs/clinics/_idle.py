"""When a quiet clinic needs a nudge: Discord-free, from the stored times and ``now``.

Like python-discord's help forum, the deadline is recomputed from the last message every time,
never kept in a timer, so a restart or a week of downtime loses nothing. After downtime only the
furthest step that is due runs (a clinic idle for 20 days goes dormant; it is not first nudged
and asked as well): late, once, not as a flood.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

RESUGGEST_AFTER = timedelta(days=2)  # nobody but the asker has written
ASK_AFTER = timedelta(days=7)  # nobody at all has written
DORMANT_AFTER = timedelta(days=14)
# At most this many steps per scheduler tick, the longest overdue first; the rest wait for the next
# tick. A tick stays short (the other features' due work runs after it), and after downtime the
# backlog reaches Discord as a trickle, well inside its rate limits, not as a burst. A
# re-suggestion ranks experts as /expertise who does (tens of milliseconds): one per tick.
STEPS_PER_TICK = 5  # questions and dormancies
RESUGGESTIONS_PER_TICK = 1


class IdleStep(StrEnum):
    RESUGGEST = "resuggest"  # suggest experts once more
    ASK_ASKER = "ask"  # ask the asker whether to keep it open (a button)
    DORMANT = "dormant"  # mark dormant and archive


@dataclass(frozen=True)
class IdleState:
    """The times that decide a clinic's next idle step."""

    open: bool
    last_activity_at: datetime
    helpers_quiet_since: datetime
    experts_resuggested_at: datetime | None
    keep_open_asked_at: datetime | None


@dataclass(frozen=True)
class Cutoffs:
    """``now`` minus each delay: a clinic quiet since before a cutoff has that step due."""

    resuggest: datetime
    ask: datetime
    dormant: datetime


def cutoffs(now: datetime) -> Cutoffs:
    return Cutoffs(now - RESUGGEST_AFTER, now - ASK_AFTER, now - DORMANT_AFTER)


def asked_this_quiet_period(state: IdleState) -> bool:
    """The question counts until someone writes (or keeps it open); then a new quiet week may ask again."""
    return state.keep_open_asked_at is not None and state.keep_open_asked_at > state.last_activity_at


def next_step(state: IdleState, now: datetime) -> IdleStep | None:
    """The one idle step due now, or None."""
    if not state.open:
        return None
    due = cutoffs(now)
    if state.last_activity_at <= due.dormant:
        return IdleStep.DORMANT
    if state.last_activity_at <= due.ask:
        return None if asked_this_quiet_period(state) else IdleStep.ASK_ASKER
    if state.experts_resuggested_at is None and state.helpers_quiet_since <= due.resuggest:
        return IdleStep.RESUGGEST
    return None


# Discord archives a thread by itself after a week without messages (the longest auto-archive
# it offers); the idle steps own that case. An hour's margin covers clock differences.
AUTO_ARCHIVE_AFTER = timedelta(days=7) - timedelta(hours=1)


def archived_by_hand(state: IdleState, now: datetime) -> bool:
    """An open clinic's thread was archived, not by us: by a person, unless Discord's week ran out."""
    return state.open and now - state.last_activity_at < AUTO_ARCHIVE_AFTER
