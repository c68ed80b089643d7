//! The interactive chart: the range buttons and the box ECharts draws in. A part of
//! the home page's island (`home/island.rs`), which owns its state; this file is where
//! it reaches its browser half.

use crate::chart::shown::Shown;
use crate::chart::view::Range;
use crate::chart::wire::{CHART_ID, DAY_NEWS_ID};
use leptos::prelude::*;

/// The next drawing keeps the reader's zoom (a page refreshing itself shows the same
/// view with new data).
pub fn keep_zoom_next() {
    #[cfg(feature = "hydrate")]
    super::hydrate::keep_zoom_next();
}

/// Range buttons and the box ECharts draws in, over the server's drawing
/// (`children`). In the browser (`chart/hydrate/`) it hands the data's option to
/// ECharts whenever `shown` changes and follows the window size; a range button
/// calls `choose`, which changes `shown.range`.
#[component]
pub fn ChartBox(shown: Shown, choose: Callback<Range>, children: Children) -> impl IntoView {
    let surface = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    super::hydrate::attach(surface, shown);
    let range = shown.range;
    // Each indicator pane (RSI, MACD) makes the box taller by its own height.
    let class = move || match shown.panes.get() {
        0 => "chart",
        1 => "chart panes-1",
        _ => "chart panes-2",
    };
    view! {
        <div class="ranges js-only" role="group" aria-label="Date range">
            {Range::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <button
                            type="button"
                            data-range=r.label()
                            aria-pressed=move || (range.get() == r).to_string()
                            on:click=move |_| choose.run(r)
                        >
                            {r.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div data-testid="price-chart" class=class role="img" aria-label="Open and close prices by date">
            {children()}
            <div id=CHART_ID class="chart-live" node_ref=surface></div>
        </div>
        // A clicked news marker's headlines (filled by `hydrate/news.rs`).
        <div id=DAY_NEWS_ID class="day-news" data-testid="day-news" aria-live="polite" hidden></div>
    }
}
