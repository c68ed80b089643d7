//! Fetching, apart from storing: a [`Fetcher`] (an HTTP client and the source
//! settings, no database) turns a [`Job`] into a [`FetchedBatch`]. The CLI, the
//! pipeline and the Lambda fetch function build one and reuse it (the Lambda for the
//! life of its container).

use crate::config::SourceSettings;
use crate::http::{Http, Secrets};
use crate::report::Rejection;
use crate::sources::alphavantage::AlphaVantage;
use crate::sources::openweather::OpenWeather;
use crate::sources::utoday::UToday;
use crate::sources::{Parsed, SourceError};
use crate::validate;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use store::{City, Coin, DailyBar, Headline, Symbol, WeatherObservation};

/// One thing to fetch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "lowercase")]
pub enum Job {
    /// A stock's daily bars: the last 100 days, or all with `full`.
    Prices { symbol: Symbol, full: bool },
    /// A digital currency's daily bars in `market`.
    Crypto { symbol: Symbol, market: String },
    /// A coin's headlines.
    News { coin: Coin },
    /// Current weather for cities.
    Weather { cities: Vec<City> },
}

impl Job {
    /// The run's source name, as the runs table and the dashboard call it.
    pub fn source(&self) -> &'static str {
        match self {
            Job::Prices { .. } => "prices",
            Job::Crypto { .. } => "crypto",
            Job::News { .. } => "news",
            Job::Weather { .. } => "weather",
        }
    }

    /// Whether this job calls Alpha Vantage (its pace and its daily quota apply).
    pub fn uses_alphavantage(&self) -> bool {
        matches!(self, Job::Prices { .. } | Job::Crypto { .. })
    }

    /// Where rows come from, stored in each row's `source` column.
    pub(crate) fn origin(&self) -> &'static str {
        match self {
            Job::Prices { .. } | Job::Crypto { .. } => "alphavantage",
            Job::News { .. } => "utoday",
            Job::Weather { .. } => "openweathermap",
        }
    }

    pub fn parameters(&self) -> serde_json::Value {
        match self {
            Job::Prices { symbol, full } => json!({ "symbol": symbol, "full": full }),
            Job::Crypto { symbol, market } => json!({ "symbol": symbol, "market": market }),
            Job::News { coin } => json!({ "coin": coin }),
            Job::Weather { cities } => json!({ "cities": cities }),
        }
    }
}

/// Rows of one kind, as fetched and not yet validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "items", rename_all = "lowercase")]
pub enum Rows {
    Bars(Vec<DailyBar>),
    Headlines(Vec<Headline>),
    Weather(Vec<WeatherObservation>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Bars(v) => v.len(),
            Rows::Headlines(v) => v.len(),
            Rows::Weather(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// No rows, of the same kind as `other`.
    pub fn empty_like(other: &Rows) -> Rows {
        match other {
            Rows::Bars(_) => Rows::Bars(Vec::new()),
            Rows::Headlines(_) => Rows::Headlines(Vec::new()),
            Rows::Weather(_) => Rows::Weather(Vec::new()),
        }
    }

    /// The table the rows go to.
    pub fn table(&self) -> &'static str {
        match self {
            Rows::Bars(_) => "daily_prices",
            Rows::Headlines(_) => "headlines",
            Rows::Weather(_) => "weather_observations",
        }
    }

    /// The rows that pass validation, and the rejections of the others.
    pub fn validated(self, now: DateTime<Utc>) -> (Rows, Vec<Rejection>) {
        match self {
            Rows::Bars(rows) => {
                let c = validate::bars(rows, now.date_naive());
                (Rows::Bars(c.valid), c.rejections)
            }
            Rows::Headlines(rows) => {
                let c = validate::headlines(rows, now);
                (Rows::Headlines(c.valid), c.rejections)
            }
            Rows::Weather(rows) => {
                let c = validate::weather(rows, now);
                (Rows::Weather(c.valid), c.rejections)
            }
        }
    }
}

/// What a fetch produced: the rows, the ones the source could not read, and what was
/// asked for. It is the fetch Lambda's response and the store Lambda's input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchedBatch {
    pub job: Job,
    pub fetched_at: DateTime<Utc>,
    pub rows: Rows,
    pub rejections: Vec<Rejection>,
}

impl FetchedBatch {
    /// Keeps only the bars of the last `days` days, counted back from the newest bar in
    /// the batch (other rows are left alone); returns how many were dropped. A daily
    /// run needs the last few days; Alpha Vantage's crypto call answers with the whole
    /// history, which would not fit a Lambda Destinations record.
    pub fn keep_recent_days(&mut self, days: u32) -> usize {
        let Rows::Bars(bars) = &mut self.rows else {
            return 0;
        };
        let Some(newest) = bars.iter().map(|b| b.date).max() else {
            return 0;
        };
        let cutoff = newest - chrono::Duration::days(i64::from(days.max(1)) - 1);
        let before = bars.len();
        bars.retain(|b| b.date >= cutoff);
        before - bars.len()
    }
}

