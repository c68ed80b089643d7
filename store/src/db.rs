//! The pool, the migrations and every query, for both backends.
//!
//! Each query is written once per backend where the dialects differ (bulk upserts,
//! `DISTINCT ON`) and once where they agree. Values only ever reach SQL as bound
//! parameters.

use crate::types::*;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, QueryBuilder, Row, SqlitePool};
use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

/// The SQLite file used when `DATABASE_URL` is not set, relative to the working directory.
pub const DEFAULT_SQLITE_FILE: &str = "tickerboard.db";

/// Rows per statement in bulk writes. Postgres takes them as arrays (one parameter per
/// column); SQLite as a multi-row VALUES list, which must stay under its 32,766
/// parameter limit.
const PG_CHUNK: usize = 20_000;
const SQLITE_CHUNK: usize = 2_000;

/// How long a run may stay `running` before the next run of its source calls it abandoned.
pub const ABANDONED_AFTER: chrono::Duration = chrono::Duration::hours(1);

/// SQLite write transactions take the write lock at once: two writers then queue on the
/// busy timeout instead of one failing when it upgrades from reading to writing.
const SQLITE_WRITE_TX: &str = "BEGIN IMMEDIATE";

/// Serialises writers of one table on Postgres for the length of a transaction, so two
/// runs of the same source commit one whole batch after the other. A transaction-level
/// lock, so it also holds behind a transaction-mode pooler.
async fn lock_table(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    persistent: bool,
    table: &str,
) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind(format!("tickerboard:{table}"))
        .persistent(persistent)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The message names the setting, never its value: the URL carries a password.
    #[error("cannot connect to the database given by DATABASE_URL ({backend}): {source}")]
    Connect {
        backend: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("DATABASE_URL is not a postgres:// or sqlite:// URL")]
    UnsupportedUrl,
    #[error("migrating the database schema failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the batch has {0} twice; keys must be unique within a batch")]
    DuplicateKey(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Runs `$body` with `$conn: &mut PgConnection`. Behind a transaction-mode pooler the
/// body runs inside a transaction: sqlx prepares a statement and executes it in two
/// round trips, and only a transaction keeps both on the same server connection.
macro_rules! on_pg {
    ($self:expr, $pool:expr, |$conn:ident| $body:expr) => {{
        if $self.pool_mode == PoolMode::Transaction {
            let mut tx = $pool.begin().await?;
            let $conn: &mut sqlx::PgConnection = &mut *tx;
            let out = $body;
            tx.commit().await?;
            out
        } else {
            let mut pooled = $pool.acquire().await?;
            let $conn: &mut sqlx::PgConnection = &mut *pooled;
            $body
        }
    }};
}

/// How connections reach Postgres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PoolMode {
    /// A direct connection or a session-mode pooler: prepared statements are cached.
    #[default]
    Session,
    /// A transaction-mode pooler (Supabase's port 6543, PgBouncer `pool_mode =
    /// transaction`): consecutive statements may land on different server connections,
    /// so no prepared statement may outlive its statement.
    Transaction,
}

impl FromStr for PoolMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "session" => Ok(PoolMode::Session),
            "transaction" => Ok(PoolMode::Transaction),
            other => Err(format!(
                "DATABASE_POOL_MODE must be 'session' or 'transaction', not {other:?}"
            )),
        }
    }
}

/// How to open the store.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub pool_mode: PoolMode,
    pub max_connections: u32,
    /// How long a query waits for a free connection (and a new connection for the server).
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            pool_mode: PoolMode::Session,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

#[derive(Clone, Debug)]
enum Pool {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// The database, whichever backend it is. Cheap to clone: it is a pool handle.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
    pool_mode: PoolMode,
}

/// What [`Store::open`] found.
pub struct Opened {
    pub store: Store,
    /// True when this is the zero-setup SQLite file and it holds no data yet.
    pub is_new_default: bool,
}

