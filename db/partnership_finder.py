"""Listing and searching partnerships: filtered, ranked, paged, and always through the visibility rule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from core.vocabulary import PartnerType, Stage
from db import fts
from db.database import Database, Transaction
from db.paging import PAGE_SIZE, Page
from db.partnerships import _COLUMNS, _VISIBLE, Viewer, _from_row, _viewer_params, owned_by

# Where a word of the query is found, by partnerships_fts columns: the name or partner counts most,
# then the area tags, then the prose (description, lessons); in log notes (long and chatty) it only
# makes the record a match.
_SEARCH = fts.Scope(
    index="partnerships_fts",
    table="partnerships",
    alias="p",
    where=f"p.guild_id = :guild AND {_VISIBLE}",
    places=(("name partner_name", 8), ("areas", 4), ("description lessons", 3)),
    columns=_COLUMNS,
)
HIT_START, HIT_END = fts.HIT_START, fts.HIT_END  # where the search page's renderers look for them


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


# A member or region filter is counted row by row up to this many; beyond, the total reads "1,000+".
COUNT_LIMIT = 1000
# An area with at most this many partnerships is listed from its tags (read, then sorted); a bigger
# one by walking the newest changes, which fills a page long before reaching the end.
SPARSE_AREA = 1000


@dataclass(frozen=True)
class _Shape:
    """The filters as SQL over alias ``p``: what to read from, and what to check."""

    source: str  # the FROM clause: the registry in index order, or a small id set driving it
    where: str  # " AND ..." conditions
    params: dict[str, Any]
    counted_by_tallies: bool  # no filter that the tallies can't count


def _shape(filters: ListFilters, *, sparse_area: bool = False, dense_region: bool = False) -> _Shape:
    """A member, a region (three letters or more, through the trigram index) or a sparse area name a
    small set of ids; the first drives the query (CROSS JOIN keeps it the outer loop) and the others
    check. Without one, type and stage ride on their ordered indexes; a dense area or region is
    checked row by row while walking the newest changes, which fills a page quickly."""
    sets: list[str] = []
    clauses: list[str] = []
    params: dict[str, Any] = {
        "type": filters.partner_type.value if filters.partner_type else None,
        "stage": filters.stage.value if filters.stage else None,
    }
    if filters.member_id is not None:
        sets.append(owned_by("member"))
        params["member"] = filters.member_id
    if filters.partner_type is not None:
        clauses.append("p.partner_type = :type")
    if filters.stage is not None:
        clauses.append("p.stage = :stage")
    if filters.area is not None:
        params["area"] = filters.area
        if sparse_area:
            sets.append("SELECT partnership_id AS id FROM partnership_areas WHERE area = :area")
        else:
            clauses.append(
                "EXISTS (SELECT 1 FROM partnership_areas a WHERE a.partnership_id = p.id AND a.area = :area)"
            )
    if filters.region is not None:
        clauses.append("p.region LIKE :region")
        params["region"] = f"%{filters.region}%"
        if len(filters.region.strip()) >= 3 and not dense_region:
            sets.append(
                "SELECT rowid AS id FROM partnership_names WHERE partnership_names MATCH :region_match"
            )
            params["region_match"] = "{region} : " + fts.quote(filters.region.strip())
    clauses += [f"p.id IN ({ids})" for ids in sets[1:]]
    source = "partnerships p"
    if sets:
        source = f"({sets[0]}) AS chosen CROSS JOIN partnerships p ON p.id = chosen.id"
    return _Shape(
        source,
        "".join(f" AND {clause}" for clause in clauses),
        params,
        counted_by_tallies=filters.member_id is None and filters.region is None,
    )


async def _total(tx: Transaction, filters: ListFilters, shape: _Shape) -> tuple[int, bool]:
    """How many partnerships the viewer may see pass the filters, and whether counting stopped at
    ``COUNT_LIMIT`` (shown as "1,000+").

    The tallies kept by triggers (``partnership_tallies``) give the public ones (and, for
    coordinators, all); only the confidential ones the viewer owns or co-owns are counted row by row.
    A member or region filter is counted row by row, up to the limit.
    """
    if not shape.counted_by_tallies:
        counted = int(
            await tx.fetch_value(
                f"SELECT count(*) FROM (SELECT 1 FROM {shape.source}"
                f" WHERE p.guild_id = :guild AND {_VISIBLE}{shape.where} LIMIT :count_limit)",
                {**shape.params, "count_limit": COUNT_LIMIT + 1},
            )
        )
        return min(counted, COUNT_LIMIT), counted > COUNT_LIMIT
    total = await tx.fetch_value(
        "SELECT (SELECT coalesce(sum(total), 0) FROM partnership_tallies"
        "         WHERE guild_id = :guild AND area = :tally_area"
        "           AND (:type IS NULL OR partner_type = :type) AND (:stage IS NULL OR stage = :stage)"
        "           AND (visibility = 'public' OR :coordinator))"
        " + CASE WHEN :coordinator THEN 0 ELSE ("
        f"   SELECT count(*) FROM ({owned_by('viewer')}) AS mine"
        "    CROSS JOIN partnerships p ON p.id = mine.id"
        f"   WHERE p.guild_id = :guild AND p.visibility = 'confidential'{shape.where}) END",
        {**shape.params, "tally_area": filters.area or ""},
    )
    return int(total), False


async def list_page(
    database: Database, guild_id: int, viewer: Viewer, filters: ListFilters, *, page: int = 0
) -> Page:
    """One page of the partnerships the viewer may see, most recently updated first, and the total.

    The work is bounded by the page, not the registry: the total comes from tallies or a small id
    set (counted up to ``COUNT_LIMIT``), and the rows from an index walked in order (or a small id
    set, sorted).
    """
    shape = _shape(filters)
    shape.params.update(
        {"guild": guild_id, "limit": PAGE_SIZE, "offset": page * PAGE_SIZE, **_viewer_params(viewer)}
    )
    async with database.read() as tx:
        total, capped = await _total(tx, filters, shape)
        if filters.area is not None and shape.counted_by_tallies and total <= SPARSE_AREA:
            shape = replace(_shape(filters, sparse_area=True), params=shape.params)
        elif capped and filters.member_id is None:  # a region most records share
            shape = replace(_shape(filters, dense_region=True), params=shape.params)
        rows = await tx.fetch_all(
            f"SELECT {_COLUMNS} FROM {shape.source} WHERE p.guild_id = :guild AND {_VISIBLE}{shape.where}"
            " ORDER BY p.updated_at DESC, p.id DESC LIMIT :limit OFFSET :offset",
            shape.params,
        )
    return Page([_from_row(row) for row in rows], total, page, {}, capped=capped)


async def search(database: Database, guild_id: int, viewer: Viewer, text: str, *, page: int = 0) -> Page:
    """Ranked full-text search over the records the viewer may see; if no record has every word,
    records with any of them (``fts.search``: whole words as typed, partial ones as prefixes)."""
    return await fts.search(
        database, _SEARCH, text, {"guild": guild_id, **_viewer_params(viewer)}, _from_row, page=page
    )
