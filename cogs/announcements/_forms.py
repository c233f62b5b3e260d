"""The announcement form (title and text) and its limits, which the labels show."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from cogs.partnerships import _validate as validate

TITLE_MAX = 256  # an embed title's limit
# A modal field holds at most 4,000 characters. The text becomes the embed's description (limit
# 4,096); with the title and the "Posted by" footer the embed stays far below Discord's 6,000 in all.
BODY_MAX = 4000

TextInput = discord.ui.TextInput


@dataclass(frozen=True)
class Wording:
    title: str
    body: str


def fields(current: Wording | None = None) -> list[TextInput]:
    """The form's fields, filled with ``current`` when editing."""
    return [
        TextInput(
            custom_id="title",
            label=f"Title (≤{TITLE_MAX} characters)",
            placeholder="e.g. GLAM partnerships call on Monday",
            default=current.title if current else None,
            max_length=TITLE_MAX,
        ),
        TextInput(
            custom_id="body",
            label=f"Text: Discord markdown, ≤{BODY_MAX:,} characters",
            style=discord.TextStyle.paragraph,
            placeholder="What's happening, when, where, and how to join",
            default=current.body if current else None,
            max_length=BODY_MAX,
        ),
    ]


def wording(form: dict[str, str]) -> Wording:
    return Wording(
        title=validate.required_text(form.get("title"), field="The title", limit=TITLE_MAX),
        body=validate.required_text(form.get("body"), field="The text", limit=BODY_MAX),
    )
