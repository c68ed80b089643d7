-- tickerboard schema (Postgres). The SQLite migration beside this one declares the same
-- tables with SQLite's types; the store's tests run the same behaviour on both.
--
-- Natural keys make every write idempotent: a replayed batch, a double schedule or a
-- Lambda retry upserts onto the same rows and changes nothing.

-- One row per symbol and trading day. `symbol` is the ticker as the dashboard shows it
-- (IBM, BTC). Prices are double precision: they come from the API as decimal strings and
-- are only charted, never summed as money.
CREATE TABLE IF NOT EXISTS daily_prices (
    symbol      TEXT             NOT NULL,
    date        DATE             NOT NULL,
    open        DOUBLE PRECISION NOT NULL,
    high        DOUBLE PRECISION NOT NULL,
    low         DOUBLE PRECISION NOT NULL,
    close       DOUBLE PRECISION NOT NULL,
    -- Crypto volumes are fractional, so not an integer column.
    volume      DOUBLE PRECISION NOT NULL,
    -- Where the row came from: 'alphavantage', 'demo', ...
    source      TEXT             NOT NULL,
    updated_at  TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (symbol, date)
);

-- Scraped headlines. The canonical article URL is the natural key: the same story seen
-- on two listing pages, or on two days, is one row.
CREATE TABLE IF NOT EXISTS headlines (
    url          TEXT        PRIMARY KEY,
    -- The coin whose listing the headline came from ('bitcoin'); the dashboard filters by it.
    coin         TEXT        NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    title        TEXT        NOT NULL,
    source       TEXT        NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS headlines_coin_published ON headlines (coin, published_at DESC);
CREATE INDEX IF NOT EXISTS headlines_published ON headlines (published_at DESC);

-- Every ingest run, failed ones too. The dashboard's freshness line reads the latest
-- successful run per source.
CREATE TABLE IF NOT EXISTS ingest_runs (
    id          BIGSERIAL   PRIMARY KEY,
    source      TEXT        NOT NULL,
    -- What was asked for, as JSON text: {"symbols": ["IBM"], "full": false}
    parameters  TEXT        NOT NULL DEFAULT '{}',
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    fetched     BIGINT      NOT NULL DEFAULT 0,
    inserted    BIGINT      NOT NULL DEFAULT 0,
    updated     BIGINT      NOT NULL DEFAULT 0,
    unchanged   BIGINT      NOT NULL DEFAULT 0,
    rejected    BIGINT      NOT NULL DEFAULT 0,
    status      TEXT        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error       TEXT,
    -- Rejected rows with their reasons, as a JSON array of {"key", "reason"}.
    rejections  TEXT        NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS ingest_runs_source_started ON ingest_runs (source, started_at DESC);

-- Small key/value facts about the database itself, e.g. demo = 'true' when the
-- zero-setup SQLite file was filled with the demo data set.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
