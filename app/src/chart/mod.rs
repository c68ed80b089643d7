//! The price chart, both halves. The server builds the ECharts option with charming
//! (it has the data) and draws a preview for the first paint ([`ssr`]); in the browser
//! the chart box ([`island`], a part of the home page's island) hands the option to
//! ECharts (`hydrate/`).
//!
//! Reading order: [`view`] (what the URL asks the chart to show), [`wire`] (what the
//! server writes for the browser), [`change`] (up, down, % change), [`ssr`], [`api`]
//! (the tooltip's details), [`island`] and `hydrate/`, then the card below.

pub mod api;
pub mod change;
#[cfg(feature = "hydrate")]
mod hydrate;
pub mod island;
pub mod shown;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod view;
pub mod wire;

use island::ChartBox;
use leptos::prelude::*;
use shown::Shown;
use view::Range;

/// The chart card: the range buttons and the chart box, with `children`, the server's
/// drawing, in it. A part of the home page's island, which owns `shown`.
#[component]
pub fn PriceChart(shown: Shown, choose: Callback<Range>, children: Children) -> impl IntoView {
    view! {
        <section class="chart-card" aria-label="Price chart">
            <ChartBox shown choose>{children()}</ChartBox>
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
