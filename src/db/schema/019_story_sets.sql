-- 019_story_sets.sql: analysts' tags on stories and named sets of stories for a sensemaking session (the explorer: src/web/page_explore_sets.c, src/model/story_set.c). A story that is deleted (retention, erasure) leaves its tags and sets with it.
CREATE TABLE story_tags (
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (story_id, tag)
);

CREATE TABLE story_sets (
	id INTEGER PRIMARY KEY,
	collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (collection_id, name)
);

CREATE TABLE story_set_items (
	set_id INTEGER NOT NULL REFERENCES story_sets(id) ON DELETE CASCADE,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	added_at INTEGER NOT NULL,
	PRIMARY KEY (set_id, story_id)
);
CREATE INDEX story_set_items_story ON story_set_items(story_id);
