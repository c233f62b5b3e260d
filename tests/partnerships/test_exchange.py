"""/partnership export and import, through Discord: who may, what the files hold, preview, all or nothing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import discord
import pytest
from simcord import SetupError
from simcord.actors import MemberActor

from cogs.partnerships import _exchange_cells as cells
from core.vocabulary import AgreementItem, Cadence, Goal, Health, PartnerType, Scope, Stage, Structure
from db import exchange, partnerships
from db.partnerships import Partnership, Viewer
from tests.conftest import Community
from tests.partnerships.test_register_show import register

DENIED = (
    "Only coordinators can do this. Coordinators are members with a coordinator role (set by an admin "
    "with `/setup coordinator-role`) or the Manage Server permission."
)
# Record fields compared between a record and its imported copy (id, guild and timestamps are new;
# targets and the agreement checklist are compared from the detail).
COPIED_FIELDS = [column for column in cells.COLUMNS if column not in ("id", "targets", "agreement")]


def hand_written_csv(community: Community) -> str:
    """Three rows a coordinator might write: every field, defaults and labels, an orphan."""
    mina, omar, _ = community.members
    return (
        "id,name,partner_name,partner_type,goals,structure,scope,stage,visibility,owner_id,co_owner_ids,"
        "region,areas,projects,description,meta_url,agreement_url,start_date,end_date,next_follow_up,"
        "cadence,health,last_checkin_at,outcome,lessons,targets,agreement\r\n"
        f"41,WiR at the Musée d'Orsay,Musée d'Orsay,museum,content; advocacy,complex,external,active,"
        f"confidential,{mina.id},{omar.id},France,museums; digitisation; jazz\\; blues,Commons; Wikidata,"
        '"Residency with uploads.\nSecond line, with ""quotes"".",https://meta.wikimedia.org/wiki/WiR_Orsay,'
        "https://example.org/agreement.pdf,2026-01-15,2027-06-30,2026-12-01,monthly,on_track,"
        "2026-11-01T09:30:00+00:00,,,files uploaded=120/500 files; articles=12.5/40,roles; ip; exit\r\n"
        f",,Biblioteca Nacional,library,content,,,concluded,public,{omar.id},,Peru,"
        '"GLAM (galleries, libraries, archives, museums)",wikisource,'
        "'=SUM(A1:A2) is not a formula,,,,,,,,,Digitised 300 books,'-Start small,,\r\n"
        ",,Wikimedia Ghana | User Group,Wikimedia affiliate (internal),funding,,,On hold,public,,,,,,,,,,,,,"
        ",,,,,\r\n"
    )


async def export(community: Community, actor: MemberActor, format: str, **options: str) -> Any:
    return await actor.slash(community.general, "partnership export", format=format, **options)


async def attachment(result: Any) -> tuple[str, bytes]:
    (file,) = result.response.attachments
    return file.filename, await file.read()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def preview(
    community: Community,
    data: str | bytes,
    *,
    actor: MemberActor | None = None,
    filename: str = "partners.csv",
) -> Any:
    content = data.encode("utf-8") if isinstance(data, str) else data
    return await (actor or community.coordinator).slash(
        community.general, "partnership import", file=(filename, content)
    )


def described(result: Any) -> str:
    embed = result.response.embeds[0]
    return "\n".join([embed.description or "", *(f"{field.name}\n{field.value}" for field in embed.fields)])


def buttons(result: Any) -> list[str]:
    return [
        component["label"]
        for row in result.response.components
        for component in row.get("components", [])
        if component.get("type") == 2
    ]


async def count(community: Community, guild_id: int | None = None) -> int:
    return await community.bot.database.fetch_value(
        "SELECT COUNT(*) FROM partnerships WHERE guild_id = ?", (guild_id or community.guild.id,)
    )


async def records(community: Community, guild_id: int) -> list[Partnership]:
    everything = Viewer(user_id=0, is_coordinator=True)
    return [
        item.partnership
        for item in await exchange.export_records(community.bot.database, guild_id, everything)
    ]


async def import_hand_written(community: Community) -> Any:
    shown = await preview(community, hand_written_csv(community))
    return await community.coordinator.click(shown.response, label="Confirm")


# ----------------------------------------------------------------------------- who may


async def test_export_is_refused_to_members_owners_and_co_owners(community: Community) -> None:
    mina, omar, pita = community.members
    await import_hand_written(community)  # mina owns the confidential row, omar co-owns it
    await register(community, pita, partner="Pita's Archive", type="archive")
    for actor in (mina, omar, pita):
        for format in ("csv", "json", "wikitable"):
            result = await export(community, actor, format)
            assert result.ephemeral
            assert result.response.content == DENIED
            assert result.response.attachments == []


async def test_import_is_refused_to_members(community: Community) -> None:
    result = await preview(community, hand_written_csv(community), actor=community.member)
    assert result.response.content == DENIED
    assert result.response.embeds == []
    assert await count(community) == 0


async def test_help_lists_export_and_import_for_coordinators_only(community: Community) -> None:
    def listed(result: Any) -> str:
        return "\n".join(field.value for field in result.response.embeds[0].fields)

    as_coordinator = listed(await community.coordinator.slash(community.general, "help"))
    assert (
        "`/partnership export` Download the registry as CSV, JSON or a Meta-Wiki table *(coordinators)*"
        in as_coordinator
    )
    assert (
        "`/partnership import` Add partnerships from a CSV file: a preview first, then Confirm "
        "*(coordinators)*" in as_coordinator
    )
    as_member = listed(await community.member.slash(community.general, "help"))
    assert "/partnership export" not in as_member
    assert "/partnership import" not in as_member


# ----------------------------------------------------------------------------- export


async def test_csv_and_json_exports_include_confidential_rows_for_coordinators(community: Community) -> None:
    mina, omar, _ = community.members
    await register(community, omar, partner="Open Archive", type="archive")
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )

    result = await export(community, community.coordinator, "csv")
    assert result.ephemeral
    assert result.response.content == "2 partnerships, 1 confidential."
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert [(row["id"], row["partner_name"], row["visibility"], row["owner_id"]) for row in rows] == [
        ("1", "Open Archive", "public", str(omar.id)),
        ("2", "Secret Funder", "confidential", str(mina.id)),
    ]
    assert rows[1]["goals"] == "funding"
    assert rows[1]["cadence"] == "monthly"

    result = await export(community, community.admin, "json")
    assert result.response.content == "2 partnerships, 1 confidential."
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20.json"
    document = json.loads(data)
    assert document["exported_at"] == "2026-11-20T12:00:00+00:00"
    assert document["count"] == 2
    assert [item["partner_name"] for item in document["partnerships"]] == ["Open Archive", "Secret Funder"]
    assert document["partnerships"][1]["visibility"] == "confidential"
    assert document["partnerships"][1]["owner_id"] == str(mina.id)
    assert document["partnerships"][0]["goals"] == ["content", "advocacy"]

    result = await export(community, community.coordinator, "csv", confidential="exclude")
    assert result.response.content == (
        "1 partnership, 0 confidential. 1 confidential partnership left out "
        "(choose `confidential: include` to add them)."
    )
    assert [row["partner_name"] for row in csv_rows((await attachment(result))[1])] == ["Open Archive"]


async def test_wikitable_leaves_confidential_rows_out_unless_asked(community: Community) -> None:
    mina, omar, _ = community.members
    await register(
        community,
        omar,
        form={"name": "Friends | of ''Wikipedia''", "meta_url": "https://meta.wikimedia.org/wiki/Friends"},
        partner="Open Archive",
        type="archive",
        areas="museums, oral traditions",
        region="Ghana",
        start="2026-01-15",
    )
    await register(
        community, mina, partner="Secret Funder", type="funder", goals="funding", visibility="confidential"
    )

    result = await export(community, community.coordinator, "wikitable")
    assert result.response.content == (
        "1 partnership, 0 confidential. 1 confidential partnership left out "
        "(choose `confidential: include` to add them). Ready to paste into a Meta-Wiki page."
    )
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20-wikitable.txt"
    assert data.decode("utf-8").splitlines() == [
        '{| class="wikitable sortable"',
        "|+ Partnerships as of 2026-11-20",
        "! Partnership !! Partner !! Type !! Stage !! Owners !! Region !! Areas !! Wikimedia projects"
        " !! Start !! End !! Meta-Wiki",
        "|-",
        "| Friends &#124; of &#39;&#39;Wikipedia&#39;&#39;",
        "| Open Archive",
        "| GLAM: archive",
        "| Active",
        "| omar",
        "| Ghana",
        "| GLAM (galleries, libraries, archives, museums), oral traditions",
        "|",
        "| 2026-01-15",
        "|",
        "| [https://meta.wikimedia.org/wiki/Friends Meta-Wiki page]",
        "|}",
    ]

    community.guild.remove_member(omar)
    result = await export(community, community.coordinator, "wikitable", confidential="include")
    assert result.response.content == (
        "2 partnerships, 1 confidential. ⚠️ This table includes confidential partnerships: "
        "don't publish it as it is."
    )
    table = (await attachment(result))[1].decode("utf-8")
    assert "| Secret Funder" in table
    assert "| former member" in table
    assert "| mina" in table
    assert str(mina.id) not in table


async def test_export_of_an_empty_registry_is_an_import_template(community: Community) -> None:
    result = await export(community, community.coordinator, "csv")
    assert result.response.content == (
        "0 partnerships, 0 confidential. "
        "The file has just the header row: a template for `/partnership import`."
    )
    data = (await attachment(result))[1]
    assert data.decode("utf-8-sig").splitlines() == [
        "id,name,partner_name,partner_type,goals,structure,scope,stage,visibility,owner_id,co_owner_ids,region,"
        "areas,projects,description,meta_url,agreement_url,start_date,end_date,next_follow_up,cadence,health,"
        "last_checkin_at,outcome,lessons,targets,agreement"
    ]


# ----------------------------------------------------------------------------- import


async def test_import_previews_then_confirm_writes_every_field(community: Community) -> None:
    mina, omar, _ = community.members
    shown = await preview(community, hand_written_csv(community))
    assert shown.ephemeral
    assert described(shown) == (
        "**3 rows ready to create.** Confirm creates them all at once; Cancel writes nothing.\n"
        "To create\n"
        f"row 2: **WiR at the Musée d'Orsay** 🔒 · GLAM: museum · Active · {mina.mention}\n"
        f"row 3: **Biblioteca Nacional** · GLAM: library · Concluded · {omar.mention}\n"
        "row 4: **Wikimedia Ghana \\| User Group** · Wikimedia affiliate (internal) · On hold · orphaned"
    )
    assert buttons(shown) == ["Confirm", "Cancel"]
    assert await count(community) == 0

    done = await community.coordinator.click(shown.response, label="Confirm")
    assert done.response.content == (
        "Imported 3 partnerships (#1–#3). Each record's timeline says it was imported, and by you."
    )
    assert done.response.embeds == []
    assert buttons(done) == []

    orsay, biblioteca, ghana = await records(community, community.guild.id)
    assert orsay.name == "WiR at the Musée d'Orsay"
    assert orsay.goals == (Goal.CONTENT, Goal.ADVOCACY)
    assert orsay.structure is Structure.COMPLEX
    assert orsay.visibility.value == "confidential"
    assert (orsay.owner_id, orsay.co_owner_ids) == (mina.id, (omar.id,))
    assert orsay.areas == ("digitisation", "glam", "jazz; blues")
    assert orsay.projects == ("Commons", "Wikidata")
    assert orsay.description == 'Residency with uploads.\nSecond line, with "quotes".'
    assert orsay.agreement_url == "https://example.org/agreement.pdf"
    assert (str(orsay.start_date), str(orsay.end_date), str(orsay.next_follow_up)) == (
        "2026-01-15",
        "2027-06-30",
        "2026-12-01",
    )
    assert orsay.health is Health.ON_TRACK
    assert (
        orsay.last_checkin_at is not None and orsay.last_checkin_at.isoformat() == "2026-11-01T09:30:00+00:00"
    )
    assert biblioteca.name == "Biblioteca Nacional"
    assert (biblioteca.structure, biblioteca.scope, biblioteca.cadence) == (
        Structure.SIMPLE,
        Scope.EXTERNAL,
        Cadence.OFF,
    )
    assert biblioteca.areas == ("glam",)
    assert biblioteca.projects == ("Wikisource",)
    assert biblioteca.description == "=SUM(A1:A2) is not a formula"
    assert (biblioteca.outcome, biblioteca.lessons) == ("Digitised 300 books", "-Start small")
    assert ghana.owner_id is None
    assert ghana.partner_type is PartnerType.AFFILIATE
    assert (ghana.stage, ghana.scope) == (Stage.ON_HOLD, Scope.INTERNAL)

    detail = await partnerships.detail(community.bot.database, orsay)
    assert [(t.metric, t.current, t.target, t.unit) for t in detail.targets] == [
        ("articles", 12.5, 40.0, ""),
        ("files uploaded", 120.0, 500.0, "files"),
    ]
    assert [state.item for state in detail.agreement if state.done] == [
        AgreementItem.ROLES,
        AgreementItem.IP,
        AgreementItem.EXIT,
    ]
    timeline = await community.bot.database.fetch_all(
        "SELECT partnership_id, kind, author_id, summary FROM partnership_timeline ORDER BY partnership_id"
    )
    assert [tuple(row) for row in timeline] == [
        (1, "imported", community.coordinator.id, "Imported"),
        (2, "imported", community.coordinator.id, "Imported"),
        (3, "imported", community.coordinator.id, "Imported"),
    ]
    # Lessons arrive after the first search document: the index must have them too.
    found = await community.bot.database.fetch_value(
        "SELECT rowid FROM partnerships_fts WHERE partnerships_fts MATCH 'small'"
    )
    assert found == 2


async def test_export_then_import_into_another_server_round_trips(community: Community) -> None:
    mina, omar, pita = community.members
    await import_hand_written(community)
    await register(
        community,
        pita,
        form={"description": "@everyone ''welcome''", "end": "2027-01-31"},
        partner="Université de Lomé",
        type="university",
        goals="advocacy",
        areas="universities",
        region="Togo",
        start="2026-02-01",
        cadence="quarterly",
    )
    exported = (await attachment(await export(community, community.coordinator, "csv")))[1]
    rows = csv_rows(exported)
    # Exactly what went in, in the stored form (defaults filled in, labels turned into values).
    assert [row["id"] for row in rows] == ["1", "2", "3", "4"]
    assert rows[0]["areas"] == "digitisation; glam; jazz\\; blues"
    assert rows[0]["targets"] == "articles=12.5/40; files uploaded=120/500 files"
    assert rows[0]["agreement"] == "roles; ip; exit"
    assert rows[0]["co_owner_ids"] == str(omar.id)
    assert rows[1]["description"] == "'=SUM(A1:A2) is not a formula"
    assert rows[1]["lessons"] == "'-Start small"
    assert (rows[1]["structure"], rows[1]["scope"], rows[1]["cadence"]) == ("simple", "external", "off")
    assert (rows[2]["partner_type"], rows[2]["stage"], rows[2]["owner_id"]) == ("affiliate", "on_hold", "")
    assert rows[3]["description"] == "'@everyone ''welcome''"
    assert rows[3]["end_date"] == "2027-01-31"

    elsewhere = community.env.create_guild(name="Another chapter")
    admins = elsewhere.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = elsewhere.add_member(community.admin.user, roles=[admins])
    for member in (mina, omar, pita):
        elsewhere.add_member(member.user)
    channel = elsewhere.create_text_channel("general")
    shown = await admin.slash(channel, "partnership import", file=("partnerships-2026-11-20.csv", exported))
    assert shown.response.embeds[0].description.startswith("**4 rows ready to create.**")
    done = await admin.click(shown.response, label="Confirm")
    assert done.response.content.startswith("Imported 4 partnerships (#5–#8).")

    originals = await records(community, community.guild.id)
    copies = await records(community, elsewhere.id)
    assert len(copies) == 4
    for original, copy in zip(originals, copies, strict=True):
        for field in COPIED_FIELDS:
            assert getattr(copy, field) == getattr(original, field), (original.partner_name, field)
        before = await partnerships.detail(community.bot.database, original)
        after = await partnerships.detail(community.bot.database, copy)
        assert after.targets == before.targets
        assert [state.done for state in after.agreement] == [state.done for state in before.agreement]
    assert copies[3].description == "@everyone ''welcome''"
    # And the other server's export is the same file, cell for cell, but for the new ids.
    second = csv_rows((await attachment(await admin.slash(channel, "partnership export", format="csv")))[1])
    assert [{**row, "id": ""} for row in second] == [{**row, "id": ""} for row in rows]


async def test_cancel_writes_nothing(community: Community) -> None:
    shown = await preview(community, hand_written_csv(community))
    cancelled = await community.coordinator.click(shown.response, label="Cancel")
    assert cancelled.response.content == "Import cancelled; nothing was written."
    assert cancelled.response.embeds == []
    assert buttons(cancelled) == []
    assert await count(community) == 0


async def test_rows_with_errors_are_listed_and_skipped(community: Community) -> None:
    mina, omar, pita = community.members
    await register(community, mina, partner="Royal Library", type="library")
    text = (
        "partner_name,partner_type,goals,stage,visibility,owner_id,start_date,end_date,projects,targets\r\n"
        f"City Archive,archive,content,active,public,{omar.id},,,,\r\n"
        f"Royal Library,library,content,active,public,{mina.id},,,,\r\n"
        f"Science Museum,museum,content,active,public,{pita.id},2026-05-01,2026-01-01,Wikipedia,\r\n"
        f"Zoo,zoo,content,active,public,{pita.id},,,Wikipedia; Myspace,\r\n"
        f"Old Partner,ngo,content,active,public,123456789,,,,files=1/0\r\n"
        f"City Archive,archive,content,active,public,{omar.id},,,,\r\n"
        f"Film Institute,other,content,prospect,confidential,{pita.id},,,,\r\n"
    )
    shown = await preview(community, text)
    assert described(shown) == (
        "**2 rows ready to create, 5 rows with errors.**\n"
        "Confirm creates the 2 valid rows; the 5 rows with errors are skipped. "
        "Nothing is written until you confirm.\n"
        "To create\n"
        f"row 2: **City Archive** · GLAM: archive · Active · {omar.mention}\n"
        f"row 8: **Film Institute** 🔒 · Other · Prospect · {pita.mention}\n"
        "Errors\n"
        f"row 3: {mina.mention} already has a partnership with “Royal Library” in this server.\n"
        "row 4: The end date 2026-01-01 is before the start date 2026-05-01.\n"
        "row 5: Partner type “zoo” isn't one of: museum, library, archive, gallery, university, school, igo, "
        "government, ngo, affiliate, funder, company, other.\n"
        "row 5: “Myspace” isn't a Wikimedia project. Choose from: Wikipedia, Commons, Wikidata, Wikisource, "
        "Wiktionary, Wikibooks, Wikivoyage, Wikiversity, Wikiquote, Wikinews, Wikispecies, Wikifunctions, "
        "Abstract Wikipedia.\n"
        "row 6: Owner 123456789 isn't a member of this server; leave owner\\_id empty to import the "
        "partnership as orphaned.\n"
        "row 6: The target of “files” must be a number above 0 (got 0).\n"
        "row 7: Same owner and partner “City Archive” as row 2."
    )
    assert shown.response.embeds[0].footer.text.startswith("Rows are numbered as in a spreadsheet")
    done = await community.coordinator.click(shown.response, label="Confirm")
    assert done.response.content.startswith("Imported 2 partnerships (#2–#3).")
    assert [record.partner_name for record in await records(community, community.guild.id)] == [
        "Royal Library",
        "City Archive",
        "Film Institute",
    ]


async def test_a_file_without_valid_rows_offers_no_confirm(community: Community) -> None:
    shown = await preview(
        community, "partner_name,partner_type,goals,stage,visibility,owner_id\nX,zoo,content,active,public,\n"
    )
    assert described(shown).startswith(
        "**Nothing to import: 1 row with errors.** Fix them and run `/partnership import` again."
    )
    assert buttons(shown) == []
    assert await count(community) == 0


async def test_a_duplicate_registered_before_confirm_means_nothing_is_written(community: Community) -> None:
    mina, omar, _ = community.members
    text = (
        "partner_name,partner_type,goals,stage,visibility,owner_id\r\n"
        f"City Archive,archive,content,active,public,{omar.id}\r\n"
        "Orphan Museum,museum,content,active,public,\r\n"
        f"Royal Library,library,content,active,public,{mina.id}\r\n"
    )
    shown = await preview(community, text)
    assert described(shown).startswith("**3 rows ready to create.**")
    await register(community, mina, partner="Royal Library", type="library")

    refused = await community.coordinator.click(shown.response, label="Confirm")
    assert refused.followups[0].ephemeral
    assert refused.followups[0].content == (
        f"Nothing was imported: row 4: {mina.mention} registered a partnership with “Royal Library” "
        "since the preview. Run `/partnership import` again for a fresh preview."
    )
    assert buttons(refused) == []
    # The two rows before it were written inside the transaction, then rolled back with it.
    assert [record.partner_name for record in await records(community, community.guild.id)] == [
        "Royal Library"
    ]
    assert (
        await community.bot.database.fetch_value(
            "SELECT COUNT(*) FROM partnership_timeline WHERE kind = 'imported'"
        )
        == 0
    )


async def test_an_owner_who_left_before_confirm_means_nothing_is_written(community: Community) -> None:
    mina, omar, _ = community.members
    text = (
        "partner_name,partner_type,goals,stage,visibility,owner_id,co_owner_ids\r\n"
        f"City Archive,archive,content,active,public,{mina.id},{omar.id}\r\n"
    )
    shown = await preview(community, text)
    community.guild.remove_member(omar)
    refused = await community.coordinator.click(shown.response, label="Confirm")
    assert refused.followups[0].content == (
        f"Nothing was imported: row 2: Co-owner {omar.id} isn't a member of this server. (This changed since "
        "the preview.) Run `/partnership import` again for a fresh preview."
    )
    assert await count(community) == 0


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("partners.xlsx", b"PK\x03\x04", "“partners.xlsx” isn't a CSV file. Save your sheet as “CSV UTF-8”"),
        ("partners.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "The file isn't UTF-8 text."),
        ("partners.csv", b"", "The file is empty."),
        (
            "partners.csv",
            b"partner,type\nMuseum,museum\n",
            "The header row doesn't fit: unknown column(s): partner, type; missing column(s): partner_name, "
            "partner_type, goals, stage, visibility, owner_id.",
        ),
        (
            "partners.csv",
            b"partner_name,partner_type,goals,stage,visibility,owner_id\n"
            + b"Museum,museum,content,active,public,\n" * 1001,
            "The file has 1,001 rows; the limit is 1,000 per import. Split it into smaller files.",
        ),
        (
            "partners.csv",
            b"x" * 1_000_001,
            "The file is 1,000,001 bytes; the limit is 1,000,000 (1 MB) per import. "
            "Split it into smaller files.",
        ),
    ],
)
async def test_unusable_files_are_refused(
    community: Community, filename: str, data: bytes, message: str
) -> None:
    result = await preview(community, data, filename=filename)
    assert result.ephemeral
    assert message in result.response.content
    assert result.response.embeds == []
    assert await count(community) == 0


async def test_only_the_coordinator_who_asked_can_press_confirm(community: Community) -> None:
    shown = await preview(community, hand_written_csv(community))
    # The preview is ephemeral: Discord shows it, and its buttons, to the coordinator alone.
    for someone_else in (community.member, community.admin):
        with pytest.raises(SetupError, match="not visible to this user"):
            await someone_else.click(shown.response, label="Confirm")
    assert await count(community) == 0


async def test_an_expired_preview_writes_nothing(community: Community) -> None:
    shown = await preview(community, hand_written_csv(community))
    await community.env.advance_time(601)
    assert shown.response.content == (
        "This import preview expired; nothing was written. Run `/partnership import` again."
    )
    assert shown.response.embeds == []
    assert buttons(shown) == []
    assert await count(community) == 0
