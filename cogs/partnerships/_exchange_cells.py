"""The cells of the exchange format of /partnership export and import: one column list, and how
multi-valued cells, targets and formula guards are written.

Discord-free. The CSV is what a coordinator edits in a spreadsheet and imports back, so it keeps
stored values (enum values, ISO dates, user ids) and round-trips exactly:

- multi-valued cells separate items with ``;`` (a ``;`` or ``\\`` inside an item is written ``\\;``
  or ``\\\\``); targets are ``metric=current/target unit``; the agreement cell lists the done items;
- a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
  so a spreadsheet shows it as text instead of running it as a formula; so does a cell that
  already starts with ``'``, which is how the import knows exactly which ``'`` to take off again;
- UTF-8 with a byte-order mark, so spreadsheets pick the right encoding.

Every field rule of the import is the one ``/partnership register`` and ``edit`` use (``_validate``).

"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cogs.partnerships import _validate as validate
from core.errors import UserError
from db.partnerships import Target

# The one column list: export writes it in this order; import reads it in any order.
COLUMNS = (
    "id",
    "name",
    "partner_name",
    "partner_type",
    "goals",
    "structure",
    "scope",
    "stage",
    "visibility",
    "owner_id",
    "co_owner_ids",
    "region",
    "areas",
    "projects",
    "description",
    "meta_url",
    "agreement_url",
    "start_date",
    "end_date",
    "next_follow_up",
    "cadence",
    "health",
    "last_checkin_at",
    "outcome",
    "lessons",
    "targets",
    "agreement",
)
# Without these a row can't be imported safely (visibility: a missing column must not publish
# confidential rows; owner_id: an empty cell is a deliberate "orphaned", a missing column is not).
REQUIRED_COLUMNS = ("partner_name", "partner_type", "goals", "stage", "visibility", "owner_id")
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_ROWS = 1000
SEPARATOR = ";"

# --------------------------------------------------------------------------- cells


def join_items(items: Iterable[str]) -> str:
    """Join a multi-valued cell, escaping the separator and the escape character in items."""
    return f"{SEPARATOR} ".join(
        item.replace("\\", "\\\\").replace(SEPARATOR, "\\" + SEPARATOR) for item in items
    )


def split_items(cell: str) -> list[str]:
    """Split a multi-valued cell written by ``join_items`` (or by hand); empty items are dropped."""
    items: list[str] = []
    current: list[str] = []
    characters = iter(cell)
    for character in characters:
        if character == "\\":
            current.append(next(characters, "\\"))
        elif character == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(character)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(cell: str) -> str:
    """Make a spreadsheet treat the cell as text (OWASP's CSV injection advice)."""
    return "'" + cell if cell.startswith((*_FORMULA_STARTS, "'")) else cell


def unguard_formula(cell: str) -> str:
    """Undo ``guard_formula``; a lone leading ``'`` typed by hand before plain text is kept."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*_FORMULA_STARTS, "'")) else cell


def number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def target_text(target: Target) -> str:
    unit = f" {target.unit}" if target.unit else ""
    return f"{target.metric}={number_text(target.current)}/{number_text(target.target)}{unit}"


_NUMBER = r"[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_TARGET = re.compile(
    rf"(?P<metric>.+?)\s*=\s*(?P<current>{_NUMBER})\s*/\s*(?P<target>{_NUMBER})(?:\s+(?P<unit>.+))?"
)


def parse_target(item: str) -> Target:
    """A target written ``metric=current/target unit``, checked as `/partnership target` checks it."""
    found = _TARGET.fullmatch(item.strip())
    if found is None:
        raise UserError(
            f"The target “{item[:60]}” isn't written as metric=current/target unit "
            "(for example: files uploaded=120/500 files)."
        )
    metric = validate.required_text(found["metric"], field="Metric", limit=validate.METRIC_MAX)
    goal = validate.amount(float(found["target"]), field=f"The target of “{metric}”", positive=True)
    current = validate.amount(float(found["current"]), field=f"The current figure of “{metric}”")
    unit = validate.text(found["unit"], field="Unit", limit=validate.UNIT_MAX) or ""
    assert goal is not None and current is not None
    return Target(metric, goal, current, unit)


# --------------------------------------------------------------------------- export
