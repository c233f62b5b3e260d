"""The evidence behind "who knows X": who has matching declarations and partnerships, and how much.

The query arrives resolved into *facets* (each thing it names: an area, a partner type, a phrase)
and *leftover words*. Evidence is **core** when it matches a facet, **loose** when only a leftover
word appears in its text ("photos" in "licensing photos"); when the query names nothing we know (a
partner's name, a language: "Amharic") its words are all we have and loose matches count as core.
A partnership is **precise** when its own words or its partner type match, not only a broad area
tag, and carries **side words** when it also contains a leftover word.

``candidates`` reads every matching declaration and partnership once, bounded per way of matching,
as (person, id, bits) rows, counts each person's ``Evidence`` from them (``Tally``), orders people
by the score the caller passes (the ranking module owns the weights), and keeps the rows;
``explained`` then reads names, areas and notes for the few people shown. All of ``candidates``
runs in one trip to the database's thread. Every partnership read goes through the registry's one
visibility rule: a confidential partnership is never evidence for a viewer who may not see it, not
even as a count. Profile fields come back only when shared, and the region and language filters
only look at shared fields.

Each hot lookup is an FTS5 MATCH or an index search; nothing scans the big tables (see
``tests/expertise/test_query_plans.py``). Each full-text lookup runs once per query.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

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
# Looked at first, out of those: where the 150th match in a partnership's own words lies for words
# common in them (about 200 records for "grant", 500 for "oral history" in the benchmark's community).
NEAR_LIMIT = 600


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
    """One person's evidence for one query. The ranking weighs these names; ``tally`` counts them."""

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
    """How to order candidates: the ranking's weights and caps, its time windows, how many to keep."""

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


# What explains a person's score: made for the few people shown (``explained``), from their rows and
# the names, areas and notes read for them alone.
class MatchedDeclaration(NamedTuple):
    user_id: int
    area: str
    level: ExpertiseLevel
    note: str
    core: bool
    fresh: bool = False  # changed since the weighing's ``fresh_since``
    facets: int = 0  # bit i set: it matches the query's facet i


class MatchedPartnership(NamedTuple):
    user_id: int
    partnership_id: int
    name: str
    stage: Stage
    owner: bool  # False: co-owner
    core: bool
    precise: bool
    side: bool = False  # it also contains a leftover word of the query
    recent: bool = False  # active since the weighing's ``recent_since``
    fresh: bool = False  # active since its ``fresh_since``
    facets: int = 0  # bit i set: it matches the query's facet i


# The hot statements return each match as (user_id, id, bits): everything the tally needs in one
# integer, so the thousand rows of a broad question cost no strings. The bits:
CORE = 1 << 0  # matches a facet (else only the leftover words: loose)
PRECISE = 1 << 1  # partnerships: its own words or its partner type match
SIDE = 1 << 2  # partnerships: it also contains a leftover word
RECENT = 1 << 3  # partnerships: active since ``recent_since``
FRESH = 1 << 4  # changed or active since ``fresh_since``
OWNER = 1 << 5  # partnerships: the row's person owns it (else co-owns it)
KIND_SHIFT = 6  # two bits: a partnership's stage (``STAGE_KINDS``), a declaration's level
FACET_SHIFT = 8  # the rest: bit i set when it matches the query's facet i
LOW_BITS = (1 << FACET_SHIFT) - 1
STAGE_KINDS = {Stage.ACTIVE: 1, Stage.CONCLUDED: 2}  # every other stage is early: 0
_LEVELS = list(ExpertiseLevel)  # weakest first
LEVEL_KINDS = {level: rank for rank, level in enumerate(_LEVELS)}


# When a partnership last moved: its last change or check-in, whichever is later.
_ACTIVE_AT = "max(p.updated_at, coalesce(p.last_checkin_at, ''))"


def _kind_sql(column: str, kinds: Mapping[str, int]) -> str:
    """SQL for the number ``kinds`` gives ``column``'s stored value (0 for any other)."""
    cases = " ".join(f"WHEN '{value}' THEN {kind}" for value, kind in kinds.items())
    return f"(CASE {column} {cases} ELSE 0 END)"


