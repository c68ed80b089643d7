//! What each ingest source last did, in words: the freshness line on every page, each
//! part a link to that source's runs on `/runs`.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One source's line: "prices updated 3 h ago", flagged when its last run failed or
/// when it has not succeeded for longer than its schedule allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceLine {
    /// The source's name, `None` for the "no data yet" line.
    pub source: Option<String>,
    pub text: String,
    pub failed: bool,
    pub stale: bool,
}

/// The lines for each source's health at `now`.
#[cfg(feature = "ssr")]
pub fn source_lines(
    health: &[store::SourceHealth],
    settings: &crate::settings::DashboardSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<SourceLine> {
    use store::{age_in_words, RunStatus};
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

/// The freshness line: each source's state, linking to its runs.
#[component]
pub fn Freshness(lines: Vec<SourceLine>) -> impl IntoView {
    view! {
        <p class="freshness" data-testid="freshness">
            {lines
                .into_iter()
                .map(|line| {
                    let class = match (line.failed, line.stale) {
                        (_, true) => Some("stale"),
                        (true, false) => Some("failed"),
                        _ => None,
                    };
                    match line.source {
                        Some(source) => view! {
                            <a class=class href=format!("/runs?source={source}") data-source=source.clone()>
                                {line.stale.then_some("⚠ ")}
                                {line.text}
                            </a>
                        }
                        .into_any(),
                        None => view! { <span>{line.text}</span> }.into_any(),
                    }
                })
                .collect_view()}
        </p>
    }
}

/// The top of every page: the document title (`page · site`, or the site alone), the
/// heading, the freshness line, and the notice about a bad parameter, if any.
#[component]
pub fn PageHeader(
    site: String,
    /// `None` on `/`, whose heading is the site's title.
    page: Option<&'static str>,
    freshness: Vec<SourceLine>,
    notice: Option<String>,
) -> impl IntoView {
    let (title, heading) = match page {
        Some(page) => (format!("{page} · {site}"), page.to_string()),
        None => (site.clone(), site),
    };
    view! {
        <DocumentTitle text=title />
        <header class="top">
            <h1>{heading}</h1>
            <Freshness lines=freshness />
        </header>
        {notice.map(|text| view! { <Notice text /> })}
    }
}

/// The document's title, written into the head by leptos_meta. Pages render on the
/// server only; after an in-place navigation `public/nav.js` copies the new page's
/// title.
#[component]
pub fn DocumentTitle(text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    return view! { <leptos_meta::Title text /> };
    #[cfg(not(feature = "ssr"))]
    let _ = text;
}

/// Why a parameter of the URL was not taken, in words for the reader.
#[component]
pub fn Notice(text: String) -> impl IntoView {
    view! { <p class="notice" role="alert" data-testid="notice">{text}</p> }
}
