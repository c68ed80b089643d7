//! What a run says about itself: printed by the CLI (`--json`), returned by the Lambda
//! functions, and stored in the runs table.

use serde::{Deserialize, Serialize};
use store::RunStatus;

/// A row that did not pass, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The row's natural key as text: `IBM 2024-03-28`, a URL, `London 2024-05-01T12:00:00Z`.
    pub key: String,
    pub reason: String,
}

impl Rejection {
    pub fn new(key: impl Into<String>, reason: impl Into<String>) -> Self {
        Rejection {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// One run's outcome. The JSON shape is part of the CLI's interface.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub source: String,
    /// What was asked for: `{"symbol": "IBM", "full": false}`.
    pub parameters: serde_json::Value,
    pub status: RunStatus,
    pub fetched: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub rejections: Vec<Rejection>,
    pub error: Option<String>,
    /// The table the valid rows went to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The row in the runs table, when it could be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    pub duration_ms: u64,
}

impl RunReport {
    /// A report that has failed until something succeeds.
    pub fn new(source: &str, parameters: serde_json::Value) -> RunReport {
        RunReport {
            source: source.to_string(),
            parameters,
            status: RunStatus::Failed,
            fetched: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            rejections: Vec::new(),
            error: None,
            table: None,
            run_id: None,
            duration_ms: 0,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.status == RunStatus::Succeeded
    }

    /// One line for people: `prices IBM: succeeded, fetched 100, inserted 3, …`.
    pub fn summary(&self) -> String {
        let what = self
            .parameters
            .as_object()
            .and_then(|o| o.values().find_map(|v| v.as_str().map(str::to_string)))
            .unwrap_or_default();
        let mut line = format!(
            "{} {}: {}, fetched {}, inserted {}, updated {}, unchanged {}, rejected {} ({} ms)",
            self.source,
            what,
            self.status.as_str(),
            self.fetched,
            self.inserted,
            self.updated,
            self.unchanged,
            self.rejected,
            self.duration_ms
        );
        if let Some(e) = &self.error {
            line.push_str(": ");
            line.push_str(e);
        }
        line
    }
}
