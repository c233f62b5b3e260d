"""Exceptions that carry a message meant for the member who caused them."""

from __future__ import annotations

from discord import app_commands


class UserError(Exception):
    """A problem the member can fix (bad input, missing setup): the message is shown to them as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(app_commands.CheckFailure):
    """The member's level is too low for what they tried; the message says what is needed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CheckCrashed(app_commands.AppCommandError):
    """A permission check itself failed (e.g. the database was unreachable).

    discord.py only routes ``AppCommandError`` from checks to the tree's error handler; anything
    else would be logged and the member would see nothing. The original error is the cause.
    """
