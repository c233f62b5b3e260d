"""Listing and searching partnerships: filtered, ranked, paged, and always through the visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.vocabulary import PartnerType, Stage
from db import fts
from db.database import Database
from db.paging import PAGE_SIZE, Page
from db.partnerships import _COLUMNS, _VISIBLE, Viewer, _from_row, _viewer_params

# bm25 weights per column of partnerships_fts: a hit in the name or partner counts most, then
# areas, then the prose (description, lessons), then log notes, which are long and chatty.
SEARCH_WEIGHTS = (8.0, 8.0, 3.0, 4.0, 2.0, 3.0)
# Marks around matched words in snippets (control characters: they can't occur in member text).
HIT_START, HIT_END = "\x02", "\x03"


@dataclass(frozen=True)
class ListFilters:
    """Filters that combine; ``member_id`` matches owners and co-owners ("mine" is the asker)."""

    member_id: int | None = None
    partner_type: PartnerType | None = None
    stage: Stage | None = None
    area: str | None = None
    region: str | None = None

    @property
    def active(self) -> bool:
        return any(value is not None for value in vars(self).values())


def _filter_sql(filters: ListFilters) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.member_id is not None:
        clauses.append(
            "(p.owner_id = :member OR EXISTS (SELECT 1 FROM partnership_co_owners m"
            " WHERE m.partnership_id = p.id AND m.user_id = :member))"
        )
        params["member"] = filters.member_id
    if filters.partner_type is not None:
        clauses.append("p.partner_type = :type")
        params["type"] = filters.partner_type.value
    if filters.stage is not None:
        clauses.append("p.stage = :stage")
        params["stage"] = filters.stage.value
    if filters.area is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM partnership_areas a WHERE a.partnership_id = p.id AND a.area = :area)"
        )
        params["area"] = filters.area
    if filters.region is not None:
        clauses.append("p.region LIKE :region")
        params["region"] = f"%{filters.region}%"
    return "".join(f" AND {clause}" for clause in clauses), params


async def list_page(
    database: Database, guild_id: int, viewer: Viewer, filters: ListFilters, *, page: int = 0
) -> Page:
    """One page of the partnerships the viewer may see, most recently updated first, and the total."""
    where, params = _filter_sql(filters)
    params |= {"guild": guild_id, "limit": PAGE_SIZE, "offset": page * PAGE_SIZE, **_viewer_params(viewer)}
    base = f" FROM partnerships p WHERE p.guild_id = :guild AND {_VISIBLE}{where}"
    async with database.read() as tx:
        total = await tx.fetch_value(f"SELECT COUNT(*){base}", params)
        rows = await tx.fetch_all(
            f"SELECT {_COLUMNS}{base} ORDER BY p.updated_at DESC, p.id DESC LIMIT :limit OFFSET :offset",
            params,
        )
    return Page([_from_row(row) for row in rows], total, page, {})


async def _search(
    database: Database, guild_id: int, viewer: Viewer, match: str, page: int
) -> tuple[int, list[Any]]:
    params = {
        "match": match,
        "guild": guild_id,
        "limit": PAGE_SIZE,
        "offset": page * PAGE_SIZE,
        **_viewer_params(viewer),
    }
    base = (
        " FROM partnerships_fts JOIN partnerships p ON p.id = partnerships_fts.rowid"
        f" WHERE partnerships_fts MATCH :match AND p.guild_id = :guild AND {_VISIBLE}"
    )
    weights = ", ".join(map(str, SEARCH_WEIGHTS))
    async with database.read() as tx:
        total = await tx.fetch_value(f"SELECT COUNT(*){base}", params)
        rows = await tx.fetch_all(
            f"SELECT {_COLUMNS},"
            f" snippet(partnerships_fts, -1, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet"
            f"{base} ORDER BY bm25(partnerships_fts, {weights}), p.id LIMIT :limit OFFSET :offset",
            params,
        )
    return total, rows


async def search(database: Database, guild_id: int, viewer: Viewer, text: str, *, page: int = 0) -> Page:
    """Ranked full-text search; if no record has every word, records with any of them."""
    found = await fts.every_word_then_any(
        text, lambda match: _search(database, guild_id, viewer, match, page)
    )
    if found is None:
        return Page([], 0, page, {})
    total, rows, broadened = found
    return Page(
        [_from_row(row) for row in rows],
        total,
        page,
        {row["id"]: row["snippet"] for row in rows},
        broadened=broadened,
    )
