"""The evidence behind "who knows X": who has matching declarations and partnerships, and how much.

The query arrives resolved into *facets* (each thing it names: an area, a partner type, a phrase)
and *leftover words*. Evidence is **core** when it matches a facet, **loose** when only a leftover
word appears in its text ("photos" in "licensing photos"); when the query names nothing we know (a
partner's name, a language: "Amharic") its words are all we have and loose matches count as core.
A partnership is **precise** when its own words or its partner type match, not only a broad area
tag, and carries **side words** when it also contains a leftover word.

``candidates`` aggregates that per person and orders by the weighted sum the caller passes (the
ranking module owns the weights), so only the best few people leave the database. Every
partnership read goes through the registry's one visibility rule: a confidential partnership is
never evidence for a viewer who may not see it, not even as a count. Profile fields come back only
when shared, and the region and language filters only look at shared fields.

Each hot lookup is an FTS5 MATCH or an index search; nothing scans the big tables (see
``tests/expertise/test_query_plans.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from core.clock import to_storage
from core.vocabulary import Stage
from db.database import Database
from db.expertise import ExpertiseLevel, PeopleFilter
from db.partnerships import _VISIBLE, Viewer, _viewer_params

# The partnerships_fts columns that hold a partnership's own words. Its ``areas`` column is left
# out: areas are matched through their tags, and their synonym lists would make "open" match every
# Wikidata ("open data") partnership.
PARTNERSHIP_TEXT_COLUMNS = ("name", "partner_name", "description", "notes", "lessons")
NOTHING = '""'  # an FTS5 expression that matches no row
# At most this many records of the server per way of matching (each facet's words, each area tag,
# each facet's partner types together; the leftover words), newest first: enough for any person's
# capped counts, and a bound on the work whatever the size of the registry.
HIT_LIMIT = 150


@dataclass(frozen=True)
class Facet:
    """One thing the query names ("museum", "open access"): its areas, partner types and words."""

    areas: tuple[str, ...]  # taxonomy slugs
    types: tuple[str, ...]  # partner type values
    partnership_text: str  # FTS5 expression over partnerships_fts
    expertise_text: str  # FTS5 expression over expertise_fts


@dataclass(frozen=True)
class EvidenceQuery:
    """What counts as matching evidence, already resolved from the member's words."""

    facets: tuple[Facet, ...]
    free_areas: tuple[str, ...] = ()  # members' own areas and free tags, matched exactly
    partnership_loose: str | None = None  # FTS5 expressions for the leftover words
    expertise_loose: str | None = None

    @property
    def names_nothing(self) -> bool:
        return not self.facets


@dataclass(frozen=True)
class Evidence:
    """One person's evidence for one query. The ranking weighs these names; SQL computes them."""

    expert: int = 0  # core declared areas at each level
    practitioner: int = 0
    learning: int = 0
    owned_active: int = 0  # core partnerships they own, by stage
    owned_concluded: int = 0
    owned_early: int = 0  # prospect, contacting, negotiating, on hold
    co_owned_active: int = 0
    co_owned_concluded: int = 0
    co_owned_early: int = 0
    specific: int = 0  # core partnerships that are precise
    side_words: int = 0  # core partnerships that also contain a leftover word of the query
    recent: int = 0  # core partnerships active since ``recent_since``
    loose: int = 0  # partnerships and declarations that share only a leftover word with the query
    more_facets: int = 0  # how many of the query's facets they cover, beyond the first
    clinics_helpful: int = 0  # clinics in matching areas where they were credited as helpful
    recently_active: int = 0  # 1 when their newest matching evidence is after ``fresh_since``


FEATURES = tuple(field.name for field in fields(Evidence))


@dataclass(frozen=True)
class Weighing:
    """How to order candidates: the ranking's weights and caps, its time windows, how many to read."""

    weights: Mapping[str, float]
    caps: Mapping[str, int]
    recent_since: datetime
    fresh_since: datetime
    limit: int


@dataclass(frozen=True)
class Candidate:
    user_id: int
    evidence: Evidence
    score: float
    affiliation: str | None  # shared fields only: None when hidden or unset
    region: str | None
    languages: tuple[str, ...]
    available: bool


@dataclass(frozen=True)
class MatchedDeclaration:
    user_id: int
    area: str
    level: ExpertiseLevel
    note: str
    core: bool


@dataclass(frozen=True)
class MatchedPartnership:
    user_id: int
    partnership_id: int
    name: str
    stage: Stage
    owner: bool  # False: co-owner
    core: bool
    precise: bool


