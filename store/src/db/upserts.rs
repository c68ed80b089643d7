//! The bulk idempotent writes. Writing the same rows again changes nothing and reports
//! them as unchanged; a batch is written whole in one transaction or not at all.
//!
//! **The newest fetch wins.** Each row keeps when its source answered with it
//! (`fetched_at`, the batch's fetch time): a batch fetched earlier than the row's values
//! (a Lambda retry, or a run delayed past a newer one) leaves the row alone, and is
//! counted unchanged. A newer fetch of the same values moves `fetched_at` on without
//! counting an update (`updated_at` moves only when a value does).
//!
//! The skeleton (one transaction, writers of a table serialised, chunks, counting what
//! was inserted and updated) is written once in [`Store::upsert`]. What each table says
//! is its SQL, literal, once per dialect and side by side in its [`Upsert`]
//! implementation: Postgres takes a chunk as arrays (`UNNEST`, one parameter per
//! column) and tells inserted from updated rows by `xmax`; SQLite takes a multi-row
//! `VALUES` list and counts the keys that existed before.

use super::{Pool, Result, Store, StoreError};
use crate::types::*;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::QueryAs;
use sqlx::query_builder::Separated;
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashSet;
use std::hash::Hash;

/// Rows per statement. Postgres takes them as arrays (one parameter per column); SQLite
/// as a multi-row VALUES list, which must stay under its 32,766 parameter limit.
const PG_CHUNK: usize = 20_000;
const SQLITE_CHUNK: usize = 2_000;

/// The `source` of the demo data set's rows (see [`crate::demo`]).
pub const DEMO_SOURCE: &str = "demo";

/// What the first real write into a database holding the demo set removes, in its own
/// transaction: the demo rows, the demo runs and the demo flag. Real data never mixes
/// with generated history, and the page stops saying "demo" the moment it shows data.
const FORGET_DEMO: &[&str] = &[
    "DELETE FROM daily_prices WHERE source = 'demo'",
    "DELETE FROM headlines WHERE source = 'demo'",
    "DELETE FROM weather_observations WHERE source = 'demo'",
    "DELETE FROM ingest_runs WHERE parameters = '{\"demo\":true}'",
    "DELETE FROM meta WHERE key = 'demo'",
];

/// Inside a write transaction `$tx` of either backend: when the database holds the demo
/// set and this write is not part of it, forget the demo set first.
macro_rules! forget_demo_within {
    ($store:expr, $tx:expr, $source:expr) => {
        if $source != DEMO_SOURCE {
            let flag: Option<String> =
                sqlx::query_scalar("SELECT value FROM meta WHERE key = 'demo'")
                    .persistent($store.persistent())
                    .fetch_optional(&mut *$tx)
                    .await?;
            if flag.as_deref() == Some("true") {
                for sql in FORGET_DEMO {
                    sqlx::query(sql)
                        .persistent($store.persistent())
                        .execute(&mut *$tx)
                        .await?;
                }
            }
        }
    };
}

/// The Postgres upsert statement, answering `(inserted, updated)`.
type PgCounts<'q> = QueryAs<'q, Postgres, (i64, i64), PgArguments>;
/// One row of a SQLite `VALUES` list being built.
type SqliteValues<'qb, 'args> = Separated<'qb, 'args, Sqlite, &'static str>;

/// A row type the store writes in bulk, keyed by its natural key.
trait Upsert: Sized + Sync {
    /// The table, also the name of the lock its writers take on Postgres.
    const TABLE: &'static str;
    /// Postgres: one chunk in one statement, each column an array; the last parameter
    /// but one is the rows' `source`, the last their `fetched_at`. Answers
    /// `(inserted, updated)`, an update being a row whose values changed.
    const PG_UPSERT: &'static str;
    /// SQLite: the natural key's columns, as a row value: `(symbol, date)`.
    const SQLITE_KEY: &'static str;
    /// SQLite: `INSERT INTO … (columns)`; the `VALUES` list follows, `source`,
    /// `fetched_at` and `updated_at` last.
    const SQLITE_INSERT: &'static str;
    /// SQLite: the `ON CONFLICT` clause after the `VALUES` list.
    const SQLITE_ON_CONFLICT: &'static str;

