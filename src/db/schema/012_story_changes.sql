-- 012_story_changes.sql: a counter per collection that goes up whenever one of its stories is changed or deleted, so the in-memory story index (src/analysis/index.c) knows to rebuild that collection. New stories need no counter: the index reads stories above the highest id it has seen.
CREATE TABLE story_changes (
	collection_id INTEGER PRIMARY KEY,
	generation INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER stories_changed_delete AFTER DELETE ON stories
BEGIN
	INSERT INTO story_changes (collection_id, generation) VALUES (OLD.collection_id, 1)
	ON CONFLICT (collection_id) DO UPDATE SET generation = generation + 1;
END;

CREATE TRIGGER stories_changed_update AFTER UPDATE ON stories
BEGIN
	INSERT INTO story_changes (collection_id, generation) VALUES (OLD.collection_id, 1)
	ON CONFLICT (collection_id) DO UPDATE SET generation = generation + 1;
END;