# --- SQL, built for the number of facets (each has its own FTS5 parameter) -------------------

_WANTED = """
wanted_areas(area, facet) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:areas)
),
wanted_types(type, facet) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:types)
)"""


def _flags(facets: int, expression: str) -> str:
    """Columns f0, f1, … : whether ``expression`` (with {i}) holds for each facet."""
    return "".join(f", {expression.format(i=index)} AS f{index}" for index in range(facets))


def _partnership_hits(facets: int) -> str:
    """Every way a partnership can match, one row per way: (id, facet, core, precise, side).

    Each way is bounded to the server's newest ``:hit_limit`` partnerships (each partner type of a
    facet to its share, ``:type_limit``), so a word every record contains costs the same as a rare
    one; the counts the ranking uses are capped far below that anyway. Every bound applies after
    keeping to the server (CROSS JOIN keeps each index the outer loop, walked newest first).
    """
    named = "".join(
        f"SELECT * FROM (SELECT partnerships_fts.rowid, {index}, 1, 1, 0 FROM partnerships_fts"
        " CROSS JOIN partnerships q ON q.id = partnerships_fts.rowid"
        f" WHERE partnerships_fts MATCH :partnership_named{index} AND q.guild_id = :guild"
        " ORDER BY partnerships_fts.rowid DESC LIMIT :hit_limit)"
        " UNION ALL "
        for index in range(facets)
    )
    return f"""
hits(id, facet, core, precise, side) AS (
    {named}
    SELECT * FROM (
        SELECT partnerships_fts.rowid, NULL, :loose_is_core, :loose_is_core, 1 - :loose_is_core
          FROM partnerships_fts CROSS JOIN partnerships q ON q.id = partnerships_fts.rowid
         WHERE partnerships_fts MATCH :partnership_loose AND q.guild_id = :guild
         ORDER BY partnerships_fts.rowid DESC LIMIT :hit_limit)
    UNION ALL
    SELECT a.partnership_id, w.facet, 1, 0, 0 FROM wanted_areas w
      CROSS JOIN partnership_areas a ON a.rowid IN (
           SELECT t.rowid FROM partnership_areas t CROSS JOIN partnerships q ON q.id = t.partnership_id
            WHERE t.area = w.area AND q.guild_id = :guild
            ORDER BY t.partnership_id DESC LIMIT :hit_limit)
    UNION ALL
    SELECT p.id, w.facet, 1, 1, 0 FROM wanted_types w
      CROSS JOIN partnerships p ON p.id IN (
           SELECT id FROM partnerships WHERE guild_id = :guild AND partner_type = w.type
            ORDER BY id DESC LIMIT :type_limit)
),
matched AS (
    SELECT h.id, p.owner_id, p.stage, max(h.core) AS core, max(h.precise) AS precise,
           max(h.side) AS side, max(p.updated_at, coalesce(p.last_checkin_at, '')) AS active_at
           {_flags(facets, "coalesce(max(h.facet = {i}), 0)")}
      FROM hits h CROSS JOIN partnerships p ON p.id = h.id
     WHERE p.guild_id = :guild AND {_VISIBLE}
     GROUP BY h.id
)"""


def _declaration_hits(facets: int) -> str:
    named = "".join(
        f"SELECT * FROM (SELECT expertise_fts.rowid, {index}, 1 FROM expertise_fts"
        " CROSS JOIN member_expertise q ON q.id = expertise_fts.rowid"
        f" WHERE expertise_fts MATCH :expertise_named{index} AND q.guild_id = :guild"
        " ORDER BY expertise_fts.rowid DESC LIMIT :hit_limit)"
        " UNION ALL "
        for index in range(facets)
    )
    return f"""
noted(id, facet, core) AS (
    SELECT e.id, w.facet, 1
      FROM wanted_areas w CROSS JOIN member_expertise e ON e.id IN (
           SELECT id FROM member_expertise WHERE guild_id = :guild AND area = w.area
            ORDER BY updated_at DESC LIMIT :hit_limit)
    UNION ALL
    {named}
    SELECT * FROM (
        SELECT expertise_fts.rowid, NULL, :loose_is_core
          FROM expertise_fts CROSS JOIN member_expertise q ON q.id = expertise_fts.rowid
         WHERE expertise_fts MATCH :expertise_loose AND q.guild_id = :guild
         ORDER BY expertise_fts.rowid DESC LIMIT :hit_limit)
),
declarations AS (
    SELECT n.id, e.user_id, e.level, e.updated_at, max(n.core) AS core
           {_flags(facets, "coalesce(max(n.facet = {i}), 0)")}
      FROM noted n CROSS JOIN member_expertise e ON e.id = n.id
     WHERE e.guild_id = :guild
     GROUP BY n.id
)"""


