//! The top of the home island: the demo banner, the chart's controls and the CSV link,
//! the chart's summary line and the key stats.

use crate::chart::view::{home_href, PageParams};
use crate::frame::{picture_of, DownloadLink};
use crate::home::controls::ChartForm;
use crate::home::data::Dashboard;
use crate::home::stats::KeyStatsBlock;
use leptos::prelude::*;

/// Demo banner, the controls (with `children` at their end), the chart's summary and
/// the key stats.
#[component]
pub fn Header<C: IntoView + 'static>(
    dashboard: Dashboard,
    children: TypedChildren<C>,
) -> impl IntoView {
    let Dashboard {
        symbols,
        selected,
        demo,
        summary,
        search,
        prices_csv,
        stats,
        view: chart_view,
        coin,
        ..
    } = dashboard;
    let news = coin.is_some();
    // The chart as it is now, as a picture (the same view's `/chart.png`).
    let picture = selected.as_ref().map(|s| {
        let page = PageParams {
            symbol: Some(s.as_str()),
            ..PageParams::default()
        };
        picture_of(&home_href(page, &chart_view))
    });
    let range = chart_view.range;
    view! {
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        <div class="toolbar">
            <ChartForm symbols selected search view=chart_view news>{children.into_inner()()}</ChartForm>
            {prices_csv.map(|href| view! { <DownloadLink href label="Prices CSV" /> })}
            {picture.map(|href| view! {
                <a class="download" data-testid="download-png" href=href download="" rel="external">"PNG"</a>
            })}
        </div>
        <p class="sr-summary" data-testid="chart-summary">{summary}</p>
        {stats.map(|stats| view! { <KeyStatsBlock stats range /> })}
    }
}
