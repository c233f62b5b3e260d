"""Reading an import CSV into rows to create and rows with errors (Discord-free).

Every field rule is the one ``/partnership register`` and ``edit`` use (``_validate``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from cogs.partnerships import _validate as validate
from cogs.partnerships._exchange_cells import (
    COLUMNS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    REQUIRED_COLUMNS,
    parse_target,
    split_items,
    unguard_formula,
)
from core.clock import from_storage
from core.errors import UserError
from core.vocabulary import (
    AGREEMENT_LABELS,
    PARTNER_TYPE_LABELS,
    STAGE_LABELS,
    AgreementItem,
    Cadence,
    Health,
    PartnerType,
    Scope,
    Stage,
    Structure,
    Visibility,
    default_cadence,
    scope_for,
)
from db.areas import Area
from db.exchange import ImportRow
from db.partnerships import PartnershipDraft, Target

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    row_number: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.message}"


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: the rows to create and, for the others, why not."""

    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]

    @property
    def rows_with_errors(self) -> int:
        return len({error.row_number for error in self.errors})


@dataclass(frozen=True)
class ImportContext:
    """What the rules need to know about the guild the file goes into."""

    guild_id: int
    taxonomy: tuple[Area, ...]
    is_member: Callable[[int], bool]
    existing: frozenset[tuple[int, str]]  # (owner id, casefolded partner name) already registered


def plan_import(data: bytes, context: ImportContext) -> ImportPlan:
    """Check a whole file; raise UserError if the file itself is unusable, else sort its rows."""
    header, records = _read_table(data)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_row_of: dict[tuple[int, str], int] = {}
    for row_number, cells in records:
        reader = _RowReader(row_number, header, cells)
        row = reader.parse(context)
        if row is not None and row.draft.owner_id is not None:
            key = (row.draft.owner_id, row.draft.partner_name.casefold())
            if key in context.existing:
                reader.errors.append(
                    f"<@{key[0]}> already has a partnership with “{row.draft.partner_name}” in this server."
                )
            elif key in first_row_of:
                reader.errors.append(
                    f"Same owner and partner “{row.draft.partner_name}” as row {first_row_of[key]}."
                )
            else:
                first_row_of[key] = row_number
        if reader.errors or row is None:
            errors.extend(RowError(row_number, message) for message in reader.errors)
        else:
            rows.append(row)
    return ImportPlan(rows=tuple(rows), errors=tuple(errors))


def membership_errors(
    owner_id: int | None, co_owner_ids: Iterable[int], is_member: Callable[[int], bool]
) -> list[str]:
    """Owners and co-owners must be members now (checked at the preview and again on Confirm)."""
    problems = []
    if owner_id is not None and not is_member(owner_id):
        problems.append(
            f"Owner {owner_id} isn't a member of this server; leave owner_id empty to "
            "import the partnership as orphaned."
        )
    problems.extend(
        f"Co-owner {user_id} isn't a member of this server."
        for user_id in co_owner_ids
        if not is_member(user_id)
    )
    return problems


