-- Fast answers at the movement's size (issue 8): indexes for the hot reads, and derived tables
-- that triggers keep in step, so no write path has to change and none can forget them.

-- /partnership list: the newest changes first, read in index order and stopped after one page,
-- unfiltered or filtered by type or stage.
CREATE INDEX partnerships_guild_updated ON partnerships (guild_id, updated_at);
CREATE INDEX partnerships_guild_type_updated ON partnerships (guild_id, partner_type, updated_at);
CREATE INDEX partnerships_guild_stage_updated ON partnerships (guild_id, stage, updated_at);

-- How many partnerships each server has, per area tag ('' = all of them), type, stage and
-- visibility: /partnership list's total and /expertise areas' counts, without counting rows.
CREATE TABLE partnership_tallies (
    guild_id     INTEGER NOT NULL,
    area         TEXT NOT NULL,
    partner_type TEXT NOT NULL,
    stage        TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    total        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, area, partner_type, stage, visibility)
) WITHOUT ROWID;

INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
SELECT guild_id, '', partner_type, stage, visibility, count(*) FROM partnerships
 GROUP BY guild_id, partner_type, stage, visibility;
INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
SELECT p.guild_id, a.area, p.partner_type, p.stage, p.visibility, count(*)
  FROM partnership_areas a JOIN partnerships p ON p.id = a.partnership_id
 GROUP BY p.guild_id, a.area, p.partner_type, p.stage, p.visibility;

CREATE TRIGGER partnership_tallies_insert AFTER INSERT ON partnerships BEGIN
    INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
    VALUES (new.guild_id, '', new.partner_type, new.stage, new.visibility, 1)
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

-- Before the row goes, while its areas are still there: the cascade that deletes them then finds
-- no partnership to count them against (partnership_area_tallies_delete).
CREATE TRIGGER partnership_tallies_delete BEFORE DELETE ON partnerships BEGIN
    UPDATE partnership_tallies SET total = total - 1
     WHERE guild_id = old.guild_id AND partner_type = old.partner_type AND stage = old.stage
       AND visibility = old.visibility
       AND area IN (SELECT '' UNION ALL SELECT area FROM partnership_areas WHERE partnership_id = old.id);
END;

CREATE TRIGGER partnership_tallies_update AFTER UPDATE OF guild_id, partner_type, stage, visibility
ON partnerships
WHEN old.guild_id IS NOT new.guild_id OR old.partner_type IS NOT new.partner_type
  OR old.stage IS NOT new.stage OR old.visibility IS NOT new.visibility
BEGIN
    UPDATE partnership_tallies SET total = total - 1
     WHERE guild_id = old.guild_id AND partner_type = old.partner_type AND stage = old.stage
       AND visibility = old.visibility
       AND area IN (SELECT '' UNION ALL SELECT area FROM partnership_areas WHERE partnership_id = old.id);
    INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
    SELECT new.guild_id, tags.area, new.partner_type, new.stage, new.visibility, 1
      FROM (SELECT '' AS area UNION ALL SELECT area FROM partnership_areas WHERE partnership_id = new.id) AS tags
     WHERE true
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER partnership_area_tallies_insert AFTER INSERT ON partnership_areas BEGIN
    INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
    SELECT guild_id, new.area, partner_type, stage, visibility, 1 FROM partnerships WHERE id = new.partnership_id
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER partnership_area_tallies_delete AFTER DELETE ON partnership_areas BEGIN
    UPDATE partnership_tallies SET total = total - 1
     WHERE (guild_id, area, partner_type, stage, visibility) IN (
           SELECT guild_id, old.area, partner_type, stage, visibility FROM partnerships
            WHERE id = old.partnership_id);
END;

CREATE TRIGGER partnership_area_tallies_update AFTER UPDATE ON partnership_areas BEGIN
    UPDATE partnership_tallies SET total = total - 1
     WHERE (guild_id, area, partner_type, stage, visibility) IN (
           SELECT guild_id, old.area, partner_type, stage, visibility FROM partnerships
            WHERE id = old.partnership_id);
    INSERT INTO partnership_tallies (guild_id, area, partner_type, stage, visibility, total)
    SELECT guild_id, new.area, partner_type, stage, visibility, 1 FROM partnerships WHERE id = new.partnership_id
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

