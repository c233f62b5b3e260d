"""Run the app's repository functions on a plain ``sqlite3`` connection, without an event loop.

The generator writes hundreds of thousands of rows inside one transaction. Search documents and
check-in schedules must be exactly what the app writes, so it calls the app's own functions
(``partnerships.refresh_search``, ``checkins.reschedule``, ``clinics.resolve``) with these stand-ins
for ``Transaction`` and ``Database``. Their statements never wait for anything, so each coroutine
runs to completion in one step: no thread hop per statement, as aiosqlite would need.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Coroutine, Iterable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from db.database import Params

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Drive a coroutine that never suspends to its result."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]
    coroutine.close()
    raise RuntimeError("a repository function waited for something; it can't run directly")


class DirectTransaction:
    """``db.database.Transaction`` on a connection already inside the caller's transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        return self._connection.execute(sql, params).lastrowid or 0

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        self._connection.executemany(sql, rows)

    async def changes(self, sql: str, params: Params = ()) -> int:
        return self._connection.execute(sql, params).rowcount

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        return self._connection.execute(sql, params).fetchone()  # type: ignore[no-any-return]

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        return self._connection.execute(sql, params).fetchall()

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = self._connection.execute(sql, params).fetchone()
        return None if row is None else row[0]


class DirectDatabase(DirectTransaction):
    """``db.database.Database`` whose ``transaction()`` joins the caller's open transaction."""

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[DirectTransaction]:
        yield self

    @asynccontextmanager
    async def read(self) -> AsyncIterator[DirectTransaction]:
        yield self
