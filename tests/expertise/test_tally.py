"""Counting each person's evidence from matching rows, and ordering them, without a database."""

from __future__ import annotations

from cogs.expertise import _ranking as ranking
from core.vocabulary import Stage
from db.expertise import ExpertiseLevel
from db.expertise_evidence import Evidence, Found, MatchedDeclaration, MatchedPartnership, Tally

FACET_0, FACET_1 = 0b01, 0b10


def declaration(
    user_id: int, area: str, level: str, *, core: bool = True, fresh: bool = False, facets: int = FACET_0
) -> tuple[object, ...]:
    """A row as the declarations statement returns it: MatchedDeclaration's fields, in order."""
    return (user_id, area, level, "", int(core), int(fresh), facets)


def partnership(  # one argument per column, as the statement returns them
    user_id: int,
    partnership_id: int,
    stage: str = "active",
    *,
    owner: bool = True,
    core: bool = True,
    precise: bool = False,
    side: bool = False,
    recent: bool = False,
    fresh: bool = False,
    facets: int = FACET_0,
    active_at: str = "2026-01-01T00:00:00+00:00",
) -> tuple[object, ...]:
    """A row as the partnerships statement returns it: MatchedPartnership's fields, then active_at."""
    flags = (owner, core, precise, side, recent, fresh)
    return (user_id, partnership_id, f"P{partnership_id}", stage, *map(int, flags), facets, active_at)


def counted(
    declarations: list[tuple[object, ...]],
    partnerships: list[tuple[object, ...]],
    credits: dict[int, int] | None = None,
) -> Tally:
    tally = Tally(ranking.WEIGHTS, ranking.CAPS)
    tally.count_declarations(declarations)
    tally.count_partnerships(partnerships)
    tally.finish(credits or {})
    return tally


def test_every_kind_of_row_lands_in_its_feature() -> None:
    tally = counted(
        [
            declaration(1, "glam", "expert", facets=FACET_0),
            declaration(1, "photos", "learning", core=False, facets=0),  # a leftover word only
        ],
        [
            partnership(1, 10, "active", precise=True, side=True, recent=True, facets=FACET_1),
            partnership(1, 11, "concluded", owner=False),
            partnership(1, 12, "negotiating"),
            partnership(1, 13, "on_hold", owner=False),
            partnership(1, 14, "active", core=False, fresh=True, facets=0),
        ],
        credits={1: 3},
    )
    assert tally.evidence(1) == Evidence(
        expert=1,
        owned_active=1,
        owned_early=1,
        co_owned_concluded=1,
        co_owned_early=1,
        specific=1,
        side_words=1,
        recent=1,
        loose=2,
        more_facets=1,  # facets 0 and 1 are both covered
        clinics_helpful=3,
        recently_active=1,
    )
    assert tally.score(1) == ranking.score(tally.evidence(1))


def test_the_score_kept_while_counting_respects_the_caps() -> None:
    tally = counted([], [partnership(1, number, precise=True) for number in range(7)])
    assert tally.evidence(1) == Evidence(owned_active=7, specific=7)
    assert tally.score(1) == 4 * 2.5 + 4 * 3.0  # both capped at 4
    assert tally.score(1) == ranking.score(tally.evidence(1))


def test_people_are_ranked_by_score_then_by_id() -> None:
    tally = counted(
        [
            declaration(5, "glam", "expert"),
            declaration(3, "glam", "expert"),
            declaration(4, "glam", "learning"),
        ],
        [partnership(9, 1, "concluded")],
    )
    # 3 and 5: an expert declaration (3.0); 9: a concluded partnership (2.0); 4: learning (0.5).
    assert tally.ranked() == [3, 5, 9, 4]
    assert tally.people == [5, 3, 4, 9]


def test_found_explains_only_the_people_asked_for_strongest_evidence_first() -> None:
    found = Found(
        [],
        [
            declaration(1, "wikidata", "learning"),
            declaration(2, "glam", "expert"),
            declaration(1, "glam", "practitioner"),
            declaration(1, "archives", "expert", core=False),
            declaration(1, "digitisation", "practitioner"),
        ],
        [
            partnership(1, 30, "concluded", precise=True, active_at="2026-03-01"),
            partnership(1, 31, "active", core=False, active_at="2026-06-01"),
            partnership(1, 32, "active", active_at="2026-01-01"),
            partnership(1, 33, "active", precise=True, active_at="2025-01-01"),
            partnership(1, 34, "active", precise=True, active_at="2026-02-01"),
            partnership(1, 35, "active", precise=True, active_at="2026-02-01"),
            partnership(2, 36, "active", precise=True),
        ],
    )
    declared, partnered = found.evidence_of({1})
    assert [(item.area, item.level) for item in declared] == [
        ("digitisation", ExpertiseLevel.PRACTITIONER),
        ("glam", ExpertiseLevel.PRACTITIONER),
        ("wikidata", ExpertiseLevel.LEARNING),
        ("archives", ExpertiseLevel.EXPERT),  # not core: last
    ]
    # Core, then precise, then active, then the latest activity, then the lowest id.
    assert [item.partnership_id for item in partnered] == [34, 35, 33, 30, 32, 31]
    assert partnered[0] == MatchedPartnership(1, 34, "P34", Stage.ACTIVE, True, True, True, facets=FACET_0)
    assert declared[0] == MatchedDeclaration(
        1, "digitisation", ExpertiseLevel.PRACTITIONER, "", True, facets=FACET_0
    )
