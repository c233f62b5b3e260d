"""The full-text lookups behind /expertise who stay bounded: a partnership's own words are looked for
among the newest records that hold the words anywhere, tags included."""

from __future__ import annotations

import pytest

from cogs.expertise import _ranking as ranking
from cogs.expertise._search import understand
from core.vocabulary import PartnerType
from db import expertise_evidence
from db.expertise import PeopleFilter
from db.partnerships import Viewer
from tests.conftest import Community
from tests.expertise.helpers import record


async def lighthouse_matches(community: Community) -> set[int]:
    """The partnerships /expertise who counts for "lighthouse", asked by the first member."""
    query = (await understand(community.bot.database, "lighthouse")).evidence
    found = await expertise_evidence.candidates(
        community.bot.database,
        community.guild.id,
        Viewer(community.members[0].id, is_coordinator=False),
        query,
        PeopleFilter(),
        ranking.weighing(community.clock(), limit=10),
    )
    return {row[1] for row in found.partnership_rows}


async def test_own_words_are_looked_for_among_the_newest_that_hold_them_anywhere(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    mina, omar = community.members[0], community.members[1]
    database = community.bot.database
    older = await record(
        community, mina, "Harbour Trust", type=PartnerType.OTHER, description="Lighthouse survey"
    )
    for number in range(2):  # newer, with the word only in a tag (plural: not the query's own tag)
        await record(community, omar, f"Coast {number}", type=PartnerType.OTHER, areas=("lighthouses",))
    query = (await understand(database, "lighthouse")).evidence
    assert query.names_nothing  # "lighthouse" is no area or type: only the words count
    assert await lighthouse_matches(community) == {older}  # the tags are not its own words

    monkeypatch.setattr(expertise_evidence, "SCAN_LIMIT", 2)  # the two tagged ones are the newest
    assert await lighthouse_matches(community) == set()


async def test_own_words_keep_the_newest_matches_whichever_part_of_the_walk_finds_them(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    mina = community.members[0]
    oldest, older, newest = [
        await record(community, mina, f"Harbour {number}", type=PartnerType.OTHER, description="Lighthouse")
        for number in range(3)
    ]
    assert await lighthouse_matches(community) == {oldest, older, newest}
    # The first part of the walk sees only the newest record; the rest comes, newest first, from
    # the second, up to the limit.
    monkeypatch.setattr(expertise_evidence, "NEAR_LIMIT", 1)
    monkeypatch.setattr(expertise_evidence, "HIT_LIMIT", 2)
    assert await lighthouse_matches(community) == {older, newest}
    monkeypatch.setattr(expertise_evidence, "HIT_LIMIT", 1)
    assert await lighthouse_matches(community) == {newest}
