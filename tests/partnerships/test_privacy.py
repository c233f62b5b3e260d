"""The confidentiality matrix: member, owner, co-owner, coordinator × public, confidential × each read path.

A confidential record must be invisible to other members everywhere, including in any count.
"""

from __future__ import annotations

import pytest
from simcord.actors import MemberActor

from tests.conftest import Community
from tests.partnerships.test_register_show import register

PUBLIC, SECRET = "1", "2"


async def setup_records(community: Community) -> dict[str, MemberActor]:
    mina, omar, pita = community.members
    await register(
        community, mina, partner="Open Archive", type="archive", form={"description": "photo archive scans"}
    )
    await register(
        community,
        mina,
        partner="Secret Funder",
        type="funder",
        goals="funding",
        visibility="confidential",
        form={"description": "photo archive grant talks"},
    )
    await mina.slash(community.general, "partnership co-owner", partnership=SECRET, member=pita)
    return {"member": omar, "owner": mina, "co-owner": pita, "coordinator": community.coordinator}


EXPECTED = {
    "member": {PUBLIC},
    "owner": {PUBLIC, SECRET},
    "co-owner": {PUBLIC, SECRET},
    "coordinator": {PUBLIC, SECRET},
}


@pytest.mark.parametrize("who", list(EXPECTED))
async def test_every_read_path_applies_the_same_rule(community: Community, who: str) -> None:
    actor = (await setup_records(community))[who]
    expected = EXPECTED[who]
    channel = community.general

    shown = set()
    for partnership_id in (PUBLIC, SECRET):
        result = await actor.slash(channel, "partnership show", partnership=partnership_id)
        if result.response.embeds:
            shown.add(partnership_id)
        else:
            assert result.response.content.startswith("I can't find a partnership")
    assert shown == expected

    listed = await actor.slash(channel, "partnership list")
    assert listed.response.embeds[0].title == f"Partnerships ({len(expected)})"
    assert {
        line.split("**")[1].split()[0][1:] for line in listed.response.embeds[0].description.split("\n")
    } == expected

    mina = community.members[0]
    by_owner = await actor.slash(channel, "partnership list", owner=mina)
    assert by_owner.response.embeds[0].title == f"Partnerships ({len(expected)}) · by owner"

    searched = await actor.slash(channel, "partnership search", query="photo archive")
    assert searched.response.embeds[0].footer.text == f"Showing 1–{len(expected)} of {len(expected)}"
    secret_words = await actor.slash(channel, "partnership search", query="grant")
    assert bool(secret_words.response.embeds[0].footer) == (SECRET in expected)

    for command in ("partnership show", "partnership log", "partnership edit"):
        choices = await actor.autocomplete(channel, command, "partnership", "")
        assert {choice["value"] for choice in choices} == expected, command
    typed = await actor.autocomplete(channel, "partnership show", "partnership", "secret")
    assert {choice["value"] for choice in typed} == expected - {PUBLIC}


@pytest.mark.parametrize("who", ["member", "co-owner", "owner", "coordinator"])
async def test_who_may_change_a_public_record(community: Community, who: str) -> None:
    actor = (await setup_records(community))[who]
    # pita co-owns only the secret one; on the public record she is a plain member.
    may_change = who in ("owner", "coordinator")
    result = await actor.slash(community.general, "partnership log", partnership=PUBLIC, note="Phoned them")
    assert result.response.content.startswith("Logged") == may_change
    count = await community.bot.database.fetch_value(
        "SELECT COUNT(*) FROM partnership_timeline WHERE partnership_id = 1 AND kind = 'interaction'"
    )
    assert count == int(may_change)
