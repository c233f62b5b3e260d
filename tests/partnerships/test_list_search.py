"""/partnership list and search through Discord: filters that combine, pages, ranking, stemming."""

from __future__ import annotations

from typing import Any

from tests.conftest import Community
from tests.partnerships.test_register_show import register


def lines(result: Any) -> list[str]:
    return [line for line in result.response.embeds[0].description.split("\n") if line.startswith("**#")]


async def test_filters_combine(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(community, mina, partner="Accra Museum", type="museum", region="Ghana", areas="museums")
    await register(
        community, mina, partner="Kumasi Library", type="library", region="Ghana", stage="prospect"
    )
    await register(community, omar, partner="Lomé Museum", type="museum", region="Togo", areas="Wikidata")
    await register(community, omar, partner="Tamale Museum", type="museum", region="Northern Ghana")

    everything = await mina.slash(community.general, "partnership list")
    assert everything.response.embeds[0].title == "Partnerships (4)"
    ghana_museums = await mina.slash(community.general, "partnership list", type="museum", region="ghana")
    assert ghana_museums.response.embeds[0].title == "Partnerships (2) · GLAM: museum, region “ghana”"
    assert {line.split("**")[1] for line in lines(ghana_museums)} == {"#1 Accra Museum", "#4 Tamale Museum"}
    mine = await mina.slash(community.general, "partnership list", mine=True, stage="prospect")
    assert [line.split("**")[1] for line in lines(mine)] == ["#2 Kumasi Library"]
    by_omar = await mina.slash(community.general, "partnership list", owner=omar, area="Wikidata")
    assert [line.split("**")[1] for line in lines(by_omar)] == ["#3 Lomé Museum"]
    nothing = await mina.slash(community.general, "partnership list", type="funder")
    assert nothing.response.embeds[0].description == "No partnerships match these filters."
    conflict = await mina.slash(community.general, "partnership list", mine=True, owner=omar)
    assert conflict.response.content == "Choose either `mine` or `owner`, not both."


async def test_empty_registry_says_how_to_start(community: Community) -> None:
    result = await community.member.slash(community.general, "partnership list")
    assert result.response.embeds[0].description == (
        "No partnerships yet. Register one with `/partnership register`."
    )
    assert result.response.components == []


async def test_pages_of_ten_with_buttons(community: Community) -> None:
    mina = community.member
    for index in range(23):
        await register(community, mina, partner=f"Library {index:02d}", type="library")
        community.clock.advance(minutes=1)
    first = await mina.slash(community.general, "partnership list")
    embed = first.response.embeds[0]
    assert embed.title == "Partnerships (23)"
    assert embed.footer.text == "Showing 1–10 of 23"
    assert lines(first)[0].startswith("**#23 Library 22**")  # most recently updated first
    assert len(lines(first)) == 10

    second = await mina.click(first.response, label="Next ▶")
    assert second.response.embeds[0].footer.text == "Showing 11–20 of 23"
    third = await mina.click(second.response, label="Next ▶")
    assert third.response.embeds[0].footer.text == "Showing 21–23 of 23"
    assert lines(third)[-1].startswith("**#1 Library 00**")
    back = await mina.click(third.response, label="◀ Previous")
    assert back.response.embeds[0].footer.text == "Showing 11–20 of 23"


async def test_search_ranks_names_above_passing_mentions_and_stems_words(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await register(
        community,
        mina,
        partner="City Library",
        type="library",
        form={"description": "Reading clubs; one museum visit"},
    )
    await register(
        community,
        omar,
        partner="Museum of Digitisation",
        type="museum",
        form={"description": "Digitising the photo collection for Commons"},
    )
    result = await mina.slash(community.general, "partnership search", query="museums")
    assert [line.split("**")[1] for line in lines(result)] == ["#2 Museum of Digitisation", "#1 City Library"]

    stemmed = await mina.slash(community.general, "partnership search", query="digitised collections")
    assert [line.split("**")[1] for line in lines(stemmed)] == ["#2 Museum of Digitisation"]
    assert "**Digitising** the photo **collection**" in stemmed.response.embeds[0].description


async def test_search_covers_log_notes_and_lessons(community: Community) -> None:
    mina = community.member
    await register(community, mina, partner="Regional Archive", type="archive")
    await mina.slash(community.general, "partnership log", partnership="1", note="Talked about orphan works")
    found = await mina.slash(community.general, "partnership search", query="orphan works")
    assert [line.split("**")[1] for line in lines(found)] == ["#1 Regional Archive"]

    shown = await mina.slash(community.general, "partnership close", partnership="1")
    await mina.submit_modal(
        shown, {"outcome": "Scans online", "lessons": "Budget for metadata cleanup", "end": "2026-11-20"}
    )
    lesson = await mina.slash(community.general, "partnership search", query="metadata budget")
    assert [line.split("**")[1] for line in lines(lesson)] == ["#1 Regional Archive"]


async def test_search_falls_back_to_any_word_and_handles_odd_input(community: Community) -> None:
    mina = community.member
    await register(community, mina, partner="Science Museum", type="museum")
    broad = await mina.slash(community.general, "partnership search", query="science unicorns")
    assert [line.split("**")[1] for line in lines(broad)] == ["#1 Science Museum"]
    assert "no partnership had every word" in broad.response.embeds[0].footer.text
    # FTS5 syntax in member text is just words, never an error.
    for query in ['"unbalanced', "NEAR(science museum)", "science AND OR *", "partner_name:science"]:
        result = await mina.slash(community.general, "partnership search", query=query)
        assert result.response.embeds, query
    nothing = await mina.slash(community.general, "partnership search", query="zzzz")
    assert nothing.response.embeds[0].description == "Nothing matches “zzzz”. Try fewer or different words."
    punctuation = await mina.slash(community.general, "partnership search", query="?!")
    assert punctuation.response.content == "Search for words, for example `museum digitisation`."


def titles(result: Any) -> list[str]:
    return [line.split("**")[1] for line in lines(result)]


async def test_search_matches_whole_words_as_typed_and_partial_words_as_prefixes(
    community: Community,
) -> None:
    mina = community.member
    for partner, kind, description in (
        ("Photo Club", "other", ""),
        ("Harbour Archive", "archive", "Photographs digitisation"),
    ):
        await register(community, mina, partner=partner, type=kind, form={"description": description})
    assert titles(await mina.slash(community.general, "partnership search", query="photo")) == [
        "#1 Photo Club"
    ]
    partial = await mina.slash(community.general, "partnership search", query="photog digitis")
    assert titles(partial) == ["#2 Harbour Archive"]
    assert "**Photographs** **digitisation**" in partial.response.embeds[0].description


async def test_search_ranks_by_where_the_words_are_then_newest(community: Community) -> None:
    mina = community.member
    for partner, description in (
        ("Quiet Library", "Some maps"),
        ("Maps Society", ""),
        ("Atlas Group", "Old maps"),
        ("Globe Office", "Maps and charts"),
    ):
        await register(community, mina, partner=partner, type="other", form={"description": description})
    result = await mina.slash(community.general, "partnership search", query="maps")
    # The name first; then the descriptions, newest first.
    assert titles(result) == ["#2 Maps Society", "#4 Globe Office", "#3 Atlas Group", "#1 Quiet Library"]
