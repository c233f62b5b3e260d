"""/clinic list (paged, filtered) and /clinic lessons (ranked search over resolved clinics)."""

from __future__ import annotations

from typing import Any

from simcord.builders import ChannelHandle

from db import clinics
from db.clinics import ClinicDraft
from tests.clinics.helpers import clinics_forum, open_clinic, thread_of
from tests.conftest import Community


async def open_and_maybe_resolve(
    community: Community,
    forum: ChannelHandle,
    topic: str,
    *,
    area: str = "GLAM",
    lesson: str | None = None,
    tags: str = "",
    situation: str = "A partner hesitates.",
) -> int:
    """Open a clinic as mina an hour after the previous one; resolve it with ``lesson`` (and
    ``tags``); return its id."""
    community.clock.advance(hours=1)
    form = {"situation": situation, "help_needed": "Advice"}
    await open_clinic(community, community.member, topic=topic, area=area, form=form)
    clinic_id, thread_id = await community.bot.database.fetch_one(
        "SELECT id, thread_id FROM clinics ORDER BY id DESC LIMIT 1"
    )
    if lesson is not None:
        thread = thread_of(community, forum, thread_id)
        shown = await community.member.slash(thread, "clinic resolve")
        await community.member.submit_modal(shown, {"lesson": lesson, "tags": tags})
    return clinic_id


async def test_list_pages_newest_first_with_filters(community: Community) -> None:
    forum = await clinics_forum(community)
    for number in range(1, 12):
        await open_and_maybe_resolve(community, forum, f"Museum question {number}")
    await open_and_maybe_resolve(community, forum, "Grant report due", area="Funding", lesson="Ask early.")
    pita = community.members[2]

    listed = await pita.slash(community.general, "clinic list")
    embed = listed.response.embeds[0]
    assert embed.title == "Clinics (12)"
    lines = embed.description.splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("**#12 Grant report due** · Funding and grants · ✅ resolved · <t:")
    assert lines[1].startswith("**#11 Museum question 11** · GLAM · 🟢 open · <t:")
    assert f"by <@{community.member.id}>" in lines[1]
    thread_id = await community.bot.database.fetch_value("SELECT thread_id FROM clinics WHERE id = 11")
    assert lines[1].endswith(f"[thread](https://discord.com/channels/{community.guild.id}/{thread_id})")
    assert embed.footer.text == "Showing 1–10 of 12"

    turned = await pita.click(listed.response.message, label="Next ▶")
    second = turned.response.embeds[0]
    assert [line.split("**")[1] for line in second.description.splitlines()] == [
        "#2 Museum question 2",
        "#1 Museum question 1",
    ]
    assert second.footer.text == "Showing 11–12 of 12"

    resolved = await pita.slash(community.general, "clinic list", status="resolved")
    assert resolved.response.embeds[0].title == "Clinics (1) · ✅ resolved"
    by_area = await pita.slash(community.general, "clinic list", area="Funding and grants")
    assert by_area.response.embeds[0].title == "Clinics (1) · Funding and grants"
    both = await pita.slash(community.general, "clinic list", status="dormant", area="GLAM")
    assert (
        both.response.embeds[0].title
        == "Clinics (0) · 💤 dormant, GLAM (galleries, libraries, archives, museums)"
    )
    assert both.response.embeds[0].description == "No clinics match."


async def test_list_without_clinics_and_with_a_bad_area(community: Community) -> None:
    empty = await community.member.slash(community.general, "clinic list")
    assert empty.response.embeds[0].description == "No clinics yet. Open one with `/clinic open`."
    bad = await community.member.slash(community.general, "clinic list", area="knitting")
    assert bad.response.content == "“knitting” isn't one of the areas. Pick one from the list."


async def test_lessons_rank_resolved_clinics_and_skip_open_ones(community: Community) -> None:
    forum = await clinics_forum(community)
    await open_and_maybe_resolve(
        community,
        forum,
        "Photo licence",
        lesson="The licence question settled itself: CC BY-SA licence, licence text in the contract.",
    )
    await open_and_maybe_resolve(
        community,
        forum,
        "Volunteers for a scan day",
        lesson="Book the room early.",
        situation="The archive asked which licence the scans would carry.",
    )
    await open_and_maybe_resolve(community, forum, "Open licence question, still open")

    result = await community.members[1].slash(community.general, "clinic lessons", query="licences")

    embed = result.response.embeds[0]
    headings = [line for line in embed.description.splitlines() if line.startswith("**#")]
    assert [heading.split("**")[1] for heading in headings] == [
        "#1 Photo licence",
        "#2 Volunteers for a scan day",
    ]
    assert embed.footer.text == "Showing 1–2 of 2"


