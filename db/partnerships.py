"""Partnership records: reads that respect visibility, and writes that keep timeline and search in step.

Visibility is decided in one place, ``_VISIBLE``: a confidential partnership is returned only to
its owner, its co-owners and coordinators. Every read that a member can trigger goes through it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime

from core.clock import from_storage, to_storage
from core.vocabulary import (
    AgreementItem,
    Cadence,
    Goal,
    Health,
    PartnerType,
    Scope,
    Stage,
    Structure,
    Visibility,
)
from db import checkins
from db.database import Database, Transaction
from db.fts import quote


class DuplicatePartnership(Exception):
    """The owner already has a partnership with this partner."""


@dataclass(frozen=True)
class Viewer:
    """Who is reading: decides what confidential records they may see."""

    user_id: int
    is_coordinator: bool


@dataclass(frozen=True)
class PartnershipDraft:
    """Everything needed to register a partnership (validated by the caller)."""

    guild_id: int
    partner_name: str
    partner_type: PartnerType
    goals: tuple[Goal, ...]
    stage: Stage
    visibility: Visibility
    owner_id: int | None
    cadence: Cadence
    structure: Structure = Structure.SIMPLE
    scope: Scope = Scope.EXTERNAL
    name: str | None = None
    region: str | None = None
    areas: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    description: str = ""
    meta_url: str | None = None
    agreement_url: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    next_follow_up: date | None = None


@dataclass(frozen=True)
class Partnership:
    id: int
    guild_id: int
    name: str
    partner_name: str
    partner_type: PartnerType
    goals: tuple[Goal, ...]
    structure: Structure
    scope: Scope
    stage: Stage
    visibility: Visibility
    owner_id: int | None
    co_owner_ids: tuple[int, ...]
    region: str | None
    areas: tuple[str, ...]
    projects: tuple[str, ...]
    description: str
    meta_url: str | None
    agreement_url: str | None
    start_date: date | None
    end_date: date | None
    next_follow_up: date | None
    cadence: Cadence
    health: Health | None
    last_checkin_at: datetime | None
    outcome: str | None
    lessons: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def owner_ids(self) -> tuple[int, ...]:
        return ((self.owner_id,) if self.owner_id is not None else ()) + self.co_owner_ids

    @property
    def confidential(self) -> bool:
        return self.visibility is Visibility.CONFIDENTIAL

    def visible_to(self, viewer: Viewer) -> bool:
        return not self.confidential or viewer.is_coordinator or viewer.user_id in self.owner_ids


@dataclass(frozen=True)
class Target:
    metric: str
    target: float
    current: float
    unit: str


@dataclass(frozen=True)
class AgreementState:
    item: AgreementItem
    done: bool
    note: str | None


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    author_id: int | None
    at: datetime
    summary: str
    note: str | None


@dataclass(frozen=True)
class PartnershipDetail:
    """A record with what ``/partnership show`` needs around it."""

    partnership: Partnership
    targets: list[Target] = field(default_factory=list)
    agreement: list[AgreementState] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    next_checkin_at: datetime | None = None  # when the next check-in prompt is due, if any


# The one visibility rule, as SQL over alias ``p`` with :viewer and :coordinator parameters.
_VISIBLE = (
    "(p.visibility = 'public' OR :coordinator OR p.owner_id = :viewer"
    " OR EXISTS (SELECT 1 FROM partnership_co_owners c"
    "            WHERE c.partnership_id = p.id AND c.user_id = :viewer))"
)

_COLUMNS = (
    "p.id, p.guild_id, p.name, p.partner_name, p.partner_type, p.goals, p.structure, p.scope, p.stage,"
    " p.visibility, p.owner_id, p.region, p.projects, p.description, p.meta_url, p.agreement_url,"
    " p.start_date, p.end_date, p.next_follow_up, p.cadence, p.health, p.last_checkin_at, p.outcome,"
    " p.lessons, p.created_at, p.updated_at,"
    " (SELECT group_concat(user_id) FROM partnership_co_owners c WHERE c.partnership_id = p.id) AS co_owners,"
    " (SELECT group_concat(area, '|') FROM partnership_areas a WHERE a.partnership_id = p.id) AS area_list"
)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _split(text: str | None, separator: str = ",") -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(separator) if part)


def _from_row(row: sqlite3.Row) -> Partnership:
    return Partnership(
        id=row["id"],
        guild_id=row["guild_id"],
        name=row["name"],
        partner_name=row["partner_name"],
        partner_type=PartnerType(row["partner_type"]),
        goals=tuple(Goal(goal) for goal in _split(row["goals"])),
        structure=Structure(row["structure"]),
        scope=Scope(row["scope"]),
        stage=Stage(row["stage"]),
        visibility=Visibility(row["visibility"]),
        owner_id=row["owner_id"],
        co_owner_ids=tuple(sorted(int(user) for user in _split(row["co_owners"]))),
        region=row["region"],
        areas=tuple(sorted(_split(row["area_list"], "|"))),
        projects=_split(row["projects"]),
        description=row["description"],
        meta_url=row["meta_url"],
        agreement_url=row["agreement_url"],
        start_date=_date(row["start_date"]),
        end_date=_date(row["end_date"]),
        next_follow_up=_date(row["next_follow_up"]),
        cadence=Cadence(row["cadence"]),
        health=Health(row["health"]) if row["health"] else None,
        last_checkin_at=from_storage(row["last_checkin_at"]) if row["last_checkin_at"] else None,
        outcome=row["outcome"],
        lessons=row["lessons"],
        created_at=from_storage(row["created_at"]),
        updated_at=from_storage(row["updated_at"]),
    )


def _viewer_params(viewer: Viewer) -> dict[str, object]:
    return {"viewer": viewer.user_id, "coordinator": int(viewer.is_coordinator)}


async def add_timeline(
    tx: Transaction,
    partnership_id: int,
    kind: str,
    *,
    author_id: int | None,
    at: datetime,
    summary: str,
    note: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO partnership_timeline (partnership_id, kind, author_id, at, summary, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (partnership_id, kind, author_id, to_storage(at), summary, note),
    )


async def refresh_search(tx: Transaction, partnership_id: int) -> None:
    """Rewrite the partnership's search document from its current words (same transaction)."""
    row = await tx.fetch_one(
        "SELECT p.name, p.partner_name, p.description, p.lessons, p.outcome,"
        " (SELECT group_concat(coalesce(ar.label || ' ' || ar.synonyms, a.area), ' ')"
        "    FROM partnership_areas a LEFT JOIN areas ar ON ar.slug = a.area"
        "   WHERE a.partnership_id = p.id) AS area_words,"
        " (SELECT group_concat(t.summary || ' ' || coalesce(t.note, ''), ' ')"
        "    FROM partnership_timeline t"
        "   WHERE t.partnership_id = p.id AND t.kind IN ('interaction', 'checkin'))"
        "   AS notes"
        " FROM partnerships p WHERE p.id = ?",
        (partnership_id,),
    )
    await tx.execute("DELETE FROM partnerships_fts WHERE rowid = ?", (partnership_id,))
    if row is None:
        return
    await tx.execute(
        "INSERT INTO partnerships_fts (rowid, name, partner_name, description, areas, notes, lessons)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            partnership_id,
            row["name"],
            row["partner_name"],
            row["description"],
            (row["area_words"] or "").replace("|", " "),
            row["notes"] or "",
            " ".join(filter(None, (row["outcome"], row["lessons"]))),
        ),
    )


