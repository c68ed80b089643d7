//! `/`: title, freshness, the chart's controls, key stats, the chart, headlines.
//! Rendered on the server only: the page is plain HTML and forms (it works without
//! JavaScript); the chart and "Copy link" are islands that hydrate.
//!
//! Reading order: [`get_dashboard`] (the one server function; [`data`] is its answer,
//! [`ssr`] loads it), [`HomePage`], then the parts: [`controls`], [`stats`], the chart
//! card ([`crate::chart`]), [`news`]; [`island`] is "Copy link".

// `get_dashboard` takes one argument per URL parameter, so its form body is the page's
// query as it is; the server-function macro writes more functions with the same
// arguments (on both sides), which an attribute on the function does not reach.
#![allow(clippy::too_many_arguments)]

pub mod controls;
pub mod data;
#[cfg(feature = "hydrate")]
mod hydrate;
pub mod island;
pub mod news;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod stats;

use crate::chart::view::{home_href, ChartParams, ChartView, PageQuery, Range};
use crate::chart::wire::ChartPage;
use crate::chart::{ChartPreview, PriceChart};
use crate::error::AppError;
use crate::frame::{loaded_page, CanonicalLink, DownloadLink, PageHeader};
use controls::ChartForm;
use data::Dashboard;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use news::NewsTable;
use stats::KeyStatsBlock;
use store::Symbol;

/// Loads the dashboard for the page's URL parameters.
///
/// Also reachable as `POST /api/dashboard` with a form body `symbol=IBM` (and `q`,
/// `news`, `range`, `chart`, `ma`, `compare`, `scale`).
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    symbol: Option<String>,
    q: Option<String>,
    news: Option<String>,
    range: Option<String>,
    chart: Option<String>,
    ma: Option<String>,
    compare: Option<String>,
    scale: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::ssr::state::AppState;
    use crate::ssr::status::respond;
    use ssr::DashboardQuery;
    let state = expect_context::<AppState>();
    let query = DashboardQuery {
        symbol,
        q,
        news,
        chart: ChartParams {
            range,
            chart,
            ma,
            compare,
            scale,
        },
    };
    respond(ssr::load_dashboard(&state, &query).await)
}

/// `/` for every URL (kept in the server's memory between ingests): a new symbol,
/// range or chart style is another page, which `public/nav.js` morphs in place.
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

/// The page of one dashboard answer. `page` is the URL's symbol, search and headline
/// count as given; as the server applied them, with its chart view, they make the
/// page's canonical URL and each range button's.
#[component]
fn Home(dashboard: Dashboard, page: PageQuery) -> impl IntoView {
    let view = dashboard.view.clone();
    // The page's own URL in the server's words: the symbol and the search as applied,
    // a headline count only when it is one. None when the URL's symbol is not shown
    // (the address keeps what the reader typed, beside the notice about it).
    let asked_symbol = page.symbol.is_some();
    let page = PageQuery {
        symbol: dashboard
            .selected
            .as_ref()
            .filter(|_| asked_symbol)
            .map(Symbol::to_string),
        q: dashboard.search.clone(),
        news: page.news.filter(|n| n.parse::<u32>().is_ok()),
    };
    let canonical =
        (!asked_symbol || dashboard.selected.is_some()).then(|| home_href(page.params(), &view));
    let chart = chart_page(&dashboard, &page, &view);
    let data = dashboard.chart.clone();
    let preview = dashboard.preview.clone();
    let Dashboard {
        coin,
        headlines,
        search,
        more_news,
        headlines_csv,
        selected,
        ..
    } = dashboard.clone();
    view! {
        <CanonicalLink href=canonical />
        <Header dashboard />
        <PriceChart page=chart data range=view.range>
            <ChartPreview html=preview />
        </PriceChart>
        <NewsTable coin headlines search more_news headlines_csv selected view />
    }
}

/// What the chart island reads beside it: the symbol, the range, and the page's URL at
/// each range button.
fn chart_page(dashboard: &Dashboard, page: &PageQuery, view: &ChartView) -> ChartPage {
    let range_hrefs = Range::ALL
        .into_iter()
        .map(|range| {
            home_href(
                page.params(),
                &ChartView {
                    range,
                    ..view.clone()
                },
            )
        })
        .collect();
    ChartPage {
        symbol: dashboard.selected.as_ref().map(Symbol::to_string),
        range: view.range.param(),
        range_hrefs,
    }
}

/// Title, demo banner, freshness, the notice about a bad symbol, the controls, the
/// chart's summary and the key stats.
#[component]
fn Header(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        title,
        symbols,
        selected,
        freshness,
        demo,
        notice,
        summary,
        search,
        prices_csv,
        stats,
        view: chart_view,
        ..
    } = dashboard;
    let range = chart_view.range;
    view! {
        <PageHeader site=title page=None freshness notice />
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        <div class="toolbar">
            <ChartForm symbols selected search view=chart_view />
            {prices_csv.map(|href| view! { <DownloadLink href label="Prices CSV" /> })}
        </div>
        <p class="sr-summary" data-testid="chart-summary">{summary}</p>
        {stats.map(|stats| view! { <KeyStatsBlock stats range /> })}
    }
    .into_any()
}
