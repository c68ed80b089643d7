//! The browser bundle's way in (`frontend/` calls [`islands`]).

/// Hydrates the islands of the page. It lives here, beside the islands, so the bundle
/// links this crate's code: the islands' exported entry points are kept only with it.
pub fn islands() {
    leptos::mount::hydrate_islands();
}
