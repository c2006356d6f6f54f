-- 023_story_search.sql: full-text search over the stories' texts: an FTS5 table with the Dutch tokenizer "vertelpunt_nl" (src/db/fts_nl.c), kept in step by the writer.

-- One row per story (rowid = stories.id), body: the title and the text of
-- every story-question answer, the teller's and the professional's, one per
-- line. Text answers to other questions are not in it (they cannot be told
-- from option ids without the script; "text contains" still searches them).
-- The table keeps its own copy of the text, so snippet() and highlight()
-- can show it; erasing a story removes the copy and its words in the same
-- transaction (see below), and with secure_delete the freed pages are
-- overwritten. FTS5 may keep a deleted story's stems in index segments
-- until it merges them; "INSERT INTO story_search(story_search)
-- VALUES('optimize')" merges at once.
CREATE VIRTUAL TABLE story_search USING fts5(body, tokenize = 'vertelpunt_nl');

-- The writer keeps the table in step (search_index_story when a story is
-- stored, search_forget_deleted after stories are deleted): SQLite refuses
-- FTS5 tables in triggers under trusted_schema=OFF. A deleted story's id is
-- noted here by a trigger, whatever deleted it, and its text leaves the
-- search table at the next search_forget_deleted (the purge calls it in the
-- same transaction); searches join stories, so it is never found meanwhile.
CREATE TABLE story_search_gone (
	id INTEGER PRIMARY KEY
);

CREATE TRIGGER story_search_deleted AFTER DELETE ON stories
BEGIN
	INSERT OR IGNORE INTO story_search_gone (id) VALUES (OLD.id);
END;

-- The stories there are already.
INSERT INTO story_search (rowid, body)
SELECT j.sid, group_concat(coalesce((j.value ->> 'title') || char(10), '') ||
                           (j.value ->> 'text'), char(10))
FROM (SELECT s.id AS sid, e.type, e.value FROM stories s, json_each(s.answers) e
      UNION ALL
      SELECT s.id, e.type, e.value FROM stories s, json_each(coalesce(s.professional, '{}')) e) j
WHERE CASE WHEN j.type = 'object' THEN j.value ->> 'text' END IS NOT NULL
GROUP BY j.sid;
