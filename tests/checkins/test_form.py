"""The check-in form's parsing and the clinic offer, without Discord."""

from __future__ import annotations

from datetime import date

import pytest

from cogs.checkins._form import needs_clinic, parse_answer, parse_progress
from core.errors import UserError
from core.vocabulary import Health
from db.partnerships import Target

TARGETS = [Target("files uploaded", 500, 120, "files"), Target("Wikidata items", 50, 10, "")]
TODAY = date(2026, 12, 20)


def test_progress_lines_match_targets_in_any_case_and_allow_units() -> None:
    text = "FILES UPLOADED: 1,250 files\n\n  wikidata items :12  \n"
    assert parse_progress(text, TARGETS) == {"files uploaded": 1250.0, "Wikidata items": 12.0}
    assert parse_progress("", TARGETS) == {}
    assert parse_progress(None, TARGETS) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("files uploaded 12", "Line 1 of the targets, “files uploaded 12”, isn't “metric: figure”"),
        (": 12", "isn't “metric: figure”"),
        (
            "visitors: 4",
            "“visitors” isn't one of this partnership's targets (files uploaded, Wikidata items).",
        ),
        (
            "files uploaded:",
            "The figure for “files uploaded” must be a number, for example “files uploaded: 120”.",
        ),
        ("files uploaded: many", "The figure for “files uploaded” must be a number"),
        ("files uploaded: -1", "The figure for “files uploaded” must be a number 0 or more (got -1)."),
        ("files uploaded: inf", "must be a number 0 or more"),
    ],
)
def test_bad_progress_says_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_progress(text, TARGETS)
    assert message in raised.value.message


def test_an_answer_trims_and_checks_every_field() -> None:
    answer = parse_answer(
        {
            "note": "  Good call.  ",
            "next_step": "",
            "progress": "files uploaded: 130",
            "follow_up": "2027-01-05",
        },
        Health.ON_TRACK,
        TARGETS,
        TODAY,
    )
    assert (answer.note, answer.next_step, dict(answer.progress), answer.follow_up) == (
        "Good call.",
        None,
        {"files uploaded": 130.0},
        date(2027, 1, 5),
    )
    with pytest.raises(UserError, match=r"The next step is 301 characters; the limit is 300\."):
        parse_answer({"next_step": "x" * 301}, Health.ON_TRACK, TARGETS, TODAY)
    with pytest.raises(UserError, match="is in the past"):
        parse_answer({"follow_up": "2026-12-19"}, Health.ON_TRACK, TARGETS, TODAY)


def test_a_clinic_is_offered_after_stalled_or_needs_attention_twice_in_a_row() -> None:
    on, needs, stalled = Health.ON_TRACK, Health.NEEDS_ATTENTION, Health.STALLED
    assert needs_clinic([stalled])
    assert needs_clinic([stalled, on])
    assert needs_clinic([needs, needs])
    assert not needs_clinic([needs])
    assert not needs_clinic([needs, on])
    assert not needs_clinic([on, stalled])
    assert not needs_clinic([])
