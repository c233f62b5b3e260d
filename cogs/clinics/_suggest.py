"""Choosing whom a clinic suggests and whom it pings: Discord-free.

Up to five people in the ranking's order; never the asker; members who left are skipped. Only
people who opted in are pinged, and only while under the weekly cap; the rest are named without a
ping. On the re-suggestion, nobody is pinged twice for the same clinic.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

SUGGESTIONS_MAX = 5


@dataclass(frozen=True)
class RankedExpert:
    """One person as the expertise ranking returns them, best first."""

    user_id: int
    opted_in: bool  # /expertise available on


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    ping: bool


def choose(
    ranked: Sequence[RankedExpert],
    *,
    asker_id: int,
    is_member: Callable[[int], bool],
    pings_this_week: Mapping[int, int],
    weekly_cap: int,
    already_pinged: Collection[int] = (),
    limit: int = SUGGESTIONS_MAX,
) -> list[Suggestion]:
    chosen: list[Suggestion] = []
    seen: set[int] = set()
    for expert in ranked:
        if len(chosen) >= limit:
            break
        if expert.user_id == asker_id or expert.user_id in seen or not is_member(expert.user_id):
            continue
        seen.add(expert.user_id)
        ping = (
            expert.opted_in
            and expert.user_id not in already_pinged
            and pings_this_week.get(expert.user_id, 0) < weekly_cap
        )
        chosen.append(Suggestion(expert.user_id, ping))
    return chosen


def pinged(suggestions: Sequence[Suggestion]) -> list[int]:
    return [suggestion.user_id for suggestion in suggestions if suggestion.ping]
