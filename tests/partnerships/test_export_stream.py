"""/partnership export streamed: chunk by chunk into a file, the same bytes as written at once, and
Discord's upload limit (zipped above it, refused when even the zip is too big)."""

from __future__ import annotations

import io
import json
import os
import random
import string
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import simcord.interactions

from cogs.partnerships import _exchange_upload as upload
from cogs.partnerships import _exchange_writers as writers
from cogs.partnerships._exchange import ExportFormat, too_big_message
from db import exchange
from db.exchange import ExportRecord
from db.partnerships import Viewer
from tests.conftest import Community, acknowledge_errors
from tests.partnerships.test_exchange import (
    attachment,
    count,
    csv_rows,
    export,
    import_hand_written,
    preview,
)
from tests.partnerships.test_formats import MINA, OMAR, RICH, TAXONOMY, partnership
from tests.partnerships.test_register_show import register
from tests.test_query_plans import problems, traced

EXPORTED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
RECORDS = [
    RICH,
    ExportRecord(partnership(id=8, name="Archive", partner_name="Archive", owner_id=None)),
    replace(RICH, partnership=replace(RICH.partnership, id=9, description="ünïcödé ✓ | [[x]]")),
    ExportRecord(partnership(id=10, partner_name="Library", areas=("glam",), projects=("Wikisource",))),
]


def make_writers(out: io.StringIO) -> list[writers.ExportWriter]:
    return [
        writers.CsvWriter(out),
        writers.JsonWriter(out, exported_at=EXPORTED_AT),
        writers.WikitableWriter(
            out,
            taxonomy={area.slug: area for area in TAXONOMY},
            member_name={MINA: "Mina", OMAR: "Omar"}.__getitem__,
            exported_on=EXPORTED_AT.date(),
        ),
    ]


def streamed(index: int, chunks: list[list[ExportRecord]]) -> str:
    out = io.StringIO(newline="")
    writer = make_writers(out)[index]
    writer.begin(sum(map(len, chunks)))
    for chunk in chunks:
        writer.write(chunk)
    writer.end()
    return out.getvalue()


# ----------------------------------------------------------------------------- writers, Discord-free


@pytest.mark.parametrize("index", [0, 1, 2], ids=["csv", "json", "wikitable"])
def test_writing_in_chunks_gives_the_same_text_as_writing_at_once(index: int) -> None:
    whole = streamed(index, [RECORDS])
    assert streamed(index, [[record] for record in RECORDS]) == whole
    assert streamed(index, [RECORDS[:3], [], RECORDS[3:]]) == whole
    assert len(whole) > 500


def test_the_streamed_csv_and_wikitable_are_what_the_one_shot_writers_give() -> None:
    assert streamed(0, [RECORDS[:2], RECORDS[2:]]).encode("utf-8") == writers.to_csv(RECORDS)
    assert streamed(0, []).encode("utf-8") == writers.to_csv([])
    assert streamed(2, [RECORDS[:1], RECORDS[1:]]).encode("utf-8") == writers.to_wikitable(
        RECORDS,
        taxonomy={area.slug: area for area in TAXONOMY},
        member_name={MINA: "Mina", OMAR: "Omar"}.__getitem__,
        exported_on=date(2026, 11, 20),
    )


def test_the_streamed_json_is_the_document_json_dumps_writes() -> None:
    text = streamed(1, [RECORDS[:1], RECORDS[1:]])
    document = json.loads(text)
    assert document["count"] == 4
    assert [item["id"] for item in document["partnerships"]] == [7, 8, 9, 10]
    assert document["partnerships"][2]["description"] == "ünïcödé ✓ | [[x]]"
    assert text == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert streamed(1, []) == (
        '{\n  "exported_at": "2026-11-20T12:00:00+00:00",\n  "count": 0,\n  "partnerships": []\n}\n'
    )


def test_a_json_export_that_writes_other_than_it_counted_fails_loudly() -> None:
    writer = writers.JsonWriter(io.StringIO(), exported_at=EXPORTED_AT)
    writer.begin(2)
    writer.write(RECORDS[:1])
    with pytest.raises(RuntimeError, match="counted 2 records but wrote 1"):
        writer.end()


