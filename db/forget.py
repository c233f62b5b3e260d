"""Forget a member in one guild: delete what is theirs, and take their name off what the community keeps.

Table-driven, so a feature that stores member data adds one ``Step`` to ``STEPS`` (in the order it
must run); the confirmation and the summary the member sees list every counted step by itself.
Every statement gets the named parameters ``:guild``, ``:user`` and ``:at``, plus the
texts below. Partnerships the member owns are not deleted: they become orphaned, for a
coordinator to reassign, and their timelines say so. Admin audit columns (``guild_channels.set_by``,
``coordinator_roles.set_by``) are kept: they record who configured the server.

No step touches words the search index holds (names, descriptions, notes, lessons), so no
partnership's search document needs refreshing.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from core.clock import to_storage
from db.database import Database, Transaction

log = logging.getLogger(__name__)

ORPHANED_SUMMARY = "Owner left the registry; waiting for a coordinator to reassign"
CO_OWNER_LEFT_SUMMARY = "A co-owner left the registry"

# Partnerships of this guild, for tables that only know a partnership id.
# Checked per row, after the member's own rows are found by index: not a list of the guild's records.
_IN_GUILD = "(SELECT guild_id FROM partnerships WHERE id = partnership_id) = :guild"


@dataclass(frozen=True)
class Step:
    """One statement. A counted step has a ``key`` and tells the member what happens to its rows:
    the confirmation and the summary print "<count> <noun>: <effect>" when the count isn't zero.
    """

    sql: str
    key: str | None = None
    noun: tuple[str, str] = ("", "")  # singular, plural
    effect: str = ""


STEPS: tuple[Step, ...] = (
    Step(
        "DELETE FROM profiles WHERE guild_id = :guild AND user_id = :user",
        "profile",
        ("profile", "profiles"),
        "deleted (timezone, affiliation, region, languages, check-in hour)",
    ),
    # Check-ins: an orphaned partnership has nobody to prompt; prompts still open are withdrawn.
    Step(
        "UPDATE partnerships SET next_checkin_at = NULL, next_checkin_reason = NULL"
        " WHERE guild_id = :guild AND owner_id = :user"
    ),
    Step(
        "UPDATE checkins SET state = 'dismissed', closed_at = :at"
        " WHERE guild_id = :guild AND recipient_id = :user AND state IN ('claimed', 'sent')"
    ),
    # The timeline entry first: the UPDATE below is what makes the owner unknown.
    Step(
        "INSERT INTO partnership_timeline (partnership_id, kind, author_id, at, summary)"
        " SELECT id, 'ownership', NULL, :at, :orphaned_summary FROM partnerships"
        " WHERE guild_id = :guild AND owner_id = :user"
    ),
    Step(
        "UPDATE partnerships SET owner_id = NULL, updated_at = :at"
        " WHERE guild_id = :guild AND owner_id = :user",
        "orphaned",
        ("partnership you own", "partnerships you own"),
        "orphaned, for a coordinator to reassign",
    ),
    Step(
        "INSERT INTO partnership_timeline (partnership_id, kind, author_id, at, summary)"
        " SELECT partnership_id, 'co_owner', NULL, :at, :co_owner_summary FROM partnership_co_owners"
        f" WHERE user_id = :user AND {_IN_GUILD}"
    ),
    Step(
        f"DELETE FROM partnership_co_owners WHERE user_id = :user AND {_IN_GUILD}",
        "co_owned",
        ("co-ownership", "co-ownerships"),
        "removed",
    ),
    Step(
        f"UPDATE partnership_timeline SET author_id = NULL WHERE author_id = :user AND {_IN_GUILD}",
        "timeline_authored",
        ("timeline entry you wrote", "timeline entries you wrote"),
        "kept, without your name",
    ),
    Step(
        "UPDATE partnerships SET created_by = NULL WHERE guild_id = :guild AND created_by = :user",
        "registered",
        ("partnership you registered", "partnerships you registered"),
        "kept, without your name as who registered it",
    ),
    Step(
        f"UPDATE partnership_agreement SET updated_by = NULL WHERE updated_by = :user AND {_IN_GUILD}",
        "agreement_updated",
        ("agreement checklist item you updated", "agreement checklist items you updated"),
        "kept, without your name",
    ),
    # Check-ins keep their answers (the partnership's history), without the member's name.
    Step(
        "UPDATE checkins SET recipient_id = NULL WHERE guild_id = :guild AND recipient_id = :user",
        "checkins_received",
        ("check-in prompt sent to you", "check-in prompts sent to you"),
        "kept in the partnership's history, without your name",
    ),
    Step(
        "UPDATE checkins SET answered_by = NULL WHERE guild_id = :guild AND answered_by = :user",
        "checkins_answered",
        ("check-in you answered", "check-ins you answered"),
        "kept, notes included, without your name",
    ),
    # The expertise directory: declared areas (their search words go with them, by trigger), ping opt-in.
    Step(
        "DELETE FROM member_expertise WHERE guild_id = :guild AND user_id = :user",
        "expertise",
        ("area of expertise", "areas of expertise"),
        "deleted (areas, levels and notes)",
    ),
    Step("DELETE FROM expertise_availability WHERE guild_id = :guild AND user_id = :user"),
    # Clinics: pings and credits are about the member; clinics stay for the lessons.
    Step(
        "DELETE FROM clinic_pings WHERE guild_id = :guild AND user_id = :user",
        "clinic_pings",
        ("clinic ping record", "clinic ping records"),
        "deleted",
    ),
    Step(
        "DELETE FROM clinic_credits WHERE guild_id = :guild AND helper_id = :user",
        "clinic_credits",
        ("clinic credit you received", "clinic credits you received"),
        "deleted",
    ),
    Step("UPDATE clinic_credits SET credited_by = NULL WHERE guild_id = :guild AND credited_by = :user"),
    Step(
        "UPDATE clinics SET asker_id = NULL WHERE guild_id = :guild AND asker_id = :user",
        "clinics_asked",
        ("clinic you opened", "clinics you opened"),
        "kept for the lessons, without your name",
    ),
    Step("UPDATE clinics SET resolved_by = NULL WHERE guild_id = :guild AND resolved_by = :user"),
    # Announcements are the community's: they stay (scheduled ones are still posted), unsigned.
    Step(
        "UPDATE announcements SET author_id = NULL WHERE guild_id = :guild AND author_id = :user",
        "announcements_written",
        ("announcement you wrote", "announcements you wrote"),
        "kept, without your name (scheduled ones are still posted)",
    ),
    Step("UPDATE announcements SET cancelled_by = NULL WHERE guild_id = :guild AND cancelled_by = :user"),
    # That they once left the server (kept so counts leave them out).
    Step("DELETE FROM member_departures WHERE guild_id = :guild AND user_id = :user"),
)


@dataclass(frozen=True)
class Forgotten:
    """How many rows each counted step changed, by step key."""

    counts: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def nothing(self) -> bool:
        return not any(self.counts.values())

    def lines(self) -> list[str]:
        """ "<count> <noun>: <effect>" for every counted step that changes something, in step order."""
        return [
            f"**{count}** {step.noun[count != 1]}: {step.effect}"
            for step in STEPS
            if step.key and (count := self[step.key])
        ]


class _DryRun(Exception):
    """Raised inside the transaction to roll a preview back."""


async def _apply(tx: Transaction, guild_id: int, user_id: int, at: datetime) -> Forgotten:
    params = {
        "guild": guild_id,
        "user": user_id,
        "at": to_storage(at),
        "orphaned_summary": ORPHANED_SUMMARY,
        "co_owner_summary": CO_OWNER_LEFT_SUMMARY,
    }
    counts: dict[str, int] = {}
    for step in STEPS:
        changed = await tx.changes(step.sql, params)
        if step.key is not None:
            counts[step.key] = changed
    return Forgotten(counts)


async def forget(database: Database, guild_id: int, user_id: int, *, at: datetime) -> Forgotten:
    """Run every step in one transaction: all of them happen, or none."""
    async with database.transaction() as tx:
        result = await _apply(tx, guild_id, user_id, at)
    log.info("member forgotten guild=%s user=%s counts=%s", guild_id, user_id, result.counts)
    return result


async def preview(database: Database, guild_id: int, user_id: int, *, at: datetime) -> Forgotten:
    """What ``forget`` would change now, by running the same steps and rolling them back.

    Running the real statements keeps the preview exact without a second, counting copy of each step.
    """
    result = Forgotten({})
    with suppress(_DryRun):
        async with database.transaction() as tx:
            result = await _apply(tx, guild_id, user_id, at)
            raise _DryRun
    return result
