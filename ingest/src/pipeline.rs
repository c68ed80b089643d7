//! A run: record its start, fetch, validate, write the valid rows in one transaction,
//! record its end. Every run is recorded, failed ones too, and a run with no usable row
//! is a failure, never an empty success.

use crate::config::Settings;
use crate::http::Http;
use crate::report::{Rejection, RunReport};
use crate::sources::alphavantage::AlphaVantage;
use crate::sources::openweather::OpenWeather;
use crate::sources::utoday::UToday;
use crate::sources::{Parsed, SourceError};
use crate::validate;
use chrono::Utc;
use secrecy::ExposeSecret;
use serde_json::json;
use std::time::Instant;
use store::{
    DailyBar, Headline, NewRun, RunStatus, Store, StoreError, StoreOptions, Symbol,
    WeatherObservation, WriteCounts,
};

/// The ingest, ready to run: settings, an HTTP client and the store.
pub struct Ingest {
    pub store: Store,
    pub settings: Settings,
    http: Http,
}

/// A batch of one kind of row.
enum Batch {
    Bars(Vec<DailyBar>),
    Headlines(Vec<Headline>),
    Weather(Vec<WeatherObservation>),
}

impl Batch {
    fn len(&self) -> usize {
        match self {
            Batch::Bars(v) => v.len(),
            Batch::Headlines(v) => v.len(),
            Batch::Weather(v) => v.len(),
        }
    }

    fn validate(self) -> (Batch, Vec<Rejection>) {
        let now = Utc::now();
        match self {
            Batch::Bars(rows) => {
                let c = validate::bars(rows, now.date_naive());
                (Batch::Bars(c.valid), c.rejections)
            }
            Batch::Headlines(rows) => {
                let c = validate::headlines(rows, now);
                (Batch::Headlines(c.valid), c.rejections)
            }
            Batch::Weather(rows) => {
                let c = validate::weather(rows, now);
                (Batch::Weather(c.valid), c.rejections)
            }
        }
    }

    async fn write(&self, store: &Store, origin: &str) -> Result<WriteCounts, StoreError> {
        match self {
            Batch::Bars(rows) => store.upsert_bars(rows, origin).await,
            Batch::Headlines(rows) => store.upsert_headlines(rows, origin).await,
            Batch::Weather(rows) => store.upsert_weather(rows, origin).await,
        }
    }
}

fn batch<T>(parsed: Parsed<T>, wrap: fn(Vec<T>) -> Batch) -> (Batch, Vec<Rejection>) {
    (wrap(parsed.rows), parsed.rejections)
}

impl Ingest {
    /// Opens the store named by the settings (the dashboard's zero-setup SQLite file when
    /// none) and migrates it.
    pub async fn open(settings: Settings) -> Result<Ingest, StoreError> {
        let options = StoreOptions {
            pool_mode: settings.pool_mode,
            ..StoreOptions::default()
        };
        let url = settings
            .database_url
            .as_ref()
            .map(|s| s.expose_secret().to_string());
        let opened = Store::open(url.as_deref(), &options).await?;
        Ok(Ingest::new(opened.store, settings))
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
        let source = AlphaVantage {
            http: &self.http,
            base: &self.settings.alphavantage_url,
            key: self.settings.alphavantage_key.as_ref(),
        };
        self.run(
            "prices",
            json!({ "symbol": symbol, "full": full }),
            "alphavantage",
            async { Ok(batch(source.stock_daily(symbol, full).await?, Batch::Bars)) },
        )
        .await
    }

    /// A digital currency's daily bars in `market` from Alpha Vantage.
    pub async fn crypto(&self, symbol: &Symbol, market: &str) -> RunReport {
        let source = AlphaVantage {
            http: &self.http,
            base: &self.settings.alphavantage_url,
            key: self.settings.alphavantage_key.as_ref(),
        };
        self.run(
            "crypto",
            json!({ "symbol": symbol, "market": market }),
            "alphavantage",
            async {
                Ok(batch(
                    source.crypto_daily(symbol, market).await?,
                    Batch::Bars,
                ))
            },
        )
        .await
    }

    /// A coin's headlines from U.Today.
    pub async fn news(&self, coin: &str) -> RunReport {
        let source = UToday {
            http: &self.http,
            base: &self.settings.utoday_url,
        };
        let coin = coin.trim().to_ascii_lowercase();
        self.run("news", json!({ "coin": coin }), "utoday", async {
            let (parsed, origin) = source.headlines(&coin).await?;
            tracing::info!(?origin, headlines = parsed.rows.len(), "read U.Today");
            Ok(batch(parsed, Batch::Headlines))
        })
        .await
    }

    /// Current weather for the cities from OpenWeatherMap.
    pub async fn weather(&self, cities: &[String]) -> RunReport {
        let source = OpenWeather {
            http: &self.http,
            base: &self.settings.openweather_url,
            key: self.settings.openweather_key.as_ref(),
        };
        self.run(
            "weather",
            json!({ "cities": cities }),
            "openweathermap",
            async { Ok(batch(source.current(cities).await?, Batch::Weather)) },
        )
        .await
    }

    async fn run(
        &self,
        source: &str,
        parameters: serde_json::Value,
        origin: &str,
        fetch: impl std::future::Future<Output = Result<(Batch, Vec<Rejection>), SourceError>>,
    ) -> RunReport {
        let clock = Instant::now();
        let started_at = Utc::now();
        let mut report = RunReport {
            source: source.to_string(),
            parameters: parameters.clone(),
            status: RunStatus::Failed,
            fetched: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            rejections: Vec::new(),
            error: None,
            run_id: None,
            duration_ms: 0,
        };
        // Recorded before anything is fetched: a database that is down costs no API call.
        match self
            .store
            .start_run(source, &parameters.to_string(), started_at)
            .await
        {
            Ok(id) => report.run_id = Some(id),
            Err(e) => {
                report.error = Some(format!("cannot record the run in the database: {e}"));
                report.duration_ms = clock.elapsed().as_millis() as u64;
                return report;
            }
        }

        match fetch.await {
            Err(e) => report.error = Some(e.to_string()),
            Ok((rows, mut rejections)) => {
                report.fetched = (rows.len() + rejections.len()) as u64;
                let (valid, invalid) = rows.validate();
                rejections.extend(invalid);
                report.rejected = rejections.len() as u64;
                report.rejections = rejections;
                if valid.len() == 0 {
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
                } else {
                    match valid.write(&self.store, origin).await {
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
                }
            }
        }
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

fn record(report: &RunReport, started_at: chrono::DateTime<Utc>) -> NewRun {
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
