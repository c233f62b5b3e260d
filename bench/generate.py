"""A deterministic synthetic community at a chosen size, as a ready SQLite file.

The file is created by the app's real migrations, then filled with plain SQL in one large
transaction. Derived structures are written by the app's own code, so they are exactly what the app
would write: search documents (``partnerships.refresh_search``, ``clinics.resolve``), each
partnership's next check-in (``checkins.reschedule``); the expertise search index and anything a
migration keeps in step with triggers follow by themselves.

Generated files are cached in ``bench/.cache/`` by size, generator version and the migrations they
were built with. A new migration upgrades the newest cached file that has the migrations before it
(as it upgrades a member's database); changing the generator or an applied migration builds anew.

    .venv/bin/python -m bench.generate --size movement
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import heapq
import logging
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import names
from bench.community import (
    MAIN_GUILD_ID,
    NOW,
    OTHER_GUILD_IDS,
    OTHER_GUILD_SHARE,
    SEED,
    SIZES,
    Size,
    member_id,
)
from bench.direct import DirectDatabase, DirectTransaction, run
from core.vocabulary import WIKIMEDIA_PROJECTS, AgreementItem, PartnerType, scope_for
from db import areas, checkins, clinics, partnerships
from db.database import Database
from db.migrate import MIGRATIONS_DIR, migrate

log = logging.getLogger(__name__)

GENERATOR_VERSION = 1
CACHE_DIR = Path(__file__).with_name(".cache")
FLUSH_EVERY = 20_000  # rows buffered per table before they are written
DAY = 86_400
HISTORY_DAYS = 6 * 365  # partnerships were registered over the last six years

TYPE_WEIGHTS = {
    "museum": 18, "library": 12, "archive": 9, "gallery": 4, "university": 16, "school": 5, "igo": 4,
    "government": 6, "ngo": 8, "affiliate": 5, "funder": 6, "company": 3, "other": 4,
}  # fmt: skip
STAGE_WEIGHTS = {
    "prospect": 8, "contacting": 8, "negotiating": 9, "active": 42, "on_hold": 8, "concluded": 25,
}  # fmt: skip
# Areas a partner of each type is usually about (taxonomy slugs), then any area.
TYPE_AREAS = {
    "museum": ("glam", "digitisation", "wikidata", "copyright", "wikipedian-in-residence"),
    "library": ("glam", "digitisation", "wikidata", "languages"),
    "archive": ("glam", "digitisation", "wikidata", "copyright"),
    "gallery": ("glam", "digitisation", "copyright", "diversity"),
    "university": ("universities", "education", "open-science", "wikidata"),
    "school": ("education", "languages", "volunteers"),
    "igo": ("igo", "advocacy", "open-science", "languages"),
    "government": ("government", "advocacy", "copyright", "wikidata"),
    "ngo": ("advocacy", "diversity", "events", "volunteers"),
    "affiliate": ("events", "volunteers", "communications", "diversity"),
    "funder": ("funding", "evaluation", "agreements"),
    "company": ("in-kind", "funding", "digitisation"),
    "other": ("events", "communications", "glam"),
}
CADENCE_PERIOD_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91}
TIMELINE_KINDS = (("interaction", 45), ("checkin", 25), ("stage", 10), ("target", 8), ("edited", 7),
                  ("agreement", 3), ("co_owner", 2))  # fmt: skip
TIMELINE_SUMMARIES = {
    "stage": "Stage: Contacting → Negotiating",
    "target": "Target files uploaded: 120 / 500 files",
    "edited": "Edited description, areas",
    "agreement": "Agreement: IP / licensing done",
    "co_owner": "Co-owner added",
}
EXPERTISE_NOTES = (
    "Ran {count} edit-a-thons",
    "Uploaded {collection}",
    "Negotiated our MoU with a national library",
    "Wikipedian in Residence for two years",
    "Teach Wikidata workshops",
    "Wrote our grant reports",
    "",
    "",
    "",
)


def stamp(seconds: float) -> str:
    """``core.clock.to_storage`` for a Unix time (the same text, without building two datetimes)."""
    return datetime.fromtimestamp(int(seconds), UTC).isoformat()


def day_of(seconds: float) -> str:
    return datetime.fromtimestamp(int(seconds), UTC).date().isoformat()


def migrations_fingerprint(paths: list[Path] | None = None) -> str:
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")) if paths is None else paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def cache_path(size: Size, paths: list[Path] | None = None, *, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"{size.name}-g{GENERATOR_VERSION}-m{migrations_fingerprint(paths)}.sqlite3"


def upgradable(size: Size, *, cache_dir: Path = CACHE_DIR) -> Path | None:
    """A cached file of ``size`` built with the first migrations of today's list, if there is one.

    A new migration then upgrades it as it would upgrade a member's database, in seconds, instead
    of an hour of generating tenx again; its backfill is what fills what it adds.
    """
    paths = sorted(MIGRATIONS_DIR.glob("*.sql"))
    for count in range(len(paths) - 1, 0, -1):
        candidate = cache_path(size, paths[:count], cache_dir=cache_dir)
        if candidate.exists():
            return candidate
    return None


def upgrade(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` and apply the migrations it hasn't had, timing them."""
    started = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    shutil.copyfile(source, partial)
    asyncio.run(_migrate(partial, MIGRATIONS_DIR))
    connection = sqlite3.connect(partial)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    partial.replace(path)
    log.info("upgraded %s to %s in %.1fs", source.name, path.name, time.perf_counter() - started)


