"""The one database connection: WAL, foreign keys, a busy timeout, and serialised transactions.

The bot shares one aiosqlite connection between all coroutines. SQLite transactions belong to
the connection, not to a coroutine, so an ``asyncio.Lock`` serialises them: without it, a
statement from one handler could land inside another handler's open transaction and be rolled
back with it.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")


async def _run(connection: aiosqlite.Connection, sql: str) -> None:
    """Run a statement to its end in one trip to the connection's thread (no cursor left open to
    block COMMIT)."""
    await connection.execute_fetchall(sql)


def _read_transaction(connection: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    connection.execute("BEGIN")
    try:
        return work(connection)
    finally:
        connection.execute("ROLLBACK")


class Transaction:
    """Statements run inside one open transaction; obtained from ``Database.transaction``."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last inserted row id (0 when none)."""
        cursor = await self._connection.execute(sql, params)
        row_id = cursor.lastrowid or 0
        await cursor.close()
        return row_id

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        cursor = await self._connection.executemany(sql, rows)
        await cursor.close()

    async def changes(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed."""
        cursor = await self._connection.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        # One trip to the connection's thread, not three (execute, fetch, close): each trip waits
        # for the event loop, which is busy with Discord.
        return list(await self._connection.execute_fetchall(sql, params))

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


class Database:
    """Owns the connection. Use ``transaction()`` for writes and ``read()`` for reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._trace: Callable[[str], object] | None = None

    @classmethod
    async def open(cls, path: Path) -> Database:
        database = cls(path)
        await database.connect()
        return database

    async def connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; we BEGIN/COMMIT explicitly.
        connection = await aiosqlite.connect(str(self.path), isolation_level=None)
        connection.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
            "PRAGMA synchronous=NORMAL",
        ):
            await _run(connection, pragma)
        self._connection = connection
        log.info("database opened path=%s", self.path)

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One atomic unit of work: committed on success, rolled back on any exception."""
        async with self._lock:
            connection = self.connection
            await _run(connection, "BEGIN IMMEDIATE")
            try:
                yield Transaction(connection)
            except BaseException:
                await _run(connection, "ROLLBACK")
                raise
            else:
                await _run(connection, "COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Transaction]:
        """A consistent snapshot for several reads (a deferred transaction that writes nothing)."""
        async with self._lock:
            connection = self.connection
            await _run(connection, "BEGIN")
            try:
                yield Transaction(connection)
            finally:
                await _run(connection, "ROLLBACK")

    async def read_at_once(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on the connection's own thread, inside one read transaction, in one trip.

        For hot reads of several statements with Python in between (``/expertise who``): each
        trip to the connection's thread waits for the event loop, a tenth of a millisecond or
        more while Discord keeps it busy, and ``work`` makes none. ``work`` gets the plain
        ``sqlite3`` connection and must only read. (aiosqlite has no public way to run a function
        on its thread; ``_execute`` is what its own methods use, and the pinned version has it.)
        """
        async with self._lock:
            connection = self.connection
            return await connection._execute(_read_transaction, connection._conn, work)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Transaction]:
        """A consistent snapshot on a read-only connection of its own, for long reads (an export).

        WAL lets it read while the bot's connection goes on writing, so a read of the whole
        registry never holds the lock every command waits for. The snapshot is taken at its
        first read.
        """
        if str(self.path) == ":memory:":  # one connection is all an in-memory database has
            async with self.read() as tx:
                yield tx
            return
        connection = await aiosqlite.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
        try:
            connection.row_factory = sqlite3.Row
            await connection.set_trace_callback(self._trace)
            await _run(connection, f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await _run(connection, "BEGIN")
            yield Transaction(connection)
        finally:
            await connection.close()  # ends the read transaction with it

    async def set_trace_callback(self, callback: Callable[[str], object] | None) -> None:
        """See every statement sent, on every connection (the query-plan tests read them)."""
        self._trace = callback
        await self.connection.set_trace_callback(callback)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._lock:
            return await Transaction(self.connection).fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock:
            return await Transaction(self.connection).fetch_one(sql, params)

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        async with self._lock:
            return await Transaction(self.connection).fetch_value(sql, params)

    async def run_script(self, script: str) -> None:
        """Run a multi-statement script (migrations only); the caller brackets the transaction."""
        async with self._lock:
            await self.connection.executescript(script)

    async def rollback_if_open(self) -> None:
        async with self._lock:
            if self.connection.in_transaction:
                await _run(self.connection, "ROLLBACK")

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
            log.info("database closed path=%s", self.path)
