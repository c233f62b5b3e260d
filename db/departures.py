"""Members who left a server, so counts of present members need not ask Discord about each person.

Only people the bot holds something about are recorded (a declared area, a profile, a partnership
they own or co-own): the table says nothing about anyone else. A row is written when Discord says
the member left, deleted when they come back, and both are reconciled against the full member list
when the bot connects, since people come and go while it is offline.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from core.clock import to_storage
from db.database import Database

# Where a member of a server appears: (table, member column, the row's server as SQL).
_MEMBER_COLUMNS = (
    ("member_expertise", "user_id", "guild_id"),
    ("profiles", "user_id", "guild_id"),
    ("partnerships", "owner_id", "guild_id"),
    ("partnership_co_owners", "user_id", "(SELECT guild_id FROM partnerships WHERE id = partnership_id)"),
)
# Every member the server's records name (read once per reconciliation).
_KNOWN_MEMBERS = " UNION ".join(
    f"SELECT {column} AS user_id FROM {table} WHERE {guild} = :guild AND {column} IS NOT NULL"
    for table, column, guild in _MEMBER_COLUMNS
)
# Whether the records name :user (one index lookup per table).
_IS_KNOWN = " OR ".join(
    f"EXISTS (SELECT 1 FROM {table} WHERE {column} = :user AND {guild} = :guild)"
    for table, column, guild in _MEMBER_COLUMNS
)


@dataclass(frozen=True)
class Reconciled:
    left: int  # members on record who are gone, newly recorded
    returned: int  # recorded departures of members who are back


async def record_departure(database: Database, guild_id: int, user_id: int, *, at: datetime) -> bool:
    """The member left; recorded only if our records name them. False if nothing was written."""
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "INSERT INTO member_departures (guild_id, user_id, left_at)"
                f" SELECT :guild, :user, :at WHERE {_IS_KNOWN}"
                " ON CONFLICT DO NOTHING",
                {"guild": guild_id, "user": user_id, "at": to_storage(at)},
            )
            > 0
        )


async def record_return(database: Database, guild_id: int, user_id: int) -> bool:
    """The member (re)joined; False if they weren't recorded as gone."""
    async with database.transaction() as tx:
        return (
            await tx.changes(
                "DELETE FROM member_departures WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
            )
            > 0
        )


async def reconcile(
    database: Database, guild_id: int, present: Collection[int], *, at: datetime
) -> Reconciled:
    """Bring the server's departures in line with its full member list ``present``, in one transaction."""
    async with database.transaction() as tx:
        known = {row["user_id"] for row in await tx.fetch_all(_KNOWN_MEMBERS, {"guild": guild_id})}
        recorded = {
            row["user_id"]
            for row in await tx.fetch_all(
                "SELECT user_id FROM member_departures WHERE guild_id = ?", (guild_id,)
            )
        }
        here = set(present)
        gone = known - recorded - here
        back = recorded & here
        stamp = to_storage(at)
        await tx.execute_many(
            "INSERT INTO member_departures (guild_id, user_id, left_at) VALUES (?, ?, ?)",
            [(guild_id, user_id, stamp) for user_id in sorted(gone)],
        )
        await tx.execute_many(
            "DELETE FROM member_departures WHERE guild_id = ? AND user_id = ?",
            [(guild_id, user_id) for user_id in sorted(back)],
        )
    return Reconciled(left=len(gone), returned=len(back))
