//! What each function does with its event.

use crate::config::{ConfigError, FunctionConfig, Role};
use crate::events::{
    fetch_trigger, store_input, EventError, FetchFailure, FetchOutput, FetchTrigger,
};
use crate::{export, notify};
use chrono::Utc;
use ingest::{Fetcher, Ingest, Job, RunReport, Settings};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::{Duration, SystemTime};

/// A function's error, as Lambda reports it (`errorType`, `errorMessage`): it makes
/// the invocation fail, so Lambda retries it and, in the end, the OnFailure
/// destination (the alert topic) hears of it.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error(transparent)]
    Event(#[from] EventError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("every fetch failed: {0}")]
    FetchFailed(String),
    #[error("the database could not record or write a run: {0}")]
    Database(String),
}

impl From<HandlerError> for lambda_runtime::Diagnostic {
    fn from(e: HandlerError) -> Self {
        let error_type = match &e {
            HandlerError::Event(EventError::UpstreamFailed { .. }) => "UpstreamFailed",
            HandlerError::Event(_) => "UnrecognisedEvent",
            HandlerError::Config(_) => "Configuration",
            HandlerError::FetchFailed(_) => "FetchFailed",
            HandlerError::Database(_) => "Database",
        };
        lambda_runtime::Diagnostic {
            error_type: error_type.into(),
            error_message: e.to_string(),
        }
    }
}

/// What every function needs, built once per cold start: the function's configuration
/// and the AWS clients. What only some need (a [`Fetcher`], an [`Ingest`] over the
/// store) each `main` builds once beside it, from the [`Settings`] this returns.
pub struct Deps {
    pub function: String,
    pub config: FunctionConfig,
    pub sns: aws_sdk_sns::Client,
    pub s3: aws_sdk_s3::Client,
}

impl Deps {
    /// Reads the environment (and SSM), and builds the AWS clients. The AWS endpoint
    /// can be pointed at an emulator with the SDK's own `AWS_ENDPOINT_URL`.
    pub async fn from_env(role: Role) -> Result<(Deps, Settings), ConfigError> {
        let config = FunctionConfig::from_env()?;
        let aws = aws_config::load_from_env().await;
        let settings = crate::config::ingest_settings(&config, &aws, role).await?;
        let s3 = aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&aws)
                .force_path_style(true)
                .build(),
        );
        let deps = Deps {
            function: std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_else(|_| "local".into()),
            config,
            sns: aws_sdk_sns::Client::new(&aws),
            s3,
        };
        Ok((deps, settings))
    }
}

/// The store function's answer: one report per run.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoreOutput {
    pub reports: Vec<RunReport>,
}

/// fetch: Scheduled Event or manual `{}` → fetched batches, bars trimmed to the last
/// `FETCH_WINDOW_DAYS` (a Destinations record has a size limit; a backfill goes through
/// the pipeline function or the CLI, which store directly). Fails only when every job
/// failed and a retry could help; partial failures, and refusals for now (Alpha
/// Vantage's quota), travel to the store function, which records and reports them.
pub async fn fetch(
    deps: &Deps,
    fetcher: &Fetcher,
    event: &Value,
    deadline: SystemTime,
) -> Result<FetchOutput, HandlerError> {
    let jobs = requested_jobs(deps, event, false)?;
    let mut fetched = fetch_jobs(fetcher, &jobs, Budget::new(deadline, HAND_OVER)).await;
    for batch in &mut fetched.output.batches {
        let dropped = batch.keep_recent_days(deps.config.window_days);
        if dropped > 0 {
            tracing::info!(
                dropped,
                window_days = deps.config.window_days,
                "older bars left out"
            );
        }
    }
    match worth_a_retry(&fetched) {
        Some(message) => Err(HandlerError::FetchFailed(message)),
        None => Ok(fetched.output),
    }
}

/// store: a fetch output (direct or in a Destinations record) → validated, upserted,
/// recorded, reported to SNS, exported to S3. A failure record writes nothing.
/// `request_id` is the invocation's: Lambda retries an invocation under the same id,
/// so a run of it that succeeded already is neither recorded nor reported again.
pub async fn store(
    deps: &Deps,
    ingest: &Ingest,
    event: Value,
    request_id: &str,
) -> Result<StoreOutput, HandlerError> {
    let input = store_input(event)?;
    store_output(deps, ingest, input, Some(request_id)).await
}