-- Names, partners and regions by any part of a word (autocomplete, the list's region filter):
-- trigrams, so "seo" finds "Museo"; the words themselves stay in partnerships (external content).
CREATE VIRTUAL TABLE partnership_names USING fts5 (
    name, partner_name, region,
    content = 'partnerships', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO partnership_names (partnership_names) VALUES ('rebuild');

CREATE TRIGGER partnership_names_insert AFTER INSERT ON partnerships BEGIN
    INSERT INTO partnership_names (rowid, name, partner_name, region)
    VALUES (new.id, new.name, new.partner_name, new.region);
END;

CREATE TRIGGER partnership_names_delete AFTER DELETE ON partnerships BEGIN
    INSERT INTO partnership_names (partnership_names, rowid, name, partner_name, region)
    VALUES ('delete', old.id, old.name, old.partner_name, old.region);
END;

CREATE TRIGGER partnership_names_update AFTER UPDATE OF name, partner_name, region ON partnerships BEGIN
    INSERT INTO partnership_names (partnership_names, rowid, name, partner_name, region)
    VALUES ('delete', old.id, old.name, old.partner_name, old.region);
    INSERT INTO partnership_names (rowid, name, partner_name, region)
    VALUES (new.id, new.name, new.partner_name, new.region);
END;

-- Search: every word is a prefix ("digitis" finds "digitisation"), and a short one ("in", "a")
-- would merge thousands of words' lists at every query. Prefix indexes of one to three letters
-- answer those directly; the tables are rebuilt with them (same columns, same words).
CREATE VIRTUAL TABLE partnerships_fts_prefixed USING fts5 (
    name, partner_name, description, areas, notes, lessons,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '1 2 3'
);
INSERT INTO partnerships_fts_prefixed (rowid, name, partner_name, description, areas, notes, lessons)
SELECT rowid, name, partner_name, description, areas, notes, lessons FROM partnerships_fts;
DROP TABLE partnerships_fts;
ALTER TABLE partnerships_fts_prefixed RENAME TO partnerships_fts;
-- One segment to start from, so the first edits don't pay for merging what the copy left behind.
INSERT INTO partnerships_fts (partnerships_fts) VALUES ('optimize');

CREATE VIRTUAL TABLE clinics_fts_prefixed USING fts5 (
    topic, intake, lesson, tags,
    tokenize = 'porter unicode61 remove_diacritics 2', prefix = '1 2 3'
);
INSERT INTO clinics_fts_prefixed (rowid, topic, intake, lesson, tags)
SELECT rowid, topic, intake, lesson, tags FROM clinics_fts;
DROP TABLE clinics_fts;
ALTER TABLE clinics_fts_prefixed RENAME TO clinics_fts;
INSERT INTO clinics_fts (clinics_fts) VALUES ('optimize');

-- Clinic credits per helper and clinic area, for /expertise who's "credited in N clinics" (one
-- lookup per person instead of reading every credit and its clinic). A helper's row goes with
-- their last credit, so /profile forget leaves nothing of them here.
CREATE TABLE clinic_credit_tallies (
    guild_id  INTEGER NOT NULL,
    helper_id INTEGER NOT NULL,
    area      TEXT NOT NULL,
    credits   INTEGER NOT NULL,
    PRIMARY KEY (guild_id, helper_id, area)
) WITHOUT ROWID;

INSERT INTO clinic_credit_tallies (guild_id, helper_id, area, credits)
SELECT cc.guild_id, cc.helper_id, c.area, count(*)
  FROM clinic_credits cc JOIN clinics c ON c.id = cc.clinic_id
 GROUP BY cc.guild_id, cc.helper_id, c.area;

CREATE TRIGGER clinic_credit_tallies_insert AFTER INSERT ON clinic_credits BEGIN
    INSERT INTO clinic_credit_tallies (guild_id, helper_id, area, credits)
    SELECT new.guild_id, new.helper_id, area, 1 FROM clinics WHERE id = new.clinic_id
    ON CONFLICT DO UPDATE SET credits = credits + 1;
END;

CREATE TRIGGER clinic_credit_tallies_delete AFTER DELETE ON clinic_credits BEGIN
    UPDATE clinic_credit_tallies SET credits = credits - 1
     WHERE guild_id = old.guild_id AND helper_id = old.helper_id
       AND area = (SELECT area FROM clinics WHERE id = old.clinic_id);
    DELETE FROM clinic_credit_tallies
     WHERE guild_id = old.guild_id AND helper_id = old.helper_id AND credits <= 0;
END;

-- A clinic moved to another area takes its credits along (a deleted clinic's credits go by cascade,
-- which fires clinic_credit_tallies_delete while the clinic is still readable: BEFORE below).
CREATE TRIGGER clinic_credit_tallies_area AFTER UPDATE OF area ON clinics WHEN old.area IS NOT new.area BEGIN
    UPDATE clinic_credit_tallies SET credits = credits - (
           SELECT count(*) FROM clinic_credits cc
            WHERE cc.clinic_id = new.id AND cc.helper_id = clinic_credit_tallies.helper_id)
     WHERE guild_id = new.guild_id AND area = old.area
       AND helper_id IN (SELECT helper_id FROM clinic_credits WHERE clinic_id = new.id);
    DELETE FROM clinic_credit_tallies WHERE guild_id = new.guild_id AND area = old.area AND credits <= 0;
    INSERT INTO clinic_credit_tallies (guild_id, helper_id, area, credits)
    SELECT guild_id, helper_id, new.area, 1 FROM clinic_credits WHERE clinic_id = new.id
    ON CONFLICT DO UPDATE SET credits = credits + 1;
END;

CREATE TRIGGER clinic_credit_tallies_clinic_delete BEFORE DELETE ON clinics BEGIN
    DELETE FROM clinic_credits WHERE clinic_id = old.id;
END;

-- /expertise areas: open clinics per area, read from the index alone.
CREATE INDEX clinics_guild_status_area ON clinics (guild_id, status, area);

-- /profile forget: the member's rows among the registry's and the clinics' (their other user
-- columns have indexes already).
CREATE INDEX partnerships_created_by ON partnerships (created_by, guild_id);
CREATE INDEX clinics_resolved_by ON clinics (resolved_by, guild_id);
CREATE INDEX partnership_agreement_updated_by ON partnership_agreement (updated_by);

