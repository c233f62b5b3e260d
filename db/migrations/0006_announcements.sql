-- Coordinator announcements: posted now, at a moment, or repeating weekly or monthly.
-- Moments are ISO 8601 UTC text (core.clock.to_storage), so text order is time order.
--
-- The database drives posting. due_at is the next moment to post. The scheduler's tick claims a
-- due row (compare-and-set scheduled -> posting, stamping its claim_token) before it posts, so a
-- row is posted once even if ticks overlap. A row left in 'posting' by a bot that stopped
-- mid-post (another claim_token) is claimed again and, before posting, the channel's recent
-- messages are searched for the post that may have gone out already. After downtime an overdue
-- row is posted once, late; a repeating one then moves to its first slot after now.

CREATE TABLE announcements (
    id           INTEGER PRIMARY KEY,
    guild_id     INTEGER NOT NULL,
    author_id    INTEGER,               -- the coordinator; NULL once they asked to be forgotten
    channel_id   INTEGER NOT NULL,
    role_id      INTEGER,               -- the one role pinged, if any
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    due_at       TEXT NOT NULL,         -- the next (or last) slot to post
    repeat       TEXT NOT NULL CHECK (repeat IN ('none', 'weekly', 'monthly')),
    -- The series' anchor: the first slot as local wall time in this IANA zone ('YYYY-MM-DDTHH:MM'),
    -- from which every later slot is computed, so 18:00 local stays 18:00 across DST changes.
    timezone     TEXT NOT NULL,
    anchor_local TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('scheduled', 'posting', 'posted', 'cancelled', 'failed')),
    claim_token  TEXT,                  -- which running bot claimed it (a fresh token per start)
    claimed_at   TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,  -- claims of the current slot; reset when it is posted
    message_id   INTEGER,               -- the last message posted
    posted_at    TEXT,
    post_count   INTEGER NOT NULL DEFAULT 0,
    note         TEXT,                  -- about the last post, e.g. publishing to followers skipped
    failure      TEXT,                  -- why it failed, shown in /announce list
    cancelled_by INTEGER,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- Due work: scheduled rows by due moment, and rows left mid-post.
CREATE INDEX announcements_due ON announcements (state, due_at);
-- /announce list and cancel's autocomplete: upcoming by due moment; recent by last change.
CREATE INDEX announcements_guild_due ON announcements (guild_id, state, due_at);
CREATE INDEX announcements_guild_updated ON announcements (guild_id, updated_at);
-- /profile forget.
CREATE INDEX announcements_author ON announcements (author_id);
CREATE INDEX announcements_cancelled_by ON announcements (cancelled_by);