/// pipeline: fetch and store in one function. When every fetch failed, the failures
/// (of the jobs this event asked for) are recorded and reported before the invocation
/// fails.
pub async fn pipeline(
    deps: &Deps,
    fetcher: &Fetcher,
    ingest: &Ingest,
    event: &Value,
    deadline: SystemTime,
) -> Result<StoreOutput, HandlerError> {
    let jobs = requested_jobs(deps, event, true)?;
    let fetched = fetch_jobs(fetcher, &jobs, Budget::new(deadline, STORE_AND_REPORT)).await;
    let all_failed = worth_a_retry(&fetched);
    // Not keyed: a retried pipeline invocation fetches again, a new batch.
    let stored = store_output(deps, ingest, fetched.output, None).await?;
    match all_failed {
        Some(message) => Err(HandlerError::FetchFailed(message)),
        None => Ok(stored),
    }
}

/// The jobs an event asks for: the configured items for a schedule or a bare `{}`, or
/// the items a manual invoke names; with `"full": true`, stocks' whole history (a
/// backfill), which only a function that stores directly may take (`backfill_allowed`):
/// it would not fit a Destinations record.
fn requested_jobs(
    deps: &Deps,
    event: &Value,
    backfill_allowed: bool,
) -> Result<Vec<Job>, HandlerError> {
    let (items, full) = match fetch_trigger(event)? {
        FetchTrigger::Schedule { time } => {
            tracing::info!(?time, "scheduled fetch");
            (deps.config.items.clone(), false)
        }
        FetchTrigger::Manual { items, full } => {
            (items.unwrap_or_else(|| deps.config.items.clone()), full)
        }
    };
    if full && !backfill_allowed {
        return Err(HandlerError::Event(EventError::Unrecognised(
            "a full-history backfill would not fit a Destinations record: invoke the \
             pipeline function with {\"symbols\": [...], \"full\": true}, or run \
             `ingest prices --full`"
                .into(),
        )));
    }
    let jobs = deps.config.jobs(&items)?;
    Ok(jobs
        .into_iter()
        .map(|job| match job {
            Job::Prices { symbol, .. } => Job::Prices { symbol, full },
            other => other,
        })
        .collect())
}

/// What [`fetch_jobs`] did: the output for the store, and how many failures a retry
/// of the invocation could mend (not a refusal for now).
struct Fetched {
    output: FetchOutput,
    retryable: usize,
}

/// Time kept back at the end of a fetch invocation to hand its result to Lambda.
const HAND_OVER: Duration = Duration::from_secs(2);
/// Time kept back at the end of a pipeline invocation to store, record and report.
const STORE_AND_REPORT: Duration = Duration::from_secs(15);

/// The invocation's time: a job starts only if its worst case fits before the
/// deadline with `reserve` to spare, so Lambda never cuts a run off half-way (which
/// would throw away the batches already fetched and retry them all).
struct Budget {
    deadline: SystemTime,
    reserve: Duration,
}

impl Budget {
    fn new(deadline: SystemTime, reserve: Duration) -> Budget {
        Budget { deadline, reserve }
    }

    /// Why `job` is not started now, if it would not finish in time.
    fn refuses(&self, fetcher: &Fetcher, job: &Job) -> Option<String> {
        let left = self
            .deadline
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        let worst = fetcher.worst_case(job);
        (left < worst + self.reserve).then(|| {
            format!(
                "not attempted: {:.1} s of the invocation were left, and this job may take \
                 {:.1} s (with {:.0} s kept to finish)",
                left.as_secs_f64(),
                worst.as_secs_f64(),
                self.reserve.as_secs_f64()
            )
        })
    }
}

/// Fetches each job in turn, within the invocation's time; a failed one is kept with
/// its error, one that would not finish in time is reported as not attempted. Once
/// Alpha Vantage has refused for now (its quota), its remaining jobs are not
/// attempted: each call would spend quota for the same refusal.
async fn fetch_jobs(fetcher: &Fetcher, jobs: &[Job], budget: Budget) -> Fetched {
    let mut fetched = Fetched {
        output: FetchOutput::default(),
        retryable: 0,
    };
    let mut refused_for_now: Option<String> = None;
    for job in jobs {
        let uses_alphavantage = job.uses_alphavantage();
        let not_started = match (&refused_for_now, uses_alphavantage) {
            (Some(refusal), true) => Some(format!("not attempted: {refusal}")),
            _ => budget.refuses(fetcher, job),
        };
        let error = match not_started {
            Some(why) => why,
            None => match fetcher.fetch(job).await {
                Ok(batch) => {
                    fetched.output.batches.push(batch);
                    continue;
                }
                Err(e) => {
                    tracing::warn!(job = ?job, error = %e, "fetch failed");
                    if e.is_rate_limited() {
                        if uses_alphavantage {
                            refused_for_now = Some(e.to_string());
                        }
                    } else {
                        fetched.retryable += 1;
                    }
                    e.to_string()
                }
            },
        };
        fetched.output.failures.push(FetchFailure {
            job: job.clone(),
            error,
            at: Utc::now(),
        });
    }
    fetched
}

