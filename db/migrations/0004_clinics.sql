-- Partnership clinics: a member's problem in a forum post or thread, the experts pinged for it,
-- the helpers credited, and the lesson kept once it is resolved.
-- Moments are ISO 8601 UTC text (core.clock.to_storage), so text order is time order.

CREATE TABLE clinics (
    id                     INTEGER PRIMARY KEY,
    guild_id               INTEGER NOT NULL,
    channel_id             INTEGER NOT NULL,         -- the clinics forum or text channel
    thread_id              INTEGER NOT NULL UNIQUE,  -- the post (forum) or thread (text channel)
    intake_message_id      INTEGER,
    asker_id               INTEGER,                  -- NULL once the asker asked to be forgotten
    topic                  TEXT NOT NULL,
    area                   TEXT NOT NULL,            -- a taxonomy slug
    partnership_id         INTEGER REFERENCES partnerships (id) ON DELETE SET NULL,
    situation              TEXT NOT NULL,
    tried                  TEXT NOT NULL DEFAULT '',
    help_needed            TEXT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dormant')),
    lesson                 TEXT,
    lesson_tags            TEXT NOT NULL DEFAULT '',  -- comma-separated
    created_at             TEXT NOT NULL,
    -- Idle handling. last_activity_at: the last message by a person (the asker included);
    -- helpers_quiet_since: since when nobody but the asker has written (opening, or the last
    -- helper message). A stage marker set in an open period means that step was done.
    last_activity_at       TEXT NOT NULL,
    helpers_quiet_since    TEXT NOT NULL,
    experts_resuggested_at TEXT,
    keep_open_asked_at     TEXT,
    resolved_at            TEXT,
    resolved_by            INTEGER,
    dormant_at             TEXT,
    thread_deleted         INTEGER NOT NULL DEFAULT 0 CHECK (thread_deleted IN (0, 1))
);
-- Due work: "open and quiet since" for the 7/14-day steps, and the one-off re-suggestion.
CREATE INDEX clinics_idle ON clinics (status, last_activity_at);
CREATE INDEX clinics_helpers_quiet ON clinics (status, helpers_quiet_since)
    WHERE experts_resuggested_at IS NULL;
-- /clinic list: newest first, optionally by status or area.
CREATE INDEX clinics_guild_created ON clinics (guild_id, created_at);
CREATE INDEX clinics_guild_status ON clinics (guild_id, status, created_at);
CREATE INDEX clinics_guild_area ON clinics (guild_id, area, created_at);
CREATE INDEX clinics_asker ON clinics (asker_id);

-- "This helped": one credit per helper per clinic; feeds /expertise who.
CREATE TABLE clinic_credits (
    clinic_id   INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    guild_id    INTEGER NOT NULL,
    helper_id   INTEGER NOT NULL,
    credited_by INTEGER,                 -- NULL once the member who credited was forgotten
    at          TEXT NOT NULL,
    PRIMARY KEY (clinic_id, helper_id)
);
CREATE INDEX clinic_credits_helper ON clinic_credits (guild_id, helper_id);
CREATE INDEX clinic_credits_by ON clinic_credits (credited_by);

-- Every ping a clinic sent to an expert, for the weekly cap.
CREATE TABLE clinic_pings (
    id        INTEGER PRIMARY KEY,
    clinic_id INTEGER NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX clinic_pings_user_at ON clinic_pings (guild_id, user_id, at);
CREATE INDEX clinic_pings_clinic ON clinic_pings (clinic_id);

-- Lessons of resolved clinics (rowid = clinics.id); only resolved clinics have a row.
-- Kept in step by db/clinics.py in the same transaction as the status change.
CREATE VIRTUAL TABLE clinics_fts USING fts5 (
    topic, intake, lesson, tags,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
