//! `/`: title, freshness, the chart's controls, key stats, the chart, headlines.
//! Rendered on the server: the page is plain HTML and forms (it works without
//! JavaScript); everything under the header is one island ([`island`]) that hydrates
//! and from then on shows each change from `get_dashboard`'s answer.
//!
//! Reading order: [`api::get_dashboard`] (the one server function; [`data`] is its answer,
//! [`ssr`] loads it), [`HomePage`], [`island`] (the state), then the parts:
//! [`header`], [`controls`], [`stats`], the chart card ([`crate::chart`]), [`news`];
//! `hydrate/` is the browser half.

pub mod api;
pub mod controls;
pub mod data;
pub mod header;
#[cfg(feature = "hydrate")]
mod hydrate;
pub mod island;
pub mod live;
pub mod news;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod stats;

use crate::answer::tree;
use crate::chart::view::{ChartParams, PageQuery};
use crate::chart::wire::{palette, script_json, DataScript, ANSWER_ID, DARK_ID, PAGE_ID};
use crate::chart::ChartPreview;
use crate::frame::{loaded_page, picture_of, CanonicalLink, PageHeader, PreviewMeta};
use api::get_dashboard;
use data::{applied, Dashboard};
use island::LiveHome;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use live::FirstAnswer;

/// What `/` reads from its URL (see [`crate::query_params`]): the page's own three,
/// then the chart's ([`ChartParams::from_query`]).
pub const QUERY: &[crate::QueryParam] = &[
    ("symbol", false),
    ("q", false),
    ("news", false),
    ("range", false),
    ("chart", false),
    ("ma", true),
    ("compare", true),
    ("scale", false),
    ("ind", true),
    ("markers", false),
];

/// `/` for every URL (kept in the server's memory between ingests). In the browser,
/// another symbol, range or chart style is the island's new state (`island.rs`), from
/// this same server function.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (
            q.get("symbol"),
            q.get("q"),
            q.get("news"),
            ChartParams::from_query(&q),
        )
    };
    let dashboard = Resource::new(requested, |(symbol, q, news, chart)| {
        get_dashboard(
            symbol,
            q,
            news,
            chart.range,
            chart.chart,
            chart.ma,
            chart.compare,
            chart.scale,
            chart.ind,
            chart.markers,
        )
    });
    let page = query.with_untracked(|q| PageQuery {
        symbol: q.get("symbol"),
        q: q.get("q"),
        news: q.get("news"),
    });
    loaded_page(dashboard, move |dashboard| {
        view! { <Home dashboard page=page.clone() /> }
    })
}

/// The page of one dashboard answer: the header, then the island with the rest (the
/// server's drawing of the chart in it), then the answer itself for the island to
/// start from in the browser. `page` is the URL's symbol, search and headline count
/// as given.
#[component]
fn Home(dashboard: Dashboard, page: PageQuery) -> impl IntoView {
    let (page, canonical) = applied(&dashboard, &page);
    let preview_meta = preview_meta(&dashboard, canonical.clone());
    let mut answer = dashboard;
    let preview = std::mem::take(&mut answer.preview);
    let json = script_json(&tree(&answer));
    let dark = answer.chart.is_some().then(palette::dark_twins);
    let (site, freshness) = (answer.title.clone(), answer.freshness.clone());
    // The island on the server draws no chart (the preview is its drawing): the chart's
    // data goes to the browser in the script only, and is not copied again here.
    answer.chart = None;
    let page_json = script_json(&tree(&page));
    provide_context(FirstAnswer(answer, page));
    view! {
        <CanonicalLink href=canonical />
        {preview_meta}
        <PageHeader site page=None freshness notice=None />
        <LiveHome>
            <ChartPreview html=preview />
        </LiveHome>
        <DataScript id=ANSWER_ID json />
        <DataScript id=PAGE_ID json=page_json />
        {dark.map(|json| view! { <DataScript id=DARK_ID json /> })}
    }
    .into_any()
}

/// The link preview of the page at `canonical`: "IBM 143.20 ▲ 1.20 %", the chart's
/// summary, the picture of the same view.
fn preview_meta(dashboard: &Dashboard, canonical: Option<String>) -> impl IntoView {
    let symbol = dashboard.selected.as_ref().map(|s| s.to_string());
    let title = match (&symbol, &dashboard.stats) {
        (Some(symbol), Some(stats)) => format!(
            "{symbol} {} {} {}",
            stats.last_close,
            stats.direction.arrow(),
            stats.change_pct
        ),
        _ => dashboard.title.clone(),
    };
    let description = dashboard
        .summary
        .clone()
        .unwrap_or_else(|| "Stock and crypto prices with the news, updated daily.".into());
    let image = picture_of(canonical.as_deref().unwrap_or("/"));
    view! {
        <PreviewMeta title description public_url=dashboard.public_url.clone() path=canonical image />
    }
}
