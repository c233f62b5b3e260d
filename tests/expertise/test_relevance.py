"""The relevance suite: a synthetic community of 36 members and 66 partnerships, and 27 questions
written as members ask them before the ranking was tuned. Precision@3 counts how many of the top
three people are ones the question's author would be glad to be sent to (out of three, or out of
all the expected people when fewer than three are expected).

Overall 0.86 when written. Where ranking is still weak (the lowest-scoring questions):
- broad area evidence competes with narrower questions ("libraries" puts a GLAM expert second);
- a rare facet isn't weighted above a common one ("MoU with a museum": the MoU expert ranks below
  museum people);
- a member with claims but no evidence can reach third place in thin areas;
- "Wiki Loves Monuments" scores 0.33 partly because the expected answers, written before tuning,
  missed that nadia co-owns WLM Indonesia; they are left as written, so the number stays honest.
"""

from __future__ import annotations

import pytest
from simcord.actors import MemberActor

from cogs.expertise import _ranking as ranking
from cogs.expertise._search import understand, who
from db import expertise_evidence as evidence
from db.expertise import PeopleFilter
from db.partnerships import Viewer
from tests.conftest import Community
from tests.expertise.helpers import add_people, add_records
from tests.expertise.relevance_community import PEOPLE, QUESTIONS, RECORDS, Question

TARGET = 0.8


@pytest.fixture
async def town(community: Community) -> dict[str, MemberActor]:
    actors = await add_people(community, PEOPLE)
    await add_records(community, RECORDS, actors)
    for person in PEOPLE:
        if person.leaves:
            community.guild.remove_member(actors[person.handle])
    return actors


async def top_handles(community: Community, actors: dict[str, MemberActor], question: Question) -> list[str]:
    """The ranked handles a plain member (mina, who owns nothing) gets for the question."""
    handle_of = {actor.id: handle for handle, actor in actors.items()}
    guild = community.bot.get_guild(community.guild.id)
    assert guild is not None
    answer = await who(
        community.bot.database,
        community.guild.id,
        Viewer(community.member.id, is_coordinator=False),
        question.query,
        PeopleFilter(),
        now=community.clock(),
        is_present=lambda user_id: guild.get_member(user_id) is not None,
    )
    return [handle_of[person.user_id] for person in answer.people]


def precision_at_3(ranked: list[str], expected: frozenset[str]) -> float:
    return len(set(ranked[:3]) & expected) / min(3, len(expected))


async def test_the_community_is_big_enough() -> None:
    assert len(PEOPLE) >= 30
    assert len(RECORDS) >= 60
    assert len(QUESTIONS) >= 20
    handles = {person.handle for person in PEOPLE}
    assert all(question.expected <= handles for question in QUESTIONS)


async def test_precision_at_3_overall(community: Community, town: dict[str, MemberActor]) -> None:
    scores = {}
    for question in QUESTIONS:
        ranked = await top_handles(community, town, question)
        assert "emeka" not in ranked, question.query  # left the server
        scores[question.query] = precision_at_3(ranked, question.expected)
    overall = sum(scores.values()) / len(scores)
    weakest = sorted(scores.items(), key=lambda item: item[1])[:5]
    assert overall >= TARGET, f"precision@3 {overall:.2f}; weakest: {weakest}"


async def test_a_few_questions_through_the_real_command(
    community: Community, town: dict[str, MemberActor]
) -> None:
    asker = community.member  # mina: a plain member who owns nothing
    expected_top = {
        "museums": ["amara", "bruno", "tomas"],
        "UNESCO": ["priya", "greta"],
        "freedom of panorama": ["elena", "zanele"],
    }
    for query, names in expected_top.items():
        result = await asker.slash(community.general, "expertise who", query=query)
        shown = [field.name.split(". ", 1)[1] for field in result.response.embeds[0].fields]
        assert shown[: len(names)] == names, query
        assert "emeka" not in shown  # a UNESCO expert too, but he left the server


async def test_candidates_come_ordered_by_the_ranking_modules_score(
    community: Community, town: dict[str, MemberActor]
) -> None:
    viewer = Viewer(community.member.id, is_coordinator=False)
    weighing = ranking.weighing(community.clock(), limit=100)
    for question in QUESTIONS:
        understood = await understand(community.bot.database, question.query)
        found = await evidence.candidates(
            community.bot.database, community.guild.id, viewer, understood.evidence, PeopleFilter(), weighing
        )
        assert found.candidates, question.query
        assert [candidate.score for candidate in found.candidates] == [
            ranking.score(candidate.evidence) for candidate in found.candidates
        ]
        scores = [candidate.score for candidate in found.candidates]
        assert scores == sorted(scores, reverse=True)
