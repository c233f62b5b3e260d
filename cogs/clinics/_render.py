"""What clinics look like: the intake, the suggestions, the closing summary, lists and lessons.

Member text (topic, intake, lesson) only ever appears in embeds or in messages sent with no
mentions allowed, so "@everyone" or "<@&role>" typed by a member stays text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import discord

from cogs.clinics._forms import Intake
from cogs.clinics._idle import DORMANT_AFTER
from cogs.clinics._suggest import Suggestion
from cogs.clinics._tags import tag_name
from cogs.partnerships._render import escape, highlighted
from core.clock import discord_timestamp
from core.text import shorten
from core.vocabulary import PARTNER_TYPE_LABELS, STAGE_LABELS
from db.areas import Area
from db.clinics import Clinic, ClinicStatus
from db.partnerships import Partnership

STATUS_LABELS = {
    ClinicStatus.OPEN: "🟢 open",
    ClinicStatus.RESOLVED: "✅ resolved",
    ClinicStatus.DORMANT: "💤 dormant",
}
CONFIDENTIAL_PARTNERSHIP = "a confidential partnership"
COLOUR = discord.Colour.teal()


def thread_url(guild_id: int, thread_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{thread_id}"


def plain_name(name: str) -> str:
    """A display name shown as text: no markdown, no mentions."""
    return escape(discord.utils.escape_mentions(name))


def area_label(slug: str, taxonomy: Mapping[str, Area]) -> str:
    area = taxonomy.get(slug)
    return tag_name(area) if area else slug


def partnership_summary(record: Partnership) -> str:
    """The partnership as the clinic shows it; a confidential one only as such."""
    if record.confidential:
        return CONFIDENTIAL_PARTNERSHIP
    summary = (
        f"**{escape(record.name)}** with {escape(record.partner_name)}"
        f" · {PARTNER_TYPE_LABELS[record.partner_type]} · {STAGE_LABELS[record.stage]}"
    )
    if record.description:
        summary += f"\n{escape(shorten(record.description, 300))}"
    return summary


def intake_content(asker_id: int) -> str:
    return (
        f"<@{asker_id}> asks the community for help. Helpers: reply in this thread. "
        "When it's solved, run `/clinic resolve` here; credit who helped with `/clinic helpful`."
    )


def intake_embed(
    topic: str, intake: Intake, area: Area, partnership: Partnership | None, asker_id: int
) -> discord.Embed:
    embed = discord.Embed(title=shorten(topic, 256), colour=COLOUR)
    embed.add_field(name="The situation", value=shorten(intake.situation, 1024), inline=False)
    if intake.tried:
        embed.add_field(name="What has been tried", value=shorten(intake.tried, 1024), inline=False)
    embed.add_field(name="Help needed", value=shorten(intake.help_needed, 1024), inline=False)
    embed.add_field(name="Area", value=area.label)
    if partnership is not None:
        embed.add_field(name="Partnership", value=shorten(partnership_summary(partnership), 1024))
    embed.add_field(name="Asked by", value=f"<@{asker_id}>")
    return embed


def suggestions_text(
    suggestions: Sequence[Suggestion],
    names: Mapping[int, str],
    area: Area,
    *,
    weekly_cap: int,
    again: bool = False,
) -> str:
    """The suggestions: pinged people as mentions, the others by name (never a mention)."""
    opening = (
        "Nobody but the asker has written here for two days, so once more: "
        if again
        else "Members who may know about this: "
    )
    if not suggestions:
        return (
            f"{opening}nobody has listed expertise in **{area.label}** yet. Anyone who can help, "
            "please reply here (and list what you know with `/expertise add`)."
        )
    lines = [f"🩺 {opening}ranked by their expertise in **{area.label}** and this question."]
    for position, suggestion in enumerate(suggestions, start=1):
        if suggestion.ping:
            lines.append(f"{position}. <@{suggestion.user_id}>")
        else:
            lines.append(f"{position}. **{plain_name(names.get(suggestion.user_id, 'a member'))}**")
    lines.append(
        f"-# Pinged: only members who opted in with `/expertise available on`, at most {weekly_cap}"
        " times a week each and once per clinic."
    )
    return "\n".join(lines)


def suggestion_mentions(suggestions: Sequence[Suggestion]) -> discord.AllowedMentions:
    """Exactly the pinged users may be mentioned; never roles or everyone."""
    return discord.AllowedMentions(
        users=[discord.Object(suggestion.user_id) for suggestion in suggestions if suggestion.ping],
        roles=False,
        everyone=False,
        replied_user=False,
    )


def opened_text(thread_id: int, suggestions: Sequence[Suggestion], tag_note: str | None) -> str:
    pinged = sum(suggestion.ping for suggestion in suggestions)
    text = f"Your clinic is open: <#{thread_id}>. "
    if suggestions:
        text += f"I suggested {len(suggestions)} member(s) and pinged {pinged}."
    else:
        text += "Nobody has listed matching expertise yet; the thread is open for anyone to help."
    if tag_note:
        text += f"\n{tag_note}"
    return text


def closing_embed(clinic: Clinic, helper_ids: Sequence[int], resolved_by: int) -> discord.Embed:
    embed = discord.Embed(
        title=shorten(f"✅ Resolved: {clinic.topic}", 256),
        description=shorten(clinic.lesson or "", 4096),
        colour=discord.Colour.green(),
    )
    if clinic.lesson_tags:
        embed.add_field(name="Tags", value=shorten(", ".join(clinic.lesson_tags), 1024))
    embed.add_field(
        name="Helpers credited",
        value=", ".join(f"<@{helper}>" for helper in helper_ids) or "none yet (`/clinic helpful`)",
    )
    embed.add_field(name="Resolved by", value=f"<@{resolved_by}>")
    embed.set_footer(text=f"Clinic #{clinic.id} · the lesson is now searchable with /clinic lessons")
    return embed


def keep_open_question(clinic: Clinic, now: datetime) -> str:
    dormant_at = clinic.last_activity_at + DORMANT_AFTER
    return (
        f"<@{clinic.asker_id}>, nobody has written here for a week. Keep this clinic open? "
        f"Otherwise it becomes dormant and is archived {discord_timestamp(max(dormant_at, now), 'R')}."
    )


DORMANT_NOTICE = (
    "💤 Nobody has written here for two weeks, so this clinic is now dormant and archived. "
    "Run `/clinic reopen` here to bring it back."
)


def list_line(clinic: Clinic, taxonomy: Mapping[str, Area]) -> str:
    where = (
        "thread deleted"
        if clinic.thread_deleted
        else f"[thread]({thread_url(clinic.guild_id, clinic.thread_id)})"
    )
    asker = f" · by <@{clinic.asker_id}>" if clinic.asker_id else ""
    return (
        f"**#{clinic.id} {escape(shorten(clinic.topic, 80))}** · {area_label(clinic.area, taxonomy)}"
        f" · {STATUS_LABELS[clinic.status]} · {discord_timestamp(clinic.created_at, 'R')}{asker} · {where}"
    )


def lesson_lines(clinic: Clinic, snippet: str) -> list[str]:
    link = "thread deleted" if clinic.thread_deleted else thread_url(clinic.guild_id, clinic.thread_id)
    lines = [f"**#{clinic.id} {escape(shorten(clinic.topic, 80))}** · {link}"]
    text = highlighted(snippet) if snippet.strip() else escape(clinic.lesson or "")
    lines.append(f"> {shorten(text, 300)}")
    return lines
