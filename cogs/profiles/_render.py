"""Embeds and messages for /profile: your own profile in full, someone else's as they share it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import discord

from db.forget import Forgotten
from db.partnerships import MemberCounts
from db.profiles import Profile, PublicProfile

COLOUR = discord.Colour.teal()
NOT_SET = "not set"
HIDDEN = "🙈 hidden from others"
SET_HINT = (
    "Set it with `/profile set`, for example "
    "`/profile set timezone:Europe/Berlin languages:English, Swahili`."
)


def local_time(zone: ZoneInfo, now: datetime) -> str:
    """The time on a wall clock in ``zone``, e.g. '13:00 (Fri, UTC+01:00)'."""
    local = now.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%H:%M} ({local:%a}, UTC{offset[:3]}:{offset[3:]})"


def timezone_text(name: str | None, default_zone: ZoneInfo, now: datetime) -> str:
    if name is None:
        return f"{NOT_SET} (the server's {default_zone.key} is used)"
    return f"{name}: {local_time(ZoneInfo(name), now)} there now"


def partnerships_text(counts: MemberCounts) -> str:
    if not counts.owned and not counts.co_owned:
        return "none"
    return f"owns {counts.owned} · co-owns {counts.co_owned}"


def own_profile_embed(
    profile: Profile | None, counts: MemberCounts, *, default_zone: ZoneInfo, now: datetime
) -> discord.Embed:
    """Everything stored, with what others can't see marked as hidden."""
    embed = discord.Embed(title="Your profile", colour=COLOUR)
    if profile is None:
        embed.description = f"You have no profile yet. {SET_HINT}"
    else:
        embed.add_field(name="Timezone", value=timezone_text(profile.timezone, default_zone, now))
        hour = f"{profile.checkin_hour:02d}:00" if profile.checkin_hour is not None else NOT_SET
        embed.add_field(name="Check-in hour", value=f"{hour}\n🙈 only you see this")
        for name, value, shared in (
            ("Affiliation", profile.affiliation, profile.share_affiliation),
            ("Region", profile.region, profile.share_region),
            ("Languages", ", ".join(profile.languages), profile.share_languages),
        ):
            embed.add_field(name=name, value=(value or NOT_SET) + ("" if shared else f"\n{HIDDEN}"))
        embed.set_footer(text="Change it with /profile set; its show_… options choose what others see.")
    embed.add_field(name="Partnerships", value=partnerships_text(counts), inline=False)
    return embed


def member_profile_embed(
    member_id: int,
    display_name: str,
    public: PublicProfile | None,
    counts: MemberCounts,
    *,
    default_zone: ZoneInfo,
    now: datetime,
) -> discord.Embed:
    """Only what the member shares: hidden fields are absent, not marked, so nothing hints at them."""
    embed = discord.Embed(title=f"Profile of {display_name}", colour=COLOUR)
    if public is None:
        embed.description = f"<@{member_id}> has no profile yet."
    else:
        embed.description = f"<@{member_id}>"
        embed.add_field(name="Timezone", value=timezone_text(public.timezone, default_zone, now))
        shared = [
            (name, value)
            for name, value in (
                ("Affiliation", public.affiliation),
                ("Region", public.region),
                ("Languages", ", ".join(public.languages)),
            )
            if value
        ]
        for name, value in shared:
            embed.add_field(name=name, value=value)
        if not shared:
            embed.add_field(name="Shared", value="No affiliation, region or languages shared.")
    embed.add_field(name="Partnerships", value=partnerships_text(counts), inline=False)
    return embed


def forget_confirmation(preview: Forgotten) -> str:
    lines = [f"• {line}" for line in preview.lines()]
    if preview["orphaned"]:
        lines.append(
            "Partnerships stay in the registry for the community; to hand yours to someone you choose, "
            "use `/partnership transfer` first."
        )
    body = "\n".join(lines)
    return f"**Forget me in this server?** This can't be undone.\n{body}\nPress **Forget me** to go ahead."


def forgotten_summary(result: Forgotten) -> str:
    if result.nothing:
        return "There was nothing left to forget: I hold no data about you in this server."
    lines = "\n".join(f"• {line}" for line in result.lines())
    return f"Done: I've forgotten you in this server.\n{lines}"


NOTHING_HELD = "I hold no data about you in this server, so there is nothing to forget."
CANCELLED = "Cancelled: nothing was changed."
TIMED_OUT = (
    "This confirmation expired; nothing was changed. Run `/profile forget` again if you still want to."
)
