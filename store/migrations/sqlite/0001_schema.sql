-- tickerboard schema (SQLite). Same tables and keys as migrations/postgres; read that file
-- for what each column means. Dates are ISO-8601 text ('2024-03-28'), timestamps RFC 3339
-- text in UTC, which sort the same as the values they stand for.

CREATE TABLE IF NOT EXISTS daily_prices (
    symbol      TEXT NOT NULL,
    date        TEXT NOT NULL,
    open        REAL NOT NULL,
    high        REAL NOT NULL,
    low         REAL NOT NULL,
    close       REAL NOT NULL,
    volume      REAL NOT NULL,
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (symbol, date)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS headlines (
    url          TEXT PRIMARY KEY,
    coin         TEXT NOT NULL,
    published_at TEXT NOT NULL,
    title        TEXT NOT NULL,
    source       TEXT NOT NULL,
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX IF NOT EXISTS headlines_coin_published ON headlines (coin, published_at DESC);
CREATE INDEX IF NOT EXISTS headlines_published ON headlines (published_at DESC);

CREATE TABLE IF NOT EXISTS ingest_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,
    parameters  TEXT    NOT NULL DEFAULT '{}',
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    fetched     INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error       TEXT,
    rejections  TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS ingest_runs_source_started ON ingest_runs (source, started_at DESC);

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
