//! `/runs`: the ingest's run history, newest first, filtered by source and status
//! (`?source=prices&status=failed`) and paged (`?page=2`). A failed run shows its error;
//! rejected rows are listed with their key and reason in a `<details>`. The same shape
//! as `/`: [`get_runs`] answers [`data`], loaded by [`ssr`].

pub mod data;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use crate::frame::{loaded_page, PageHeader, PagePreview};
use data::{RunView, RunsView, STATUSES};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Loads a page of runs.
#[server(endpoint = "runs")]
pub async fn get_runs(
    source: Option<String>,
    status: Option<String>,
    page: Option<String>,
) -> Result<RunsView, AppError> {
    use crate::ssr::state::AppState;
    use crate::ssr::status::respond;
    let state = expect_context::<AppState>();
    respond(ssr::load_runs(&state, source, status, page).await)
}

/// What `/runs` reads from its URL (see [`crate::query_params`]).
pub const QUERY: &[crate::QueryParam] = &[("source", false), ("status", false), ("page", false)];

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
    loaded_page(runs, |view| view! { <RunsBody view /> })
}

/// What `/runs` shows, for its link preview.
const RUNS_ABOUT: &str = "Every ingest run: when, what it fetched and wrote, and why one failed.";

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
        public_url,
    } = view;
    let empty = runs.is_empty();
    let filtered = source.is_some() || status.is_some();
    let statuses = STATUSES.map(String::from).to_vec();
    view! {
        <PagePreview page="Runs" site=title.clone() description=RUNS_ABOUT public_url path="/runs".to_string() />
        <PageHeader site=title page=Some("Runs") freshness notice />
        <form method="get" action="/runs" class="runs-filter" data-testid="runs-filter">
            <FilterSelect id="run-source" name="source" label="Source" choices=sources chosen=source />
            <FilterSelect id="run-status" name="status" label="Status" choices=statuses chosen=status />
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

/// One of the filter's selects: "All", then each choice, `chosen` selected.
#[component]
fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    choices: Vec<String>,
    chosen: Option<String>,
) -> impl IntoView {
    view! {
        <span class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_none()>"All"</option>
                {choices
                    .into_iter()
                    .map(|c| {
                        let is = Some(&c) == chosen.as_ref();
                        view! { <option value=c.clone() selected=is>{c.clone()}</option> }
                    })
                    .collect_view()}
            </select>
        </span>
    }
}

/// A run's rejected rows with their reasons: the `total` the run counted, the first
/// ones it kept (see `store::MAX_STORED_REJECTIONS`), and how many more it did not keep.
#[component]
fn RejectedRows(rejections: Vec<store::Rejection>, total: u64) -> impl IntoView {
    let not_kept = usize::try_from(total)
        .unwrap_or(usize::MAX)
        .saturating_sub(rejections.len());
    let total = total.max(rejections.len() as u64);
    view! {
        <details data-testid="rejections">
            <summary>{format!("{total} rejected row{}", if total == 1 { "" } else { "s" })}</summary>
            <ul>
                {rejections
                    .into_iter()
                    .map(|r| view! { <li><code>{r.key}</code>": "{r.reason}</li> })
                    .collect_view()}
                {(not_kept > 0).then(|| view! {
                    <li class="not-kept" data-testid="rejections-not-kept">{format!("… and {not_kept} more, not kept")}</li>
                })}
            </ul>
        </details>
    }
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
                {(!rejections.is_empty()).then(|| view! { <RejectedRows rejections total=rejected /> })}
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
