"""Choices and option suggestions shared by the /partnership subcommands."""

from __future__ import annotations

from discord import app_commands

from core.vocabulary import (
    AGREEMENT_LABELS,
    PARTNER_TYPE_LABELS,
    STAGE_LABELS,
    Cadence,
    Scope,
    Stage,
    Structure,
    Visibility,
)

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
STRUCTURE_CHOICES = [
    app_commands.Choice(name="Simple: one partner, one activity", value=Structure.SIMPLE.value),
    app_commands.Choice(name="Complex: several partners or activities", value=Structure.COMPLEX.value),
]
SCOPE_CHOICES = [
    app_commands.Choice(name="External: outside the Wikimedia movement", value=Scope.EXTERNAL.value),
    app_commands.Choice(name="Internal: within the Wikimedia movement", value=Scope.INTERNAL.value),
]
AGREEMENT_CHOICES = [
    app_commands.Choice(name=label, value=item.value) for item, label in AGREEMENT_LABELS.items()
]
# Metrics the seeds' partnerships report on; members may type their own.
METRIC_SUGGESTIONS = [
    "articles created or improved",
    "files uploaded to Commons",
    "Wikidata items",
    "participants",
    "events",
    "new editors",
    "pages transcribed on Wikisource",
]
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
