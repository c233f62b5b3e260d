"""/partnership register and show, through Discord: the form, the record, bad input, privacy."""

from __future__ import annotations

from typing import Any

from simcord.actors import MemberActor

from db import partnerships
from db.partnerships import Viewer
from tests.conftest import Community

BASE = {
    "partner": "National Museum of Ghana",
    "type": "museum",
    "stage": "active",
    "goals": "content, advocacy",
}


async def register(
    community: Community, actor: MemberActor, form: dict[str, str] | None = None, **options: Any
) -> Any:
    shown = await actor.slash(community.general, "partnership register", **{**BASE, **options})
    assert shown.modal is not None, shown.response and shown.response.content
    return await actor.submit_modal(shown, form or {"description": "Wikipedian in Residence and uploads"})


async def count(community: Community) -> int:
    return await community.bot.database.fetch_value("SELECT COUNT(*) FROM partnerships")


async def test_register_opens_a_form_then_writes_the_record(community: Community) -> None:
    mina = community.member
    result = await register(
        community,
        mina,
        form={
            "name": "WiR at the National Museum",
            "description": "A residency with uploads to Commons",
            "meta_url": "https://meta.wikimedia.org/wiki/WiR_Ghana",
            "end": "2027-06-30",
        },
        areas="museums, Wikidata, oral traditions",
        region="Ghana",
        start="2026-01-15",
        projects="commons, Wikidata",
    )
    assert result.ephemeral
    assert "Registered **WiR at the National Museum**" in result.response.content
    embed = result.response.embeds[0]
    assert "National Museum of Ghana" in embed.title
    fields = {field.name: field.value for field in embed.fields}
    assert fields["Stage"] == "Active"
    assert fields["Owner(s)"] == mina.mention
    assert fields["Areas"] == (
        "GLAM (galleries, libraries, archives, museums), oral traditions, Wikidata and structured data"
    )
    assert "Check-ins: monthly" in fields["Details"]

    stored = await partnerships.get(community.bot.database, community.guild.id, 1)
    assert stored is not None
    assert stored.owner_id == mina.id
    assert stored.areas == ("glam", "oral traditions", "wikidata")
    assert stored.end_date.isoformat() == "2027-06-30"  # type: ignore[union-attr]
    assert stored.scope.value == "external"
    assert stored.projects == ("Commons", "Wikidata")
    timeline = await community.bot.database.fetch_all("SELECT kind, author_id FROM partnership_timeline")
    assert [(row["kind"], row["author_id"]) for row in timeline] == [("created", mina.id)]


async def test_affiliate_partners_are_internal(community: Community) -> None:
    await register(community, community.member, partner="Wikimedia Deutschland", type="affiliate")
    stored = await partnerships.get(community.bot.database, community.guild.id, 1)
    assert stored is not None and stored.scope.value == "internal"


async def test_bad_inputs_write_nothing(community: Community) -> None:
    mina = community.member
    cases = [
        ({"goals": "fame"}, "“fame” isn't a goal"),
        ({"goals": " "}, "Choose at least one goal"),
        ({"start": "2027-02-30"}, "doesn't exist in the calendar"),
        ({"start": "next week"}, "isn't a date. Write it as YYYY-MM-DD"),
        ({"partner": "x" * 101}, "the limit is 100"),
        ({"region": "r" * 61}, "the limit is 60"),
        ({"areas": ",".join(f"tag{i}" for i in range(9))}, "choose at most 8"),
        ({"projects": "Wikipedia, Facebook"}, "“Facebook” isn't a Wikimedia project"),
    ]
    for options, message in cases:
        result = await mina.slash(community.general, "partnership register", **{**BASE, **options})
        assert result.modal is None
        assert result.ephemeral
        assert message in result.response.content, (options, result.response.content)
    assert await count(community) == 0


async def test_bad_form_values_write_nothing(community: Community) -> None:
    mina = community.member
    for form, message in [
        ({"end": "2025-01-01"}, "is before the start date"),
        ({"meta_url": "meta.wikimedia.org/wiki/x"}, "must be a web address starting with https://"),
        ({"end": "2027-13-01"}, "doesn't exist in the calendar"),
    ]:
        result = await register(community, mina, form=form, start="2026-01-01")
        assert result.ephemeral
        assert message in result.response.content
    assert await count(community) == 0


async def test_same_partner_twice_by_same_owner_is_refused(community: Community) -> None:
    await register(community, community.member)
    again = await community.member.slash(
        community.general, "partnership register", **{**BASE, "partner": "national museum of ghana"}
    )
    assert again.modal is None
    assert "You already have a partnership with" in again.response.content
    # Another member may register the same partner.
    await register(community, community.members[1])
    assert await count(community) == 2


async def test_show_and_autocomplete_respect_confidentiality(community: Community) -> None:
    mina, omar, pita = community.members
    await register(community, mina, partner="Open Archive", type="archive")
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )
    secret = await partnerships.autocomplete(
        community.bot.database, community.guild.id, Viewer(mina.id, False), "Secret"
    )
    secret_id = str(secret[0].id)

    # The owner and coordinators see it; another member gets the same answer as for a missing record.
    shown = await mina.slash(community.general, "partnership show", partnership=secret_id)
    assert "Secret Funder" in shown.response.embeds[0].title
    assert "🔒 confidential" in shown.response.embeds[0].fields[0].value
    as_coordinator = await community.coordinator.slash(
        community.general, "partnership show", partnership=secret_id
    )
    assert "Secret Funder" in as_coordinator.response.embeds[0].title
    denied = await omar.slash(community.general, "partnership show", partnership=secret_id)
    assert denied.ephemeral
    assert denied.response.content.startswith("I can't find a partnership")
    missing = await omar.slash(community.general, "partnership show", partnership="999")
    assert missing.response.content.replace("999", secret_id) == denied.response.content

    # Autocomplete: omar sees only the public one; mina sees both, her own first.
    omar_choices = await omar.autocomplete(community.general, "partnership show", "partnership", "")
    assert [choice["name"] for choice in omar_choices] == ["Open Archive · Active (#1)"]
    mina_choices = await mina.autocomplete(community.general, "partnership show", "partnership", "")
    assert {choice["value"] for choice in mina_choices} == {"1", secret_id}
    coordinator_choices = await community.coordinator.autocomplete(
        community.general, "partnership show", "partnership", "secret"
    )
    assert [choice["value"] for choice in coordinator_choices] == [secret_id]
    none_for_pita = await pita.autocomplete(community.general, "partnership show", "partnership", "secret")
    assert none_for_pita == []


async def test_autocomplete_puts_my_partnerships_first_and_caps_at_25(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    for index in range(27):
        await register(community, omar, partner=f"Library {index:02d}", type="library")
    await register(community, mina, partner="Mina's Library", type="library")
    choices = await mina.autocomplete(community.general, "partnership show", "partnership", "")
    assert len(choices) == 25
    assert choices[0]["name"].startswith("Mina's Library")


async def test_list_options_complete_the_word_being_typed(community: Community) -> None:
    mina = community.member
    projects = await mina.autocomplete(
        community.general, "partnership register", "projects", "Commons, wikid"
    )
    assert [choice["value"] for choice in projects] == ["Commons, Wikidata"]
    areas = await mina.autocomplete(community.general, "partnership register", "areas", "museums")
    assert [choice["value"] for choice in areas] == ["GLAM (galleries, libraries, archives, museums)"]
