//! The price chart, both halves. The server builds the ECharts option with charming
//! (it has the data) and draws a preview for the first paint ([`ssr`]); in the browser
//! the chart island ([`island`]) hands the option to ECharts (`hydrate/`).
//!
//! Reading order: [`view`] (what the URL asks the chart to show), [`wire`] (what the
//! server writes for the browser), [`change`] (up, down, % change), [`ssr`], [`api`]
//! (the tooltip's details), [`island`] and `hydrate/`, then the card below.

pub mod api;
pub mod change;
#[cfg(feature = "hydrate")]
mod hydrate;
pub mod island;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;
pub mod wire;

use island::{ChartIsland, ShownRange};
use leptos::prelude::*;
use view::Range;
use wire::{script_json, ChartData, ChartPage, DataScript, DATA_ID, PAGE_ID};

/// The chart card: the island (range buttons and the chart box, with `children`, the
/// server's drawing, in it) and the page's data for it.
#[component]
pub fn PriceChart(
    page: ChartPage,
    data: Option<ChartData>,
    range: Range,
    children: Children,
) -> impl IntoView {
    provide_context(ShownRange(range));
    let page = script_json(&page);
    let data = data.map(|d| script_json(&d));
    view! {
        <section class="chart-card" aria-label="Price chart">
            <ChartIsland>{children()}</ChartIsland>
            <DataScript id=PAGE_ID json=page />
            {data.map(|json| view! { <DataScript id=DATA_ID json /> })}
            <noscript><p class="hint">"Turn on JavaScript to zoom and to read each day's prices."</p></noscript>
        </section>
    }
}

/// The server's drawing of the chart, for the first paint. It stays as the server wrote
/// it until ECharts has drawn, then it is emptied (see `hydrate/`).
#[component]
pub fn ChartPreview(html: String) -> impl IntoView {
    view! { <div class="chart-static" aria-hidden="true" inner_html=html></div> }
}
