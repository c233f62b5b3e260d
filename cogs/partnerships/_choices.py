"""Choices and option suggestions shared by the /partnership subcommands."""

from __future__ import annotations

from discord import app_commands

from core.vocabulary import PARTNER_TYPE_LABELS, STAGE_LABELS, Cadence, Stage, Visibility

TYPE_CHOICES = [
    app_commands.Choice(name=label, value=kind.value) for kind, label in PARTNER_TYPE_LABELS.items()
]
STAGE_CHOICES = [app_commands.Choice(name=label, value=stage.value) for stage, label in STAGE_LABELS.items()]
# Concluding goes through /partnership close, which asks for the outcome and lessons.
OPEN_STAGE_CHOICES = [choice for choice in STAGE_CHOICES if choice.value != Stage.CONCLUDED.value]
VISIBILITY_CHOICES = [
    app_commands.Choice(name="Public: everyone in the server can read it", value=Visibility.PUBLIC.value),
    app_commands.Choice(
        name="Confidential: only owners and coordinators", value=Visibility.CONFIDENTIAL.value
    ),
]
CADENCE_CHOICES = [app_commands.Choice(name=cadence.value, value=cadence.value) for cadence in Cadence]
GOAL_SUGGESTIONS = [
    "content",
    "funding",
    "advocacy",
    "content, funding",
    "content, advocacy",
    "funding, advocacy",
    "content, funding, advocacy",
]


def goal_choices(current: str) -> list[app_commands.Choice[str]]:
    word = current.strip().casefold()
    return [app_commands.Choice(name=option, value=option) for option in GOAL_SUGGESTIONS if word in option][
        :25
    ]
