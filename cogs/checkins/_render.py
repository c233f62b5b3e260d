"""What check-ins look like: the prompt, its reminder, the answers, the next prompt, the history.

Member text (names, notes) is escaped and only ever sent with no mentions allowed.
"""

from __future__ import annotations

from datetime import datetime

import discord

from cogs.partnerships._render import STAGE_COLOURS, escape, follow_up_text, progress_line
from core.checkin_calendar import Due, Reason, is_open_ended
from core.clock import discord_timestamp
from core.text import shorten
from core.vocabulary import HEALTH_LABELS, STAGE_LABELS, Health, Stage
from db.checkins import Answer, Checkin, CheckinState
from db.paging import PAGE_SIZE, Page
from db.partnerships import Partnership, PartnershipDetail

HISTORY_NOTE_MAX = 250
STATUS_NAMES = {
    Health.ON_TRACK: "On track",
    Health.NEEDS_ATTENTION: "Needs attention",
    Health.STALLED: "Stalled",
}


def _when(moment: datetime) -> str:
    return f"{discord_timestamp(moment, 'F')} ({discord_timestamp(moment, 'R')})"


# ------------------------------------------------------------------------------------ the prompt
def prompt_text(checkin: Checkin, record: Partnership) -> str:
    name = f"**{escape(record.name)}**"
    if checkin.reason is Reason.FOLLOW_UP:
        return f"📅 Today is the follow-up date you set for {name}. How is it going?"
    if checkin.reason is Reason.SNOOZE:
        return f"⏰ You snoozed this a week ago: how is {name} going?"
    return f"📋 Time for the {record.cadence.value} check-in on {name}. How is it going?"


def prompt_embed(detail: PartnershipDetail, checkin: Checkin, server: str) -> discord.Embed:
    record = detail.partnership
    title = record.name if record.name == record.partner_name else f"{record.name} · {record.partner_name}"
    embed = discord.Embed(
        title=shorten(f"#{record.id} {title}", 256),
        description="Pick a status and a short form follows (a note, target progress, the next step, "
        "the next follow-up). **Snooze a week** asks again in seven days; **Not now** skips this one.",
        colour=STAGE_COLOURS.get(record.stage.value, discord.Colour.default()),
    )
    embed.add_field(name="Stage", value=STAGE_LABELS[record.stage])
    embed.add_field(name="Health", value=health_text(record))
    embed.add_field(name="Next follow-up", value=follow_up_text(record))
    if detail.targets:
        embed.add_field(
            name="Targets", value=shorten("\n".join(map(progress_line, detail.targets)), 1024), inline=False
        )
    if checkin.late:
        embed.add_field(
            name="⏰ Sent late",
            value=f"The bot was offline when this was due ({discord_timestamp(checkin.due_at, 'f')}).",
            inline=False,
        )
    # A DM arrives outside the server: say which one, for members of several that use the bot.
    embed.set_footer(text=shorten(f"Partnerships registry of {server}", 2048))
    return embed


def health_text(record: Partnership) -> str:
    if record.last_checkin_at is None:
        return "no check-in yet"
    health = HEALTH_LABELS[record.health] if record.health else "no status"
    return f"{health}, last check-in {discord_timestamp(record.last_checkin_at, 'R')}"


def thread_name(record: Partnership) -> str:
    return shorten(f"Check-in: {record.name}", 100)


def reminder_text(record: Partnership, missed_at: datetime) -> str:
    return (
        f"🔔 A reminder: the check-in on **{escape(record.name)}** above is still open. The buttons "
        f"still work until {discord_timestamp(missed_at, 'f')}, when it counts as missed."
    )


# ------------------------------------------------------------------------------------ answers
def timeline_summary(answer: Answer) -> str:
    summary = f"Check-in: {HEALTH_LABELS[answer.health]}"
    if answer.next_step:
        summary += f" · next step: {shorten(answer.next_step, 120)}"
    return summary


def answered_note(health: Health, user_id: int, at: datetime) -> str:
    return f"✅ Answered {HEALTH_LABELS[health]} by <@{user_id}> {discord_timestamp(at, 'R')}. Thank you!"


def snoozed_note(user_id: int, due: Due | None) -> str:
    when = f"I'll ask again {_when(due.at)}" if due else "no new prompt is scheduled"
    return f"⏰ Snoozed by <@{user_id}>: {when}."


def dismissed_note(user_id: int, due: Due | None) -> str:
    when = f"the next check-in comes {_when(due.at)}" if due else "no further check-in is scheduled"
    return f"Not now, said <@{user_id}>: {when}."


