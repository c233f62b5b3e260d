"""Turning what a member typed into a safe SQLite FTS5 query.

Member text never reaches FTS5 as syntax: every word is quoted (so AND, NEAR, ``*``, ``"`` and
column filters are just words). A word gets a prefix star, so "digitis" still finds
"digitisation"; a caller that knows which words the index holds whole (``whole_words``) leaves the
star off those: a prefix merges the lists of every word that starts with it across the whole index,
so its cost grows with the data, while a whole word is one list read newest first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from db.database import Transaction

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12
R = TypeVar("R")
# Marks around matched words in snippets (control characters: they can't occur in member text).
HIT_START, HIT_END = "\x02", "\x03"
# A search ranks at most this many matches of a server: its newest (the highest rowids). A word that
# every record contains then costs what a rare one does; beyond it, members add a word.
SEARCH_LIMIT = 1000


def terms(text: str) -> list[str]:
    """The distinct words of ``text``, lowercased, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(word.casefold() for word in _WORD.findall(text)))[:MAX_TERMS]


def quote(text: str) -> str:
    """An FTS5 string literal: matched as words (a phrase when several), never as syntax."""
    return '"' + text.replace('"', '""') + '"'


def word_forms(text: str, whole_words: Collection[str] | None = None) -> list[str]:
    """Each word of ``text`` as an FTS5 term: as typed when in ``whole_words``, else a prefix."""
    return [quote(word) if whole_words and word in whole_words else quote(word) + "*" for word in terms(text)]


def match_expression(
    text: str, *, require_all: bool = True, whole_words: Collection[str] | None = None
) -> str | None:
    """An FTS5 MATCH expression for ``text`` (None when it has no words)."""
    forms = word_forms(text, whole_words)
    if not forms:
        return None
    joiner = " AND " if require_all else " OR "
    return joiner.join(forms)


async def every_word_then_any(
    text: str,
    run: Callable[[str], Awaitable[tuple[int, R]]],
    *,
    whole_words: Collection[str] | None = None,
) -> tuple[int, R, bool] | None:
    """Run ``run(match)`` with every word required; if nothing has them all, with any of them.

    Returns (total, rows, broadened), or None when ``text`` has no words.
    """
    strict = match_expression(text, require_all=True, whole_words=whole_words)
    if strict is None:
        return None
    total, rows = await run(strict)
    if total == 0 and len(terms(text)) > 1:
        loose = match_expression(text, require_all=False, whole_words=whole_words)
        assert loose is not None
        total, rows = await run(loose)
        return total, rows, total > 0
    return total, rows, False


@dataclass(frozen=True)
class RankedPage:
    ids: list[int]  # the page's ids, best first
    total: int  # how many matches were ranked (at most SEARCH_LIMIT)
    capped: bool  # more matched than were ranked


def rank_page(
    scored: Sequence[tuple[int, float]], page: int, page_size: int, *, newer_first_on_ties: bool = False
) -> RankedPage:
    """One page of ``scored`` (id, bm25 score; newest first, up to SEARCH_LIMIT + 1), best first.

    A lower bm25 score is a better match; ties go to the lower id (or the higher one).
    """
    kept = list(scored[:SEARCH_LIMIT])
    direction = -1 if newer_first_on_ties else 1
    kept.sort(key=lambda item: (item[1], direction * item[0]))
    start = page * page_size
    return RankedPage(
        [item_id for item_id, _ in kept[start : start + page_size]], len(kept), len(scored) > SEARCH_LIMIT
    )


async def page_snippets(tx: Transaction, table: str, match: str, ids: Sequence[int]) -> dict[int, str]:
    """Snippets of the page's records (``ids``, from ``table``'s newest matches).

    One pass over the matches from the oldest of them on: looking each record up by rowid would
    evaluate the whole query again per record, and a prefix word makes that slow.
    """
    if not ids:
        return {}
    rows = await tx.fetch_all(
        f"SELECT rowid AS id, snippet({table}, -1, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet"
        f" FROM {table} WHERE {table} MATCH :match AND rowid >= :lowest"
        " AND +rowid IN (SELECT value FROM json_each(:ids))",  # + keeps it a check, not a lookup
        {"match": match, "lowest": min(ids), "ids": json.dumps(list(ids))},
    )
    return {row["id"]: row["snippet"] for row in rows}


async def ranked_page(
    tx: Transaction,
    *,
    index: str,
    source: str,
    columns: str,
    match: str,
    scored: Sequence[tuple[int, float]],
    page: int,
    page_size: int,
) -> tuple[int, tuple[list[tuple[Any, str]], bool]]:
    """Rank ``scored`` (newest first on ties), then read only the page's rows from ``source`` with
    their snippets from ``index``: (how many were ranked, (rows and snippets, whether capped))."""
    ranked = rank_page(scored, page, page_size, newer_first_on_ties=True)
    snippets = await page_snippets(tx, index, match, ranked.ids)
    rows = await tx.fetch_all(
        f"SELECT {columns} FROM {source} WHERE id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ranked.ids)},
    )
    by_id = {row["id"]: row for row in rows}
    found = [by_id[item] for item in ranked.ids if item in by_id]
    return ranked.total, ([(row, snippets.get(row["id"], "")) for row in found], ranked.capped)