# ----------------------------------------------------------------------------- the upload limit, Discord-free


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (812, "812 bytes"),
        (1_048_575, "1,048,575 bytes"),
        (1_048_576, "1 MB"),
        (26_214_400, "25 MB"),
        (32_925_286, "31.4 MB"),
    ],
)
def test_file_sizes_read_as_discord_states_limits(size: int, text: str) -> None:
    assert upload.file_size(size) == text


def written(path: Path, limit: int, pieces: list[bytes]) -> tuple[list[bool], Path | None]:
    """What ``UploadFile.write`` said of each piece, and the file it then gives to upload."""
    with upload.UploadFile(path, limit) as file:
        fits = [file.write(piece) for piece in pieces]
        return fits, file.finish()


def test_a_file_within_the_limit_is_sent_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "partnerships-2026-11-20.csv"
    fits, sent = written(path, 1000, [b"x" * 400, b"y" * 600])
    assert fits == [True, True]
    assert sent == path
    assert path.read_bytes() == b"x" * 400 + b"y" * 600
    assert sorted(item.name for item in tmp_path.iterdir()) == ["partnerships-2026-11-20.csv"]


def test_a_file_above_the_limit_is_zipped_under_its_own_name_and_the_plain_file_goes(tmp_path: Path) -> None:
    path = tmp_path / "partnerships-2026-11-20.json"
    line = b'{"partnerships": []}\n'
    fits, sent = written(path, 1000, [line * 40, line * 40, line * 420])  # over 1,000 bytes at the second
    assert fits == [True, True, True]
    assert sent == tmp_path / "partnerships-2026-11-20.zip"
    assert sorted(item.name for item in tmp_path.iterdir()) == ["partnerships-2026-11-20.zip"]
    with zipfile.ZipFile(sent) as archive:
        (member,) = archive.infolist()
        assert member.filename == "partnerships-2026-11-20.json"
        assert member.compress_type == zipfile.ZIP_DEFLATED
        assert archive.read(member) == line * 500


def test_writing_stops_as_soon_as_even_the_zip_is_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "partnerships-2026-11-20.csv"
    noise = random.Random(8)
    pieces = [noise.randbytes(1000) for _ in range(100)]  # 100,000 bytes that don't compress
    fits, sent = written(path, 20_000, pieces)
    stopped = fits.index(False)
    # The zip passes 20,000 bytes after at least 20 pieces; deflate holds back at most a block of
    # some 16 KB, so the measure lags by at most 17 pieces: well before the 100th.
    assert 20 <= stopped <= 20 + 17
    assert sent is None


def test_a_zip_over_the_limit_only_once_finished_is_not_sent(tmp_path: Path) -> None:
    path = tmp_path / "partnerships-2026-11-20.csv"
    # 2,048 bytes that don't compress: deflate holds them all back until the zip is finished.
    fits, sent = written(path, 1000, [random.Random(8).randbytes(2048)])
    assert fits == [True]
    assert sent is None
    assert (tmp_path / "partnerships-2026-11-20.zip").stat().st_size > 2048


def open_files(folder: Path) -> list[str]:
    """The files in ``folder`` this process holds open (Linux: its descriptors in /proc)."""
    links = (os.readlink(fd) for fd in Path("/proc/self/fd").iterdir() if fd.is_symlink())
    return sorted(Path(link).name for link in links if link.startswith(str(folder)))


def test_an_upload_file_left_on_an_error_closes_what_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "partnerships-2026-11-20.csv"
    with pytest.raises(OSError, match="No space"), upload.UploadFile(path, 10) as file:
        file.write(b"x" * 100)  # zipping from here
        assert open_files(tmp_path) == ["partnerships-2026-11-20.zip"]
        raise OSError("No space left on device")
    assert open_files(tmp_path) == []


