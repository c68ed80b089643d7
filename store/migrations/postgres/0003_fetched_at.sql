-- When the source answered with each row's values (the batch's fetch time): a batch
-- fetched earlier than a row's values never overwrites them (a Lambda retry, or a run
-- delayed past a newer one). Rows written before this column take the next batch.
ALTER TABLE daily_prices ADD COLUMN IF NOT EXISTS fetched_at TIMESTAMPTZ;
ALTER TABLE headlines ADD COLUMN IF NOT EXISTS fetched_at TIMESTAMPTZ;
ALTER TABLE weather_observations ADD COLUMN IF NOT EXISTS fetched_at TIMESTAMPTZ;

-- The Lambda invocation a run was recorded for, and the run's place in it
-- ("<request id>/<n>"): a retried invocation (the same request id) finds its runs
-- instead of recording, writing and reporting them a second time.
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS request_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS ingest_runs_request_key ON ingest_runs (request_key);
