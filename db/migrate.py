"""Numbered SQL migrations, each applied atomically and recorded in ``schema_version``."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core.clock import to_storage, utcnow
from db.database import Database

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(Exception):
    """A migration failed; the database was left exactly as it was before it."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Return the migrations in version order; refuse gaps, duplicates and stray names."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_snake_case.sql")
        migrations.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3... without gaps; found {versions}")
    return migrations


async def applied_versions(database: Database) -> set[int]:
    rows = await database.fetch_all("SELECT version FROM schema_version")
    return {row["version"] for row in rows}


async def migrate(database: Database, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply every pending migration in order; return the versions applied now."""
    await database.run_script(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = await applied_versions(database)
    applied = []
    for migration in discover(directory):
        if migration.version in done:
            continue
        sql = migration.path.read_text(encoding="utf-8")
        # One script, one transaction: the DDL, the data changes and the version row commit
        # together or not at all (SQLite's DDL is transactional).
        script = (
            "BEGIN IMMEDIATE;\n"
            f"{sql}\n;\n"
            "INSERT INTO schema_version (version, name, applied_at) "
            f"VALUES ({migration.version}, '{migration.name}', '{to_storage(utcnow())}');\n"
            "COMMIT;"
        )
        try:
            await database.run_script(script)
        except sqlite3.Error as error:
            await database.rollback_if_open()
            raise MigrationError(
                f"migration {migration.path.name} failed and was rolled back: {error}"
            ) from error
        log.info("migration applied version=%d name=%s", migration.version, migration.name)
        applied.append(migration.version)
    return applied
