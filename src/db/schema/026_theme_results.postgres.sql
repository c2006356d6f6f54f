-- 026_theme_results.postgres.sql: the themes last computed for all stories of a collection or trajectory with the default request, kept in the database so that every `vertelpunt serve` instance on it means the same themes by "theme = N" (src/analysis/themes_measure.c). (PostgreSQL version of 026_theme_results.sql)
CREATE TABLE theme_results (
	part text PRIMARY KEY,          -- "c" or "t" and the collection's or trajectory's id: "c12"
	collection_id bigint REFERENCES collections(id) ON DELETE CASCADE,
	trajectory_id bigint REFERENCES trajectories(id) ON DELETE CASCADE,
	org_id bigint NOT NULL,
	stamp bigint NOT NULL,          -- when computed, unix milliseconds: the newest wins
	stories bigint NOT NULL,        -- the part's stories it was computed over
	last_story_id bigint NOT NULL,  -- the highest of their ids
	min_group bigint NOT NULL,      -- the small-group protection it was computed with
	result text NOT NULL,           -- the JSON document of the themes
	assignment bytea NOT NULL,      -- per story, by ascending id: its id (4 bytes) and theme (1 byte, 0 none)
	CHECK ((collection_id IS NULL) <> (trajectory_id IS NULL))
);
CREATE INDEX theme_results_collection ON theme_results(collection_id);
CREATE INDEX theme_results_trajectory ON theme_results(trajectory_id);
