"""/profile forget: a confirmation, then one transaction that forgets the member in this guild."""

from __future__ import annotations

from typing import Any

import pytest
from simcord import SetupError
from simcord.actors import MemberActor, _component_interaction

from tests.conftest import Community
from tests.partnerships.test_register_show import register
from tests.profiles.helpers import fields_of, profile_row, set_profile


async def arrange(community: Community) -> None:
    """Mina: a profile, a public and a confidential partnership, a co-ownership of omar's, notes on it
    and a ticked agreement item. Omar: a profile, his own partnership, a co-ownership of mina's.

    """
    mina, omar = community.members[0], community.members[1]
    await set_profile(community, mina, affiliation="Wikimedia Ghana", languages="English")
    await set_profile(community, omar, affiliation="Wikimedia Deutschland")
    await register(community, mina, partner="Open Archive", type="archive")
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )
    await register(community, omar, partner="City Library", type="library")
    channel = community.general
    await omar.slash(channel, "partnership co-owner", partnership="3", member=mina)
    await mina.slash(channel, "partnership co-owner", partnership="1", member=omar)
    await mina.slash(channel, "partnership log", partnership="3", note="Met them")
    await omar.slash(channel, "partnership log", partnership="1", note="Called")
    await mina.slash(channel, "partnership agreement", partnership="3", item="roles", done=True)


async def snapshot(community: Community) -> dict[str, list[tuple[Any, ...]]]:
    database = community.bot.database
    queries = {
        "profiles": "SELECT user_id, affiliation FROM profiles ORDER BY user_id",
        "partnerships": "SELECT id, owner_id, created_by, updated_at FROM partnerships ORDER BY id",
        "co_owners": "SELECT partnership_id, user_id FROM partnership_co_owners ORDER BY partnership_id",
        "timeline": "SELECT partnership_id, kind, author_id, summary FROM partnership_timeline ORDER BY id",
        "agreement": "SELECT partnership_id, item, updated_by FROM partnership_agreement",
    }
    return {name: [tuple(row) for row in await database.fetch_all(sql)] for name, sql in queries.items()}


async def ask(community: Community, actor: MemberActor) -> Any:
    result = await actor.slash(community.general, "profile forget")
    assert result.ephemeral
    return result


async def test_cancel_writes_nothing(community: Community) -> None:
    await arrange(community)
    before = await snapshot(community)
    asked = await ask(community, community.member)
    cancelled = await community.member.click(asked.response, label="Cancel")
    assert cancelled.response.content == "Cancelled: nothing was changed."
    assert cancelled.response.components == []
    assert await snapshot(community) == before


