-- 025_scheduled_runs.sql: when each piece of scheduled work (the daily retention purge...) last ran, so that several `vertelpunt serve` instances on one database run it once between them (src/model/schedule.c).
CREATE TABLE scheduled_runs (
	name TEXT PRIMARY KEY,          -- the job: "purge"
	last_run_at INTEGER NOT NULL,   -- unix seconds of its last run (committed with the run's work)
	runs INTEGER NOT NULL DEFAULT 0 -- how often it ran: what the tests count
);