def check_size(size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise UserError(
            f"The file is {size:,} bytes; the limit is {MAX_IMPORT_BYTES:,} (1 MB) per import. "
            "Split it into smaller files."
        )


def _read_table(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows (numbered as a spreadsheet numbers them)."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(
            "The file isn't UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and try again."
        ) from None
    if "\x00" in text:
        raise UserError("This isn't a CSV file (it contains binary data). Export your sheet as CSV UTF-8.")
    if not text.strip():
        raise UserError(
            "The file is empty. Start from `/partnership export format:CSV`, which has the header."
        )
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in some languages separate columns with ';'.
    delimiter = ";" if "," not in first_line and ";" in first_line else ","
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise UserError(f"This isn't a readable CSV file: {error}.") from None
    header = [name.strip().casefold() for name in table[0]]
    _check_header(header)
    records = [
        (number, cells)
        for number, cells in enumerate(table[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        raise UserError("The file has a header row but no partnerships under it.")
    if len(records) > MAX_IMPORT_ROWS:
        raise UserError(
            f"The file has {len(records):,} rows; the limit is {MAX_IMPORT_ROWS:,} per import. "
            "Split it into smaller files."
        )
    return header, records


def _check_header(header: list[str]) -> None:
    problems = []
    unnamed = [str(index) for index, name in enumerate(header, start=1) if not name]
    if unnamed:
        problems.append(f"column(s) {', '.join(unnamed)} have no name")
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(f"repeated column(s): {', '.join(repeated)}")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if problems:
        raise UserError(
            f"The header row doesn't fit: {'; '.join(problems)}. "
            f"The columns are: {', '.join(COLUMNS)} (any order; {', '.join(REQUIRED_COLUMNS)} are required)."
        )


class _RowReader:
    """Reads one row, collecting every problem in it (not just the first)."""

    def __init__(self, row_number: int, header: list[str], cells: list[str]) -> None:
        self.row_number = row_number
        self.errors: list[str] = []
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            self.errors.append(f"It has {len(cells)} cells but the header has {len(header)} columns.")
        self.cells = {name: unguard_formula(cell) for name, cell in zip(header, cells, strict=False)}

    def cell(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def attempt(self, parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except UserError as error:
            self.errors.append(error.message)
            return None

    def choice(
        self,
        column: str,
        kind: type[E],
        *,
        field: str,
        labels: Mapping[E, str] | None = None,
        empty: E | None = None,
    ) -> E | None:
        """An enum by its stored value or its label, any case; ``empty`` when the cell is empty."""
        value = self.cell(column)
        if not value:
            if empty is None and column in REQUIRED_COLUMNS:
                self.errors.append(f"{field} can't be empty: use one of {', '.join(kind)}.")
            return empty
        wanted = value.casefold()
        for member in kind:
            if wanted in (member.value, (labels or {}).get(member, "").casefold()):
                return member
        self.errors.append(f"{field} “{value[:40]}” isn't one of: {', '.join(kind)}.")
        return None

    def user_id(self, value: str, *, field: str) -> int | None:
        if re.fullmatch(r"[0-9]{1,20}", value):
            return int(value)
        self.errors.append(
            f"{field} “{value[:30]}” isn't a Discord user id (a number like 123456789012345678; "
            "keep the column as text in your spreadsheet)."
        )
        return None

    def parse(self, context: ImportContext) -> ImportRow | None:
        cell = self.cell
        partner_name = self.attempt(
            lambda: validate.required_text(
                cell("partner_name"), field="Partner name", limit=validate.PARTNER_NAME_MAX
            )
        )
        name = self.attempt(
            lambda: validate.text(cell("name"), field="Partnership name", limit=validate.NAME_MAX)
        )
        partner_type = self.choice(
            "partner_type", PartnerType, field="Partner type", labels=PARTNER_TYPE_LABELS
        )
        goals = self.attempt(lambda: validate.parse_goals(",".join(split_items(cell("goals")))))
        stage = self.choice("stage", Stage, field="Stage", labels=STAGE_LABELS)
        structure = self.choice("structure", Structure, field="Structure", empty=Structure.SIMPLE)
        scope = self.choice(
            "scope", Scope, field="Scope", empty=scope_for(partner_type) if partner_type else Scope.EXTERNAL
        )
        visibility = self.choice("visibility", Visibility, field="Visibility")
        cadence = self.choice(
            "cadence", Cadence, field="Cadence", empty=default_cadence(stage) if stage else Cadence.OFF
        )
        health = self.choice("health", Health, field="Health")
        owner_id = self.user_id(cell("owner_id"), field="Owner") if cell("owner_id") else None
        co_owner_ids = self._co_owners(owner_id)
        self.errors.extend(membership_errors(owner_id, co_owner_ids, context.is_member))
        region = self.attempt(
            lambda: validate.text(cell("region"), field="Region", limit=validate.REGION_MAX)
        )
        areas = self.attempt(lambda: self._areas(context.taxonomy))
        projects = self.attempt(lambda: validate.parse_projects(",".join(split_items(cell("projects")))))
        description = self.attempt(
            lambda: validate.text(cell("description"), field="Description", limit=validate.DESCRIPTION_MAX)
        )
        meta_url = self.attempt(lambda: validate.parse_url(cell("meta_url"), field="Meta-Wiki page"))
        agreement_url = self.attempt(
            lambda: validate.parse_url(cell("agreement_url"), field="Agreement document")
        )
        start = self.attempt(lambda: validate.parse_date(cell("start_date"), field="Start date"))
        end = self.attempt(lambda: validate.parse_date(cell("end_date"), field="End date"))
        follow_up = self.attempt(lambda: validate.parse_date(cell("next_follow_up"), field="Next follow-up"))
        self.attempt(lambda: validate.date_order(start, end))
        last_checkin_at = self._moment(cell("last_checkin_at"))
        outcome = self.attempt(
            lambda: validate.text(cell("outcome"), field="Outcome", limit=validate.OUTCOME_MAX)
        )
        lessons = self.attempt(
            lambda: validate.text(cell("lessons"), field="Lessons", limit=validate.LESSONS_MAX)
        )
        targets = self.attempt(self._targets)
        agreement = self._agreement()
        if self.errors:
            return None
        assert partner_name and partner_type and goals and stage and visibility and cadence
        assert structure and scope
        draft = PartnershipDraft(
            guild_id=context.guild_id,
            partner_name=partner_name,
            partner_type=partner_type,
            goals=goals,
            stage=stage,
            visibility=visibility,
            owner_id=owner_id,
            cadence=cadence,
            structure=structure,
            scope=scope,
            name=name,
            region=region,
            areas=areas or (),
            projects=projects or (),
            description=description or "",
            meta_url=meta_url,
            agreement_url=agreement_url,
            start_date=start,
            end_date=end,
            next_follow_up=follow_up,
        )
        return ImportRow(
            row_number=self.row_number,
            draft=draft,
            co_owner_ids=co_owner_ids,
            targets=targets or (),
            agreement_done=agreement,
            health=health,
            last_checkin_at=last_checkin_at,
            outcome=outcome,
            lessons=lessons,
        )

    def _co_owners(self, owner_id: int | None) -> tuple[int, ...]:
        found: list[int] = []
        for item in split_items(self.cell("co_owner_ids")):
            user_id = self.user_id(item, field="Co-owner")
            if user_id is None or user_id in found:
                continue
            if user_id == owner_id:
                self.errors.append(f"Co-owner {user_id} is already the owner.")
            found.append(user_id)
        if len(found) > validate.CO_OWNERS_MAX:
            self.errors.append(
                f"{len(found)} co-owners; a partnership can have at most {validate.CO_OWNERS_MAX}."
            )
        return tuple(sorted(found))

    def _areas(self, taxonomy: tuple[Area, ...]) -> tuple[str, ...]:
        # A label typed by hand may contain commas, which parse_areas splits on: name it by slug first.
        items = [
            next((area.slug for area in taxonomy if area.matches(item)), item)
            for item in split_items(self.cell("areas"))
        ]
        return validate.parse_areas(",".join(items), taxonomy)

    def _targets(self) -> tuple[Target, ...]:
        targets = [parse_target(item) for item in split_items(self.cell("targets"))]
        metrics = [target.metric.casefold() for target in targets]
        repeated = sorted({metric for metric in metrics if metrics.count(metric) > 1})
        if repeated:
            raise UserError(f"The target “{repeated[0]}” appears twice.")
        if len(targets) > validate.TARGETS_MAX:
            raise UserError(f"{len(targets)} targets; a partnership can have at most {validate.TARGETS_MAX}.")
        return tuple(sorted(targets, key=lambda target: target.metric))

    def _agreement(self) -> tuple[AgreementItem, ...]:
        done: set[AgreementItem] = set()
        for item in split_items(self.cell("agreement")):
            wanted = item.casefold()
            found = next(
                (key for key in AgreementItem if wanted in (key.value, AGREEMENT_LABELS[key].casefold())),
                None,
            )
            if found is None:
                self.errors.append(f"Agreement item “{item[:40]}” isn't one of: {', '.join(AgreementItem)}.")
            else:
                done.add(found)
        return tuple(key for key in AgreementItem if key in done)

    def _moment(self, value: str) -> datetime | None:
        if not value:
            return None
        try:
            return from_storage(value)
        except ValueError:
            self.errors.append(
                f"Last check-in “{value[:40]}” isn't a date and time; "
                "write it like 2026-11-20T12:00:00+00:00."
            )
            return None
