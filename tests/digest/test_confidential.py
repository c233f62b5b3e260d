"""Confidential partnerships are named in the digest only when its channel is private to coordinators;
otherwise they are counted, and nothing about them shows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Community
from tests.digest.helpers import (
    FIRST_SLOT,
    button_labels,
    digest_channel,
    digests_in,
    fields_of,
    import_partnerships,
    register,
    tick,
)

SECRETS = ("Secret Museum", "Hidden Archive", "Quiet Foundation")


async def seed(community: Community) -> None:
    mina, omar, pita = community.members
    secret = await register(community, mina, "Secret Museum", visibility="confidential")  # 1
    logged = await mina.slash(
        community.general, "partnership log", partnership=str(secret), note="Met them", follow_up="2026-11-27"
    )
    assert "Logged" in logged.response.content
    await import_partnerships(
        community,
        [
            {
                "partner_name": "Hidden Archive",
                "owner_id": omar.id,
                "health": "stalled",
                "visibility": "confidential",
            },
            {
                "partner_name": "Quiet Foundation",
                "owner_id": "",
                "partner_type": "funder",
                "visibility": "confidential",
            },
            {"partner_name": "Open Library", "owner_id": pita.id, "health": "stalled"},
        ],
    )


def everything(message: Any) -> str:
    (embed,) = message.embeds
    return "\n".join([embed.title, embed.description, *(f"{f.name}\n{f.value}" for f in embed.fields)])


@pytest.mark.parametrize(
    ("private", "also_visible_to"),
    [
        pytest.param(False, None, id="everyone can read the channel"),
        pytest.param(True, "role", id="a role that is not a coordinator role can read it"),
        pytest.param(True, "member", id="a member who is not a coordinator can read it"),
    ],
)
async def test_a_channel_others_can_read_only_counts_them(
    community: Community, private: bool, also_visible_to: str | None
) -> None:
    extra: tuple[Any, ...] = ()
    if also_visible_to == "role":
        extra = (community.guild.create_role("Members"),)
    elif also_visible_to == "member":
        extra = (community.member,)
    channel = await digest_channel(community, private=private, also_visible_to=extra)
    await seed(community)
    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    assert fields_of(posted) == {
        "🚦 Stalled or needing attention (1)": (
            f"🔴 Stalled · **Open Library** (#4) · {community.members[2].mention} · Active"
        ),
        "🔒 Confidential": (
            "3 confidential partnerships need attention — make the digest channel private to coordinators "
            "to see them here."
        ),
    }
    text = everything(posted)
    assert not any(secret in text for secret in SECRETS)
    assert button_labels(posted) == ["Reassign"]  # the orphan is hidden, but coordinators can still reach it


async def test_a_channel_private_to_coordinators_names_them(community: Community) -> None:
    mina, omar, pita = community.members
    channel = await digest_channel(community, also_visible_to=(community.coordinator,))
    await seed(community)
    await tick(community, FIRST_SLOT)
    (posted,) = digests_in(community, channel)
    assert fields_of(posted) == {
        "🚦 Stalled or needing attention (2)": (
            f"🔴 Stalled · **Hidden Archive** (#2) 🔒 · {omar.mention} · Active\n"
            f"🔴 Stalled · **Open Library** (#4) · {pita.mention} · Active"
        ),
        "🧭 No owner in the server (1)": (
            "👻 **Quiet Foundation** (#3) 🔒 · orphaned (its owner asked to be forgotten)"
        ),
        "📅 Follow-ups in the next 7 days (1)": f"📅 Fri 27 Nov · **Secret Museum** (#1) 🔒 · {mina.mention}",
    }