    /// The natural key, for the batch's uniqueness check.
    fn key(&self) -> impl Hash + Eq + '_;
    /// The natural key as people read it, for the error that names a duplicate.
    fn key_text(&self) -> String;
    /// Binds the chunk's columns as arrays, in `PG_UPSERT`'s parameter order.
    fn bind_pg_columns<'q>(query: PgCounts<'q>, chunk: &'q [Self]) -> PgCounts<'q>;
    /// Pushes the key columns of one row, in `SQLITE_KEY`'s order.
    fn push_sqlite_key<'args>(values: &mut SqliteValues<'_, 'args>, row: &'args Self);
    /// Pushes the columns of one row, in `SQLITE_INSERT`'s order, `source` excluded.
    fn push_sqlite_row<'args>(values: &mut SqliteValues<'_, 'args>, row: &'args Self);
}

impl Store {
    /// Inserts new bars and updates changed ones (keyed by symbol and date), as fetched
    /// now.
    pub async fn upsert_bars(&self, bars: &[DailyBar], source: &str) -> Result<WriteCounts> {
        self.upsert(bars, source, Utc::now()).await
    }

    /// [`Store::upsert_bars`] for a batch fetched at `fetched_at`.
    pub async fn upsert_bars_as_of(
        &self,
        bars: &[DailyBar],
        source: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<WriteCounts> {
        self.upsert(bars, source, fetched_at).await
    }

    /// Inserts new headlines and updates changed ones (keyed by URL), as fetched now.
    pub async fn upsert_headlines(
        &self,
        headlines: &[Headline],
        source: &str,
    ) -> Result<WriteCounts> {
        self.upsert(headlines, source, Utc::now()).await
    }

    /// [`Store::upsert_headlines`] for a batch fetched at `fetched_at`.
    pub async fn upsert_headlines_as_of(
        &self,
        headlines: &[Headline],
        source: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<WriteCounts> {
        self.upsert(headlines, source, fetched_at).await
    }

    /// Inserts new observations and updates changed ones (keyed by city and observed
    /// time), as fetched now.
    pub async fn upsert_weather(
        &self,
        rows: &[WeatherObservation],
        source: &str,
    ) -> Result<WriteCounts> {
        self.upsert(rows, source, Utc::now()).await
    }

    /// [`Store::upsert_weather`] for a batch fetched at `fetched_at`.
    pub async fn upsert_weather_as_of(
        &self,
        rows: &[WeatherObservation],
        source: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<WriteCounts> {
        self.upsert(rows, source, fetched_at).await
    }

    /// Writes `rows` in one transaction, in chunks, and counts what changed.
    async fn upsert<T: Upsert>(
        &self,
        rows: &[T],
        source: &str,
        fetched_at: DateTime<Utc>,
    ) -> Result<WriteCounts> {
        ensure_unique(rows)?;
        let mut counts = WriteCounts::default();
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Serialises writers of one table for the length of the transaction, so
                // two runs of the same source commit one whole batch after the other. A
                // transaction-level lock, so it also holds behind a transaction-mode pooler.
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(format!("tickerboard:{}", T::TABLE))
                    .persistent(self.persistent())
                    .execute(&mut *tx)
                    .await?;
                forget_demo_within!(self, tx, source);
                for chunk in rows.chunks(PG_CHUNK) {
                    let (inserted, updated) =
                        T::bind_pg_columns(sqlx::query_as(T::PG_UPSERT), chunk)
                            .bind(source)
                            .bind(fetched_at)
                            .persistent(self.persistent())
                            .fetch_one(&mut *tx)
                            .await?;
                    counts.add(chunk.len(), inserted as u64, updated as u64);
                }
                tx.commit().await?;
            }
            Pool::Sqlite(pool) => {
                // Takes the write lock at once: two writers then queue on the busy timeout
                // instead of one failing when it upgrades from reading to writing.
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                forget_demo_within!(self, tx, source);
                // Fixed-width UTC text, so comparing two of them compares the times; the
                // write's own time marks the rows whose values it changed.
                let text = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
                let (fetched_at, now) = (text(fetched_at), text(Utc::now()));
                for chunk in rows.chunks(SQLITE_CHUNK) {
                    let keys_in = |sql: String| {
                        let mut query = QueryBuilder::new(sql);
                        query.push(" (");
                        query.push_values(chunk, |mut values, row| {
                            T::push_sqlite_key(&mut values, row);
                        });
                        query.push(")");
                        query
                    };
                    let mut existing = keys_in(format!(
                        "SELECT COUNT(*) FROM {} WHERE {} IN",
                        T::TABLE,
                        T::SQLITE_KEY
                    ));
                    let existing: i64 = existing.build_query_scalar().fetch_one(&mut *tx).await?;

                    let mut upsert = QueryBuilder::new(T::SQLITE_INSERT);
                    upsert.push(" ");
                    upsert.push_values(chunk, |mut values, row| {
                        T::push_sqlite_row(&mut values, row);
                        values.push_bind(source);
                        values.push_bind(fetched_at.as_str());
                        values.push_bind(now.as_str());
                    });
                    upsert.push(" ");
                    upsert.push(T::SQLITE_ON_CONFLICT);
                    upsert.build().execute(&mut *tx).await?;

                    let mut changed = keys_in(format!(
                        "SELECT COUNT(*) FROM {} WHERE updated_at = '{now}' AND {} IN",
                        T::TABLE,
                        T::SQLITE_KEY
                    ));
                    let changed: i64 = changed.build_query_scalar().fetch_one(&mut *tx).await?;
                    let inserted = chunk.len() as u64 - existing as u64;
                    counts.add(chunk.len(), inserted, changed as u64 - inserted);
                }
                tx.commit().await?;
            }
        }
        Ok(counts)
    }
}

impl Upsert for DailyBar {
    const TABLE: &'static str = "daily_prices";
    const PG_UPSERT: &'static str = "WITH up AS ( \
           INSERT INTO daily_prices AS d (symbol, date, open, high, low, close, volume, source, fetched_at) \
           SELECT t.*, $8, $9 FROM UNNEST($1::text[], $2::date[], $3::float8[], $4::float8[], \
                                     $5::float8[], $6::float8[], $7::float8[]) \
                AS t(symbol, date, open, high, low, close, volume) \
           ON CONFLICT (symbol, date) DO UPDATE SET \
             open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, \
             close = EXCLUDED.close, volume = EXCLUDED.volume, \
             source = EXCLUDED.source, fetched_at = EXCLUDED.fetched_at, \
             updated_at = CASE WHEN (d.open, d.high, d.low, d.close, d.volume, d.source) \
               IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, \
                  EXCLUDED.close, EXCLUDED.volume, EXCLUDED.source) THEN now() ELSE d.updated_at END \
           WHERE d.fetched_at IS NULL OR d.fetched_at < EXCLUDED.fetched_at \
             OR (d.fetched_at = EXCLUDED.fetched_at \
                 AND (d.open, d.high, d.low, d.close, d.volume, d.source) \
                 IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, \
                  EXCLUDED.close, EXCLUDED.volume, EXCLUDED.source)) \
           RETURNING (xmax = 0) AS inserted, d.updated_at = now() AS changed) \
         SELECT COUNT(*) FILTER (WHERE inserted), \
                COUNT(*) FILTER (WHERE changed AND NOT inserted) FROM up";
    const SQLITE_KEY: &'static str = "(symbol, date)";
    const SQLITE_INSERT: &'static str = "INSERT INTO daily_prices \
          (symbol, date, open, high, low, close, volume, source, fetched_at, updated_at)";
    const SQLITE_ON_CONFLICT: &'static str = "ON CONFLICT (symbol, date) DO UPDATE SET \
          open = excluded.open, high = excluded.high, low = excluded.low, \
          close = excluded.close, volume = excluded.volume, source = excluded.source, \
          fetched_at = excluded.fetched_at, \
          updated_at = CASE WHEN daily_prices.open IS NOT excluded.open \
             OR daily_prices.high IS NOT excluded.high OR daily_prices.low IS NOT excluded.low \
             OR daily_prices.close IS NOT excluded.close OR daily_prices.volume IS NOT excluded.volume \
             OR daily_prices.source IS NOT excluded.source \
             THEN excluded.updated_at ELSE daily_prices.updated_at END \
          WHERE daily_prices.fetched_at IS NULL OR daily_prices.fetched_at < excluded.fetched_at \
             OR (daily_prices.fetched_at = excluded.fetched_at AND ( \
                daily_prices.open IS NOT excluded.open OR daily_prices.high IS NOT excluded.high \
             OR daily_prices.low IS NOT excluded.low OR daily_prices.close IS NOT excluded.close \
             OR daily_prices.volume IS NOT excluded.volume OR daily_prices.source IS NOT excluded.source))";