/// When no job gave a batch and a retry could help: every failure, in one line. A run
/// refused for now (only) is no reason to fail: Lambda would retry it twice, spending
/// quota for the same refusal; the store function records it and the alert goes out.
fn worth_a_retry(fetched: &Fetched) -> Option<String> {
    let output = &fetched.output;
    (output.batches.is_empty() && fetched.retryable > 0).then(|| {
        output
            .failures
            .iter()
            .map(|f| format!("{}: {}", f.job.source(), f.error))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

async fn store_output(
    deps: &Deps,
    ingest: &Ingest,
    input: FetchOutput,
    request_id: Option<&str>,
) -> Result<StoreOutput, HandlerError> {
    let mut reports = Vec::new();
    // Each run's key: the invocation and the run's place in its input.
    let run_key = |n: usize| request_id.map(|id| format!("{id}/{n}"));
    for batch in input.batches {
        let key = export::object_key(
            &deps.config.export_prefix,
            batch.job.source(),
            batch.fetched_at,
        );
        let (report, valid) = ingest
            .store_returning_rows(batch, run_key(reports.len()).as_deref())
            .await;
        let exported = report.succeeded() && !report.replayed;
        if let (Some(bucket), true) = (&deps.config.export_bucket, exported) {
            match export::csv(&valid) {
                Ok(body) => {
                    if let Err(e) = export::put(&deps.s3, bucket, &key, body).await {
                        tracing::error!(error = %e, "S3 export failed");
                    }
                }
                Err(e) => tracing::error!(error = %e, "CSV export failed"),
            }
        }
        reports.push(report);
    }
    for failure in input.failures {
        let key = run_key(reports.len());
        reports.push(
            ingest
                .record_failure(&failure.job, &failure.error, failure.at, key.as_deref())
                .await,
        );
    }
    for r in &reports {
        let c = &r.counts;
        tracing::info!(source = %r.source, status = r.status.as_str(), fetched = c.fetched, inserted = c.inserted,
            updated = c.updated, unchanged = c.unchanged, rejected = c.rejected, error = ?r.error, "run");
    }
    // What a retried invocation did already was reported then.
    let fresh: Vec<RunReport> = reports.iter().filter(|r| !r.replayed).cloned().collect();
    if fresh.is_empty() {
        tracing::info!("a replay: every run was done and reported already");
    } else if let Err(e) = notify::publish(
        &deps.sns,
        deps.config.report_topic.as_deref(),
        deps.config.alert_topic.as_deref(),
        &deps.function,
        &fresh,
    )
    .await
    {
        tracing::error!(error = %e, "SNS report failed");
    }
    // A run the database would not record or write is worth Lambda's retry (and after
    // the retries, the OnFailure alert): the rows are keyed, so a retry changes nothing
    // that was written. The report above has gone out already.
    if let Some(r) = reports
        .iter()
        .find(|r| r.run_id.is_none() || r.database_failed)
    {
        return Err(HandlerError::Database(r.error.clone().unwrap_or_default()));
    }
    Ok(StoreOutput { reports })
}

/// Runs a function's cold start (settings, SSM, the database). When it fails, the
/// Runtime API is told what failed, in one line (our errors name the setting or the
/// service, never a secret), so the failed invocation, and after Lambda's retries the
/// OnFailure alert, say why; then the process exits non-zero.
pub async fn cold_start<T>(
    init: impl std::future::Future<Output = Result<T, Box<dyn std::error::Error>>>,
) -> T {
    match init.await {
        Ok(ready) => ready,
        Err(e) => {
            let message = format!("the cold start failed: {e}");
            tracing::error!(error = %message, "cold start failed");
            report_init_error(&message).await;
            std::process::exit(1);
        }
    }
}

/// `POST /runtime/init/error`, as Lambda's Runtime API documents it.
async fn report_init_error(message: &str) {
    let Ok(api) = std::env::var("AWS_LAMBDA_RUNTIME_API") else {
        return;
    };
    let body = serde_json::json!({ "errorType": "ColdStartFailed", "errorMessage": message });
    let sent = reqwest::Client::new()
        .post(format!("http://{api}/2018-06-01/runtime/init/error"))
        .header("Lambda-Runtime-Function-Error-Type", "Runtime.InitError")
        .json(&body)
        .send()
        .await;
    if let Err(e) = sent {
        tracing::error!(error = %e, "could not report the cold start's failure");
    }
}

/// JSON logs to stdout (CloudWatch), `RUST_LOG` filters, default `info`.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,aws=warn,hyper=warn")
    });
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_target(false)
        .without_time()
        .try_init();
}
