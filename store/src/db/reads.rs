//! What the dashboard (and the ingest's `runs` command) reads. Each query is written
//! once and runs on either backend through [`with_conn!`].

use super::{with_conn, Result, Store};
use crate::domain::*;
use crate::types::*;
use chrono::{DateTime, NaiveDate, Utc};

/// `weather_observations` columns as read back.
type WeatherRow = (String, i64, DateTime<Utc>, f64, f64, i32, String);

impl Store {
    /// True when neither prices nor headlines hold a row.
    pub(crate) async fn is_empty(&self) -> Result<bool> {
        let sql = "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM daily_prices LIMIT 1) p) \
                 + (SELECT COUNT(*) FROM (SELECT 1 FROM headlines LIMIT 1) h) AS n";
        let n: i64 = with_conn!(self, |conn| sqlx::query_scalar(sql)
            .persistent(self.persistent())
            .fetch_one(&mut *conn)
            .await?);
        Ok(n == 0)
    }

    /// Reads a value from the `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(with_conn!(self, |conn| sqlx::query_scalar(
            "SELECT value FROM meta WHERE key = $1"
        )
        .bind(key)
        .persistent(self.persistent())
        .fetch_optional(&mut *conn)
        .await?))
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        with_conn!(self, |conn| sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        .bind(key)
        .bind(value)
        .persistent(self.persistent())
        .execute(&mut *conn)
        .await?
        .rows_affected());
        Ok(())
    }

    /// True when the database holds the demo data set (see [`crate::demo`]).
    pub async fn is_demo(&self) -> Result<bool> {
        Ok(self.meta("demo").await?.as_deref() == Some("true"))
    }

    /// A token that changes whenever what the dashboard shows may have changed: a run
    /// started, finished or was removed, or the demo flag moved. Every write of ours
    /// happens inside a recorded run (the demo seed included), so comparing two tokens
    /// tells a reader whether its cached pages are still true. One cheap query.
    pub async fn data_version(&self) -> Result<String> {
        let sql = "SELECT COUNT(*), COALESCE(MAX(id), 0), COUNT(finished_at),                           (SELECT value FROM meta WHERE key = 'demo')                    FROM ingest_runs";
        let (runs, last, finished, demo): (i64, i64, i64, Option<String>) =
            with_conn!(self, |conn| sqlx::query_as(sql)
                .persistent(self.persistent())
                .fetch_one(&mut *conn)
                .await?);
        Ok(format!(
            "{runs}-{last}-{finished}-{}",
            demo.unwrap_or_default()
        ))
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
        let raw: Vec<String> = with_conn!(self, |conn| sqlx::query_scalar(sql)
            .persistent(self.persistent())
            .fetch_all(&mut *conn)
            .await?);
        // A symbol written by hand that is not a valid Symbol is skipped, not fatal.
        Ok(raw.iter().filter_map(|s| Symbol::parse(s).ok()).collect())
    }

    /// Does `symbol` have any bar?
    pub async fn has_symbol(&self, symbol: &Symbol) -> Result<bool> {
        let found: Option<i32> = with_conn!(self, |conn| sqlx::query_scalar(
            "SELECT 1 FROM daily_prices WHERE symbol = $1 LIMIT 1"
        )
        .bind(symbol.as_str())
        .persistent(self.persistent())
        .fetch_optional(&mut *conn)
        .await?);
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
        let rows: Vec<(NaiveDate, f64, f64, f64, f64, f64)> = with_conn!(self, |conn| {
            sqlx::query_as(
                "SELECT date, open, high, low, close, volume FROM daily_prices \
                 WHERE symbol = $1 AND date >= $2 AND date <= $3 ORDER BY date",
            )
            .bind(symbol.as_str())
            .bind(from)
            .bind(to)
            .persistent(self.persistent())
            .fetch_all(&mut *conn)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(date, open, high, low, close, volume)| {
                DailyBar::from_ohlcv(symbol.clone(), date, [open, high, low, close, volume])
            })
            .collect())
    }

    /// The newest headlines, for one coin or for all, newest first. Two texts, so each
    /// has its own plan (the per-coin index, or the newest-first one).
    pub async fn latest_headlines(&self, coin: Option<&str>, limit: u32) -> Result<Vec<Headline>> {
        let limit = i64::from(limit);
        let rows: Vec<(String, String, DateTime<Utc>, String)> = match coin {
            Some(coin) => with_conn!(self, |conn| sqlx::query_as(
                "SELECT url, coin, published_at, title FROM headlines WHERE coin = $1 \
                 ORDER BY published_at DESC, url LIMIT $2"
            )
            .bind(coin)
            .bind(limit)
            .persistent(self.persistent())
            .fetch_all(&mut *conn)
            .await?),
            None => with_conn!(self, |conn| sqlx::query_as(
                "SELECT url, coin, published_at, title FROM headlines \
                 ORDER BY published_at DESC, url LIMIT $1"
            )
            .bind(limit)
            .persistent(self.persistent())
            .fetch_all(&mut *conn)
            .await?),
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

    /// Weather rows of a city, oldest first.
    pub async fn weather_for(&self, city: &str) -> Result<Vec<WeatherObservation>> {
        let rows: Vec<WeatherRow> = with_conn!(self, |conn| sqlx::query_as(
            "SELECT city, city_id, observed_at, temp_c, temp_f, humidity, description \
             FROM weather_observations WHERE city = $1 ORDER BY observed_at"
        )
        .bind(city)
        .persistent(self.persistent())
        .fetch_all(&mut *conn)
        .await?);
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
}
