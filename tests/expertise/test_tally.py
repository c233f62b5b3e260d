"""Counting each person's evidence from matching rows, and ordering them, without a database."""

from __future__ import annotations

from cogs.expertise import _ranking as ranking
from core.vocabulary import Stage
from db.expertise import ExpertiseLevel
from db.expertise_evidence import (
    CORE,
    FACET_SHIFT,
    FRESH,
    KIND_SHIFT,
    LEVEL_KINDS,
    OWNER,
    PRECISE,
    RECENT,
    SIDE,
    STAGE_KINDS,
    Evidence,
    MatchedDeclaration,
    MatchedPartnership,
    Tally,
    explanations,
)

FACET_0, FACET_1 = 0b01, 0b10


def declaration(
    user_id: int,
    declaration_id: int,
    level: str,
    *,
    core: bool = True,
    fresh: bool = False,
    facets: int = FACET_0,
) -> tuple[int, int, int]:
    """A row as the declarations statement returns it: (user_id, declaration id, bits)."""
    bits = (CORE if core else 0) | (FRESH if fresh else 0)
    bits |= LEVEL_KINDS[ExpertiseLevel(level)] << KIND_SHIFT
    return (user_id, declaration_id, bits | facets << FACET_SHIFT)


def partnership(  # one argument per flag the statement packs
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
) -> tuple[int, int, int]:
    """A row as the partnerships statement returns it: (user_id, partnership id, bits)."""
    flags = ((OWNER, owner), (CORE, core), (PRECISE, precise), (SIDE, side), (RECENT, recent), (FRESH, fresh))
    bits = sum(flag for flag, on in flags if on)
    bits |= STAGE_KINDS.get(Stage(stage), 0) << KIND_SHIFT
    return (user_id, partnership_id, bits | facets << FACET_SHIFT)


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
            declaration(1, 1, "expert", facets=FACET_0),
            declaration(1, 2, "learning", core=False, facets=0),  # a leftover word only
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
            declaration(5, 1, "expert"),
            declaration(3, 2, "expert"),
            declaration(4, 3, "learning"),
        ],
        [partnership(9, 1, "concluded")],
    )
    # 3 and 5: an expert declaration (3.0); 9: a concluded partnership (2.0); 4: learning (0.5).
    assert tally.ranked() == [3, 5, 9, 4]
    assert tally.people == [5, 3, 4, 9]


def test_explanations_put_the_strongest_evidence_first() -> None:
    declared, partnered = explanations(
        [
            declaration(1, 1, "learning"),
            declaration(1, 3, "practitioner"),
            declaration(1, 4, "expert", core=False),
            declaration(1, 5, "practitioner", fresh=True),
            declaration(1, 6, "practitioner"),  # its details are gone: deleted since it matched
        ],
        {
            1: ("wikidata", ""),
            3: ("glam", "Ran a GLAM project"),
            4: ("archives", ""),
            5: ("digitisation", ""),
        },
        [
            partnership(1, 30, "concluded", precise=True),
            partnership(1, 31, "active", core=False),
            partnership(1, 32, "active"),
            partnership(1, 33, "active", precise=True),
            partnership(1, 34, "active", precise=True, owner=False, recent=True),
            partnership(1, 35, "active", precise=True),
            partnership(1, 37, "active", precise=True),  # no longer visible: no details
        ],
        {
            30: ("P30", "concluded", "2026-03-01"),
            31: ("P31", "active", "2026-06-01"),
            32: ("P32", "active", "2026-01-01"),
            33: ("P33", "active", "2025-01-01"),
            34: ("P34", "active", "2026-02-01"),
            35: ("P35", "active", "2026-02-01"),
        },
    )
    assert [(item.area, item.level) for item in declared] == [
        ("digitisation", ExpertiseLevel.PRACTITIONER),
        ("glam", ExpertiseLevel.PRACTITIONER),
        ("wikidata", ExpertiseLevel.LEARNING),
        ("archives", ExpertiseLevel.EXPERT),  # not core: last
    ]
    # Core, then precise, then active, then the latest activity, then the lowest id.
    assert [item.partnership_id for item in partnered] == [34, 35, 33, 30, 32, 31]
    assert partnered[0] == MatchedPartnership(
        1, 34, "P34", Stage.ACTIVE, False, True, True, recent=True, facets=FACET_0
    )
    assert declared[0] == MatchedDeclaration(
        1, "digitisation", ExpertiseLevel.PRACTITIONER, "", True, fresh=True, facets=FACET_0
    )
    assert declared[1].note == "Ran a GLAM project"