impl Store {
    /// Connects to `database_url`, or to [`DEFAULT_SQLITE_FILE`] when there is none,
    /// and brings the schema up to date.
    pub async fn open(database_url: Option<&str>, options: &StoreOptions) -> Result<Opened> {
        let (store, default) = match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => (Store::connect(url, options).await?, false),
            None => {
                let url = format!("sqlite://{DEFAULT_SQLITE_FILE}");
                (Store::connect(&url, options).await?, true)
            }
        };
        store.migrate().await?;
        let is_new_default = default && store.is_empty().await?;
        Ok(Opened {
            store,
            is_new_default,
        })
    }

    /// Connects without migrating. The first connection is made here, so a wrong
    /// URL or a server that is down fails now, not at the first page view.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connect =
                PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
                    backend: "postgres",
                    source,
                })?;
            if options.pool_mode == PoolMode::Transaction {
                connect = connect.statement_cache_capacity(0);
            }
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await
                .map_err(|source| StoreError::Connect {
                    backend: "postgres",
                    source,
                })?;
            Ok(Store {
                pool: Pool::Postgres(pool),
                pool_mode: options.pool_mode,
            })
        } else if url.starts_with("sqlite:") {
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(|source| StoreError::Connect {
                    backend: "sqlite",
                    source,
                })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await
                .map_err(|source| StoreError::Connect {
                    backend: "sqlite",
                    source,
                })?;
            Ok(Store {
                pool: Pool::Sqlite(pool),
                pool_mode: PoolMode::Session,
            })
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Applies the migrations not yet applied; safe to run at every start.
    ///
    /// Behind a transaction-mode pooler the migrator's session advisory lock would stay
    /// with whichever server connection took it, so it is not taken there: each
    /// migration still runs in its own transaction, and `CREATE … IF NOT EXISTS` keeps
    /// two racing starts harmless.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut migrator = sqlx::migrate!("./migrations/postgres");
                if self.pool_mode == PoolMode::Session {
                    migrator.run(pool).await?
                } else {
                    // One transaction pins one server connection; the migrator's own
                    // (named) statements are dropped before it goes back to the pool.
                    migrator.set_locking(false);
                    let mut tx = pool.begin().await?;
                    migrator.run(&mut *tx).await?;
                    sqlx::raw_sql("DEALLOCATE ALL").execute(&mut *tx).await?;
                    tx.commit().await?;
                }
            }
            Pool::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
        }
        Ok(())
    }

    /// Whether statements may be cached as named prepared statements (not behind a
    /// transaction-mode pooler, where another client may own the name on the server).
    fn persistent(&self) -> bool {
        self.pool_mode == PoolMode::Session
    }

    pub fn backend(&self) -> &'static str {
        match &self.pool {
            Pool::Postgres(_) => "postgres",
            Pool::Sqlite(_) => "sqlite",
        }
    }

    /// Closes every connection; waits for queries in flight.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Postgres(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
        }
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => sqlx::raw_sql("SELECT 1").execute(pool).await?,
            Pool::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
                return Ok(());
            }
        };
        Ok(())
    }

    async fn is_empty(&self) -> Result<bool> {
        let sql = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM daily_prices LIMIT 1) p) \
                 + (SELECT COUNT(*) FROM (SELECT 1 FROM headlines LIMIT 1) h) AS n";
        let n: i64 = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query_scalar(sql)
                .persistent(self.persistent())
                .fetch_one(&mut *conn)
                .await?),
            Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        };
        Ok(n == 0)
    }

    /// Reads a value from the `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                    .bind(key)
                    .persistent(self.persistent())
                    .fetch_optional(&mut *conn)
                    .await?
            }),
            Pool::Sqlite(pool) => {
                sqlx::query_scalar("SELECT value FROM meta WHERE key = ?1")
                    .bind(key)
                    .fetch_optional(pool)
                    .await?
            }
        })
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        let sql = "INSERT INTO meta (key, value) VALUES ($1, $2) \
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query(sql)
                    .bind(key)
                    .bind(value)
                    .persistent(self.persistent())
                    .execute(&mut *conn)
                    .await?;
            }),
            Pool::Sqlite(pool) => {
                sqlx::query(sql).bind(key).bind(value).execute(pool).await?;
            }
        }
        Ok(())
    }

    /// True when the database holds the demo data set (see [`crate::demo`]).
    pub async fn is_demo(&self) -> Result<bool> {
        Ok(self.meta("demo").await?.as_deref() == Some("true"))
    }

    /// Every symbol with at least one bar, in order. A loose index scan over the primary
    /// key: one index probe per symbol instead of reading every row.
    pub async fn symbols(&self) -> Result<Vec<Symbol>> {
        let sql = "WITH RECURSIVE s(symbol) AS ( \
                       SELECT MIN(symbol) FROM daily_prices \
                       UNION ALL \
                       SELECT (SELECT MIN(p.symbol) FROM daily_prices p WHERE p.symbol > s.symbol) \
                       FROM s WHERE s.symbol IS NOT NULL) \
                   SELECT symbol FROM s WHERE symbol IS NOT NULL";
        let raw: Vec<String> = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query_scalar(sql)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?),
            Pool::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await?,
        };
        // A symbol written by hand that is not a valid Symbol is skipped, not fatal.
        Ok(raw.iter().filter_map(|s| Symbol::parse(s).ok()).collect())
    }

    /// Does `symbol` have any bar?
    pub async fn has_symbol(&self, symbol: &Symbol) -> Result<bool> {
        let found: Option<i32> = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query_scalar("SELECT 1 FROM daily_prices WHERE symbol = $1 LIMIT 1")
                    .bind(symbol.as_str())
                    .persistent(self.persistent())
                    .fetch_optional(&mut *conn)
                    .await?
            }),
            Pool::Sqlite(pool) => {
                sqlx::query_scalar("SELECT 1 FROM daily_prices WHERE symbol = ?1 LIMIT 1")
                    .bind(symbol.as_str())
                    .fetch_optional(pool)
                    .await?
            }
        };
        Ok(found.is_some())
    }

    /// The bars of one symbol, oldest first, optionally within `from..=to`.
    pub async fn daily_bars(
        &self,
        symbol: &Symbol,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<DailyBar>> {
        let from = from.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date"));
        let to = to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date"));
        let sql = "SELECT date, open, high, low, close, volume FROM daily_prices \
                   WHERE symbol = $1 AND date >= $2 AND date <= $3 ORDER BY date";
        let rows: Vec<(NaiveDate, f64, f64, f64, f64, f64)> = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query_as(sql)
                    .bind(symbol.as_str())
                    .bind(from)
                    .bind(to)
                    .persistent(self.persistent())
                    .fetch_all(&mut *conn)
                    .await?
            }),
            Pool::Sqlite(pool) => {
                sqlx::query_as(sql)
                    .bind(symbol.as_str())
                    .bind(from)
                    .bind(to)
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(date, open, high, low, close, volume)| DailyBar {
                symbol: symbol.clone(),
                date,
                open,
                high,
                low,
                close,
                volume,
            })
            .collect())
    }

    /// The newest headlines, for one coin or for all, newest first.
    pub async fn latest_headlines(&self, coin: Option<&str>, limit: u32) -> Result<Vec<Headline>> {
        let limit = i64::from(limit);
        let rows: Vec<(String, String, DateTime<Utc>, String)> = match (&self.pool, coin) {
            (Pool::Postgres(pool), Some(coin)) => on_pg!(self, pool, |conn| {
                sqlx::query_as(
                    "SELECT url, coin, published_at, title FROM headlines WHERE coin = $1 \
                     ORDER BY published_at DESC, url LIMIT $2",
                )
                .bind(coin)
                .bind(limit)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
            }),
            (Pool::Postgres(pool), None) => on_pg!(self, pool, |conn| {
                sqlx::query_as(
                    "SELECT url, coin, published_at, title FROM headlines \
                     ORDER BY published_at DESC, url LIMIT $1",
                )
                .bind(limit)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
            }),
            (Pool::Sqlite(pool), Some(coin)) => {
                sqlx::query_as(
                    "SELECT url, coin, published_at, title FROM headlines WHERE coin = ?1 \
                     ORDER BY published_at DESC, url LIMIT ?2",
                )
                .bind(coin)
                .bind(limit)
                .fetch_all(pool)
                .await?
            }
            (Pool::Sqlite(pool), None) => {
                sqlx::query_as(
                    "SELECT url, coin, published_at, title FROM headlines \
                     ORDER BY published_at DESC, url LIMIT ?1",
                )
                .bind(limit)
                .fetch_all(pool)
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(url, coin, published_at, title)| Headline {
                url,
                coin,
                published_at,
                title,
            })
            .collect())
    }

    /// The most recent run of each source, whatever its status, ordered by source.
    pub async fn latest_runs(&self) -> Result<Vec<RunSummary>> {
        let sql = "SELECT id, source, status, started_at, finished_at, fetched, inserted, \
                   updated, unchanged, rejected, error FROM ingest_runs r \
                   WHERE id = (SELECT id FROM ingest_runs x WHERE x.source = r.source \
                               ORDER BY started_at DESC, id DESC LIMIT 1) \
                   ORDER BY source";
        let rows = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query(sql)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(run_from_pg)
                .collect::<Result<Vec<_>>>()?),
            Pool::Sqlite(pool) => sqlx::query(sql)
                .fetch_all(pool)
                .await?
                .iter()
                .map(run_from_sqlite)
                .collect::<Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// The most recent runs of all sources, newest first.
    pub async fn recent_runs(&self, limit: u32) -> Result<Vec<RunSummary>> {
        let sql_pg = "SELECT id, source, status, started_at, finished_at, fetched, inserted, \
                      updated, unchanged, rejected, error FROM ingest_runs \
                      ORDER BY started_at DESC, id DESC LIMIT $1";
        let sql_lite = sql_pg.replace("$1", "?1");
        let limit = i64::from(limit);
        Ok(match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query(sql_pg)
                .bind(limit)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(run_from_pg)
                .collect::<Result<Vec<_>>>()?),
            Pool::Sqlite(pool) => sqlx::query(&sql_lite)
                .bind(limit)
                .fetch_all(pool)
                .await?
                .iter()
                .map(run_from_sqlite)
                .collect::<Result<Vec<_>>>()?,
        })
    }

    /// Records a finished run; returns its id.
    pub async fn insert_run(&self, run: &NewRun) -> Result<i64> {
        let sql = "INSERT INTO ingest_runs (source, parameters, started_at, finished_at, fetched, \
                   inserted, updated, unchanged, rejected, status, error, rejections) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
        macro_rules! bind_run {
            ($q:expr) => {
                $q.bind(&run.source)
                    .bind(&run.parameters)
                    .bind(run.started_at)
                    .bind(run.finished_at)
                    .bind(run.fetched)
                    .bind(run.inserted)
                    .bind(run.updated)
                    .bind(run.unchanged)
                    .bind(run.rejected)
                    .bind(run.status.as_str())
                    .bind(&run.error)
                    .bind(&run.rejections)
            };
        }
        Ok(match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| bind_run!(sqlx::query_scalar(sql))
                .persistent(self.persistent())
                .fetch_one(&mut *conn)
                .await?),
            Pool::Sqlite(pool) => bind_run!(sqlx::query_scalar(sql)).fetch_one(pool).await?,
        })
    }

    /// Inserts new bars and updates changed ones, in one transaction, in bulk.
    /// Writing the same bars again changes nothing and reports them as unchanged.
    pub async fn upsert_bars(&self, bars: &[DailyBar], source: &str) -> Result<WriteCounts> {
        ensure_unique(
            bars,
            |b| (b.symbol.as_str(), b.date),
            |b| format!("{} {}", b.symbol, b.date),
        )?;
        let mut counts = WriteCounts::default();
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                lock_table(&mut tx, self.persistent(), "daily_prices").await?;
                for chunk in bars.chunks(PG_CHUNK) {
                    let (ins, upd): (i64, i64) = sqlx::query_as(
                        "WITH up AS ( \
                           INSERT INTO daily_prices (symbol, date, open, high, low, close, volume, source) \
                           SELECT t.*, $8 FROM UNNEST($1::text[], $2::date[], $3::float8[], $4::float8[], \
                                                     $5::float8[], $6::float8[], $7::float8[]) \
                                AS t(symbol, date, open, high, low, close, volume) \
                           ON CONFLICT (symbol, date) DO UPDATE SET \
                             open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, \
                             close = EXCLUDED.close, volume = EXCLUDED.volume, \
                             source = EXCLUDED.source, updated_at = now() \
                           WHERE (daily_prices.open, daily_prices.high, daily_prices.low, \
                                  daily_prices.close, daily_prices.volume, daily_prices.source) \
                             IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, \
                                  EXCLUDED.close, EXCLUDED.volume, EXCLUDED.source) \
                           RETURNING (xmax = 0) AS inserted) \
                         SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM up",
                    )
                    .bind(chunk.iter().map(|b| b.symbol.as_str()).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.date).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.open).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.high).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.low).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.close).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|b| b.volume).collect::<Vec<_>>())
                    .bind(source)
                    .persistent(self.persistent())
                    .fetch_one(&mut *tx)
                    .await?;
                    counts.add(chunk.len() as u64, ins as u64, upd as u64);
                }
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_with(SQLITE_WRITE_TX).await?;
                for chunk in bars.chunks(SQLITE_CHUNK) {
                    let mut existing = QueryBuilder::new(
                        "SELECT COUNT(*) FROM daily_prices WHERE (symbol, date) IN (",
                    );
                    existing.push_values(chunk, |mut row, bar| {
                        row.push_bind(bar.symbol.as_str()).push_bind(bar.date);
                    });
                    existing.push(")");
                    let existing: i64 = existing.build_query_scalar().fetch_one(&mut *tx).await?;

                    let mut upsert = QueryBuilder::new(
                        "INSERT INTO daily_prices (symbol, date, open, high, low, close, volume, source) ",
                    );
                    upsert.push_values(chunk, |mut row, bar| {
                        row.push_bind(bar.symbol.as_str())
                            .push_bind(bar.date)
                            .push_bind(bar.open)
                            .push_bind(bar.high)
                            .push_bind(bar.low)
                            .push_bind(bar.close)
                            .push_bind(bar.volume)
                            .push_bind(source);
                    });
                    upsert.push(
                        " ON CONFLICT (symbol, date) DO UPDATE SET \
                          open = excluded.open, high = excluded.high, low = excluded.low, \
                          close = excluded.close, volume = excluded.volume, source = excluded.source, \
                          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                          WHERE daily_prices.open IS NOT excluded.open OR daily_prices.high IS NOT excluded.high \
                             OR daily_prices.low IS NOT excluded.low OR daily_prices.close IS NOT excluded.close \
                             OR daily_prices.volume IS NOT excluded.volume OR daily_prices.source IS NOT excluded.source",
                    );
                    let changed = upsert.build().execute(&mut *tx).await?.rows_affected();
                    let inserted = chunk.len() as u64 - existing as u64;
                    counts.add(chunk.len() as u64, inserted, changed - inserted);
                }
                tx.commit().await?;
            }
        }
        Ok(counts)
    }

    /// Inserts new headlines and updates changed ones (keyed by URL), in one transaction.
    pub async fn upsert_headlines(
        &self,
        headlines: &[Headline],
        source: &str,
    ) -> Result<WriteCounts> {
        ensure_unique(headlines, |h| h.url.as_str(), |h| h.url.clone())?;
        let mut counts = WriteCounts::default();
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                lock_table(&mut tx, self.persistent(), "headlines").await?;
                for chunk in headlines.chunks(PG_CHUNK) {
                    let (ins, upd): (i64, i64) = sqlx::query_as(
                        "WITH up AS ( \
                           INSERT INTO headlines (url, coin, published_at, title, source) \
                           SELECT t.*, $5 FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], $4::text[]) \
                                AS t(url, coin, published_at, title) \
                           ON CONFLICT (url) DO UPDATE SET coin = EXCLUDED.coin, \
                             published_at = EXCLUDED.published_at, title = EXCLUDED.title, \
                             source = EXCLUDED.source, updated_at = now() \
                           WHERE (headlines.coin, headlines.published_at, headlines.title, headlines.source) \
                             IS DISTINCT FROM (EXCLUDED.coin, EXCLUDED.published_at, EXCLUDED.title, EXCLUDED.source) \
                           RETURNING (xmax = 0) AS inserted) \
                         SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM up",
                    )
                    .bind(chunk.iter().map(|h| h.url.as_str()).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|h| h.coin.as_str()).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|h| h.published_at).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|h| h.title.as_str()).collect::<Vec<_>>())
                    .bind(source)
                    .persistent(self.persistent())
                    .fetch_one(&mut *tx)
                    .await?;
                    counts.add(chunk.len() as u64, ins as u64, upd as u64);
                }
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_with(SQLITE_WRITE_TX).await?;
                for chunk in headlines.chunks(SQLITE_CHUNK) {
                    let mut existing =
                        QueryBuilder::new("SELECT COUNT(*) FROM headlines WHERE url IN (");
                    let mut list = existing.separated(", ");
                    for h in chunk {
                        list.push_bind(h.url.as_str());
                    }
                    existing.push(")");
                    let existing: i64 = existing.build_query_scalar().fetch_one(&mut *tx).await?;

                    let mut upsert = QueryBuilder::new(
                        "INSERT INTO headlines (url, coin, published_at, title, source) ",
                    );
                    upsert.push_values(chunk, |mut row, h| {
                        row.push_bind(h.url.as_str())
                            .push_bind(h.coin.as_str())
                            .push_bind(h.published_at)
                            .push_bind(h.title.as_str())
                            .push_bind(source);
                    });
                    upsert.push(
                        " ON CONFLICT (url) DO UPDATE SET coin = excluded.coin, \
                          published_at = excluded.published_at, title = excluded.title, \
                          source = excluded.source, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                          WHERE headlines.coin IS NOT excluded.coin \
                             OR headlines.published_at IS NOT excluded.published_at \
                             OR headlines.title IS NOT excluded.title OR headlines.source IS NOT excluded.source",
                    );
                    let changed = upsert.build().execute(&mut *tx).await?.rows_affected();
                    let inserted = chunk.len() as u64 - existing as u64;
                    counts.add(chunk.len() as u64, inserted, changed - inserted);
                }
                tx.commit().await?;
            }
        }
        Ok(counts)
    }
}