def _bits_sql(*parts: tuple[str, int]) -> str:
    """SQL that packs each (expression, flag) into one integer: a 0/1 expression times its flag, a
    small number times the flag of its lowest bit. The parts never overlap, so adding them is
    the same as or-ing them."""
    return " + ".join(f"({expression}) * {flag}" for expression, flag in parts)


# --- the words' matches --------------------------------------------------------------------


def _own_words(expression: str) -> str:
    """``expression`` matched only in a partnership's own words (``PARTNERSHIP_TEXT_COLUMNS``)."""
    return "{" + " ".join(PARTNERSHIP_TEXT_COLUMNS) + "} : (" + expression + ")"


def _floor(parameter: str, limit: str) -> str:
    """The rowid of the oldest of the index's newest ``limit`` records matching ``:{parameter}``
    anywhere: read from the index alone (checking each record's server would cost more than the
    walk it bounds)."""
    return (
        "(SELECT coalesce(min(rowid), 0) FROM (SELECT rowid FROM partnerships_fts"
        f" WHERE partnerships_fts MATCH :{parameter} ORDER BY rowid DESC LIMIT {limit}))"
    )


def _own_words_between(parameter: str, low: str, high: str | None) -> str:
    """The partnerships from ``low`` (up to ``high``) whose own words match, newest first, and of
    the server. FTS5 walks them oldest first, from ``low``: walked newest first, a phrase that few
    records hold in their own words but many in their tags ("open data", a synonym of Wikidata)
    reads both words' whole lists, at any bound, and that grows with the registry. Sorting at most
    ``:scan_limit`` ids costs little (``+ 0``: by the value, so the sort is ours, not FTS5's)."""
    below = "" if high is None else f" AND rowid < {high}"
    return (
        "SELECT w.id FROM (SELECT rowid AS id FROM partnerships_fts"
        f" WHERE partnerships_fts MATCH :own_{parameter} AND rowid >= {low}{below}"
        " ORDER BY rowid + 0 DESC LIMIT :scan_limit) w"
        " CROSS JOIN partnerships q ON q.id = w.id WHERE q.guild_id = :guild"
    )


def _newest_partnerships(parameter: str) -> str:
    """The server's newest ``:hit_limit`` partnerships whose own words match ``:{parameter}``,
    looked for among the index's newest ``:scan_limit`` records that match it anywhere: first among
    the newest ``:near_limit`` (enough when the words are common in records' own words), then the
    rest. The two parts come in that order and SQLite stops at the limit, so the second part is
    only read when the first did not fill it (a test holds the newest-first order)."""
    near, far = _floor(parameter, ":near_limit"), _floor(parameter, ":scan_limit")
    return (
        f"{_own_words_between(parameter, near, None)}"
        f" UNION ALL {_own_words_between(parameter, far, near)}"
        " LIMIT :hit_limit"
    )


def _newest_declarations(parameter: str) -> str:
    """The server's newest ``:hit_limit`` declarations whose area or note match ``:{parameter}``."""
    return (
        "SELECT expertise_fts.rowid AS id FROM expertise_fts"
        " CROSS JOIN member_expertise q ON q.id = expertise_fts.rowid"
        f" WHERE expertise_fts MATCH :{parameter} AND q.guild_id = :guild"
        " ORDER BY expertise_fts.rowid DESC LIMIT :hit_limit"
    )


def _ways(query: EvidenceQuery) -> list[tuple[str, int | None, str]]:
    """The query's full-text ways of matching: (parameter, facet index or None for the leftover
    words, FTS5 expression)."""
    ways: list[tuple[str, int | None, str]] = [
        (f"named{index}", index, facet.text) for index, facet in enumerate(query.facets)
    ]
    return ways + ([("loose", None, query.loose)] if query.loose else [])


def _text_hits(query: EvidenceQuery, newest: Callable[[str], str]) -> str:
    """SQL rows (id, facet) of every full-text way, each bounded by ``newest``."""
    parts = [
        f"SELECT id, {'NULL' if facet is None else facet} FROM ({newest(name)})"
        for name, facet, _ in _ways(query)
    ]
    return " UNION ALL ".join(parts) or "SELECT NULL, NULL WHERE 0"


