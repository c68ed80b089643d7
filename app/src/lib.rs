//! The dashboard: three pages, their server functions, and the chart.
//!
//! **Where code runs is in the file's name.** `ssr.rs` or `ssr/`: the server alone
//! compiles it (`#[cfg(feature = "ssr")]` on its `mod` line). `hydrate.rs` or
//! `hydrate/`: the browser alone (`#[cfg(feature = "hydrate")]`), so
//! `find app/src -name 'hydrate*'` lists all that only the WebAssembly runs. `island.rs`:
//! a Leptos island, rendered by the server and hydrated in the browser; its calls into
//! its browser half are the only `cfg`s outside `mod` lines. Any other name: both
//! builds compile it, and the server renders it (pages are not hydrated).
//!
//! Reading order, each module using only those before it: [`text`] (URL and HTML
//! text), [`answer`] (how answers reach the browser), [`error`], [`ssr`] (the shell, the state, the settings, the one status rule,
//! the SVG charts), [`chart`] (the price chart, both halves), [`freshness`], [`frame`]
//! (every page's chrome), the pages [`home`] (`/`), [`markets`], [`weather`], [`runs`], then [`App`]
//! (the routes) below.

// The home page's view types nest deeply (one island around the whole page body).
#![recursion_limit = "256"]

pub mod answer;
pub mod chart;
pub mod error;
pub mod frame;
pub mod freshness;
pub mod home;
#[cfg(feature = "hydrate")]
pub mod hydrate;
pub mod markets;
pub mod runs;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod text;
pub mod weather;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The vendored scripts every page loads (`public/`, built by `frontend/js/`; the name
/// changes with the content, so browsers keep them a year).
pub const ECHARTS_SCRIPT: &str = "/echarts-5.6.0-4.min.js";
pub const NAV_SCRIPT: &str = "/nav-7.min.js";

/// A query parameter a page reads, and whether it may repeat (then every value is read,
/// in order: a no-JS form sends one per ticked box); of one that does not, the page
/// reads the last value (`ParamsMap::get`).
pub type QueryParam = (&'static str, bool);

/// The query parameters the page at `path` reads, and nothing else it reads from the
/// URL: the page cache keys a page by these alone, so an unknown parameter, or a
/// repeat of one read once, makes no new entry. A page that starts reading another
/// parameter lists it here (the page-cache tests compare the cached answer of a noisy
/// URL with the page computed for it).
pub fn query_params(path: &str) -> &'static [QueryParam] {
    match path {
        // The chart as a picture takes exactly what `/` takes.
        "/" | "/chart.png" | "/chart.svg" => home::QUERY,
        "/markets" => markets::QUERY,
        "/weather" => weather::QUERY,
        "/runs" => runs::QUERY,
        _ => &[],
    }
}

/// The app: the navigation and four routes, rendered on the server only (Leptos
/// islands: the WebAssembly hydrates `/`'s dashboard, `home::island::LiveHome`, nothing
/// else). `SsrMode::Async` waits for the data so the first HTML already holds the
/// tables and the charts. With JavaScript, `public/nav.js` moves between pages in place
/// and hands navigations within `/` to its island; without it, the links and forms load
/// pages the ordinary way.
#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    view! {
        <Router>
            <nav class="site-nav" aria-label="Pages">
                <A href="/" exact=true>"Prices"</A>
                <A href="/markets" attr:data-testid="nav-markets">"Markets"</A>
                <A href="/weather">"Weather"</A>
                <A href="/runs">"Runs"</A>
            </nav>
            <Routes fallback=|| view! { <frame::NotFound /> }>
                <Route path=path!("/") view=home::HomePage ssr=SsrMode::Async />
                <Route path=path!("/markets") view=markets::MarketsPage ssr=SsrMode::Async />
                <Route path=path!("/weather") view=weather::WeatherPage ssr=SsrMode::Async />
                <Route path=path!("/runs") view=runs::RunsPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
