-- The expertise directory: what members say they know, whether clinics may ping them, and the
-- search structures /expertise who needs to answer without scanning the big tables.

CREATE TABLE member_expertise (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    area       TEXT NOT NULL,      -- a taxonomy slug, or a free area (lowercase, like partnership free tags)
    level      TEXT NOT NULL CHECK (level IN ('learning', 'practitioner', 'expert')),
    note       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (guild_id, user_id, area)
);
-- "Who declared these areas": covering, so ranking reads no table rows.
CREATE INDEX member_expertise_area ON member_expertise (guild_id, area, user_id, level, updated_at);

-- "Partnerships tagged with these areas", read by who: covering, so the lookup never leaves the index
-- (the registry's own index on area alone would fetch every row to find its partnership).
CREATE INDEX partnership_areas_by_area ON partnership_areas (area, partnership_id);

-- Opt-in to being pinged by clinics; no row means off.
CREATE TABLE expertise_availability (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    available  INTEGER NOT NULL CHECK (available IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- Free areas and notes, stemmed like partnerships_fts (rowid = member_expertise.id). A taxonomy
-- area is matched through its slug, not its words, so only free areas put their text here.
CREATE VIRTUAL TABLE expertise_fts USING fts5 (
    area, note,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER member_expertise_fts_insert AFTER INSERT ON member_expertise BEGIN
    INSERT INTO expertise_fts (rowid, area, note) VALUES (
        new.id,
        CASE WHEN EXISTS (SELECT 1 FROM areas WHERE slug = new.area) THEN '' ELSE new.area END,
        new.note
    );
END;

CREATE TRIGGER member_expertise_fts_update AFTER UPDATE ON member_expertise BEGIN
    DELETE FROM expertise_fts WHERE rowid = old.id;
    INSERT INTO expertise_fts (rowid, area, note) VALUES (
        new.id,
        CASE WHEN EXISTS (SELECT 1 FROM areas WHERE slug = new.area) THEN '' ELSE new.area END,
        new.note
    );
END;

CREATE TRIGGER member_expertise_fts_delete AFTER DELETE ON member_expertise BEGIN
    DELETE FROM expertise_fts WHERE rowid = old.id;
END;

-- Every word or phrase that names an area or a partner type, one per row, so a typed query can be
-- matched to areas with the same stemming ("museums" → GLAM). Rebuilt from the taxonomy file and
-- the partner-type vocabulary each time the expertise feature loads.
CREATE VIRTUAL TABLE expertise_terms USING fts5 (
    kind UNINDEXED,  -- 'area' or 'type'
    key UNINDEXED,   -- the area slug or the partner type value
    term,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