async def test_lessons_fall_back_to_any_word_and_refuse_empty_or_long_queries(community: Community) -> None:
    forum = await clinics_forum(community)
    await open_and_maybe_resolve(community, forum, "Contract", lesson="A one-page memorandum was enough.")
    mina = community.member

    loose = await mina.slash(community.general, "clinic lessons", query="memorandum unicorn")
    assert (
        loose.response.embeds[0]
        .description.splitlines()[0]
        .startswith("**#1 Contract** · https://discord.com/")
    )

    nothing = await mina.slash(community.general, "clinic lessons", query="unicorn")
    assert (
        nothing.response.embeds[0].description
        == "No resolved clinic mentions “unicorn”. Try fewer or other words."
    )
    symbols = await mina.slash(community.general, "clinic lessons", query="!!! ???")
    assert symbols.response.content == "Search for words, for example `museum licence`."
    long = await mina.slash(community.general, "clinic lessons", query="word " * 41)
    assert long.response.content == "The search is 204 characters; the limit is 200."


def found(result: Any) -> list[str]:
    """The clinics a /clinic lessons answer lists, as "#id topic", in its order."""
    lines = result.response.embeds[0].description.splitlines()
    return [line.split("**")[1] for line in lines if line.startswith("**#")]


async def test_lessons_match_whole_words_as_typed_and_partial_words_as_prefixes(community: Community) -> None:
    forum = await clinics_forum(community)
    await open_and_maybe_resolve(community, forum, "Photo club", lesson="Ask the photo club first.")
    await open_and_maybe_resolve(
        community, forum, "Harbour archive", lesson="Photographs digitisation went well in batches."
    )
    mina = community.member

    # "photo" is a whole word of a lesson here, so it isn't the start of "photographs".
    assert found(await mina.slash(community.general, "clinic lessons", query="photo")) == ["#1 Photo club"]
    partial = await mina.slash(community.general, "clinic lessons", query="photog digitis")
    assert found(partial) == ["#2 Harbour archive"]
    assert "**Photographs** **digitisation**" in partial.response.embeds[0].description
    # Stemmed as typed: the plural finds the singular.
    assert found(await mina.slash(community.general, "clinic lessons", query="photos")) == ["#1 Photo club"]


async def test_lessons_rank_the_lesson_first_then_topic_tags_intake_then_newest(community: Community) -> None:
    forum = await clinics_forum(community)
    await open_and_maybe_resolve(community, forum, "Maps question", lesson="Ask early.")
    await open_and_maybe_resolve(community, forum, "Archive visit", lesson="Old maps helped.")
    await open_and_maybe_resolve(community, forum, "Room booking", lesson="Book early.", tags="maps")
    await open_and_maybe_resolve(
        community, forum, "Quiet one", lesson="Nothing to add.", situation="We had maps to share."
    )
    await open_and_maybe_resolve(community, forum, "Globe office", lesson="Maps and charts.")

    result = await community.members[1].slash(community.general, "clinic lessons", query="maps")

    # The lessons (newest first), then the topic, the tags, the intake.
    assert found(result) == [
        "#5 Globe office",
        "#2 Archive visit",
        "#1 Maps question",
        "#3 Room booking",
        "#4 Quiet one",
    ]
    assert result.response.embeds[0].footer.text == "Showing 1–5 of 5"
    tags = await community.bot.database.fetch_value("SELECT tags FROM clinics_fts WHERE rowid = 3")
    assert tags == "maps"


async def test_whole_words_are_looked_up_in_this_servers_resolved_clinics_only(community: Community) -> None:
    forum = await clinics_forum(community)
    await open_and_maybe_resolve(community, forum, "Harbour archive", lesson="Photographs went first.")
    # "photo" whole in this server's open clinic and in another server's resolved one.
    await open_and_maybe_resolve(community, forum, "Photo club", situation="The photo club asked.")
    database = community.bot.database
    elsewhere = community.env.create_guild(name="Another chapter")
    draft = ClinicDraft(
        guild_id=elsewhere.id,
        channel_id=1,
        thread_id=2,
        intake_message_id=None,
        asker_id=community.member.id,
        topic="Photo walk",
        area="GLAM",
        partnership_id=None,
        situation="A photo walk.",
        tried="",
        help_needed="Advice",
    )
    theirs = await clinics.create(database, draft, at=community.clock())
    await clinics.resolve(database, theirs.id, lesson="Photo permits.", tags=(), by=1, at=community.clock())
    indexed = await database.fetch_all(
        "SELECT c.id, c.guild_id, c.status FROM clinics_fts JOIN clinics c ON c.id = clinics_fts.rowid"
        " ORDER BY c.id"
    )
    assert [tuple(row) for row in indexed] == [
        (1, community.guild.id, "resolved"),
        (3, elsewhere.id, "resolved"),
    ]

    # Here nothing that counts holds "photo" whole, so it is still the start of "photographs".
    result = await community.members[2].slash(community.general, "clinic lessons", query="photo")
    assert found(result) == ["#1 Harbour archive"]
    assert "**Photographs**" in result.response.embeds[0].description
