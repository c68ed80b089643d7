//! What the dashboard (and the ingest's `runs` command) reads. Each query is written
//! once and runs on either backend through [`with_conn!`].

use super::{with_conn, Result, Store};
use crate::domain::*;
use crate::types::*;
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::mpsc;

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
        let (from, to) = date_bounds(from, to);
        let rows: Vec<BarRow> = with_conn!(self, |conn| {
            sqlx::query_as(BARS_SQL)
                .bind(symbol.as_str())
                .bind(from)
                .bind(to)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
        });
        Ok(rows.into_iter().map(|row| bar(symbol, row)).collect())
    }

    /// Every symbol's bars of the `days` days up to its own last bar (its last bar
    /// included), by symbol, oldest first: what an overview of all symbols needs, in
    /// one query. Each symbol's last day is found by an index probe, and its window
    /// read as one range of the primary key, so the cost follows the rows returned,
    /// not the history stored.
    pub async fn recent_bars(&self, days: u32) -> Result<Vec<DailyBar>> {
        let sql = match &self.pool {
            super::Pool::Postgres(_) => RECENT_BARS_POSTGRES,
            super::Pool::Sqlite(_) => RECENT_BARS_SQLITE,
        };
        let days = i32::try_from(days).unwrap_or(i32::MAX);
        let rows: Vec<(String, NaiveDate, f64, f64, f64, f64, f64)> =
            with_conn!(self, |conn| sqlx::query_as(sql)
                .bind(days)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?);
        Ok(rows
            .into_iter()
            .filter_map(|(symbol, date, open, high, low, close, volume)| {
                let symbol = Symbol::parse(&symbol).ok()?;
                Some(DailyBar::from_ohlcv(
                    symbol,
                    date,
                    [open, high, low, close, volume],
                ))
            })
            .collect())
    }

    /// The newest headlines, for one coin or for all, newest first.
    pub async fn latest_headlines(&self, coin: Option<&str>, limit: u32) -> Result<Vec<Headline>> {
        let filter = HeadlineFilter {
            coin: coin.map(str::to_string),
            search: None,
        };
        self.headlines(&filter, limit).await
    }

    /// The newest `limit` headlines `filter` lets through, newest first.
    pub async fn headlines(&self, filter: &HeadlineFilter, limit: u32) -> Result<Vec<Headline>> {
        let (sql, binds) = headline_query(filter, true);
        let rows: Vec<HeadlineRow> = with_conn!(self, |conn| {
            let mut query = sqlx::query_as(&sql);
            for value in &binds {
                query = query.bind(value);
            }
            query
                .bind(i64::from(limit))
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
        });
        Ok(rows.into_iter().map(headline).collect())
    }

    /// How many headlines `coin` has on each day (UTC) that has any, oldest first: the
    /// chart's news markers. One query; the days are counted here (the two databases
    /// store the time differently).
    pub async fn headline_days(&self, coin: &str) -> Result<Vec<(NaiveDate, u32)>> {
        let times: Vec<DateTime<Utc>> = with_conn!(self, |conn| sqlx::query_scalar(
            "SELECT published_at FROM headlines WHERE coin = $1 ORDER BY published_at"
        )
        .bind(coin)
        .persistent(self.persistent())
        .fetch_all(&mut *conn)
        .await?);
        let mut days: Vec<(NaiveDate, u32)> = Vec::new();
        for day in times.iter().map(DateTime::date_naive) {
            match days.last_mut() {
                Some((last, n)) if *last == day => *n += 1,
                _ => days.push((day, 1)),
            }
        }
        Ok(days)
    }

    /// `coin`'s headlines of one day (UTC), newest first, at most `limit`.
    pub async fn headlines_on(
        &self,
        coin: &str,
        day: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Headline>> {
        let start = day.and_time(chrono::NaiveTime::MIN).and_utc();
        let end = start + chrono::Duration::days(1);
        let rows: Vec<HeadlineRow> = with_conn!(self, |conn| sqlx::query_as(
            "SELECT url, coin, published_at, title FROM headlines \
             WHERE coin = $1 AND published_at >= $2 AND published_at < $3 \
             ORDER BY published_at DESC, url LIMIT $4"
        )
        .bind(coin)
        .bind(start)
        .bind(end)
        .bind(i64::from(limit))
        .persistent(self.persistent())
        .fetch_all(&mut *conn)
        .await?);
        Ok(rows.into_iter().map(headline).collect())
    }

    /// Every headline `filter` lets through, newest first, read a page at a time (see
    /// [`spawn_pages`]).
    pub fn stream_headlines(&self, filter: &HeadlineFilter) -> RowStream<Headline> {
        let (sql, binds) = headline_page_query(filter);
        let store = self.clone();
        spawn_pages(move |after: Option<Headline>| {
            let (store, sql, binds) = (store.clone(), sql.clone(), binds.clone());
            async move {
                // The first page starts after the newest possible headline.
                let (at, url) = after
                    .map(|h| (h.published_at, h.url))
                    .unwrap_or((far_future(), String::new()));
                let rows: Vec<HeadlineRow> = with_conn!(store, |conn| {
                    let mut query = sqlx::query_as(&sql);
                    for value in &binds {
                        query = query.bind(value);
                    }
                    query
                        .bind(at)
                        .bind(at)
                        .bind(url)
                        .bind(PAGE_ROWS)
                        .persistent(store.persistent())
                        .fetch_all(&mut *conn)
                        .await?
                });
                Ok(rows.into_iter().map(headline).collect())
            }
        })
    }

    /// Every bar of `symbol` within `from..=to`, oldest first, read a page at a time
    /// (see [`spawn_pages`]).
    pub fn stream_bars(
        &self,
        symbol: &Symbol,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> RowStream<DailyBar> {
        let (store, symbol) = (self.clone(), symbol.clone());
        let (from, to) = date_bounds(from, to);
        spawn_pages(move |after: Option<DailyBar>| {
            let (store, symbol) = (store.clone(), symbol.clone());
            // Dates are unique per symbol: the next page starts the day after.
            let from = after.and_then(|b| b.date.succ_opt()).unwrap_or(from);
            async move {
                let rows: Vec<BarRow> = with_conn!(store, |conn| {
                    sqlx::query_as(BARS_PAGE_SQL)
                        .bind(symbol.as_str())
                        .bind(from)
                        .bind(to)
                        .bind(PAGE_ROWS)
                        .persistent(store.persistent())
                        .fetch_all(&mut *conn)
                        .await?
                });
                Ok(rows.into_iter().map(|row| bar(&symbol, row)).collect())
            }
        })
    }

    /// The latest observation of each city, by city.
    pub async fn latest_weather(&self) -> Result<Vec<WeatherObservation>> {
        let rows: Vec<WeatherRow> = with_conn!(self, |conn| sqlx::query_as(
            "SELECT city, city_id, observed_at, temp_c, temp_f, humidity, description \
             FROM weather_observations w \
             WHERE observed_at = (SELECT MAX(observed_at) FROM weather_observations x \
                                  WHERE x.city = w.city) \
             ORDER BY city"
        )
        .persistent(self.persistent())
        .fetch_all(&mut *conn)
        .await?);
        Ok(rows.into_iter().map(weather).collect())
    }

    /// Every observation, of one city or of all (by city, then time), read a page at a
    /// time (see [`spawn_pages`]).
    pub fn stream_weather(&self, city: Option<&City>) -> RowStream<WeatherObservation> {
        let (store, city) = (self.clone(), city.map(|c| c.as_str().to_string()));
        let sql = format!(
            "SELECT city, city_id, observed_at, temp_c, temp_f, humidity, description \
             FROM weather_observations WHERE {} (city > $2 OR (city = $3 AND observed_at > $4)) \
             ORDER BY city, observed_at LIMIT $5",
            if city.is_some() {
                "city = $1 AND"
            } else {
                "$1 = $1 AND"
            }
        );
        spawn_pages(move |after: Option<WeatherObservation>| {
            let (store, sql, city) = (store.clone(), sql.clone(), city.clone());
            async move {
                // The first page starts before every city and time.
                let (last_city, last_at) = after
                    .map(|w| (w.city, w.observed_at))
                    .unwrap_or((String::new(), far_past()));
                let rows: Vec<WeatherRow> = with_conn!(store, |conn| {
                    sqlx::query_as(&sql)
                        .bind(city.clone().unwrap_or_default())
                        .bind(last_city.clone())
                        .bind(last_city.clone())
                        .bind(last_at)
                        .bind(PAGE_ROWS)
                        .persistent(store.persistent())
                        .fetch_all(&mut *conn)
                        .await?
                });
                Ok(rows.into_iter().map(weather).collect())
            }
        })
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
        Ok(rows.into_iter().map(weather).collect())
    }
}

/// Rows read a page at a time. The query runs on a task of its own and waits while
/// the reader is slower (a bounded channel), so a large table is never held in memory;
/// a failure part-way arrives as the last item.
pub type RowStream<T> = tokio_stream::wrappers::ReceiverStream<Result<T>>;

/// Rows in flight between the query and its reader.
const STREAM_BUFFER: usize = 256;

/// Rows read with one connection from the pool.
const PAGE_ROWS: i64 = 1000;

/// Streams the pages `next_page` reads, each after the last row of the one before
/// (`None` for the first), until a page comes back short. Each page is read on a
/// connection that goes back to the pool before its rows are sent, so a reader that
/// takes its time, or none at all, holds no connection: downloads never pin the
/// database. Stops when the reader has gone away.
fn spawn_pages<T, F, Fut>(mut next_page: F) -> RowStream<T>
where
    T: Clone + Send + 'static,
    F: FnMut(Option<T>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Vec<T>>> + Send + 'static,
{
    let (to, from) = mpsc::channel(STREAM_BUFFER);
    tokio::spawn(async move {
        let mut after = None;
        loop {
            let page = match next_page(after.take()).await {
                Ok(page) => page,
                Err(e) => {
                    let _ = to.send(Err(e)).await;
                    return;
                }
            };
            let full = page.len() as i64 == PAGE_ROWS;
            after = page.last().cloned();
            for row in page {
                if to.send(Ok(row)).await.is_err() {
                    return;
                }
            }
            if !full {
                return;
            }
        }
    });
    tokio_stream::wrappers::ReceiverStream::new(from)
}

/// A symbol's bars within two dates, both included.
const BARS_SQL: &str = "SELECT date, open, high, low, close, volume FROM daily_prices \
                        WHERE symbol = $1 AND date >= $2 AND date <= $3 ORDER BY date";

/// [`BARS_SQL`], at most `$4` of them.
const BARS_PAGE_SQL: &str = "SELECT date, open, high, low, close, volume FROM daily_prices \
                             WHERE symbol = $1 AND date >= $2 AND date <= $3 ORDER BY date \
                             LIMIT $4";

/// The symbols (a loose index scan, as in [`Store::symbols`]) with each one's last day.
macro_rules! last_days {
    () => {
        "WITH RECURSIVE s(symbol) AS ( \
                             SELECT MIN(symbol) FROM daily_prices \
                             UNION ALL \
                             SELECT (SELECT MIN(p.symbol) FROM daily_prices p WHERE p.symbol > s.symbol) \
                             FROM s WHERE s.symbol IS NOT NULL), \
                         l AS (SELECT symbol, \
                               (SELECT MAX(d.date) FROM daily_prices d WHERE d.symbol = s.symbol) AS last \
                               FROM s WHERE symbol IS NOT NULL) "
    };
}

/// [`Store::recent_bars`]: the same query, with each dialect's date arithmetic.
const RECENT_BARS_POSTGRES: &str = concat!(
    last_days!(),
    "SELECT p.symbol, p.date, p.open, p.high, p.low, p.close, p.volume \
     FROM l JOIN daily_prices p ON p.symbol = l.symbol AND p.date > l.last - $1::int \
     ORDER BY p.symbol, p.date"
);
const RECENT_BARS_SQLITE: &str = concat!(
    last_days!(),
    "SELECT p.symbol, p.date, p.open, p.high, p.low, p.close, p.volume \
     FROM l JOIN daily_prices p ON p.symbol = l.symbol \
     AND p.date > date(l.last, '-' || $1 || ' days') \
     ORDER BY p.symbol, p.date"
);

/// `daily_prices` columns as [`BARS_SQL`] reads them.
type BarRow = (NaiveDate, f64, f64, f64, f64, f64);

fn bar(symbol: &Symbol, (date, open, high, low, close, volume): BarRow) -> DailyBar {
    DailyBar::from_ohlcv(symbol.clone(), date, [open, high, low, close, volume])
}

/// Later than any stored time, and written like one in both backends.
fn far_future() -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(
        date_bounds(None, None)
            .1
            .and_hms_opt(23, 59, 59)
            .expect("valid time"),
        Utc,
    )
}

/// Earlier than any stored time, and written like one in both backends.
fn far_past() -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(
        date_bounds(None, None)
            .0
            .and_hms_opt(0, 0, 0)
            .expect("valid time"),
        Utc,
    )
}