@pytest.mark.parametrize(
    ("chosen", "confidential", "advice"),
    [
        (
            ExportFormat.JSON,
            True,
            "Try `format: CSV` (the same records in a smaller file) or `format: Meta-Wiki table` (fewer "
            "columns) or `confidential: exclude`; an admin can also copy the whole database with "
            "`bot.py backup`.",
        ),
        (
            ExportFormat.CSV,
            False,
            "Try `format: Meta-Wiki table` (fewer columns); an admin can also copy the whole database "
            "with `bot.py backup`.",
        ),
        (
            ExportFormat.WIKITABLE,
            True,
            "Try `confidential: exclude`; an admin can also copy the whole database with `bot.py backup`.",
        ),
        (ExportFormat.WIKITABLE, False, "An admin can copy the whole database with `bot.py backup`."),
    ],
)
def test_a_refusal_offers_only_the_options_that_make_a_smaller_file(
    chosen: ExportFormat, confidential: bool, advice: str
) -> None:
    early = too_big_message(chosen, confidential=confidential, limit=26_214_400, written=500, total=52_000)
    assert early == (
        "The registry is too big to attach, even zipped: the first 500 of 52,000 partnerships already "
        "zip to more than 25 MB, the most Discord lets me upload in this server, so I stopped there. "
        f"Nothing was sent. {advice}"
    )
    whole = too_big_message(chosen, confidential=confidential, limit=1000, written=1, total=1)
    assert whole == (
        "The registry is too big to attach, even zipped: its one partnership zips to more than 1,000 "
        f"bytes, the most Discord lets me upload in this server. Nothing was sent. {advice}"
    )


# ----------------------------------------------------------------------------- the snapshot, in chunks


async def test_the_snapshot_reads_every_record_with_its_parts_in_any_chunks(community: Community) -> None:
    await import_hand_written(community)  # 3 records: targets and agreement on #1, #1 confidential
    await register(community, community.members[2], partner="Pita's Archive", type="archive")
    database, guild_id = community.bot.database, community.guild.id
    coordinator = Viewer(user_id=community.coordinator.id, is_coordinator=True)

    async def read(chunk: int, **options: Any) -> tuple[exchange.ExportCounts, list[list[ExportRecord]]]:
        async with exchange.export_snapshot(database, guild_id, coordinator, chunk=chunk, **options) as snap:
            return snap.counts, [chunk async for chunk in snap.chunks()]

    counts, (whole,) = await read(500)
    assert counts == exchange.ExportCounts(records=4, confidential=1, left_out=0)
    assert [record.partnership.partner_name for record in whole] == [
        "Musée d'Orsay",
        "Biblioteca Nacional",
        "Wikimedia Ghana | User Group",
        "Pita's Archive",
    ]
    assert [target.metric for target in whole[0].targets] == ["articles", "files uploaded"]
    assert [item.value for item in whole[0].agreement_done] == ["roles", "ip", "exit"]
    assert [(record.targets, record.agreement_done) for record in whole[1:]] == [((), ())] * 3

    counts, chunks = await read(1)
    assert [len(chunk) for chunk in chunks] == [1, 1, 1, 1]
    assert [record for chunk in chunks for record in chunk] == whole
    counts, chunks = await read(3)
    assert [len(chunk) for chunk in chunks] == [3, 1]

    counts, chunks = await read(2, confidential=False)
    assert counts == exchange.ExportCounts(records=3, confidential=0, left_out=1)
    assert [record for chunk in chunks for record in chunk] == whole[1:]


async def test_a_member_snapshot_counts_only_what_they_may_see(community: Community) -> None:
    await import_hand_written(community)
    pita = Viewer(user_id=community.members[2].id, is_coordinator=False)
    async with exchange.export_snapshot(
        community.bot.database, community.guild.id, pita, chunk=1
    ) as snapshot:
        assert snapshot.counts == exchange.ExportCounts(records=2, confidential=0, left_out=0)
        assert [len(chunk) async for chunk in snapshot.chunks()] == [1, 1]


