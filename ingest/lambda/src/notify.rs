//! Run reports to SNS: every report to the report topic, failures also to the alert topic.

use ingest::RunReport;

/// How many rejected rows a message lists before it says "and N more".
const LISTED_REJECTIONS: usize = 25;

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
    for r in reports {
        body.push_str(&format!(
            "{} {}: {}\n  table: {}\n  duration: {} ms\n  fetched {}, inserted {}, updated {}, unchanged {}, rejected {}\n",
            r.source,
            r.parameters,
            r.status.as_str().to_uppercase(),
            r.table.as_deref().unwrap_or("-"),
            r.duration_ms,
            r.counts.fetched,
            r.counts.inserted,
            r.counts.updated,
            r.counts.unchanged,
            r.counts.rejected
        ));
        if let Some(e) = &r.error {
            body.push_str(&format!("  error: {e}\n"));
        }
        for rej in r.rejections.iter().take(LISTED_REJECTIONS) {
            body.push_str(&format!("  rejected {}: {}\n", rej.key, rej.reason));
        }
        if r.rejections.len() > LISTED_REJECTIONS {
            body.push_str(&format!(
                "  … and {} more rejected rows\n",
                r.rejections.len() - LISTED_REJECTIONS
            ));
        }
        body.push('\n');
    }
    (subject, body)
}

/// Publishes the reports: to `report_topic` always, to `alert_topic` when one failed.
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
    let mut topics: Vec<&str> = report_topic.into_iter().collect();
    if any_failed {
        topics.extend(alert_topic);
    }
    for topic in topics {
        sns.publish()
            .topic_arn(topic)
            .subject(&subject)
            .message(&body)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "publishing the run report to {topic}: {}",
                    aws_sdk_sns::error::DisplayErrorContext(e)
                )
            })?;
    }
    Ok(())
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
}