/// Open bounds made into the widest dates both backends store.
fn date_bounds(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    (
        from.unwrap_or(NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date")),
        to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date")),
    )
}

/// `headlines` columns as read back.
type HeadlineRow = (String, String, DateTime<Utc>, String);

fn headline((url, coin, published_at, title): HeadlineRow) -> Headline {
    Headline {
        url,
        coin,
        published_at,
        title,
    }
}

/// The SQL for `filter` (newest first, with a trailing `LIMIT` bind when `limited`) and
/// the text values to bind, in order. Only fixed fragments make the text.
fn headline_query(filter: &HeadlineFilter, limited: bool) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT url, coin, published_at, title FROM headlines WHERE 1 = 1");
    let mut binds = Vec::new();
    if let Some(coin) = &filter.coin {
        binds.push(coin.clone());
        sql += &format!(" AND coin = ${}", binds.len());
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.is_empty()) {
        binds.push(like_pattern(search));
        sql += &format!(" AND LOWER(title) LIKE ${} ESCAPE '\\'", binds.len());
    }
    sql += " ORDER BY published_at DESC, url";
    if limited {
        sql += &format!(" LIMIT ${}", binds.len() + 1);
    }
    (sql, binds)
}

/// The SQL of a page of headlines for `filter` after a given one (newest first: an
/// older one, or one as old with a later URL), and the text values to bind first; then
/// come the last page's `published_at` twice, its URL, and the page's size.
fn headline_page_query(filter: &HeadlineFilter) -> (String, Vec<String>) {
    let (sql, binds) = headline_query(filter, false);
    let n = binds.len();
    let (select, order) = sql
        .split_once(" ORDER BY ")
        .expect("the headline query is ordered");
    let sql = format!(
        "{select} AND (published_at < ${} OR (published_at = ${} AND url > ${})) \
         ORDER BY {order} LIMIT ${}",
        n + 1,
        n + 2,
        n + 3,
        n + 4
    );
    (sql, binds)
}

/// `%text%` in lower case, with the LIKE wildcards and the escape character in `text`
/// escaped, so it matches only itself; at most [`MAX_SEARCH_LEN`] characters of it.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text
        .chars()
        .take(MAX_SEARCH_LEN)
        .flat_map(char::to_lowercase)
    {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn weather(
    (city, city_id, observed_at, temp_c, temp_f, humidity, description): WeatherRow,
) -> WeatherObservation {
    WeatherObservation {
        city,
        city_id,
        observed_at,
        temp_c,
        temp_f,
        humidity: i64::from(humidity),
        description,
    }
}
