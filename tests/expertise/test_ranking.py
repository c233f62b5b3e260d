"""The ranking arithmetic and explanations, without Discord or a database."""

from __future__ import annotations

from datetime import UTC, datetime

from cogs.expertise import _ranking as ranking
from core.vocabulary import Stage
from db.expertise import ExpertiseLevel
from db.expertise_evidence import FEATURES, Candidate, Evidence, MatchedDeclaration, MatchedPartnership

LABELS = {"glam": "GLAM", "digitisation": "Digitisation", "wikidata": "Wikidata"}


def candidate(user_id: int, affiliation: str | None = None, **evidence: int) -> Candidate:
    facts = Evidence(**evidence)
    return Candidate(user_id, facts, ranking.score(facts), affiliation, None, (), False)


def partnership(
    user_id: int, partnership_id: int, stage: Stage = Stage.ACTIVE, *, core: bool = True
) -> MatchedPartnership:
    return MatchedPartnership(user_id, partnership_id, f"P{partnership_id}", stage, True, core, True)


def test_every_feature_has_a_weight_and_every_weight_a_feature() -> None:
    assert set(ranking.WEIGHTS) == set(FEATURES)
    assert set(ranking.CAPS) <= set(FEATURES)


def test_score_is_the_capped_weighted_sum() -> None:
    assert ranking.score(Evidence()) == 0
    assert ranking.score(Evidence(expert=1, owned_active=2, recent=2)) == 3.0 + 2 * 2.5 + 2 * 1.0
    # Declaring eight areas counts like declaring two.
    assert ranking.score(Evidence(expert=8)) == ranking.score(Evidence(expert=2)) == 6.0


def test_a_claim_alone_ranks_below_one_active_partnership() -> None:
    claim = Evidence(expert=1, recently_active=1)
    work = Evidence(owned_active=1, recent=1, recently_active=1)
    assert ranking.score(claim) < ranking.score(work)


def test_a_precise_partnership_counts_more_than_a_broad_tag() -> None:
    assert (
        ranking.score(Evidence(owned_active=1, specific=1)) > 2 * ranking.score(Evidence(owned_active=1)) - 1
    )


def test_weighing_carries_the_weights_and_the_time_windows() -> None:
    weighing = ranking.weighing(datetime(2026, 11, 20, tzinfo=UTC), limit=7)
    assert weighing.weights is ranking.WEIGHTS and weighing.caps is ranking.CAPS
    assert weighing.recent_since == datetime(2025, 11, 20, tzinfo=UTC)
    assert weighing.fresh_since == datetime(2026, 5, 24, tzinfo=UTC)
    assert weighing.limit == 7


def test_explanations_say_why_in_words() -> None:
    person = candidate(
        1, expert=2, practitioner=1, owned_active=2, owned_concluded=1, co_owned_early=1, clinics_helpful=3
    )
    declared = [
        MatchedDeclaration(1, "glam", ExpertiseLevel.EXPERT, "", True),
        MatchedDeclaration(1, "digitisation", ExpertiseLevel.EXPERT, "", True),
        MatchedDeclaration(1, "wikidata", ExpertiseLevel.PRACTITIONER, "", True),
        MatchedDeclaration(1, "oral history", ExpertiseLevel.LEARNING, "", False),  # loose: not a reason
    ]
    ranked = ranking.explain(
        person, declared, [partnership(1, 7), partnership(1, 8), partnership(1, 9)], LABELS
    )
    assert ranked.why == (
        "expert in GLAM and Digitisation",
        "practitioner in Wikidata",
        "owns 2 active, 1 concluded matching partnerships",
        "co-owns 1 in progress matching partnership",
        "credited in 3 clinics",
    )
    assert ranked.examples == ("P7", "P8")


def test_loose_only_evidence_is_described_as_such() -> None:
    ranked = ranking.explain(candidate(1, loose=2), [], [partnership(1, 5, core=False)], LABELS)
    assert ranked.why == ("some of the words you typed appear in 2 notes or partnerships",)
    assert ranked.examples == ("P5",)


def test_rank_people_drops_members_who_left_and_orders_by_score() -> None:
    people = [candidate(1, expert=1), candidate(2, owned_active=3), candidate(3, owned_active=4)]
    ranked = ranking.rank_people(people, [], [], LABELS, is_present=lambda user: user != 3, limit=5)
    assert [person.user_id for person in ranked] == [2, 1]
    assert ranking.present_people(people, lambda user: user != 1, 1) == [2]


def test_affiliates_are_grouped_by_spelling_and_shared_partnerships_count_once() -> None:
    people = [
        candidate(1, "Wikimedia Kenya", owned_active=1),
        candidate(2, " wikimedia  kenya", owned_active=1, co_owned_active=1),
        candidate(3, "WM Peru", expert=1),
        candidate(4, None, owned_active=4),
    ]
    ranked = ranking.rank_people(people, [], [], LABELS, is_present=lambda user: True, limit=10)
    shared = [partnership(1, 10), partnership(2, 10), partnership(2, 11, Stage.CONCLUDED)]
    groups = ranking.group_by_affiliation(ranked, shared)
    assert [(group.name, len(group.people), sorted(group.partnerships)) for group in groups] == [
        ("Wikimedia Kenya", 2, [10, 11]),
        ("WM Peru", 1, []),
    ]
    assert groups[0].stage_counts() == "1 active, 1 concluded"
    assert groups[1].declared == 1


def test_affiliate_members_takes_the_strongest_affiliates_present() -> None:
    people = [candidate(index, f"Affiliate {index % 7}", owned_active=index % 7) for index in range(1, 70)]
    chosen = ranking.affiliate_members(people, is_present=lambda user: user != 6)
    affiliations = {f"Affiliate {user % 7}" for user in chosen}
    assert affiliations == {f"Affiliate {rest}" for rest in (6, 5, 4, 3, 2)}
    assert 6 not in chosen
    assert len(chosen) == 5 * ranking.MEMBERS_PER_AFFILIATE
