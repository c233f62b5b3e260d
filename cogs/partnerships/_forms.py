"""The text fields of the partnership forms; the limits are shown in each label."""

from __future__ import annotations

from datetime import date

import discord

from cogs.partnerships import _validate as validate
from db.partnerships import Partnership

TextInput = discord.ui.TextInput


def _name(placeholder: str, default: str | None = None) -> TextInput:
    return TextInput(
        custom_id="name",
        label=f"Partnership name (optional, ≤{validate.NAME_MAX})",
        placeholder=placeholder[:100],
        default=default,
        required=False,
        max_length=validate.NAME_MAX,
    )


def _description(default: str | None = None) -> TextInput:
    return TextInput(
        custom_id="description",
        label=f"Description (≤{validate.DESCRIPTION_MAX} characters)",
        style=discord.TextStyle.paragraph,
        placeholder="What you do together, for whom, and why",
        default=default,
        required=False,
        max_length=validate.DESCRIPTION_MAX,
    )


def _links(meta_url: str | None = None, agreement_url: str | None = None) -> list[TextInput]:
    return [
        TextInput(
            custom_id="meta_url",
            label="Meta-Wiki page (https://…, optional)",
            default=meta_url,
            required=False,
            max_length=validate.URL_MAX,
        ),
        TextInput(
            custom_id="agreement_url",
            label="Agreement document (https://…, optional)",
            default=agreement_url,
            required=False,
            max_length=validate.URL_MAX,
        ),
    ]


def _end(default: str | None = None, *, required: bool = False) -> TextInput:
    return TextInput(
        custom_id="end",
        label="End date (YYYY-MM-DD" + (")" if required else ", optional)"),
        default=default,
        required=required,
        max_length=10,
    )


def register_fields(partner_name: str) -> list[TextInput]:
    return [_name(f"e.g. Wikipedian in Residence at {partner_name}"), _description(), *_links(), _end()]


def edit_fields(record: Partnership) -> list[TextInput]:
    """The long fields, filled with what the record holds now."""
    return [
        _name(record.partner_name, record.name),
        _description(record.description or None),
        *_links(record.meta_url, record.agreement_url),
    ]


def close_fields(record: Partnership, today: date) -> list[TextInput]:
    return [
        TextInput(
            custom_id="outcome",
            label=f"Outcome: what came of it (≤{validate.OUTCOME_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="e.g. 1,200 images on Commons; the museum now runs its own edit-a-thons",
            max_length=validate.OUTCOME_MAX,
        ),
        TextInput(
            custom_id="lessons",
            label=f"Lessons for others (≤{validate.LESSONS_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="What worked, what you'd do differently",
            max_length=validate.LESSONS_MAX,
        ),
        _end((record.end_date or today).isoformat(), required=True),
    ]