fn batch<T>(job: &Job, parsed: Parsed<T>, wrap: fn(Vec<T>) -> Rows) -> FetchedBatch {
    FetchedBatch {
        job: job.clone(),
        fetched_at: Utc::now(),
        rows: wrap(parsed.rows),
        rejections: parsed.rejections,
    }
}

/// Fetches jobs from the outside services. Holds one HTTP client (its connection pool
/// is reused from job to job) and the pace of Alpha Vantage calls; needs no database.
#[derive(Clone)]
pub struct Fetcher {
    http: Http,
    sources: SourceSettings,
    secrets: Secrets,
    /// At most one Alpha Vantage call per `ALPHAVANTAGE_MIN_INTERVAL_SECS`, shared by
    /// every clone (`None`: no pacing).
    alphavantage_pace: Option<Arc<governor::DefaultDirectRateLimiter>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("sources", &self.sources)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    pub fn new(sources: SourceSettings) -> Fetcher {
        let http = Http::new(
            sources.http_timeout,
            sources.http_retries,
            sources.retry_delay,
        );
        let keys = [&sources.alphavantage_key, &sources.openweather_key];
        let secrets = Secrets::new(keys.into_iter().flatten());
        let alphavantage_pace = governor::Quota::with_period(sources.alphavantage_interval)
            .map(|quota| Arc::new(governor::RateLimiter::direct(quota)));
        Fetcher {
            http,
            sources,
            secrets,
            alphavantage_pace,
        }
    }

    /// The longest `job` can take under the retry policy: every attempt timing out,
    /// every backoff pause (doubling from the first, at most a minute each), the wait
    /// for Alpha Vantage's pace, and the parse budget of a page. A caller with a
    /// deadline starts a job only when this much time is left.
    pub fn worst_case(&self, job: &Job) -> std::time::Duration {
        let s = &self.sources;
        let attempts = s.http_retries as u32 + 1;
        let pauses: std::time::Duration = (0..s.http_retries as u32)
            .map(|i| {
                s.retry_delay
                    .saturating_mul(2u32.saturating_pow(i))
                    .min(std::time::Duration::from_secs(60))
            })
            .sum();
        let extra = match job {
            Job::Prices { .. } | Job::Crypto { .. } => s.alphavantage_interval,
            Job::News { .. } => s.parse_budget,
            Job::Weather { .. } => std::time::Duration::ZERO,
        };
        s.http_timeout.saturating_mul(attempts) + pauses + extra
    }

    /// Waits until the next Alpha Vantage call is allowed.
    async fn pace_alphavantage(&self) {
        if let Some(pace) = &self.alphavantage_pace {
            pace.until_ready().await;
        }
    }

    /// Fetches a job's rows, not yet validated. Whatever the service said (an error, a
    /// rejected row's reason) leaves here with the configured keys cut out.
    pub async fn fetch(&self, job: &Job) -> Result<FetchedBatch, SourceError> {
        match self.fetch_unscrubbed(job).await {
            Ok(mut batch) => {
                for rejection in &mut batch.rejections {
                    rejection.key = self.secrets.scrub(&rejection.key);
                    rejection.reason = self.secrets.scrub(&rejection.reason);
                }
                Ok(batch)
            }
            Err(e) => Err(e.scrubbed(&self.secrets)),
        }
    }

    async fn fetch_unscrubbed(&self, job: &Job) -> Result<FetchedBatch, SourceError> {
        let (http, sources) = (&self.http, &self.sources);
        let alphavantage = || AlphaVantage {
            http,
            base: &sources.alphavantage_url,
            limit: sources.alphavantage_limit(),
            key: sources.alphavantage_key.as_ref(),
        };
        if job.uses_alphavantage() {
            self.pace_alphavantage().await;
        }
        Ok(match job {
            Job::Prices { symbol, full } => batch(
                job,
                alphavantage().stock_daily(symbol, *full).await?,
                Rows::Bars,
            ),
            Job::Crypto { symbol, market } => batch(
                job,
                alphavantage().crypto_daily(symbol, market).await?,
                Rows::Bars,
            ),
            Job::News { coin } => {
                let (parsed, origin) = UToday {
                    http,
                    base: &sources.utoday_url,
                    limit: sources.utoday_limit(),
                    parse_budget: sources.parse_budget,
                    timezone: sources.utoday_timezone,
                }
                .headlines(coin.as_str())
                .await?;
                tracing::info!(?origin, headlines = parsed.rows.len(), "read U.Today");
                batch(job, parsed, Rows::Headlines)
            }
            Job::Weather { cities } => {
                let source = OpenWeather {
                    http,
                    base: &sources.openweather_url,
                    limit: sources.openweather_limit(),
                    key: sources.openweather_key.as_ref(),
                };
                batch(job, source.current(cities).await?, Rows::Weather)
            }
        })
    }
}
