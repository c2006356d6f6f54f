-- 024_search_wider.sql: full-text search over text answers too: story_search's body gets, besides the titles and texts of story answers, every answer to a text question (the teller's and the professional's), told apart from option ids by the script's questions (script_questions).

-- The body of a story, one part per line: the title and text of each story
-- answer, then each text answer, the teller's and the professional's. The
-- writer's search_index_story (src/analysis/search.c) makes the same body
-- for each new story. The table is made anew (dropping it is fast; deleting
-- a million rows from FTS5 would tokenize each text again) with the same
-- definition as in 023_story_search.sql; story_search_gone and its trigger
-- stay as they are.
DROP TABLE story_search;
CREATE VIRTUAL TABLE story_search USING fts5(body, tokenize = 'vertelpunt_nl');

INSERT INTO story_search (rowid, body)
SELECT j.sid, group_concat(j.part, char(10))
FROM (SELECT s.id AS sid, coalesce((e.value ->> 'title') || char(10), '') || (e.value ->> 'text') AS part
      FROM stories s, json_each(s.answers) e
      WHERE CASE WHEN e.type = 'object' THEN e.value ->> 'text' END IS NOT NULL
      UNION ALL
      SELECT s.id, coalesce((e.value ->> 'title') || char(10), '') || (e.value ->> 'text')
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
