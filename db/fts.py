"""Turning what a member typed into a safe SQLite FTS5 query, and the ranked search that runs it.

Member text never reaches FTS5 as syntax: every word is quoted (so AND, NEAR, ``*``, ``"`` and
column filters are just words). A word gets a prefix star, so "digitis" still finds
"digitisation"; a caller that knows which words the index holds whole (``whole_words``) leaves the
star off those: a prefix merges the lists of every word that starts with it across the whole index,
so its cost grows with the data, while a whole word is one list read newest first.

``search`` is the one ranked search (partnerships, clinic lessons): a ``Scope`` says which index,
which records count and how much each place a word is found in weighs.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from db.database import Database
from db.paging import PAGE_SIZE, Page

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


def every_word_then_any(
    text: str,
    run: Callable[[str], tuple[int, R]],
    *,
    whole_words: Collection[str] | None = None,
) -> tuple[int, R, bool] | None:
    """Run ``run(match)`` with every word required; if nothing has them all, with any of them.

    Returns (total, rows, broadened), or None when ``text`` has no words.
    """
    strict = match_expression(text, require_all=True, whole_words=whole_words)
    if strict is None:
        return None
    total, rows = run(strict)
    if total == 0 and len(terms(text)) > 1:
        loose = match_expression(text, require_all=False, whole_words=whole_words)
        assert loose is not None
        total, rows = run(loose)
        return total, rows, total > 0
    return total, rows, False


@dataclass(frozen=True)
class RankedPage:
    ids: list[int]  # the page's ids, best first
    total: int  # how many matches were ranked (at most SEARCH_LIMIT)
    capped: bool  # more matched than were ranked


def rank_page(scored: Sequence[tuple[int, float]], page: int, page_size: int) -> RankedPage:
    """One page of ``scored`` (id, score; newest first, up to SEARCH_LIMIT + 1), best first.

    A higher score is a better match; ties go to the newer record (the higher id).
    """
    kept = sorted(scored[:SEARCH_LIMIT], key=lambda item: (-item[1], -item[0]))
    start = page * page_size
    return RankedPage(
        [item_id for item_id, _ in kept[start : start + page_size]], len(kept), len(scored) > SEARCH_LIMIT
    )


def page_snippets(
    connection: sqlite3.Connection, table: str, match: str, ids: Sequence[int]
) -> dict[int, str]:
    """Snippets of the page's records (``ids``, from ``table``'s newest matches).

    One pass over the matches from the oldest of them on: looking each record up by rowid would
    evaluate the whole query again per record, and a prefix word makes that slow.
    """
    if not ids:
        return {}
    rows = connection.execute(
        f"SELECT rowid AS id, snippet({table}, -1, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet"
        f" FROM {table} WHERE {table} MATCH :match AND rowid >= :lowest"
        " AND +rowid IN (SELECT value FROM json_each(:ids))",  # + keeps it a check, not a lookup
        {"match": match, "lowest": min(ids), "ids": json.dumps(list(ids))},
    )
    return {row["id"]: row["snippet"] for row in rows}


@dataclass(frozen=True)
class Scope:
    """What a search reads: a full-text ``index`` whose rowid is the id of a record in ``table``
    (read as ``alias``), the records that count (``where``: SQL over the alias, with named
    parameters), and the weight of each place a word can be found, best first: (index columns,
    weight). A word found only in a column no place names just makes the record a match."""

    index: str
    table: str
    alias: str
    where: str
    places: tuple[tuple[str, int], ...]
    columns: str  # what a page reads of each record (with its ``id``)

    def matching(self, match: str = ":match") -> str:
        """FROM and WHERE of the records that count and match ``match`` (SQL); the index drives
        (CROSS JOIN keeps it the outer loop)."""
        return (
            f"FROM {self.index} CROSS JOIN {self.table} {self.alias} ON {self.alias}.id = {self.index}.rowid"
            f" WHERE {self.index} MATCH {match} AND {self.where}"
        )


def _whole_words(
    connection: sqlite3.Connection, scope: Scope, words: Sequence[str], params: dict[str, Any]
) -> set[str]:
    """The ``words`` some record that counts holds whole (after the index's stemming)."""
    rows = connection.execute(
        f"SELECT w.key FROM json_each(:words) w WHERE EXISTS (SELECT 1 {scope.matching('w.value')})",
        {"words": json.dumps([quote(word) for word in words]), **params},
    )
    return {words[row["key"]] for row in rows}


def _scoring_sql(scope: Scope, words: int) -> str:
    """The newest matches, each scored.

    A record's score is the sum, over the query's words, of the weight of the best place the word
    is found (``scope.places``). Each (word, place) is one column-filtered lookup that also requires
    the whole query and starts at the oldest match kept, so it reads about as many records as were
    kept; bm25() would first count every record in the index holding each word, a cost that grows
    with the whole index.
    """
    places = " + ".join(
        "CASE"
        + "".join(
            f" WHEN id IN (SELECT rowid FROM {scope.index}"
            f" WHERE {scope.index} MATCH :place_{word}_{index} AND rowid >= (SELECT min(id) FROM found))"
            f" THEN {weight}"
            for index, (_, weight) in enumerate(scope.places)
        )
        + " ELSE 0 END"
        for word in range(words)
    )
    return f"""
WITH found(id) AS MATERIALIZED (
    SELECT {scope.index}.rowid
      {scope.matching()}
     ORDER BY {scope.index}.rowid DESC LIMIT :limit
)
SELECT id, {places} AS score FROM found ORDER BY id DESC
"""


def _scoring_params(scope: Scope, match: str, forms: Sequence[str]) -> dict[str, str]:
    return {
        f"place_{word}_{index}": f"({match}) AND {{{columns}}} : {form}"
        for word, form in enumerate(forms)
        for index, (columns, _) in enumerate(scope.places)
    }


def _ranked_page(
    connection: sqlite3.Connection,
    scope: Scope,
    forms: Sequence[str],
    match: str,
    params: dict[str, Any],
    page: int,
) -> tuple[int, tuple[list[tuple[Any, str]], bool]]:
    """The scope's newest ``SEARCH_LIMIT`` matches ranked, however common the words are; then only
    the page's records are read in full, with their snippets: (how many were ranked, (rows and
    snippets, whether capped))."""
    scored = connection.execute(
        _scoring_sql(scope, len(forms)),
        {"match": match, "limit": SEARCH_LIMIT + 1, **_scoring_params(scope, match, forms), **params},
    )
    ranked = rank_page([(row["id"], row["score"]) for row in scored], page, PAGE_SIZE)
    snippets = page_snippets(connection, scope.index, match, ranked.ids)
    rows = connection.execute(
        f"SELECT {scope.columns} FROM {scope.table} {scope.alias}"
        f" WHERE {scope.alias}.id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ranked.ids)},
    )
    by_id = {row["id"]: row for row in rows}
    found = [by_id[item] for item in ranked.ids if item in by_id]
    return ranked.total, ([(row, snippets.get(row["id"], "")) for row in found], ranked.capped)


async def search(
    database: Database,
    scope: Scope,
    text: str,
    params: dict[str, Any],
    record: Callable[[sqlite3.Row], R],
    *,
    page: int = 0,
) -> Page[R]:
    """Ranked search of ``scope`` (``params`` fill its ``where``); if no record has every word,
    records with any of them.

    A word that some record that counts holds whole is matched as typed (stemmed: "museums" finds
    "museum"); any other as the start of a word ("digitis" finds "digitisation").
    """
    if not terms(text):
        return Page([], 0, page, {})
    # In one trip to the database's thread: a search is four statements or more.
    return await database.read_at_once(
        lambda connection: _search(connection, scope, text, params, record, page)
    )


def _search(
    connection: sqlite3.Connection,
    scope: Scope,
    text: str,
    params: dict[str, Any],
    record: Callable[[sqlite3.Row], R],
    page: int,
) -> Page[R]:
    whole = _whole_words(connection, scope, terms(text), params)
    forms = word_forms(text, whole)
    found = every_word_then_any(
        text,
        lambda match: _ranked_page(connection, scope, forms, match, params, page),
        whole_words=whole,
    )
    assert found is not None
    total, (rows, capped), broadened = found
    return Page(
        [record(row) for row, _ in rows],
        total,
        page,
        {row["id"]: snippet for row, snippet in rows},
        broadened=broadened,
        capped=capped,
    )
