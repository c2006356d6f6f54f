-- 012_story_changes.postgres.sql: a counter per collection that goes up whenever one of its stories is changed or deleted, so the in-memory story index (src/analysis/index.c) knows to rebuild that collection. New stories need no counter: the index reads stories above the highest id it has seen. (PostgreSQL version of 012_story_changes.sql)
CREATE TABLE story_changes (
	collection_id bigint PRIMARY KEY,
	generation bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION vp_story_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO story_changes (collection_id, generation) VALUES (OLD.collection_id, 1)
	ON CONFLICT (collection_id) DO UPDATE SET generation = story_changes.generation + 1;
	RETURN NULL;
END;
$$;

CREATE TRIGGER stories_changed_delete AFTER DELETE ON stories
FOR EACH ROW EXECUTE FUNCTION vp_story_changed();

CREATE TRIGGER stories_changed_update AFTER UPDATE ON stories
FOR EACH ROW EXECUTE FUNCTION vp_story_changed();
