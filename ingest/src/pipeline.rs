//! A run: record its start, fetch, validate, write the valid rows in one transaction,
//! record its end. Every run is recorded, failed ones too, and a run with no usable row
//! is a failure, never an empty success.
//!
//! [`Ingest`] is the storing half and needs only the store: [`Ingest::store`] takes a
//! batch fetched elsewhere (the Lambda store function), [`Ingest::run`] fetches it first
//! with a [`Fetcher`] the caller built once.

use crate::fetch::{FetchedBatch, Fetcher, Job, Rows};
use crate::report::RunReport;
use chrono::{DateTime, Utc};
use std::time::Instant;
use store::{RunOutcome, RunStart, RunStatus, Store, StoreError, WriteCounts};

/// The ingest's storing half: validate, write, record.
#[derive(Clone, Debug)]
pub struct Ingest {
    pub store: Store,
}

impl Ingest {
    pub fn new(store: Store) -> Ingest {
        Ingest { store }
    }

    /// Fetch and store in one go. The run is recorded before anything is fetched, so a
    /// database that is down costs no API call.
    pub async fn run(&self, fetcher: &Fetcher, job: &Job) -> RunReport {
        let clock = Instant::now();
        let started_at = Utc::now();
        let mut report = RunReport::new(job.source(), job.parameters());
        if !self.begin(&mut report, started_at, clock, None).await {
            return report;
        }
        match fetcher.fetch(job).await {
            Ok(batch) => {
                self.write_batch(&mut report, batch).await;
            }
            Err(e) => report.error = Some(e.to_string()),
        }
        self.finish(report, clock).await
    }

    /// Validates, writes and records a batch fetched elsewhere (the store Lambda).
    pub async fn store(&self, batch: FetchedBatch) -> RunReport {
        self.store_returning_rows(batch, None).await.0
    }

    /// [`Ingest::store`], also handing back the rows that passed validation (what the
    /// store Lambda exports to S3), so they are validated once. With a `key` (the
    /// Lambda request id and the batch's place in it), a run under that key that
    /// succeeded already is not done again: its report says `replayed`.
    pub async fn store_returning_rows(
        &self,
        batch: FetchedBatch,
        key: Option<&str>,
    ) -> (RunReport, Rows) {
        let clock = Instant::now();
        let started_at = batch.fetched_at;
        let mut report = RunReport::new(batch.job.source(), batch.job.parameters());
        if !self.begin(&mut report, started_at, clock, key).await {
            let nothing = Rows::empty_like(&batch.rows);
            return (report, nothing);
        }
        let valid = self.write_batch(&mut report, batch).await;
        (self.finish(report, clock).await, valid)
    }

    /// Records a fetch that failed elsewhere (the fetch Lambda), so the runs table and
    /// the dashboard's freshness line show it; `key` as for
    /// [`Ingest::store_returning_rows`].
    pub async fn record_failure(
        &self,
        job: &Job,
        error: &str,
        started_at: DateTime<Utc>,
        key: Option<&str>,
    ) -> RunReport {
        let clock = Instant::now();
        let mut report = RunReport::new(job.source(), job.parameters());
        report.error = Some(error.to_string());
        if !self.begin(&mut report, started_at, clock, key).await {
            return report;
        }
        self.finish(report, clock).await
    }

    /// Records the run's start. When the database will not take it, the report says so
    /// (after any error it already carries) and the run goes no further; nor does a
    /// keyed run that succeeded already (the report says `replayed`).
    async fn begin(
        &self,
        report: &mut RunReport,
        started_at: DateTime<Utc>,
        clock: Instant,
        key: Option<&str>,
    ) -> bool {
        let parameters = report.parameters.to_string();
        let started = match key {
            Some(key) => {
                self.store
                    .start_keyed_run(&report.source, &parameters, started_at, key)
                    .await
            }
            None => self
                .store
                .start_run(&report.source, &parameters, started_at)
                .await
                .map(RunStart::New),
        };
        match started {
            Ok(RunStart::New(id)) => {
                report.run_id = Some(id);
                true
            }
            Ok(RunStart::Done(id)) => {
                tracing::info!(run = id, "a replay of a run that succeeded: nothing to do");
                report.run_id = Some(id);
                report.status = RunStatus::Succeeded;
                report.error = None;
                report.replayed = true;
                report.duration_ms = clock.elapsed().as_millis() as u64;
                false
            }
            Err(e) => {
                report.add_error(format!("cannot record the run in the database: {e}"));
                report.database_failed = true;
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
            fetched_at,
        } = batch;
        report.counts.fetched = (rows.len() + rejections.len()) as u64;
        let (valid, invalid) = rows.validated(Utc::now());
        rejections.extend(invalid);
        report.counts.rejected = rejections.len() as u64;
        report.rejections = rejections;
        report.table = Some(valid.table().to_string());
        if valid.is_empty() {
            report.error = Some(format!(
                "no usable rows: {} fetched, {} rejected{}",
                report.counts.fetched,
                report.counts.rejected,
                report
                    .rejections
                    .first()
                    .map(|r| format!(" (first: {}: {})", r.key, r.reason))
                    .unwrap_or_default()
            ));
            return valid;
        }
        match write_rows(&self.store, &valid, job.origin(), fetched_at).await {
            Ok(written) => {
                report.counts.add_written(written);
                report.status = RunStatus::Succeeded;
            }
            Err(e) => {
                report.error = Some(format!(
                    "writing the batch failed, nothing of it was written: {e}"
                ));
                report.database_failed = true;
            }
        }
        valid
    }

    /// Records the run's end on the row [`Ingest::begin`] started.
    async fn finish(&self, mut report: RunReport, clock: Instant) -> RunReport {
        report.duration_ms = clock.elapsed().as_millis() as u64;
        let Some(id) = report.run_id else {
            return report;
        };
        let outcome = RunOutcome {
            finished_at: Utc::now(),
            status: report.status,
            counts: report.counts,
            error: report.error.clone(),
            rejections: report.rejections.clone(),
        };
        if let Err(e) = self.store.finish_run(id, &outcome).await {
            tracing::error!(error = %e, "could not record the end of the run");
            report.add_error(format!("the run could not be recorded: {e}"));
            report.status = RunStatus::Failed;
            report.database_failed = true;
        }
        report
    }
}

/// Writes valid rows to their table; `origin` goes to each row's `source` column.
/// Rows whose values were fetched after `fetched_at` are left alone (see the store's
/// upserts): a late or replayed batch never overwrites newer values.
async fn write_rows(
    store: &Store,
    rows: &Rows,
    origin: &str,
    fetched_at: DateTime<Utc>,
) -> Result<WriteCounts, StoreError> {
    match rows {
        Rows::Bars(rows) => store.upsert_bars_as_of(rows, origin, fetched_at).await,
        Rows::Headlines(rows) => store.upsert_headlines_as_of(rows, origin, fetched_at).await,
        Rows::Weather(rows) => store.upsert_weather_as_of(rows, origin, fetched_at).await,
    }
}
