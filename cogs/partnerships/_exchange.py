"""/partnership export and import (coordinators): CSV, JSON and a Meta-Wiki table.

The formats themselves are Discord-free: ``_exchange_cells`` (columns and cell encoding),
``_exchange_writers`` (CSV, JSON, wikitable), ``_exchange_upload`` (Discord's upload limit) and
``_exchange_reader`` (import CSV). This module takes the options, streams the export from
``db.exchange`` into a temporary file (stopping early if it can't be sent), and shows the import
preview.
"""

from __future__ import annotations

import asyncio
import io
import logging
import tempfile
from collections.abc import Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import discord
from discord import app_commands

from cogs.partnerships import _exchange_cells as cells
from cogs.partnerships import _exchange_reader as reader
from cogs.partnerships import _exchange_upload as upload_file
from cogs.partnerships import _exchange_writers as writers
from cogs.partnerships._access import viewer_for
from cogs.partnerships._base import PartnershipCommands
from cogs.partnerships._group import group
from cogs.partnerships._render import escape
from core.errors import UserError
from core.permissions import Level, requires
from core.replies import respond
from core.text import pack_lines, plural, shorten
from core.ui import BaseView
from core.vocabulary import PARTNER_TYPE_LABELS, STAGE_LABELS, Visibility
from db import exchange
from db.areas import Area
from db.database import Database
from db.exchange import ExportCounts, ImportRow
from db.partnerships import Viewer

if TYPE_CHECKING:
    from core.bot import PartnershipsBot

log = logging.getLogger(__name__)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    WIKITABLE = "wikitable"


FORMAT_CHOICES = [
    app_commands.Choice(name="CSV: for spreadsheets and /partnership import", value=ExportFormat.CSV.value),
    app_commands.Choice(name="JSON: for scripts and other tools", value=ExportFormat.JSON.value),
    app_commands.Choice(name="Meta-Wiki table: wikitext to publish", value=ExportFormat.WIKITABLE.value),
]
CONFIDENTIAL_CHOICES = [
    app_commands.Choice(name="Include confidential partnerships", value="include"),
    app_commands.Choice(name="Leave confidential partnerships out", value="exclude"),
]
PREVIEW_TIMEOUT = 600  # seconds; well inside the 15 minutes an interaction can still be edited
PREVIEW_ROWS = 10
ERROR_FIELDS = 3
FIELD_LIMIT = 1024


def member_check(guild: discord.Guild) -> Callable[[int], bool]:
    """Whether a user id belongs to a (human) member of the guild right now."""

    def is_member(user_id: int) -> bool:
        member = guild.get_member(user_id)
        return member is not None and not member.bot

    return is_member


def display_names(guild: discord.Guild) -> Callable[[int], str]:
    """Names for the wiki, where a Discord mention would mean nothing."""

    def name(user_id: int) -> str:
        member = guild.get_member(user_id)
        return member.display_name if member is not None else "former member"

    return name