-- /expertise who: an area's most recently updated declarations first (each way of matching reads
-- a bounded number of records, db/expertise_evidence.py).
CREATE INDEX member_expertise_area_recent ON member_expertise (guild_id, area, updated_at);

-- How many clinics each server has per status and area: /clinic list's total without counting rows.
CREATE TABLE clinic_tallies (
    guild_id INTEGER NOT NULL,
    status   TEXT NOT NULL,
    area     TEXT NOT NULL,
    total    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, status, area)
) WITHOUT ROWID;

INSERT INTO clinic_tallies (guild_id, status, area, total)
SELECT guild_id, status, area, count(*) FROM clinics GROUP BY guild_id, status, area;

CREATE TRIGGER clinic_tallies_insert AFTER INSERT ON clinics BEGIN
    INSERT INTO clinic_tallies (guild_id, status, area, total) VALUES (new.guild_id, new.status, new.area, 1)
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

CREATE TRIGGER clinic_tallies_delete AFTER DELETE ON clinics BEGIN
    UPDATE clinic_tallies SET total = total - 1
     WHERE guild_id = old.guild_id AND status = old.status AND area = old.area;
END;

CREATE TRIGGER clinic_tallies_update AFTER UPDATE OF guild_id, status, area ON clinics
WHEN old.guild_id IS NOT new.guild_id OR old.status IS NOT new.status OR old.area IS NOT new.area
BEGIN
    UPDATE clinic_tallies SET total = total - 1
     WHERE guild_id = old.guild_id AND status = old.status AND area = old.area;
    INSERT INTO clinic_tallies (guild_id, status, area, total) VALUES (new.guild_id, new.status, new.area, 1)
    ON CONFLICT DO UPDATE SET total = total + 1;
END;

-- How many members declared each area, per server: /expertise areas without counting declarations.
CREATE TABLE expertise_tallies (
    guild_id INTEGER NOT NULL,
    area     TEXT NOT NULL,
    members  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, area)
) WITHOUT ROWID;

INSERT INTO expertise_tallies (guild_id, area, members)
SELECT guild_id, area, count(*) FROM member_expertise GROUP BY guild_id, area;

CREATE TRIGGER expertise_tallies_insert AFTER INSERT ON member_expertise BEGIN
    INSERT INTO expertise_tallies (guild_id, area, members) VALUES (new.guild_id, new.area, 1)
    ON CONFLICT DO UPDATE SET members = members + 1;
END;

CREATE TRIGGER expertise_tallies_delete AFTER DELETE ON member_expertise BEGIN
    UPDATE expertise_tallies SET members = members - 1 WHERE guild_id = old.guild_id AND area = old.area;
    DELETE FROM expertise_tallies WHERE guild_id = old.guild_id AND area = old.area AND members <= 0;
END;

CREATE TRIGGER expertise_tallies_update AFTER UPDATE OF guild_id, area ON member_expertise
WHEN old.guild_id IS NOT new.guild_id OR old.area IS NOT new.area
BEGIN
    UPDATE expertise_tallies SET members = members - 1 WHERE guild_id = old.guild_id AND area = old.area;
    DELETE FROM expertise_tallies WHERE guild_id = old.guild_id AND area = old.area AND members <= 0;
    INSERT INTO expertise_tallies (guild_id, area, members) VALUES (new.guild_id, new.area, 1)
    ON CONFLICT DO UPDATE SET members = members + 1;
END;
