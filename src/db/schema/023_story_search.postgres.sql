-- 023_story_search.postgres.sql: full-text search over the stories' texts: a table with a tsvector column of our Dutch tokenizer's stems and a GIN index (PostgreSQL version of 023_story_search.sql).

-- One row per story (rowid = stories.id, named as SQLite's FTS5 table has it,
-- so a statement on the key reads the same on both),
-- body: the title and the text of every story-question answer, the teller's
-- and the professional's, one per line, as on SQLite. tsv holds the stems of
-- our own Dutch tokenizer (src/analysis/tokenize.c, the one SQLite's FTS5
-- uses) with their positions, compound parts at their word's position: the
-- driver computes it when it indexes a story (src/db/db_pg.c, struct db_fts
-- in src/db/db.h), so a search finds on PostgreSQL what it finds on SQLite.
CREATE TABLE story_search (
	rowid bigint PRIMARY KEY,
	body text,
	tsv tsvector NOT NULL
);
CREATE INDEX story_search_tsv ON story_search USING gin (tsv);

-- A deleted story's id is noted here by a trigger, whatever deleted it, and
-- its text leaves the search table at the next search_forget_deleted, as on
-- SQLite (where FTS5 tables cannot be written from triggers).
CREATE TABLE story_search_gone (
	id bigint PRIMARY KEY
);

CREATE FUNCTION vp_story_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO story_search_gone (id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;

CREATE TRIGGER story_search_deleted AFTER DELETE ON stories
FOR EACH ROW EXECUTE FUNCTION vp_story_search_deleted();

-- The stories there are already (none: PostgreSQL databases start at this
-- version; the words are PostgreSQL's 'simple' ones here, not our stems, so
-- a database that had stories would reindex them).
INSERT INTO story_search (rowid, body, tsv)
SELECT j.sid, string_agg(coalesce((j.value ->> 'title') || chr(10), '') || (j.value ->> 'text'),
                         chr(10)), ''::tsvector
FROM (SELECT s.id AS sid, e.value FROM stories s, json_each(s.answers::json) e
      UNION ALL
      SELECT s.id, e.value FROM stories s, json_each(coalesce(s.professional, '{}')::json) e) j
WHERE json_typeof(j.value) = 'object' AND j.value ->> 'text' IS NOT NULL
GROUP BY j.sid;
UPDATE story_search SET tsv = to_tsvector('simple', coalesce(body, ''));
