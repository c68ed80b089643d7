//! The interactive chart, the one island of `/` that draws.

use crate::chart::view::Range;
use crate::chart::wire::CHART_ID;
use leptos::prelude::*;

/// The range the page shows, for the island's first render on the server (given by
/// [`super::PriceChart`]).
#[derive(Clone, Copy)]
pub struct ShownRange(pub Range);

/// Range buttons and the box ECharts draws in, over the server's drawing
/// (`children`). In the browser (`chart/hydrate/`) it hands the page's option to
/// ECharts, follows the range buttons (drawing the new window at once, then asking
/// `nav.js` for the page with that range, replacing the history entry) and the window
/// size, and after an in-place navigation draws the new page's data.
#[island]
pub fn ChartIsland(children: Children) -> impl IntoView {
    let range = RwSignal::new(first_range());
    let surface = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    super::hydrate::attach(surface, range);
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
                            on:click=move |_| {
                                #[cfg(feature = "hydrate")]
                                super::hydrate::choose(r, range);
                            }
                        >
                            {r.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div data-testid="price-chart" class="chart" role="img" aria-label="Open and close prices by date">
            {children()}
            <div id=CHART_ID class="chart-live" node_ref=surface></div>
        </div>
    }
}

/// The range the island starts with: the page's (the server's context, the browser's
/// `chart-page` script: the same value, so hydration matches).
fn first_range() -> Range {
    let shown = use_context::<ShownRange>().map(|r| r.0);
    #[cfg(feature = "hydrate")]
    let shown = shown.or_else(super::hydrate::page_range);
    shown.unwrap_or_default()
}
