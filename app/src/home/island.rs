//! "Copy link", an island of its own on `/`.

use leptos::prelude::*;

/// "Copy link": the page's URL (every control is in it) to the clipboard. Shown only
/// where the Clipboard API exists (a secure page with JavaScript; see `hydrate.rs`).
#[island]
pub fn CopyLink() -> impl IntoView {
    let available = RwSignal::new(false);
    let copied = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| available.set(super::hydrate::available()));
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        super::hydrate::copy_location(copied);
    };
    view! {
        <button
            type="button"
            class="copy-link"
            data-testid="copy-link"
            hidden=move || !available.get()
            on:click=on_click
        >
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}
