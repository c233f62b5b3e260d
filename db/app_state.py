"""Key/value facts about the bot itself, such as the last synced command tree."""

from __future__ import annotations

from db.database import Database


async def get(database: Database, key: str) -> str | None:
    return await database.fetch_value("SELECT value FROM app_state WHERE key = ?", (key,))


async def put(database: Database, key: str, value: str) -> None:
    async with database.transaction() as tx:
        await tx.execute(
            "INSERT INTO app_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
