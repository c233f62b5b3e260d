-- Members who left a server (issue 8): written when Discord says someone left, removed when they
-- come back, and reconciled against the member list when the bot connects (people may leave while
-- it is offline). Counts of present members leave these out instead of asking Discord per member.
CREATE TABLE member_departures (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    left_at  TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- The declarations of members who left, per server and area, kept in step by triggers:
-- /expertise areas takes them from expertise_tallies, so it counts present members without reading
-- who left. Nobody has left yet when this runs, so there is nothing to fill in.
CREATE TABLE departed_expertise_tallies (
    guild_id INTEGER NOT NULL,
    area     TEXT NOT NULL,
    members  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, area)
) WITHOUT ROWID;

CREATE TRIGGER departed_expertise_tallies_left AFTER INSERT ON member_departures BEGIN
    INSERT INTO departed_expertise_tallies (guild_id, area, members)
    SELECT guild_id, area, 1 FROM member_expertise WHERE guild_id = new.guild_id AND user_id = new.user_id
    ON CONFLICT DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER departed_expertise_tallies_returned AFTER DELETE ON member_departures BEGIN
    UPDATE departed_expertise_tallies SET members = members - 1
     WHERE guild_id = old.guild_id
       AND area IN (SELECT area FROM member_expertise WHERE guild_id = old.guild_id AND user_id = old.user_id);
END;

-- A departed member's declarations change only through /profile forget or an import, but the tally
-- must follow them whatever the path.
CREATE TRIGGER departed_expertise_tallies_declared AFTER INSERT ON member_expertise
WHEN EXISTS (SELECT 1 FROM member_departures WHERE guild_id = new.guild_id AND user_id = new.user_id)
BEGIN
    INSERT INTO departed_expertise_tallies (guild_id, area, members) VALUES (new.guild_id, new.area, 1)
    ON CONFLICT DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER departed_expertise_tallies_withdrawn AFTER DELETE ON member_expertise
WHEN EXISTS (SELECT 1 FROM member_departures WHERE guild_id = old.guild_id AND user_id = old.user_id)
BEGIN
    UPDATE departed_expertise_tallies SET members = members - 1
     WHERE guild_id = old.guild_id AND area = old.area;
END;

CREATE TRIGGER departed_expertise_tallies_moved AFTER UPDATE OF guild_id, user_id, area ON member_expertise
WHEN old.guild_id IS NOT new.guild_id OR old.user_id IS NOT new.user_id OR old.area IS NOT new.area
BEGIN
    UPDATE departed_expertise_tallies SET members = members - 1
     WHERE guild_id = old.guild_id AND area = old.area
       AND EXISTS (SELECT 1 FROM member_departures WHERE guild_id = old.guild_id AND user_id = old.user_id);
    INSERT INTO departed_expertise_tallies (guild_id, area, members)
    SELECT new.guild_id, new.area, 1
     WHERE EXISTS (SELECT 1 FROM member_departures WHERE guild_id = new.guild_id AND user_id = new.user_id)
    ON CONFLICT DO UPDATE SET members = members + 1;
END;

-- The clinics' idle steps (issue 8): every entry in these indexes is a clinic whose step may be due,
-- so a tick reads the few it handles, oldest first, instead of skipping those already handled.
-- Open clinics not yet asked whether to stay open this quiet period (the question, by quiet time).
CREATE INDEX clinics_idle_unasked ON clinics (status, last_activity_at)
 WHERE status = 'open' AND (keep_open_asked_at IS NULL OR keep_open_asked_at <= last_activity_at);
-- Open clinics whose experts were not suggested again yet (the re-suggestion, by helpers' silence).
CREATE INDEX clinics_idle_unresuggested ON clinics (status, helpers_quiet_since, last_activity_at)
 WHERE status = 'open' AND experts_resuggested_at IS NULL;
