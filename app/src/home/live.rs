//! The home island's state, shared by its two halves (`island.rs`, `hydrate/`).

use crate::chart::view::PageQuery;
use crate::chart::wire::ChartData;
use crate::home::data::Dashboard;
use leptos::prelude::*;

/// The island's state: the answer shown (its chart data apart), the page's own URL
/// parameters as the server applied them, and whether the WebAssembly runs it.
#[derive(Clone, Copy)]
pub struct Live {
    pub dashboard: RwSignal<Dashboard>,
    pub page: RwSignal<PageQuery>,
    pub chart: RwSignal<Option<ChartData>>,
    pub ready: RwSignal<bool>,
}

/// The answer the page shows first and the page's own URL parameters as the server
/// applied them, given to the island on the server (see `home/mod.rs`'s `Home`); the
/// browser reads the same from the page's `dashboard` and `page-query` scripts.
#[derive(Clone)]
pub struct FirstAnswer(pub Dashboard, pub PageQuery);