async def test_confirm_orphans_anonymises_and_deletes_in_this_guild_only(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await arrange(community)
    community.clock.advance(days=1)
    asked = await ask(community, mina)
    assert asked.response.content == (
        "**Forget me in this server?** This can't be undone.\n"
        "• **1** profile: deleted (timezone, affiliation, region, languages, check-in hour)\n"
        "• **2** partnerships you own: orphaned, for a coordinator to reassign\n"
        "• **1** co-ownership: removed\n"
        "• **5** timeline entries you wrote: kept, without your name\n"
        "• **2** partnerships you registered: kept, without your name as who registered it\n"
        "• **1** agreement checklist item you updated: kept, without your name\n"
        "Partnerships stay in the registry for the community; to hand yours to someone you choose, "
        "use `/partnership transfer` first.\n"
        "Press **Forget me** to go ahead."
    )
    assert await profile_row(community, mina) is not None  # the preview changed nothing

    done = await mina.click(asked.response, label="Forget me")
    assert done.response.content.startswith("Done: I've forgotten you in this server.\n")
    assert "• **2** partnerships you own: orphaned, for a coordinator to reassign" in done.response.content
    assert done.response.components == []

    after = await snapshot(community)
    assert after["profiles"] == [(omar.id, "Wikimedia Deutschland")]
    assert after["partnerships"] == [
        (1, None, None, "2026-11-21T12:00:00+00:00"),
        (2, None, None, "2026-11-21T12:00:00+00:00"),
        (3, omar.id, omar.id, "2026-11-20T12:00:00+00:00"),
    ]
    assert after["co_owners"] == [(1, omar.id)]
    orphaned = "Owner left the registry; waiting for a coordinator to reassign"
    assert after["timeline"] == [
        (1, "created", None, "Registered at stage active"),
        (2, "created", None, "Registered at stage active"),
        (3, "created", omar.id, "Registered at stage active"),
        (3, "co_owner", omar.id, "Co-owner added"),
        (1, "co_owner", None, "Co-owner added"),
        (3, "interaction", None, "Interaction logged"),
        (1, "interaction", omar.id, "Interaction logged"),
        (3, "agreement", None, "Agreement: Roles and responsibilities agreed"),
        (1, "ownership", None, orphaned),
        (2, "ownership", None, orphaned),
        (3, "co_owner", None, "A co-owner left the registry"),
    ]
    assert after["agreement"] == [(3, "roles", None)]

    # Coordinators still see the orphaned records, confidential ones included, and can reassign them.
    shown = await community.coordinator.slash(community.general, "partnership show", partnership="2")
    fields = fields_of(shown.response.embeds[0])
    assert fields["Owner(s)"] == "nobody (orphaned: a coordinator can reassign it)"
    assert orphaned in fields["Recent timeline"]
    gone = await mina.slash(community.general, "partnership show", partnership="2")
    assert gone.response.content.startswith("I can't find a partnership")
    own = await mina.slash(community.general, "profile show")
    assert own.response.embeds[0].description.startswith("You have no profile yet.")
    assert fields_of(own.response.embeds[0])["Partnerships"] == "none"


async def test_another_guild_keeps_its_data(community: Community) -> None:
    mina = community.member
    other_guild = community.env.create_guild(name="Another community")
    other_channel = other_guild.create_text_channel("general")
    mina_there = other_guild.add_member(mina.user)
    await set_profile(community, mina, affiliation="Here")
    saved = await mina_there.slash(other_channel, "profile set", affiliation="There")
    assert saved.response.content == "Profile saved."

    asked = await ask(community, mina)
    await mina.click(asked.response, label="Forget me")
    rows = await community.bot.database.fetch_all("SELECT guild_id, affiliation FROM profiles")
    assert [tuple(row) for row in rows] == [(other_guild.id, "There")]


async def test_forgetting_someone_with_no_data_says_so(community: Community) -> None:
    pita = community.members[2]
    await arrange(community)
    before = await snapshot(community)
    result = await ask(community, pita)
    assert (
        result.response.content == "I hold no data about you in this server, so there is nothing to forget."
    )
    assert result.response.components == []
    assert await snapshot(community) == before


async def test_a_confirmation_only_works_for_the_member_who_asked(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await arrange(community)
    before = await snapshot(community)
    asked = await ask(community, mina)
    # Discord shows an ephemeral message only to the member who asked; SimCord refuses likewise.
    with pytest.raises(SetupError, match="not visible to this user"):
        await omar.click(asked.response, label="Forget me")
    # Should another member's click arrive anyway, the view refuses it. Delivered as Discord would.
    stored = community.env.backend.get_message(asked.response.channel_id, asked.response.id)
    button = next(
        component
        for row in asked.response.components
        for component in row["components"]
        if component["label"] == "Forget me"
    )
    refused = await _component_interaction(
        omar, stored, {"custom_id": button["custom_id"], "component_type": 2}
    )
    assert refused.ephemeral
    assert refused.response.content == "These buttons belong to someone else's message."
    assert await snapshot(community) == before
    # Mina's own confirmation still works afterwards.
    done = await mina.click(asked.response, label="Forget me")
    assert done.response.content.startswith("Done: I've forgotten you in this server.")


async def test_an_unanswered_confirmation_expires_without_writing(community: Community) -> None:
    await arrange(community)
    before = await snapshot(community)
    asked = await ask(community, community.member)
    await community.env.advance_time(181)
    expired = community.env.backend.get_message(asked.response.channel_id, asked.response.id)
    assert expired.content.startswith("This confirmation expired; nothing was changed.")
    assert expired.components == []
    assert await snapshot(community) == before
