"""The partnership vocabulary from the seeds: types, goals, stages, cadences, the agreement checklist.

Shared by the registry, expertise, clinics and check-ins; each value has a stored form (the enum
value) and a label for people.
"""

from __future__ import annotations

from enum import StrEnum


class PartnerType(StrEnum):
    MUSEUM = "museum"
    LIBRARY = "library"
    ARCHIVE = "archive"
    GALLERY = "gallery"
    UNIVERSITY = "university"
    SCHOOL = "school"
    IGO = "igo"
    GOVERNMENT = "government"
    NGO = "ngo"
    AFFILIATE = "affiliate"
    FUNDER = "funder"
    COMPANY = "company"
    OTHER = "other"


PARTNER_TYPE_LABELS = {
    PartnerType.MUSEUM: "GLAM: museum",
    PartnerType.LIBRARY: "GLAM: library",
    PartnerType.ARCHIVE: "GLAM: archive",
    PartnerType.GALLERY: "GLAM: gallery",
    PartnerType.UNIVERSITY: "University / research",
    PartnerType.SCHOOL: "School / education",
    PartnerType.IGO: "IGO / INGO",
    PartnerType.GOVERNMENT: "Government / public body",
    PartnerType.NGO: "NGO / non-profit",
    PartnerType.AFFILIATE: "Wikimedia affiliate (internal)",
    PartnerType.FUNDER: "Funder",
    PartnerType.COMPANY: "Company",
    PartnerType.OTHER: "Other",
}
GLAM_TYPES = frozenset({PartnerType.MUSEUM, PartnerType.LIBRARY, PartnerType.ARCHIVE, PartnerType.GALLERY})


class Goal(StrEnum):
    CONTENT = "content"
    FUNDING = "funding"
    ADVOCACY = "advocacy"


GOAL_LABELS = {
    Goal.CONTENT: "Content",
    Goal.FUNDING: "Funding / resources",
    Goal.ADVOCACY: "Advocacy / outreach",
}


class Structure(StrEnum):
    SIMPLE = "simple"
    COMPLEX = "complex"


class Scope(StrEnum):
    INTERNAL = "internal"
    EXTERNAL = "external"


def scope_for(partner_type: PartnerType) -> Scope:
    """The mapping exercise's internal/external axis, derived from the type (overridable)."""
    return Scope.INTERNAL if partner_type is PartnerType.AFFILIATE else Scope.EXTERNAL


class Stage(StrEnum):
    PROSPECT = "prospect"
    CONTACTING = "contacting"
    NEGOTIATING = "negotiating"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CONCLUDED = "concluded"


STAGE_LABELS = {
    Stage.PROSPECT: "Prospect",
    Stage.CONTACTING: "Contacting",
    Stage.NEGOTIATING: "Negotiating",
    Stage.ACTIVE: "Active",
    Stage.ON_HOLD: "On hold",
    Stage.CONCLUDED: "Concluded",
}


class Visibility(StrEnum):
    PUBLIC = "public"
    CONFIDENTIAL = "confidential"


class Cadence(StrEnum):
    OFF = "off"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


def default_cadence(stage: Stage) -> Cadence:
    """Active partnerships are checked on monthly; earlier stages follow their follow-up dates."""
    return Cadence.MONTHLY if stage is Stage.ACTIVE else Cadence.OFF


class Health(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_ATTENTION = "needs_attention"
    STALLED = "stalled"


HEALTH_LABELS = {
    Health.ON_TRACK: "🟢 On track",
    Health.NEEDS_ATTENTION: "🟠 Needs attention",
    Health.STALLED: "🔴 Stalled",
}


class AgreementItem(StrEnum):
    ROLES = "roles"
    DECISIONS = "decisions"
    COMMUNICATION = "communication"
    MONEY = "money"
    IP = "ip"
    EXIT = "exit"


AGREEMENT_LABELS = {
    AgreementItem.ROLES: "Roles and responsibilities",
    AgreementItem.DECISIONS: "Who has decision authority",
    AgreementItem.COMMUNICATION: "Communication processes",
    AgreementItem.MONEY: "Who puts the money in",
    AgreementItem.IP: "Intellectual property / licensing",
    AgreementItem.EXIT: "Exit strategy",
}

WIKIMEDIA_PROJECTS = (
    "Wikipedia",
    "Commons",
    "Wikidata",
    "Wikisource",
    "Wiktionary",
    "Wikibooks",
    "Wikivoyage",
    "Wikiversity",
    "Wikiquote",
    "Wikinews",
    "Wikispecies",
    "Wikifunctions",
    "Abstract Wikipedia",
)
