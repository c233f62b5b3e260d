"""The expertise directory's records: declared areas, availability, the term index, and counts.

Every partnership read goes through the registry's one visibility rule (``_VISIBLE``): a
confidential partnership is never shown or counted for a viewer who may not see it. The evidence
behind "who knows X" is in ``db/expertise_evidence.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.clock import from_storage, to_storage
from db.database import Database
from db.partnerships import (
    _COLUMNS,
    _MEMBER_OF,
    _VISIBLE,
    Partnership,
    Viewer,
    _from_row,
    _viewer_params,
    owned_by,
)


class ExpertiseLevel(StrEnum):
    LEARNING = "learning"
    PRACTITIONER = "practitioner"
    EXPERT = "expert"


class TooManyAreas(Exception):
    """The member already lists the most areas allowed."""


@dataclass(frozen=True)
class Declaration:
    user_id: int
    area: str  # taxonomy slug or free area
    level: ExpertiseLevel
    note: str
    updated_at: datetime


@dataclass(frozen=True)
class PeopleFilter:
    """Who may appear in an answer (only fields members share are ever compared)."""

    region: str | None = None  # a substring of the member's shared region
    language: str | None = None  # a substring of the member's shared languages
    affiliated_only: bool = False  # only members who share an affiliation


@dataclass(frozen=True)
class Term:
    kind: str  # 'area' or 'type'
    key: str  # area slug or partner type value
    term: str


@dataclass(frozen=True)
class Probe:
    """A phrase of the query, as an FTS5 expression, and where it sits in the query."""

    start: int
    length: int
    expression: str


@dataclass(frozen=True)
class TermHit:
    start: int
    length: int
    kind: str
    key: str
    term: str


# --- declarations and availability -----------------------------------------------------------


async def declare(
    database: Database,
    guild_id: int,
    user_id: int,
    area: str,
    level: ExpertiseLevel,
    note: str,
    *,
    at: datetime,
    max_areas: int,
) -> bool:
    """Add or update one area; return True when it is new. Raises TooManyAreas past ``max_areas``."""
    async with database.transaction() as tx:
        exists = await tx.fetch_value(
            "SELECT 1 FROM member_expertise WHERE guild_id = ? AND user_id = ? AND area = ?",
            (guild_id, user_id, area),
        )
        if exists is None:
            count = await tx.fetch_value(
                "SELECT count(*) FROM member_expertise WHERE guild_id = ? AND user_id = ?",
                (guild_id, user_id),
            )
            if count >= max_areas:
                raise TooManyAreas(area)
        await tx.execute(
            "INSERT INTO member_expertise (guild_id, user_id, area, level, note, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id, area)"
            " DO UPDATE SET level = excluded.level, note = excluded.note, updated_at = excluded.updated_at",
            (guild_id, user_id, area, level.value, note, to_storage(at)),
        )
    return exists is None


async def withdraw(database: Database, guild_id: int, user_id: int, area: str) -> bool:
    """Remove one of the member's areas; False when they didn't list it."""
    async with database.transaction() as tx:
        changed = await tx.changes(
            "DELETE FROM member_expertise WHERE guild_id = ? AND user_id = ? AND area = ?",
            (guild_id, user_id, area),
        )
    return changed > 0


async def declarations(database: Database, guild_id: int, user_id: int) -> list[Declaration]:
    """The member's areas, strongest level first."""
    rows = await database.fetch_all(
        "SELECT user_id, area, level, note, updated_at FROM member_expertise"
        " WHERE guild_id = ? AND user_id = ?"
        " ORDER BY CASE level WHEN 'expert' THEN 0 WHEN 'practitioner' THEN 1 ELSE 2 END, area",
        (guild_id, user_id),
    )
    return [
        Declaration(
            row["user_id"],
            row["area"],
            ExpertiseLevel(row["level"]),
            row["note"],
            from_storage(row["updated_at"]),
        )
        for row in rows
    ]


async def set_available(
    database: Database, guild_id: int, user_id: int, available: bool, *, at: datetime
) -> None:
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO expertise_availability (guild_id, user_id, available, updated_at)"
            " VALUES (?, ?, ?, ?)"
            " ON CONFLICT (guild_id, user_id)"
            " DO UPDATE SET available = excluded.available, updated_at = excluded.updated_at",
            (guild_id, user_id, int(available), to_storage(at)),
        )


