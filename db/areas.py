"""The area taxonomy: shipped in ``db/data/areas.toml``, loaded into the ``areas`` table at start-up."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from db.database import Database

TAXONOMY_FILE = Path(__file__).with_name("data") / "areas.toml"


@dataclass(frozen=True)
class Area:
    slug: str
    label: str
    synonyms: tuple[str, ...]

    def matches(self, text: str) -> bool:
        """True when ``text`` names this area exactly (slug, label or a synonym, any case)."""
        wanted = text.strip().casefold()
        return wanted in {self.slug, self.label.casefold(), *self.synonyms}


def read_taxonomy(path: Path = TAXONOMY_FILE) -> list[Area]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Area(
            entry["slug"], entry["label"], tuple(synonym.casefold() for synonym in entry.get("synonyms", []))
        )
        for entry in data["area"]
    ]


async def load_taxonomy(database: Database, path: Path = TAXONOMY_FILE) -> int:
    """Upsert the shipped taxonomy (edits to the file take effect at the next start)."""
    areas = read_taxonomy(path)
    async with database.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO areas (slug, label, synonyms) VALUES (?, ?, ?)"
            " ON CONFLICT (slug) DO UPDATE SET label = excluded.label, synonyms = excluded.synonyms",
            [(area.slug, area.label, "|".join(area.synonyms)) for area in areas],
        )
    return len(areas)


async def all_areas(database: Database) -> list[Area]:
    rows = await database.fetch_all("SELECT slug, label, synonyms FROM areas ORDER BY label")
    return [Area(row["slug"], row["label"], tuple(filter(None, row["synonyms"].split("|")))) for row in rows]
