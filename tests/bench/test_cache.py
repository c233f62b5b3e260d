"""A cached community built before a migration is upgraded by applying it, not generated again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from bench.community import SIZES
from bench.generate import cache_path, generate, upgradable, upgrade
from db.migrate import MIGRATIONS_DIR

SMALL = SIZES["small"]


def read(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_a_new_migration_upgrades_the_community_cached_before_it(tmp_path: Path) -> None:
    migrations = sorted(MIGRATIONS_DIR.glob("*.sql"))
    earlier = tmp_path / "earlier-migrations"
    earlier.mkdir()
    for migration in migrations[:-1]:
        shutil.copy(migration, earlier)
    cache = tmp_path / "cache"
    old = cache_path(SMALL, migrations[:-1], cache_dir=cache)
    generate(SMALL, old, migrations=earlier)
    assert upgradable(SMALL, cache_dir=cache) == old
    assert not cache_path(SMALL, cache_dir=cache).exists()

    new = cache_path(SMALL, cache_dir=cache)
    upgrade(old, new)

    versions = [row[0] for row in read(new, "SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, len(migrations) + 1))
    count = "SELECT count(*) FROM partnerships"
    assert read(new, count) == read(old, count) != [(0,)]
    assert upgradable(SMALL, cache_dir=tmp_path / "empty") is None
