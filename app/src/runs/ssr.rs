//! The server side of [`super::get_runs`]: [`load_runs`] and its steps.

use super::data::{RunView, RunsView, RUNS_PER_PAGE};
use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::status::{unavailable, Verdict};
use crate::text::{echo, given, href};
use axum::http::StatusCode;
use store::{RunFilter, RunStatus, RunSummary};

/// A page of runs for the URL's filter, and the status that fits (see
/// [`crate::ssr::status`]).
pub async fn load_runs(
    state: &AppState,
    source: Option<String>,
    status: Option<String>,
    page: Option<String>,
) -> Result<(RunsView, StatusCode), AppError> {
    let store = &state.store;
    let health = store.sources().await.map_err(unavailable)?;
    // Every source with a run, in order: the filter's choices.
    let sources: Vec<String> = health.iter().map(|h| h.latest.source.clone()).collect();
    let mut verdict = Verdict::default();
    let filter = RunFilter {
        source: read_source(source.as_deref(), &sources, &mut verdict),
        status: read_status(status.as_deref(), &mut verdict),
    };
    let page = read_page(page.as_deref(), &mut verdict);
    let offset = u64::from(page - 1) * u64::from(RUNS_PER_PAGE);
    // One more than a page tells whether there is an older page.
    let mut runs = store
        .runs(&filter, RUNS_PER_PAGE + 1, offset)
        .await
        .map_err(unavailable)?;
    let has_older = runs.len() > RUNS_PER_PAGE as usize;
    runs.truncate(RUNS_PER_PAGE as usize);
    let status = filter.status.map(|s| s.as_str().to_string());
    let link = |page: u32| page_href(filter.source.as_deref(), status.as_deref(), page);
    let view = RunsView {
        title: state.settings.title.clone(),
        public_url: state.settings.public_url.clone(),
        runs: runs.iter().map(run_view).collect(),
        sources,
        newer: (page > 1).then(|| link(page - 1)),
        older: has_older.then(|| link(page + 1)),
        source: filter.source.clone(),
        status,
        page,
        freshness: crate::freshness::ssr::source_lines(
            &health,
            &state.settings,
            chrono::Utc::now(),
        ),
        notice: verdict.notice(),
    };
    Ok((view, verdict.status()))
}

/// `?source=`: one of `sources`; every source, with a notice (400), otherwise.
fn read_source(raw: Option<&str>, sources: &[String], verdict: &mut Verdict) -> Option<String> {
    let raw = given(raw)?;
    if sources.iter().any(|s| s == raw) {
        return Some(raw.to_string());
    }
    verdict.malformed(format!(
        "There are no runs from “{}”. Showing every source.",
        echo(raw)
    ));
    None
}

/// `?status=succeeded|failed|running`, in any case; every status, with a notice (400),
/// otherwise.
fn read_status(raw: Option<&str>, verdict: &mut Verdict) -> Option<RunStatus> {
    let raw = given(raw)?;
    let status = RunStatus::parse(&raw.to_ascii_lowercase());
    if status.is_none() {
        verdict.malformed(format!(
            "“{}” is not a status: use succeeded, failed or running. Showing every status.",
            echo(raw)
        ));
    }
    status
}

/// `?page=`: a number from 1; page 1, with a notice (400), otherwise.
fn read_page(raw: Option<&str>, verdict: &mut Verdict) -> u32 {
    let Some(raw) = given(raw) else {
        return 1;
    };
    match raw.parse::<u32>() {
        Ok(n) if n >= 1 => n,
        _ => {
            verdict.malformed(format!(
                "“{}” is not a page number. Showing page 1.",
                echo(raw)
            ));
            1
        }
    }
}

/// `/runs` with the filter at `page` (page 1 left out).
fn page_href(source: Option<&str>, status: Option<&str>, page: u32) -> String {
    let page = page.to_string();
    href(
        "/runs",
        &[
            ("source", source),
            ("status", status),
            ("page", (page != "1").then_some(page.as_str())),
        ],
    )
}

fn run_view(run: &RunSummary) -> RunView {
    let c = run.counts;
    RunView {
        id: run.id,
        source: run.source.clone(),
        parameters: run.parameters.clone(),
        started_iso: run.started_at.to_rfc3339(),
        started_shown: run.started_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        duration: run
            .duration()
            .map(duration_in_words)
            .unwrap_or_else(|| "running".into()),
        status: run.status.as_str().to_string(),
        counts: [c.fetched, c.inserted, c.updated, c.unchanged, c.rejected],
        error: run.error.clone(),
        rejections: run.rejections.clone(),
    }
}

/// "850 ms", "3.2 s", "2 min 5 s", "1 h 4 min".
pub fn duration_in_words(d: chrono::Duration) -> String {
    let ms = d.num_milliseconds().max(0);
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=59_999 => format!("{:.1} s", ms as f64 / 1000.0),
        60_000..=3_599_999 => format!("{} min {} s", ms / 60_000, ms % 60_000 / 1000),
        _ => format!("{} h {} min", ms / 3_600_000, ms % 3_600_000 / 60_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_in_words(Duration::milliseconds(850)), "850 ms");
        assert_eq!(duration_in_words(Duration::milliseconds(3_240)), "3.2 s");
        assert_eq!(duration_in_words(Duration::seconds(125)), "2 min 5 s");
        assert_eq!(duration_in_words(Duration::minutes(64)), "1 h 4 min");
    }
}
