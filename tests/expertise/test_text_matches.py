"""The full-text lookups behind /expertise who stay bounded: a partnership's own words are looked for
among the newest records that hold the words anywhere, tags included."""

from __future__ import annotations

import pytest

from cogs.expertise._search import understand
from core.vocabulary import PartnerType
from db import expertise_evidence
from tests.conftest import Community
from tests.expertise.helpers import record


async def test_own_words_are_looked_for_among_the_newest_that_hold_them_anywhere(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    mina, omar = community.members[0], community.members[1]
    database = community.bot.database
    older = await record(
        community, mina, "Harbour Trust", type=PartnerType.OTHER, description="Lighthouse survey"
    )
    for number in range(2):  # newer, with the word only in a tag
        await record(community, omar, f"Coast {number}", type=PartnerType.OTHER, areas=("lighthouse",))
    query = (await understand(database, "lighthouse")).evidence

    found = await expertise_evidence.text_matches(database, community.guild.id, query)
    assert found.partnerships == [(older, None)]  # the tags are not its own words

    monkeypatch.setattr(expertise_evidence, "SCAN_LIMIT", 2)  # the two tagged ones are the newest
    bounded = await expertise_evidence.text_matches(database, community.guild.id, query)
    assert bounded.partnerships == []
