"""The /profile export document: everything the bot holds about one member in one guild. Discord-free.

Keys come in a fixed order (written, not sorted, so the document reads top-down); dates and
moments are ISO 8601, moments in UTC.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from core.clock import to_storage
from db.partnerships import AuthoredEntry, PartnershipDetail
from db.profiles import Profile


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return to_storage(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"can't export {type(value).__name__}")


def _partnership(detail: PartnershipDetail, member_id: int) -> dict[str, Any]:
    record = detail.partnership
    return {
        "role": "owner" if record.owner_id == member_id else "co-owner",
        **asdict(record),
        "targets": [asdict(target) for target in detail.targets],
        "agreement": [asdict(state) for state in detail.agreement],
    }


def _entry(authored: AuthoredEntry) -> dict[str, Any]:
    entry = authored.entry
    return {
        "partnership_id": authored.partnership_id,
        "partnership_name": authored.partnership_name,
        "at": entry.at,
        "kind": entry.kind,
        "summary": entry.summary,
        "note": entry.note,
    }


def export_document(
    *,
    guild_id: int,
    user_id: int,
    exported_at: datetime,
    profile: Profile | None,
    partnerships: list[PartnershipDetail],
    authored: list[AuthoredEntry],
) -> dict[str, Any]:
    return {
        "about": "Everything Partnerships Bot holds about you in this server.",
        "guild_id": guild_id,
        "user_id": user_id,
        "exported_at": exported_at,
        "profile": asdict(profile) if profile else None,
        "partnerships": [_partnership(detail, user_id) for detail in partnerships],
        "timeline_entries": [_entry(authored_entry) for authored_entry in authored],
    }


def to_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, default=_iso, ensure_ascii=False, indent=2).encode()
