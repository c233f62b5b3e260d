"""The check-in form: its fields, turning what was typed into an ``Answer``, and when to offer a clinic.

Discord-free apart from the field objects: parsing takes text and returns values or raises
``UserError`` with what to fix, so nothing is written after a bad answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import discord

from cogs.partnerships import _validate as validate
from core.errors import UserError
from core.text import shorten
from core.vocabulary import Health
from db.checkins import Answer
from db.partnerships import PartnershipDetail, Target

NEXT_STEP_MAX = 300
PROGRESS_MAX = 1000  # ten targets of "metric: figure" lines fit easily

TextInput = discord.ui.TextInput


def answer_fields(detail: PartnershipDetail, today: date) -> list[TextInput]:
    """At most four fields (Discord allows five): note, target progress (if any), next step, follow-up."""
    record = detail.partnership
    fields = [
        TextInput(
            custom_id="note",
            label=f"Progress note (optional, ≤{validate.NOTE_MAX})",
            style=discord.TextStyle.paragraph,
            placeholder="What happened since the last check-in",
            required=False,
            max_length=validate.NOTE_MAX,
        )
    ]
    if detail.targets:
        fields.append(
            TextInput(
                custom_id="progress",
                label="Targets: one “metric: figure” per line",
                style=discord.TextStyle.paragraph,
                default="\n".join(f"{target.metric}: {target.current:g}" for target in detail.targets),
                required=False,
                max_length=PROGRESS_MAX,
            )
        )
    upcoming = record.next_follow_up if record.next_follow_up and record.next_follow_up >= today else None
    fields += [
        TextInput(
            custom_id="next_step",
            label=f"Next step (optional, ≤{NEXT_STEP_MAX})",
            placeholder="e.g. send the draft agreement to the archive",
            required=False,
            max_length=NEXT_STEP_MAX,
        ),
        TextInput(
            custom_id="follow_up",
            label="Next follow-up date (YYYY-MM-DD, optional)",
            default=upcoming.isoformat() if upcoming else None,
            required=False,
            max_length=10,
        ),
    ]
    return fields


def parse_answer(form: Mapping[str, str], health: Health, targets: Sequence[Target], today: date) -> Answer:
    return Answer(
        health=health,
        note=validate.text(form.get("note"), field="The progress note", limit=validate.NOTE_MAX),
        next_step=validate.text(form.get("next_step"), field="The next step", limit=NEXT_STEP_MAX),
        progress=parse_progress(form.get("progress"), targets),
        follow_up=validate.follow_up_date(form.get("follow_up"), today=today),
    )


def parse_progress(text: str | None, targets: Sequence[Target]) -> dict[str, float]:
    """``metric: figure`` lines (a unit after the figure is fine) → {metric as stored: figure}."""
    known = {target.metric.casefold(): target.metric for target in targets}
    progress: dict[str, float] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, colon, figure = line.rpartition(":")
        if not colon or not name.strip():
            raise UserError(
                f"Line {number} of the targets, “{shorten(line, 60)}”, isn't “metric: figure”, "
                "for example “files uploaded: 120”."
            )
        metric = known.get(name.strip().casefold())
        if metric is None:
            raise UserError(
                f"“{shorten(name.strip(), 40)}” isn't one of this partnership's targets "
                f"({', '.join(known.values())}). Add a new target with `/partnership target`."
            )
        progress[metric] = _figure(figure, metric)
    return progress


def _figure(text: str, metric: str) -> float:
    words = text.split()
    try:
        value = float(words[0].replace(",", "")) if words else None
    except ValueError:
        value = None
    if value is None:
        raise UserError(f"The figure for “{metric}” must be a number, for example “{metric}: 120”.")
    checked = validate.amount(value, field=f"The figure for “{metric}”")
    assert checked is not None
    return checked


def needs_clinic(recent: Sequence[Health]) -> bool:
    """Offer a clinic after "Stalled", or after "Needs attention" twice in a row (newest first)."""
    if not recent:
        return False
    return recent[0] is Health.STALLED or list(recent[:2]) == [Health.NEEDS_ATTENTION] * 2