def _candidates_sql(facets: int, score: str) -> str:
    flags = "".join(f", f{index}" for index in range(facets))
    co_flags = "".join(f", m.f{index}" for index in range(facets))
    covered = " + ".join(f"max(f{index})" for index in range(facets)) or "0"
    return f"""
WITH {_WANTED},
{_partnership_hits(facets)},
{_declaration_hits(facets)},
evidence(user_id, declared, level, owner, stage, core, precise, side, active_at{flags}) AS (
    SELECT user_id, 1, level, 0, NULL, core, 0, 0, updated_at{flags} FROM declarations
    UNION ALL
    SELECT owner_id, 0, NULL, 1, stage, core, precise, side, active_at{flags}
      FROM matched WHERE owner_id IS NOT NULL
    UNION ALL
    SELECT c.user_id, 0, NULL, 0, m.stage, m.core, m.precise, m.side, m.active_at{co_flags}
      FROM matched m CROSS JOIN partnership_co_owners c ON c.partnership_id = m.id
),
people AS (
    SELECT user_id,
           sum(declared AND core AND level = 'expert') AS expert,
           sum(declared AND core AND level = 'practitioner') AS practitioner,
           sum(declared AND core AND level = 'learning') AS learning,
           sum(NOT declared AND core AND owner AND stage = 'active') AS owned_active,
           sum(NOT declared AND core AND owner AND stage = 'concluded') AS owned_concluded,
           sum(NOT declared AND core AND owner AND stage NOT IN ('active', 'concluded'))
               AS owned_early,
           sum(NOT declared AND core AND NOT owner AND stage = 'active') AS co_owned_active,
           sum(NOT declared AND core AND NOT owner AND stage = 'concluded') AS co_owned_concluded,
           sum(NOT declared AND core AND NOT owner AND stage NOT IN ('active', 'concluded'))
               AS co_owned_early,
           sum(NOT declared AND core AND precise) AS specific,
           sum(NOT declared AND core AND side) AS side_words,
           sum(NOT declared AND core AND active_at >= :recent_since) AS recent,
           sum(NOT core) AS loose,
           max({covered} - 1, 0) AS more_facets,
           {_clinic_credits("user_id")} AS clinics_helpful,
           max(active_at) >= :fresh_since AS recently_active
      FROM evidence GROUP BY user_id
),
ranked AS (
    SELECT *, {score} AS score FROM people
     WHERE (:region IS NULL OR EXISTS (
                SELECT 1 FROM profiles pr WHERE pr.guild_id = :guild AND pr.user_id = people.user_id
                   AND pr.share_region AND pr.region LIKE :region ESCAPE '\\'))
       AND (:language IS NULL OR EXISTS (
                SELECT 1 FROM profiles pr WHERE pr.guild_id = :guild AND pr.user_id = people.user_id
                   AND pr.share_languages AND pr.languages LIKE :language ESCAPE '\\'))
       AND (NOT :affiliated_only OR EXISTS (
                SELECT 1 FROM profiles pr WHERE pr.guild_id = :guild AND pr.user_id = people.user_id
                   AND pr.share_affiliation AND trim(coalesce(pr.affiliation, '')) != ''))
     ORDER BY score DESC, user_id
     LIMIT :limit
)
SELECT ranked.*,
       CASE WHEN pr.share_affiliation THEN pr.affiliation END AS shared_affiliation,
       CASE WHEN pr.share_region THEN pr.region END AS shared_region,
       CASE WHEN pr.share_languages THEN pr.languages END AS shared_languages,
       coalesce(av.available, 0) AS available
  FROM ranked
  LEFT JOIN profiles pr ON pr.guild_id = :guild AND pr.user_id = ranked.user_id
  LEFT JOIN expertise_availability av ON av.guild_id = :guild AND av.user_id = ranked.user_id
 ORDER BY score DESC, user_id
"""


