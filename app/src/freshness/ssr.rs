//! Each source's state in words, at a given time, from its last runs.

use super::SourceLine;
use crate::ssr::settings::DashboardSettings;
use store::{age_in_words, RunStatus};

/// The lines for each source's health at `now`.
pub fn source_lines(
    health: &[store::SourceHealth],
    settings: &DashboardSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<SourceLine> {
    if health.is_empty() {
        return vec![SourceLine {
            source: None,
            text: "no data yet".into(),
            failed: false,
            stale: false,
        }];
    }
    health
        .iter()
        .map(|h| {
            let run = &h.latest;
            let when = run.finished_at.unwrap_or(run.started_at);
            let age = age_in_words(when, now);
            let hours = settings.stale_after_hours(&run.source);
            let stale = h.is_stale(chrono::Duration::hours(i64::from(hours)), now);
            let mut text = match run.status {
                RunStatus::Succeeded => format!("{} updated {age}", run.source),
                RunStatus::Failed => format!("{}: last run failed {age}", run.source),
                RunStatus::Running => format!("{} updating since {age}", run.source),
            };
            if stale {
                text += &match h.last_success {
                    Some(at) => format!(
                        " · stale: last success {}, expected within {hours} h",
                        age_in_words(at, now)
                    ),
                    None => " · stale: never succeeded".to_string(),
                };
            }
            SourceLine {
                source: Some(run.source.clone()),
                text,
                failed: run.status == RunStatus::Failed,
                stale,
            }
        })
        .collect()
}
