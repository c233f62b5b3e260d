"""Migrations: from empty, re-run idempotently, and a failure leaves the database untouched."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.database import Database
from db.migrate import MIGRATIONS_DIR, MigrationError, discover, migrate


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def versions(path: Path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT version FROM schema_version ORDER BY version")]


async def test_from_empty_applies_everything(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path)
    applied = await migrate(database)
    await database.close()
    expected = [migration.version for migration in discover()]
    assert applied == expected
    assert versions(path) == expected
    assert {"guild_channels", "coordinator_roles", "app_state"} <= table_names(path)


async def test_rerun_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path)
    await migrate(database)
    assert await migrate(database) == []
    await database.close()
    assert versions(path) == [migration.version for migration in discover()]


async def test_failing_migration_is_rolled_back(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_first.sql").write_text("CREATE TABLE kept (id INTEGER);")
    # Creates a table, changes data, then fails: none of it may remain.
    (migrations / "0002_broken.sql").write_text(
        "CREATE TABLE half_made (id INTEGER);\nINSERT INTO kept VALUES (1);\nTHIS IS NOT SQL;"
    )
    path = tmp_path / "db.sqlite3"
    database = await Database.open(path)
    with pytest.raises(MigrationError, match=r"0002_broken\.sql failed and was rolled back"):
        await migrate(database, migrations)
    # The connection is still usable and outside any transaction.
    assert not database.connection.in_transaction
    await database.close()
    assert "half_made" not in table_names(path)
    assert versions(path) == [1]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM kept").fetchone()[0] == 0


def test_gaps_in_numbering_are_refused(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("")
    (tmp_path / "0003_c.sql").write_text("")
    with pytest.raises(MigrationError, match="without gaps"):
        discover(tmp_path)


def test_shipped_migrations_are_well_named() -> None:
    assert discover(MIGRATIONS_DIR)


async def test_connection_settings(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")
    assert await database.fetch_value("PRAGMA journal_mode") == "wal"
    assert await database.fetch_value("PRAGMA foreign_keys") == 1
    assert await database.fetch_value("PRAGMA busy_timeout") == 5000
    await database.close()


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "db.sqlite3")
    async with database.transaction() as tx:
        await tx.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
    assert await database.fetch_value("SELECT COUNT(*) FROM t") == 0
    await database.close()
