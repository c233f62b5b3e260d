"""The words that name each area and each partner type, as loaded into ``expertise_terms``.

Areas bring their slug, label, short label and synonyms from the taxonomy file. Partner types are
fixed by the registry's schema, so their everyday names live here: "museums" then finds museum
partnerships even when neither the name nor the tags say "museum" (the Rijksmuseum, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from cogs.expertise._query import words
from core.vocabulary import PartnerType
from db.areas import Area
from db.expertise import Term

# Only words that name the type itself: "ministry" or "city council" are narrower than
# "government", so they find government partnerships through the area and the partnership's words,
# not by making every government partnership look like a precise match.
TYPE_TERMS: dict[PartnerType, tuple[str, ...]] = {
    PartnerType.MUSEUM: ("museum", "museums", "glam"),
    PartnerType.LIBRARY: ("library", "libraries", "glam"),
    PartnerType.ARCHIVE: ("archive", "archives", "glam"),
    PartnerType.GALLERY: ("gallery", "galleries", "glam"),
    PartnerType.UNIVERSITY: ("university", "universities"),
    PartnerType.SCHOOL: ("school", "schools"),
    PartnerType.IGO: ("igo", "igos", "ingo", "ingos", "intergovernmental organisation"),
    PartnerType.GOVERNMENT: ("government", "public body", "public bodies", "public sector"),
    PartnerType.NGO: ("ngo", "ngos", "non-profit", "nonprofit"),
    PartnerType.AFFILIATE: ("affiliate", "affiliates", "wikimedia affiliate"),
    PartnerType.FUNDER: ("funder", "funders"),
    PartnerType.COMPANY: ("company", "companies", "business", "businesses"),
}


def short_label(area: Area) -> str:
    """The label without its explanation: "GLAM (galleries, …)" → "GLAM"."""
    return area.label.split(" (", 1)[0]


def area_terms(area: Area) -> list[str]:
    return list(dict.fromkeys([area.slug.replace("-", " "), area.label, short_label(area), *area.synonyms]))


def term_rows(taxonomy: Iterable[Area]) -> list[Term]:
    rows = [Term("area", area.slug, term) for area in taxonomy for term in area_terms(area)]
    rows += [Term("type", kind.value, term) for kind, terms in TYPE_TERMS.items() for term in terms]
    return rows


SUGGESTIONS = 3
# rapidfuzz ratio, 0–100: "musem" → "museum" scores 91, "editathons" → "editathon" 95; below 75
# the "suggestions" were unrelated words that happen to share letters.
SUGGESTION_CUTOFF = 75


def nearest_areas(text: str, taxonomy: Sequence[Area], *, limit: int = SUGGESTIONS) -> list[Area]:
    """The areas whose names look most like the query or one of its words (typos, spellings)."""
    choices = {(index, term): term for index, area in enumerate(taxonomy) for term in area_terms(area)}
    probes = [text.casefold()] + [word.text for word in words(text) if not word.stop and len(word.text) >= 3]
    best: dict[int, float] = {}
    for probe in probes:
        for _term, similarity, (index, _) in process.extract(
            probe, choices, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=None
        ):
            best[index] = max(best.get(index, 0.0), similarity)
    ranked = sorted(best, key=lambda index: (-best[index], taxonomy[index].label))
    return [taxonomy[index] for index in ranked[:limit]]