# --- SQL, built for the number of facets ----------------------------------------------------

_WANTED = """
wanted_areas(area, facet) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:areas)
),
wanted_types(type, facet) AS (
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(:types)
)"""


def _facet_bits(facets: int, facet_column: str) -> str:
    """SQL for a bitmask of the facets a grouped row matched: bit i when some way matched facet i."""
    bits = " | ".join(f"(coalesce(max({facet_column} = {index}), 0) << {index})" for index in range(facets))
    return bits or "0"


_PARTNERSHIP_BITS = _bits_sql(
    ("core", CORE),
    ("precise", PRECISE),
    ("side", SIDE),
    ("active_at >= :recent_since", RECENT),
    ("active_at >= :fresh_since", FRESH),
    ("owner", OWNER),
    (_kind_sql("stage", STAGE_KINDS), 1 << KIND_SHIFT),
    ("facets", 1 << FACET_SHIFT),
)


def _partnerships_sql(query: EvidenceQuery) -> str:
    """Every matching partnership the viewer may see, once per owner and co-owner.

    Each way a partnership can match is one part of ``hits``, bounded to the server's newest
    ``:hit_limit`` partnerships (each partner type of a facet to its share, ``:type_limit``), so a
    word every record contains costs the same as a rare one; the counts the ranking uses are capped
    far below that anyway. Every bound applies after keeping to the server (CROSS JOIN keeps each
    index the outer loop, walked newest first). A match of the leftover words alone is loose.
    """
    return f"""
WITH {_WANTED},
text_hits(id, facet) AS ({_text_hits(query, _newest_partnerships)}),
hits(id, facet, core, precise, side) AS (
    SELECT id, facet, facet IS NOT NULL OR :loose_is_core, facet IS NOT NULL OR :loose_is_core,
           facet IS NULL AND NOT :loose_is_core
      FROM text_hits
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
matched AS MATERIALIZED (
    SELECT h.id, p.owner_id, p.stage, max(h.core) AS core, max(h.precise) AS precise,
           max(h.side) AS side, {_ACTIVE_AT} AS active_at,
           {_facet_bits(len(query.facets), "h.facet")} AS facets
      FROM hits h CROSS JOIN partnerships p ON p.id = h.id
     WHERE p.guild_id = :guild AND {_VISIBLE}
     GROUP BY h.id
),
holders AS (
    SELECT owner_id AS user_id, 1 AS owner, * FROM matched WHERE owner_id IS NOT NULL
    UNION ALL
    SELECT c.user_id, 0, m.* FROM matched m CROSS JOIN partnership_co_owners c ON c.partnership_id = m.id
)
SELECT user_id, id, {_PARTNERSHIP_BITS} AS bits FROM holders
"""


def _declarations_sql(query: EvidenceQuery) -> str:
    """Every matching declaration of the server."""
    return f"""
WITH {_WANTED},
text_hits(id, facet) AS ({_text_hits(query, _newest_declarations)}),
noted(id, facet, core) AS (
    SELECT e.id, w.facet, 1
      FROM wanted_areas w CROSS JOIN member_expertise e ON e.id IN (
           SELECT id FROM member_expertise WHERE guild_id = :guild AND area = w.area
            ORDER BY updated_at DESC LIMIT :hit_limit)
    UNION ALL
    SELECT id, facet, facet IS NOT NULL OR :loose_is_core FROM text_hits
)
SELECT e.user_id, e.id, {
        _bits_sql(
            ("max(n.core)", CORE),
            ("e.updated_at >= :fresh_since", FRESH),
            (_kind_sql("e.level", LEVEL_KINDS), 1 << KIND_SHIFT),
            (_facet_bits(len(query.facets), "n.facet"), 1 << FACET_SHIFT),
        )
    } AS bits
  FROM noted n CROSS JOIN member_expertise e ON e.id = n.id
 WHERE e.guild_id = :guild
 GROUP BY n.id
"""


