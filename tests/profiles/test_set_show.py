"""/profile set and show through Discord: partial updates, bad input, what others may see."""

from __future__ import annotations

import pytest
from simcord import OptionError
from simcord.actors import MemberActor

from tests.conftest import Community
from tests.partnerships.test_register_show import register
from tests.profiles.helpers import fields_of, profile_row, set_profile


async def test_set_each_field_and_later_updates_keep_the_others(community: Community) -> None:
    mina = community.member
    first = await set_profile(community, mina, timezone="Africa/Accra", affiliation="Wikimedia Ghana")
    assert first.ephemeral
    shown = fields_of(first.response.embeds[0])
    assert shown["Timezone"] == "Africa/Accra: 12:00 (Fri, UTC+00:00) there now"
    assert shown["Affiliation"] == "Wikimedia Ghana"
    assert shown["Region"] == "not set"

    await set_profile(community, mina, region="West Africa", languages="English, Twi, english")
    await set_profile(community, mina, checkin_hour=9)
    last = await set_profile(community, mina, show_affiliation=False, show_region=False, show_languages=False)

    row = await profile_row(community, mina)
    assert row is not None
    assert dict(row) == {
        "guild_id": community.guild.id,
        "user_id": mina.id,
        "timezone": "Africa/Accra",
        "affiliation": "Wikimedia Ghana",
        "region": "West Africa",
        "languages": "English,Twi",
        "checkin_hour": 9,
        "share_affiliation": 0,
        "share_region": 0,
        "share_languages": 0,
        "updated_at": "2026-11-20T12:00:00+00:00",
        "checkins_paused_until": None,
    }
    shown = fields_of(last.response.embeds[0])
    assert shown["Check-in hour"] == "09:00\n🙈 only you see this"
    assert shown["Languages"] == "English, Twi\n🙈 hidden from others"
    assert shown["Affiliation"] == "Wikimedia Ghana\n🙈 hidden from others"


async def test_a_dash_clears_a_field_and_the_default_timezone_applies(community: Community) -> None:
    mina = community.member
    await set_profile(community, mina, timezone="Asia/Kolkata", affiliation="WMIN")
    cleared = await set_profile(community, mina, timezone="-", affiliation="-")
    shown = fields_of(cleared.response.embeds[0])
    assert shown["Timezone"] == "not set (the server's UTC is used)"
    assert shown["Affiliation"] == "not set"
    row = await profile_row(community, mina)
    assert row is not None and row["timezone"] is None and row["affiliation"] is None


async def test_no_options_lists_them_and_writes_nothing(community: Community) -> None:
    result = await community.member.slash(community.general, "profile set")
    assert result.ephemeral
    assert result.response.content.startswith("Tell me what to set: `timezone`, `affiliation`, `region`")
    assert "`show_affiliation`" in result.response.content
    assert await profile_row(community, community.member) is None


async def test_bad_input_writes_nothing(community: Community) -> None:
    mina = community.member
    await set_profile(community, mina, affiliation="Wikimedia Ghana")
    cases = [
        ({"timezone": "Mars/Olympus"}, "'Mars/Olympus' is not a known timezone"),
        ({"affiliation": "a" * 101}, "Affiliation is 101 characters; the limit is 100"),
        ({"region": "r" * 61}, "Region is 61 characters; the limit is 60"),
        ({"languages": ",".join(f"l{index}" for index in range(11))}, "list at most 10"),
        ({"languages": "x" * 31}, "each is at most 30 characters"),
        # One bad value among good ones: none of them is written.
        ({"timezone": "Europe/Berlin", "region": "r" * 61}, "the limit is 60"),
    ]
    for options, message in cases:
        result = await mina.slash(community.general, "profile set", **options)
        assert result.ephemeral
        assert message in result.response.content, (options, result.response.content)
    row = await profile_row(community, mina)
    assert row is not None
    assert (row["timezone"], row["affiliation"], row["region"], row["languages"]) == (
        None,
        "Wikimedia Ghana",
        None,
        None,
    )
    # Discord itself refuses an hour outside 0–23 (the option declares the range).
    with pytest.raises(OptionError, match="must be ≤ 23"):
        await mina.slash(community.general, "profile set", checkin_hour=24)
    with pytest.raises(OptionError, match="must be ≥ 0"):
        await mina.slash(community.general, "profile set", checkin_hour=-1)