impl Store {
    /// Inserts new observations and updates changed ones (keyed by city and observed
    /// time), in one transaction.
    pub async fn upsert_weather(
        &self,
        rows: &[WeatherObservation],
        source: &str,
    ) -> Result<WriteCounts> {
        ensure_unique(
            rows,
            |r| (r.city.as_str(), r.observed_at),
            |r| format!("{} {}", r.city, r.observed_at),
        )?;
        let mut counts = WriteCounts::default();
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                lock_table(&mut tx, self.persistent(), "weather_observations").await?;
                for chunk in rows.chunks(PG_CHUNK) {
                    let (ins, upd): (i64, i64) = sqlx::query_as(
                        "WITH up AS ( \
                           INSERT INTO weather_observations AS w (city, observed_at, city_id, temp_c, temp_f, humidity, description, source) \
                           SELECT t.*, $8 FROM UNNEST($1::text[], $2::timestamptz[], $3::int8[], $4::float8[], \
                                                     $5::float8[], $6::int4[], $7::text[]) \
                                AS t(city, observed_at, city_id, temp_c, temp_f, humidity, description) \
                           ON CONFLICT (city, observed_at) DO UPDATE SET city_id = EXCLUDED.city_id, \
                             temp_c = EXCLUDED.temp_c, temp_f = EXCLUDED.temp_f, humidity = EXCLUDED.humidity, \
                             description = EXCLUDED.description, source = EXCLUDED.source, updated_at = now() \
                           WHERE (w.city_id, w.temp_c, w.temp_f, w.humidity, w.description, w.source) \
                             IS DISTINCT FROM (EXCLUDED.city_id, EXCLUDED.temp_c, EXCLUDED.temp_f, \
                                  EXCLUDED.humidity, EXCLUDED.description, EXCLUDED.source) \
                           RETURNING (xmax = 0) AS inserted) \
                         SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM up",
                    )
                    .bind(chunk.iter().map(|r| r.city.as_str()).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.observed_at).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.city_id).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.temp_c).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.temp_f).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.humidity as i32).collect::<Vec<_>>())
                    .bind(chunk.iter().map(|r| r.description.as_str()).collect::<Vec<_>>())
                    .bind(source)
                    .persistent(self.persistent())
                    .fetch_one(&mut *tx)
                    .await?;
                    counts.add(chunk.len() as u64, ins as u64, upd as u64);
                }
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin_with(SQLITE_WRITE_TX).await?;
                for chunk in rows.chunks(SQLITE_CHUNK) {
                    let mut existing = QueryBuilder::new(
                        "SELECT COUNT(*) FROM weather_observations WHERE (city, observed_at) IN (",
                    );
                    existing.push_values(chunk, |mut row, r| {
                        row.push_bind(r.city.as_str()).push_bind(r.observed_at);
                    });
                    existing.push(")");
                    let existing: i64 = existing.build_query_scalar().fetch_one(&mut *tx).await?;
                    let mut upsert = QueryBuilder::new(
                        "INSERT INTO weather_observations (city, observed_at, city_id, temp_c, temp_f, humidity, description, source) ",
                    );
                    upsert.push_values(chunk, |mut row, r| {
                        row.push_bind(r.city.as_str())
                            .push_bind(r.observed_at)
                            .push_bind(r.city_id)
                            .push_bind(r.temp_c)
                            .push_bind(r.temp_f)
                            .push_bind(r.humidity)
                            .push_bind(r.description.as_str())
                            .push_bind(source);
                    });
                    upsert.push(
                        " ON CONFLICT (city, observed_at) DO UPDATE SET city_id = excluded.city_id, \
                          temp_c = excluded.temp_c, temp_f = excluded.temp_f, humidity = excluded.humidity, \
                          description = excluded.description, source = excluded.source, \
                          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
                          WHERE weather_observations.city_id IS NOT excluded.city_id \
                             OR weather_observations.temp_c IS NOT excluded.temp_c \
                             OR weather_observations.temp_f IS NOT excluded.temp_f \
                             OR weather_observations.humidity IS NOT excluded.humidity \
                             OR weather_observations.description IS NOT excluded.description \
                             OR weather_observations.source IS NOT excluded.source",
                    );
                    let changed = upsert.build().execute(&mut *tx).await?.rows_affected();
                    let inserted = chunk.len() as u64 - existing as u64;
                    counts.add(chunk.len() as u64, inserted, changed - inserted);
                }
                tx.commit().await?;
            }
        }
        Ok(counts)
    }

    /// Weather rows of a city, oldest first.
    pub async fn weather_for(&self, city: &str) -> Result<Vec<WeatherObservation>> {
        let sql = "SELECT city, city_id, observed_at, temp_c, temp_f, humidity, description \
                   FROM weather_observations WHERE city = $1 ORDER BY observed_at";
        let rows: Vec<WeatherRow> = match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query_as(sql)
                .bind(city)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?),
            Pool::Sqlite(pool) => sqlx::query_as(sql).bind(city).fetch_all(pool).await?,
        };
        Ok(rows
            .into_iter()
            .map(
                |(city, city_id, observed_at, temp_c, temp_f, humidity, description)| {
                    WeatherObservation {
                        city,
                        city_id,
                        observed_at,
                        temp_c,
                        temp_f,
                        humidity: i64::from(humidity),
                        description,
                    }
                },
            )
            .collect())
    }

    /// Records that a run has started; [`Store::finish_run`] completes the row.
    ///
    /// A run of the same source still marked running after [`ABANDONED_AFTER`] never
    /// finished (its process or connection was lost): it is marked failed first, so the
    /// freshness line and `ingest runs` say so instead of "updating" forever.
    pub async fn start_run(
        &self,
        source: &str,
        parameters: &str,
        started_at: DateTime<Utc>,
    ) -> Result<i64> {
        let abandon = "UPDATE ingest_runs SET status = 'failed', finished_at = $3, \
                       error = 'abandoned: the run never finished (its process or database connection was lost)' \
                       WHERE source = $1 AND status = 'running' AND started_at < $2";
        let cutoff = started_at - ABANDONED_AFTER;
        match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query(abandon)
                    .bind(source)
                    .bind(cutoff)
                    .bind(started_at)
                    .persistent(self.persistent())
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
            }),
            Pool::Sqlite(pool) => sqlx::query(abandon)
                .bind(source)
                .bind(cutoff)
                .bind(started_at)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        let sql = "INSERT INTO ingest_runs (source, parameters, started_at, status) \
                   VALUES ($1, $2, $3, 'running') RETURNING id";
        Ok(match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| {
                sqlx::query_scalar(sql)
                    .bind(source)
                    .bind(parameters)
                    .bind(started_at)
                    .persistent(self.persistent())
                    .fetch_one(&mut *conn)
                    .await?
            }),
            Pool::Sqlite(pool) => {
                sqlx::query_scalar(sql)
                    .bind(source)
                    .bind(parameters)
                    .bind(started_at)
                    .fetch_one(pool)
                    .await?
            }
        })
    }

    /// Completes a run row with its outcome.
    pub async fn finish_run(&self, id: i64, run: &NewRun) -> Result<()> {
        let sql = "UPDATE ingest_runs SET finished_at = $2, fetched = $3, inserted = $4, updated = $5, \
                   unchanged = $6, rejected = $7, status = $8, error = $9, rejections = $10 WHERE id = $1";
        macro_rules! bind_finish {
            ($q:expr) => {
                $q.bind(id)
                    .bind(run.finished_at)
                    .bind(run.fetched)
                    .bind(run.inserted)
                    .bind(run.updated)
                    .bind(run.unchanged)
                    .bind(run.rejected)
                    .bind(run.status.as_str())
                    .bind(&run.error)
                    .bind(&run.rejections)
            };
        }
        match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| bind_finish!(sqlx::query(sql))
                .persistent(self.persistent())
                .execute(&mut *conn)
                .await?),
            Pool::Sqlite(pool) => {
                bind_finish!(sqlx::query(sql)).execute(pool).await?;
                return Ok(());
            }
        };
        Ok(())
    }

    /// The database's name (Postgres) or `main` (SQLite).
    pub async fn current_database(&self) -> Result<String> {
        Ok(match &self.pool {
            Pool::Postgres(pool) => on_pg!(self, pool, |conn| sqlx::query_scalar(
                "SELECT current_database()"
            )
            .persistent(self.persistent())
            .fetch_one(&mut *conn)
            .await?),
            Pool::Sqlite(_) => "main".to_string(),
        })
    }

    /// Runs SQL as written, for tests that arrange faults (a failing trigger, a dropped table).
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
            Pool::Sqlite(pool) => {
                sqlx::raw_sql(sql).execute(pool).await?;
            }
        }
        Ok(())
    }
}

