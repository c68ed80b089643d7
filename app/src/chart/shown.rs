//! What the chart box shows: signals of the island it is a part of.

use crate::chart::view::Range;
use crate::chart::wire::ChartData;
use leptos::prelude::*;

/// What the chart shows, as the island's signals: the symbol, the data (read by the
/// browser only; the server draws `children` instead), the range, and how many
/// indicator panes the box makes room for.
#[derive(Clone, Copy)]
pub struct Shown {
    pub symbol: Signal<Option<String>>,
    pub data: Signal<Option<ChartData>>,
    pub range: Signal<Range>,
    pub panes: Signal<usize>,
}
