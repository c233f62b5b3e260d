-- The partnership registry, member profiles and the area taxonomy.
-- Dates (start, end, follow-up) are ISO dates; moments are ISO 8601 UTC text (core.clock.to_storage).

CREATE TABLE areas (
    slug     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    synonyms TEXT NOT NULL DEFAULT ''  -- '|'-separated, lowercase; for matching and search
);

CREATE TABLE profiles (
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    timezone          TEXT,
    affiliation       TEXT,
    region            TEXT,
    languages         TEXT,             -- comma-separated, as the member wrote them
    checkin_hour      INTEGER CHECK (checkin_hour BETWEEN 0 AND 23),
    share_affiliation INTEGER NOT NULL DEFAULT 1,
    share_region      INTEGER NOT NULL DEFAULT 1,
    share_languages   INTEGER NOT NULL DEFAULT 1,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE partnerships (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    partner_name    TEXT NOT NULL,
    partner_type    TEXT NOT NULL CHECK (partner_type IN (
                        'museum', 'library', 'archive', 'gallery', 'university', 'school', 'igo',
                        'government', 'ngo', 'affiliate', 'funder', 'company', 'other')),
    goals           TEXT NOT NULL,      -- comma-separated subset of content,funding,advocacy
    structure       TEXT NOT NULL CHECK (structure IN ('simple', 'complex')),
    scope           TEXT NOT NULL CHECK (scope IN ('internal', 'external')),
    stage           TEXT NOT NULL CHECK (stage IN (
                        'prospect', 'contacting', 'negotiating', 'active', 'on_hold', 'concluded')),
    visibility      TEXT NOT NULL CHECK (visibility IN ('public', 'confidential')),
    owner_id        INTEGER,            -- NULL: orphaned, waiting for a coordinator to reassign
    region          TEXT,
    projects        TEXT NOT NULL DEFAULT '',  -- comma-separated Wikimedia projects
    description     TEXT NOT NULL DEFAULT '',
    meta_url        TEXT,
    agreement_url   TEXT,
    start_date      TEXT,
    end_date        TEXT,
    next_follow_up  TEXT,
    cadence         TEXT NOT NULL CHECK (cadence IN ('off', 'weekly', 'fortnightly', 'monthly', 'quarterly')),
    health          TEXT CHECK (health IN ('on_track', 'needs_attention', 'stalled')),
    last_checkin_at TEXT,
    outcome         TEXT,
    lessons         TEXT,
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE UNIQUE INDEX partnerships_owner_partner ON partnerships (guild_id, owner_id, partner_name COLLATE NOCASE);
CREATE INDEX partnerships_guild_stage ON partnerships (guild_id, stage);
CREATE INDEX partnerships_guild_type ON partnerships (guild_id, partner_type);
CREATE INDEX partnerships_owner ON partnerships (owner_id);

CREATE TABLE partnership_co_owners (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, user_id)
);
CREATE INDEX co_owners_user ON partnership_co_owners (user_id);

CREATE TABLE partnership_areas (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    area           TEXT NOT NULL,      -- a taxonomy slug, or a free tag (lowercase)
    PRIMARY KEY (partnership_id, area)
);
CREATE INDEX partnership_areas_area ON partnership_areas (area);

CREATE TABLE partnership_targets (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    metric         TEXT NOT NULL,
    target         REAL NOT NULL CHECK (target > 0),
    current        REAL NOT NULL DEFAULT 0 CHECK (current >= 0),
    unit           TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (partnership_id, metric)
);

CREATE TABLE partnership_agreement (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    item           TEXT NOT NULL CHECK (item IN ('roles', 'decisions', 'communication', 'money', 'ip', 'exit')),
    done           INTEGER NOT NULL DEFAULT 0,
    note           TEXT,
    updated_by     INTEGER,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (partnership_id, item)
);

CREATE TABLE partnership_timeline (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN (
                       'created', 'edited', 'stage', 'interaction', 'target', 'agreement',
                       'ownership', 'co_owner', 'checkin', 'closed', 'imported')),
    author_id      INTEGER,            -- NULL once the author asked to be forgotten
    at             TEXT NOT NULL,
    summary        TEXT NOT NULL,
    note           TEXT
);
CREATE INDEX timeline_partnership_at ON partnership_timeline (partnership_id, at);
CREATE INDEX timeline_author ON partnership_timeline (author_id);

-- Full-text search over each partnership's words: rowid = partnerships.id.
-- Kept in step by db/partnerships.py on every write (one transaction with the write).
CREATE VIRTUAL TABLE partnerships_fts USING fts5 (
    name, partner_name, description, areas, notes, lessons,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
