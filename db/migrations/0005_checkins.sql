-- Check-ins: scheduled prompts that keep each partnership record current, and the weekly
-- coordinators' digest. Moments are ISO 8601 UTC text (core.clock.to_storage).
--
-- The database drives delivery: partnerships.next_checkin_at says when the next prompt is due;
-- the scheduler's tick claims due prompts by inserting a `checkins` row (UNIQUE per due moment,
-- so a prompt is claimed once) and moving next_checkin_at on to the next slot after now (so
-- downtime yields one late prompt, not one per missed period); then it sends every claimed row.

ALTER TABLE partnerships ADD COLUMN next_checkin_at TEXT;  -- NULL: nothing scheduled
CREATE INDEX partnerships_next_checkin ON partnerships (next_checkin_at)
    WHERE next_checkin_at IS NOT NULL;

-- Why the next prompt is due; and "Snooze a week", kept here so that any reschedule honours it.
ALTER TABLE partnerships ADD COLUMN next_checkin_reason TEXT
    CHECK (next_checkin_reason IN ('cadence', 'follow_up', 'snooze'));
ALTER TABLE partnerships ADD COLUMN checkin_snoozed_until TEXT;

-- A member's holiday for all their partnerships. NULL: not paused; a far-future moment
-- ('9999-12-31T00:00:00+00:00') means "until /checkin resume".
ALTER TABLE profiles ADD COLUMN checkins_paused_until TEXT;

CREATE TABLE checkins (
    id             INTEGER PRIMARY KEY,   -- in the buttons' custom_id
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    guild_id       INTEGER NOT NULL,
    recipient_id   INTEGER,               -- the owner prompted; NULL once they were forgotten
    reason         TEXT NOT NULL CHECK (reason IN ('cadence', 'follow_up', 'snooze', 'manual')),
    due_at         TEXT NOT NULL,
    claimed_at     TEXT NOT NULL,
    late           INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),  -- sent after downtime
    state          TEXT NOT NULL CHECK (state IN (
                       'claimed',        -- claimed, not yet delivered (retried every tick)
                       'sent',           -- waiting for an answer
                       'answered', 'snoozed', 'dismissed', 'missed')),
    send_attempts  INTEGER NOT NULL DEFAULT 0,
    sent_at        TEXT,
    delivery       TEXT CHECK (delivery IN ('dm', 'thread')),
    channel_id     INTEGER,               -- the DM channel, or the private thread
    message_id     INTEGER,
    reminded_at    TEXT,
    closed_at      TEXT,                  -- answered, snoozed, dismissed or missed
    answered_by    INTEGER,
    health         TEXT CHECK (health IN ('on_track', 'needs_attention', 'stalled')),
    note           TEXT,                  -- private to owners and coordinators: never logged
    next_step      TEXT,
    UNIQUE (partnership_id, due_at)
);
CREATE INDEX checkins_state ON checkins (state, claimed_at);          -- to send, remind, miss
CREATE INDEX checkins_partnership ON checkins (partnership_id, due_at); -- history, "twice in a row"
CREATE INDEX checkins_guild_state ON checkins (guild_id, state, due_at); -- the digest
CREATE INDEX checkins_recipient ON checkins (recipient_id);
CREATE INDEX checkins_answered_by ON checkins (answered_by);

-- Progress reported on each target in an answer (the target's `current` is updated too).
CREATE TABLE checkin_targets (
    checkin_id INTEGER NOT NULL REFERENCES checkins (id) ON DELETE CASCADE,
    metric     TEXT NOT NULL,
    current    REAL NOT NULL CHECK (current >= 0),
    PRIMARY KEY (checkin_id, metric)
);

-- One digest per guild per week: claimed (inserted) before it is sent, so never twice.
CREATE TABLE digests (
    guild_id   INTEGER NOT NULL,
    week_of    TEXT NOT NULL,             -- the local date of the digest's slot (YYYY-MM-DD)
    claimed_at TEXT NOT NULL,
    sent_at    TEXT,
    channel_id INTEGER,
    message_id INTEGER,
    PRIMARY KEY (guild_id, week_of)
);

-- The weekly digest's reads (db/digest.py): partnerships by latest health and by next follow-up.
CREATE INDEX partnerships_guild_health ON partnerships (guild_id, health) WHERE health IS NOT NULL;
CREATE INDEX partnerships_guild_follow_up ON partnerships (guild_id, next_follow_up)
    WHERE next_follow_up IS NOT NULL;