async def insert(
    tx: Transaction, draft: PartnershipDraft, *, at: datetime, kind: str = "created", author_id: int | None
) -> int:
    """Write a new record, its areas, its first timeline entry and its search document; return its id.

    Inside the caller's transaction, so an import of many records is all or nothing.
    Raises DuplicatePartnership when the owner already has this partner.
    """
    stamp = to_storage(at)
    try:
        partnership_id = await tx.execute(
            "INSERT INTO partnerships (guild_id, name, partner_name, partner_type, goals, structure, scope,"
            " stage, visibility, owner_id, region, projects, description, meta_url, agreement_url,"
            " start_date, end_date, next_follow_up, cadence, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.guild_id,
                draft.name or draft.partner_name,
                draft.partner_name,
                draft.partner_type.value,
                ",".join(goal.value for goal in draft.goals),
                draft.structure.value,
                draft.scope.value,
                draft.stage.value,
                draft.visibility.value,
                draft.owner_id,
                draft.region,
                ",".join(draft.projects),
                draft.description,
                draft.meta_url,
                draft.agreement_url,
                draft.start_date.isoformat() if draft.start_date else None,
                draft.end_date.isoformat() if draft.end_date else None,
                draft.next_follow_up.isoformat() if draft.next_follow_up else None,
                draft.cadence.value,
                author_id,
                stamp,
                stamp,
            ),
        )
    except sqlite3.IntegrityError as error:
        if "UNIQUE" in str(error):
            raise DuplicatePartnership(draft.partner_name) from error
        raise
    await tx.execute_many(
        "INSERT INTO partnership_areas (partnership_id, area) VALUES (?, ?)",
        [(partnership_id, area) for area in dict.fromkeys(draft.areas)],
    )
    summary = f"Registered at stage {draft.stage.value}" if kind == "created" else "Imported"
    await add_timeline(tx, partnership_id, kind, author_id=author_id, at=at, summary=summary)
    await refresh_search(tx, partnership_id)
    await checkins.reschedule(tx, partnership_id, now=at)
    return partnership_id


