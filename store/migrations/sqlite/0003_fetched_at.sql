-- See migrations/postgres/0003_fetched_at.sql. Times are fixed-width UTC text, so they
-- compare as times.
ALTER TABLE daily_prices ADD COLUMN fetched_at TEXT;
ALTER TABLE headlines ADD COLUMN fetched_at TEXT;
ALTER TABLE weather_observations ADD COLUMN fetched_at TEXT;

ALTER TABLE ingest_runs ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS ingest_runs_request_key ON ingest_runs (request_key);
