"""/expertise who must stay fast at the movement's size: every lookup of its hot queries is an index
search or an FTS5 MATCH, never a scan of a big table (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cogs.expertise import _query as query_words
from cogs.expertise import _ranking as ranking
from cogs.expertise._search import understand
from db import expertise
from db import expertise_evidence as evidence
from db.database import Database
from db.expertise import Probe
from db.partnerships import Viewer
from tests.conftest import Community
from tests.expertise.helpers import declare, record

# The big tables, and the aliases the expertise SQL gives them. Tiny or derived ones (areas, the
# query's own json_each lists, CTEs) may be scanned.
BIG = ("partnerships", "partnership_areas", "partnership_co_owners", "partnership_timeline")
BIG += ("member_expertise", "profiles", "expertise_availability", "p", "a", "c", "e", "pr", "av")
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(BIG)})\b")
FTS_SCAN = re.compile(r"^SCAN (\w+_fts|expertise_terms) VIRTUAL TABLE INDEX (\d+):(\S*)")

QUERIES = ["museums", "museum digitisation", "open access research papers", "Amharic", "UNESCO"]


async def plan(database: Database, sql: str, params: dict[str, Any]) -> list[str]:
    return [row["detail"] for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)]


def problems(lines: list[str]) -> list[str]:
    found = [line for line in lines if FULL_SCAN.match(line)]
    for line in lines:
        fts = FTS_SCAN.match(line)
        if (
            line.startswith("SCAN")
            and "VIRTUAL TABLE" in line
            and "_fts" in line
            and not (fts and "M" in fts[3])
        ):
            found.append(line)  # an FTS5 table read without MATCH is a full scan too
    return found


@pytest.fixture
async def populated(community: Community) -> Community:
    mina, omar, pita = community.members
    await declare(community, mina, "GLAM", "expert", "museum work")
    await declare(community, omar, "oral traditions", "learning")
    await record(community, mina, "National Museum", areas=("glam", "digitisation"), co_owners=(omar,))
    await record(community, pita, "Open Science Lab", areas=("open-science",), confidential=True)
    return community


@pytest.mark.parametrize("text", QUERIES)
async def test_who_queries_never_scan_a_big_table(populated: Community, text: str) -> None:
    database = populated.bot.database
    viewer = Viewer(populated.member.id, is_coordinator=False)
    understood = await understand(database, text)
    weighing = ranking.weighing(populated.clock(), limit=ranking.PEOPLE_POOL)
    query = understood.evidence
    statements = evidence.evidence_queries(populated.guild.id, viewer, query, weighing)
    words = query_words.words(text)
    spans = query_words.phrases(words)
    statements.append(
        expertise.terms_query(
            [Probe(span.start, span.length, query_words.starts_with(span.text)) for span in spans]
        )
    )
    for sql, params in statements:
        lines = await plan(database, sql, params)
        assert lines
        assert problems(lines) == [], "\n".join(lines)


async def test_explanations_read_each_matched_record_by_its_id(populated: Community) -> None:
    viewer = Viewer(populated.member.id, is_coordinator=False)
    for sql, params in evidence.explanation_queries(populated.guild.id, viewer, [1, 2], [1, 2]):
        lines = await plan(populated.bot.database, sql, params)
        assert problems(lines) == [], "\n".join(lines)
        # Not a search of the whole server's rows through a server index, then filtered by id.
        assert any("USING INTEGER PRIMARY KEY" in line for line in lines), "\n".join(lines)


def test_the_checker_catches_full_scans() -> None:
    assert problems(["SCAN p", "SEARCH c USING INDEX x (partnership_id=?)"]) == ["SCAN p"]
    assert problems(["SCAN member_expertise USING COVERING INDEX member_expertise_area"]) != []
    assert problems(["SCAN partnerships_fts VIRTUAL TABLE INDEX 0:"]) != []
    assert (
        problems(["SCAN partnerships_fts VIRTUAL TABLE INDEX 0:M6", "SCAN json_each VIRTUAL TABLE INDEX 1:"])
        == []
    )
    assert problems(["SCAN hits", "SCAN matched", "SCAN w"]) == []
