//! The run record: one way to write it ([`Store::start_run`] when a run begins,
//! [`Store::finish_run`] when it ends) and the reads of it.

use super::{with_conn, Result, Store, StoreError};
use crate::types::*;
use chrono::{DateTime, Utc};

/// How long a run may stay `running` before the next run of its source calls it abandoned.
pub const ABANDONED_AFTER: chrono::Duration = chrono::Duration::hours(1);

/// How a run ended, written onto its row by [`Store::finish_run`].
#[derive(Clone, Debug)]
pub struct RunOutcome {
    pub finished_at: DateTime<Utc>,
    pub status: RunStatus,
    pub counts: RunCounts,
    pub error: Option<String>,
    /// Stored as JSON text: `[{"key": …, "reason": …}]`.
    pub rejections: Vec<Rejection>,
}

/// How a keyed run starts ([`Store::start_keyed_run`]): a new row, or the row of the
/// run under the same key that already succeeded (a replay: nothing to do).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStart {
    New(i64),
    Done(i64),
}

/// The longest error a run keeps, and the longest key or reason of a rejected row.
pub const MAX_STORED_ERROR_BYTES: usize = 4 * 1024;
const MAX_STORED_FIELD_BYTES: usize = 300;

/// The rejected rows a run keeps with their reasons; its count says how many there were.
pub const MAX_STORED_REJECTIONS: usize = 200;

/// A runs-table row as it is stored; counters are BIGINT there.
#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    source: String,
    parameters: String,
    status: String,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    fetched: i64,
    inserted: i64,
    updated: i64,
    unchanged: i64,
    rejected: i64,
    error: Option<String>,
    rejections: String,
}

/// The columns a [`RunRow`] is read from.
const RUN_COLUMNS: &str = "id, source, parameters, status, started_at, finished_at, fetched, \
                           inserted, updated, unchanged, rejected, error, rejections";

impl TryFrom<RunRow> for RunSummary {
    type Error = StoreError;
    fn try_from(row: RunRow) -> Result<Self> {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(RunSummary {
            id: row.id,
            status: RunStatus::parse(&row.status).ok_or_else(|| {
                StoreError::Query(sqlx::Error::Decode(
                    format!("unknown run status {:?}", row.status).into(),
                ))
            })?,
            source: row.source,
            parameters: row.parameters,
            started_at: row.started_at,
            finished_at: row.finished_at,
            counts: RunCounts {
                fetched: count(row.fetched),
                inserted: count(row.inserted),
                updated: count(row.updated),
                unchanged: count(row.unchanged),
                rejected: count(row.rejected),
            },
            error: row.error,
            // Written by `finish_run` from a list; a row edited by hand into something
            // else shows no rejections rather than failing the page.
            rejections: serde_json::from_str(&row.rejections).unwrap_or_default(),
        })
    }
}

