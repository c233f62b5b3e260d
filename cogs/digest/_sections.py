"""What goes into the digest, in which order, and how it fits Discord's limits: Discord-free.

Each section lists its items most urgent first. When the digest channel is not private to
coordinators, confidential partnerships are left out of every section and only counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.text import shorten
from core.vocabulary import Health, Stage
from db.digest import CheckinAlert, PartnershipRef, UnansweredClinic

# Discord's embed limits.
FIELD_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
FIELDS_MAX = 25
_TAIL_ROOM = 24  # "\n…and N more" always fits after a line cut to leave this much room

# Which open stages matter most when a partnership needs an owner or attention.
_STAGE_URGENCY = {
    Stage.ACTIVE: 0,
    Stage.NEGOTIATING: 1,
    Stage.CONTACTING: 2,
    Stage.PROSPECT: 3,
    Stage.ON_HOLD: 4,
    Stage.CONCLUDED: 5,
}
_HEALTH_URGENCY = {Health.STALLED: 0, Health.NEEDS_ATTENTION: 1, Health.ON_TRACK: 2}


class SectionKind(StrEnum):
    CHECKINS = "checkins"
    HEALTH = "health"
    OWNERS = "owners"
    FOLLOW_UPS = "follow_ups"
    CLINICS = "clinics"


@dataclass(frozen=True)
class OwnerGap:
    """A partnership whose owner left the server (``left``) or was forgotten (orphaned)."""

    partnership: PartnershipRef
    left: bool


@dataclass(frozen=True)
class DigestData:
    """Everything the digest reads, before privacy and ordering."""

    checkins: Sequence[CheckinAlert] = ()
    health: Sequence[PartnershipRef] = ()
    owners: Sequence[OwnerGap] = ()
    follow_ups: Sequence[PartnershipRef] = ()
    clinics: Sequence[UnansweredClinic] = ()


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    items: tuple[object, ...]


@dataclass(frozen=True)
class DigestPlan:
    sections: tuple[Section, ...]  # only the non-empty ones, in the digest's order
    hidden_confidential: int  # distinct confidential partnerships left out
    reassignable: bool  # some partnership needs an owner (shown or not): offer the button

    @property
    def quiet(self) -> bool:
        return not self.sections and not self.hidden_confidential


def owner_gap_order(gaps: Sequence[OwnerGap]) -> list[OwnerGap]:
    """Active partnerships first, then by stage; an owner who left before an orphan; then by id."""
    return sorted(
        gaps, key=lambda gap: (_STAGE_URGENCY[gap.partnership.stage], not gap.left, gap.partnership.id)
    )


def _ordered(data: DigestData) -> dict[SectionKind, list[object]]:
    return {
        SectionKind.CHECKINS: sorted(
            data.checkins, key=lambda alert: (not alert.missed, alert.due_at, alert.partnership.id)
        ),
        SectionKind.HEALTH: sorted(
            data.health,
            key=lambda ref: (
                _HEALTH_URGENCY.get(ref.health, 2),
                ref.last_checkin_at or ref.updated_at,
                ref.id,
            ),
        ),
        SectionKind.OWNERS: owner_gap_order(data.owners),
        SectionKind.FOLLOW_UPS: sorted(data.follow_ups, key=lambda ref: (ref.next_follow_up, ref.id)),
        SectionKind.CLINICS: sorted(data.clinics, key=lambda clinic: (clinic.created_at, clinic.id)),
    }


def _partnership_of(item: object) -> PartnershipRef | None:
    if isinstance(item, PartnershipRef):
        return item
    if isinstance(item, CheckinAlert | OwnerGap):
        return item.partnership
    return None


def plan_digest(data: DigestData, *, private: bool) -> DigestPlan:
    """Order every section; unless the channel is ``private``, take confidential records out."""
    hidden: set[int] = set()
    sections = []
    for kind, items in _ordered(data).items():
        shown = []
        for item in items:
            partnership = _partnership_of(item)
            if partnership is not None and partnership.confidential and not private:
                hidden.add(partnership.id)
            else:
                shown.append(item)
        if shown:
            sections.append(Section(kind, tuple(shown)))
    return DigestPlan(tuple(sections), len(hidden), reassignable=bool(data.owners))


def fit_lines(lines: Sequence[str], limit: int) -> str:
    """As many whole lines as fit in ``limit`` characters, then “…and N more” for the rest."""
    lines = [shorten(line, max(1, limit - _TAIL_ROOM)) for line in lines]
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        candidate = [*kept, line]
        tail = f"\n…and {rest} more" if rest else ""
        if len("\n".join(candidate)) + len(tail) > limit:
            break
        kept = candidate
    more = f"…and {len(lines) - len(kept)} more"
    return "\n".join([*kept, more]) if kept else shorten(more, limit)


def field_budget(fixed_characters: int, field_count: int) -> int:
    """Characters each of ``field_count`` fields may use, given the text already spent elsewhere."""
    if field_count <= 0:
        return FIELD_LIMIT
    return max(0, min(FIELD_LIMIT, (EMBED_TOTAL_LIMIT - fixed_characters) // field_count))
