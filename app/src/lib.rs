//! The dashboard: three pages, their server functions, and the chart.
//!
//! Reading order: [`shell`] and [`App`] (the document, the navigation and the routes),
//! [`page`] (what `/` shows), [`dashboard`] (its server function and the data it
//! returns), [`chart`] (the chart card and its island, the only part of `/` that
//! hydrates), [`preview`] (charts as SVG for the first paint), [`weather`] (`/weather`),
//! [`runs`] (`/runs`), [`sources`] (the freshness line on every page).

pub mod chart;
#[cfg(feature = "ssr")]
pub mod chart_option;
pub mod chart_view;
pub mod dashboard;
pub mod page;
#[cfg(feature = "ssr")]
pub mod preview;
pub mod runs;
pub mod settings;
pub mod sources;
#[cfg(feature = "ssr")]
pub mod state;
pub mod weather;

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The page's Content Security Policy. Scripts run only from our origin or with this
/// response's nonce (Leptos puts it on every inline script it writes: the hydration
/// module, the resolved data); WebAssembly may be compiled; styles may be inline,
/// because ECharts writes its tooltips as HTML with `style` attributes. Nothing may
/// frame the page, and forms post only to us.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the policy with this response's nonce (server only: the header goes out with
/// the HTML the nonce is written into).
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    use axum::http::{header, HeaderValue};
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&content_security_policy(&nonce.to_string())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The HTML document around the app, rendered on the server only (its head is never
/// hydrated: leptos_meta, which writes each page's title into it, is a server-only
/// dependency; see [`sources::DocumentTitle`]).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};
    send_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="description" content="Daily stock and crypto prices with the latest headlines." />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Marks the page as scripted before first paint, so the no-JS-only controls
                // never flash for people with JavaScript on.
                <script nonce=leptos::nonce::use_nonce()>
                    "document.documentElement.classList.add('js')"
                </script>
                <HashedStylesheet options=options.clone() id="leptos" />
                // ECharts (a trimmed build, see frontend/js/) and the in-place navigation
                // load once, deferred, from our origin.
                <script src="/echarts-5.6.0-4.min.js" defer></script>
                <script src="/nav-1.min.js" defer></script>
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: the navigation and three routes, rendered on the server only (Leptos
/// islands: the WebAssembly hydrates the chart and "Copy link", nothing else).
/// `SsrMode::Async` waits for the data so the first HTML already holds the tables and
/// the charts. With JavaScript, `public/nav.js` moves between pages in place; without
/// it, the links and forms load pages the ordinary way.
#[component]
pub fn App() -> impl IntoView {
    #[cfg(feature = "ssr")]
    leptos_meta::provide_meta_context();
    view! {
        <Router>
            <nav class="site-nav" aria-label="Pages">
                <A href="/" exact=true>"Prices"</A>
                <A href="/weather">"Weather"</A>
                <A href="/runs">"Runs"</A>
            </nav>
            <Routes fallback=|| view! { <page::NotFound /> }>
                <Route path=path!("/") view=page::HomePage ssr=SsrMode::Async />
                <Route path=path!("/weather") view=weather::WeatherPage ssr=SsrMode::Async />
                <Route path=path!("/runs") view=runs::RunsPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// Hydrates the islands of the page (the browser bundle's entry point calls this). It
/// lives here, beside the islands, so the bundle links this crate's code: the islands'
/// exported entry points are kept only with it.
#[cfg(feature = "hydrate")]
pub fn hydrate_islands() {
    leptos::mount::hydrate_islands();
}