# How many clinics in the wanted areas credited each person (issue 5), read from the tallies the
# triggers keep: each person's few rows, checked against the wanted areas (``+area``: not one key
# probe per wanted area, which are many, since every phrase of the query may be a member's own area).
_CLINIC_CREDITS_SQL = """
SELECT helper_id, sum(credits) AS credits FROM clinic_credit_tallies
 WHERE guild_id = :guild AND helper_id IN (SELECT value FROM json_each(:people))
   AND +area IN (SELECT json_extract(value, '$[0]') FROM json_each(:areas))
 GROUP BY helper_id
"""

# The fields each of ``:people`` shares and whether they take pings, for those the filters admit,
# in the order given. Profiles are optional: a person without one shares nothing. The filters only
# look at shared fields.
_SHARED_SQL = """
SELECT j.value AS user_id,
       CASE WHEN pr.share_affiliation THEN pr.affiliation END AS affiliation,
       CASE WHEN pr.share_region THEN pr.region END AS region,
       CASE WHEN pr.share_languages THEN pr.languages END AS languages,
       coalesce(av.available, 0) AS available
  FROM json_each(:people) j
  LEFT JOIN profiles pr ON pr.guild_id = :guild AND pr.user_id = j.value
  LEFT JOIN expertise_availability av ON av.guild_id = :guild AND av.user_id = j.value
 WHERE (:region IS NULL OR (pr.share_region AND pr.region LIKE :region ESCAPE '\\'))
   AND (:language IS NULL OR (pr.share_languages AND pr.languages LIKE :language ESCAPE '\\'))
   AND (NOT :affiliated_only OR (pr.share_affiliation AND trim(coalesce(pr.affiliation, '')) != ''))
 ORDER BY j.key
"""


def _query_params(guild_id: int, viewer: Viewer, query: EvidenceQuery, weighing: Weighing) -> dict[str, Any]:
    areas = [[area, index] for index, facet in enumerate(query.facets) for area in facet.areas]
    areas += [[area, -1] for area in query.free_areas]
    types = [[kind, index] for index, facet in enumerate(query.facets) for kind in facet.types]
    return {
        "guild": guild_id,
        "areas": json.dumps(areas),
        "types": json.dumps(types),
        **{name: text for name, _, text in _ways(query)},
        **{f"own_{name}": _own_words(text) for name, _, text in _ways(query)},
        "loose_is_core": int(query.names_nothing),
        "hit_limit": HIT_LIMIT,
        "scan_limit": SCAN_LIMIT,
        "near_limit": min(NEAR_LIMIT, SCAN_LIMIT),
        # A facet's partner types share one way's bound (GLAM names four types).
        "type_limit": HIT_LIMIT // max([1, *(len(facet.types) for facet in query.facets)]),
        "recent_since": to_storage(weighing.recent_since),
        "fresh_since": to_storage(weighing.fresh_since),
        **_viewer_params(viewer),
    }


def evidence_queries(
    guild_id: int, viewer: Viewer, query: EvidenceQuery, weighing: Weighing
) -> list[tuple[str, dict[str, Any]]]:
    """The SQL and parameters ``candidates`` runs (the query-plan test reads them too): matching
    declarations, matching partnerships, clinic credits, shared profile fields."""
    params = {
        **_query_params(guild_id, viewer, query, weighing),
        "people": "[]",
        "region": None,
        "language": None,
        "affiliated_only": 0,
    }
    return [
        (_declarations_sql(query), params),
        (_partnerships_sql(query), params),
        (_CLINIC_CREDITS_SQL, params),
        (_SHARED_SQL, params),
    ]


# --- from matching rows to each person's evidence --------------------------------------------

_FEATURE = {name: index for index, name in enumerate(FEATURES)}
_LOOSE, _SPECIFIC, _SIDE_WORDS, _RECENT = (
    _FEATURE[name] for name in ("loose", "specific", "side_words", "recent")
)


_HELD = {True: "owned", False: "co_owned"}
_STAGE_WORDS = {0: "early"} | {kind: stage.value for stage, kind in STAGE_KINDS.items()}  # as features say
_PARTNERSHIP_FLAGS = ((PRECISE, _SPECIFIC), (SIDE, _SIDE_WORDS), (RECENT, _RECENT))


