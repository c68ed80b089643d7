//! What a run says about itself: printed by the CLI (`--json`), returned by the Lambda
//! functions, and stored in the runs table.

use serde::{Deserialize, Serialize};
pub use store::Rejection;
use store::{RunCounts, RunStatus};

/// One run's outcome. The JSON shape is part of the CLI's interface.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub source: String,
    /// What was asked for: `{"symbol": "IBM", "full": false}`.
    pub parameters: serde_json::Value,
    pub status: RunStatus,
    /// Flattened: `fetched`, `inserted`, `updated`, `unchanged`, `rejected` are fields
    /// of the report's JSON, as they always were.
    #[serde(flatten)]
    pub counts: RunCounts,
    pub rejections: Vec<Rejection>,
    pub error: Option<String>,
    /// The table the valid rows went to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The row in the runs table, when it could be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    /// The database refused the run's write or its record (not the source, not the
    /// data): trying the same batch again may succeed, and changes nothing already
    /// written (every write is keyed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub database_failed: bool,
    /// A retried Lambda invocation found this run already succeeded (`run_id`):
    /// nothing was written or recorded again, and it is not reported again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replayed: bool,
    pub duration_ms: u64,
}

impl RunReport {
    /// A report that has failed until something succeeds.
    pub fn new(source: &str, parameters: serde_json::Value) -> RunReport {
        RunReport {
            source: source.to_string(),
            parameters,
            status: RunStatus::Failed,
            counts: RunCounts::default(),
            rejections: Vec::new(),
            error: None,
            table: None,
            run_id: None,
            database_failed: false,
            replayed: false,
            duration_ms: 0,
        }
    }

    /// Adds to the error the report carries, after what it says already.
    pub fn add_error(&mut self, note: String) {
        self.error = Some(match self.error.take() {
            Some(err) => format!("{err}; {note}"),
            None => note,
        });
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
            self.counts.fetched,
            self.counts.inserted,
            self.counts.updated,
            self.counts.unchanged,
            self.counts.rejected,
            self.duration_ms
        );
        if let Some(e) = &self.error {
            line.push_str(": ");
            line.push_str(e);
        }
        printable(&line)
    }
}

/// `text` safe to print on a terminal: upstream services write what they like into
/// errors and rejected rows, and an escape sequence in them would drive the reader's
/// terminal. Line breaks and tabs become spaces; every other control character
/// (escape included) is shown as its `\u{…}` code.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => " ".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let hostile = "bad\u{1b}[2J\u{1b}]0;owned\u{7}\nnext\u{9b}31m";
        let shown = printable(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(shown, "bad\\u{1b}[2J\\u{1b}]0;owned\\u{7} next\\u{9b}31m");
        assert_eq!(printable("Tromsø 12 °C"), "Tromsø 12 °C");
    }

    /// The CLI's `--json` line, byte for byte: the counters are flattened into the
    /// report, in the order they always had.
    #[test]
    fn the_json_shape_is_pinned() {
        let mut report = RunReport::new("prices", json!({ "symbol": "IBM", "full": false }));
        report.status = RunStatus::Succeeded;
        report.counts = RunCounts {
            fetched: 6,
            inserted: 2,
            updated: 1,
            unchanged: 0,
            rejected: 3,
        };
        report.rejections = vec![Rejection::new("IBM 2024-01-01", "high below low")];
        report.table = Some("daily_prices".into());
        report.run_id = Some(7);
        report.duration_ms = 12;
        let line = serde_json::to_string(&report).unwrap();
        assert_eq!(
            line,
            r#"{"source":"prices","parameters":{"full":false,"symbol":"IBM"},"status":"succeeded","fetched":6,"inserted":2,"updated":1,"unchanged":0,"rejected":3,"rejections":[{"key":"IBM 2024-01-01","reason":"high below low"}],"error":null,"table":"daily_prices","run_id":7,"duration_ms":12}"#
        );
        let back: RunReport = serde_json::from_str(&line).unwrap();
        assert_eq!(back, report);

        let mut failed = RunReport::new("news", json!({ "coin": "bitcoin" }));
        failed.add_error("U.Today refused".into());
        failed.add_error("the run could not be recorded".into());
        assert_eq!(
            serde_json::to_string(&failed).unwrap(),
            r#"{"source":"news","parameters":{"coin":"bitcoin"},"status":"failed","fetched":0,"inserted":0,"updated":0,"unchanged":0,"rejected":0,"rejections":[],"error":"U.Today refused; the run could not be recorded","duration_ms":0}"#
        );
    }
}
