"""The digest as one embed: a field per section, within Discord's limits, mentions shown as names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import discord

from cogs.digest._schedule import Slot
from cogs.digest._sections import (
    FIELDS_MAX,
    DigestPlan,
    OwnerGap,
    Section,
    SectionKind,
    field_budget,
    fit_lines,
)
from cogs.partnerships._render import escape
from core.clock import discord_timestamp
from core.text import plural, shorten
from core.vocabulary import HEALTH_LABELS, STAGE_LABELS
from db.digest import CheckinAlert, PartnershipRef, UnansweredClinic

TITLES = {
    SectionKind.CHECKINS: "📭 Missed and overdue check-ins",
    SectionKind.HEALTH: "🚦 Stalled or needing attention",
    SectionKind.OWNERS: "🧭 No owner in the server",
    SectionKind.FOLLOW_UPS: "📅 Follow-ups in the next 7 days",
    SectionKind.CLINICS: "🩺 Clinics nobody has answered",
}
ALL_QUIET = (
    "🌿 All quiet: no missed or overdue check-ins, nothing stalled or needing attention, every "
    "partnership has an owner here, no follow-ups due in the next 7 days and no unanswered clinics."
)
INTRO = "What needs attention, most urgent first."
REASSIGN_HINT = "Press **Reassign** to give a partnership without an owner here a new one."


def late_note(slot: Slot) -> str:
    return f"⏰ Late: this digest was due {discord_timestamp(slot.at, 'f')}, when I couldn't post it."


def confidential_note(count: int) -> str:
    verb = "needs" if count == 1 else "need"
    return (
        f"{plural(count, 'confidential partnership')} {verb} attention — make the digest channel "
        "private to coordinators to see them here."
    )


def _owner(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else "no owner"


def _name(ref: PartnershipRef) -> str:
    lock = " 🔒" if ref.confidential else ""
    return f"**{escape(shorten(ref.name, 100))}** (#{ref.id}){lock}"


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _checkin_line(alert: CheckinAlert) -> str:
    head = f"{_name(alert.partnership)} · {_owner(alert.partnership.owner_id)}"
    due = discord_timestamp(alert.due_at, "D")
    if alert.missed:
        return f"❌ {head} · missed, due {due}"
    reminded = " · reminded" if alert.reminded_at else ""
    return f"⏳ {head} · no answer yet, due {due}{reminded}"


def _health_line(ref: PartnershipRef) -> str:
    label = HEALTH_LABELS[ref.health] if ref.health else "—"
    checked = f" · last check-in {discord_timestamp(ref.last_checkin_at, 'R')}" if ref.last_checkin_at else ""
    return f"{label} · {_name(ref)} · {_owner(ref.owner_id)} · {STAGE_LABELS[ref.stage]}{checked}"


def _owner_line(gap: OwnerGap) -> str:
    if gap.left:
        return f"🚪 {_name(gap.partnership)} · {_owner(gap.partnership.owner_id)} left the server"
    return f"👻 {_name(gap.partnership)} · orphaned (its owner asked to be forgotten)"


def _follow_up_line(ref: PartnershipRef) -> str:
    day = _day(ref.next_follow_up) if ref.next_follow_up else "—"
    return f"📅 {day} · {_name(ref)} · {_owner(ref.owner_id)}"


def _clinic_line(clinic: UnansweredClinic) -> str:
    topic = escape(shorten(clinic.topic, 100))
    return f"🩺 <#{clinic.thread_id}> · {topic} · opened {discord_timestamp(clinic.created_at, 'R')}"


_LINES: dict[SectionKind, Callable[[Any], str]] = {
    SectionKind.CHECKINS: _checkin_line,
    SectionKind.HEALTH: _health_line,
    SectionKind.OWNERS: _owner_line,
    SectionKind.FOLLOW_UPS: _follow_up_line,
    SectionKind.CLINICS: _clinic_line,
}


def section_lines(section: Section) -> list[str]:
    return [_LINES[section.kind](item) for item in section.items]


def digest_embed(plan: DigestPlan, *, slot: Slot, now: datetime) -> discord.Embed:
    """The week's digest; every section fits, the longest cut with “…and N more”."""
    paragraphs = [late_note(slot)] if slot.is_late(now) else []
    if plan.quiet:
        paragraphs.append(ALL_QUIET)
    else:
        paragraphs.append(INTRO)
        if plan.reassignable:
            paragraphs.append(REASSIGN_HINT)
    embed = discord.Embed(
        title=f"Coordinators' digest · week of {slot.local_date.day} {slot.local_date:%B %Y}",
        description="\n".join(paragraphs),
        colour=discord.Colour.green() if plan.quiet else discord.Colour.orange(),
        timestamp=now,
    )
    names = [f"{TITLES[section.kind]} ({len(section.items)})" for section in plan.sections][: FIELDS_MAX - 1]
    notice = ("🔒 Confidential", confidential_note(plan.hidden_confidential))
    fixed = len(embed.title or "") + len(embed.description or "") + sum(len(name) for name in names)
    if plan.hidden_confidential:
        fixed += len(notice[0]) + len(notice[1])
    budget = field_budget(fixed, len(names))
    for name, section in zip(names, plan.sections, strict=False):
        embed.add_field(name=name, value=fit_lines(section_lines(section), budget), inline=False)
    if plan.hidden_confidential:
        embed.add_field(name=notice[0], value=notice[1], inline=False)
    return embed
