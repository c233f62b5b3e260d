"""Embeds for partnership records."""

from __future__ import annotations

from datetime import UTC, datetime, time

import discord

from core.clock import discord_timestamp
from core.text import shorten
from core.vocabulary import AGREEMENT_LABELS, GOAL_LABELS, HEALTH_LABELS, PARTNER_TYPE_LABELS, STAGE_LABELS
from db.areas import Area
from db.paging import PAGE_SIZE, Page
from db.partnership_finder import HIT_END, HIT_START
from db.partnerships import Partnership, PartnershipDetail, Target

STAGE_COLOURS = {
    "prospect": discord.Colour.light_grey(),
    "contacting": discord.Colour.blue(),
    "negotiating": discord.Colour.purple(),
    "active": discord.Colour.green(),
    "on_hold": discord.Colour.orange(),
    "concluded": discord.Colour.dark_grey(),
}


def area_names(slugs: tuple[str, ...], taxonomy: dict[str, Area]) -> str:
    return ", ".join(taxonomy[slug].label if slug in taxonomy else slug for slug in slugs) or "—"


def people(user_ids: tuple[int, ...]) -> str:
    return (
        ", ".join(f"<@{user_id}>" for user_id in user_ids)
        or "nobody (orphaned: a coordinator can reassign it)"
    )


def progress_line(target: Target) -> str:
    share = min(target.current / target.target, 1.0) if target.target else 0.0
    filled = round(share * 10)
    bar = "█" * filled + "░" * (10 - filled)
    unit = f" {target.unit}" if target.unit else ""
    return f"**{target.metric}**: {target.current:g}/{target.target:g}{unit} {bar} {share:.0%}"


def follow_up_text(partnership: Partnership) -> str:
    if partnership.next_follow_up is None:
        return "not set"
    moment = datetime.combine(partnership.next_follow_up, time(9, 0), tzinfo=UTC)
    return f"{discord_timestamp(moment, 'D')} ({discord_timestamp(moment, 'R')})"


def checkins_line(detail: PartnershipDetail) -> str:
    """The cadence, and when the next prompt comes (follow-up dates prompt even with cadence off)."""
    line = f"Check-ins: {detail.partnership.cadence.value}"
    if detail.next_checkin_at is not None:
        line += f" · next {discord_timestamp(detail.next_checkin_at, 'R')}"
    return line


def partnership_embed(detail: PartnershipDetail, taxonomy: dict[str, Area]) -> discord.Embed:
    record = detail.partnership
    title = record.name if record.name == record.partner_name else f"{record.name} · {record.partner_name}"
    embed = discord.Embed(
        title=shorten(f"#{record.id} {title}", 256),
        description=shorten(record.description, 4000) or "*No description yet.*",
        colour=STAGE_COLOURS.get(record.stage.value, discord.Colour.default()),
    )
    stage = STAGE_LABELS[record.stage]
    if record.confidential:
        stage += " · 🔒 confidential"
    embed.add_field(name="Stage", value=stage)
    embed.add_field(name="Owner(s)", value=people(record.owner_ids))
    health = HEALTH_LABELS[record.health] if record.health else "no check-in yet"
    if record.last_checkin_at:
        health += f" ({discord_timestamp(record.last_checkin_at, 'R')})"
    embed.add_field(name="Health", value=health)
    embed.add_field(name="Next follow-up", value=follow_up_text(record))
    embed.add_field(
        name="Type",
        value=f"{PARTNER_TYPE_LABELS[record.partner_type]} · {record.scope.value}, {record.structure.value}",
    )
    embed.add_field(name="Goals", value=", ".join(GOAL_LABELS[goal] for goal in record.goals))
    embed.add_field(name="Areas", value=shorten(area_names(record.areas, taxonomy), 1024), inline=False)
    details = [
        f"Region: {record.region}" if record.region else None,
        f"Projects: {', '.join(record.projects)}" if record.projects else None,
        f"Dates: {record.start_date or '?'} → {record.end_date or 'ongoing'}"
        if record.start_date or record.end_date
        else None,
        checkins_line(detail),
        f"[Meta-Wiki page]({record.meta_url})" if record.meta_url else None,
        f"[Agreement]({record.agreement_url})" if record.agreement_url else None,
    ]
    embed.add_field(name="Details", value="\n".join(line for line in details if line), inline=False)
    if detail.targets:
        embed.add_field(
            name="Targets", value=shorten("\n".join(map(progress_line, detail.targets)), 1024), inline=False
        )
    checklist = "\n".join(
        f"{'✅' if state.done else '⬜'} {AGREEMENT_LABELS[state.item]}" for state in detail.agreement
    )
    embed.add_field(name="Agreement checklist", value=checklist, inline=False)
    if record.outcome or record.lessons:
        embed.add_field(
            name="Outcome and lessons",
            value=shorten("\n".join(filter(None, (record.outcome, record.lessons))), 1024),
            inline=False,
        )
    if detail.timeline:
        lines = [
            f"{discord_timestamp(entry.at, 'd')} {entry.summary}"
            + (f" — {shorten(entry.note, 120)}" if entry.note else "")
            + (f" (<@{entry.author_id}>)" if entry.author_id else "")
            for entry in detail.timeline
        ]
        embed.add_field(name="Recent timeline", value=shorten("\n".join(lines), 1024), inline=False)
    return embed


def choice_label(record: Partnership) -> str:
    """How a partnership appears in autocomplete (at most 100 characters)."""
    lock = "🔒 " if record.confidential else ""
    return shorten(f"{lock}{record.name} · {STAGE_LABELS[record.stage]} (#{record.id})", 100)


def list_line(record: Partnership, taxonomy: dict[str, Area]) -> str:
    """One partnership in a list: name, type, stage, owners, region, areas."""
    lock = " 🔒" if record.confidential else ""
    owners = people(record.owner_ids) if record.owner_ids else "orphaned"
    where = f" · {record.region}" if record.region else ""
    return (
        f"**#{record.id} {escape(record.name)}**{lock} · {PARTNER_TYPE_LABELS[record.partner_type]}"
        f" · {STAGE_LABELS[record.stage]} · {owners}{where}"
    )


def escape(text: str) -> str:
    """Member text shown inside our own markdown."""
    return discord.utils.escape_markdown(text)


def highlighted(snippet: str) -> str:
    """An FTS snippet with its matched words in bold, the rest escaped."""
    text = escape(snippet).replace(HIT_START, "**").replace(HIT_END, "**")
    return " ".join(text.split())


def results_embed(title: str, page: Page, lines: list[str], *, empty: str, footer: str = "") -> discord.Embed:
    """A page of partnerships with the total, so members know how much there is."""
    embed = discord.Embed(title=title, colour=discord.Colour.blurple())
    if not page.items:
        embed.description = empty
        return embed
    first = page.page * PAGE_SIZE + 1
    embed.description = shorten("\n".join(lines), 4096)
    # A capped search ranked its newest matches only: more match than the total says.
    shown = f"{first}–{first + len(page.items) - 1} of {page.total:,}{'+' if page.capped else ''}"
    embed.set_footer(text=" · ".join(filter(None, (f"Showing {shown}", footer))))
    return embed
