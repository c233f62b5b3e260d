"""The connection's transactions, and the snapshot a long read takes on a connection of its own."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from db.database import Database


@pytest.fixture
async def database(tmp_path: Path):
    database = await Database.open(tmp_path / "db.sqlite3")
    async with database.transaction() as tx:
        await tx.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        await tx.execute("INSERT INTO notes (text) VALUES ('first')")
    yield database
    await database.close()


async def test_writes_go_on_while_a_snapshot_reads_and_it_keeps_seeing_its_moment(database: Database) -> None:
    async with database.snapshot() as snapshot:
        assert await snapshot.fetch_value("SELECT count(*) FROM notes") == 1
        # Within a second: a snapshot that took the lock would make this wait forever.
        async with asyncio.timeout(1):
            async with database.transaction() as tx:
                await tx.execute("INSERT INTO notes (text) VALUES ('second')")
        assert await snapshot.fetch_value("SELECT count(*) FROM notes") == 1
    assert await database.fetch_value("SELECT count(*) FROM notes") == 2


async def test_a_snapshot_cannot_write(database: Database) -> None:
    async with database.snapshot() as snapshot:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await snapshot.execute("INSERT INTO notes (text) VALUES ('sneaky')")
    assert await database.fetch_value("SELECT count(*) FROM notes") == 1


async def test_work_at_once_reads_inside_one_transaction_and_leaves_none_open(database: Database) -> None:
    def read(connection: sqlite3.Connection) -> tuple[bool, list[str]]:
        return connection.in_transaction, [
            row["text"] for row in connection.execute("SELECT text FROM notes")
        ]

    assert await database.read_at_once(read) == (True, ["first"])
    assert not database.connection.in_transaction


async def test_work_at_once_that_fails_rolls_back_and_the_error_reaches_the_caller(
    database: Database,
) -> None:
    def sneaky(connection: sqlite3.Connection) -> None:
        connection.execute("INSERT INTO notes (text) VALUES ('sneaky')")
        raise ValueError("changed its mind")

    with pytest.raises(ValueError, match="changed its mind"):
        await database.read_at_once(sneaky)
    assert not database.connection.in_transaction
    assert await database.fetch_value("SELECT count(*) FROM notes") == 1
