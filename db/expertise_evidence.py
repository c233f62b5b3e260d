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
``tests/expertise/test_query_plans.py``). The full-text lookups run once per query
(``text_matches``); ranking and explaining read their ids.
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
# At most this many records of the server per way of matching (each facet's words, each area tag,
# each facet's partner types together; the leftover words), newest first: enough for any person's
# capped counts, and a bound on the work whatever the size of the registry.
HIT_LIMIT = 150
# A partnership's own words are looked for among the newest this-many records (of any server) that
# hold the words anywhere, area tags included. Tags carry synonyms ("open data" on every Wikidata
# partnership), so without this bound a phrase that only tags hold would be checked, and rejected,
# in every tagged record of the registry. In the benchmark's community the 150th match in a
# partnership's own words is within the newest 1,800 of the common queries.
SCAN_LIMIT = 2000


@dataclass(frozen=True)
class Facet:
    """One thing the query names ("museum", "open access"): its areas, partner types and words."""

    areas: tuple[str, ...]  # taxonomy slugs
    types: tuple[str, ...]  # partner type values
    text: str  # FTS5 expression for its phrases (over partnerships, only their own words count)


@dataclass(frozen=True)
class EvidenceQuery:
    """What counts as matching evidence, already resolved from the member's words."""

    facets: tuple[Facet, ...]
    free_areas: tuple[str, ...] = ()  # members' own areas and free tags, matched exactly
    loose: str | None = None  # FTS5 expression for the leftover words

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


# --- the words' matches, found once per query ---------------------------------------------


@dataclass(frozen=True)
class TextMatches:
    """The full-text lookups of one query, run once and shared by ``candidates`` and ``explained``:
    per facet and for the leftover words, the server's newest ``HIT_LIMIT`` matching records."""

    partnerships: list[tuple[int, int | None]]  # (partnership id, facet index; None: leftover words)
    declarations: list[tuple[int, int | None]]  # (member_expertise id, facet index or None)

    def params(self) -> dict[str, str]:
        def named(hits: list[tuple[int, int | None]]) -> str:
            return json.dumps([[item, facet] for item, facet in hits if facet is not None])

        def loose(hits: list[tuple[int, int | None]]) -> str:
            return json.dumps([item for item, facet in hits if facet is None])

        return {
            "partnership_named": named(self.partnerships),
            "partnership_loose": loose(self.partnerships),
            "expertise_named": named(self.declarations),
            "expertise_loose": loose(self.declarations),
        }


def _own_words(expression: str) -> str:
    """``expression`` matched only in a partnership's own words (``PARTNERSHIP_TEXT_COLUMNS``)."""
    return "{" + " ".join(PARTNERSHIP_TEXT_COLUMNS) + "} : (" + expression + ")"


def _newest_partnerships(parameter: str) -> str:
    """The server's newest ``:hit_limit`` partnerships whose own words match ``:{parameter}``,
    looked for from the oldest of the index's newest ``:scan_limit`` records that match it anywhere
    (CROSS JOIN keeps the FTS index the outer loop, walked newest first). That floor is read from
    the index alone: checking each record's server would cost more than the walk it bounds."""
    return (
        "SELECT partnerships_fts.rowid AS id FROM partnerships_fts"
        " CROSS JOIN partnerships q ON q.id = partnerships_fts.rowid"
        f" WHERE partnerships_fts MATCH :own_{parameter} AND q.guild_id = :guild"
        " AND partnerships_fts.rowid >= (SELECT coalesce(min(rowid), 0) FROM ("
        "     SELECT rowid FROM partnerships_fts"
        f"     WHERE partnerships_fts MATCH :{parameter} ORDER BY rowid DESC LIMIT :scan_limit))"
        " ORDER BY partnerships_fts.rowid DESC LIMIT :hit_limit"
    )


def _newest_declarations(parameter: str) -> str:
    return (
        "SELECT expertise_fts.rowid AS id FROM expertise_fts"
        " CROSS JOIN member_expertise q ON q.id = expertise_fts.rowid"
        f" WHERE expertise_fts MATCH :{parameter} AND q.guild_id = :guild"
        " ORDER BY expertise_fts.rowid DESC LIMIT :hit_limit"
    )


def text_matches_query(guild_id: int, query: EvidenceQuery) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of ``text_matches``: one row (table, facet, id) per match."""
    params: dict[str, Any] = {"guild": guild_id, "hit_limit": HIT_LIMIT, "scan_limit": SCAN_LIMIT}
    parts = []
    ways = [(f"named{index}", index, facet.text) for index, facet in enumerate(query.facets)]
    ways += [("loose", None, query.loose)] if query.loose else []
    for name, facet, text in ways:
        params[name] = text
        params[f"own_{name}"] = _own_words(text)
        column = "NULL" if facet is None else str(facet)
        parts.append(f"SELECT 'p', {column}, id FROM ({_newest_partnerships(name)})")
        parts.append(f"SELECT 'e', {column}, id FROM ({_newest_declarations(name)})")
    return " UNION ALL ".join(parts) or "SELECT NULL, NULL, NULL WHERE 0", params


async def text_matches(database: Database, guild_id: int, query: EvidenceQuery) -> TextMatches:
    """The query's full-text matches in the server, bounded per way (see ``TextMatches``)."""
    sql, params = text_matches_query(guild_id, query)
    rows = await database.fetch_all(sql, params)
    return TextMatches(
        [(row[2], row[1]) for row in rows if row[0] == "p"],
        [(row[2], row[1]) for row in rows if row[0] == "e"],
    )


