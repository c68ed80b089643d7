//! Row types shared by the server, the wasm front end and the ingest crate.

use crate::domain::Symbol;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One trading day of one symbol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DailyBar {
    pub symbol: Symbol,
    pub date: NaiveDate,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

impl DailyBar {
    /// A bar from its open, high, low, close and volume, in that order.
    pub fn from_ohlcv(
        symbol: Symbol,
        date: NaiveDate,
        [open, high, low, close, volume]: [f64; 5],
    ) -> Self {
        DailyBar {
            symbol,
            date,
            open,
            high,
            low,
            close,
            volume,
        }
    }
}

/// A scraped news headline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub url: String,
    pub coin: String,
    pub published_at: DateTime<Utc>,
    pub title: String,
}

impl Headline {
    /// Only http(s) links are ever rendered as links; anything else (`javascript:`,
    /// `data:`) is shown as text.
    pub fn has_web_url(&self) -> bool {
        let lower = self.url.trim_start().to_ascii_lowercase();
        lower.starts_with("https://") || lower.starts_with("http://")
    }
}

/// One city's current weather.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeatherObservation {
    pub city: String,
    pub city_id: i64,
    pub observed_at: DateTime<Utc>,
    pub temp_c: f64,
    pub temp_f: f64,
    pub humidity: i64,
    pub description: String,
}

/// °C to °F, to two decimals: the one conversion the ingest and the demo use.
pub fn celsius_to_fahrenheit(c: f64) -> f64 {
    ((c * 9.0 / 5.0 + 32.0) * 100.0).round() / 100.0
}

/// Outcome of an ingest run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Succeeded,
    Failed,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "running" => Some(RunStatus::Running),
            "succeeded" => Some(RunStatus::Succeeded),
            "failed" => Some(RunStatus::Failed),
            _ => None,
        }
    }
}

/// How many rows a run saw and what became of them: one type for the ingest's report,
/// the run written to the runs table and the run read back. Flattened into each of
/// them, so their JSON keeps the five counters as plain fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    /// Rows the source gave, readable or not.
    pub fetched: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows set aside by the source's parser or the batch validation, each with a reason.
    pub rejected: u64,
}

impl RunCounts {
    /// Takes in what an upsert did with the valid rows.
    pub fn add_written(&mut self, written: WriteCounts) {
        self.inserted += written.inserted;
        self.updated += written.updated;
        self.unchanged += written.unchanged;
    }
}

/// A row that did not pass, and why: recorded with its run, shown on `/runs`.
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

/// One row of the runs table as it is read back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub source: String,
    /// What was asked for, as JSON text: `{"symbol":"IBM","full":false}`.
    pub parameters: String,
    pub status: RunStatus,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub counts: RunCounts,
    pub error: Option<String>,
    /// The rows set aside, each with its reason (empty when none were).
    #[serde(default)]
    pub rejections: Vec<Rejection>,
}

impl RunSummary {
    /// How long the run took, when it has finished.
    pub fn duration(&self) -> Option<chrono::Duration> {
        self.finished_at.map(|end| end - self.started_at)
    }
}

/// Which runs to list: any source or one, any status or one; newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunFilter {
    pub source: Option<String>,
    pub status: Option<RunStatus>,
}

/// Longest headline search used; the rest is ignored.
pub const MAX_SEARCH_LEN: usize = 100;

/// Which headlines to read: one coin's or all, and only those whose title contains
/// `search` (case-insensitive, taken literally: `%` and `_` are plain characters).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadlineFilter {
    pub coin: Option<String>,
    pub search: Option<String>,
}

/// A source as the pages see it: its latest run, whatever its status, and when it last
/// succeeded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub latest: RunSummary,
    pub last_success: Option<DateTime<Utc>>,
}

impl SourceHealth {
    /// True when the source has not succeeded within `max_age` of `now` (or never has).
    pub fn is_stale(&self, max_age: chrono::Duration, now: DateTime<Utc>) -> bool {
        self.last_success.is_none_or(|at| now - at > max_age)
    }
}

/// How an upsert changed the table: together they add up to the rows offered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// "3 h ago", "5 min ago", "2 d ago": the freshness line's wording.
/// `text` cut to at most `max` bytes (at a character boundary), saying how much was
/// cut: what upstream services write is kept and sent only so far.
pub fn shortened(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

pub fn age_in_words(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..=59 => "just now".to_string(),
        60..=3599 => format!("{} min ago", secs / 60),
        3600..=86_399 => format!("{} h ago", secs / 3600),
        _ => format!("{} d ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn only_web_urls_count_as_links() {
        let mut h = Headline {
            url: "https://u.today/x".into(),
            coin: "bitcoin".into(),
            published_at: Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap(),
            title: "t".into(),
        };
        assert!(h.has_web_url());
        h.url = "javascript:alert(1)".into();
        assert!(!h.has_web_url());
        h.url = "HTTP://EXAMPLE.COM".into();
        assert!(h.has_web_url());
    }

    #[test]
    fn run_counters_are_plain_fields_of_a_run() {
        let run = RunSummary {
            id: 3,
            source: "prices".into(),
            parameters: r#"{"symbol":"IBM"}"#.into(),
            status: RunStatus::Succeeded,
            started_at: Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
            finished_at: None,
            counts: RunCounts {
                fetched: 5,
                inserted: 4,
                updated: 0,
                unchanged: 0,
                rejected: 1,
            },
            error: None,
            rejections: vec![Rejection::new("IBM 2024-01-02", "close is negative")],
        };
        let text = serde_json::to_string(&run).unwrap();
        assert_eq!(
            text,
            r#"{"id":3,"source":"prices","parameters":"{\"symbol\":\"IBM\"}","status":"succeeded","started_at":"2024-01-02T03:04:05Z","finished_at":null,"fetched":5,"inserted":4,"updated":0,"unchanged":0,"rejected":1,"error":null,"rejections":[{"key":"IBM 2024-01-02","reason":"close is negative"}]}"#
        );
        assert_eq!(serde_json::from_str::<RunSummary>(&text).unwrap(), run);
    }

    #[test]
    fn ages_read_naturally() {
        let now = Utc.with_ymd_and_hms(2024, 1, 2, 12, 0, 0).unwrap();
        assert_eq!(age_in_words(now, now), "just now");
        assert_eq!(
            age_in_words(now - chrono::Duration::minutes(5), now),
            "5 min ago"
        );
        assert_eq!(
            age_in_words(now - chrono::Duration::hours(3), now),
            "3 h ago"
        );
        assert_eq!(
            age_in_words(now - chrono::Duration::days(2), now),
            "2 d ago"
        );
    }
}
