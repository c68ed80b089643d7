//! The WebAssembly entry point. The server renders every page; only the islands (`/`'s
//! dashboard) hydrate, each where it is (Leptos' island script calls them after this).
//! `public/nav.js` moves between pages in place.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic's message in the console, in debug builds (`cargo leptos watch`): the
    // release wasm traps at once, without one (`scripts/build-site.sh`).
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // For the benchmark's account of a cold load (`bench/browser.mjs`).
    if let Some(performance) = leptos::prelude::window().performance() {
        let _ = performance.mark("tickerboard:hydrate");
    }
    app::hydrate::islands();
    // Says "the WebAssembly has taken over" for the end-to-end tests, which wait for it
    // before they click.
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-hydrated", "");
    }
}
