//! What `get_runs` answers: a page of the ingest's run history.

use crate::freshness::SourceLine;
use serde::{Deserialize, Serialize};
use store::Rejection;

/// Runs on one page.
pub const RUNS_PER_PAGE: u32 = 25;

/// The statuses a run can have, as the filter offers them.
pub const STATUSES: [&str; 3] = ["succeeded", "failed", "running"];

/// Everything `/runs` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunsView {
    pub title: String,
    pub runs: Vec<RunView>,
    /// Every source with a run, for the filter.
    pub sources: Vec<String>,
    /// The filter as applied.
    pub source: Option<String>,
    pub status: Option<String>,
    pub page: u32,
    pub newer: Option<String>,
    pub older: Option<String>,
    pub freshness: Vec<SourceLine>,
    pub notice: Option<String>,
    /// The public base URL (`public_url`), for the page's link preview.
    #[serde(skip)]
    pub public_url: Option<String>,
}

/// One run as the table shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub id: i64,
    pub source: String,
    pub parameters: String,
    pub started_iso: String,
    pub started_shown: String,
    /// "3.2 s", "1 min 5 s", or "running".
    pub duration: String,
    pub status: String,
    /// `[fetched, inserted, updated, unchanged, rejected]`.
    pub counts: [u64; 5],
    pub error: Option<String>,
    pub rejections: Vec<Rejection>,
}