async def create(database: Database, draft: PartnershipDraft, *, at: datetime) -> Partnership:
    """Register a partnership (one transaction) and return it."""
    async with database.transaction() as tx:
        partnership_id = await insert(tx, draft, at=at, author_id=draft.owner_id)
    found = await get(database, draft.guild_id, partnership_id)
    assert found is not None
    return found


async def owner_has_partner(database: Database, guild_id: int, owner_id: int, partner_name: str) -> bool:
    found = await database.fetch_value(
        "SELECT 1 FROM partnerships WHERE guild_id = ? AND owner_id = ? AND partner_name = ? COLLATE NOCASE",
        (guild_id, owner_id, partner_name),
    )
    return found is not None


async def get(database: Database, guild_id: int, partnership_id: int) -> Partnership | None:
    """A record regardless of visibility: for permission decisions, never shown as is."""
    row = await database.fetch_one(
        f"SELECT {_COLUMNS} FROM partnerships p WHERE p.id = ? AND p.guild_id = ?", (partnership_id, guild_id)
    )
    return _from_row(row) if row else None


async def get_visible(
    database: Database, guild_id: int, partnership_id: int, viewer: Viewer
) -> Partnership | None:
    """A record if ``viewer`` may see it; None both when absent and when hidden (no existence leak)."""
    row = await database.fetch_one(
        f"SELECT {_COLUMNS} FROM partnerships p WHERE p.id = :id AND p.guild_id = :guild AND {_VISIBLE}",
        {"id": partnership_id, "guild": guild_id, **_viewer_params(viewer)},
    )
    return _from_row(row) if row else None


def _checklist(stored: dict[AgreementItem, sqlite3.Row]) -> list[AgreementState]:
    """Every checklist item, with what is stored for it (not done when nothing is)."""
    return [
        AgreementState(
            item,
            bool(stored[item]["done"]) if item in stored else False,
            stored[item]["note"] if item in stored else None,
        )
        for item in AgreementItem
    ]


