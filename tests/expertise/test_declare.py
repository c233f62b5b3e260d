"""/expertise add, remove and available through Discord: writes, updates, autocomplete, bad input."""

from __future__ import annotations

from typing import Any

from cogs.expertise import _validate as validate
from db import expertise
from tests.conftest import Community
from tests.expertise.helpers import declare


async def rows(community: Community) -> list[tuple[int, str, str, str]]:
    found = await community.bot.database.fetch_all(
        "SELECT user_id, area, level, note FROM member_expertise ORDER BY user_id, area"
    )
    return [(row["user_id"], row["area"], row["level"], row["note"]) for row in found]


async def add(community: Community, actor: Any, **options: Any) -> Any:
    return await actor.slash(community.general, "expertise add", **options)


async def test_add_lists_an_area_and_adding_it_again_updates_it(community: Community) -> None:
    mina = community.member
    first = await add(community, mina, area="glam", level="expert", note="Museum residencies in Accra")
    assert first.ephemeral
    assert first.response.content == "Added: **Expert** in **GLAM**. See your entry with `/expertise show`."
    again = await add(community, mina, area="museums", level="practitioner")
    assert (
        again.response.content
        == "Updated: **Practitioner** in **GLAM**. See your entry with `/expertise show`."
    )
    assert await rows(community) == [(mina.id, "glam", "practitioner", "")]


async def test_add_keeps_free_areas_in_the_members_words(community: Community) -> None:
    mina = community.member
    result = await add(
        community, mina, area="  Oral   Traditions ", level="learning", note="Recording elders"
    )
    assert result.response.content == (
        "Added: **Learning** in **oral traditions** (your own area: it isn't in the shared list)."
        " See your entry with `/expertise show`."
    )
    assert await rows(community) == [(mina.id, "oral traditions", "learning", "Recording elders")]
    # A free area and its note are searchable, with stemming.
    found = await community.members[1].slash(community.general, "expertise who", query="oral tradition")
    assert [field.name for field in found.response.embeds[0].fields] == ["1. mina"]


async def test_add_refuses_bad_input_and_writes_nothing(community: Community) -> None:
    mina = community.member
    cases = [
        ({"area": "   ", "level": "expert"}, "Choose an area from the list, or type your own"),
        ({"area": "GLAM, Wikidata", "level": "expert"}, "One area at a time, please"),
        ({"area": "x" * 41, "level": "expert"}, "free areas are at most 40 characters"),
        (
            {"area": "glam", "level": "expert", "note": "n" * 201},
            "The note is 201 characters; the limit is 200",
        ),
    ]
    for options, message in cases:
        result = await add(community, mina, **options)
        assert result.ephemeral
        assert message in result.response.content, (options, result.response.content)
    assert await rows(community) == []


async def test_a_member_can_list_at_most_twenty_areas(community: Community) -> None:
    mina = community.member
    for index in range(validate.AREAS_MAX):
        await declare(community, mina, f"topic {index}", "learning")
    refused = await add(community, mina, area="glam", level="expert")
    assert refused.response.content == (
        "You already list 20 areas, the most allowed. Remove one with `/expertise remove` first."
    )
    assert len(await rows(community)) == 20
    # Updating one already listed is still fine.
    updated = await add(community, mina, area="topic 3", level="expert")
    assert updated.response.content.startswith("Updated: **Expert** in **topic 3**")


async def test_add_autocomplete_offers_the_taxonomy_and_the_typed_words(community: Community) -> None:
    mina = community.member
    everything = await mina.autocomplete(community.general, "expertise add", "area", "")
    assert len(everything) == 20
    assert {"name": "Wikidata and structured data", "value": "wikidata"} in everything
    museums = await mina.autocomplete(community.general, "expertise add", "area", "muse")
    assert museums == [
        {"name": "GLAM (galleries, libraries, archives, museums)", "value": "glam"},
        {"name": "“muse” (your own area)", "value": "muse"},
    ]
    own = await mina.autocomplete(community.general, "expertise add", "area", "basket weaving")
    assert own == [{"name": "“basket weaving” (your own area)", "value": "basket weaving"}]


async def test_remove_only_touches_my_own_areas(community: Community) -> None:
    mina, omar, _ = community.members
    await declare(community, mina, "GLAM", "expert")
    await declare(community, mina, "oral traditions", "learning")
    await declare(community, omar, "Wikidata", "expert")

    choices = await mina.autocomplete(community.general, "expertise remove", "area", "")
    assert choices == [
        {"name": "GLAM (expert)", "value": "glam"},
        {"name": "oral traditions (learning)", "value": "oral traditions"},
    ]
    refused = await mina.slash(community.general, "expertise remove", area="wikidata")
    assert refused.response.content == "You don't list “wikidata”. Your areas: GLAM, oral traditions."
    removed = await mina.slash(community.general, "expertise remove", area="glam")
    assert removed.response.content == "Removed **GLAM** from your areas."
    by_name = await mina.slash(community.general, "expertise remove", area="Oral traditions")
    assert by_name.response.content == "Removed **oral traditions** from your areas."
    assert await rows(community) == [(omar.id, "wikidata", "expert", "")]
    # The search index follows (the trigger removed the free area's words).
    assert await community.bot.database.fetch_value("SELECT count(*) FROM expertise_fts") == 1


async def test_available_switches_clinic_pings_on_and_off(community: Community) -> None:
    mina = community.member
    database, guild_id = community.bot.database, community.guild.id
    assert not await expertise.is_available(database, guild_id, mina.id)  # off by default
    on = await mina.slash(community.general, "expertise available", pings="on")
    assert on.ephemeral
    assert on.response.content.startswith("You're open to clinic pings")
    assert await expertise.is_available(database, guild_id, mina.id)
    off = await mina.slash(community.general, "expertise available", pings="off")
    assert off.response.content.startswith("Clinic pings are off")
    assert not await expertise.is_available(database, guild_id, mina.id)
    assert await database.fetch_value("SELECT count(*) FROM expertise_availability") == 1
