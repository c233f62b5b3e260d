"""The pacer on its own: a burst at once, then one turn per interval; a 429 holds it back."""

from __future__ import annotations

import pytest

from core.pacing import Pacer
from tests.checkins.helpers import FakeTime


def test_a_burst_goes_at_once_then_one_turn_per_interval() -> None:
    time = FakeTime()
    pacer = Pacer(5, burst=5, clock=time)
    waits = [pacer.reserve() for _ in range(7)]
    assert waits == pytest.approx([0, 0, 0, 0, 0, 0.2, 0.4])


def test_after_a_quiet_spell_the_burst_is_back() -> None:
    time = FakeTime()
    pacer = Pacer(5, burst=5, clock=time)
    for _ in range(7):
        pacer.reserve()
    time.now = 3.0
    assert [pacer.reserve() for _ in range(6)] == pytest.approx([0, 0, 0, 0, 0, 0.2])


async def test_waiting_turns_keeps_the_rate() -> None:
    time = FakeTime()
    pacer = Pacer(5, burst=5, clock=time, sleep=time.sleep)
    for _ in range(15):
        await pacer.wait_turn()
    # Five at once, then ten more at five a second: two seconds.
    assert time.slept == [0.2] * 10
    assert time.now == pytest.approx(2.0)


def test_a_hold_delays_the_next_turn_and_cancels_the_burst() -> None:
    time = FakeTime()
    pacer = Pacer(5, burst=5, clock=time)
    pacer.reserve()
    pacer.hold(2.0)
    assert [pacer.reserve() for _ in range(3)] == pytest.approx([2.0, 2.2, 2.4])


def test_a_hold_shorter_than_the_queue_changes_nothing() -> None:
    time = FakeTime()
    pacer = Pacer(1, clock=time)
    for _ in range(5):
        pacer.reserve()  # turns taken up to four seconds ahead
    pacer.hold(1.0)
    assert pacer.reserve() == pytest.approx(5.0)


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (5, 0)])
def test_a_pacer_needs_a_positive_rate_and_burst(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="positive rate"):
        Pacer(rate, burst=burst)