# --- SQL, built for the number of facets ----------------------------------------------------

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
    keeping to the server (CROSS JOIN keeps each index the outer loop, walked newest first). The
    words' matches come found already (``TextMatches``).
    """
    return f"""
hits(id, facet, core, precise, side) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), 1, 1, 0
      FROM json_each(:partnership_named)
    UNION ALL
    SELECT value, NULL, :loose_is_core, :loose_is_core, 1 - :loose_is_core FROM json_each(:partnership_loose)
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
    return f"""
noted(id, facet, core) AS (
    SELECT e.id, w.facet, 1
      FROM wanted_areas w CROSS JOIN member_expertise e ON e.id IN (
           SELECT id FROM member_expertise WHERE guild_id = :guild AND area = w.area
            ORDER BY updated_at DESC LIMIT :hit_limit)
    UNION ALL
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), 1 FROM json_each(:expertise_named)
    UNION ALL
    SELECT value, NULL, :loose_is_core FROM json_each(:expertise_loose)
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

    Read from ``clinic_credit_tallies`` (kept by triggers): the person's few rows, each checked
    against the wanted areas (``+area``: not one key probe per wanted area, which are many, since
    every phrase of the query may be a member's own area).
    """
    return (
        "(SELECT coalesce(sum(credits), 0) FROM clinic_credit_tallies"
        f" WHERE guild_id = :guild AND helper_id = {user_column}"
        " AND +area IN (SELECT area FROM wanted_areas))"
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


def _query_params(
    guild_id: int, viewer: Viewer, query: EvidenceQuery, matches: TextMatches
) -> dict[str, Any]:
    areas = [[area, index] for index, facet in enumerate(query.facets) for area in facet.areas]
    areas += [[area, -1] for area in query.free_areas]
    types = [[kind, index] for index, facet in enumerate(query.facets) for kind in facet.types]
    params: dict[str, Any] = {
        "guild": guild_id,
        "areas": json.dumps(areas),
        "types": json.dumps(types),
        **matches.params(),
        "loose_is_core": int(query.names_nothing),
        "hit_limit": HIT_LIMIT,
        # A facet's partner types share one way's bound (GLAM names four types).
        "type_limit": HIT_LIMIT // max([1, *(len(facet.types) for facet in query.facets)]),
        **_viewer_params(viewer),
    }
    return params


def candidates_query(
    guild_id: int,
    viewer: Viewer,
    query: EvidenceQuery,
    matches: TextMatches,
    filters: PeopleFilter,
    weighing: Weighing,
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of ``candidates`` (the query-plan test reads them too)."""
    score, weight_params = _score_sql(weighing.weights, weighing.caps)
    params = {
        **_query_params(guild_id, viewer, query, matches),
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
    *,
    matches: TextMatches | None = None,
) -> list[Candidate]:
    """The people with the strongest evidence for ``query``, best first, at most ``weighing.limit``.

    ``matches``: the query's ``text_matches``, when the caller already has them.
    """
    if matches is None:
        matches = await text_matches(database, guild_id, query)
    sql, params = candidates_query(guild_id, viewer, query, matches, filters, weighing)
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
# them against the same bounded matches ``candidates`` counted (``TextMatches``), so an explanation
# names what was counted and costs what they hold, not the guild.

_MATCHED_IDS = """
named_ids(id) AS (SELECT json_extract(value, '$[0]') FROM json_each(:{table}_named)),
loose_ids(id) AS (SELECT value FROM json_each(:{table}_loose))"""


def _explained_declarations_sql() -> str:
    return f"""
WITH {_WANTED},
theirs(id) AS (
    SELECT id FROM member_expertise
     WHERE guild_id = :guild AND user_id IN (SELECT value FROM json_each(:users))
),{_MATCHED_IDS.format(table="expertise")},
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


def _explained_partnerships_sql() -> str:
    return f"""
WITH {_WANTED},
theirs(id, user_id, owner) AS (
    SELECT id, owner_id, 1 FROM partnerships
     WHERE guild_id = :guild AND owner_id IN (SELECT value FROM json_each(:users))
    UNION ALL
    SELECT partnership_id, user_id, 0 FROM partnership_co_owners
     WHERE user_id IN (SELECT value FROM json_each(:users))
),{_MATCHED_IDS.format(table="partnership")},
flags AS (
    SELECT t.user_id, t.owner, p.id, p.name, p.stage,
           max(p.updated_at, coalesce(p.last_checkin_at, '')) AS active_at,
           p.id IN named_ids AS named, p.id IN loose_ids AS loose,
           p.partner_type IN (SELECT type FROM wanted_types) AS typed,
           EXISTS (SELECT 1 FROM partnership_areas a  -- +area: its few tags, not a probe per area
                    WHERE a.partnership_id = p.id AND +a.area IN (SELECT area FROM wanted_areas)) AS tagged
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
    guild_id: int, viewer: Viewer, query: EvidenceQuery, matches: TextMatches, user_ids: Sequence[int]
) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """The SQL and parameters of ``explained``: declarations, then partnerships."""
    params = {**_query_params(guild_id, viewer, query, matches), "users": json.dumps(list(user_ids))}
    return (_explained_declarations_sql(), params), (_explained_partnerships_sql(), params)


async def explained(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    query: EvidenceQuery,
    user_ids: Sequence[int],
    *,
    matches: TextMatches | None = None,
) -> tuple[list[MatchedDeclaration], list[MatchedPartnership]]:
    """The declarations and partnerships behind a few people's scores, to explain them."""
    if matches is None:
        matches = await text_matches(database, guild_id, query)
    (declarations_sql, params), (partnerships_sql, _) = explained_queries(
        guild_id, viewer, query, matches, user_ids
    )
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