class ExchangeCommands(PartnershipCommands):
    @requires(Level.COORDINATOR)
    @group.command(name="export", description="Download the registry as CSV, JSON or a Meta-Wiki table")
    @app_commands.describe(
        format="CSV (spreadsheets, and re-import), JSON, or a wikitable to publish on Meta-Wiki",
        confidential="Default: included in CSV and JSON, left out of the Meta-Wiki table",
    )
    @app_commands.choices(format=FORMAT_CHOICES, confidential=CONFIDENTIAL_CHOICES)
    async def export(
        self,
        interaction: discord.Interaction,
        format: app_commands.Choice[str],
        confidential: app_commands.Choice[str] | None = None,
    ) -> None:
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        chosen = ExportFormat(format.value)
        # The wikitable is for publishing, so confidential rows stay out unless asked for.
        include = confidential.value == "include" if confidential else chosen is not ExportFormat.WIKITABLE
        now = self.bot.clock()
        stem = f"partnerships-{now.date().isoformat()}"
        filename = {
            ExportFormat.CSV: f"{stem}.csv",
            ExportFormat.JSON: f"{stem}.json",
            ExportFormat.WIKITABLE: f"{stem}-wikitable.txt",
        }[chosen]
        viewer = await viewer_for(interaction)
        taxonomy = await self.taxonomy() if chosen is ExportFormat.WIKITABLE else {}
        limit = interaction.filesize_limit  # Discord states it in every interaction
        # Written to a file a chunk at a time, never whole in memory; the folder goes, sent or not.
        with tempfile.TemporaryDirectory(prefix="partnerships-export-") as folder:
            with upload_file.UploadFile(Path(folder) / filename, limit) as file:
                result = await write_export(
                    self.bot.database,
                    guild.id,
                    viewer,
                    lambda out: make_writer(
                        chosen, out, now=now, taxonomy=taxonomy, member_name=display_names(guild)
                    ),
                    file,
                    confidential=include,
                )
            log.info(
                "export guild=%s user=%s format=%s records=%d written=%d bytes=%d upload=%s",
                guild.id,
                interaction.user.id,
                chosen,
                result.counts.records,
                result.written,
                file.size,
                result.upload.name if result.upload else "too big",
            )
            if result.upload is None:
                raise UserError(
                    too_big_message(
                        chosen,
                        confidential=include,
                        limit=limit,
                        written=result.written,
                        total=result.counts.records,
                    )
                )
            summary = export_summary(chosen, result.counts)
            if result.upload != file.path:
                summary += " " + upload_file.zipped_note(file.size, limit)
            await respond(interaction, summary, files=[discord.File(result.upload)])

    @requires(Level.COORDINATOR)
    @group.command(
        name="import", description="Add partnerships from a CSV file: a preview first, then Confirm"
    )
    @app_commands.describe(
        file=f"A CSV in the export's format (UTF-8, up to 1 MB and {cells.MAX_IMPORT_ROWS:,} rows)"
    )
    async def import_csv(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        guild = interaction.guild
        assert guild is not None
        if not file.filename.casefold().endswith(".csv"):
            raise UserError(
                f"“{shorten(file.filename, 60)}” isn't a CSV file. Save your sheet as “CSV UTF-8” "
                "(a .csv file) and attach that."
            )
        reader.check_size(file.size)
        await interaction.response.defer(ephemeral=True, thinking=True)
        context = reader.ImportContext(
            guild_id=guild.id,
            taxonomy=tuple((await self.taxonomy()).values()),
            is_member=member_check(guild),
            existing=frozenset(await exchange.owner_partner_keys(self.bot.database, guild.id)),
        )
        plan = reader.plan_import(await file.read(), context)
        log.info(
            "import preview guild=%s user=%s rows=%d errors=%d",
            guild.id,
            interaction.user.id,
            len(plan.rows),
            plan.rows_with_errors,
        )
        view = ImportPreview(self.bot, plan.rows, origin=interaction) if plan.rows else None
        await respond(interaction, embed=preview_embed(plan, file.filename), view=view)


def make_writer(
    chosen: ExportFormat,
    out: TextIO,
    *,
    now: datetime,
    taxonomy: Mapping[str, Area],
    member_name: Callable[[int], str],
) -> writers.ExportWriter:
    if chosen is ExportFormat.CSV:
        return writers.CsvWriter(out)
    if chosen is ExportFormat.JSON:
        return writers.JsonWriter(out, exported_at=now)
    return writers.WikitableWriter(out, taxonomy=taxonomy, member_name=member_name, exported_on=now.date())


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, and the file to send if there is one."""

    counts: ExportCounts
    written: int  # records written: all of them, unless the export stopped because it can't be sent
    upload: Path | None  # the file to send; None when it is too big even zipped


async def write_export(
    database: Database,
    guild_id: int,
    viewer: Viewer,
    make: Callable[[TextIO], writers.ExportWriter],
    file: upload_file.UploadFile,
    *,
    confidential: bool,
) -> ExportResult:
    """Stream the records ``viewer`` may see into ``file`` through the writer ``make`` gives, a chunk
    at a time, from one snapshot; stop at the first chunk after which even the zip is too big."""
    text = io.StringIO(newline="")
    writer = make(text)

    async def flush() -> bool:
        data = text.getvalue().encode("utf-8")
        text.seek(0)
        text.truncate()
        # Zipping (once the file is over the limit) takes a while: off the event loop.
        return await asyncio.to_thread(file.write, data)

    written = 0
    async with exchange.export_snapshot(database, guild_id, viewer, confidential=confidential) as snapshot:
        counts = snapshot.counts
        writer.begin(counts.records)
        if not await flush():
            return ExportResult(counts, written, None)
        async with aclosing(snapshot.chunks()) as chunks:
            async for chunk in chunks:
                writer.write(chunk)
                written += len(chunk)
                if not await flush():
                    return ExportResult(counts, written, None)
        writer.end()
        if not await flush():
            return ExportResult(counts, written, None)
    return ExportResult(counts, written, await asyncio.to_thread(file.finish))


def too_big_message(chosen: ExportFormat, *, confidential: bool, limit: int, written: int, total: int) -> str:
    """Why nothing was sent, and what makes a smaller file (options the command has)."""
    most = f"{upload_file.file_size(limit)}, the most Discord lets me upload in this server"
    if written < total:
        reason = (
            f"the first {written:,} of {total:,} partnerships already zip to more than {most}, "
            "so I stopped there"
        )
    else:
        everything = "its one partnership zips" if total == 1 else f"all {total:,} partnerships zip"
        reason = f"{everything} to more than {most}"
    smaller = []
    if chosen is ExportFormat.JSON:
        smaller.append("`format: CSV` (the same records in a smaller file)")
    if chosen is not ExportFormat.WIKITABLE:
        smaller.append("`format: Meta-Wiki table` (fewer columns)")
    if confidential:
        smaller.append("`confidential: exclude`")
    backup = "copy the whole database with `bot.py backup`"
    advice = (
        f"Try {' or '.join(smaller)}; an admin can also {backup}." if smaller else f"An admin can {backup}."
    )
    return f"The registry is too big to attach, even zipped: {reason}. Nothing was sent. {advice}"


def export_summary(chosen: ExportFormat, counts: ExportCounts) -> str:
    parts = [f"{plural(counts.records, 'partnership')}, {counts.confidential:,} confidential."]
    if counts.left_out:
        parts.append(
            f"{plural(counts.left_out, 'confidential partnership')} left out "
            "(choose `confidential: include` to add them)."
        )
    if chosen is ExportFormat.WIKITABLE and counts.confidential:
        parts.append("⚠️ This table includes confidential partnerships: don't publish it as it is.")
    elif chosen is ExportFormat.WIKITABLE:
        parts.append("Ready to paste into a Meta-Wiki page.")
    if chosen is ExportFormat.CSV and not counts.records:
        parts.append("The file has just the header row: a template for `/partnership import`.")
    return " ".join(parts)


def row_line(row: ImportRow) -> str:
    draft = row.draft
    title = draft.name if draft.name and draft.name != draft.partner_name else draft.partner_name
    owner = f"<@{draft.owner_id}>" if draft.owner_id is not None else "orphaned"
    lock = " 🔒" if draft.visibility is Visibility.CONFIDENTIAL else ""
    return (
        f"row {row.row_number}: **{escape(title)}**{lock} · {PARTNER_TYPE_LABELS[draft.partner_type]}"
        f" · {STAGE_LABELS[draft.stage]} · {owner}"
    )


def preview_embed(plan: reader.ImportPlan, filename: str) -> discord.Embed:
    ready, broken = len(plan.rows), plan.rows_with_errors
    if ready and broken:
        skipped = "the row with errors is" if broken == 1 else f"the {broken:,} rows with errors are"
        summary = (
            f"**{plural(ready, 'row')} ready to create, "
            f"{plural(broken, 'row')} with errors.**\n"
            f"Confirm creates the {plural(ready, 'valid row')}; {skipped} skipped. "
            "Nothing is written until you confirm."
        )
        colour = discord.Colour.orange()
    elif ready:
        summary = (
            f"**{plural(ready, 'row')} ready to create.** "
            f"Confirm creates {'it' if ready == 1 else 'them all at once'}; Cancel writes nothing."
        )
        colour = discord.Colour.green()
    else:
        summary = (
            f"**Nothing to import: {plural(broken, 'row')} with errors.** "
            "Fix them and run `/partnership import` again."
        )
        colour = discord.Colour.red()
    embed = discord.Embed(
        title=shorten(f"Import preview · {filename}", 256), description=summary, colour=colour
    )
    if plan.rows:
        lines = [row_line(row) for row in plan.rows[:PREVIEW_ROWS]]
        if ready > PREVIEW_ROWS:
            lines.append(f"…and {plural(ready - PREVIEW_ROWS, 'more row')}")
        embed.add_field(name="To create", value=shorten("\n".join(lines), FIELD_LIMIT), inline=False)
    chunks = list(pack_lines((escape(str(error)) for error in plan.errors), FIELD_LIMIT))
    for index, chunk in enumerate(chunks[:ERROR_FIELDS]):
        embed.add_field(name="Errors" if index == 0 else "Errors (more)", value=chunk, inline=False)
    shown = sum(chunk.count("\n") + 1 for chunk in chunks[:ERROR_FIELDS])
    if shown < len(plan.errors):
        embed.set_footer(
            text=f"…and {plural(len(plan.errors) - shown, 'more error')} not shown. "
            "Fix these and import again to see the rest."
        )
    elif plan.rows:
        embed.set_footer(
            text=f"Rows are numbered as in a spreadsheet (the header is row 1). "
            f"This preview expires in {PREVIEW_TIMEOUT // 60} minutes."
        )
    else:
        embed.set_footer(text="Rows are numbered as in a spreadsheet (the header is row 1).")
    return embed


class ImportPreview(BaseView):
    """Confirm writes every previewed row in one transaction; Cancel writes nothing."""

    def __init__(
        self, bot: PartnershipsBot, rows: tuple[ImportRow, ...], *, origin: discord.Interaction
    ) -> None:
        super().__init__(allowed_user_ids=[origin.user.id], timeout=PREVIEW_TIMEOUT)
        self.bot = bot
        self.rows = rows
        self.origin = origin

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(
        self, interaction: discord.Interaction, button: discord.ui.Button[ImportPreview]
    ) -> None:
        self.stop()  # one write per preview, even if Confirm is pressed twice
        guild = interaction.guild
        assert guild is not None
        await interaction.response.defer()
        is_member = member_check(guild)
        for row in self.rows:
            problems = reader.membership_errors(row.draft.owner_id, row.co_owner_ids, is_member)
            if problems:
                await self._close(interaction)
                raise UserError(
                    f"Nothing was imported: row {row.row_number}: {problems[0]} (This changed since the "
                    "preview.) Run `/partnership import` again for a fresh preview."
                )
        try:
            created = await exchange.import_rows(
                self.bot.database, list(self.rows), at=self.bot.clock(), author_id=interaction.user.id
            )
        except exchange.ImportConflict as conflict:
            await self._close(interaction)
            draft = conflict.row.draft
            raise UserError(
                f"Nothing was imported: row {conflict.row.row_number}: <@{draft.owner_id}> registered a "
                f"partnership with “{draft.partner_name}” since the preview. Run `/partnership import` "
                "again for a fresh preview."
            ) from None
        log.info("import guild=%s user=%s created=%d", guild.id, interaction.user.id, len(created))
        ids = f"#{created[0]}" if len(created) == 1 else f"#{created[0]}–#{created[-1]}"
        await interaction.edit_original_response(
            content=f"Imported {plural(len(created), 'partnership')} ({ids}). "
            "Each record's timeline says it was imported, and by you.",
            embed=None,
            view=None,
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction, button: discord.ui.Button[ImportPreview]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(
            content="Import cancelled; nothing was written.", embed=None, view=None
        )

    async def _close(self, interaction: discord.Interaction) -> None:
        await interaction.edit_original_response(view=None)

    async def on_timeout(self) -> None:
        try:
            await self.origin.edit_original_response(
                content="This import preview expired; nothing was written. Run `/partnership import` again.",
                embed=None,
                view=None,
            )
        except discord.HTTPException:
            log.info("import preview expired and could not be edited guild=%s", self.origin.guild_id)
