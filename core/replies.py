"""The one way the bot answers an interaction, and the one way it answers an error.

``respond`` works whatever state the interaction is in (not yet answered, deferred, answered):
the first answer uses the interaction response, later ones a follow-up. ``report_error`` is
called by the command tree, every view and modal, and every dynamic item, so a member always
gets a clear ephemeral message and the traceback is logged once, with ids, never shown.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from core.errors import CheckCrashed, PermissionDenied, UserError

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


async def respond(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    embeds: Sequence[discord.Embed] | None = None,
    view: discord.ui.View | None = None,
    files: Sequence[discord.File] | None = None,
    ephemeral: bool = True,
    allowed_mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    """Answer the interaction, as the first response or as a follow-up if one was already sent."""
    kwargs: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": allowed_mentions}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if embeds is not None:
        kwargs["embeds"] = list(embeds)
    if view is not None:
        kwargs["view"] = view
    if files:
        kwargs["files"] = list(files)
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def _describe(interaction: discord.Interaction) -> str:
    command = interaction.command.qualified_name if interaction.command else None
    custom_id = (interaction.data or {}).get("custom_id") if interaction.data else None
    return (
        f"guild={interaction.guild_id} channel={interaction.channel_id} user={interaction.user.id} "
        f"command={command} custom_id={custom_id}"
    )


def message_for(error: BaseException) -> str | None:
    """The member-facing text for an expected error, or None for a bug."""
    if isinstance(error, UserError | PermissionDenied):
        return error.message
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server, not in direct messages."
    if isinstance(error, app_commands.MissingPermissions):
        needed = ", ".join(name.replace("_", " ").title() for name in error.missing_permissions)
        return f"You need the {needed} permission for this."
    if isinstance(error, app_commands.BotMissingPermissions):
        needed = ", ".join(name.replace("_", " ").title() for name in error.missing_permissions)
        return f"I need the {needed} permission here. A server admin can check `/setup show`."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.TransformerError):
        return f"“{error.value}” isn't a valid value here. Pick one of the offered choices."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, discord.Forbidden):
        return (
            "Discord refused me permission to do that here. A server admin can see what I'm missing "
            "with `/setup show`."
        )
    return None


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the member what went wrong; log bugs with a reference they can quote."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError) and isinstance(
        error.__cause__, UserError
    ):
        error = error.__cause__
    elif isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    elif isinstance(error, CheckCrashed) and error.__cause__ is not None:
        error = error.__cause__
    text = message_for(error)
    if text is None:
        reference = secrets.token_hex(4)
        log.error("unhandled error ref=%s %s", reference, _describe(interaction), exc_info=error)
        text = (
            "Something went wrong on my side and nothing was changed by this step. "
            f"Please try again; if it keeps happening, tell an admin the reference `{reference}`."
        )
    else:
        log.info("refused %s reason=%s", _describe(interaction), type(error).__name__)
    try:
        await respond(interaction, text, ephemeral=True)
    except discord.HTTPException:
        # The interaction expired (past 15 minutes) or the channel vanished; nothing more to do.
        log.warning("could not deliver error message %s", _describe(interaction))