def _clinic_credits(user_column: str) -> str:
    """SQL for how many clinics in the wanted areas credited ``user_column`` as helpful (issue 5).

    Read from ``clinic_credit_tallies`` (kept by triggers): one key lookup per wanted area.
    """
    return (
        "(SELECT coalesce(sum(credits), 0) FROM clinic_credit_tallies"
        f" WHERE guild_id = :guild AND helper_id = {user_column}"
        " AND area IN (SELECT area FROM wanted_areas))"
    )


def _score_sql(weights: Mapping[str, float], caps: Mapping[str, int]) -> tuple[str, dict[str, float]]:
    """The weighted, capped sum of the features, as SQL with named parameters."""
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"unknown ranking features: {sorted(unknown)}")
    terms, params = [], {}
    for name, weight in weights.items():
        params[f"w_{name}"] = weight
        if name in caps:
            params[f"cap_{name}"] = caps[name]
            terms.append(f":w_{name} * min({name}, :cap_{name})")
        else:
            terms.append(f":w_{name} * {name}")
    return " + ".join(terms) or "0", params


def _like(text: str | None) -> str | None:
    if text is None:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _query_params(guild_id: int, viewer: Viewer, query: EvidenceQuery) -> dict[str, Any]:
    areas = [[area, index] for index, facet in enumerate(query.facets) for area in facet.areas]
    areas += [[area, -1] for area in query.free_areas]
    types = [[kind, index] for index, facet in enumerate(query.facets) for kind in facet.types]
    params: dict[str, Any] = {
        "guild": guild_id,
        "areas": json.dumps(areas),
        "types": json.dumps(types),
        # An expression that matches nothing keeps the SQL one shape when there are no leftovers.
        "partnership_loose": query.partnership_loose or NOTHING,
        "expertise_loose": query.expertise_loose or NOTHING,
        "loose_is_core": int(query.names_nothing),
        "hit_limit": HIT_LIMIT,
        # A facet's partner types share one way's bound (GLAM names four types).
        "type_limit": HIT_LIMIT // max([1, *(len(facet.types) for facet in query.facets)]),
        **_viewer_params(viewer),
    }
    for index, facet in enumerate(query.facets):
        params[f"partnership_named{index}"] = facet.partnership_text
        params[f"expertise_named{index}"] = facet.expertise_text
    return params


