"""/profile export: one JSON file with everything the bot holds about the member in this guild."""

from __future__ import annotations

import json
from typing import Any

from simcord.actors import MemberActor

from db import partnerships
from tests.conftest import Community
from tests.partnerships.test_register_show import register
from tests.profiles.helpers import set_profile
from tests.profiles.test_fields import EXPORT_KEYS


async def exported(community: Community, actor: MemberActor) -> tuple[Any, dict[str, Any]]:
    result = await actor.slash(community.general, "profile export")
    attachments = result.response.attachments
    assert len(attachments) == 1
    assert attachments[0].filename == f"my-data-{community.guild.id}.json"
    return result, json.loads(await attachments[0].read())


async def arrange_co_owner_and_notes(community: Community, member: MemberActor) -> None:
    """Arranged directly rather than through the commands, to give each note its own time."""
    async with community.bot.database.transaction() as tx:
        await tx.execute(
            "INSERT INTO partnership_co_owners (partnership_id, user_id) VALUES (3, ?)", (member.id,)
        )
        for partnership_id, note in ((3, "Met the librarians"), (4, "Drafted the grant")):
            await partnerships.add_timeline(
                tx,
                partnership_id,
                "interaction",
                author_id=member.id,
                at=community.clock.advance(hours=1),
                summary="Logged an interaction",
                note=note,
            )


async def test_export_holds_profile_partnerships_and_authored_entries(community: Community) -> None:
    mina, omar, pita = community.members
    await set_profile(community, mina, timezone="Africa/Accra", languages="English, Twi", show_region=False)
    await register(community, mina, partner="Open Archive", type="archive", start="2026-01-15")
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )
    await register(community, omar, partner="City Library", type="library")
    await register(community, omar, partner="Omar's Secret", type="ngo", visibility="confidential")
    await register(community, pita, partner="Pita Museum")
    await arrange_co_owner_and_notes(community, mina)

    result, document = await exported(community, mina)
    assert result.ephemeral
    assert result.response.content.startswith("Here is everything I hold about you in this server")
    assert list(document) == EXPORT_KEYS
    assert (document["guild_id"], document["user_id"]) == (community.guild.id, mina.id)
    assert document["exported_at"] == "2026-11-20T14:00:00+00:00"
    assert document["profile"] == {
        "guild_id": community.guild.id,
        "user_id": mina.id,
        "timezone": "Africa/Accra",
        "affiliation": None,
        "region": None,
        "languages": ["English", "Twi"],
        "checkin_hour": None,
        "share_affiliation": True,
        "share_region": False,
        "share_languages": True,
        "updated_at": "2026-11-20T12:00:00+00:00",
    }

    records = document["partnerships"]
    assert [(record["id"], record["role"], record["partner_name"]) for record in records] == [
        (1, "owner", "Open Archive"),
        (2, "owner", "Secret Funder"),
        (3, "co-owner", "City Library"),
    ]
    archive, secret, library = records
    assert archive["start_date"] == "2026-01-15"
    assert archive["created_at"] == "2026-11-20T12:00:00+00:00"
    assert archive["stage"] == "active"
    assert archive["description"] == "Wikipedian in Residence and uploads"
    assert secret["visibility"] == "confidential"
    assert library["owner_id"] == omar.id and library["co_owner_ids"] == [mina.id]
    assert [item["item"] for item in library["agreement"]] == [
        "roles",
        "decisions",
        "communication",
        "money",
        "ip",
        "exit",
    ]
    assert library["targets"] == []

    entries = document["timeline_entries"]
    assert [(entry["partnership_id"], entry["partnership_name"], entry["kind"]) for entry in entries] == [
        (1, "Open Archive", "created"),
        (2, "Secret Funder", "created"),
        (3, "City Library", "interaction"),
        # Mina wrote it, but may no longer see that confidential partnership: no name.
        (4, None, "interaction"),
    ]
    assert entries[2]["note"] == "Met the librarians"
    assert entries[3]["at"] == "2026-11-20T14:00:00+00:00"
    assert "Pita Museum" not in json.dumps(document)
    assert "Omar's Secret" not in json.dumps(document)

    # The same data gives the same file.
    _, again = await exported(community, mina)
    assert again == document


async def test_export_with_no_data(community: Community) -> None:
    _, document = await exported(community, community.member)
    assert document["profile"] is None
    assert document["partnerships"] == []
    assert document["timeline_entries"] == []
