"""The synthetic community's shape, shared by the generator and the runner: sizes, ids, who is who.

Everything is a pure function of the size and the member's number, so the runner can rebuild the
Discord side (the server, its members and roles) that matches a cached database without storing
anything beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bench.names import FIRST_NAMES

# The moment the community is "now": every generated time is before it, the runner's clock is it.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEED = 20261120

_DISCORD_EPOCH_MS = 1420070400000


def _snowflake(moment: datetime, sequence: int = 0) -> int:
    return ((int(moment.timestamp() * 1000) - _DISCORD_EPOCH_MS) << 22) | sequence


# Ids from years before SimCord's own clock (2026), so they never meet the ids it hands out.
MAIN_GUILD_ID = _snowflake(datetime(2019, 3, 1, tzinfo=UTC))
OTHER_GUILD_IDS = (_snowflake(datetime(2019, 6, 1, tzinfo=UTC)), _snowflake(datetime(2019, 9, 1, tzinfo=UTC)))
_MEMBERS_FROM = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Size:
    """How much of everything one server holds."""

    name: str
    members: int
    partnerships: int
    timeline: int  # entries, the "created" one of each partnership included
    checkins: int
    clinics: int

    def scaled(self, share: float) -> Size:
        """A smaller server with the same proportions (at least a handful of each)."""
        return Size(
            self.name,
            max(20, int(self.members * share)),
            max(30, int(self.partnerships * share)),
            max(300, int(self.timeline * share)),
            max(300, int(self.checkins * share)),
            max(12, int(self.clinics * share)),
        )


SIZES: dict[str, Size] = {
    "small": Size("small", members=100, partnerships=300, timeline=3_000, checkins=3_000, clinics=120),
    "movement": Size(
        "movement", members=10_000, partnerships=50_000, timeline=500_000, checkins=500_000, clinics=20_000
    ),
    "tenx": Size(
        "tenx", members=100_000, partnerships=500_000, timeline=5_000_000, checkins=5_000_000, clinics=200_000
    ),
}
# Two other servers use the same bot, each this share of the main one, so every query must keep to
# its own server (and a per-server limit must not be spent on another server's rows).
OTHER_GUILD_SHARE = 0.02


def member_id(number: int) -> int:
    """The Discord id of member ``number`` (0-based) of the main server."""
    return _snowflake(_MEMBERS_FROM) + (number << 12)


def member_name(number: int) -> str:
    return f"{FIRST_NAMES[number % len(FIRST_NAMES)]}_{number}"


def is_admin(number: int) -> bool:
    return number < 3


def is_coordinator(number: int) -> bool:
    """Coordinators hold the coordinator role (admins are coordinators anyway)."""
    return number % 200 == 7


def has_left(number: int) -> bool:
    """About one member in fifty has left the server; their records stay (orphaned or not)."""
    return number % 50 == 49