async def test_each_chunk_reads_on_from_the_last_id_instead_of_walking_the_server(
    community: Community,
) -> None:
    await import_hand_written(community)
    database = community.bot.database
    coordinator = Viewer(user_id=community.coordinator.id, is_coordinator=True)
    statements = await traced(database, exchange.export_records(database, community.guild.id, coordinator))
    chunked = [sql for sql in statements if "count(*)" not in sql]  # the count reads the server once
    assert len(chunked) == 4  # the chunk, its targets, its agreement items, and the empty chunk after
    for sql in chunked:
        plan = [
            (row["parent"], row["detail"]) for row in await database.fetch_all(f"EXPLAIN QUERY PLAN {sql}")
        ]
        assert problems(sql, plan) == [], sql


# ----------------------------------------------------------------------------- through Discord


@pytest.fixture
def upload_limit(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Set the upload limit Discord states in each interaction (``attachment_size_limit``): SimCord
    always states 25 MB and has no setting for it, so its payload builder is wrapped."""
    build = simcord.interactions.base_payload
    limit: dict[str, int] = {}

    def base_payload(*args: Any, **kwargs: Any) -> Any:
        record, payload = build(*args, **kwargs)
        payload["attachment_size_limit"] = limit.get("bytes", payload["attachment_size_limit"])
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", base_payload)
    return lambda size: limit.__setitem__("bytes", size)


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the export writes its temporary file, watched by the test."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(item.name for item in folder.iterdir())


def refusal(result: Any) -> str:
    """The ephemeral message of an export that sent no file."""
    assert result.ephemeral
    assert result.response.attachments == []
    return result.response.content


async def fill(community: Community) -> None:
    await import_hand_written(community)
    mina, omar, pita = community.members
    for number in range(6):
        await register(
            community,
            (mina, omar, pita)[number % 3],
            form={"description": f"Residency number {number}: uploads, edit-a-thons and training"},
            partner=f"City Museum {number}",
            type="museum",
            areas="museums",
        )


async def test_an_export_read_a_record_at_a_time_is_the_same_file(
    community: Community, monkeypatch: pytest.MonkeyPatch, temp_folder: Path
) -> None:
    await fill(community)
    files = {}
    for format, options in (("csv", {}), ("json", {}), ("wikitable", {"confidential": "include"})):
        result = await export(community, community.coordinator, format, **options)
        files[format] = (await attachment(result))[1]
    monkeypatch.setattr(exchange, "EXPORT_CHUNK", 1)
    for format, options in (("csv", {}), ("json", {}), ("wikitable", {"confidential": "include"})):
        result = await export(community, community.coordinator, format, **options)
        assert result.response.content.startswith("9 partnerships, 1 confidential.")
        assert (await attachment(result))[1] == files[format], format
    assert len(csv_rows(files["csv"])) == 9
    assert json.loads(files["json"])["count"] == 9
    assert leftovers(temp_folder) == []


async def test_an_export_above_the_upload_limit_comes_zipped(
    community: Community, upload_limit: Callable[[int], None], temp_folder: Path
) -> None:
    await fill(community)
    plain = (await attachment(await export(community, community.coordinator, "csv")))[1]
    assert len(plain) > 2000

    upload_limit(2000)
    result = await export(community, community.coordinator, "csv")
    assert result.ephemeral
    assert result.response.content == (
        f"9 partnerships, 1 confidential. The file is {len(plain):,} bytes, more than the 2,000 bytes "
        "Discord lets me upload here, so it is zipped."
    )
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20.zip"
    assert len(data) <= 2000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["partnerships-2026-11-20.csv"]
        assert archive.read("partnerships-2026-11-20.csv") == plain
    assert leftovers(temp_folder) == []

    result = await export(community, community.coordinator, "json")
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["partnerships-2026-11-20.json"]
        assert json.loads(archive.read("partnerships-2026-11-20.json"))["count"] == 9


async def test_an_export_exactly_at_the_limit_is_sent_plain_and_a_byte_over_comes_zipped(
    community: Community, upload_limit: Callable[[int], None], temp_folder: Path
) -> None:
    await fill(community)
    plain = (await attachment(await export(community, community.coordinator, "csv")))[1]

    upload_limit(len(plain))
    result = await export(community, community.coordinator, "csv")
    assert result.response.content == "9 partnerships, 1 confidential."
    assert await attachment(result) == ("partnerships-2026-11-20.csv", plain)

    upload_limit(len(plain) - 1)
    result = await export(community, community.coordinator, "csv")
    filename, data = await attachment(result)
    assert filename == "partnerships-2026-11-20.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("partnerships-2026-11-20.csv") == plain
    assert leftovers(temp_folder) == []


async def test_an_export_too_big_even_zipped_is_refused_and_leaves_nothing(
    community: Community, upload_limit: Callable[[int], None], temp_folder: Path
) -> None:
    await fill(community)
    assert json.loads((await attachment(await export(community, community.coordinator, "json")))[1])

    upload_limit(300)
    result = await export(community, community.coordinator, "json")
    # Deflate holds back the first 16 KB or so: this small a file is only known too big once zipped whole.
    assert refusal(result) == (
        "The registry is too big to attach, even zipped: all 9 partnerships zip to more than 300 bytes, "
        "the most Discord lets me upload in this server. Nothing was sent. Try `format: CSV` (the same "
        "records in a smaller file) or `format: Meta-Wiki table` (fewer columns) or `confidential: "
        "exclude`; an admin can also copy the whole database with `bot.py backup`."
    )
    assert leftovers(temp_folder) == []


def noisy_csv(owner_id: int, rows: int) -> str:
    """``rows`` records, each with a description of 1,200 random letters and digits: text that
    deflate can only shrink by about a quarter (6 bits a character)."""
    noise = random.Random(5)
    alphabet = string.ascii_letters + string.digits
    lines = ["partner_name,partner_type,goals,stage,visibility,owner_id,description"]
    for number in range(rows):
        description = "".join(noise.choice(alphabet) for _ in range(1200))
        lines.append(f"Museum {number},museum,content,active,public,{owner_id},{description}")
    return "\r\n".join(lines) + "\r\n"


async def test_an_export_too_big_even_zipped_stops_reading_the_registry_early(
    community: Community,
    upload_limit: Callable[[int], None],
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = await preview(community, noisy_csv(community.members[0].id, 300))
    await community.coordinator.click(shown.response, label="Confirm")
    assert await count(community) == 300
    monkeypatch.setattr(exchange, "EXPORT_CHUNK", 50)

    # Each record is about 1,300 bytes of CSV and 1,000 zipped. The first chunk (~65 KB) takes the
    # file over 60,000 bytes, so zipping starts; after the second, some 100 KB are zipped, at least
    # 85 KB of them written out past deflate's buffer: over the limit, so the export stops there.
    upload_limit(60_000)
    database = community.bot.database
    sent: list[str] = []  # every statement, the export snapshot's own connection's included
    await database.set_trace_callback(sent.append)
    try:
        result = await export(community, community.coordinator, "csv")
    finally:
        await database.set_trace_callback(None)
    assert refusal(result) == (
        "The registry is too big to attach, even zipped: the first 100 of 300 partnerships already zip "
        "to more than 60,000 bytes, the most Discord lets me upload in this server, so I stopped there. "
        "Nothing was sent. Try `format: Meta-Wiki table` (fewer columns) or `confidential: exclude`; "
        "an admin can also copy the whole database with `bot.py backup`."
    )
    chunk_reads = [sql for sql in sent if "NOT INDEXED" in sql]
    assert len(chunk_reads) == 2  # of the 7 a whole export reads (6 chunks, then the empty one)
    assert leftovers(temp_folder) == []


async def test_an_export_that_fails_while_zipping_leaves_nothing(
    community: Community,
    upload_limit: Callable[[int], None],
    temp_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await fill(community)

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "open", disk_full)
    upload_limit(2000)
    result = await export(community, community.coordinator, "csv")
    assert refusal(result).startswith("Something went wrong on my side and nothing was changed")
    assert leftovers(temp_folder) == []
    (error,) = acknowledge_errors(community.env)  # raised on purpose: not a bug for teardown to report
    assert isinstance(error.__cause__, OSError)
