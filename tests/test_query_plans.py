"""The hot reads stay fast at any size: none plans a full table scan (EXPLAIN QUERY PLAN).

Each hot query runs through the repository code against a generated community (the benchmark's
small size) while SQLite's trace records the statements it sends, parameters bound; every statement
is then explained. A plan fails when it

- scans a table (``SCAN t`` where ``t`` is not a CTE or subquery of the statement, nor a tiny table),
- reads a full-text index without MATCH (``SCAN x_fts VIRTUAL TABLE INDEX 0:``), or
- walks every record of a server (``SEARCH t USING INDEX i (guild_id=?)``) without stopping early:
  such a walk passes only in a statement with a LIMIT whose order comes from the index (no temporary
  B-tree for ORDER BY), which stops after a page.

To add a query: append ``HotQuery("name", call)`` to ``HOT_QUERIES``; ``call`` gets the database and
the ``Sample`` of ids below. A known exception names the table it may walk and says why.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bench.community import MAIN_GUILD_ID, NOW, SIZES
from bench.generate import generate
from cogs.expertise._areas import area_counts
from cogs.expertise._search import who
from cogs.expertise._terms import term_rows
from core.vocabulary import PartnerType, Stage
from db import areas, checkins, clinics, expertise, partnerships
from db.clinics import ClinicStatus
from db.database import Database
from db.expertise import PeopleFilter
from db.partnership_finder import ListFilters, list_page, search
from db.partnerships import Viewer

# Tables small enough to read whole: the taxonomy, settings, the bot's own state.
TINY = frozenset({"areas", "app_state", "guild_channels", "coordinator_roles", "schema_version"})
_FULL_SCAN = re.compile(r"^SCAN (\S+)(.*)$")
_FTS = re.compile(r"VIRTUAL TABLE INDEX \d+:(\S*)")
_SERVER_WALK = re.compile(r"^SEARCH (\S+) USING (?:COVERING )?INDEX \S+ \(guild_id=\?\)")
_TRANSIENT = re.compile(r"\b(\w+)\s*(?:\([\w\s,]*\))?\s+AS\s+(?:MATERIALIZED\s+)?\(|\)\s*AS\s+(\w+)", re.I)
_FULL_TEXT = ("_fts", "partnership_names", "expertise_terms")


def transient_names(sql: str) -> set[str]:
    """The statement's CTEs and named subqueries, and their aliases, which may be scanned: they are
    its own (bounded) results, not tables."""
    names = {name.lower() for match in _TRANSIENT.finditer(sql) for name in match.groups() if name}
    keywords = {"on", "where", "cross", "join", "left", "group", "order", "limit", "union", "as"}
    for name in list(names):
        for alias in re.findall(rf"\b{name}\s+(?:AS\s+)?(\w+)", sql, re.I):
            if alias.lower() not in keywords:
                names.add(alias.lower())
    return names


Plan = list[tuple[int, str]]  # (parent node, detail) for each line of EXPLAIN QUERY PLAN


def problems(sql: str, plan: Plan, *, may_walk: frozenset[str] = frozenset()) -> list[str]:
    """The plan lines that read a whole table, a whole full-text index or a whole server."""
    transient = transient_names(sql)
    found = []
    for parent, line in plan:
        scan = _FULL_SCAN.match(line)
        if scan:
            name, rest = scan.group(1).lower(), scan.group(2)
            fts = _FTS.search(rest)
            if "VIRTUAL TABLE" in rest:
                if name.endswith(_FULL_TEXT) and not (fts and "M" in fts.group(1)):
                    found.append(line)
            elif name not in transient and not name.startswith("(") and name not in TINY | {"constant"}:
                found.append(line)
        walk = _SERVER_WALK.match(line)
        if walk and walk.group(1).lower() not in may_walk:
            # A walk in index order that its (sub)query cuts off with a LIMIT reads a page, not the server.
            sorted_after = any(
                other == parent and "TEMP B-TREE FOR ORDER BY" in detail for other, detail in plan
            )
            if " LIMIT " not in sql.upper() or sorted_after:
                found.append(line)
    return found


@dataclass(frozen=True)
class Sample:
    """Ids to ask about: the server, a member who owns partnerships, a plain member, a coordinator."""

    guild_id: int
    owner: Viewer
    member: Viewer
    coordinator: Viewer
    owner_id: int


@dataclass(frozen=True)
class HotQuery:
    name: str
    run: Callable[[Database, Sample], Awaitable[Any]]
    may_walk: frozenset[str] = frozenset()  # tables it may walk per server, and why in ``reason``
    reason: str = ""


def _list(filters: ListFilters, *, viewer: str = "member", page: int = 0) -> Callable[..., Awaitable[Any]]:
    return lambda db, s: list_page(db, s.guild_id, getattr(s, viewer), filters, page=page)


def _who(text: str, filters: PeopleFilter = PeopleFilter(), *, by_affiliation: bool = False) -> Any:  # noqa: B008
    return lambda db, s: who(
        db,
        s.guild_id,
        s.member,
        text,
        filters,
        now=NOW,
        is_present=lambda user_id: True,
        by_affiliation=by_affiliation,
    )


HOT_QUERIES: list[HotQuery] = [
    # Partnership autocomplete, as members type.
    *(
        HotQuery(
            f"autocomplete {typed!r}",
            lambda db, s, typed=typed: partnerships.autocomplete(db, s.guild_id, s.owner, typed),
        )
        for typed in ("", "m", "mu", "Museo", "Universidad de", "#12", "zzqx")
    ),
    # /partnership list: every filter, and their combinations, for members and coordinators.
    HotQuery("list", _list(ListFilters())),
    HotQuery("list, later page", _list(ListFilters(), page=30)),
    HotQuery("list as coordinator", _list(ListFilters(), viewer="coordinator")),
    HotQuery("list type", _list(ListFilters(partner_type=PartnerType.MUSEUM))),
    HotQuery("list stage", _list(ListFilters(stage=Stage.ACTIVE))),
    HotQuery(
        "list type and stage", _list(ListFilters(partner_type=PartnerType.COMPANY, stage=Stage.PROSPECT))
    ),
    HotQuery("list area", _list(ListFilters(area="glam"))),
    HotQuery("list rare area", _list(ListFilters(area="herbarium"))),
    HotQuery("list region", _list(ListFilters(region="Ghana"))),
    HotQuery("list mine", _list(ListFilters(member_id=1), viewer="owner")),
    HotQuery(
        "list everything at once",
        _list(ListFilters(partner_type=PartnerType.MUSEUM, stage=Stage.ACTIVE, area="glam", region="Kenya")),
    ),
    HotQuery(
        "list one- or two-letter region",
        _list(ListFilters(region="UK")),
        may_walk=frozenset({"p"}),
        reason="the trigram index needs three letters; shorter text is matched row by row",
    ),
    # /partnership search.
    *(
        HotQuery(f"search {text!r}", lambda db, s, text=text: search(db, s.guild_id, s.member, text))
        for text in ("museum", "women in science", "museum xyzzy", "東京", "digitis museu")
    ),
    HotQuery("search, later page", lambda db, s: search(db, s.guild_id, s.member, "museum", page=3)),
    # /expertise who.
    HotQuery("who museums", _who("museums")),
    HotQuery("who museum digitisation", _who("museum digitisation")),
    HotQuery("who open access research papers", _who("open access research papers")),
    HotQuery("who Amharic (names nothing we know)", _who("Amharic")),
    HotQuery("who government open data (a phrase tags hold)", _who("government open data")),
    HotQuery("who with region and language", _who("UNESCO", PeopleFilter(region="Ghana", language="Twi"))),
    HotQuery("who by affiliates", _who("Wikidata", PeopleFilter(affiliated_only=True), by_affiliation=True)),
    # /expertise areas, /expertise show, /profile show and export.
    HotQuery("expertise areas", lambda db, s: area_counts(db, s.guild_id, s.member)),
    HotQuery(
        "expertise show",
        lambda db, s: expertise.visible_partnerships_of(db, s.guild_id, s.member, s.owner_id, limit=40),
    ),
    HotQuery(
        "profile counts", lambda db, s: partnerships.count_for_member(db, s.guild_id, s.owner_id, s.member)
    ),
    HotQuery("profile export", lambda db, s: partnerships.of_member(db, s.guild_id, s.owner_id)),
    # /clinic list and lessons, and the clinics' due work.
    *(
        HotQuery(
            f"clinic list {status} {area}",
            lambda db, s, status=status, area=area: clinics.list_page(
                db, s.guild_id, status=status, area=area
            ),
        )
        for status in (None, ClinicStatus.OPEN)
        for area in (None, "glam")
    ),
    HotQuery("clinic lessons", lambda db, s: clinics.search_lessons(db, s.guild_id, "pilot licence")),
    # Partial words (prefixes) and a word nobody wrote (the any-word fallback).
    HotQuery("clinic lessons partial", lambda db, s: clinics.search_lessons(db, s.guild_id, "lic unicorn")),
    HotQuery(
        "clinics idle due work",
        lambda db, s: clinics.due_for_idle_steps(
            db,
            quiet_before=NOW - timedelta(days=7),
            dormant_before=NOW - timedelta(days=14),
            helpers_quiet_before=NOW - timedelta(days=2),
            guild_ids=[s.guild_id],
            limit=5,
            resuggestions=1,
        ),
    ),
    # The check-ins' due work: the tick's claim, and what the sender reads next.
    HotQuery("check-ins claim", lambda db, s: checkins.claim_due(db, now=NOW + timedelta(days=30))),
    HotQuery("check-ins next to send", lambda db, s: checkins.next_unsent(db)),
    HotQuery("check-ins reminders", lambda db, s: checkins.reminders_due(db, sent_before=NOW, now=NOW)),
]


@pytest.fixture(scope="module")
def community_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "community.sqlite3"
    generate(SIZES["small"], path)
    return path


@pytest_asyncio.fixture
async def database(community_file: Path, tmp_path: Path) -> AsyncIterator[Database]:
    copy = tmp_path / "plans.sqlite3"
    shutil.copyfile(community_file, copy)
    database = await Database.open(copy)
    await expertise.load_terms(database, term_rows(await areas.all_areas(database)))  # as the cog does
    yield database
    await database.close()


async def sample_of(database: Database) -> Sample:
    owner_id = await database.fetch_value(
        "SELECT owner_id FROM partnerships WHERE guild_id = ? AND owner_id IS NOT NULL"
        " GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1",
        (MAIN_GUILD_ID,),
    )
    return Sample(
        guild_id=MAIN_GUILD_ID,
        owner=Viewer(owner_id, is_coordinator=False),
        member=Viewer(1, is_coordinator=False),
        coordinator=Viewer(2, is_coordinator=True),
        owner_id=owner_id,
    )


async def traced(database: Database, work: Awaitable[Any]) -> list[str]:
    """The statements ``work`` sends (the full-text indexes' own bookkeeping left out)."""
    sent: list[str] = []
    await database.set_trace_callback(sent.append)
    try:
        await work
    finally:
        await database.set_trace_callback(None)
    return [
        sql
        for sql in sent
        if sql.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE", "DELETE"))
        and "'main'." not in sql
    ]


def _ids(queries: list[HotQuery]) -> Iterator[str]:
    return (query.name for query in queries)


@pytest.mark.parametrize("query", HOT_QUERIES, ids=list(_ids(HOT_QUERIES)))
async def test_hot_query_never_reads_a_whole_table(database: Database, query: HotQuery) -> None:
    statements = await traced(database, query.run(database, await sample_of(database)))
    assert statements, "the query sent no SQL"
    for sql in statements:
        rows = await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}")
        plan = [(row["parent"], row["detail"]) for row in rows]
        assert problems(sql, plan, may_walk=query.may_walk) == [], f"{sql}\n" + "\n".join(
            detail for _, detail in plan
        )


