-- 024_search_wider.postgres.sql: full-text search over text answers too (PostgreSQL version of 024_search_wider.sql): story_search's body gets, besides the titles and texts of story answers, every answer to a text question (the teller's and the professional's), told apart from option ids by the script's questions.

-- The body of each story is made anew, one part per line as on SQLite (the
-- driver's index_story in src/db/db_pg.c makes the same body for each new
-- story). As in 023, the words of rows made here are PostgreSQL's 'simple'
-- ones, not our stems: PostgreSQL databases start at the latest version,
-- so there are no stories here yet.
TRUNCATE story_search;
INSERT INTO story_search (rowid, body, tsv)
SELECT j.sid, string_agg(j.part, chr(10)), ''::tsvector
FROM (SELECT s.id AS sid, coalesce((e.value ->> 'title') || chr(10), '') || (e.value ->> 'text') AS part
      FROM stories s, json_each(s.answers) e
      WHERE CASE WHEN e.type = 'object' THEN e.value ->> 'text' END IS NOT NULL
      UNION ALL
      SELECT s.id, coalesce((e.value ->> 'title') || chr(10), '') || (e.value ->> 'text')
      FROM stories s, json_each(coalesce(s.professional, '{}')) e
      WHERE CASE WHEN e.type = 'object' THEN e.value ->> 'text' END IS NOT NULL
      UNION ALL
      SELECT s.id, e.value
      FROM stories s, json_each(s.answers) e
      WHERE e.type = 'text' AND e.value <> '' AND e.key IN
            (SELECT q.question_id FROM script_questions q WHERE q.script_id = s.script_id
             AND q.version = s.script_version AND q.type = 'text')
      UNION ALL
      SELECT s.id, e.value
      FROM stories s, json_each(coalesce(s.professional, '{}')) e
      WHERE e.type = 'text' AND e.value <> '' AND e.key IN
            (SELECT q.question_id FROM script_questions q WHERE q.script_id = s.script_id
             AND q.version = s.script_version AND q.type = 'text')) j
GROUP BY j.sid;
UPDATE story_search SET tsv = to_tsvector('simple', coalesce(body, ''));