def _partnership_features(bits: int) -> tuple[int, ...]:
    """The features one matching partnership adds to its person, from its low bits."""
    if not bits & CORE:
        return (_LOOSE,)
    stage = _STAGE_WORDS.get(bits >> KIND_SHIFT & 3, "early")
    held = _FEATURE[f"{_HELD[bool(bits & OWNER)]}_{stage}"]
    return (held, *(feature for flag, feature in _PARTNERSHIP_FLAGS if bits & flag))


def _declaration_features(bits: int) -> tuple[int, ...]:
    """The feature one matching declaration adds to its person: its level, or loose."""
    if not bits & CORE:
        return (_LOOSE,)
    return (_FEATURE[_LEVELS[min(bits >> KIND_SHIFT & 3, len(_LEVELS) - 1)].value],)


# Every possible low-bits value, looked up once per row in the hot loop.
_PARTNERSHIP_FEATURES = tuple(_partnership_features(bits) for bits in range(LOW_BITS + 1))
_DECLARATION_FEATURES = tuple(_declaration_features(bits) for bits in range(LOW_BITS + 1))


class _Counted:
    """One person's evidence so far, and its weighted, capped sum."""

    __slots__ = ("facets", "features", "fresh", "score")

    def __init__(self) -> None:
        self.features = [0] * len(FEATURES)
        self.score = 0.0
        self.facets = 0  # the facets their evidence covers, as bits
        self.fresh = False


class Tally:
    """Each person's ``Evidence`` for one query, counted from their matching rows, and its score.

    The score is the weighted sum of the features, each capped (the ranking module's ``score``),
    kept as the counts grow. A query has up to a thousand people with some evidence, so this is
    the hot loop of ``/expertise who``: each row is (user_id, id, bits), and its bits name the
    features it adds through a table made once.
    """

    def __init__(self, weights: Mapping[str, float], caps: Mapping[str, int]) -> None:
        self._weights = [weights.get(name, 0.0) for name in FEATURES]
        self._caps = [caps.get(name, math.inf) for name in FEATURES]
        self._people: dict[int, _Counted] = {}

    def _count(self, rows: Iterable[Sequence[int]], table: Sequence[tuple[int, ...]]) -> None:
        people, weights, caps = self._people, self._weights, self._caps
        for user_id, _, bits in rows:
            person = people.get(user_id)
            if person is None:
                person = people[user_id] = _Counted()
            person.facets |= bits >> FACET_SHIFT
            if bits & FRESH:
                person.fresh = True
            features = person.features
            for feature in table[bits & LOW_BITS]:
                if features[feature] < caps[feature]:
                    person.score += weights[feature]
                features[feature] += 1

    def count_declarations(self, rows: Iterable[Sequence[int]]) -> None:
        """Count rows of matching declarations: (user_id, declaration id, bits)."""
        self._count(rows, _DECLARATION_FEATURES)

    def count_partnerships(self, rows: Iterable[Sequence[int]]) -> None:
        """Count rows of matching partnerships: (user_id, partnership id, bits), once per holder."""
        self._count(rows, _PARTNERSHIP_FEATURES)

    def _set(self, person: _Counted, feature: int, value: int) -> None:
        """For features counted once per person (they start at 0)."""
        person.features[feature] = value
        person.score += self._weights[feature] * min(value, self._caps[feature])

    @property
    def people(self) -> list[int]:
        return list(self._people)

    def finish(self, clinic_credits: Mapping[int, int]) -> None:
        """Add what is counted per person rather than per row: facets covered, credits, freshness."""
        more_facets, clinics_helpful, recently_active = (
            _FEATURE[name] for name in ("more_facets", "clinics_helpful", "recently_active")
        )
        for user_id, person in self._people.items():  # most people have none of these
            if person.facets & (person.facets - 1):  # more than one bit
                self._set(person, more_facets, person.facets.bit_count() - 1)
            if user_id in clinic_credits:
                self._set(person, clinics_helpful, clinic_credits[user_id])
            if person.fresh:
                self._set(person, recently_active, 1)

    def ranked(self) -> list[int]:
        """Everyone counted, best score first (then by id, so the order is stable)."""
        return sorted(self._people, key=lambda user_id: (-self._people[user_id].score, user_id))

    def score(self, user_id: int) -> float:
        return self._people[user_id].score

    def evidence(self, user_id: int) -> Evidence:
        return Evidence(*self._people[user_id].features)


