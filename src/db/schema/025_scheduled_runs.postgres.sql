-- 025_scheduled_runs.postgres.sql: when each piece of scheduled work (the daily retention purge...) last ran, so that several `vertelpunt serve` instances on one database run it once between them (src/model/schedule.c). (PostgreSQL version of 025_scheduled_runs.sql)
CREATE TABLE scheduled_runs (
	name text PRIMARY KEY,          -- the job: "purge"
	last_run_at bigint NOT NULL,    -- unix seconds of its last run (committed with the run's work)
	runs bigint NOT NULL DEFAULT 0  -- how often it ran: what the tests count
);
