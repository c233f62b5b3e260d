"""The benchmark counts the collector's full passes that land on the bot, not its own."""

from __future__ import annotations

import gc

from bench.measure import GarbageWatch


def test_full_collections_are_counted_but_the_runners_own_are_not() -> None:
    watch = GarbageWatch()
    with watch.installed():
        gc.collect()  # as the collector would, on its own
        watch.collect_untimed()  # the runner's, between scenarios
        gc.collect(1)  # not a full pass
    assert len(watch.pauses) == 1
    assert watch.summary()["full_collections"] == 1
    assert watch.summary()["max_pause_ms"] >= 0
    gc.collect()  # after the block: no longer watched
    assert len(watch.pauses) == 1
