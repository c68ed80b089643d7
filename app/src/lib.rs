//! The dashboard: one page, its server function, and the chart.
//!
//! Reading order: [`shell`] and [`App`] (the document and the route), [`page`] (what the
//! page shows), [`dashboard`] (the server function and the data it returns), [`chart`]
//! (the ECharts drawing, browser only).

pub mod chart;
pub mod dashboard;
pub mod page;
pub mod settings;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                // Marks the page as scripted before first paint, so the no-JS-only controls
                // never flash for people with JavaScript on.
                <script>"document.documentElement.classList.add('js')"</script>
                <HashedStylesheet options=options.clone() id="leptos" />
                // ECharts (a trimmed build, see frontend/echarts/) loads once, deferred, from our origin.
                <script src="/echarts-5.6.0.min.js" defer></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: one route. `SsrMode::Async` waits for the data so the first HTML already
/// holds the table and the chart's data: no second round trip before the first draw.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Meta name="description" content="Daily stock and crypto prices with the latest headlines." />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <Routes fallback=|| view! { <page::NotFound /> }>
                <Route path=path!("/") view=page::HomePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
