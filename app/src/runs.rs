//! `/runs`: the ingest's run history, newest first, filtered by source and status
//! (`?source=prices&status=failed`) and paged (`?page=2`). A failed run shows its error;
//! rejected rows are listed with their key and reason in a `<details>`.

use crate::dashboard::AppError;
use crate::sources::{PageHeader, SourceLine};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
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

/// Loads a page of runs.
#[server(endpoint = "runs")]
pub async fn get_runs(
    source: Option<String>,
    status: Option<String>,
    page: Option<String>,
) -> Result<RunsView, AppError> {
    use crate::state::AppState;
    let state = expect_context::<AppState>();
    crate::dashboard::load::respond(load::load_runs(&state, source, status, page).await)
}

#[cfg(feature = "ssr")]
pub mod load {
    use super::*;
    use crate::chart_view::{echo, href};
    use crate::dashboard::load::unavailable;
    use crate::state::AppState;
    use axum::http::StatusCode;
    use store::{RunFilter, RunStatus, RunSummary};

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
        let mut code = StatusCode::OK;
        let mut notices = Vec::new();
        let given = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());

        let source = match given(source) {
            Some(s) if sources.contains(&s) => Some(s),
            Some(s) => {
                code = StatusCode::BAD_REQUEST;
                notices.push(format!(
                    "There are no runs from “{}”. Showing every source.",
                    echo(&s)
                ));
                None
            }
            None => None,
        };
        let status = match given(status) {
            Some(s) => match RunStatus::parse(&s.to_ascii_lowercase()) {
                Some(status) => Some(status),
                None => {
                    code = StatusCode::BAD_REQUEST;
                    notices.push(format!(
                        "“{}” is not a status: use succeeded, failed or running. Showing every status.",
                        echo(&s)
                    ));
                    None
                }
            },
            None => None,
        };
        let page = match given(page) {
            Some(p) => match p.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    code = StatusCode::BAD_REQUEST;
                    notices.push(format!(
                        "“{}” is not a page number. Showing page 1.",
                        echo(&p)
                    ));
                    1
                }
            },
            None => 1,
        };

        let filter = RunFilter {
            source: source.clone(),
            status,
        };
        let offset = u64::from(page - 1) * u64::from(RUNS_PER_PAGE);
        // One more than a page tells whether there is an older page.
        let mut runs = store
            .runs(&filter, RUNS_PER_PAGE + 1, offset)
            .await
            .map_err(unavailable)?;
        let has_older = runs.len() > RUNS_PER_PAGE as usize;
        runs.truncate(RUNS_PER_PAGE as usize);

        let status_text = status.map(|s| s.as_str().to_string());
        let link = |page: u32| {
            let page = page.to_string();
            href(
                "/runs",
                &[
                    ("source", source.as_deref()),
                    ("status", status_text.as_deref()),
                    ("page", (page != "1").then_some(page.as_str())),
                ],
            )
        };
        Ok((
            RunsView {
                title: state.settings.title.clone(),
                runs: runs.iter().map(run_view).collect(),
                sources,
                newer: (page > 1).then(|| link(page - 1)),
                older: has_older.then(|| link(page + 1)),
                source,
                status: status_text,
                page,
                freshness: crate::sources::source_lines(
                    &health,
                    &state.settings,
                    chrono::Utc::now(),
                ),
                notice: (!notices.is_empty()).then(|| notices.join(" ")),
            },
            code,
        ))
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
}

/// `/runs`.
#[component]
pub fn RunsPage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (q.get("source"), q.get("status"), q.get("page"))
    };
    let runs = Resource::new(requested, |(source, status, page)| {
        get_runs(source, status, page)
    });
    crate::page::loaded_page(runs, |view| view! { <RunsBody view /> })
}