async def test_timezone_autocomplete(community: Community) -> None:
    mina = community.member
    found = await mina.autocomplete(community.general, "profile set", "timezone", "berlin")
    assert found == [{"name": "Europe/Berlin", "value": "Europe/Berlin"}]
    shouted = await mina.autocomplete(community.general, "profile set", "timezone", "BUENOS")
    assert [choice["value"] for choice in shouted] == [
        "America/Argentina/Buenos_Aires",
        "America/Buenos_Aires",  # the older alias: both are valid IANA names
    ]
    assert len(await mina.autocomplete(community.general, "profile set", "timezone", "e")) == 25
    # Nothing typed: the server default; once set, the member's own zone comes first.
    assert await mina.autocomplete(community.general, "profile set", "timezone", "") == [
        {"name": "UTC", "value": "UTC"}
    ]
    await set_profile(community, mina, timezone="Africa/Accra")
    empty = await mina.autocomplete(community.general, "profile set", "timezone", "")
    assert [choice["value"] for choice in empty] == ["Africa/Accra", "UTC"]


async def test_show_own_profile_in_full_with_hidden_fields_marked(community: Community) -> None:
    mina = community.member
    await set_profile(
        community,
        mina,
        timezone="Asia/Kolkata",
        affiliation="Wikimedia India",
        region="South Asia",
        languages="Hindi, English",
        checkin_hour=18,
        show_affiliation=False,
    )
    shown = await mina.slash(community.general, "profile show")
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "Your profile"
    assert fields_of(embed) == {
        "Timezone": "Asia/Kolkata: 17:30 (Fri, UTC+05:30) there now",
        "Check-in hour": "18:00\n🙈 only you see this",
        "Affiliation": "Wikimedia India\n🙈 hidden from others",
        "Region": "South Asia",
        "Languages": "Hindi, English",
        "Partnerships": "none",
    }
    # Naming yourself is the same as naming nobody.
    again = await mina.slash(community.general, "profile show", member=mina)
    assert again.response.embeds[0].to_dict() == embed.to_dict()


async def test_others_see_only_what_is_shared(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    await set_profile(
        community,
        mina,
        timezone="Asia/Kolkata",
        affiliation="Secret Employer",
        region="Hidden Valley",
        languages="Hindi, English",
        checkin_hour=18,
        show_affiliation=False,
        show_region=False,
    )
    shown = await omar.slash(community.general, "profile show", member=mina)
    assert shown.ephemeral
    embed = shown.response.embeds[0]
    assert embed.title == "Profile of mina"
    assert embed.description == mina.mention
    assert fields_of(embed) == {
        "Timezone": "Asia/Kolkata: 17:30 (Fri, UTC+05:30) there now",
        "Languages": "Hindi, English",
        "Partnerships": "none",
    }
    everything = str(embed.to_dict())
    for secret in ("Secret Employer", "Hidden Valley", "18:00", "hidden"):
        assert secret not in everything

    await set_profile(community, mina, show_languages=False)
    shown = await omar.slash(community.general, "profile show", member=mina)
    fields = fields_of(shown.response.embeds[0])
    assert fields["Shared"] == "No affiliation, region or languages shared."
    assert "Hindi" not in str(shown.response.embeds[0].to_dict())


async def test_no_profile_yet(community: Community) -> None:
    mina, omar = community.members[0], community.members[1]
    own = await mina.slash(community.general, "profile show")
    assert own.response.embeds[0].description.startswith(
        "You have no profile yet. Set it with `/profile set`"
    )
    other = await omar.slash(community.general, "profile show", member=mina)
    assert other.response.embeds[0].description == f"{mina.mention} has no profile yet."
    assert await profile_row(community, mina) is None


async def test_partnership_counts_respect_confidentiality(community: Community) -> None:
    mina, omar, pita = community.members
    await register(community, mina, partner="Open Archive", type="archive")
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )
    await register(community, omar, partner="City Library", type="library")
    await mina.slash(community.general, "partnership co-owner", partnership="2", member=omar)

    async def counts(viewer: MemberActor, member: MemberActor) -> str:
        shown = await viewer.slash(community.general, "profile show", member=member)
        return fields_of(shown.response.embeds[0])["Partnerships"]

    assert await counts(pita, mina) == "owns 1 · co-owns 0"
    assert await counts(pita, omar) == "owns 1 · co-owns 0"
    assert await counts(community.coordinator, mina) == "owns 2 · co-owns 0"
    assert await counts(community.coordinator, omar) == "owns 1 · co-owns 1"
    assert await counts(omar, mina) == "owns 2 · co-owns 0"
    assert await counts(mina, mina) == "owns 2 · co-owns 0"
    assert await counts(mina, omar) == "owns 1 · co-owns 1"
