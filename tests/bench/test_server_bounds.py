"""The bounds that keep reads flat at any size are bounds per server: another server's records,
however many and however new, never use up this server's share."""

from __future__ import annotations

import pytest

from cogs.expertise._search import WhoAnswer, who
from core.vocabulary import Cadence, Goal, PartnerType, Stage, Visibility
from db import expertise_evidence, fts, partnership_finder, partnerships
from db.expertise import PeopleFilter
from db.partnerships import PartnershipDraft, Viewer
from tests.conftest import Community
from tests.expertise.helpers import record

OTHER_SERVER = 424242


async def crowd_another_server(community: Community, count: int) -> None:
    """Newer museum partnerships than ours, with our words, in another server."""
    for number in range(count):
        draft = PartnershipDraft(
            guild_id=OTHER_SERVER,
            partner_name=f"Elsewhere Museum {number}",
            partner_type=PartnerType.MUSEUM,
            goals=(Goal.CONTENT,),
            stage=Stage.ACTIVE,
            visibility=Visibility.PUBLIC,
            owner_id=community.members[2].id,
            cadence=Cadence.MONTHLY,
            areas=("glam",),
            description="Museum digitisation with volunteers",
        )
        await partnerships.create(community.bot.database, draft, at=community.clock())


async def test_who_counts_this_servers_evidence_when_another_has_newer(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    mina = community.member
    for number in range(2):  # not of type museum: only their words and tags can find them
        await record(
            community, mina, f"Museo {number}", type=PartnerType.OTHER, description="Museum digitisation"
        )
    await crowd_another_server(community, 6)
    monkeypatch.setattr(expertise_evidence, "HIT_LIMIT", 2)

    answer = await _who(community, "museum digitisation")

    assert [person.user_id for person in answer.people] == [mina.id]
    evidence = answer.people[0].candidate.evidence
    assert (evidence.owned_active, evidence.specific) == (2, 2)


async def test_search_ranks_this_servers_matches_when_another_has_newer(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    mina = community.member
    for number in range(3):
        await record(community, mina, f"Museo {number}", description="Museum digitisation")
    await crowd_another_server(community, 6)
    monkeypatch.setattr(fts, "SEARCH_LIMIT", 2)

    page = await partnership_finder.search(
        community.bot.database, community.guild.id, Viewer(mina.id, False), "digitisation"
    )

    assert (page.total, page.capped) == (2, True)
    assert {item.partner_name for item in page.items} == {"Museo 1", "Museo 2"}  # the newest two


async def _who(community: Community, text: str) -> WhoAnswer:
    return await who(
        community.bot.database,
        community.guild.id,
        Viewer(community.members[1].id, is_coordinator=False),
        text,
        PeopleFilter(),
        now=community.clock(),
        is_present=lambda user_id: True,
    )