/// Counters go to BIGINT columns; none comes near i64::MAX.
fn column(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
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
        self.insert_run(source, parameters, started_at, None).await
    }

    /// [`Store::start_run`], the row carrying `key` (a keyed run) or none.
    async fn insert_run(
        &self,
        source: &str,
        parameters: &str,
        started_at: DateTime<Utc>,
        key: Option<&str>,
    ) -> Result<i64> {
        let cutoff = started_at - ABANDONED_AFTER;
        with_conn!(self, |conn| {
            sqlx::query(
            "UPDATE ingest_runs SET status = 'failed', finished_at = $3, \
             error = 'abandoned: the run never finished (its process or database connection was lost)' \
             WHERE source = $1 AND status = 'running' AND started_at < $2"
        )
        .bind(source)
        .bind(cutoff)
        .bind(started_at)
        .persistent(self.persistent())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        });
        Ok(with_conn!(self, |conn| sqlx::query_scalar(
            "INSERT INTO ingest_runs (source, parameters, started_at, status, request_key) \
             VALUES ($1, $2, $3, 'running', $4) RETURNING id"
        )
        .bind(source)
        .bind(parameters)
        .bind(started_at)
        .bind(key)
        .persistent(self.persistent())
        .fetch_one(&mut *conn)
        .await?))
    }

    /// [`Store::start_run`] for a run with a key of its own (a Lambda invocation's
    /// request id and the run's place in it), so a retried invocation finds its runs.
    /// A run under `key` that succeeded is [`RunStart::Done`]: nothing to write or
    /// report again. One that failed or never finished keeps its row (its error stays
    /// on `/runs`), marked failed if it was still running, and gives the key to the
    /// new attempt's row.
    pub async fn start_keyed_run(
        &self,
        source: &str,
        parameters: &str,
        started_at: DateTime<Utc>,
        key: &str,
    ) -> Result<RunStart> {
        let earlier: Option<(i64, String)> = with_conn!(self, |conn| sqlx::query_as(
            "SELECT id, status FROM ingest_runs WHERE request_key = $1"
        )
        .bind(key)
        .persistent(self.persistent())
        .fetch_optional(&mut *conn)
        .await?);
        match earlier {
            Some((id, status)) if status == "succeeded" => return Ok(RunStart::Done(id)),
            Some((id, _)) => {
                with_conn!(self, |conn| {
                    sqlx::query(
                        "UPDATE ingest_runs SET request_key = NULL, \
                         status = CASE WHEN status = 'running' THEN 'failed' ELSE status END, \
                         finished_at = COALESCE(finished_at, $2), \
                         error = COALESCE(error, 'abandoned: the invocation was retried') \
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(started_at)
                    .persistent(self.persistent())
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
                });
            }
            None => {}
        }
        let id = self
            .insert_run(source, parameters, started_at, Some(key))
            .await?;
        Ok(RunStart::New(id))
    }

    /// Completes a run row with its outcome.
    pub async fn finish_run(&self, id: i64, outcome: &RunOutcome) -> Result<()> {
        let c = &outcome.counts;
        // What upstream services wrote is kept only so far: every page that shows a
        // run reads it again (the rejected count keeps the whole number).
        let error = outcome
            .error
            .as_deref()
            .map(|e| shortened(e, MAX_STORED_ERROR_BYTES));
        let rejections: Vec<Rejection> = outcome
            .rejections
            .iter()
            .take(MAX_STORED_REJECTIONS)
            .map(|r| Rejection {
                key: shortened(&r.key, MAX_STORED_FIELD_BYTES),
                reason: shortened(&r.reason, MAX_STORED_FIELD_BYTES),
            })
            .collect();
        with_conn!(self, |conn| {
            sqlx::query(
            "UPDATE ingest_runs SET finished_at = $2, fetched = $3, inserted = $4, updated = $5, \
             unchanged = $6, rejected = $7, status = $8, error = $9, rejections = $10 WHERE id = $1"
        )
        .bind(id)
        .bind(outcome.finished_at)
        .bind(column(c.fetched))
        .bind(column(c.inserted))
        .bind(column(c.updated))
        .bind(column(c.unchanged))
        .bind(column(c.rejected))
        .bind(outcome.status.as_str())
        .bind(&error)
        .bind(serde_json::to_string(&rejections).unwrap_or_else(|_| "[]".into()))
        .persistent(self.persistent())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// Each source that has run: its latest run (whatever its status) and when it last
    /// succeeded, ordered by source.
    pub async fn sources(&self) -> Result<Vec<SourceHealth>> {
        let sql = format!(
            "SELECT {RUN_COLUMNS}, \
                    (SELECT MAX(finished_at) FROM ingest_runs s \
                     WHERE s.source = r.source AND s.status = 'succeeded') AS last_success \
             FROM ingest_runs r \
             WHERE id = (SELECT id FROM ingest_runs x WHERE x.source = r.source \
                         ORDER BY started_at DESC, id DESC LIMIT 1) \
             ORDER BY source"
        );
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            run: RunRow,
            last_success: Option<DateTime<Utc>>,
        }
        let rows: Vec<Row> = with_conn!(self, |conn| sqlx::query_as(&sql)
            .persistent(self.persistent())
            .fetch_all(&mut *conn)
            .await?);
        rows.into_iter()
            .map(|row| {
                Ok(SourceHealth {
                    latest: RunSummary::try_from(row.run)?,
                    last_success: row.last_success,
                })
            })
            .collect()
    }

    /// The most recent run of each source, whatever its status, ordered by source.
    pub async fn latest_runs(&self) -> Result<Vec<RunSummary>> {
        Ok(self
            .sources()
            .await?
            .into_iter()
            .map(|s| s.latest)
            .collect())
    }

    /// The most recent runs of all sources, newest first.
    pub async fn recent_runs(&self, limit: u32) -> Result<Vec<RunSummary>> {
        self.runs(&RunFilter::default(), limit, 0).await
    }

    /// The runs `filter` lets through, newest first: `limit` of them after skipping
    /// `offset`.
    pub async fn runs(
        &self,
        filter: &RunFilter,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<RunSummary>> {
        let mut sql = format!("SELECT {RUN_COLUMNS} FROM ingest_runs WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if filter.source.is_some() {
            sql += &format!(" AND source = {}", next());
        }
        if filter.status.is_some() {
            sql += &format!(" AND status = {}", next());
        }
        sql += &format!(
            " ORDER BY started_at DESC, id DESC LIMIT {} OFFSET {}",
            next(),
            next()
        );
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows: Vec<RunRow> = with_conn!(self, |conn| {
            let mut query = sqlx::query_as(&sql);
            if let Some(source) = &filter.source {
                query = query.bind(source);
            }
            if let Some(status) = filter.status {
                query = query.bind(status.as_str());
            }
            query
                .bind(i64::from(limit))
                .bind(offset)
                .persistent(self.persistent())
                .fetch_all(&mut *conn)
                .await?
        });
        rows.into_iter().map(RunSummary::try_from).collect()
    }
}
