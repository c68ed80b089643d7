//! A run: record its start, fetch, validate, write the valid rows in one transaction,
//! record its end. Every run is recorded, failed ones too, and a run with no usable row
//! is a failure, never an empty success.
//!
//! The two halves also stand alone, for the Lambda functions chained by Destinations:
//! [`Ingest::fetch`] needs no database and returns a [`FetchedBatch`] (serialisable: it
//! travels as the fetch function's response); [`Ingest::store`] takes one and does the
//! rest.

use crate::config::Settings;
use crate::http::Http;
use crate::report::{Rejection, RunReport};
use crate::sources::alphavantage::AlphaVantage;
use crate::sources::openweather::OpenWeather;
use crate::sources::utoday::UToday;
use crate::sources::{Parsed, SourceError};
use crate::validate;
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Instant;
use store::{
    DailyBar, Headline, NewRun, RunStatus, Store, StoreError, StoreOptions, Symbol,
    WeatherObservation, WriteCounts,
};

/// One thing to fetch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "job", rename_all = "lowercase")]
pub enum Job {
    /// A stock's daily bars: the last 100 days, or all with `full`.
    Prices { symbol: Symbol, full: bool },
    /// A digital currency's daily bars in `market`.
    Crypto { symbol: Symbol, market: String },
    /// A coin's headlines.
    News { coin: String },
    /// Current weather for cities.
    Weather { cities: Vec<String> },
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

    /// Where rows come from, stored in each row's `source` column.
    fn origin(&self) -> &'static str {
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

