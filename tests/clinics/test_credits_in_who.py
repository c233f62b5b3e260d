"""Helpful credits in a clinic feed "who knows": /expertise who ranks and explains them."""

from __future__ import annotations

from tests.clinics.helpers import clinics_forum, expert, only_clinic, open_clinic, thread_of
from tests.conftest import Community


async def test_a_credited_helper_ranks_above_an_equal_peer_and_says_why(community: Community) -> None:
    mina, omar, pita = community.members
    await expert(community, omar, level="practitioner", pings=False)
    await expert(community, pita, level="practitioner", pings=False)
    forum = await clinics_forum(community)
    await open_clinic(community, mina)
    thread = thread_of(community, forum, (await only_clinic(community)).thread_id)

    before = await community.coordinator.slash(community.general, "expertise who", query="museums")
    assert not any("credited" in field.value for field in before.response.embeds[0].fields)

    await mina.slash(thread, "clinic helpful", member=omar)
    after = await community.coordinator.slash(community.general, "expertise who", query="museums")
    ranked = after.response.embeds[0].fields
    assert [field.name for field in ranked[:2]] == ["1. omar", "2. pita"]
    assert ranked[0].value.startswith(omar.mention)
    assert "credited in 1 clinic" in ranked[0].value
    assert "credited" not in ranked[1].value
