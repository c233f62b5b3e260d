"""How ``/expertise who`` ranks people, and how it explains each result. Discord-free.

A person's score is a weighted sum of their evidence for the query (``db.expertise_evidence.Evidence``):
what they declared, the partnerships they own or co-own in matching areas and types, the clinics
where they were credited as helpful, and how recent all of it is. Every weight is here, once; the
database module orders candidates with these same weights (``db.expertise_evidence.Tally`` keeps
the sum as it counts), and ``score`` below is the same sum, for explanations and tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.vocabulary import Stage
from db.expertise import ExpertiseLevel
from db.expertise_evidence import Candidate, Evidence, MatchedDeclaration, MatchedPartnership, Weighing

WEIGHTS: dict[str, float] = {
    # What members say about themselves. An expert declaration is worth a little less than one
    # active partnership in the area, so a claim alone never outranks someone who has visibly done
    # the work; a learner is listed, but below anyone with practice.
    "expert": 3.0,
    "practitioner": 2.0,
    "learning": 0.5,
    # Partnerships in matching areas or of a matching type. Active ones show current practice;
    # concluded ones count almost as much (the lessons are there); early or paused ones show intent
    # more than experience. Co-owners share the work, so they get less.
    "owned_active": 2.5,
    "owned_concluded": 2.0,
    "owned_early": 0.5,
    "co_owned_active": 1.5,
    "co_owned_concluded": 1.0,
    "co_owned_early": 0.25,
    # A partnership whose own words or partner type match ("library" for a library) is much closer
    # to the question than one that only carries the broad area tag (GLAM also covers museums): it
    # counts about twice as much.
    "specific": 3.0,
    # A matching partnership that also mentions the rest of the question ("course" in "university
    # course assignments") answers more of it.
    "side_words": 1.5,
    # Recent partnerships count more: knowledge fades and contacts change.
    "recent": 1.0,
    # A partnership or note that shares only a side word with the query ("photos" when asking about
    # licensing photos) is a hint, not evidence.
    "loose": 0.5,
    # Someone who covers several things the question names (MoU *and* museum) is the answer the
    # member hoped for; each facet beyond the first counts like a specific partnership.
    "more_facets": 3.0,
    # Peers credited them in a clinic: help the community has already vouched for.
    "clinics_helpful": 2.0,
    # Someone whose matching declarations or partnerships moved lately is likelier to answer.
    "recently_active": 1.0,
}

# Diminishing returns: past these counts more of the same adds nothing, so one prolific person
# (or someone who declares every area) can't bury everyone else.
CAPS: dict[str, int] = {
    "expert": 2,
    "practitioner": 2,
    "learning": 2,
    "owned_active": 4,
    "owned_concluded": 4,
    "owned_early": 3,
    "co_owned_active": 4,
    "co_owned_concluded": 4,
    "co_owned_early": 3,
    "specific": 4,
    "side_words": 4,
    "recent": 4,
    "loose": 4,
    "clinics_helpful": 5,
}

RECENT_DAYS = 365  # a partnership active within this window is "recent"
FRESH_DAYS = 180  # a person with matching activity within this window is "recently active"

PEOPLE_SHOWN = 5
PEOPLE_POOL = 50  # candidates read before dropping members who left; far more than are shown
AFFILIATES_SHOWN = 5
AFFILIATE_POOL = 150  # affiliates need more people: several may share one affiliation
MEMBERS_PER_AFFILIATE = 8  # an affiliate's strongest members; more adds nothing to the answer
EXAMPLES_SHOWN = 2  # partnership names quoted in an explanation

STAGE_WORDS = {Stage.ACTIVE: "active", Stage.CONCLUDED: "concluded"}
EARLY_WORD = "in progress"


def score(
    evidence: Evidence, weights: Mapping[str, float] = WEIGHTS, caps: Mapping[str, int] = CAPS
) -> float:
    """The weighted, capped sum of the evidence (the database computes the same for ordering)."""
    total = 0.0
    for name, weight in weights.items():
        value = getattr(evidence, name)
        total += weight * (min(value, caps[name]) if name in caps else value)
    return total


def weighing(now: datetime, *, limit: int) -> Weighing:
    """How the database should order candidates for a query asked at ``now``."""
    return Weighing(
        weights=WEIGHTS,
        caps=CAPS,
        recent_since=now - timedelta(days=RECENT_DAYS),
        fresh_since=now - timedelta(days=FRESH_DAYS),
        limit=limit,
    )


@dataclass(frozen=True)
class RankedPerson:
    candidate: Candidate
    score: float
    why: tuple[str, ...]  # short phrases, joined with " · " when shown
    examples: tuple[str, ...]  # names of matching partnerships the viewer may see

    @property
    def user_id(self) -> int:
        return self.candidate.user_id


@dataclass
class AffiliateGroup:
    name: str
    spellings: list[str] = field(default_factory=list)  # as each member wrote it
    score: float = 0.0
    people: list[RankedPerson] = field(default_factory=list)
    partnerships: dict[int, MatchedPartnership] = field(default_factory=dict)
    declared: int = 0  # members with a matching declaration

    def stage_counts(self) -> str:
        return _stage_counts(record.stage for record in self.partnerships.values())


def _stage_counts(stages: Iterable[Stage]) -> str:
    counts: dict[str, int] = {}
    for stage in stages:
        word = STAGE_WORDS.get(stage, EARLY_WORD)
        counts[word] = counts.get(word, 0) + 1
    order = [*STAGE_WORDS.values(), EARLY_WORD]
    return ", ".join(f"{counts[word]} {word}" for word in order if word in counts)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def declared_phrases(declared: Sequence[MatchedDeclaration], labels: Mapping[str, str]) -> list[str]:
    """ "expert in GLAM and Wikidata", "learning Copyright": strongest level first."""
    phrases = []
    for level, wording in (
        (ExpertiseLevel.EXPERT, "expert in"),
        (ExpertiseLevel.PRACTITIONER, "practitioner in"),
        (ExpertiseLevel.LEARNING, "learning"),
    ):
        names = [labels.get(item.area, item.area) for item in declared if item.level is level and item.core]
        if names:
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            phrases.append(f"{wording} {joined}")
    return phrases


def partnership_phrases(evidence: Evidence) -> list[str]:
    """ "owns 2 active, 1 concluded matching partnerships", "co-owns 1 in progress"."""
    phrases = []
    for verb, counts in (
        ("owns", (evidence.owned_active, evidence.owned_concluded, evidence.owned_early)),
        ("co-owns", (evidence.co_owned_active, evidence.co_owned_concluded, evidence.co_owned_early)),
    ):
        words = [
            f"{count} {word}"
            for count, word in zip(counts, ("active", "concluded", EARLY_WORD), strict=True)
            if count
        ]
        if words:
            noun = "matching partnership" if sum(counts) == 1 else "matching partnerships"
            phrases.append(f"{verb} {', '.join(words)} {noun}")
    return phrases


def explain(
    candidate: Candidate,
    declared: Sequence[MatchedDeclaration],
    partnered: Sequence[MatchedPartnership],
    labels: Mapping[str, str],
) -> RankedPerson:
    evidence = candidate.evidence
    why = declared_phrases(declared, labels) + partnership_phrases(evidence)
    if evidence.clinics_helpful:
        why.append(f"credited in {_plural(evidence.clinics_helpful, 'clinic')}")
    if evidence.loose and not why:
        places = "a note or partnership" if evidence.loose == 1 else f"{evidence.loose} notes or partnerships"
        why.append(f"some of the words you typed appear in {places}")
    core = [record.name for record in partnered if record.core]
    examples = tuple(dict.fromkeys(core or [record.name for record in partnered]))[:EXAMPLES_SHOWN]
    return RankedPerson(candidate, score(evidence), tuple(why), examples)


def rank_people(
    candidates: Sequence[Candidate],
    declared: Sequence[MatchedDeclaration],
    partnered: Sequence[MatchedPartnership],
    labels: Mapping[str, str],
    *,
    is_present: Callable[[int], bool],
    limit: int,
) -> list[RankedPerson]:
    """The best ``limit`` people still in the server, best first, each with the reasons."""
    by_user_declared: dict[int, list[MatchedDeclaration]] = {}
    for item in declared:
        by_user_declared.setdefault(item.user_id, []).append(item)
    by_user_partnered: dict[int, list[MatchedPartnership]] = {}
    for record in partnered:
        by_user_partnered.setdefault(record.user_id, []).append(record)
    ranked = [
        explain(
            candidate,
            by_user_declared.get(candidate.user_id, []),
            by_user_partnered.get(candidate.user_id, []),
            labels,
        )
        for candidate in candidates
        if is_present(candidate.user_id)
    ]
    ranked.sort(key=lambda person: (-person.score, person.user_id))
    return ranked[:limit]


def present_people(
    candidates: Sequence[Candidate], is_present: Callable[[int], bool], limit: int
) -> list[int]:
    """Ids of the first ``limit`` candidates still in the server (whose evidence we then explain)."""
    return [candidate.user_id for candidate in candidates if is_present(candidate.user_id)][:limit]


def affiliation_key(name: str) -> str:
    return " ".join(name.casefold().split())


def affiliate_members(candidates: Sequence[Candidate], is_present: Callable[[int], bool]) -> list[int]:
    """The members (still in the server) of the affiliates with the strongest combined evidence."""
    members: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.affiliation and is_present(candidate.user_id):
            group = members.setdefault(affiliation_key(candidate.affiliation), [])
            if len(group) < MEMBERS_PER_AFFILIATE:
                group.append(candidate)
    strongest = sorted(members.items(), key=lambda item: (-sum(c.score for c in item[1]), item[0]))
    return [candidate.user_id for _, group in strongest[:AFFILIATES_SHOWN] for candidate in group]


def group_by_affiliation(
    people: Sequence[RankedPerson], partnered: Sequence[MatchedPartnership]
) -> list[AffiliateGroup]:
    """Affiliates ranked by their members' combined scores; a shared partnership counts once."""
    groups: dict[str, AffiliateGroup] = {}
    affiliation_of: dict[int, str] = {}
    for person in people:
        name = person.candidate.affiliation
        if not name:
            continue
        key = affiliation_key(name)
        group = groups.setdefault(key, AffiliateGroup(name=name))
        group.spellings.append(name)
        group.score += person.score
        group.people.append(person)
        evidence = person.candidate.evidence
        if evidence.expert or evidence.practitioner or evidence.learning:  # core declarations only
            group.declared += 1
        affiliation_of[person.user_id] = key
    for record in partnered:
        key = affiliation_of.get(record.user_id)
        if key is not None and record.core:
            groups[key].partnerships.setdefault(record.partnership_id, record)
    for group in groups.values():
        # Shown as most members write it; on a tie, the spelling with capitals ("Wikimedia Kenya").
        group.name = max(
            group.spellings, key=lambda name: (group.spellings.count(name), name != name.lower())
        )
    return sorted(groups.values(), key=lambda group: (-group.score, group.name.casefold()))