    fn key(&self) -> impl Hash + Eq + '_ {
        (self.symbol.as_str(), self.date)
    }
    fn key_text(&self) -> String {
        format!("{} {}", self.symbol, self.date)
    }
    fn bind_pg_columns<'q>(query: PgCounts<'q>, chunk: &'q [Self]) -> PgCounts<'q> {
        query
            .bind(chunk.iter().map(|b| b.symbol.as_str()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.date).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.open).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.high).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.low).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.close).collect::<Vec<_>>())
            .bind(chunk.iter().map(|b| b.volume).collect::<Vec<_>>())
    }
    fn push_sqlite_key<'args>(values: &mut SqliteValues<'_, 'args>, bar: &'args Self) {
        values.push_bind(bar.symbol.as_str()).push_bind(bar.date);
    }
    fn push_sqlite_row<'args>(values: &mut SqliteValues<'_, 'args>, bar: &'args Self) {
        values
            .push_bind(bar.symbol.as_str())
            .push_bind(bar.date)
            .push_bind(bar.open)
            .push_bind(bar.high)
            .push_bind(bar.low)
            .push_bind(bar.close)
            .push_bind(bar.volume);
    }
}

impl Upsert for Headline {
    const TABLE: &'static str = "headlines";
    const PG_UPSERT: &'static str = "WITH up AS ( \
           INSERT INTO headlines AS h (url, coin, published_at, title, source, fetched_at) \
           SELECT t.*, $5, $6 FROM UNNEST($1::text[], $2::text[], $3::timestamptz[], $4::text[]) \
                AS t(url, coin, published_at, title) \
           ON CONFLICT (url) DO UPDATE SET coin = EXCLUDED.coin, \
             published_at = EXCLUDED.published_at, title = EXCLUDED.title, \
             source = EXCLUDED.source, fetched_at = EXCLUDED.fetched_at, \
             updated_at = CASE WHEN (h.coin, h.published_at, h.title, h.source) \
               IS DISTINCT FROM (EXCLUDED.coin, EXCLUDED.published_at, EXCLUDED.title, EXCLUDED.source) \
               THEN now() ELSE h.updated_at END \
           WHERE h.fetched_at IS NULL OR h.fetched_at < EXCLUDED.fetched_at \
             OR (h.fetched_at = EXCLUDED.fetched_at \
                 AND (h.coin, h.published_at, h.title, h.source) \
                 IS DISTINCT FROM (EXCLUDED.coin, EXCLUDED.published_at, EXCLUDED.title, EXCLUDED.source)) \
           RETURNING (xmax = 0) AS inserted, h.updated_at = now() AS changed) \
         SELECT COUNT(*) FILTER (WHERE inserted), \
                COUNT(*) FILTER (WHERE changed AND NOT inserted) FROM up";
    const SQLITE_KEY: &'static str = "url";
    const SQLITE_INSERT: &'static str =
        "INSERT INTO headlines (url, coin, published_at, title, source, fetched_at, updated_at)";
    const SQLITE_ON_CONFLICT: &'static str =
        "ON CONFLICT (url) DO UPDATE SET coin = excluded.coin, \
          published_at = excluded.published_at, title = excluded.title, \
          source = excluded.source, fetched_at = excluded.fetched_at, \
          updated_at = CASE WHEN headlines.coin IS NOT excluded.coin \
             OR headlines.published_at IS NOT excluded.published_at \
             OR headlines.title IS NOT excluded.title OR headlines.source IS NOT excluded.source \
             THEN excluded.updated_at ELSE headlines.updated_at END \
          WHERE headlines.fetched_at IS NULL OR headlines.fetched_at < excluded.fetched_at \
             OR (headlines.fetched_at = excluded.fetched_at AND ( \
                headlines.coin IS NOT excluded.coin \
             OR headlines.published_at IS NOT excluded.published_at \
             OR headlines.title IS NOT excluded.title OR headlines.source IS NOT excluded.source))";