async def detail(
    database: Database, partnership: Partnership, *, timeline_limit: int = 5
) -> PartnershipDetail:
    async with database.read() as tx:
        target_rows = await tx.fetch_all(
            "SELECT metric, target, current, unit FROM partnership_targets"
            " WHERE partnership_id = ? ORDER BY metric",
            (partnership.id,),
        )
        agreement_rows = await tx.fetch_all(
            "SELECT item, done, note FROM partnership_agreement WHERE partnership_id = ?", (partnership.id,)
        )
        timeline_rows = await tx.fetch_all(
            "SELECT kind, author_id, at, summary, note FROM partnership_timeline WHERE partnership_id = ?"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (partnership.id, timeline_limit),
        )
        next_checkin = await tx.fetch_value(
            "SELECT next_checkin_at FROM partnerships WHERE id = ?", (partnership.id,)
        )
    return PartnershipDetail(
        partnership=partnership,
        next_checkin_at=from_storage(next_checkin) if next_checkin else None,
        targets=[Target(row["metric"], row["target"], row["current"], row["unit"]) for row in target_rows],
        agreement=_checklist({AgreementItem(row["item"]): row for row in agreement_rows}),
        timeline=[
            TimelineEntry(row["kind"], row["author_id"], from_storage(row["at"]), row["summary"], row["note"])
            for row in timeline_rows
        ],
    )


async def details_without_timeline(database: Database, records: list[Partnership]) -> list[PartnershipDetail]:
    """``detail(record, timeline_limit=0)`` for many records in three reads, not three per record
    (a member's data export may hold a couple of hundred)."""
    ids = json.dumps([record.id for record in records])
    async with database.read() as tx:
        target_rows = await tx.fetch_all(
            "SELECT partnership_id, metric, target, current, unit FROM partnership_targets"
            " WHERE partnership_id IN (SELECT value FROM json_each(?)) ORDER BY partnership_id, metric",
            (ids,),
        )
        agreement_rows = await tx.fetch_all(
            "SELECT partnership_id, item, done, note FROM partnership_agreement"
            " WHERE partnership_id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
        next_rows = await tx.fetch_all(
            "SELECT id, next_checkin_at FROM partnerships WHERE id IN (SELECT value FROM json_each(?))",
            (ids,),
        )
    targets: dict[int, list[Target]] = {}
    for row in target_rows:
        targets.setdefault(row["partnership_id"], []).append(
            Target(row["metric"], row["target"], row["current"], row["unit"])
        )
    stored: dict[int, dict[AgreementItem, sqlite3.Row]] = {}
    for row in agreement_rows:
        stored.setdefault(row["partnership_id"], {})[AgreementItem(row["item"])] = row
    next_checkin = {row["id"]: row["next_checkin_at"] for row in next_rows}
    return [
        PartnershipDetail(
            partnership=record,
            next_checkin_at=from_storage(next_checkin[record.id]) if next_checkin.get(record.id) else None,
            targets=targets.get(record.id, []),
            agreement=_checklist(stored.get(record.id, {})),
        )
        for record in records
    ]


# Autocomplete looks at the viewer's own partnerships, the server's most recently updated ones and
# (for three or more letters) its newest that contain the text: at most this many of each.
AUTOCOMPLETE_POOL = 500


async def autocomplete(
    database: Database, guild_id: int, viewer: Viewer, text: str, *, limit: int = 25, own_only: bool = False
) -> list[Partnership]:
    """Partnerships the viewer may see whose name or partner contains ``text``; their own first,
    then the most recently updated (``own_only``: just their own).

    Bounded work at any size: the candidates are the viewer's own, the ``AUTOCOMPLETE_POOL`` most
    recently updated, and (when the text is long enough for the trigram index ``partnership_names``)
    the newest that contain it. That is exactly the full answer whenever the recent ones hold a page of
    matches or fewer than the pool match at all.
    """
    typed = text.strip()
    candidates = (
        "SELECT id FROM partnerships WHERE owner_id = :viewer AND guild_id = :guild"
        " UNION SELECT partnership_id FROM partnership_co_owners WHERE user_id = :viewer"
    )
    if not own_only:
        candidates += (
            " UNION SELECT * FROM (SELECT id FROM partnerships WHERE guild_id = :guild"
            " ORDER BY updated_at DESC LIMIT :pool)"
        )
    if not own_only and len(typed) >= 3:
        candidates += (
            " UNION SELECT * FROM (SELECT partnership_names.rowid FROM partnership_names"
            " CROSS JOIN partnerships q ON q.id = partnership_names.rowid"
            " WHERE partnership_names MATCH :names AND q.guild_id = :guild"
            " ORDER BY partnership_names.rowid DESC LIMIT :pool)"
        )
    # The candidates drive (CROSS JOIN keeps them the outer loop); the text and visibility check them.
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM ({candidates}) AS candidates"
        " CROSS JOIN partnerships p ON p.id = candidates.id"
        f" WHERE p.guild_id = :guild AND {_VISIBLE}"
        " AND (:pattern = '%%' OR p.name LIKE :pattern OR p.partner_name LIKE :pattern)"
        " ORDER BY (p.owner_id = :viewer OR EXISTS (SELECT 1 FROM partnership_co_owners c"
        "   WHERE c.partnership_id = p.id AND c.user_id = :viewer)) DESC, p.updated_at DESC"
        " LIMIT :limit",
        {
            "guild": guild_id,
            "pattern": f"%{typed}%",
            "names": "{name partner_name} : " + quote(typed),
            "pool": AUTOCOMPLETE_POOL,
            "limit": limit,
            **_viewer_params(viewer),
        },
    )
    return [_from_row(row) for row in rows]


