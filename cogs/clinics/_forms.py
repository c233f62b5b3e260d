"""The clinic forms (intake, lesson) and turning what was typed into clean values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import discord

from cogs.partnerships import _validate as validate
from core.errors import UserError
from core.text import shorten
from db.areas import Area

TOPIC_MAX = 100  # a thread's name is at most 100 characters
SITUATION_MAX = 1000
TRIED_MAX = 1000
HELP_MAX = 500
LESSON_MAX = 1500
TAG_MAX = 30
TAGS_MAX = 8

TextInput = discord.ui.TextInput


@dataclass(frozen=True)
class Intake:
    situation: str
    tried: str
    help_needed: str

    @property
    def text(self) -> str:
        return " ".join(filter(None, (self.situation, self.tried, self.help_needed)))


@dataclass(frozen=True)
class Lesson:
    text: str
    tags: tuple[str, ...]


def intake_fields() -> list[TextInput]:
    return [
        TextInput(
            custom_id="situation",
            label=f"The situation (≤{SITUATION_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="The partner, what you are trying to do, and where it is stuck",
            max_length=SITUATION_MAX,
        ),
        TextInput(
            custom_id="tried",
            label=f"What you have tried (optional, ≤{TRIED_MAX})",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=TRIED_MAX,
        ),
        TextInput(
            custom_id="help_needed",
            label=f"What help you need (≤{HELP_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="e.g. someone who has negotiated an open licence with a museum",
            max_length=HELP_MAX,
        ),
    ]


def lesson_fields() -> list[TextInput]:
    return [
        TextInput(
            custom_id="lesson",
            label=f"What worked? The lesson for others (≤{LESSON_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="What solved it, and what you would do differently next time",
            max_length=LESSON_MAX,
        ),
        TextInput(
            custom_id="tags",
            label=f"Tags (optional, comma-separated, up to {TAGS_MAX})",
            required=False,
            placeholder="e.g. licensing, museum, negotiation",
            max_length=TAGS_MAX * (TAG_MAX + 2),
        ),
    ]


def opening_fields(topic_default: str | None, area_default: str | None) -> list[TextInput]:
    """The intake with the topic and area as fields too, for a clinic opened from a button."""
    return [
        TextInput(
            custom_id="topic",
            label=f"The topic, in a line (≤{TOPIC_MAX})",
            default=topic_default,
            max_length=TOPIC_MAX,
        ),
        TextInput(
            custom_id="area",
            label="The area (e.g. GLAM, Education, Wikidata)",
            default=area_default,
            max_length=100,
        ),
        *intake_fields(),
    ]


def area(value: str, taxonomy: Iterable[Area]) -> Area:
    """The taxonomy area ``value`` names (its label, slug or a synonym)."""
    found = next((area for area in taxonomy if area.matches(value)), None)
    if found is None:
        raise UserError(f"“{shorten(value.strip(), 60)}” isn't one of the areas. Pick one from the list.")
    return found


def topic(value: str) -> str:
    return validate.required_text(value, field="The topic", limit=TOPIC_MAX)


def intake(form: dict[str, str]) -> Intake:
    return Intake(
        situation=validate.required_text(form.get("situation"), field="The situation", limit=SITUATION_MAX),
        tried=validate.text(form.get("tried"), field="What you have tried", limit=TRIED_MAX) or "",
        help_needed=validate.required_text(
            form.get("help_needed"), field="The help you need", limit=HELP_MAX
        ),
    )


def tags(value: str | None) -> tuple[str, ...]:
    """Comma-separated tags: trimmed, lowercased, de-duplicated, each short, a few at most."""
    found: list[str] = []
    for raw in (value or "").split(","):
        tag = " ".join(raw.split()).casefold()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise UserError(f"The tag “{tag[:TAG_MAX]}…” is too long; tags are at most {TAG_MAX} characters.")
        if tag not in found:
            found.append(tag)
    if len(found) > TAGS_MAX:
        raise UserError(f"That's {len(found)} tags; use at most {TAGS_MAX}.")
    return tuple(found)


def lesson(form: dict[str, str]) -> Lesson:
    return Lesson(
        text=validate.required_text(form.get("lesson"), field="The lesson", limit=LESSON_MAX),
        tags=tags(form.get("tags")),
    )
