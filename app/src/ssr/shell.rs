//! The HTML document around the app and its Content Security Policy.

use crate::chart::wire::ECHARTS_SCRIPT_ID;
use crate::App;
use leptos::prelude::*;

/// The page's Content Security Policy. Scripts run only from our origin or with this
/// response's nonce (Leptos puts it on every inline script it writes: the hydration
/// module); WebAssembly may be compiled; styles may be inline, because ECharts writes
/// its tooltips as HTML with `style` attributes. Nothing may frame the page, and forms
/// post only to us.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sends the policy with this response's nonce: the header goes out with the HTML the
/// nonce is written into.
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

/// The HTML document around the app. Its head is never hydrated: leptos_meta, which
/// writes each page's title into it, is a server-only dependency (see
/// [`crate::frame::DocumentTitle`]).
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
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // Installable (the worker registers after the first paint, see nav.js).
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icon-192.png" />
                <meta name="theme-color" media="(prefers-color-scheme: light)" content="#2456c9" />
                <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#0f1216" />
                // Marks the page as scripted before first paint, so the no-JS-only controls
                // never flash for people with JavaScript on; `clip` where the Clipboard API
                // is ("Copy link" is shown from the first frame, not moved in by hydration).
                <script nonce=leptos::nonce::use_nonce()>
                    "(function(c){c.add('js');if(navigator.clipboard)c.add('clip')})(document.documentElement.classList)"
                </script>
                <HashedStylesheet options=options.clone() id="leptos" />
                // ECharts (a trimmed build, see frontend/js/) loads beside the WebAssembly
                // (`async`: neither waits for the other; nav.js's early.js draws the page's
                // option once ECharts has run, and the WebAssembly takes that chart over),
                // the in-place navigation deferred; both once, from our origin.
                <script id=ECHARTS_SCRIPT_ID src=crate::ECHARTS_SCRIPT async></script>
                <script src=crate::NAV_SCRIPT defer></script>
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}
