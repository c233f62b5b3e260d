"""/expertise who through Discord: ranking with reasons, privacy, share flags, filters, affiliates,
members who left, nothing found, bad input, and an answer that never pings anyone."""

from __future__ import annotations

from typing import Any

from cogs.expertise import _ranking as ranking
from cogs.expertise._search import understand
from core.vocabulary import PartnerType, Stage
from db import expertise, profiles
from db import expertise_evidence as evidence
from db.expertise import PeopleFilter
from db.partnerships import Viewer
from tests.conftest import Community
from tests.expertise.helpers import declare, record


def fields_of(result: Any) -> list[tuple[str, str]]:
    assert result.response.embeds, result.response.content
    return [(field.name, field.value) for field in result.response.embeds[0].fields]


async def profile(community: Community, actor: Any, **fields: Any) -> None:
    await profiles.update(
        community.bot.database, community.guild.id, actor.id, at=community.clock(), **fields
    )


async def test_who_ranks_people_with_their_evidence_and_pings_nobody(community: Community) -> None:
    mina, omar, pita = community.members
    await declare(community, mina, "GLAM", "expert", "Museum residencies")
    await record(community, mina, "National Museum of Ghana", areas=("glam",))
    await profile(
        community, mina, affiliation="Wikimedia Ghana UG", region="Ghana", languages=("English", "Twi")
    )
    await expertise.set_available(
        community.bot.database, community.guild.id, mina.id, True, at=community.clock()
    )
    await declare(community, omar, "museums", "practitioner")
    await declare(community, pita, "Wikidata", "expert")

    result = await community.coordinator.slash(community.general, "expertise who", query="museums")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == "Who knows “museums”"
    assert embed.description == "Areas: GLAM"
    assert fields_of(result) == [
        (
            "1. mina",
            f"{mina.mention} · 🔔 open to clinic pings\n"
            "expert in GLAM · owns 1 active matching partnership\n"
            "e.g. National Museum of Ghana\n"
            "🏛 Wikimedia Ghana UG · 📍 Ghana · 🗣 English, Twi",
        ),
        ("2. omar", f"{omar.mention}\npractitioner in GLAM"),
    ]
    assert "never ping" in embed.footer.text
    # The mentions render, but nobody is notified: no content, and the message pings no one.
    assert not result.response.content
    sent = community.env.backend.get_message(result.response.channel_id, result.response.id)
    assert sent.ping_user_ids == [] and sent.ping_role_ids == [] and not sent.mention_everyone
    assert sent.allowed_mentions.users == frozenset() and not sent.allowed_mentions.everyone


async def test_stemming_finds_museum_and_digitisation_people(community: Community) -> None:
    mina, omar, pita = community.members
    await declare(community, mina, "GLAM", "expert")
    await record(
        community,
        omar,
        "City Archive",
        type=PartnerType.ARCHIVE,
        areas=("digitisation",),
        description="Scanning and uploading the archive's photographs",
    )
    await declare(community, pita, "events", "expert")
    for query in ("museums", "museum digitisation", "digitising a collection"):
        result = await pita.slash(community.general, "expertise who", query=query)
        names = {name.split(". ", 1)[1] for name, _ in fields_of(result)}
        expected = {"museums": {"mina"}, "museum digitisation": {"mina", "omar"}}
        assert names == expected.get(query, {"mina", "omar"}), query


async def test_confidential_partnerships_are_never_evidence_for_those_who_may_not_see_them(
    community: Community,
) -> None:
    mina, omar, pita = community.members
    await record(
        community,
        omar,
        "Secret Museum",
        areas=("glam",),
        description="Talks about the Zanzibar collection",
        confidential=True,
    )
    await record(community, pita, "Open Museum", areas=("glam",))

    as_member = await mina.slash(community.general, "expertise who", query="museums")
    assert [name for name, _ in fields_of(as_member)] == ["1. pita"]
    hidden_word = await mina.slash(community.general, "expertise who", query="Zanzibar")
    assert hidden_word.response.embeds == []
    assert hidden_word.response.content.startswith("Nobody matches “Zanzibar” yet.")

    as_coordinator = await community.coordinator.slash(community.general, "expertise who", query="museums")
    shown = dict(fields_of(as_coordinator))
    assert set(shown) == {"1. omar", "2. pita"}
    assert "e.g. Secret Museum" in shown["1. omar"]
    as_owner = await omar.slash(community.general, "expertise who", query="Zanzibar")
    assert [name for name, _ in fields_of(as_owner)] == ["1. omar"]


async def test_filters_and_display_use_only_what_members_share(community: Community) -> None:
    mina, omar, pita = community.members
    for actor in (mina, omar):
        await declare(community, actor, "GLAM", "expert")
    await profile(community, mina, region="Ghana", languages=("English", "Twi"), affiliation="WM Ghana")
    await profile(
        community,
        omar,
        region="Ghana",
        languages=("Twi",),
        affiliation="Secret Society",
        share_region=False,
        share_languages=False,
        share_affiliation=False,
    )

    everyone = dict(fields_of(await pita.slash(community.general, "expertise who", query="GLAM")))
    assert everyone["2. omar"] == f"{omar.mention}\nexpert in GLAM"  # nothing hidden leaks
    by_region = await pita.slash(community.general, "expertise who", query="GLAM", region="ghana")
    assert [name for name, _ in fields_of(by_region)] == ["1. mina"]
    assert by_region.response.embeds[0].description == "Areas: GLAM\nOnly members who share region “ghana”."
    by_language = await pita.slash(community.general, "expertise who", query="GLAM", language="Twi")
    assert [name for name, _ in fields_of(by_language)] == ["1. mina"]
    nobody = await pita.slash(community.general, "expertise who", query="GLAM", region="Peru")
    assert nobody.response.content.startswith(
        "Nobody matches “GLAM” among members who share region “Peru” yet."
    )


