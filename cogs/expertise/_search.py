"""Answering "who knows X?": understand the words, gather the evidence, rank, explain. Discord-free.

The cog calls ``who``; the relevance suite calls it too, so what is measured is what members get.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cogs.expertise import _query as query_words
from cogs.expertise import _ranking as ranking
from cogs.expertise._terms import nearest_areas, short_label
from core.errors import UserError
from db import areas, expertise
from db import expertise_evidence as evidence
from db.areas import Area
from db.database import Database
from db.expertise import PeopleFilter, Probe
from db.expertise_evidence import EvidenceQuery, Facet
from db.partnerships import Viewer


@dataclass(frozen=True)
class Understood:
    """What the query was taken to mean."""

    area_slugs: tuple[str, ...]  # taxonomy areas it names
    evidence: EvidenceQuery


@dataclass(frozen=True)
class WhoAnswer:
    text: str
    understood: Understood
    people: list[ranking.RankedPerson] = field(default_factory=list)
    affiliates: list[ranking.AffiliateGroup] = field(default_factory=list)
    nearest: list[Area] = field(default_factory=list)  # suggestions when nothing was found

    @property
    def found(self) -> bool:
        return bool(self.people or self.affiliates)


async def understand(database: Database, text: str) -> Understood:
    """Match the query's phrases to areas and partner types, and build the free-text searches."""
    words = query_words.words(text)
    if not query_words.has_topic(words):
        raise UserError(
            "Tell me a topic to look for, for example `museums`, `Wikidata` or `UNESCO`"
            " (words like “who” or “partnership” alone don't narrow it down)."
        )
    spans = query_words.phrases(words)
    by_position = {(span.start, span.length): span for span in spans}
    hits = await expertise.match_terms(
        database, [Probe(span.start, span.length, query_words.starts_with(span.text)) for span in spans]
    )
    # A hit counts only when the phrase is the whole term ("open access", not the "open" of it).
    whole = [hit for hit in hits if query_words.word_count(hit.term) == hit.length]
    named = query_words.cover(by_position[(hit.start, hit.length)] for hit in whole)
    # Phrases that name the same areas and types are one facet ("indigenous languages").
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for span in named:
        found = [hit for hit in whole if (hit.start, hit.length) == (span.start, span.length)]
        key = (
            tuple(sorted({hit.key for hit in found if hit.kind == "area"})),
            tuple(sorted({hit.key for hit in found if hit.kind == "type"})),
        )
        grouped.setdefault(key, []).append(span.text)
    facets = [
        Facet(areas=areas_named, types=types_named, text=query_words.any_of(texts) or "")
        for (areas_named, types_named), texts in grouped.items()
    ]
    loose = query_words.leftover(words, named)
    return Understood(
        tuple(dict.fromkeys(slug for facet in facets for slug in facet.areas)),
        EvidenceQuery(
            facets=tuple(facets),
            # Members' own areas and free partnership tags are matched exactly by any phrase.
            free_areas=tuple(dict.fromkeys(span.text for span in spans)),
            loose=query_words.any_of(loose),
        ),
    )


def area_labels(taxonomy: Sequence[Area]) -> dict[str, str]:
    return {area.slug: short_label(area) for area in taxonomy}


async def who(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    text: str,
    filters: PeopleFilter,
    *,
    now: datetime,
    is_present: Callable[[int], bool],
    by_affiliation: bool = False,
) -> WhoAnswer:
    understood = await understand(database, text)
    pool = ranking.AFFILIATE_POOL if by_affiliation else ranking.PEOPLE_POOL
    found = await evidence.candidates(
        database, guild_id, viewer, understood.evidence, filters, ranking.weighing(now, limit=pool)
    )
    taxonomy = await areas.all_areas(database)
    if by_affiliation:
        user_ids = ranking.affiliate_members(found.candidates, is_present)
    else:
        user_ids = ranking.present_people(found.candidates, is_present, ranking.PEOPLE_SHOWN)
    if not user_ids:
        return WhoAnswer(text, understood, nearest=nearest_areas(text, taxonomy))
    wanted = set(user_ids)
    declared, partnered = await evidence.explained(database, guild_id, viewer, found, wanted)
    people = ranking.rank_people(
        [candidate for candidate in found.candidates if candidate.user_id in wanted],
        declared,
        partnered,
        area_labels(taxonomy),
        is_present=is_present,
        limit=len(user_ids),
    )
    if not by_affiliation:
        return WhoAnswer(text, understood, people=people)
    groups = ranking.group_by_affiliation(people, partnered)
    return WhoAnswer(text, understood, affiliates=groups)
