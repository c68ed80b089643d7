//! Run reports to SNS: every report to the report topic, failures also to the alert topic.

use ingest::RunReport;
use store::shortened;

/// How many rejected rows a message lists before it says "and N more".
const LISTED_REJECTIONS: usize = 25;

/// SNS refuses a message over 256 KiB: the body stays under this, whatever upstream
/// services wrote into errors and rejected rows.
pub const MAX_BODY_BYTES: usize = 200 * 1024;

/// The longest error a message quotes, and the longest key or reason of a rejected row.
const MAX_ERROR_BYTES: usize = 4 * 1024;
const MAX_FIELD_BYTES: usize = 300;

/// The subject (ASCII, under 100 characters, as SNS requires) and the body of the
/// message for one store invocation's reports.
pub fn message(function: &str, reports: &[RunReport]) -> (String, String) {
    let failed: Vec<&RunReport> = reports.iter().filter(|r| !r.succeeded()).collect();
    let sources: Vec<&str> = {
        let mut s: Vec<&str> = reports.iter().map(|r| r.source.as_str()).collect();
        s.dedup();
        s
    };
    let subject = if failed.is_empty() {
        format!(
            "tickerboard: {} succeeded ({} runs)",
            sources.join(", "),
            reports.len()
        )
    } else {
        format!(
            "tickerboard: {} of {} runs FAILED ({})",
            failed.len(),
            reports.len(),
            sources.join(", ")
        )
    };
    let subject: String = subject
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(99)
        .collect();

    let mut body = format!("tickerboard run report from {function}\n\n");
    for (k, r) in reports.iter().enumerate() {
        let section = report_section(r);
        if body.len() + section.len() > MAX_BODY_BYTES {
            body.push_str(&format!(
                "… and {} more runs: see the runs table\n",
                reports.len() - k
            ));
            break;
        }
        body.push_str(&section);
    }
    (subject, body)
}

/// One run's part of the message: its counts, its error and its first rejected rows,
/// each cut to a bounded length.
fn report_section(r: &RunReport) -> String {
    let mut section = format!(
        "{} {}: {}\n  table: {}\n  duration: {} ms\n  fetched {}, inserted {}, updated {}, unchanged {}, rejected {}\n",
        r.source,
        shortened(&r.parameters.to_string(), MAX_FIELD_BYTES),
        r.status.as_str().to_uppercase(),
        r.table.as_deref().unwrap_or("-"),
        r.duration_ms,
        r.counts.fetched,
        r.counts.inserted,
        r.counts.updated,
        r.counts.unchanged,
        r.counts.rejected
    );
    if let Some(e) = &r.error {
        section.push_str(&format!("  error: {}\n", shortened(e, MAX_ERROR_BYTES)));
    }
    for rej in r.rejections.iter().take(LISTED_REJECTIONS) {
        section.push_str(&format!(
            "  rejected {}: {}\n",
            shortened(&rej.key, MAX_FIELD_BYTES),
            shortened(&rej.reason, MAX_FIELD_BYTES)
        ));
    }
    if r.rejections.len() > LISTED_REJECTIONS {
        section.push_str(&format!(
            "  … and {} more rejected rows\n",
            r.rejections.len() - LISTED_REJECTIONS
        ));
    }
    section.push('\n');
    section
}

/// Publishes the reports: to `alert_topic` when one failed, then to `report_topic`
/// always. Each topic is tried whatever became of the other: an alert goes out even
/// when the report could not.
pub async fn publish(
    sns: &aws_sdk_sns::Client,
    report_topic: Option<&str>,
    alert_topic: Option<&str>,
    function: &str,
    reports: &[RunReport],
) -> Result<(), String> {
    if reports.is_empty() {
        return Ok(());
    }
    let (subject, body) = message(function, reports);
    let any_failed = reports.iter().any(|r| !r.succeeded());
    let alert = alert_topic.filter(|_| any_failed);
    let mut failures = Vec::new();
    for topic in alert.into_iter().chain(report_topic) {
        if let Err(e) = sns
            .publish()
            .topic_arn(topic)
            .subject(&subject)
            .message(&body)
            .send()
            .await
        {
            failures.push(format!(
                "publishing the run report to {topic}: {}",
                aws_sdk_sns::error::DisplayErrorContext(e)
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ingest::Rejection;
    use store::RunStatus;

    #[test]
    fn subject_and_body_say_what_happened() {
        let mut ok = RunReport::new("prices", serde_json::json!({"symbol": "IBM"}));
        ok.status = RunStatus::Succeeded;
        ok.counts.fetched = 100;
        ok.counts.inserted = 3;
        ok.counts.unchanged = 96;
        ok.counts.rejected = 1;
        ok.table = Some("daily_prices".into());
        ok.rejections = vec![Rejection::new(
            "IBM 2024-03-26",
            "high 177 is below max(open, close) 178.38",
        )];
        let mut bad = RunReport::new("prices", serde_json::json!({"symbol": "TSLA"}));
        bad.error = Some("Alpha Vantage refused: Information: … 25 requests per day …".into());
        let (subject, body) = message("tickerboard-store-prices", &[ok.clone(), bad]);
        assert_eq!(subject, "tickerboard: 1 of 2 runs FAILED (prices)");
        assert!(body.contains("fetched 100, inserted 3, updated 0, unchanged 96, rejected 1"));
        assert!(body.contains("table: daily_prices"));
        assert!(body.contains("rejected IBM 2024-03-26: high 177 is below"));
        assert!(body.contains("error: Alpha Vantage refused"));
        let (subject, _) = message("f", &[ok]);
        assert_eq!(subject, "tickerboard: prices succeeded (1 runs)");
        assert!(subject.len() < 100 && subject.is_ascii());
    }

    #[test]
    fn a_message_stays_under_what_sns_takes_whatever_upstream_wrote() {
        let mut huge = RunReport::new("news", serde_json::json!({"coin": "bitcoin"}));
        huge.error = Some("é".repeat(1_000_000));
        huge.rejections = (0..2_000)
            .map(|i| Rejection::new(format!("row {i} {}", "k".repeat(5_000)), "r".repeat(5_000)))
            .collect();
        let mut wordy = RunReport::new("prices", serde_json::json!({"symbol": "IBM"}));
        wordy.error = Some("x".repeat(50_000));
        let mut reports = vec![huge];
        reports.extend(std::iter::repeat_n(wordy, 300));
        let (_, body) = message("tickerboard-store-news", &reports);
        assert!(body.len() <= MAX_BODY_BYTES, "{} bytes", body.len());
        assert!(body.contains("more bytes)"), "the error is cut, saying so");
        assert!(body.contains("… and 1975 more rejected rows"));
        assert!(
            body.contains("more runs: see the runs table"),
            "whole runs left out are counted"
        );
    }
}