def test_exceptions_say_why() -> None:
    assert all(query.reason for query in HOT_QUERIES if query.may_walk)


def test_the_checker_catches_whole_reads() -> None:
    def check(sql: str, *lines: str | tuple[int, str], may_walk: frozenset[str] = frozenset()) -> list[str]:
        plan = [line if isinstance(line, tuple) else (0, line) for line in lines]
        return problems(sql, plan, may_walk=may_walk)

    cte = "WITH hits(id) AS (SELECT 1) SELECT * FROM hits CROSS JOIN partnerships p"
    assert check(cte, "SCAN hits", "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)") == []
    assert check("SELECT * FROM partnerships p", "SCAN p") == ["SCAN p"]
    assert check("SELECT 1 FROM clinics", "SCAN clinics USING COVERING INDEX clinics_idle") != []
    assert check("SELECT 1 FROM areas", "SCAN areas") == []
    assert check("SELECT 1", "SCAN partnerships_fts VIRTUAL TABLE INDEX 0:") != []
    assert check("SELECT 1", "SCAN partnerships_fts VIRTUAL TABLE INDEX 192:M6") == []
    assert check("SELECT 1", "SCAN json_each VIRTUAL TABLE INDEX 1:") == []
    walk = "SEARCH p USING INDEX partnerships_guild_updated (guild_id=?)"
    assert check("SELECT count(*) FROM partnerships p WHERE p.guild_id = 1", walk) == [walk]
    assert check("SELECT * FROM partnerships p ORDER BY p.updated_at LIMIT 10", walk) == []
    assert check("SELECT * FROM partnerships p LIMIT 10", walk, "USE TEMP B-TREE FOR ORDER BY") == [walk]
    # A walk in a LIMITed subquery, sorted again outside it, still stops early.
    assert check("SELECT * FROM (... LIMIT 500) ORDER BY x", (5, walk), "USE TEMP B-TREE FOR ORDER BY") == []
    assert check("SELECT count(*) FROM partnerships p", walk, may_walk=frozenset({"p"})) == []
