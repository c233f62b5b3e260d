"""The digest's Reassign button: coordinators only, the partnership and new owner picked in an
ephemeral message, written as a recorded transfer, and still working after a restart."""

from __future__ import annotations

from typing import Any

import discord

from cogs.digest._reassign import OWNER_ID, PICK_ID
from core.permissions import DENIED, Level
from tests.conftest import Community
from tests.digest.helpers import (
    FIRST_SLOT,
    digest_channel,
    digests_in,
    import_partnerships,
    pinged,
    register,
    tick,
)

LEFT_PROMPT = "Choose the new owner of **City Archive**: its owner left the server."
ORPHAN_PROMPT = "Choose the new owner of **Lost Archive**: it is orphaned."


async def posted_digest(community: Community, *, orphan_only: bool = False) -> discord.Message:
    """omar's City Archive (omar then leaves) and the orphaned Lost Archive, in a digest everyone reads."""
    omar = community.members[1]
    channel = await digest_channel(community, private=False)
    if not orphan_only:
        await register(community, omar, "City Archive")  # 1
    await import_partnerships(community, [{"partner_name": "Lost Archive", "owner_id": ""}])
    if not orphan_only:
        community.guild.remove_member(omar)
    await tick(community, FIRST_SLOT)
    (digest,) = digests_in(community, channel)
    return digest


async def owner_of(community: Community, partnership_id: int) -> int | None:
    return await community.bot.database.fetch_value(
        "SELECT owner_id FROM partnerships WHERE id = ?", (partnership_id,)
    )


async def ownership_entries(community: Community) -> list[tuple[int, int | None, str]]:
    rows = await community.bot.database.fetch_all(
        "SELECT partnership_id, author_id, summary FROM partnership_timeline"
        " WHERE kind = 'ownership' ORDER BY id"
    )
    return [(row["partnership_id"], row["author_id"], row["summary"]) for row in rows]


def options(message: Any) -> list[tuple[str, str, str]]:
    return [
        (option["label"], option["value"], option.get("description"))
        for row in message.components
        for child in row["components"]
        if child.get("custom_id") == PICK_ID
        for option in child["options"]
    ]


async def test_a_member_is_refused_and_nothing_changes(community: Community) -> None:
    digest = await posted_digest(community)
    result = await community.member.click(digest, label="Reassign")
    assert result.ephemeral
    assert result.response.content == DENIED[Level.COORDINATOR]
    assert result.response.components == []
    assert await ownership_entries(community) == []


def dm_texts(actor: Any) -> list[str]:
    return [message.content for message in actor.user.dm_channel.history()]


async def test_a_coordinator_picks_the_partnership_then_the_new_owner(community: Community) -> None:
    pita = community.members[2]
    coordinator = community.coordinator
    digest = await posted_digest(community)
    shown = await coordinator.click(digest, label="Reassign")
    assert shown.ephemeral
    assert shown.response.content == "2 partnerships need an owner. Choose one, then its new owner."
    assert options(shown.response) == [
        ("City Archive (#1)", "1", "Owner left the server"),
        ("Lost Archive (#2)", "2", "Orphaned"),
    ]

    picked = await coordinator.select(shown.response, ["1"], custom_id=PICK_ID)
    assert picked.response.content == LEFT_PROMPT
    done = await coordinator.select(picked.response, [pita], custom_id=OWNER_ID)
    assert (
        done.response.content
        == f"✅ **City Archive** now belongs to {pita.mention}. I told them by direct message."
    )
    assert done.response.ephemeral
    assert done.response.components == []
    assert pinged(community, done.response.message) == [pita.id]  # only the new owner may be pinged
    assert await owner_of(community, 1) == pita.id
    assert await owner_of(community, 2) is None
    assert await ownership_entries(community) == [
        (1, coordinator.id, "Reassigned: the owner left the server")
    ]
    assert dm_texts(pita) == [
        "🧭 A coordinator made you the owner of **City Archive** in **Wikimedia Partnerships**. "
        "See it with `/partnership show`."
    ]
    shown_record = await pita.slash(community.general, "partnership show", partnership="1")
    owners = {field.name: field.value for field in shown_record.response.embeds[0].fields}["Owner(s)"]
    assert owners == pita.mention


async def test_the_button_works_after_a_restart(community: Community) -> None:
    mina = community.member
    digest = await posted_digest(community, orphan_only=True)
    await community.restart()
    shown = await community.coordinator.click(digest, label="Reassign")
    assert shown.response.content == ORPHAN_PROMPT  # one partnership: no need to choose it
    assert options(shown.response) == []
    done = await community.coordinator.select(shown.response, [mina], custom_id=OWNER_ID)
    assert done.response.content.startswith(f"✅ **Lost Archive** now belongs to {mina.mention}.")
    assert await owner_of(community, 1) == mina.id
    assert await ownership_entries(community) == [
        (1, community.coordinator.id, "Orphaned partnership reassigned")
    ]


async def test_choices_that_cant_work_are_refused_and_write_nothing(community: Community) -> None:
    mina, _, pita = community.members
    coordinator = community.coordinator
    digest = await posted_digest(community)
    await register(community, mina, "Lost Archive")  # mina already has this partner
    shown = await coordinator.click(digest, label="Reassign")

    too_soon = await coordinator.select(shown.response, [pita], custom_id=OWNER_ID)
    assert too_soon.response.content == "First choose the partnership, then its new owner."

    picked = await coordinator.select(shown.response, ["2"], custom_id=PICK_ID)
    assert picked.response.content == ORPHAN_PROMPT
    helper_bot = community.guild.add_member(community.env.create_user("helper-bot", bot=True))
    a_bot = await coordinator.select(picked.response, [helper_bot], custom_id=OWNER_ID)
    assert a_bot.response.content == "Choose a member of this server (not a bot) as the new owner."
    duplicate = await coordinator.select(picked.response, [mina], custom_id=OWNER_ID)
    assert duplicate.response.content == (
        "mina already owns a partnership with “Lost Archive”; one owner can't have the same partner twice."
    )
    assert await owner_of(community, 2) is None
    assert await ownership_entries(community) == []


async def test_a_partnership_reassigned_meanwhile_is_not_reassigned_again(community: Community) -> None:
    mina, _, pita = community.members
    coordinator = community.coordinator
    digest = await posted_digest(community, orphan_only=True)
    shown = await coordinator.click(digest, label="Reassign")
    moved = await coordinator.slash(community.general, "partnership transfer", partnership="1", to=mina)
    assert "now belongs to" in moved.response.content

    late = await coordinator.select(shown.response, [pita], custom_id=OWNER_ID)
    assert late.response.content == (
        f"**Lost Archive** has an owner in the server again ({mina.mention}); nothing changed."
    )
    assert await owner_of(community, 1) == mina.id
    again = await coordinator.click(digest, label="Reassign")
    assert (
        again.response.content
        == "Nothing to reassign now: every open partnership has an owner in the server."
    )


async def test_a_new_owner_who_takes_no_direct_messages_is_named_to_the_coordinator(
    community: Community,
) -> None:
    pita = community.members[2]
    digest = await posted_digest(community, orphan_only=True)
    shown = await community.coordinator.click(digest, label="Reassign")
    community.env.inject_error(
        "POST", "/users/@me/channels", status=403, code=50007, message="Cannot send messages"
    )
    done = await community.coordinator.select(shown.response, [pita], custom_id=OWNER_ID)
    assert done.response.content == (
        f"✅ **Lost Archive** now belongs to {pita.mention}. I couldn't message them; please let them know."
    )
    assert await owner_of(community, 1) == pita.id