    async fn write(&self, store: &Store, origin: &str) -> Result<WriteCounts, StoreError> {
        match self {
            Rows::Bars(rows) => store.upsert_bars(rows, origin).await,
            Rows::Headlines(rows) => store.upsert_headlines(rows, origin).await,
            Rows::Weather(rows) => store.upsert_weather(rows, origin).await,
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

fn batch<T>(job: &Job, parsed: Parsed<T>, wrap: fn(Vec<T>) -> Rows) -> FetchedBatch {
    FetchedBatch {
        job: job.clone(),
        fetched_at: Utc::now(),
        rows: wrap(parsed.rows),
        rejections: parsed.rejections,
    }
}

/// The ingest, ready to run: settings, an HTTP client and the store.
pub struct Ingest {
    pub store: Store,
    pub settings: Settings,
    http: Http,
}

impl Ingest {
    /// Opens the store named by the settings (the dashboard's zero-setup SQLite file when
    /// none) and migrates it.
    pub async fn open(settings: Settings) -> Result<Ingest, StoreError> {
        let store = open_store(&settings).await?;
        Ok(Ingest::new(store, settings))
    }

    pub fn new(store: Store, settings: Settings) -> Ingest {
        let http = Http::new(
            settings.http_timeout,
            settings.http_retries,
            settings.retry_delay,
        );
        Ingest {
            store,
            settings,
            http,
        }
    }

    /// A stock's daily bars from Alpha Vantage: the last 100 days (so missed days heal
    /// themselves), or the whole history with `full`.
    pub async fn prices(&self, symbol: &Symbol, full: bool) -> RunReport {
        self.run(&Job::Prices {
            symbol: symbol.clone(),
            full,
        })
        .await
    }

    /// A digital currency's daily bars in `market` from Alpha Vantage.
    pub async fn crypto(&self, symbol: &Symbol, market: &str) -> RunReport {
        self.run(&Job::Crypto {
            symbol: symbol.clone(),
            market: market.to_string(),
        })
        .await
    }

    /// A coin's headlines from U.Today.
    pub async fn news(&self, coin: &str) -> RunReport {
        self.run(&Job::News {
            coin: coin.trim().to_ascii_lowercase(),
        })
        .await
    }

    /// Current weather for the cities from OpenWeatherMap.
    pub async fn weather(&self, cities: &[String]) -> RunReport {
        self.run(&Job::Weather {
            cities: cities.to_vec(),
        })
        .await
    }

    /// Fetches a job's rows; needs no database.
    pub async fn fetch(&self, job: &Job) -> Result<FetchedBatch, SourceError> {
        fetch_with(&self.http, &self.settings, job).await
    }

    /// Fetch and store in one go. The run is recorded before anything is fetched, so a
    /// database that is down costs no API call.
    pub async fn run(&self, job: &Job) -> RunReport {
        let clock = Instant::now();
        let started_at = Utc::now();
        let mut report = RunReport::new(job.source(), job.parameters());
        if !self.begin(&mut report, started_at, clock).await {
            return report;
        }
        match self.fetch(job).await {
            Ok(batch) => {
                self.write_batch(&mut report, batch).await;
            }
            Err(e) => report.error = Some(e.to_string()),
        }
        self.finish(report, started_at, clock).await
    }

    /// Validates, writes and records a batch fetched elsewhere (the store Lambda).
    pub async fn store(&self, batch: FetchedBatch) -> RunReport {
        self.store_returning_rows(batch).await.0
    }

    /// [`Ingest::store`], also handing back the rows that passed validation (what the
    /// store Lambda exports to S3), so they are validated once.
    pub async fn store_returning_rows(&self, batch: FetchedBatch) -> (RunReport, Rows) {
        let clock = Instant::now();
        let started_at = batch.fetched_at;
        let mut report = RunReport::new(batch.job.source(), batch.job.parameters());
        if !self.begin(&mut report, started_at, clock).await {
            let nothing = Rows::empty_like(&batch.rows);
            return (report, nothing);
        }
        let valid = self.write_batch(&mut report, batch).await;
        (self.finish(report, started_at, clock).await, valid)
    }

    /// Records a fetch that failed elsewhere (the fetch Lambda), so the runs table and
    /// the dashboard's freshness line show it.
    pub async fn record_failure(
        &self,
        job: &Job,
        error: &str,
        started_at: DateTime<Utc>,
    ) -> RunReport {
        let clock = Instant::now();
        let mut report = RunReport::new(job.source(), job.parameters());
        report.error = Some(error.to_string());
        if !self.begin(&mut report, started_at, clock).await {
            return report;
        }
        self.finish(report, started_at, clock).await
    }

    /// Records the run's start. When the database will not take it, the report says so
    /// (after any error it already carries) and the run goes no further.
    async fn begin(
        &self,
        report: &mut RunReport,
        started_at: DateTime<Utc>,
        clock: Instant,
    ) -> bool {
        let parameters = report.parameters.to_string();
        match self
            .store
            .start_run(&report.source, &parameters, started_at)
            .await
        {
            Ok(id) => {
                report.run_id = Some(id);
                true
            }
            Err(e) => {
                let note = format!("cannot record the run in the database: {e}");
                report.error = Some(match report.error.take() {
                    Some(err) => format!("{err}; {note}"),
                    None => note,
                });
                report.duration_ms = clock.elapsed().as_millis() as u64;
                false
            }
        }
    }

    /// Validates and writes a batch into `report`; returns the rows that passed.
    async fn write_batch(&self, report: &mut RunReport, batch: FetchedBatch) -> Rows {
        let FetchedBatch {
            job,
            rows,
            mut rejections,
            ..
        } = batch;
        report.fetched = (rows.len() + rejections.len()) as u64;
        let (valid, invalid) = rows.validated(Utc::now());
        rejections.extend(invalid);
        report.rejected = rejections.len() as u64;
        report.rejections = rejections;
        report.table = Some(valid.table().to_string());
        if valid.is_empty() {
            report.error = Some(format!(
                "no usable rows: {} fetched, {} rejected{}",
                report.fetched,
                report.rejected,
                report
                    .rejections
                    .first()
                    .map(|r| format!(" (first: {}: {})", r.key, r.reason))
                    .unwrap_or_default()
            ));
            return valid;
        }
        match valid.write(&self.store, job.origin()).await {
            Ok(counts) => {
                report.inserted = counts.inserted;
                report.updated = counts.updated;
                report.unchanged = counts.unchanged;
                report.status = RunStatus::Succeeded;
            }
            Err(e) => {
                report.error = Some(format!(
                    "writing the batch failed, nothing of it was written: {e}"
                ));
            }
        }
        valid
    }

    async fn finish(
        &self,
        mut report: RunReport,
        started_at: DateTime<Utc>,
        clock: Instant,
    ) -> RunReport {
        report.duration_ms = clock.elapsed().as_millis() as u64;
        if let Some(id) = report.run_id {
            if let Err(e) = self
                .store
                .finish_run(id, &record(&report, started_at))
                .await
            {
                tracing::error!(error = %e, "could not record the end of the run");
                let note = format!("the run could not be recorded: {e}");
                report.error = Some(match report.error.take() {
                    Some(err) => format!("{err}; {note}"),
                    None => note,
                });
                report.status = RunStatus::Failed;
            }
        }
        report
    }
}

/// Opens the database the settings name and migrates it.
pub async fn open_store(settings: &Settings) -> Result<Store, StoreError> {
    let options = StoreOptions {
        pool_mode: settings.pool_mode,
        ..StoreOptions::default()
    };
    let url = settings
        .database_url
        .as_ref()
        .map(|s| s.expose_secret().to_string());
    Ok(Store::open(url.as_deref(), &options).await?.store)
}

/// Fetches without a store: what the fetch Lambda runs.
pub async fn fetch_with(
    http: &Http,
    settings: &Settings,
    job: &Job,
) -> Result<FetchedBatch, SourceError> {
    let alphavantage = || AlphaVantage {
        http,
        base: &settings.alphavantage_url,
        key: settings.alphavantage_key.as_ref(),
    };
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
                base: &settings.utoday_url,
            }
            .headlines(coin)
            .await?;
            tracing::info!(?origin, headlines = parsed.rows.len(), "read U.Today");
            batch(job, parsed, Rows::Headlines)
        }
        Job::Weather { cities } => {
            let source = OpenWeather {
                http,
                base: &settings.openweather_url,
                key: settings.openweather_key.as_ref(),
            };
            batch(job, source.current(cities).await?, Rows::Weather)
        }
    })
}

fn record(report: &RunReport, started_at: DateTime<Utc>) -> NewRun {
    NewRun {
        source: report.source.clone(),
        parameters: report.parameters.to_string(),
        started_at,
        finished_at: Some(Utc::now()),
        fetched: report.fetched as i64,
        inserted: report.inserted as i64,
        updated: report.updated as i64,
        unchanged: report.unchanged as i64,
        rejected: report.rejected as i64,
        status: report.status,
        error: report.error.clone(),
        rejections: serde_json::to_string(&report.rejections).unwrap_or_else(|_| "[]".into()),
    }
}