@dataclass(frozen=True)
class SharedFields:
    """What a person shares on their profile (``None`` or empty when hidden or unset)."""

    affiliation: str | None
    region: str | None
    languages: tuple[str, ...]
    available: bool


@dataclass(frozen=True)
class Found:
    """The strongest candidates, best first, and the matching rows behind everyone's scores."""

    candidates: list[Candidate]
    declaration_rows: Sequence[Sequence[int]]  # (user_id, declaration id, bits)
    partnership_rows: Sequence[Sequence[int]]  # (user_id, partnership id, bits), once per holder


# What the explanations show of the rows that matched, read only for the people shown. The
# partnerships go through the visibility rule again: their visibility may have changed since.
_DECLARATION_DETAILS_SQL = """
SELECT e.id, e.area, e.note FROM json_each(:ids) j CROSS JOIN member_expertise e ON e.id = j.value
 WHERE e.guild_id = :guild
"""
_PARTNERSHIP_DETAILS_SQL = f"""
SELECT p.id, p.name, p.stage, {_ACTIVE_AT} AS active_at
  FROM json_each(:ids) j CROSS JOIN partnerships p ON p.id = j.value
 WHERE p.guild_id = :guild AND {_VISIBLE}
"""


def explanations(
    declaration_rows: Iterable[Sequence[int]],
    declaration_details: Mapping[int, tuple[str, str]],
    partnership_rows: Iterable[Sequence[int]],
    partnership_details: Mapping[int, tuple[str, str, str]],
) -> tuple[list[MatchedDeclaration], list[MatchedPartnership]]:
    """The matched rows, with their details (declaration id → area, note; partnership id → name,
    stage, last activity), as the explanations use them: per person, core first, then the strongest
    level / the precise, active and latest partnerships. A row without details (deleted, or no
    longer visible, since it matched) is left out."""
    declared: list[MatchedDeclaration] = []
    for user_id, declaration_id, bits in declaration_rows:
        if declaration_id in declaration_details:
            area, note = declaration_details[declaration_id]
            level = _LEVELS[bits >> KIND_SHIFT & 3]
            core, fresh = bool(bits & CORE), bool(bits & FRESH)
            declared.append(MatchedDeclaration(user_id, area, level, note, core, fresh, bits >> FACET_SHIFT))
    declared.sort(key=lambda item: (item.user_id, not item.core, -LEVEL_KINDS[item.level], item.area))
    partnered: list[tuple[MatchedPartnership, str]] = []  # with the last activity, to sort by
    for user_id, partnership_id, bits in partnership_rows:
        if partnership_id in partnership_details:
            name, stage, active_at = partnership_details[partnership_id]
            flags = (bool(bits & flag) for flag in (OWNER, CORE, PRECISE, SIDE, RECENT, FRESH))
            record = MatchedPartnership(
                user_id, partnership_id, name, Stage(stage), *flags, facets=bits >> FACET_SHIFT
            )
            partnered.append((record, active_at))
    partnered.sort(key=lambda pair: pair[0].partnership_id)  # sorts are stable: the last key leads
    partnered.sort(key=lambda pair: pair[1], reverse=True)  # latest activity
    partnered.sort(
        key=lambda pair: (
            pair[0].user_id,
            not pair[0].core,
            not pair[0].precise,
            pair[0].stage is not Stage.ACTIVE,
        )
    )
    return declared, [record for record, _ in partnered]


def explanation_queries(
    guild_id: int, viewer: Viewer, declaration_ids: Sequence[int], partnership_ids: Sequence[int]
) -> list[tuple[str, dict[str, Any]]]:
    """The SQL and parameters ``explained`` runs: the declarations' details, the partnerships'."""
    params = {"guild": guild_id, **_viewer_params(viewer)}
    return [
        (_DECLARATION_DETAILS_SQL, {**params, "ids": json.dumps(list(declaration_ids))}),
        (_PARTNERSHIP_DETAILS_SQL, {**params, "ids": json.dumps(list(partnership_ids))}),
    ]