/// A batch must name each natural key once: Postgres refuses to update a row twice in
/// one statement, and which of two values should win is the caller's to decide.
fn ensure_unique<'a, T, K: std::hash::Hash + Eq>(
    rows: &'a [T],
    key: impl Fn(&'a T) -> K,
    shown: impl Fn(&T) -> String,
) -> Result<()> {
    let mut seen = HashSet::with_capacity(rows.len());
    match rows.iter().find(|r| !seen.insert(key(r))) {
        Some(duplicate) => Err(StoreError::DuplicateKey(shown(duplicate))),
        None => Ok(()),
    }
}

impl WriteCounts {
    fn add(&mut self, offered: u64, inserted: u64, updated: u64) {
        self.inserted += inserted;
        self.updated += updated;
        self.unchanged += offered - inserted - updated;
    }
}

/// `weather_observations` columns as read back.
type WeatherRow = (String, i64, DateTime<Utc>, f64, f64, i32, String);

/// A finished run, ready to be recorded.
#[derive(Clone, Debug)]
pub struct NewRun {
    pub source: String,
    /// JSON text.
    pub parameters: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub fetched: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub status: RunStatus,
    pub error: Option<String>,
    /// JSON text: `[{"key": …, "reason": …}]`.
    pub rejections: String,
}

macro_rules! run_from_row {
    ($name:ident, $row:ty) => {
        fn $name(row: &$row) -> Result<RunSummary> {
            let status: String = row.try_get("status")?;
            Ok(RunSummary {
                id: row.try_get("id")?,
                source: row.try_get("source")?,
                status: RunStatus::parse(&status).ok_or_else(|| {
                    StoreError::Query(sqlx::Error::Decode(
                        format!("unknown run status {status:?}").into(),
                    ))
                })?,
                started_at: row.try_get("started_at")?,
                finished_at: row.try_get("finished_at")?,
                fetched: row.try_get("fetched")?,
                inserted: row.try_get("inserted")?,
                updated: row.try_get("updated")?,
                unchanged: row.try_get("unchanged")?,
                rejected: row.try_get("rejected")?,
                error: row.try_get("error")?,
            })
        }
    };
}
run_from_row!(run_from_pg, sqlx::postgres::PgRow);
run_from_row!(run_from_sqlite, sqlx::sqlite::SqliteRow);
