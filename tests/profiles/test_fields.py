"""The Discord-free parts of /profile: parsing what members type, suggestions, rendering helpers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from cogs.profiles import _fields as fields
from cogs.profiles._export import export_document, to_json
from cogs.profiles._render import local_time, partnerships_text
from core.errors import UserError
from db.forget import Forgotten
from db.partnerships import MemberCounts
from db.profiles import Profile, PublicProfile

FRIDAY_NOON_UTC = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# The export's top-level keys, in the order a reader meets them.
EXPORT_KEYS = ["about", "guild_id", "user_id", "exported_at", "profile", "partnerships", "timeline_entries"]


def test_languages_are_tidied_and_repeats_dropped_whatever_their_case() -> None:
    parsed = fields.parse_languages(" english ,  Swahili, ENGLISH,,  Brazilian   Portuguese ")
    assert parsed == ("english", "Swahili", "Brazilian Portuguese")


def test_too_many_too_long_or_no_languages_are_refused() -> None:
    with pytest.raises(UserError, match="That's 11 languages; list at most 10"):
        fields.parse_languages(",".join(f"lang{index}" for index in range(11)))
    with pytest.raises(UserError, match="each is at most 30 characters"):
        fields.parse_languages("English, " + "x" * 31)
    with pytest.raises(UserError, match="List languages separated by commas"):
        fields.parse_languages(" , ,")
    # Ten different ones and repeats beyond them are fine: repeats don't count.
    assert len(fields.parse_languages(",".join(f"lang{index}" for index in range(10)) + ",LANG0")) == 10


def test_a_dash_clears_a_text_field() -> None:
    assert fields.parse_languages(" - ") == ()
    assert fields.parse_affiliation("-") is None
    assert fields.parse_region("-") is None
    assert fields.parse_timezone_name("-") is None


def test_affiliation_and_region_limits() -> None:
    assert fields.parse_affiliation("  Wikimedia Ghana UG ") == "Wikimedia Ghana UG"
    assert fields.parse_affiliation("a" * 100) == "a" * 100
    with pytest.raises(UserError, match="Affiliation is 101 characters; the limit is 100"):
        fields.parse_affiliation("a" * 101)
    with pytest.raises(UserError, match="Region is 61 characters; the limit is 60"):
        fields.parse_region("r" * 61)


def test_timezone_names_are_checked() -> None:
    assert fields.parse_timezone_name(" Europe/Berlin ") == "Europe/Berlin"
    with pytest.raises(UserError, match="'Mars/Olympus' is not a known timezone"):
        fields.parse_timezone_name("Mars/Olympus")
    with pytest.raises(UserError, match="is not a timezone name"):
        fields.parse_timezone_name("../etc/passwd")


def test_timezone_suggestions_match_any_part_in_any_case() -> None:
    assert fields.timezone_suggestions("berlin")[0] == "Europe/Berlin"
    assert fields.timezone_suggestions("BERLIN")[0] == "Europe/Berlin"
    assert fields.timezone_suggestions("new york")[0] == "America/New_York"
    # The exact name first, then a place that is the word, then places starting with it.
    assert fields.timezone_suggestions("utc")[0] == "UTC"
    assert fields.timezone_suggestions("acc")[0] == "Africa/Accra"
    assert len(fields.timezone_suggestions("a")) == 25
    assert fields.timezone_suggestions("no such place") == []


def test_with_nothing_typed_the_given_defaults_are_offered_once() -> None:
    assert fields.timezone_suggestions("  ", first=["Africa/Accra", "UTC", "Africa/Accra", ""]) == [
        "Africa/Accra",
        "UTC",
    ]


def test_local_time_shows_the_wall_clock_and_offset() -> None:
    assert local_time(ZoneInfo("Asia/Kolkata"), FRIDAY_NOON_UTC) == "17:30 (Fri, UTC+05:30)"
    assert local_time(ZoneInfo("America/Los_Angeles"), FRIDAY_NOON_UTC) == "04:00 (Fri, UTC-08:00)"
    assert local_time(ZoneInfo("Pacific/Kiritimati"), FRIDAY_NOON_UTC) == "02:00 (Sat, UTC+14:00)"


def test_partnership_counts_text() -> None:
    assert partnerships_text(MemberCounts(0, 0)) == "none"
    assert partnerships_text(MemberCounts(2, 1)) == "owns 2 · co-owns 1"


def test_public_view_applies_the_share_flags() -> None:
    profile = Profile(
        guild_id=1,
        user_id=2,
        timezone="Africa/Accra",
        affiliation="Wikimedia Ghana",
        region="West Africa",
        languages=("English", "Twi"),
        checkin_hour=9,
        share_affiliation=False,
        share_region=True,
        share_languages=False,
    )
    assert profile.public_view() == PublicProfile(
        user_id=2, timezone="Africa/Accra", affiliation=None, region="West Africa", languages=()
    )
    assert profile.zone_or(ZoneInfo("UTC")) == ZoneInfo("Africa/Accra")
    assert Profile(guild_id=1, user_id=2).zone_or(ZoneInfo("Europe/Paris")) == ZoneInfo("Europe/Paris")


def test_export_document_has_a_fixed_key_order_and_iso_dates() -> None:
    profile = Profile(
        guild_id=1,
        user_id=2,
        languages=("English",),
        updated_at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
    )
    document = export_document(
        guild_id=1,
        user_id=2,
        exported_at=datetime(2026, 11, 21, 8, 30, tzinfo=UTC),
        profile=profile,
        partnerships=[],
        authored=[],
    )
    parsed = json.loads(to_json(document))
    assert list(parsed) == EXPORT_KEYS
    assert parsed["exported_at"] == "2026-11-21T08:30:00+00:00"
    assert parsed["profile"]["updated_at"] == "2026-11-20T12:00:00+00:00"
    assert parsed["profile"]["languages"] == ["English"]
    assert to_json(document) == to_json(document)
    with pytest.raises(TypeError, match="can't export set"):
        to_json({"odd": {1}})
    assert json.loads(to_json({"day": date(2027, 2, 28)})) == {"day": "2027-02-28"}


def test_forget_summary_lines_name_each_change_in_step_order() -> None:
    result = Forgotten({"profile": 1, "orphaned": 2, "co_owned": 0, "timeline_authored": 1})
    assert result.lines() == [
        "**1** profile: deleted (timezone, affiliation, region, languages, check-in hour)",
        "**2** partnerships you own: orphaned, for a coordinator to reassign",
        "**1** timeline entry you wrote: kept, without your name",
    ]
    assert not result.nothing
    assert Forgotten({"profile": 0, "orphaned": 0}).nothing