def cached(size: Size) -> Path:
    """The generated database for ``size``: built first if it isn't cached yet (or upgraded)."""
    path = cache_path(size)
    if not path.exists():
        source = upgradable(size)
        if source is not None:
            upgrade(source, path)
        else:
            generate(size, path)
    return path


def weighted(rng: random.Random, weights: dict[str, int]) -> Callable[[], str]:
    keys, totals = list(weights), list(weights.values())
    return lambda: rng.choices(keys, totals)[0]


@dataclass(frozen=True)
class Skeleton:
    """What decides how much history a partnership has, drawn before any row is written."""

    created: float
    stage: str
    cadence: str
    ended: float | None  # concluded partnerships end; their history stops there

    @property
    def last(self) -> float:
        return self.ended if self.ended is not None else NOW.timestamp()

    @property
    def slots(self) -> int:
        """Check-in slots its cadence offered (only active, on-hold and concluded ones were prompted)."""
        if self.cadence == "off" or self.stage not in ("active", "on_hold", "concluded"):
            return 0
        return int((self.last - self.created) // (CADENCE_PERIOD_DAYS[self.cadence] * DAY))


@dataclass
class Counters:
    """Ids handed out across servers, so records of every server interleave as they would live."""

    partnership: int = 0
    timeline: int = 0
    checkin: int = 0
    clinic: int = 0
    thread: int = 0


@dataclass
class GuildPlan:
    """One server: who is in it and where they live, and what it owns as records are made."""

    guild_id: int
    size: Size
    members: list[int]  # member numbers
    homes: dict[int, names.Place] = field(default_factory=dict)
    owners: list[int] = field(default_factory=list)  # the members who run partnerships, prolific first
    partners_of: dict[int, set[str]] = field(default_factory=dict)  # owner -> partner names, casefolded
    partnerships_of: dict[int, list[int]] = field(default_factory=dict)  # owner -> partnership ids
    experts_in: dict[str, list[int]] = field(default_factory=dict)  # area -> members who declared it
    timeline_rate: float = 0.0  # expected timeline entries per day of a partnership's life
    checkin_share: float = 0.0  # the share of its check-in slots a partnership has a check-in for


class Writer:
    """Buffered inserts: rows gather per statement and go in with executemany, parents first (the
    triggers that keep tallies read a partnership when its areas arrive)."""

    def __init__(self, connection: sqlite3.Connection, order: list[str]) -> None:
        self.connection = connection
        self.buffers: dict[str, list[tuple[object, ...]]] = {sql: [] for sql in order}

    def add(self, sql: str, row: tuple[object, ...]) -> None:
        buffer = self.buffers[sql]
        buffer.append(row)
        if len(buffer) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for sql, buffer in self.buffers.items():
            if buffer:
                self.connection.executemany(sql, buffer)
                buffer.clear()


PARTNERSHIP_SQL = (
    "INSERT INTO partnerships (id, guild_id, name, partner_name, partner_type, goals, structure, scope,"
    " stage, visibility, owner_id, region, projects, description, meta_url, agreement_url, start_date,"
    " end_date, next_follow_up, cadence, health, last_checkin_at, outcome, lessons, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?)"
)
AREA_SQL = "INSERT INTO partnership_areas (partnership_id, area) VALUES (?, ?)"
CO_OWNER_SQL = "INSERT INTO partnership_co_owners (partnership_id, user_id) VALUES (?, ?)"
TARGET_SQL = (
    "INSERT INTO partnership_targets (partnership_id, metric, target, current, unit, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
AGREEMENT_SQL = (
    "INSERT INTO partnership_agreement (partnership_id, item, done, note, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
TIMELINE_SQL = (
    "INSERT INTO partnership_timeline (id, partnership_id, kind, author_id, at, summary, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
CHECKIN_SQL = (
    "INSERT INTO checkins (id, partnership_id, guild_id, recipient_id, reason, due_at, claimed_at, late,"
    " state, send_attempts, sent_at, delivery, channel_id, message_id, reminded_at, closed_at,"
    " answered_by, health, note, next_step) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?)"
)
PROFILE_SQL = (
    "INSERT INTO profiles (guild_id, user_id, timezone, affiliation, region, languages, checkin_hour,"
    " share_affiliation, share_region, share_languages, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
EXPERTISE_SQL = (
    "INSERT INTO member_expertise (guild_id, user_id, area, level, note, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
AVAILABILITY_SQL = (
    "INSERT INTO expertise_availability (guild_id, user_id, available, updated_at) VALUES (?, ?, ?, ?)"
)
CLINIC_SQL = (
    "INSERT INTO clinics (id, guild_id, channel_id, thread_id, intake_message_id, asker_id, topic, area,"
    " partnership_id, situation, tried, help_needed, status, created_at, last_activity_at,"
    " helpers_quiet_since, experts_resuggested_at, keep_open_asked_at, dormant_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
CREDIT_SQL = (
    "INSERT OR IGNORE INTO clinic_credits (clinic_id, guild_id, helper_id, credited_by, at)"
    " VALUES (?, ?, ?, ?, ?)"
)
PING_SQL = "INSERT INTO clinic_pings (clinic_id, guild_id, user_id, at) VALUES (?, ?, ?, ?)"


class Generator:
    def __init__(self, connection: sqlite3.Connection, seed: int) -> None:
        self.rng = random.Random(seed)
        parents_first = [
            PROFILE_SQL,
            EXPERTISE_SQL,
            AVAILABILITY_SQL,
            PARTNERSHIP_SQL,
            AREA_SQL,
            CO_OWNER_SQL,
        ]
        children = [TARGET_SQL, AGREEMENT_SQL, TIMELINE_SQL, CHECKIN_SQL, CLINIC_SQL, CREDIT_SQL, PING_SQL]
        self.writer = Writer(connection, parents_first + children)
        self.connection = connection
        self.ids = Counters()
        self.now = NOW.timestamp()
        self.slugs = [area.slug for area in areas.read_taxonomy()]
        self.type_of = weighted(self.rng, TYPE_WEIGHTS)
        self.stage_of = weighted(self.rng, STAGE_WEIGHTS)
        # Prose is drawn from pools made once: formatting millions of sentences would dominate.
        self.log_notes = [self._fill(note) for note in names.LOG_NOTES for _ in range(8)]
        self.checkin_notes = [self._fill(note) for note in names.CHECKIN_NOTES for _ in range(4)]

    # ------------------------------------------------------------------------------ helpers
    def _fill(self, text: str, **known: str) -> str:
        rng = self.rng
        values = {
            "count": str(rng.choice((12, 25, 40, 80, 120, 250, 500, 1200, 5000))),
            "count2": str(rng.randint(2, 30)),
            "collection": rng.choice(names.COLLECTIONS),
            "topic": rng.choice(names.TOPICS),
            "type": rng.choice(("museum", "library", "archive", "university")),
            **known,
        }
        return text.format(**values)

    def _moment_between(self, start: float, end: float) -> float:
        return start + self.rng.random() * max(0.0, end - start)

    # ------------------------------------------------------------------------------ people
    def people(self, plan: GuildPlan) -> None:
        rng = self.rng
        for number in plan.members:
            plan.homes[number] = rng.choice(names.PLACES)
        owners = [number for number in plan.members if rng.random() < 0.65]
        rng.shuffle(owners)
        plan.owners = owners or list(plan.members)
        for number in plan.members:
            user = member_id(number)
            home = plan.homes[number]
            updated = stamp(self._moment_between(self.now - HISTORY_DAYS * DAY, self.now))
            if rng.random() < 0.7:
                languages = list(home.languages)
                if "English" not in languages and rng.random() < 0.5:
                    languages.append("English")
                region = rng.choice((home.country, home.country, f"{home.city}, {home.country}", home.region))
                self.writer.add(
                    PROFILE_SQL,
                    (
                        plan.guild_id,
                        user,
                        home.timezone if rng.random() < 0.8 else None,
                        rng.choice(names.AFFILIATIONS) if rng.random() < 0.75 else None,
                        region,
                        ", ".join(languages),
                        rng.randint(7, 18) if rng.random() < 0.3 else None,
                        int(rng.random() < 0.92),
                        int(rng.random() < 0.92),
                        int(rng.random() < 0.92),
                        updated,
                    ),
                )
            if rng.random() < 0.35:
                self._expertise(plan, number, updated)

    def _expertise(self, plan: GuildPlan, number: int, updated: str) -> None:
        rng = self.rng
        count = rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6))
        chosen: set[str] = set()
        while len(chosen) < count:
            chosen.add(rng.choice(names.FREE_AREAS) if rng.random() < 0.08 else rng.choice(self.slugs))
        for area in sorted(chosen):
            level = rng.choices(("expert", "practitioner", "learning"), (25, 45, 30))[0]
            note = self._fill(rng.choice(EXPERTISE_NOTES))
            self.writer.add(EXPERTISE_SQL, (plan.guild_id, member_id(number), area, level, note, updated))
            plan.experts_in.setdefault(area, []).append(number)
        if rng.random() < 0.7:
            self.writer.add(
                AVAILABILITY_SQL, (plan.guild_id, member_id(number), int(rng.random() < 0.4), updated)
            )

    # ------------------------------------------------------------------------------ partnerships
    def _owner(self, plan: GuildPlan) -> int | None:
        if self.rng.random() < 0.02:
            return None  # orphaned: the owner asked to be forgotten
        return plan.owners[int(len(plan.owners) * self.rng.random() ** 1.6)]

    def _partner_name(self, partner_type: str, place: names.Place) -> str:
        templates = names.PARTNER_NAMES[partner_type]
        template = self.rng.choice(templates.get(place.language) or templates["en"])
        return template.format(
            city=place.city, local=place.local, country=place.country, surname=self.rng.choice(names.SURNAMES)
        )

    def skeleton(self, created: float) -> Skeleton:
        rng = self.rng
        stage = self.stage_of()
        ended = None
        if stage == "concluded":
            ended = min(self.now - DAY, created + rng.randint(90, 900) * DAY)
        cadence = "off"
        if stage in ("active", "on_hold") or (stage == "concluded" and rng.random() < 0.8):
            cadence = rng.choices(
                ("monthly", "quarterly", "weekly", "fortnightly", "off"), (70, 15, 5, 5, 5)
            )[0]
        elif rng.random() < 0.4:
            cadence = "monthly"
        return Skeleton(created, stage, cadence, ended)

    def partnership(self, plan: GuildPlan, skeleton: Skeleton) -> None:
        rng = self.rng
        self.ids.partnership += 1
        pid = self.ids.partnership
        created, stage, cadence, ended = skeleton.created, skeleton.stage, skeleton.cadence, skeleton.ended
        owner = self._owner(plan)
        home = plan.homes[owner] if owner is not None else rng.choice(names.PLACES)
        place = home if rng.random() < 0.75 else rng.choice(names.PLACES)
        partner_type = self.type_of()
        taken = plan.partners_of.setdefault(owner if owner is not None else -1, set())
        partner = self._partner_name(partner_type, place)
        for _ in range(6):  # a prolific owner may draw a partner they have already: draw again
            if partner.casefold() not in taken:
                break
            partner = self._partner_name(partner_type, rng.choice(names.PLACES))
        while partner.casefold() in taken:
            partner = f"{partner[:80]} ({rng.choice(names.DEPARTMENTS)})"
        taken.add(partner.casefold())
        name = partner
        if rng.random() < 0.5:
            name = self._fill(rng.choice(names.PROJECT_NAMES), partner=partner)[:100]
        follow_up = None
        if stage != "concluded" and rng.random() < 0.3:
            follow_up = day_of(self.now + rng.randint(-20, 60) * DAY)
        start = None
        if stage in ("negotiating", "active", "on_hold", "concluded") and rng.random() < 0.8:
            start = day_of(created + rng.randint(0, 60) * DAY)
        end = day_of(ended) if ended is not None and start is not None and day_of(ended) >= start else None
        description = " ".join(self._fill(rng.choice(names.DESCRIPTIONS)) for _ in range(rng.randint(1, 2)))
        goals = [goal for goal in ("content", "funding", "advocacy") if rng.random() < 0.45] or ["content"]
        projects = sorted(
            set(rng.choices(WIKIMEDIA_PROJECTS[:6], (5, 6, 5, 1, 1, 1), k=rng.randint(1, 3))),
            key=WIKIMEDIA_PROJECTS.index,
        )
        region = rng.choice((place.country, f"{place.city}, {place.country}", place.region, place.country))
        timeline_end, health, checked = self._history(plan, pid, owner, skeleton)
        outcome = lessons = None
        if stage == "concluded":
            outcome = self._fill("Delivered {count} {collection} to Commons; the partner keeps editing.")
            if rng.random() < 0.7:
                lessons = self._fill(rng.choice(names.LESSONS))
        self.writer.add(
            PARTNERSHIP_SQL,
            (
                pid,
                plan.guild_id,
                name,
                partner,
                partner_type,
                ",".join(goals),
                "simple" if rng.random() < 0.7 else "complex",
                scope_for(PartnerType(partner_type)).value,
                stage,
                "confidential" if rng.random() < 0.08 else "public",
                owner if owner is None else member_id(owner),
                region if rng.random() < 0.9 else None,
                ",".join(projects),
                description,
                f"https://meta.wikimedia.org/wiki/Partnerships/{pid}" if rng.random() < 0.3 else None,
                f"https://example.org/agreements/{pid}.pdf" if rng.random() < 0.15 else None,
                start,
                end,
                follow_up,
                cadence,
                health,
                checked,
                outcome,
                lessons,
                owner if owner is None else member_id(owner),
                stamp(created),
                stamp(max(timeline_end, created)),
            ),
        )
        if owner is not None:
            plan.partnerships_of.setdefault(owner, []).append(pid)
        self._areas_and_people(plan, pid, owner, partner_type, created)

    def _areas_and_people(
        self, plan: GuildPlan, pid: int, owner: int | None, partner_type: str, created: float
    ) -> None:
        rng = self.rng
        chosen: set[str] = set()
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            if rng.random() < 0.08:
                chosen.add(rng.choice(names.FREE_AREAS))
            elif rng.random() < 0.75:
                chosen.add(rng.choice(TYPE_AREAS[partner_type]))
            else:
                chosen.add(rng.choice(self.slugs))
        for area in sorted(chosen):
            self.writer.add(AREA_SQL, (pid, area))
        if rng.random() < 0.18:
            for number in set(rng.sample(plan.members, min(len(plan.members), rng.randint(1, 2)))) - {owner}:
                self.writer.add(CO_OWNER_SQL, (pid, member_id(number)))
        updated = stamp(self._moment_between(created, self.now))
        if rng.random() < 0.3:
            for metric, unit in rng.sample(names.TARGET_METRICS, rng.randint(1, 3)):
                target = float(rng.choice((10, 20, 50, 100, 500, 1000, 5000)))
                self.writer.add(
                    TARGET_SQL, (pid, metric, target, round(target * rng.random(), 1), unit, updated)
                )
        if rng.random() < 0.35:
            author = member_id(owner) if owner is not None else None
            for item in rng.sample(list(AgreementItem), rng.randint(1, 6)):
                self.writer.add(
                    AGREEMENT_SQL, (pid, item.value, int(rng.random() < 0.8), None, author, updated)
                )

    def _history(
        self, plan: GuildPlan, pid: int, owner: int | None, skeleton: Skeleton
    ) -> tuple[float, str | None, str | None]:
        """Timeline entries and check-ins; returns the last change, the latest health and check-in."""
        rng = self.rng
        created, last = skeleton.created, skeleton.last
        author = member_id(owner) if owner is not None else None
        self._timeline(pid, "created", author, created, f"Registered at stage {skeleton.stage}", None)
        latest = created
        for _ in range(self._count(plan.timeline_rate * (last - created) / DAY)):
            at = self._moment_between(created, last)
            latest = max(latest, at)
            kind = rng.choices(*self.timeline_kinds)[0]
            note = None
            if kind == "interaction":
                summary, note = "Interaction logged", rng.choice(self.log_notes)
            elif kind == "checkin":
                summary = rng.choice(("Check-in: 🟢 On track", "Check-in: 🟠 Needs attention"))
                note = rng.choice(self.checkin_notes) if rng.random() < 0.5 else None
            else:
                summary = TIMELINE_SUMMARIES[kind]
            self._timeline(pid, kind, author, at, summary, note)
        health, checked = self._checkins(plan, pid, owner, skeleton)
        return latest, health, checked

    def _count(self, expected: float) -> int:
        """About ``expected``, with noise (the mean stays ``expected``)."""
        return int(expected * (0.5 + self.rng.random()) + self.rng.random()) if expected > 0 else 0

    def _timeline(
        self, pid: int, kind: str, author: int | None, at: float, summary: str, note: str | None
    ) -> None:
        self.ids.timeline += 1
        self.writer.add(TIMELINE_SQL, (self.ids.timeline, pid, kind, author, stamp(at), summary, note))

    def _checkins(
        self, plan: GuildPlan, pid: int, owner: int | None, skeleton: Skeleton
    ) -> tuple[str | None, str | None]:
        rng = self.rng
        slots = skeleton.slots
        if not slots:
            return None, None
        created, stage = skeleton.created, skeleton.stage
        period = CADENCE_PERIOD_DAYS[skeleton.cadence] * DAY
        wanted = min(slots, self._count(plan.checkin_share * slots))
        health = checked = None
        recipient = member_id(owner) if owner is not None else None
        first = slots - wanted + 1
        for slot in range(first, slots + 1):
            due = created + slot * period
            recent = self.now - due < 7 * DAY
            if recent and stage == "active" and slot == slots and rng.random() < 0.6:
                state = "sent" if rng.random() < 0.9 else "claimed"
            else:
                state = rng.choices(("answered", "missed", "dismissed", "snoozed"), (72, 15, 5, 8))[0]
            self.ids.checkin += 1
            closed = stamp(due + rng.randint(1, 96) * 3600) if state not in ("sent", "claimed") else None
            answered = state == "answered"
            row_health = rng.choices(("on_track", "needs_attention", "stalled"), (65, 25, 10))[0]
            self.writer.add(
                CHECKIN_SQL,
                (
                    self.ids.checkin,
                    pid,
                    plan.guild_id,
                    recipient,
                    rng.choices(("cadence", "follow_up", "snooze"), (90, 8, 2))[0],
                    stamp(due),
                    stamp(due + 30),
                    0,
                    state,
                    0 if state == "claimed" else 1,
                    None if state == "claimed" else stamp(due + 31),
                    None if state == "claimed" else ("dm" if rng.random() < 0.85 else "thread"),
                    None if state == "claimed" else 9_000_000_000 + pid,
                    None if state == "claimed" else 10_000_000_000 + self.ids.checkin,
                    stamp(due + 3 * DAY) if state == "missed" else None,
                    closed,
                    recipient if answered else None,
                    row_health if answered else None,
                    rng.choice(self.checkin_notes) if answered and rng.random() < 0.4 else None,
                    rng.choice(names.NEXT_STEPS) if answered and rng.random() < 0.3 else None,
                ),
            )
            if answered:
                health, checked = row_health, closed
        return health, checked

    # ------------------------------------------------------------------------------ clinics
    def clinic(self, plan: GuildPlan, created: float) -> None:
        rng = self.rng
        self.ids.clinic += 1
        self.ids.thread += 1
        cid = self.ids.clinic
        asker = rng.choice(plan.owners)
        area = rng.choice(self.slugs)
        mine = plan.partnerships_of.get(asker, [])
        partnership_id = rng.choice(mine) if mine and rng.random() < 0.4 else None
        age = self.now - created
        if age < 21 * DAY:
            status = "open" if rng.random() < 0.7 else "resolved"
        else:
            status = rng.choices(("resolved", "dormant", "open"), (62, 35, 3))[0]
        if status == "open":
            # Quiet for anything from an hour to three weeks: some idle steps are due at NOW.
            last_activity = self.now - rng.random() * min(age, 21 * DAY)
        else:
            last_activity = self._moment_between(created, min(self.now, created + 20 * DAY))
        quiet_since = self._moment_between(created, last_activity)
        resuggested = stamp(quiet_since + 2 * DAY) if status != "open" and rng.random() < 0.5 else None
        place = plan.homes[asker]
        self.writer.add(
            CLINIC_SQL,
            (
                cid,
                plan.guild_id,
                plan.guild_id + 1,  # the clinics forum (the runner creates threads where it needs them)
                plan.guild_id + 1_000_000 + self.ids.thread,
                None,
                member_id(asker),
                f"{rng.choice(names.CLINIC_TOPICS)} ({place.city})"[:100],
                area,
                partnership_id,
                self._fill(rng.choice(names.CLINIC_SITUATIONS)),
                "Asked twice by email; shared the Commons licensing page." if rng.random() < 0.6 else "",
                rng.choice(names.CLINIC_HELP),
                "open" if status == "resolved" else status,  # resolved below, by the app's own code
                stamp(created),
                stamp(last_activity),
                stamp(quiet_since),
                resuggested,
                None,
                stamp(last_activity + 14 * DAY) if status == "dormant" else None,
            ),
        )
        experts = plan.experts_in.get(area) or plan.members
        for helper in set(rng.sample(experts, min(len(experts), rng.randint(0, 4)))) - {asker}:
            self.writer.add(PING_SQL, (cid, plan.guild_id, member_id(helper), stamp(created + 60)))
        if status == "resolved":
            self.resolved.append((cid, member_id(asker), created))
            for helper in set(rng.sample(experts, min(len(experts), rng.randint(0, 3)))) - {asker}:
                self.writer.add(
                    CREDIT_SQL,
                    (cid, plan.guild_id, member_id(helper), member_id(asker), stamp(last_activity)),
                )

    # ------------------------------------------------------------------------------ the whole file
    def build(self, plans: list[GuildPlan]) -> None:
        self.timeline_kinds = ([kind for kind, _ in TIMELINE_KINDS], [weight for _, weight in TIMELINE_KINDS])
        self.resolved: list[tuple[int, int, float]] = []
        for plan in plans:
            self.people(plan)
        self.writer.flush()
        events = list(self._events(plans))
        for index, plan in enumerate(plans):
            skeletons = [item for kind, at, item in events if kind == "partnership" and at == index]
            life_days = sum(item.last - item.created for item in skeletons) / DAY  # type: ignore[union-attr]
            slots = sum(item.slots for item in skeletons)  # type: ignore[union-attr]
            plan.timeline_rate = (plan.size.timeline - plan.size.partnerships) / max(life_days, 1.0)
            plan.checkin_share = min(1.0, plan.size.checkins / max(slots, 1))
        for kind, index, item in events:
            if kind == "partnership":
                self.partnership(plans[index], item)  # type: ignore[arg-type]
            else:
                self.clinic(plans[index], item)  # type: ignore[arg-type]
        self.writer.flush()

    def _events(self, plans: list[GuildPlan]) -> Iterator[tuple[str, int, Skeleton | float]]:
        """Every record of every server in the order it was made (ids grow with time, as live)."""
        streams = []
        for index, plan in enumerate(plans):
            for kind, count, days in (
                ("partnership", plan.size.partnerships, HISTORY_DAYS),
                ("clinic", plan.size.clinics, 4 * 365),
            ):
                # More recent years hold more records: the community grows.
                moments = sorted(self.now - days * DAY * self.rng.random() ** 1.3 for _ in range(count))
                streams.append([(moment, kind, index) for moment in moments])
        for moment, kind, index in heapq.merge(*streams):
            yield kind, index, self.skeleton(moment) if kind == "partnership" else moment


async def _migrate(path: Path, migrations: Path) -> None:
    database = await Database.open(path)
    try:
        await migrate(database, migrations)
        await areas.load_taxonomy(database)
    finally:
        await database.close()


def generate(size: Size, path: Path, *, seed: int = SEED, migrations: Path = MIGRATIONS_DIR) -> None:
    """Build the community of ``size`` in a new file at ``path`` (replaced if it exists).

    ``migrations``: another folder of migrations, to build the schema of an earlier version (and time
    applying a new migration to a full database).
    """
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    asyncio.run(_migrate(partial, migrations))
    connection = sqlite3.connect(partial, isolation_level=None)
    connection.row_factory = sqlite3.Row
    # One big transaction with no journal: a failed build leaves a .partial file that is thrown away.
    for pragma in (
        "journal_mode=OFF", "synchronous=OFF", "cache_size=-262144", "temp_store=MEMORY", "foreign_keys=OFF",
    ):  # fmt: skip
        connection.execute(f"PRAGMA {pragma}")
    rng = random.Random(seed)
    plans = [GuildPlan(MAIN_GUILD_ID, size, list(range(size.members)))]
    other = size.scaled(OTHER_GUILD_SHARE)
    for guild_id in OTHER_GUILD_IDS:
        plans.append(GuildPlan(guild_id, other, sorted(rng.sample(range(size.members), other.members))))
    generator = Generator(connection, seed)
    connection.execute("BEGIN")
    # The default timezone the check-ins cog records at start-up: the same, so nothing reschedules.
    connection.execute("INSERT INTO app_state (key, value) VALUES (?, 'UTC')", (checkins.DEFAULT_ZONE_KEY,))
    generator.build(plans)
    log.info("rows written in %.1fs; writing search documents and schedules", time.perf_counter() - started)
    derive(connection, generator.resolved, generator.rng)
    # A bulk load leaves the search indexes in many segments, which a live index, merged as it
    # grows, wouldn't have: merge them, or the first edits of a benchmark pay for it.
    for (index,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"
    ).fetchall():
        connection.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")
    connection.execute("COMMIT")
    connection.execute("PRAGMA journal_mode=WAL")  # as the bot's connection leaves it
    connection.close()
    partial.replace(path)
    log.info("generated %s at %s in %.1fs", size.name, path, time.perf_counter() - started)


def derive(
    connection: sqlite3.Connection, resolved: list[tuple[int, int, float]], rng: random.Random
) -> None:
    """What the app computes from the rows: search documents, lessons, each next check-in."""
    tx = DirectTransaction(connection)
    database = DirectDatabase(connection)
    now = NOW
    ids = [row[0] for row in connection.execute("SELECT id FROM partnerships ORDER BY id")]
    for partnership_id in ids:
        run(partnerships.refresh_search(tx, partnership_id))
        run(checkins.reschedule(tx, partnership_id, now=now))
    for clinic_id, asker, created in resolved:
        lesson = names.LESSONS[clinic_id % len(names.LESSONS)].format(count=40, type="museum")
        tags = tuple(sorted(set(rng.sample(names.LESSON_TAGS, rng.randint(0, 3)))))
        at = datetime.fromtimestamp(created, UTC) + timedelta(days=rng.randint(1, 20))
        run(clinics.resolve(database, clinic_id, lesson=lesson, tags=tags, by=asker, at=min(at, now)))  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--force", action="store_true", help="build again even if cached")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    size = SIZES[arguments.size]
    path = cache_path(size)
    if arguments.force:
        generate(size, path)
    else:
        cached(size)
    logging.getLogger(__name__).info("cached community: %s", path)


if __name__ == "__main__":
    main()