async def is_available(database: Database, guild_id: int, user_id: int) -> bool:
    value = await database.fetch_value(
        "SELECT available FROM expertise_availability WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    return bool(value)


# --- the words that name areas and partner types ---------------------------------------------


async def load_terms(database: Database, terms: Iterable[Term]) -> None:
    """Replace the term index (one transaction: a query never sees it half-built)."""
    async with database.transaction() as tx:
        await tx.execute("DELETE FROM expertise_terms")
        await tx.execute_many(
            "INSERT INTO expertise_terms (kind, key, term) VALUES (?, ?, ?)",
            [(term.kind, term.key, term.term) for term in terms],
        )


def terms_query(probes: Sequence[Probe]) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of ``match_terms`` (one FTS5 lookup per probe, in one statement)."""
    parts = []
    params: dict[str, Any] = {}
    for index, probe in enumerate(probes):
        parts.append(
            f"SELECT {probe.start} AS start, {probe.length} AS length, kind, key, term"
            f" FROM expertise_terms WHERE expertise_terms MATCH :probe{index}"
        )
        params[f"probe{index}"] = probe.expression
    return " UNION ALL ".join(parts), params


async def match_terms(database: Database, probes: Sequence[Probe]) -> list[TermHit]:
    """Every term that begins with one of the probes' phrases (the caller keeps whole-term matches)."""
    if not probes:
        return []
    sql, params = terms_query(probes)
    rows = await database.fetch_all(sql, params)
    return [TermHit(row["start"], row["length"], row["kind"], row["key"], row["term"]) for row in rows]


async def members_per_area(database: Database, guild_id: int) -> dict[str, int]:
    """How many members still in the server declared each taxonomy area.

    Both counts are tallies triggers keep: everyone who declared (``expertise_tallies``), less the
    declarations of members who left (``departed_expertise_tallies``).
    """
    rows = await database.fetch_all(
        "SELECT t.area, t.members - coalesce(d.members, 0) AS members FROM expertise_tallies t"
        " LEFT JOIN departed_expertise_tallies d ON d.guild_id = t.guild_id AND d.area = t.area"
        " WHERE t.guild_id = ? AND t.area IN (SELECT slug FROM areas)",
        (guild_id,),
    )
    return {row["area"]: row["members"] for row in rows}


async def partnerships_per_area(database: Database, guild_id: int, viewer: Viewer) -> dict[str, int]:
    """How many partnerships the viewer may see carry each area tag.

    The tallies kept by triggers (``partnership_tallies``) count the public ones (for coordinators,
    all); only the confidential ones the viewer owns or co-owns are read one by one.
    """
    rows = await database.fetch_all(
        "SELECT area, sum(total) AS total FROM ("
        "   SELECT area, total FROM partnership_tallies"
        "    WHERE guild_id = :guild AND area != '' AND (visibility = 'public' OR :coordinator)"
        "   UNION ALL"
        f"  SELECT a.area, 1 FROM ({owned_by('viewer')}) AS mine CROSS JOIN partnerships p ON p.id = mine.id"
        "    CROSS JOIN partnership_areas a ON a.partnership_id = p.id"
        "    WHERE NOT :coordinator AND p.guild_id = :guild AND p.visibility = 'confidential'"
        ") GROUP BY area",
        {"guild": guild_id, **_viewer_params(viewer)},
    )
    return {row["area"]: row["total"] for row in rows if row["total"]}


async def open_clinics_per_area(database: Database, guild_id: int) -> dict[str, int]:
    """Open clinics per area slug, read from the tallies triggers keep (``clinic_tallies``)."""
    rows = await database.fetch_all(
        "SELECT area, total FROM clinic_tallies WHERE guild_id = ? AND status = 'open'", (guild_id,)
    )
    return {row["area"]: row["total"] for row in rows}


async def visible_partnerships_of(
    database: Database, guild_id: int, viewer: Viewer, user_id: int, *, limit: int
) -> list[Partnership]:
    """Partnerships ``user_id`` owns or co-owns that the viewer may see, most recently updated first."""
    rows = await database.fetch_all(
        f"SELECT {_COLUMNS} FROM {_MEMBER_OF}"
        f" WHERE p.guild_id = :guild AND {_VISIBLE}"
        " ORDER BY p.updated_at DESC, p.id DESC LIMIT :limit",
        {"guild": guild_id, "member": user_id, "limit": limit, **_viewer_params(viewer)},
    )
    return [_from_row(row) for row in rows]
