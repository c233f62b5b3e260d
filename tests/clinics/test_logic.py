"""The Discord-free parts of clinics: idle steps, choosing suggestions, forum tags, form values."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cogs.clinics import _forms as forms
from cogs.clinics._idle import IdleState, IdleStep, archived_by_hand, next_step
from cogs.clinics._suggest import RankedExpert, Suggestion, choose
from cogs.clinics._tags import matching_tag, tag_name
from core.config import ConfigError, load_config
from core.errors import UserError
from db.areas import read_taxonomy
from tests.conftest import START

DAY = timedelta(days=1)
QUIET = IdleState(
    open=True,
    last_activity_at=START,
    helpers_quiet_since=START,
    experts_resuggested_at=None,
    keep_open_asked_at=None,
)


@pytest.mark.parametrize(
    ("state", "days_later", "expected"),
    [
        (QUIET, 1.9, None),
        (QUIET, 2, IdleStep.RESUGGEST),
        (replace(QUIET, experts_resuggested_at=START + 2 * DAY), 3, None),
        # The asker kept writing, but no helper: still a re-suggestion.
        (replace(QUIET, last_activity_at=START + 1.5 * DAY), 2, IdleStep.RESUGGEST),
        # A helper wrote on day 1: the two days count from then.
        (replace(QUIET, last_activity_at=START + DAY, helpers_quiet_since=START + DAY), 2.5, None),
        (
            replace(QUIET, last_activity_at=START + DAY, helpers_quiet_since=START + DAY),
            3,
            IdleStep.RESUGGEST,
        ),
        (replace(QUIET, experts_resuggested_at=START + 2 * DAY), 7, IdleStep.ASK_ASKER),
        # After a long downtime only the furthest step runs.
        (QUIET, 8, IdleStep.ASK_ASKER),
        (QUIET, 20, IdleStep.DORMANT),
        (replace(QUIET, keep_open_asked_at=START + 7 * DAY), 10, None),
        (replace(QUIET, keep_open_asked_at=START + 7 * DAY), 14, IdleStep.DORMANT),
        # Someone wrote after the question: a new quiet week may ask again.
        (
            replace(
                QUIET,
                last_activity_at=START + 8 * DAY,
                experts_resuggested_at=START + 2 * DAY,
                keep_open_asked_at=START + 7 * DAY,
            ),
            15,
            IdleStep.ASK_ASKER,
        ),
        # "Keep open" at the moment of the question starts a new quiet week at once.
        (
            replace(
                QUIET,
                last_activity_at=START + 7 * DAY,
                experts_resuggested_at=START + 2 * DAY,
                keep_open_asked_at=START + 7 * DAY,
            ),
            14,
            IdleStep.ASK_ASKER,
        ),
        (replace(QUIET, open=False), 30, None),
    ],
)
def test_next_idle_step(state: IdleState, days_later: float, expected: IdleStep | None) -> None:
    assert next_step(state, START + days_later * DAY) == expected


def test_an_archive_after_a_quiet_week_is_discords_own() -> None:
    assert archived_by_hand(QUIET, START + 3 * DAY)
    assert not archived_by_hand(QUIET, START + 7 * DAY)
    assert not archived_by_hand(replace(QUIET, open=False), START + DAY)


def test_choose_skips_the_asker_and_leavers_and_pings_only_opted_in_under_the_cap() -> None:
    ranked = [
        RankedExpert(1, opted_in=True),  # the asker
        RankedExpert(2, opted_in=True),
        RankedExpert(3, opted_in=False),
        RankedExpert(4, opted_in=True),  # left the server
        RankedExpert(5, opted_in=True),  # pinged three times this week
        RankedExpert(6, opted_in=True),  # pinged for this clinic already
        RankedExpert(7, opted_in=True),
        RankedExpert(8, opted_in=True),
    ]
    chosen = choose(
        ranked,
        asker_id=1,
        is_member=lambda user_id: user_id != 4,
        pings_this_week={5: 3, 2: 2},
        weekly_cap=3,
        already_pinged={6},
    )
    assert chosen == [
        Suggestion(2, ping=True),
        Suggestion(3, ping=False),
        Suggestion(5, ping=False),
        Suggestion(6, ping=False),
        Suggestion(7, ping=True),
    ]


def test_a_cap_of_zero_never_pings() -> None:
    chosen = choose(
        [RankedExpert(2, opted_in=True)],
        asker_id=1,
        is_member=lambda _: True,
        pings_this_week={},
        weekly_cap=0,
    )
    assert chosen == [Suggestion(2, ping=False)]


def test_tag_names_fit_discords_twenty_characters() -> None:
    names = {area.slug: tag_name(area) for area in read_taxonomy()}
    assert names["glam"] == "GLAM"
    assert names["digitisation"] == "Digitisation"
    assert names["igo"] == "IGOs and INGOs"
    assert names["open-science"] == "Open science"
    assert names["volunteers"] == "Volunteer engagement"
    assert names["wikipedian-in-residence"] == "Wikipedian in Resid…"
    assert all(len(name) <= 20 for name in names.values())


def test_a_hand_made_tag_counts_when_it_names_the_area() -> None:
    glam = next(area for area in read_taxonomy() if area.slug == "glam")
    assert matching_tag(["Funding", "glam"], glam) == 1
    assert matching_tag(["Libraries"], glam) == 0
    assert matching_tag(["Wikidata", "Other"], glam) is None


def test_lesson_tags_are_cleaned() -> None:
    assert forms.tags(" Licensing, museum ,, LICENSING,  open   access ") == (
        "licensing",
        "museum",
        "open access",
    )
    assert forms.tags(None) == ()
    with pytest.raises(UserError, match="at most 30 characters"):
        forms.tags("x" * 31)
    with pytest.raises(UserError, match=r"That's 9 tags; use at most 8\."):
        forms.tags(",".join(f"tag{number}" for number in range(9)))


def test_the_lesson_is_required() -> None:
    with pytest.raises(UserError, match=r"The lesson can't be empty\."):
        forms.lesson({"lesson": "  ", "tags": "x"})
    assert forms.lesson({"lesson": " Ask for a small pilot first. ", "tags": ""}) == forms.Lesson(
        "Ask for a small pilot first.", ()
    )


def test_the_weekly_ping_cap_is_read_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[clinics]\n", encoding="utf-8")
    assert load_config(path, environ={}).clinic_weekly_ping_cap == 3
    path.write_text("[clinics]\nweekly_ping_cap = 5\n", encoding="utf-8")
    assert load_config(path, environ={}).clinic_weekly_ping_cap == 5
    path.write_text("[clinics]\nweekly_ping_cap = 51\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[clinics\] weekly_ping_cap: expected a whole number of pings"):
        load_config(path, environ={})
