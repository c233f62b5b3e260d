"""/expertise show and /expertise areas through Discord: evidence grouped, privacy, share flags, counts."""

from __future__ import annotations

from datetime import timedelta

from core.vocabulary import PartnerType, Stage
from db import expertise, profiles
from tests.clinics.helpers import clinics_forum, open_clinic
from tests.conftest import Community, tick
from tests.expertise.helpers import declare, record


def fields(embed: object) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}  # type: ignore[attr-defined]


async def test_show_lists_areas_and_partnerships_the_viewer_may_see(community: Community) -> None:
    mina, omar, _ = community.members
    await declare(community, mina, "GLAM", "expert", "Museum residencies")
    await declare(community, mina, "oral traditions", "learning")
    active = await record(community, mina, "National Museum", areas=("glam",))
    done = await record(community, mina, "City Archive", type=PartnerType.ARCHIVE, stage=Stage.CONCLUDED)
    early = await record(
        community, omar, "Radio Ghana", type=PartnerType.COMPANY, stage=Stage.PROSPECT, co_owners=(mina,)
    )
    secret = await record(community, mina, "Secret Funder", type=PartnerType.FUNDER, confidential=True)

    as_omar = await omar.slash(community.general, "expertise show", member=mina)
    assert as_omar.ephemeral
    embed = as_omar.response.embeds[0]
    assert embed.title == "mina's expertise"
    assert embed.description == "**Expert** · GLAM — Museum residencies\n**Learning** · oral traditions"
    assert fields(embed)["Partnerships"] == (
        f"**Active** (1): National Museum (#{active})\n"
        f"**Concluded** (1): City Archive (#{done})\n"
        f"**In progress** (1): Radio Ghana (#{early})"
    )
    assert embed.footer.text == "Not open to clinic pings"

    as_mina = await mina.slash(community.general, "expertise show")
    assert fields(as_mina.response.embeds[0])["Partnerships"].startswith(
        f"**Active** (2): Secret Funder (#{secret}), National Museum (#{active})"
    )
    as_coordinator = await community.coordinator.slash(community.general, "expertise show", member=mina)
    assert "Secret Funder" in fields(as_coordinator.response.embeds[0])["Partnerships"]


async def test_show_respects_share_flags_and_availability(community: Community) -> None:
    mina, omar, _ = community.members
    await profiles.update(
        community.bot.database,
        community.guild.id,
        mina.id,
        at=community.clock(),
        affiliation="Wikimedia Ghana UG",
        region="Accra",
        languages=("English", "Twi"),
        share_region=False,
    )
    await expertise.set_available(
        community.bot.database, community.guild.id, mina.id, True, at=community.clock()
    )

    others = (await omar.slash(community.general, "expertise show", member=mina)).response.embeds[0]
    assert fields(others)["Profile"] == "🏛 Wikimedia Ghana UG · 🗣 English, Twi"
    assert others.description == "No areas listed yet."
    assert fields(others)["Partnerships"] == "None that you can see."
    assert others.footer.text == "🔔 open to clinic pings"
    own = (await mina.slash(community.general, "expertise show")).response.embeds[0]
    assert fields(own)["Profile"] == (
        "🏛 Wikimedia Ghana UG · 📍 Accra · 🗣 English, Twi\nHidden from others: region"
    )
    assert own.description == "You haven't listed any areas yet. Add one with `/expertise add`."


async def test_show_refuses_a_member_who_left(community: Community) -> None:
    mina, _, pita = community.members
    await declare(community, pita, "GLAM", "expert")
    community.guild.remove_member(pita)
    result = await mina.slash(community.general, "expertise show", member=pita.user)
    assert result.ephemeral
    assert result.response.content == "pita isn't a member of this server any more."


async def test_areas_counts_members_partnerships_and_clinics(community: Community) -> None:
    mina, omar, pita = community.members
    await declare(community, mina, "GLAM", "expert")
    await declare(community, omar, "museums", "learning")
    await declare(community, pita, "GLAM", "practitioner")
    await declare(community, mina, "Wikidata", "expert")
    await declare(community, mina, "basket weaving", "expert")  # free areas aren't in the list
    await record(community, mina, "Open Museum", areas=("glam", "wikidata"))
    await record(community, omar, "Closed Museum", areas=("glam",), confidential=True)
    community.guild.remove_member(pita)

    as_member = await mina.slash(community.general, "expertise areas")
    assert as_member.ephemeral
    embed = as_member.response.embeds[0]
    assert embed.title == "Partnership areas"
    lines = embed.description.split("\n")
    assert len(lines) == 20
    assert "**GLAM** — 2 members · 1 partnership · 0 open clinics" in lines
    assert "**Wikidata and structured data** — 1 member · 1 partnership · 0 open clinics" in lines
    assert "**Copyright and licensing** — 0 members · 0 partnerships · 0 open clinics" in lines

    as_coordinator = await community.coordinator.slash(community.general, "expertise areas")
    assert (
        "**GLAM** — 2 members · 2 partnerships · 0 open clinics"
        in as_coordinator.response.embeds[0].description
    )


async def test_areas_count_open_clinics_only(community: Community) -> None:
    await clinics_forum(community)
    await open_clinic(community, community.member, topic="Museum licence")
    await open_clinic(community, community.members[1], topic="Library scans")
    shown = await community.member.slash(community.general, "expertise areas")
    assert "**GLAM** — 0 members · 0 partnerships · 2 open clinics" in shown.response.embeds[0].description

    await tick(community, community.clock() + timedelta(days=15))  # both go dormant
    shown = await community.member.slash(community.general, "expertise areas")
    assert "**GLAM** — 0 members · 0 partnerships · 0 open clinics" in shown.response.embeds[0].description