    fn key(&self) -> impl Hash + Eq + '_ {
        self.url.as_str()
    }
    fn key_text(&self) -> String {
        self.url.clone()
    }
    fn bind_pg_columns<'q>(query: PgCounts<'q>, chunk: &'q [Self]) -> PgCounts<'q> {
        query
            .bind(chunk.iter().map(|h| h.url.as_str()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|h| h.coin.as_str()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|h| h.published_at).collect::<Vec<_>>())
            .bind(chunk.iter().map(|h| h.title.as_str()).collect::<Vec<_>>())
    }
    fn push_sqlite_key<'args>(values: &mut SqliteValues<'_, 'args>, h: &'args Self) {
        values.push_bind(h.url.as_str());
    }
    fn push_sqlite_row<'args>(values: &mut SqliteValues<'_, 'args>, h: &'args Self) {
        values
            .push_bind(h.url.as_str())
            .push_bind(h.coin.as_str())
            .push_bind(h.published_at)
            .push_bind(h.title.as_str());
    }
}

impl Upsert for WeatherObservation {
    const TABLE: &'static str = "weather_observations";
    const PG_UPSERT: &'static str = "WITH up AS ( \
           INSERT INTO weather_observations AS w (city, observed_at, city_id, temp_c, temp_f, humidity, description, source, fetched_at) \
           SELECT t.*, $8, $9 FROM UNNEST($1::text[], $2::timestamptz[], $3::int8[], $4::float8[], \
                                     $5::float8[], $6::int4[], $7::text[]) \
                AS t(city, observed_at, city_id, temp_c, temp_f, humidity, description) \
           ON CONFLICT (city, observed_at) DO UPDATE SET city_id = EXCLUDED.city_id, \
             temp_c = EXCLUDED.temp_c, temp_f = EXCLUDED.temp_f, humidity = EXCLUDED.humidity, \
             description = EXCLUDED.description, source = EXCLUDED.source, \
             fetched_at = EXCLUDED.fetched_at, \
             updated_at = CASE WHEN (w.city_id, w.temp_c, w.temp_f, w.humidity, w.description, w.source) \
               IS DISTINCT FROM (EXCLUDED.city_id, EXCLUDED.temp_c, EXCLUDED.temp_f, \
                  EXCLUDED.humidity, EXCLUDED.description, EXCLUDED.source) \
               THEN now() ELSE w.updated_at END \
           WHERE w.fetched_at IS NULL OR w.fetched_at < EXCLUDED.fetched_at \
             OR (w.fetched_at = EXCLUDED.fetched_at \
                 AND (w.city_id, w.temp_c, w.temp_f, w.humidity, w.description, w.source) \
                 IS DISTINCT FROM (EXCLUDED.city_id, EXCLUDED.temp_c, EXCLUDED.temp_f, \
                  EXCLUDED.humidity, EXCLUDED.description, EXCLUDED.source)) \
           RETURNING (xmax = 0) AS inserted, w.updated_at = now() AS changed) \
         SELECT COUNT(*) FILTER (WHERE inserted), \
                COUNT(*) FILTER (WHERE changed AND NOT inserted) FROM up";
    const SQLITE_KEY: &'static str = "(city, observed_at)";
    const SQLITE_INSERT: &'static str = "INSERT INTO weather_observations \
          (city, observed_at, city_id, temp_c, temp_f, humidity, description, source, \
           fetched_at, updated_at)";
    const SQLITE_ON_CONFLICT: &'static str = "ON CONFLICT (city, observed_at) DO UPDATE SET \
          city_id = excluded.city_id, temp_c = excluded.temp_c, temp_f = excluded.temp_f, \
          humidity = excluded.humidity, description = excluded.description, \
          source = excluded.source, fetched_at = excluded.fetched_at, \
          updated_at = CASE WHEN weather_observations.city_id IS NOT excluded.city_id \
             OR weather_observations.temp_c IS NOT excluded.temp_c \
             OR weather_observations.temp_f IS NOT excluded.temp_f \
             OR weather_observations.humidity IS NOT excluded.humidity \
             OR weather_observations.description IS NOT excluded.description \
             OR weather_observations.source IS NOT excluded.source \
             THEN excluded.updated_at ELSE weather_observations.updated_at END \
          WHERE weather_observations.fetched_at IS NULL \
             OR weather_observations.fetched_at < excluded.fetched_at \
             OR (weather_observations.fetched_at = excluded.fetched_at AND ( \
                weather_observations.city_id IS NOT excluded.city_id \
             OR weather_observations.temp_c IS NOT excluded.temp_c \
             OR weather_observations.temp_f IS NOT excluded.temp_f \
             OR weather_observations.humidity IS NOT excluded.humidity \
             OR weather_observations.description IS NOT excluded.description \
             OR weather_observations.source IS NOT excluded.source))";

