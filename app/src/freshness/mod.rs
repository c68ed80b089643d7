//! What each ingest source last did, in words: the freshness line on every page, each
//! part a link to that source's runs on `/runs`. The server words each source's state
//! ([`ssr::source_lines`]).

#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// One source's line: "prices updated 3 h ago", flagged when its last run failed or
/// when it has not succeeded for longer than its schedule allows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct SourceLine {
    /// The source's name, `None` for the "no data yet" line.
    pub source: Option<String>,
    pub text: String,
    pub failed: bool,
    pub stale: bool,
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