#[component]
fn RunsBody(view: RunsView) -> impl IntoView {
    let RunsView {
        title,
        runs,
        sources,
        source,
        status,
        page,
        newer,
        older,
        freshness,
        notice,
    } = view;
    let empty = runs.is_empty();
    let filtered = source.is_some() || status.is_some();
    view! {
        <PageHeader site=title page=Some("Runs") freshness notice />
        <form method="get" action="/runs" class="runs-filter" data-testid="runs-filter">
            <span class="field">
            <label for="run-source">"Source"</label>
            <select id="run-source" name="source">
                <option value="" selected=source.is_none()>"All"</option>
                {sources
                    .into_iter()
                    .map(|s| {
                        let is = Some(&s) == source.as_ref();
                        view! { <option value=s.clone() selected=is>{s.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            </span>
            <span class="field">
            <label for="run-status">"Status"</label>
            <select id="run-status" name="status">
                <option value="" selected=status.is_none()>"All"</option>
                {STATUSES
                    .into_iter()
                    .map(|s| {
                        let is = status.as_deref() == Some(s);
                        view! { <option value=s selected=is>{s}</option> }
                    })
                    .collect_view()}
            </select>
            </span>
            <button type="submit">"Filter"</button>
            {filtered.then(|| view! { <a href="/runs" class="clear">"Clear"</a> })}
        </form>
        <section class="news runs" aria-labelledby="runs-caption">
            <table data-testid="runs-table">
                <caption id="runs-caption">{format!("Recent runs, page {page}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Started"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Duration"</th>
                        <th scope="col">"Rows"</th>
                    </tr>
                </thead>
                <tbody>
                    {runs.into_iter().map(|run| view! { <RunRow run /> }).collect_view()}
                    {empty.then(|| view! {
                        <tr><td colspan="5" class="empty" data-testid="runs-empty">
                            {if filtered { "No runs match this filter." } else { "No runs yet: run the ingest (see the README)." }}
                        </td></tr>
                    })}
                </tbody>
            </table>
            <nav class="pager" aria-label="Pages of runs">
                {newer.map(|h| view! { <a href=h rel="prev" data-testid="runs-newer">"← Newer"</a> })}
                {older.map(|h| view! { <a href=h rel="next" data-testid="runs-older">"Older →"</a> })}
            </nav>
        </section>
    }
    .into_any()
}

#[component]
fn RunRow(run: RunView) -> impl IntoView {
    let RunView {
        id,
        source,
        parameters,
        started_iso,
        started_shown,
        duration,
        status,
        counts,
        error,
        rejections,
    } = run;
    let [fetched, inserted, updated, unchanged, rejected] = counts;
    let failed = status == "failed";
    let rejection_count = rejections.len();
    view! {
        <tr data-run=id data-status=status.clone() class:failed=failed>
            <td class="date"><time datetime=started_iso>{started_shown}</time></td>
            <td>
                <strong>{source}</strong>
                <code class="params">{parameters}</code>
            </td>
            <td>
                <span class=format!("status {status}")>{if failed { "✗ failed".to_string() } else { status.clone() }}</span>
                {error.map(|e| view! { <p class="run-error" data-testid="run-error">{e}</p> })}
                {(rejection_count > 0).then(|| view! {
                    <details data-testid="rejections">
                        <summary>{format!("{rejection_count} rejected row{}", if rejection_count == 1 { "" } else { "s" })}</summary>
                        <ul>
                            {rejections
                                .into_iter()
                                .map(|r| view! { <li><code>{r.key}</code>": "{r.reason}</li> })
                                .collect_view()}
                        </ul>
                    </details>
                })}
            </td>
            <td class="num">{duration}</td>
            <td class="counts">
                {[
                    ("fetched", fetched),
                    ("inserted", inserted),
                    ("updated", updated),
                    ("unchanged", unchanged),
                    ("rejected", rejected),
                ]
                    .into_iter()
                    .map(|(what, n)| view! { <span data-count=what>{format!("{n} {what}")}</span> })
                    .collect_view()}
            </td>
        </tr>
    }
    .into_any()
}
