"""Writing the registry as CSV, JSON or a Meta-Wiki wikitable (Discord-free); cells: ``_exchange_cells``."""

from __future__ import annotations

import csv
import io
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import TextIO

from cogs.partnerships._exchange_cells import COLUMNS, guard_formula, join_items, target_text
from core.clock import to_storage
from core.vocabulary import (
    PARTNER_TYPE_LABELS,
    STAGE_LABELS,
)
from db.areas import Area
from db.exchange import ExportRecord
from db.partnerships import Target


def _fields(record: ExportRecord) -> dict[str, object]:
    """A record as typed values, one per column; the CSV and JSON writers encode them."""
    p = record.partnership
    return {
        "id": p.id,
        "name": p.name,
        "partner_name": p.partner_name,
        "partner_type": p.partner_type,
        "goals": p.goals,
        "structure": p.structure,
        "scope": p.scope,
        "stage": p.stage,
        "visibility": p.visibility,
        # Discord ids as text: JSON readers (and spreadsheets) lose digits of numbers this long.
        "owner_id": str(p.owner_id) if p.owner_id is not None else None,
        "co_owner_ids": tuple(map(str, p.co_owner_ids)),
        "region": p.region,
        "areas": p.areas,
        "projects": p.projects,
        "description": p.description,
        "meta_url": p.meta_url,
        "agreement_url": p.agreement_url,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "next_follow_up": p.next_follow_up,
        "cadence": p.cadence,
        "health": p.health,
        "last_checkin_at": p.last_checkin_at,
        "outcome": p.outcome,
        "lessons": p.lessons,
        "targets": record.targets,
        "agreement": record.agreement_done,
    }


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_storage(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Target):
        return target_text(value)
    if isinstance(value, tuple):
        return join_items(_csv_cell(item) for item in value)
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return to_storage(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Target):
        return {
            "metric": value.metric,
            "current": _json_number(value.current),
            "target": _json_number(value.target),
            "unit": value.unit,
        }
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def _json_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


_WIKI_SPECIAL = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
    }
)
# Markup made of repeated characters: '' (italics), ~~~ (signatures), __ (magic words like __TOC__).
_WIKI_RUNS = re.compile(r"'{2,}|~{3,}|_{2,}")
_URL_SPECIAL = str.maketrans({character: f"%{ord(character):02X}" for character in "[]|{}'\"<> "})


def wiki_text(text: str) -> str:
    """User text for one wikitable cell: no markup, no cell breaks, on one line."""
    escaped = " ".join(text.split()).translate(_WIKI_SPECIAL)
    return _WIKI_RUNS.sub(lambda run: "".join(f"&#{ord(character)};" for character in run[0]), escaped)


def wiki_link(url: str, label: str) -> str:
    return f"[{url.translate(_URL_SPECIAL)} {wiki_text(label)}]"


WIKI_HEADINGS = (
    "Partnership",
    "Partner",
    "Type",
    "Stage",
    "Owners",
    "Region",
    "Areas",
    "Wikimedia projects",
    "Start",
    "End",
    "Meta-Wiki",
)