async def test_by_affiliates_groups_evidence_by_shared_affiliation(community: Community) -> None:
    mina, omar, pita = community.members
    await record(community, mina, "UNESCO", type=PartnerType.IGO, areas=("igo",), co_owners=(omar,))
    await record(
        community, omar, "UNESCO Nairobi", type=PartnerType.IGO, areas=("igo",), stage=Stage.CONCLUDED
    )
    await record(community, pita, "UNESCO Lima", type=PartnerType.IGO, areas=("igo",))
    await record(community, community.coordinator, "UNESCO Paris", type=PartnerType.IGO, areas=("igo",))
    await profile(community, mina, affiliation="Wikimedia Kenya")
    await profile(community, omar, affiliation="  wikimedia kenya ")
    await profile(community, pita, affiliation="Wikimedia Perú")
    await profile(community, community.coordinator, affiliation="Hidden Chapter", share_affiliation=False)

    result = await mina.slash(community.general, "expertise who", query="UNESCO", by="affiliates")

    embed = result.response.embeds[0]
    assert embed.title == "Which affiliates know “UNESCO”"
    assert fields_of(result) == [
        (
            "Wikimedia Kenya",
            "2 members with matching evidence\n"
            "2 matching partnerships (1 active, 1 concluded)\n"
            "e.g. UNESCO; UNESCO Nairobi\n"
            f"People: {omar.mention}, {mina.mention}",  # omar has more: he co-owns UNESCO too
        ),
        (
            "Wikimedia Perú",
            "1 member with matching evidence\n"
            "1 matching partnership (1 active)\n"
            "e.g. UNESCO Lima\n"
            f"People: {pita.mention}",
        ),
    ]


async def test_members_who_left_are_not_listed(community: Community) -> None:
    mina, omar, pita = community.members
    await declare(community, mina, "Wikidata", "practitioner")
    await declare(community, omar, "Wikidata", "expert")
    await record(community, omar, "Wikidata Lab", type=PartnerType.NGO, areas=("wikidata",))
    community.guild.remove_member(omar)

    result = await pita.slash(community.general, "expertise who", query="wikidata")
    assert [name for name, _ in fields_of(result)] == ["1. mina"]


async def test_nothing_found_suggests_the_nearest_areas(community: Community) -> None:
    await declare(community, community.member, "events", "expert")
    typo = await community.member.slash(community.general, "expertise who", query="musem digitalisation")
    assert typo.ephemeral and typo.response.embeds == []
    assert typo.response.content == (
        "Nobody matches “musem digitalisation” yet.\n"
        "Nearest areas: `Digitisation and Commons uploads`, `GLAM`. Try `/expertise who` with one of them.\n"
        "Stuck with a partnership on this? Ask peers in a clinic: `/clinic open`.\n"
        "Know about this yourself? List it with `/expertise add` so others can find you."
    )
    unrelated = await community.member.slash(community.general, "expertise who", query="basket weaving")
    assert "Nearest areas" not in unrelated.response.content


async def test_who_refuses_bad_input_clearly(community: Community) -> None:
    mina = community.member
    cases = [
        ({"query": "who has the"}, "Tell me a topic to look for"),
        ({"query": "m" * 101}, "is 101 characters; the limit is 100"),
        ({"query": "museums", "region": "r" * 61}, "Region is 61 characters; the limit is 60"),
        ({"query": "museums", "language": "l" * 61}, "Language is 61 characters; the limit is 60"),
    ]
    for options, message in cases:
        result = await mina.slash(community.general, "expertise who", **options)
        assert result.ephemeral
        assert message in result.response.content, (options, result.response.content)
    assert await community.bot.database.fetch_value("SELECT count(*) FROM member_expertise") == 0


async def test_search_syntax_typed_by_a_member_is_just_words(community: Community) -> None:
    await declare(community, community.members[1], "GLAM", "expert", "museum work")
    for query in ('museum" OR *', "NEAR(museum glam)", "{note}: museum", "^museum AND NOT"):
        result = await community.member.slash(community.general, "expertise who", query=query)
        assert [name for name, _ in fields_of(result)] == ["1. omar"], query


async def test_a_filter_reads_on_past_the_strongest_people_until_it_has_enough(community: Community) -> None:
    """Shared fields are read in growing batches, best first: whoever the filter admits is found,
    however far down the ranking they are, and in ranking order."""
    mina, omar, pita = community.members
    coordinator = community.coordinator
    await declare(community, mina, "GLAM", "expert")
    await declare(community, omar, "GLAM", "expert")
    await declare(community, pita, "GLAM", "practitioner")
    await declare(community, coordinator, "GLAM", "learning")
    await profile(community, pita, region="Ghana")
    await profile(community, coordinator, region="Accra, Ghana")
    viewer = Viewer(mina.id, is_coordinator=False)
    understood = await understand(community.bot.database, "GLAM")

    async def found(filters: PeopleFilter, limit: int) -> list[int]:
        weighing = ranking.weighing(community.clock(), limit=limit)
        answer = await evidence.candidates(
            community.bot.database, community.guild.id, viewer, understood.evidence, filters, weighing
        )
        return [candidate.user_id for candidate in answer.candidates]

    assert await found(PeopleFilter(), 1) == [min(mina.id, omar.id)]
    # Ghana's two are ranked third and fourth: a first batch of one holds neither.
    assert await found(PeopleFilter(region="ghana"), 1) == [pita.id]
    assert await found(PeopleFilter(region="GHANA"), 2) == [pita.id, coordinator.id]
    assert await found(PeopleFilter(region="Peru"), 1) == []