    fn key(&self) -> impl Hash + Eq + '_ {
        (self.city.as_str(), self.observed_at)
    }
    fn key_text(&self) -> String {
        format!("{} {}", self.city, self.observed_at)
    }
    fn bind_pg_columns<'q>(query: PgCounts<'q>, chunk: &'q [Self]) -> PgCounts<'q> {
        query
            .bind(chunk.iter().map(|r| r.city.as_str()).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.observed_at).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.city_id).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.temp_c).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.temp_f).collect::<Vec<_>>())
            .bind(chunk.iter().map(|r| r.humidity as i32).collect::<Vec<_>>())
            .bind(
                chunk
                    .iter()
                    .map(|r| r.description.as_str())
                    .collect::<Vec<_>>(),
            )
    }
    fn push_sqlite_key<'args>(values: &mut SqliteValues<'_, 'args>, r: &'args Self) {
        values.push_bind(r.city.as_str()).push_bind(r.observed_at);
    }
    fn push_sqlite_row<'args>(values: &mut SqliteValues<'_, 'args>, r: &'args Self) {
        values
            .push_bind(r.city.as_str())
            .push_bind(r.observed_at)
            .push_bind(r.city_id)
            .push_bind(r.temp_c)
            .push_bind(r.temp_f)
            .push_bind(r.humidity)
            .push_bind(r.description.as_str());
    }
}

/// A batch must name each natural key once: Postgres refuses to update a row twice in
/// one statement, and which of two values should win is the caller's to decide.
fn ensure_unique<T: Upsert>(rows: &[T]) -> Result<()> {
    let mut seen = HashSet::with_capacity(rows.len());
    match rows.iter().find(|r| !seen.insert(r.key())) {
        Some(duplicate) => Err(StoreError::DuplicateKey(duplicate.key_text())),
        None => Ok(()),
    }
}

impl WriteCounts {
    fn add(&mut self, offered: usize, inserted: u64, updated: u64) {
        self.inserted += inserted;
        self.updated += updated;
        self.unchanged += offered as u64 - inserted - updated;
    }
}
