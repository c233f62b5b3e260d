"""The exchange formats on their own: cells, escaping, the CSV reader's rules, and the round trip."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from cogs.partnerships import _exchange_cells as cells
from cogs.partnerships import _exchange_reader as reader
from cogs.partnerships import _exchange_writers as writers
from core.errors import UserError
from core.text import plural
from core.vocabulary import (
    AgreementItem,
    Cadence,
    Goal,
    Health,
    PartnerType,
    Scope,
    Stage,
    Structure,
    Visibility,
)
from db.areas import read_taxonomy
from db.exchange import ExportRecord
from db.partnerships import Partnership, Target

MINA, OMAR, GONE = 111111111111111111, 222222222222222222, 999999999999999999
MEMBERS = {MINA, OMAR}
TAXONOMY = tuple(read_taxonomy())
HEADER = ",".join(cells.COLUMNS)


def partnership(**changes: Any) -> Partnership:
    base = Partnership(
        id=7,
        guild_id=1,
        name="WiR at the Museum",
        partner_name="National Museum",
        partner_type=PartnerType.MUSEUM,
        goals=(Goal.CONTENT,),
        structure=Structure.SIMPLE,
        scope=Scope.EXTERNAL,
        stage=Stage.ACTIVE,
        visibility=Visibility.PUBLIC,
        owner_id=MINA,
        co_owner_ids=(),
        region=None,
        areas=(),
        projects=(),
        description="",
        meta_url=None,
        agreement_url=None,
        start_date=None,
        end_date=None,
        next_follow_up=None,
        cadence=Cadence.MONTHLY,
        health=None,
        last_checkin_at=None,
        outcome=None,
        lessons=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return replace(base, **changes)


RICH = ExportRecord(
    partnership=partnership(
        name="Orsay; the residency",
        partner_name="Musée d'Orsay",
        goals=(Goal.CONTENT, Goal.ADVOCACY),
        structure=Structure.COMPLEX,
        stage=Stage.CONCLUDED,
        visibility=Visibility.CONFIDENTIAL,
        co_owner_ids=(OMAR,),
        region="France",
        areas=("glam", "jazz; blues", "back\\slash"),
        projects=("Commons", "Wikidata"),
        description='=HYPERLINK("http://evil") and a\nsecond line, "quoted"',
        meta_url="https://meta.wikimedia.org/wiki/WiR_Orsay",
        agreement_url="https://example.org/agreement.pdf",
        start_date=date(2026, 1, 15),
        end_date=date(2027, 6, 30),
        next_follow_up=date(2026, 12, 1),
        cadence=Cadence.OFF,
        health=Health.ON_TRACK,
        last_checkin_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        outcome="-3 partners left, 2 stayed",
        lessons="@channel: start small",
    ),
    targets=(Target("articles", 40.0, 12.5, ""), Target("files uploaded", 500.0, 120.0, "files")),
    agreement_done=(AgreementItem.ROLES, AgreementItem.IP),
)


def context(existing: frozenset[tuple[int, str]] = frozenset()) -> reader.ImportContext:
    return reader.ImportContext(
        guild_id=2, taxonomy=TAXONOMY, is_member=MEMBERS.__contains__, existing=existing
    )


def plan(text: str, existing: frozenset[tuple[int, str]] = frozenset()) -> reader.ImportPlan:
    return reader.plan_import(text.encode("utf-8"), context(existing))


def minimal(*rows: str) -> str:
    return "\n".join(["partner_name,partner_type,goals,stage,visibility,owner_id", *rows]) + "\n"


# ----------------------------------------------------------------------------- cells


def test_list_cells_escape_the_separator_and_the_escape_character() -> None:
    assert cells.join_items(["glam", "jazz; blues", "back\\slash"]) == "glam; jazz\\; blues; back\\\\slash"
    assert cells.split_items("glam; jazz\\; blues; back\\\\slash") == ["glam", "jazz; blues", "back\\slash"]
    assert cells.split_items(" content ;; advocacy; ") == ["content", "advocacy"]
    assert cells.split_items("") == []
    assert cells.split_items("trailing\\") == ["trailing\\"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 1234", "'+44 20 1234"),
        ("-3 partners", "'-3 partners"),
        ("@channel", "'@channel"),
        ("\tindented", "'\tindented"),
        ("'quoted", "''quoted"),
        ("''", "'''"),
        ("plain = fine", "plain = fine"),
        ("", ""),
    ],
)
def test_formula_guard_and_its_exact_reversal(value: str, written: str) -> None:
    assert cells.guard_formula(value) == written
    assert cells.unguard_formula(written) == value


def test_an_apostrophe_typed_before_plain_text_is_kept() -> None:
    assert cells.unguard_formula("'Tis the season") == "'Tis the season"


def test_targets_are_written_and_read_as_metric_current_target_unit() -> None:
    assert (
        cells.target_text(Target("files uploaded", 500.0, 120.0, "files")) == "files uploaded=120/500 files"
    )
    assert cells.target_text(Target("articles", 40.0, 12.5, "")) == "articles=12.5/40"
    assert cells.parse_target(" files uploaded = 120 / 500 files ") == Target(
        "files uploaded", 500.0, 120.0, "files"
    )
    assert cells.parse_target("a=b ratio=1/2") == Target("a=b ratio", 2.0, 1.0, "")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("files uploaded", "isn't written as metric=current/target unit"),
        ("files=ten/500", "isn't written as metric=current/target unit"),
        ("files=-1/500", "isn't written as metric=current/target unit"),
        ("files=1/0", "must be a number above 0"),
        ("m" * 41 + "=1/2", "the limit is 40"),
        ("files=1/2 " + "u" * 21, "the limit is 20"),
    ],
)
def test_bad_targets_say_what_to_fix(item: str, message: str) -> None:
    with pytest.raises(UserError) as refused:
        cells.parse_target(item)
    assert message in refused.value.message


# ----------------------------------------------------------------------------- writers


def test_csv_has_a_bom_the_header_and_stored_values() -> None:
    data = writers.to_csv([RICH])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(cells.COLUMNS)
    row = rows[0]
    assert row["id"] == "7"
    assert row["name"] == "Orsay; the residency"
    assert row["goals"] == "content; advocacy"
    assert row["visibility"] == "confidential"
    assert row["owner_id"] == "111111111111111111"
    assert row["co_owner_ids"] == "222222222222222222"
    assert row["areas"] == "glam; jazz\\; blues; back\\\\slash"
    assert row["projects"] == "Commons; Wikidata"
    assert row["description"] == '\'=HYPERLINK("http://evil") and a\nsecond line, "quoted"'
    assert row["start_date"] == "2026-01-15"
    assert row["health"] == "on_track"
    assert row["last_checkin_at"] == "2026-11-01T09:30:00+00:00"
    assert row["outcome"] == "'-3 partners left, 2 stayed"
    assert row["lessons"] == "'@channel: start small"
    assert row["targets"] == "articles=12.5/40; files uploaded=120/500 files"
    assert row["agreement"] == "roles; ip"
    assert row["region"] == "France"
    assert row["next_follow_up"] == "2026-12-01"


def test_json_has_the_same_fields_with_lists_and_target_objects() -> None:
    document = json.loads(writers.to_json([RICH], exported_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC)))
    assert document["exported_at"] == "2026-11-20T12:00:00+00:00"
    assert document["count"] == 1
    item = document["partnerships"][0]
    assert list(item) == list(cells.COLUMNS)
    assert item["id"] == 7
    assert item["goals"] == ["content", "advocacy"]
    assert item["owner_id"] == "111111111111111111"
    assert item["co_owner_ids"] == ["222222222222222222"]
    assert item["areas"] == ["glam", "jazz; blues", "back\\slash"]
    assert item["description"].startswith("=HYPERLINK")  # no spreadsheet guard in JSON
    assert item["targets"] == [
        {"metric": "articles", "current": 12.5, "target": 40, "unit": ""},
        {"metric": "files uploaded", "current": 120, "target": 500, "unit": "files"},
    ]
    assert item["agreement"] == ["roles", "ip"]
    assert item["region"] == "France"
    assert item["outcome"] == "-3 partners left, 2 stayed"


@pytest.mark.parametrize(
    ("text", "wikitext"),
    [
        ("Friends | Partners", "Friends &#124; Partners"),
        ("''bold'' and '''more'''", "&#39;&#39;bold&#39;&#39; and &#39;&#39;&#39;more&#39;&#39;&#39;"),
        ("Women's Museum", "Women's Museum"),
        ("{{delete}} [[Main Page]]", "&#123;&#123;delete&#125;&#125; &#91;&#91;Main Page&#93;&#93;"),
        ("signed ~~~~", "signed &#126;&#126;&#126;&#126;"),
        ("__NOTOC__ snake_case", "&#95;&#95;NOTOC&#95;&#95; snake_case"),
        ("<script>&amp;", "&lt;script&gt;&amp;amp;"),
        ("two\nlines\n|}", "two lines &#124;&#125;"),
    ],
)
def test_wiki_text_cannot_break_the_table_or_add_markup(text: str, wikitext: str) -> None:
    assert writers.wiki_text(text) == wikitext


def test_wiki_links_keep_urls_inside_the_link() -> None:
    assert (
        writers.wiki_link("https://meta.wikimedia.org/wiki/A|B]", "Meta-Wiki page")
        == "[https://meta.wikimedia.org/wiki/A%7CB%5D Meta-Wiki page]"
    )


def test_wikitable_rows_use_labels_and_names() -> None:
    orphan = ExportRecord(partnership(id=8, name="Archive", partner_name="Archive", owner_id=None))
    table = writers.to_wikitable(
        [RICH, orphan],
        taxonomy={area.slug: area for area in TAXONOMY},
        member_name={MINA: "Mina", OMAR: "Omar"}.__getitem__,
        exported_on=date(2026, 11, 20),
    ).decode("utf-8")
    lines = table.splitlines()
    assert lines[:3] == [
        '{| class="wikitable sortable"',
        "|+ Partnerships as of 2026-11-20",
        "! Partnership !! Partner !! Type !! Stage !! Owners !! Region !! Areas !! Wikimedia projects"
        " !! Start !! End !! Meta-Wiki",
    ]
    assert lines[3:15] == [
        "|-",
        "| Orsay; the residency",
        "| Musée d'Orsay",
        "| GLAM: museum",
        "| Concluded",
        "| Mina, Omar",
        "| France",
        "| GLAM (galleries, libraries, archives, museums), jazz; blues, back\\slash",
        "| Commons, Wikidata",
        "| 2026-01-15",
        "| 2027-06-30",
        "| [https://meta.wikimedia.org/wiki/WiR_Orsay Meta-Wiki page]",
    ]
    assert "| orphaned" in lines
    assert lines[-1] == "|}"


# ----------------------------------------------------------------------------- reading


def test_export_then_plan_round_trips_every_field() -> None:
    planned = reader.plan_import(writers.to_csv([RICH]), context())
    assert planned.errors == ()
    (row,) = planned.rows
    assert row.row_number == 2
    assert row.draft.guild_id == 2
    renamed = {"agreement": "agreement_done"}
    for column in cells.COLUMNS[1:]:  # all but the id, which an import ignores
        imported = (
            getattr(row.draft, column)
            if hasattr(row.draft, column)
            else getattr(row, renamed.get(column, column))
        )
        exported = (
            getattr(RICH.partnership, column)
            if hasattr(RICH.partnership, column)
            else getattr(RICH, renamed.get(column, column))
        )
        assert imported == exported, column


def test_defaults_labels_and_hand_written_values_are_accepted() -> None:
    text = (
        "Partner_Name , partner_type,goals,stage,visibility,owner_id,areas,projects,agreement,id\n"
        f'Biblioteca,GLAM: library,"funding/resources, outreach",On hold,public,{MINA},'
        '"GLAM (galleries, libraries, archives, museums); museums; Oral Traditions",'
        "wikisource; COMMONS,Roles and responsibilities; exit,999\n"
        "Wikimedia Ghana,affiliate,content,active,public,,,,,\n"
    )
    first, second = plan(text).rows
    assert first.draft.partner_type is PartnerType.LIBRARY
    assert first.draft.goals == (Goal.FUNDING, Goal.ADVOCACY)
    assert first.draft.stage is Stage.ON_HOLD
    assert first.draft.areas == ("glam", "oral traditions")
    assert first.draft.projects == ("Wikisource", "Commons")
    assert first.draft.structure is Structure.SIMPLE
    assert first.draft.cadence is Cadence.OFF
    assert first.agreement_done == (AgreementItem.ROLES, AgreementItem.EXIT)
    assert second.draft.owner_id is None
    assert second.draft.scope is Scope.INTERNAL
    assert second.draft.cadence is Cadence.MONTHLY
    assert second.draft.name is None


def test_every_problem_of_a_row_is_reported_with_its_spreadsheet_row_number() -> None:
    text = minimal(
        f'"Two\nline name",museum,content,active,public,{MINA}',
        f"Bad,castle,fame,done,secret,{GONE}",
        "",
        f"Ok,museum,content,active,public,{OMAR}",
    )
    planned = plan(text)
    assert [row.row_number for row in planned.rows] == [2, 5]
    assert [str(error) for error in planned.errors] == [
        "row 3: Partner type “castle” isn't one of: museum, library, archive, gallery, university, school, "
        "igo, government, ngo, affiliate, funder, company, other.",
        "row 3: “fame” isn't a goal. Use content, funding or advocacy, comma-separated.",
        "row 3: Stage “done” isn't one of: prospect, contacting, negotiating, active, on_hold, concluded.",
        "row 3: Visibility “secret” isn't one of: public, confidential.",
        f"row 3: Owner {GONE} isn't a member of this server; leave owner_id empty to import the partnership "
        "as orphaned.",
    ]
    assert planned.rows_with_errors == 1


def test_field_rules_are_the_registers() -> None:
    header = "partner_name,partner_type,goals,stage,visibility,owner_id,start_date,end_date,meta_url,region"
    text = "\n".join(
        [
            header,
            f"{'x' * 101},museum,content,active,public,{MINA},,,,",
            f"A,museum,content,active,public,{MINA},2026-02-30,,,",
            f"B,museum,content,active,public,{MINA},2026-05-01,2026-01-01,,",
            f"C,museum,content,active,public,{MINA},,,meta.wikimedia.org/wiki/X,",
            f"D,museum,content,active,public,{MINA},,,,{'r' * 61}",
            ",museum,,active,,",
        ]
    )
    assert [str(error) for error in plan(text).errors] == [
        "row 2: Partner name is 101 characters; the limit is 100. Please shorten it.",
        "row 3: Start date “2026-02-30” doesn't exist in the calendar. Check the month and day.",
        "row 4: The end date 2026-01-01 is before the start date 2026-05-01.",
        "row 5: Meta-Wiki page must be a web address starting with https:// "
        "(got “meta.wikimedia.org/wiki/X”).",
        "row 6: Region is 61 characters; the limit is 60. Please shorten it.",
        "row 7: Partner name can't be empty.",
        "row 7: Choose at least one goal: content, funding, advocacy (comma-separated).",
        "row 7: Visibility can't be empty: use one of public, confidential.",
    ]


def test_duplicates_in_the_server_and_in_the_file_are_errors() -> None:
    text = minimal(
        f"Royal Library,library,content,active,public,{MINA}",
        f"royal library,library,content,active,public,{OMAR}",
        f"ROYAL LIBRARY,library,content,active,public,{OMAR}",
        "Royal Library,library,content,active,public,",
        "Royal Library,library,content,active,public,",
    )
    planned = plan(text, existing=frozenset({(MINA, "royal library")}))
    assert [str(error) for error in planned.errors] == [
        f"row 2: <@{MINA}> already has a partnership with “Royal Library” in this server.",
        "row 4: Same owner and partner “ROYAL LIBRARY” as row 3.",
    ]
    # Orphaned rows have no owner to collide with, as in the database.
    assert [row.row_number for row in planned.rows] == [3, 5, 6]


def test_co_owners_targets_and_agreement_are_checked() -> None:
    text = (
        "partner_name,partner_type,goals,stage,visibility,owner_id,co_owner_ids,targets,agreement\n"
        f"A,museum,content,active,public,{MINA},{MINA}; {GONE}; abc,"
        "files=1/2; Files=3/4,roles; money; lunch\n"
    )
    assert [error.message for error in plan(text).errors] == [
        f"Co-owner {MINA} is already the owner.",
        "Co-owner “abc” isn't a Discord user id (a number like 123456789012345678; keep the column as text "
        "in your spreadsheet).",
        f"Co-owner {GONE} isn't a member of this server.",
        "The target “files” appears twice.",
        "Agreement item “lunch” isn't one of: roles, decisions, communication, money, ip, exit.",
    ]


def test_semicolon_separated_files_from_some_spreadsheets_are_read() -> None:
    text = (
        "partner_name;partner_type;goals;stage;visibility;owner_id\n"
        f"A;museum;content, funding;active;public;{MINA}\n"
    )
    (row,) = plan(text).rows
    assert row.draft.goals == (Goal.CONTENT, Goal.FUNDING)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00p\x00a", "The file isn't UTF-8 text."),
        (b"partner_name\x00,x", "This isn't a CSV file (it contains binary data)."),
        (HEADER.encode() + b"\n\n", "The file has a header row but no partnerships under it."),
        (
            b"partner,type,stage\nx,y,z\n",
            "The header row doesn't fit: unknown column(s): partner, type; missing column(s): partner_name, "
            "partner_type, goals, visibility, owner_id.",
        ),
        (
            b"partner_name,partner_type,goals,stage,visibility,owner_id,stage,\n",
            "The header row doesn't fit: column(s) 8 have no name; repeated column(s): stage.",
        ),
        (b"a" * 1_000_001, "The file is 1,000,001 bytes; the limit is 1,000,000 (1 MB) per import."),
    ],
)
def test_unusable_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(UserError) as refused:
        reader.plan_import(data, context())
    assert message in refused.value.message


def test_at_most_a_thousand_rows() -> None:
    orphaned = "A,museum,content,active,public,"
    assert len(plan(minimal(*[orphaned] * 1000)).rows) == 1000
    with pytest.raises(UserError) as refused:
        plan(minimal(*[orphaned] * 1001))
    assert refused.value.message == (
        "The file has 1,001 rows; the limit is 1,000 per import. Split it into smaller files."
    )


def test_longer_rows_than_the_header_are_errors() -> None:
    planned = plan(minimal(f"A,museum,content,active,public,{MINA},surprise"))
    assert [str(error) for error in planned.errors] == ["row 2: It has 7 cells but the header has 6 columns."]


def test_an_area_label_counts_once_and_free_tags_keep_their_limits() -> None:
    header = "partner_name,partner_type,goals,stage,visibility,owner_id,areas"
    text = "\n".join(
        [
            header,
            f"A,museum,content,active,public,{MINA},"
            '"GLAM (galleries, libraries, archives, museums); museums"',
            f"B,museum,content,active,public,{MINA},{'t' * 41}",
        ]
    )
    planned = plan(text)
    assert planned.rows[0].draft.areas == ("glam",)
    assert [str(error) for error in planned.errors] == [
        f"row 3: The area “{'t' * 40}…” is too long; free areas are at most 40 characters."
    ]


def test_plural() -> None:
    assert plural(1, "row") == "1 row"
    assert plural(1200, "row") == "1,200 rows"
    assert plural(0, "partnership") == "0 partnerships"
