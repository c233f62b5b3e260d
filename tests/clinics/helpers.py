"""Shared steps for the clinic tests: a clinics channel, experts, opening a clinic, reading the thread."""

from __future__ import annotations

from typing import Any

import discord
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle

from db import clinics
from db.clinics import Clinic
from tests.conftest import Community

INTAKE = {
    "situation": "The city museum agreed to release 3,000 photographs but now hesitates about the licence.",
    "tried": "We sent them the Commons licensing guide.",
    "help_needed": "Someone who has negotiated an open licence with a museum.",
}


async def clinics_forum(community: Community, name: str = "clinics") -> ChannelHandle:
    forum = community.guild.create_forum_channel(name)
    result = await community.admin.slash(community.general, "setup channel", purpose="clinics", channel=forum)
    assert "Clinics channel set" in result.response.content
    return forum


async def clinics_text_channel(community: Community, name: str = "clinic-desk") -> ChannelHandle:
    channel = community.guild.create_text_channel(name)
    result = await community.admin.slash(
        community.general, "setup channel", purpose="clinics", channel=channel
    )
    assert "Clinics channel set" in result.response.content
    return channel


async def expert(
    community: Community, actor: MemberActor, area: str = "GLAM", level: str = "expert", *, pings: bool
) -> None:
    """Declare an area through /expertise, and opt in to (or out of) clinic pings."""
    added = await actor.slash(community.general, "expertise add", area=area, level=level)
    assert "Added" in added.response.content or "Updated" in added.response.content, added.response.content
    switched = await actor.slash(community.general, "expertise available", pings="on" if pings else "off")
    assert switched.response is not None


async def open_clinic(
    community: Community,
    actor: MemberActor,
    *,
    topic: str = "Museum hesitates about the licence",
    area: str = "GLAM (galleries, libraries, archives, museums)",
    form: dict[str, str] | None = None,
    **options: Any,
) -> Any:
    """Run /clinic open and submit the intake form; return the form's result."""
    shown = await actor.slash(community.general, "clinic open", topic=topic, area=area, **options)
    assert shown.modal is not None, shown.response and shown.response.content
    return await actor.submit_modal(shown, form or INTAKE)


def reply_text(result: Any) -> str:
    """The text of an answer, whether it came as the response or as a follow-up after a defer."""
    messages = [message for message in [result.response, *result.followups] if message is not None]
    return "\n".join(message.content for message in messages if message.content)


async def only_clinic(community: Community) -> Clinic:
    rows = await community.bot.database.fetch_all("SELECT id FROM clinics")
    assert len(rows) == 1, rows
    clinic = await clinics.get(community.bot.database, rows[0]["id"])
    assert clinic is not None
    return clinic


def thread_of(community: Community, parent: ChannelHandle, thread_id: int) -> ChannelHandle:
    return next(thread for thread in parent.threads if thread.id == thread_id)


def stored_message(community: Community, message: Any) -> Any:
    """SimCord's record of a message: who it pinged, and whether it mentioned everyone."""
    return community.env.backend.get_message(message.channel.id, message.id)


async def deny_bot(community: Community, channel: ChannelHandle, **permissions: bool) -> None:
    """A channel overwrite that takes permissions away from the bot, as an admin might by mistake."""
    from simcord.backend.models import Overwrite
    from simcord.enums import OverwriteType

    denied = discord.Permissions(**permissions).value
    community.env.backend.set_overwrite(
        channel.id,
        Overwrite(target_id=community.bot.user.id, type=OverwriteType.MEMBER, allow=0, deny=denied),
    )
    await community.env.settle()


async def set_forum_tags(community: Community, forum: ChannelHandle, names: list[str]) -> None:
    """Tags an admin made by hand in the forum's settings."""
    tags = [
        {"id": str(9000 + index), "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
        for index, name in enumerate(names)
    ]
    community.env.backend.edit_channel(forum.id, {"available_tags": tags})
    await community.env.settle()


def forum_tag_names(community: Community, forum: ChannelHandle) -> list[str]:
    return [tag["name"] for tag in community.env.backend.get_channel(forum.id).available_tags]


def applied_tag_names(community: Community, forum: ChannelHandle, thread_id: int) -> list[str]:
    names = {
        int(tag["id"]): tag["name"] for tag in community.env.backend.get_channel(forum.id).available_tags
    }
    return [names[tag] for tag in community.env.backend.get_channel(thread_id).applied_tags]


async def clinic_count(community: Community) -> int:
    return await community.bot.database.fetch_value("SELECT COUNT(*) FROM clinics")
