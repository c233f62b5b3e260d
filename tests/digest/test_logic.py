"""The digest's Discord-free logic: slots across timezones and DST, ordering, hiding, fitting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from cogs.digest._schedule import Slot, follow_up_window, latest_slot
from cogs.digest._sections import (
    DigestData,
    OwnerGap,
    SectionKind,
    field_budget,
    fit_lines,
    plan_digest,
)
from core.vocabulary import Health, Stage
from db.digest import CheckinAlert, PartnershipRef, UnansweredClinic

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def ref(
    number: int,
    *,
    confidential: bool = False,
    stage: Stage = Stage.ACTIVE,
    health: Health | None = None,
    follow_up: date | None = None,
    checked: datetime | None = None,
) -> PartnershipRef:
    return PartnershipRef(
        id=number,
        name=f"P{number}",
        confidential=confidential,
        owner_id=100 + number,
        stage=stage,
        health=health,
        next_follow_up=follow_up,
        last_checkin_at=checked,
        updated_at=T0 + timedelta(hours=number),
    )


def alert(partnership: PartnershipRef, *, missed: bool, due_days: int) -> CheckinAlert:
    due = T0 + timedelta(days=due_days)
    return CheckinAlert(partnership.id * 10, partnership, missed, due, due, None)


# ------------------------------------------------------------------------------ slots
def test_latest_slot_is_the_local_hour_on_the_weekday_across_a_dst_change() -> None:
    # Mondays at 09:00 in Berlin: CET (UTC+1) until Sunday 28 March 2027, CEST (UTC+2) after.
    before_change = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    after_change = datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert latest_slot(after_change, 0, 9, BERLIN) == Slot(after_change, date(2027, 3, 29))
    assert latest_slot(after_change - timedelta(seconds=1), 0, 9, BERLIN) == Slot(
        before_change, date(2027, 3, 22)
    )
    assert latest_slot(datetime(2027, 3, 28, 23, 0, tzinfo=UTC), 0, 9, BERLIN).at == before_change


def test_latest_slot_in_a_zone_behind_utc_keeps_the_local_date() -> None:
    # Tuesdays at 21:00 in New York are Wednesdays 02:00 UTC: the week is named by the local date.
    now = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    assert latest_slot(now, 1, 21, NEW_YORK) == Slot(
        datetime(2026, 11, 25, 2, 0, tzinfo=UTC), date(2026, 11, 24)
    )
    assert latest_slot(now, 1, 21, NEW_YORK).week_of == "2026-11-24"


def test_after_three_weeks_down_only_the_latest_slot_counts() -> None:
    now = datetime(2026, 12, 17, 10, 0, tzinfo=UTC)  # a Thursday
    slot = latest_slot(now, 1, 8, NEW_YORK)
    assert slot == Slot(datetime(2026, 12, 15, 13, 0, tzinfo=UTC), date(2026, 12, 15))
    assert slot.is_late(now)


def test_a_slot_is_late_only_after_two_hours() -> None:
    slot = Slot(datetime(2026, 11, 24, 13, 0, tzinfo=UTC), date(2026, 11, 24))
    assert not slot.is_late(slot.at)
    assert not slot.is_late(slot.at + timedelta(hours=2))
    assert slot.is_late(slot.at + timedelta(hours=2, seconds=1))


def test_follow_up_window_is_seven_local_days_from_today() -> None:
    # 03:00 UTC on 24 November is still 23 November in New York.
    assert follow_up_window(datetime(2026, 11, 24, 3, 0, tzinfo=UTC), NEW_YORK) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )


# ------------------------------------------------------------------------------ plan
def test_sections_are_ordered_most_urgent_first() -> None:
    one, two, three = ref(1), ref(2), ref(3)
    data = DigestData(
        checkins=[
            alert(one, missed=False, due_days=1),
            alert(two, missed=True, due_days=5),
            alert(three, missed=True, due_days=2),
        ],
        health=[
            ref(4, health=Health.NEEDS_ATTENTION, checked=T0),
            ref(5, health=Health.STALLED, checked=T0 + timedelta(days=3)),
            ref(6, health=Health.STALLED, checked=T0 + timedelta(days=1)),
        ],
        owners=[
            OwnerGap(ref(7, stage=Stage.PROSPECT), left=True),
            OwnerGap(ref(8), left=False),
            OwnerGap(ref(9), left=True),
        ],
        follow_ups=[ref(10, follow_up=date(2026, 11, 27)), ref(11, follow_up=date(2026, 11, 25))],
        clinics=[
            UnansweredClinic(2, 202, "Later", T0 + timedelta(days=1)),
            UnansweredClinic(1, 201, "Earlier", T0),
        ],
    )
    plan = plan_digest(data, private=True)
    order = {section.kind: section.items for section in plan.sections}
    assert [item.partnership.id for item in order[SectionKind.CHECKINS]] == [3, 2, 1]  # type: ignore[attr-defined]
    assert [item.id for item in order[SectionKind.HEALTH]] == [6, 5, 4]  # type: ignore[attr-defined]
    assert [item.partnership.id for item in order[SectionKind.OWNERS]] == [9, 8, 7]  # type: ignore[attr-defined]
    assert [item.id for item in order[SectionKind.FOLLOW_UPS]] == [11, 10]  # type: ignore[attr-defined]
    assert [item.thread_id for item in order[SectionKind.CLINICS]] == [201, 202]  # type: ignore[attr-defined]
    assert plan.hidden_confidential == 0
    assert plan.reassignable
    assert not plan.quiet


def test_confidential_partnerships_are_counted_once_unless_the_channel_is_private() -> None:
    secret = ref(1, confidential=True, health=Health.STALLED, follow_up=date(2026, 11, 25))
    other_secret = ref(2, confidential=True)
    public = ref(3, health=Health.NEEDS_ATTENTION)
    data = DigestData(
        checkins=[alert(secret, missed=True, due_days=1)],
        health=[secret, public],
        owners=[OwnerGap(other_secret, left=False)],
        follow_ups=[secret],
    )
    hidden = plan_digest(data, private=False)
    assert [(section.kind, section.items) for section in hidden.sections] == [(SectionKind.HEALTH, (public,))]
    assert hidden.hidden_confidential == 2
    assert hidden.reassignable  # the button still lets a coordinator reach the hidden orphan

    shown = plan_digest(data, private=True)
    assert [section.kind for section in shown.sections] == [
        SectionKind.CHECKINS,
        SectionKind.HEALTH,
        SectionKind.OWNERS,
        SectionKind.FOLLOW_UPS,
    ]
    assert shown.hidden_confidential == 0


def test_an_empty_digest_is_quiet_but_hidden_items_are_not() -> None:
    assert plan_digest(DigestData(), private=False).quiet
    only_secret = DigestData(health=[ref(1, confidential=True, health=Health.STALLED)])
    plan = plan_digest(only_secret, private=False)
    assert plan.sections == ()
    assert not plan.quiet
    assert not plan.reassignable


# ------------------------------------------------------------------------------ fitting
def test_fit_lines_keeps_whole_lines_and_counts_the_rest() -> None:
    lines = [f"line {number:02d} " + "x" * 40 for number in range(10)]  # 48 characters each
    assert fit_lines(lines[:2], 200) == "\n".join(lines[:2])
    fitted = fit_lines(lines, 200)
    assert fitted == "\n".join([*lines[:3], "…and 7 more"])
    assert len(fitted) <= 200


def test_fit_lines_cuts_a_line_longer_than_the_limit() -> None:
    fitted = fit_lines(["y" * 500, "short"], 100)
    assert fitted == "y" * 75 + "…\nshort"


def test_field_budget_shares_the_embed_total_and_never_exceeds_a_field() -> None:
    assert field_budget(200, 3) == 1024
    assert field_budget(500, 6) == 916  # (6000 - 500) // 6
    assert field_budget(0, 0) == 1024