# --- A member's share of the registry: /profile show counts it, /profile export lists it. ---


def owned_by(parameter: str) -> str:
    """SQL for the ids of the partnerships the member ``:parameter`` owns or co-owns (any server)."""
    return (
        f"SELECT id FROM partnerships WHERE owner_id = :{parameter}"
        f" UNION SELECT partnership_id FROM partnership_co_owners WHERE user_id = :{parameter}"
    )


# Partnerships (alias ``p``) that :member owns or co-owns: their ids drive the query (CROSS JOIN
# keeps them the outer loop), so it costs what the member holds, not the server.
_MEMBER_OF = f"({owned_by('member')}) AS theirs CROSS JOIN partnerships p ON p.id = theirs.id"


@dataclass(frozen=True)
class MemberCounts:
    owned: int
    co_owned: int


@dataclass(frozen=True)
class AuthoredEntry:
    """A timeline entry a member wrote; ``partnership_name`` is None when they may no longer see it."""

    partnership_id: int
    partnership_name: str | None
    entry: TimelineEntry


async def count_for_member(database: Database, guild_id: int, member_id: int, viewer: Viewer) -> MemberCounts:
    """How many partnerships ``member_id`` owns and co-owns, counting only those ``viewer`` may see."""
    row = await database.fetch_one(
        "SELECT"
        " coalesce(sum(p.owner_id = :member), 0) AS owned,"
        " coalesce(sum(p.owner_id IS NOT :member), 0) AS co_owned"
        f" FROM {_MEMBER_OF} WHERE p.guild_id = :guild AND {_VISIBLE}",
        {"guild": guild_id, "member": member_id, **_viewer_params(viewer)},
    )
    assert row is not None
    return MemberCounts(owned=row["owned"], co_owned=row["co_owned"])


async def of_member(database: Database, guild_id: int, member_id: int) -> list[Partnership]:
    """Every partnership the member owns or co-owns (they may see all of them), oldest first."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM {_MEMBER_OF} WHERE p.guild_id = :guild ORDER BY p.id",
        {"guild": guild_id, "member": member_id},
    )
    return [_from_row(row) for row in rows]


async def authored_by(
    database: Database, guild_id: int, author_id: int, viewer: Viewer
) -> list[AuthoredEntry]:
    """Timeline entries ``author_id`` wrote here, oldest first; named only where ``viewer`` may see."""
    rows = await database.fetch_all(
        f"SELECT t.partnership_id, CASE WHEN {_VISIBLE} THEN p.name END AS partnership_name,"
        " t.kind, t.author_id, t.at, t.summary, t.note"
        " FROM partnership_timeline t JOIN partnerships p ON p.id = t.partnership_id"
        " WHERE p.guild_id = :guild AND t.author_id = :author ORDER BY t.at, t.id",
        {"guild": guild_id, "author": author_id, **_viewer_params(viewer)},
    )
    return [
        AuthoredEntry(
            row["partnership_id"],
            row["partnership_name"],
            TimelineEntry(
                row["kind"], row["author_id"], from_storage(row["at"]), row["summary"], row["note"]
            ),
        )
        for row in rows
    ]
