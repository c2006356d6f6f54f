-- 026_theme_results.sql: the themes last computed for all stories of a collection or trajectory with the default request, kept in the database so that every `vertelpunt serve` instance on it means the same themes by "theme = N" (src/analysis/themes_measure.c).
CREATE TABLE theme_results (
	part TEXT PRIMARY KEY,          -- "c" or "t" and the collection's or trajectory's id: "c12"
	collection_id INTEGER REFERENCES collections(id) ON DELETE CASCADE,
	trajectory_id INTEGER REFERENCES trajectories(id) ON DELETE CASCADE,
	org_id INTEGER NOT NULL,
	stamp INTEGER NOT NULL,         -- when computed, unix milliseconds: the newest wins
	stories INTEGER NOT NULL,       -- the part's stories it was computed over
	last_story_id INTEGER NOT NULL, -- the highest of their ids
	min_group INTEGER NOT NULL,     -- the small-group protection it was computed with
	result TEXT NOT NULL,           -- the JSON document of the themes
	assignment BLOB NOT NULL,       -- per story, by ascending id: its id (4 bytes) and theme (1 byte, 0 none)
	CHECK ((collection_id IS NULL) <> (trajectory_id IS NULL))
);
CREATE INDEX theme_results_collection ON theme_results(collection_id);
CREATE INDEX theme_results_trajectory ON theme_results(trajectory_id);