def candidates_query(
    guild_id: int, viewer: Viewer, query: EvidenceQuery, filters: PeopleFilter, weighing: Weighing
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of ``candidates`` (the query-plan test reads them too)."""
    score, weight_params = _score_sql(weighing.weights, weighing.caps)
    params = {
        **_query_params(guild_id, viewer, query),
        **weight_params,
        "recent_since": to_storage(weighing.recent_since),
        "fresh_since": to_storage(weighing.fresh_since),
        "region": _like(filters.region),
        "language": _like(filters.language),
        "affiliated_only": int(filters.affiliated_only),
        "limit": weighing.limit,
    }
    return _candidates_sql(len(query.facets), score), params


async def candidates(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    query: EvidenceQuery,
    filters: PeopleFilter,
    weighing: Weighing,
) -> list[Candidate]:
    """The people with the strongest evidence for ``query``, best first, at most ``weighing.limit``."""
    sql, params = candidates_query(guild_id, viewer, query, filters, weighing)
    rows = await database.fetch_all(sql, params)
    return [
        Candidate(
            user_id=row["user_id"],
            evidence=Evidence(**{name: int(row[name] or 0) for name in FEATURES}),
            score=float(row["score"]),
            affiliation=(row["shared_affiliation"] or "").strip() or None,
            region=row["shared_region"] or None,
            languages=tuple(part for part in (row["shared_languages"] or "").split(",") if part),
            available=bool(row["available"]),
        )
        for row in rows
    ]


# --- the evidence behind a few people's scores -----------------------------------------------
# Starts from those people's own rows (owner and co-owner indexes, their declarations) and checks
# them against the same bounded matches ``candidates`` counted, so an explanation names what was
# counted and costs what they hold plus one bounded walk per expression, not the guild.


def _matching(table: str, parameters: Sequence[str], owner_table: str) -> str:
    """SQL for the server's newest ``:hit_limit`` rowids of ``table`` matching each expression."""
    return (
        " UNION ".join(
            f"SELECT * FROM (SELECT {table}.rowid FROM {table}"
            f" CROSS JOIN {owner_table} q ON q.id = {table}.rowid"
            f" WHERE {table} MATCH :{name} AND q.guild_id = :guild"
            f" ORDER BY {table}.rowid DESC LIMIT :hit_limit)"
            for name in parameters
        )
        or "SELECT NULL WHERE 0"
    )


def _explained_declarations_sql(facets: int) -> str:
    parameters = [f"expertise_named{index}" for index in range(facets)]
    named = _matching("expertise_fts", parameters, "member_expertise")
    loose = _matching("expertise_fts", ["expertise_loose"], "member_expertise")
    return f"""
WITH {_WANTED},
theirs(id) AS (
    SELECT id FROM member_expertise
     WHERE guild_id = :guild AND user_id IN (SELECT value FROM json_each(:users))
),
named_ids(id) AS ({named}),
loose_ids(id) AS ({loose}),
flags AS (
    SELECT e.user_id, e.area, e.level, e.note,
           (e.area IN (SELECT area FROM wanted_areas) OR e.id IN named_ids) AS named,
           e.id IN loose_ids AS loose
      FROM theirs t CROSS JOIN member_expertise e ON e.id = t.id
)
SELECT user_id, area, level, note, (named OR (loose AND :loose_is_core)) AS core FROM flags
 WHERE named OR loose
 ORDER BY user_id, core DESC, CASE level WHEN 'expert' THEN 0 WHEN 'practitioner' THEN 1 ELSE 2 END, area
"""


def _explained_partnerships_sql(facets: int) -> str:
    parameters = [f"partnership_named{index}" for index in range(facets)]
    named = _matching("partnerships_fts", parameters, "partnerships")
    loose = _matching("partnerships_fts", ["partnership_loose"], "partnerships")
    return f"""
WITH {_WANTED},
theirs(id, user_id, owner) AS (
    SELECT id, owner_id, 1 FROM partnerships
     WHERE guild_id = :guild AND owner_id IN (SELECT value FROM json_each(:users))
    UNION ALL
    SELECT partnership_id, user_id, 0 FROM partnership_co_owners
     WHERE user_id IN (SELECT value FROM json_each(:users))
),
named_ids(id) AS ({named}),
loose_ids(id) AS ({loose}),
flags AS (
    SELECT t.user_id, t.owner, p.id, p.name, p.stage,
           max(p.updated_at, coalesce(p.last_checkin_at, '')) AS active_at,
           p.id IN named_ids AS named, p.id IN loose_ids AS loose,
           p.partner_type IN (SELECT type FROM wanted_types) AS typed,
           EXISTS (SELECT 1 FROM partnership_areas a
                    WHERE a.partnership_id = p.id AND a.area IN (SELECT area FROM wanted_areas)) AS tagged
      FROM theirs t CROSS JOIN partnerships p ON p.id = t.id
     WHERE p.guild_id = :guild AND {_VISIBLE}
)
SELECT user_id, owner, id, name, stage,
       (named OR typed OR tagged OR (loose AND :loose_is_core)) AS core,
       (named OR typed OR (loose AND :loose_is_core)) AS precise
  FROM flags
 WHERE named OR loose OR typed OR tagged
 ORDER BY user_id, core DESC, precise DESC, stage = 'active' DESC, active_at DESC, id
"""


def explained_queries(
    guild_id: int, viewer: Viewer, query: EvidenceQuery, user_ids: Sequence[int]
) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """The SQL and parameters of ``explained``: declarations, then partnerships."""
    params = {**_query_params(guild_id, viewer, query), "users": json.dumps(list(user_ids))}
    facets = len(query.facets)
    return (_explained_declarations_sql(facets), params), (_explained_partnerships_sql(facets), params)


async def explained(
    database: Database, guild_id: int, viewer: Viewer, query: EvidenceQuery, user_ids: Sequence[int]
) -> tuple[list[MatchedDeclaration], list[MatchedPartnership]]:
    """The declarations and partnerships behind a few people's scores, to explain them."""
    (declarations_sql, params), (partnerships_sql, _) = explained_queries(guild_id, viewer, query, user_ids)
    async with database.read() as tx:
        declared = await tx.fetch_all(declarations_sql, params)
        partnered = await tx.fetch_all(partnerships_sql, params)
    return (
        [
            MatchedDeclaration(
                row["user_id"], row["area"], ExpertiseLevel(row["level"]), row["note"], bool(row["core"])
            )
            for row in declared
        ],
        [
            MatchedPartnership(
                row["user_id"],
                row["id"],
                row["name"],
                Stage(row["stage"]),
                bool(row["owner"]),
                bool(row["core"]),
                bool(row["precise"]),
            )
            for row in partnered
        ],
    )