async def explained(
    database: Database, guild_id: int, viewer: Viewer, found: Found, user_ids: Collection[int]
) -> tuple[list[MatchedDeclaration], list[MatchedPartnership]]:
    """The declarations and partnerships behind these people's scores, to explain them
    (``explanations``): their names, areas and notes are read here, for these people only."""
    declaration_rows = [row for row in found.declaration_rows if row[0] in user_ids]
    partnership_rows = [row for row in found.partnership_rows if row[0] in user_ids]
    statements = explanation_queries(
        guild_id, viewer, [row[1] for row in declaration_rows], [row[1] for row in partnership_rows]
    )

    def read(connection: sqlite3.Connection) -> list[list[sqlite3.Row]]:
        return [connection.execute(sql, params).fetchall() for sql, params in statements]

    declarations, partnerships = await database.read_at_once(read)
    return explanations(
        declaration_rows,
        {row["id"]: (row["area"], row["note"]) for row in declarations},
        partnership_rows,
        {row["id"]: (row["name"], row["stage"], row["active_at"]) for row in partnerships},
    )


def _containing(text: str | None) -> str | None:
    """A LIKE pattern for fields containing ``text`` (its own % and _ match only themselves)."""
    if text is None:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _admitted(
    connection: sqlite3.Connection,
    params: dict[str, Any],
    ranked: list[int],
    filters: PeopleFilter,
    wanted: int,
) -> dict[int, SharedFields]:
    """The shared fields of the first ``wanted`` people of ``ranked`` whom ``filters`` admit, in
    order. Read in growing batches: without filters the first batch is the answer, and a filter
    reads on only as far as it must."""
    filtering = {
        "region": _containing(filters.region),
        "language": _containing(filters.language),
        "affiliated_only": int(filters.affiliated_only),
    }
    admitted: dict[int, SharedFields] = {}
    start, batch = 0, wanted
    while start < len(ranked) and len(admitted) < wanted:
        people = json.dumps(ranked[start : start + batch])
        for row in connection.execute(_SHARED_SQL, {**params, **filtering, "people": people}):
            admitted[row["user_id"]] = SharedFields(
                affiliation=(row["affiliation"] or "").strip() or None,
                region=row["region"] or None,
                languages=tuple(part for part in (row["languages"] or "").split(",") if part),
                available=bool(row["available"]),
            )
        start, batch = start + batch, batch * 2
    return admitted


def _strongest(
    connection: sqlite3.Connection,
    statements: list[tuple[str, dict[str, Any]]],
    filters: PeopleFilter,
    weighing: Weighing,
) -> Found:
    """``candidates``' reads and counting, on the database's thread (``Database.read_at_once``)."""
    params = statements[0][1]
    tally = Tally(weighing.weights, weighing.caps)
    declared = connection.execute(*statements[0]).fetchall()
    partnered = connection.execute(*statements[1]).fetchall()
    tally.count_declarations(declared)
    tally.count_partnerships(partnered)
    people = json.dumps(tally.people)
    credits = connection.execute(_CLINIC_CREDITS_SQL, {**params, "people": people})
    tally.finish({row["helper_id"]: row["credits"] for row in credits})
    shared = _admitted(connection, params, tally.ranked(), filters, weighing.limit)
    kept = list(shared)[: weighing.limit]
    return Found(
        [
            Candidate(
                user_id,
                tally.evidence(user_id),
                tally.score(user_id),
                shared[user_id].affiliation,
                shared[user_id].region,
                shared[user_id].languages,
                shared[user_id].available,
            )
            for user_id in kept
        ],
        declared,
        partnered,
    )


async def candidates(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    query: EvidenceQuery,
    filters: PeopleFilter,
    weighing: Weighing,
) -> Found:
    """The people with the strongest evidence for ``query``, best first, at most ``weighing.limit``,
    with the matching declarations and partnerships that explain them. Read and counted in one trip
    to the database's thread: a broad question is five or more statements."""
    statements = evidence_queries(guild_id, viewer, query, weighing)
    return await database.read_at_once(
        partial(_strongest, statements=statements, filters=filters, weighing=weighing)
    )
