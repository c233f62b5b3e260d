"""What each configured channel is for, which kinds of channel fit, and what the bot needs there."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from db.settings import ChannelPurpose


@dataclass(frozen=True)
class PurposeSpec:
    label: str
    explanation: str
    channel_types: tuple[discord.ChannelType, ...]
    # Permissions the bot needs in the channel, by channel type.
    needs: dict[discord.ChannelType, tuple[str, ...]]


_POST = ("view_channel", "send_messages", "embed_links", "read_message_history")
_THREADS = ("send_messages_in_threads", "manage_threads", "pin_messages")

PURPOSES: dict[ChannelPurpose, PurposeSpec] = {
    ChannelPurpose.CLINICS: PurposeSpec(
        label="Clinics",
        explanation="where `/clinic open` starts a post (forum) or thread (text channel)",
        channel_types=(discord.ChannelType.forum, discord.ChannelType.text),
        needs={
            discord.ChannelType.forum: (*_POST, *_THREADS),
            discord.ChannelType.text: (*_POST, "create_public_threads", *_THREADS),
        },
    ),
    ChannelPurpose.CHECKINS: PurposeSpec(
        label="Check-ins fallback",
        explanation="a private thread here when a check-in can't be sent by direct message",
        channel_types=(discord.ChannelType.text,),
        needs={discord.ChannelType.text: (*_POST, "create_private_threads", "send_messages_in_threads")},
    ),
    ChannelPurpose.ANNOUNCEMENTS: PurposeSpec(
        label="Announcements",
        explanation="the default channel for `/announce post`",
        channel_types=(discord.ChannelType.text, discord.ChannelType.news),
        needs={discord.ChannelType.text: _POST, discord.ChannelType.news: _POST},
    ),
    ChannelPurpose.DIGEST: PurposeSpec(
        label="Coordinator digest",
        explanation="the weekly digest of what needs attention",
        channel_types=(discord.ChannelType.text,),
        needs={discord.ChannelType.text: _POST},
    ),
}


def permission_label(name: str) -> str:
    return name.replace("_", " ").title()


def missing_permissions(
    purpose: ChannelPurpose, channel_type: discord.ChannelType, granted: discord.Permissions
) -> list[str]:
    """The permissions the bot lacks for ``purpose`` in a channel of this type, as labels."""
    needs = PURPOSES[purpose].needs.get(channel_type, ())
    return [permission_label(name) for name in needs if not getattr(granted, name)]


def type_fits(purpose: ChannelPurpose, channel_type: discord.ChannelType) -> bool:
    return channel_type in PURPOSES[purpose].channel_types


def describe_types(purpose: ChannelPurpose) -> str:
    names = {
        discord.ChannelType.forum: "a forum channel",
        discord.ChannelType.text: "a text channel",
        discord.ChannelType.news: "an announcement channel",
    }
    return " or ".join(names[kind] for kind in PURPOSES[purpose].channel_types)