def thanks(record: Partnership, answer: Answer, due: Due | None, *, offer_clinic: bool) -> str:
    lines = [
        f"Thanks! **{escape(record.name)}** is now {HEALTH_LABELS[answer.health]}; "
        "the record, its targets and its timeline are updated (see `/partnership show`).",
        next_prompt_line(record, due),
    ]
    if offer_clinic:
        lines.append(
            "It sounds stuck. A clinic asks peers who have been there: open one below, "
            "with this partnership filled in."
        )
    return "\n".join(lines)


def closed_message(checkin: Checkin) -> str:
    """What a button on a prompt that is no longer open says."""
    if checkin.state is CheckinState.MISSED:
        return (
            "This check-in was missed: it got no answer in time (or a newer prompt replaced it). "
            "You can still check in any time with `/checkin now`."
        )
    by = f" by <@{checkin.answered_by}>" if checkin.answered_by else ""
    when = f" {discord_timestamp(checkin.closed_at, 'R')}" if checkin.closed_at else ""
    how = {
        CheckinState.ANSWERED: f" ({HEALTH_LABELS[checkin.health]})" if checkin.health else "",
        CheckinState.SNOOZED: " with “Snooze a week”",
        CheckinState.DISMISSED: " with “Not now”",
    }.get(checkin.state, "")
    return f"This check-in was already answered{how}{by}{when}. To report again, use `/checkin now`."


# ------------------------------------------------------------------------------------ schedule
def next_prompt_line(record: Partnership, due: Due | None, *, paused_until: datetime | None = None) -> str:
    """When the next prompt comes, or why none is scheduled."""
    if due is not None:
        return f"The next check-in prompt comes {_when(due.at)}."
    if record.stage is Stage.CONCLUDED:
        return "It is concluded, so no more check-ins come."
    if record.owner_id is None:
        return "Nobody owns it, so no prompts come until a coordinator reassigns it."
    if paused_until is not None and is_open_ended(paused_until):
        return "Its owner has paused check-ins (until `/checkin resume`)."
    return (
        "No prompt is scheduled: it has no check-in cadence at this stage and no upcoming follow-up "
        "date (set one with `/partnership log`)."
    )


def cadence_note(record: Partnership) -> str | None:
    if record.stage in (Stage.ACTIVE, Stage.ON_HOLD, Stage.CONCLUDED):
        return None
    return (
        f"At the stage {STAGE_LABELS[record.stage]} prompts follow its follow-up dates; the cadence "
        "applies once it is active or on hold."
    )


def pause_text(until: datetime, count: int) -> str:
    which = f"your {count} partnership{'s' if count != 1 else ''}" if count else "partnerships you own"
    if is_open_ended(until):
        return f"⏸️ Check-ins paused for {which} until you run `/checkin resume`."
    return (
        f"⏸️ Check-ins paused for {which} until {discord_timestamp(until, 'D')}. Prompts due meanwhile "
        "come after the pause, once; `/checkin resume` ends it early."
    )


def resume_text(due: Due | None) -> str:
    when = f"The next prompt comes {_when(due.at)}." if due else "No prompt is scheduled for now."
    return f"▶️ Check-ins resumed. {when}"


# ------------------------------------------------------------------------------------ history
def history_line(checkin: Checkin) -> str:
    when = discord_timestamp(checkin.due_at, "d")
    by = f" · <@{checkin.answered_by}>" if checkin.answered_by else ""
    manual = " (`/checkin now`)" if checkin.reason is Reason.MANUAL else ""
    if checkin.state is CheckinState.ANSWERED and checkin.health is not None:
        line = f"**{when}** {HEALTH_LABELS[checkin.health]}{manual}{by}"
        if checkin.note:
            line += f"\n> {escape(shorten(' '.join(checkin.note.split()), HISTORY_NOTE_MAX))}"
        details = [f"next step: {escape(shorten(checkin.next_step, 120))}"] if checkin.next_step else []
        details += [f"{escape(metric)}: {value:g}" for metric, value in checkin.progress]
        if details:
            line += "\n" + " · ".join(details)
        return line
    label = {
        CheckinState.SNOOZED: "⏰ Snoozed a week",
        CheckinState.DISMISSED: "Not now",
        CheckinState.MISSED: "⚪ Missed (no answer)",
    }.get(checkin.state, checkin.state.value)
    return f"**{when}** {label}{by}"


def history_embed(record: Partnership, page: Page[Checkin]) -> discord.Embed:
    embed = discord.Embed(
        title=shorten(f"Check-ins: #{record.id} {record.name}", 256), colour=discord.Colour.blurple()
    )
    if not page.items:
        embed.description = "No check-ins yet. Answer one any time with `/checkin now`."
        return embed
    embed.description = shorten("\n\n".join(map(history_line, page.items)), 4096)
    first = page.page * PAGE_SIZE + 1
    embed.set_footer(text=f"Showing {first}–{first + len(page.items) - 1} of {page.total}, newest first")
    return embed
