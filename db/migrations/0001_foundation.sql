-- Per-guild configuration set with /setup.
CREATE TABLE guild_channels (
    guild_id   INTEGER NOT NULL,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('clinics', 'checkins', 'announcements', 'digest')),
    channel_id INTEGER NOT NULL,
    set_by     INTEGER NOT NULL,
    set_at     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, purpose)
);

CREATE TABLE coordinator_roles (
    guild_id INTEGER NOT NULL,
    role_id  INTEGER NOT NULL,
    set_by   INTEGER NOT NULL,
    set_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, role_id)
);
-- Small key/value facts about the bot itself (e.g. the digest of the last synced command tree).
CREATE TABLE app_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
