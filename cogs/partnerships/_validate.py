"""Turning what a member typed into clean values, with messages that say exactly what to fix.

Discord-free: every function takes text and returns a value or raises ``UserError``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from core.errors import UserError
from core.vocabulary import WIKIMEDIA_PROJECTS, Goal
from db.areas import Area

# Limits shown in the forms and the README.
PARTNER_NAME_MAX = 100
NAME_MAX = 100
REGION_MAX = 60
DESCRIPTION_MAX = 1500
NOTE_MAX = 1000
URL_MAX = 300
AREA_TAG_MAX = 40
AREAS_MAX = 8

_URL = re.compile(r"^https?://[^\s<>]+$")
_GOAL_WORDS = {
    "content": Goal.CONTENT,
    "funding": Goal.FUNDING,
    "resources": Goal.FUNDING,
    "funding/resources": Goal.FUNDING,
    "advocacy": Goal.ADVOCACY,
    "outreach": Goal.ADVOCACY,
    "advocacy/outreach": Goal.ADVOCACY,
}


def text(value: str | None, *, field: str, limit: int, required: bool = False) -> str | None:
    """Trim; enforce the limit; an empty optional value becomes None."""
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise UserError(f"{field} can't be empty.")
        return None
    if len(cleaned) > limit:
        raise UserError(f"{field} is {len(cleaned)} characters; the limit is {limit}. Please shorten it.")
    return cleaned


def required_text(value: str | None, *, field: str, limit: int) -> str:
    cleaned = text(value, field=field, limit=limit, required=True)
    assert cleaned is not None
    return cleaned


def parse_date(value: str | None, *, field: str) -> date | None:
    """An ISO date (YYYY-MM-DD); impossible dates such as 2027-02-30 are refused."""
    cleaned = (value or "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
        raise UserError(f"{field} “{cleaned}” isn't a date. Write it as YYYY-MM-DD, for example 2027-03-01.")
    year, month, day = (int(part) for part in cleaned.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise UserError(
            f"{field} “{cleaned}” doesn't exist in the calendar. Check the month and day."
        ) from None


def date_order(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise UserError(f"The end date {end.isoformat()} is before the start date {start.isoformat()}.")


def parse_goals(value: str | None) -> tuple[Goal, ...]:
    """One or more of content, funding, advocacy (comma-separated); at least one."""
    words = [word.strip().casefold() for word in (value or "").split(",") if word.strip()]
    if not words:
        raise UserError("Choose at least one goal: content, funding, advocacy (comma-separated).")
    goals: list[Goal] = []
    for word in words:
        goal = _GOAL_WORDS.get(word)
        if goal is None:
            raise UserError(f"“{word}” isn't a goal. Use content, funding or advocacy, comma-separated.")
        if goal not in goals:
            goals.append(goal)
    return tuple(goals)


def parse_areas(value: str | None, taxonomy: Iterable[Area]) -> tuple[str, ...]:
    """Comma-separated areas: taxonomy names/synonyms become their slug; other words are free tags."""
    known = list(taxonomy)
    result: list[str] = []
    for raw in (value or "").split(","):
        word = raw.strip()
        if not word:
            continue
        area = next((area for area in known if area.matches(word)), None)
        if area is not None:
            slug = area.slug
        else:
            if len(word) > AREA_TAG_MAX:
                raise UserError(
                    f"The area “{word[:40]}…” is too long; free areas are at most {AREA_TAG_MAX} characters."
                )
            slug = " ".join(word.casefold().split())
        if slug not in result:
            result.append(slug)
    if len(result) > AREAS_MAX:
        raise UserError(f"That's {len(result)} areas; choose at most {AREAS_MAX}.")
    return tuple(result)


def parse_url(value: str | None, *, field: str) -> str | None:
    cleaned = text(value, field=field, limit=URL_MAX)
    if cleaned is None:
        return None
    if not _URL.match(cleaned):
        raise UserError(f"{field} must be a web address starting with https:// (got “{cleaned[:60]}”).")
    return cleaned


def duplicate_error(partner_name: str) -> UserError:
    return UserError(
        f"You already have a partnership with “{partner_name}”. Update it with `/partnership edit`, "
        "or register it under a different partner name."
    )


METRIC_MAX = 40
UNIT_MAX = 20
TARGETS_MAX = 10
CO_OWNERS_MAX = 10
OUTCOME_MAX = 1000
LESSONS_MAX = 1500
CLEAR_WORDS = frozenset({"none", "-", "clear"})


def clears(value: str | None) -> bool:
    """Members clear an optional field by writing ``none``."""
    return value is not None and value.strip().casefold() in CLEAR_WORDS


def parse_projects(value: str | None) -> tuple[str, ...]:
    """Comma-separated Wikimedia projects, spelled as in ``WIKIMEDIA_PROJECTS`` (any case)."""
    known = {project.casefold(): project for project in WIKIMEDIA_PROJECTS}
    result: list[str] = []
    for raw in (value or "").split(","):
        word = raw.strip()
        if not word:
            continue
        project = known.get(word.casefold())
        if project is None:
            raise UserError(
                f"“{word[:40]}” isn't a Wikimedia project. Choose from: {', '.join(WIKIMEDIA_PROJECTS)}."
            )
        if project not in result:
            result.append(project)
    return tuple(result)


def follow_up_date(value: str | None, *, today: date) -> date | None:
    """A follow-up date: a real date, not in the past."""
    chosen = parse_date(value, field="Follow-up date")
    if chosen is not None and chosen < today:
        raise UserError(
            f"The follow-up date {chosen.isoformat()} is in the past; today is {today.isoformat()}."
        )
    return chosen


def amount(value: float | None, *, field: str, positive: bool = False) -> float | None:
    """A target figure: finite, not negative (or above zero when ``positive``)."""
    if value is None:
        return None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        rule = "above 0" if positive else "0 or more"
        raise UserError(f"{field} must be a number {rule} (got {value:g}).")
    return value