class ExportWriter(ABC):
    """Writes records to a UTF-8 text stream as they come: ``begin``, ``write`` per chunk, ``end``.

    An export streams its records through one of these into a file, a chunk at a time, so the
    whole registry is never in memory; ``render`` gives the same text for a list.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out

    @abstractmethod
    def begin(self, count: int) -> None:
        """Write what comes before the first of ``count`` records."""

    @abstractmethod
    def write(self, records: Iterable[ExportRecord]) -> None:
        """Write one chunk of records (each format has its own rows)."""

    def end(self) -> None:  # noqa: B027 - most formats close their document; CSV has nothing to add
        """Write what comes after the last record."""

    def render(self, records: list[ExportRecord]) -> None:
        self.begin(len(records))
        self.write(records)
        self.end()


def _render(make_writer: Callable[[TextIO], ExportWriter], records: Iterable[ExportRecord]) -> bytes:
    buffer = io.StringIO(newline="")
    make_writer(buffer).render(list(records))
    return buffer.getvalue().encode("utf-8")


class CsvWriter(ExportWriter):
    def __init__(self, out: TextIO) -> None:
        super().__init__(out)
        self._csv = csv.writer(out)

    def begin(self, count: int) -> None:
        self.out.write("\ufeff")  # the byte-order mark, so spreadsheets read the file as UTF-8
        self._csv.writerow(COLUMNS)

    def write(self, records: Iterable[ExportRecord]) -> None:
        for record in records:
            fields = _fields(record)
            self._csv.writerow([guard_formula(_csv_cell(fields[column])) for column in COLUMNS])


class JsonWriter(ExportWriter):
    """The document ``json.dumps(..., indent=2)`` would write, one record at a time.

    ``count`` comes before the records in the document: the export counts them first, in the
    same snapshot it reads them from.
    """

    def __init__(self, out: TextIO, *, exported_at: datetime) -> None:
        super().__init__(out)
        self.exported_at = exported_at
        self.count = 0
        self._written = 0

    def begin(self, count: int) -> None:
        self.count = count
        head = json.dumps({"exported_at": to_storage(self.exported_at), "count": count}, indent=2)
        self.out.write(head[: -len("\n}")] + ',\n  "partnerships": [')

    def write(self, records: Iterable[ExportRecord]) -> None:
        for record in records:
            item = {column: _json_value(value) for column, value in _fields(record).items()}
            # Nested two levels deep: each line of the item's own indented text moves in by four.
            text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            self.out.write(("," if self._written else "") + "\n    " + text)
            self._written += 1

    def end(self) -> None:
        if self._written != self.count:
            raise RuntimeError(f"JSON export counted {self.count} records but wrote {self._written}")
        self.out.write("\n  ]\n}\n" if self._written else "]\n}\n")


class WikitableWriter(ExportWriter):
    """A sortable MediaWiki table for publishing on Meta-Wiki: labels for people, no Discord ids."""

    def __init__(
        self,
        out: TextIO,
        *,
        taxonomy: Mapping[str, Area],
        member_name: Callable[[int], str],
        exported_on: date,
    ) -> None:
        super().__init__(out)
        self.taxonomy = taxonomy
        self.member_name = member_name
        self.exported_on = exported_on

    def begin(self, count: int) -> None:
        self._lines(
            [
                '{| class="wikitable sortable"',
                f"|+ Partnerships as of {self.exported_on.isoformat()}",
                "! " + " !! ".join(WIKI_HEADINGS),
            ]
        )

    def write(self, records: Iterable[ExportRecord]) -> None:
        for record in records:
            self._lines(["|-", *(f"| {cell}".rstrip() for cell in self._cells(record))])

    def end(self) -> None:
        self._lines(["|}"])

    def _lines(self, lines: list[str]) -> None:
        self.out.write("".join(line + "\n" for line in lines))

    def _cells(self, record: ExportRecord) -> list[str]:
        p = record.partnership
        owners = ", ".join(self.member_name(user_id) for user_id in p.owner_ids) or "orphaned"
        taxonomy = self.taxonomy
        return [
            wiki_text(p.name),
            wiki_text(p.partner_name),
            wiki_text(PARTNER_TYPE_LABELS[p.partner_type]),
            wiki_text(STAGE_LABELS[p.stage]),
            wiki_text(owners),
            wiki_text(p.region or ""),
            wiki_text(", ".join(taxonomy[slug].label if slug in taxonomy else slug for slug in p.areas)),
            wiki_text(", ".join(p.projects)),
            p.start_date.isoformat() if p.start_date else "",
            p.end_date.isoformat() if p.end_date else "",
            wiki_link(p.meta_url, "Meta-Wiki page") if p.meta_url else "",
        ]


def to_csv(records: Iterable[ExportRecord]) -> bytes:
    return _render(CsvWriter, records)


def to_json(records: Iterable[ExportRecord], *, exported_at: datetime) -> bytes:
    return _render(lambda out: JsonWriter(out, exported_at=exported_at), records)


def to_wikitable(
    records: Iterable[ExportRecord],
    *,
    taxonomy: Mapping[str, Area],
    member_name: Callable[[int], str],
    exported_on: date,
) -> bytes:
    return _render(
        lambda out: WikitableWriter(out, taxonomy=taxonomy, member_name=member_name, exported_on=exported_on),
        records,
    )
