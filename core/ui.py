"""Base classes for views and modals, and a guard for dynamic items: all errors go one way."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import discord

from core.errors import UserError
from core.replies import report_error

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class BaseView(discord.ui.View):
    """A view whose errors reach ``report_error``; optionally usable only by some members."""

    def __init__(self, *, allowed_user_ids: Iterable[int] | None = None, timeout: float | None = 600) -> None:
        super().__init__(timeout=timeout)
        self.allowed_user_ids = None if allowed_user_ids is None else frozenset(allowed_user_ids)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if self.allowed_user_ids is not None and interaction.user.id not in self.allowed_user_ids:
            await report_error(interaction, UserError("These buttons belong to someone else's message."))
            return False
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any) -> None:
        await report_error(interaction, error)


class BaseModal(discord.ui.Modal):
    """A modal whose errors reach ``report_error``."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error)


def guarded(callback: F) -> F:
    """Wrap a DynamicItem callback: discord.py only logs their errors, the member would see nothing."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await callback(self, interaction, *args, **kwargs)
        except Exception as error:
            await report_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]


Finish = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


class FormModal(BaseModal):
    """A modal of text fields that hands ``{custom_id: value}`` to ``finish`` on submit."""

    def __init__(self, *, title: str, fields: Iterable[discord.ui.TextInput[Any]], finish: Finish) -> None:
        super().__init__(title=title)
        for text_field in fields:
            self.add_item(text_field)
        self.finish = finish

    async def on_submit(self, interaction: discord.Interaction) -> None:
        values = {
            item.custom_id: item.value for item in self.children if isinstance(item, discord.ui.TextInput)
        }
        await self.finish(interaction, values)
