//! The numbers a reader looks for first, above the chart: last close, change, the
//! 52-week range and the return over the chart's range.

use crate::chart::change::Direction;
use crate::chart::view::Range;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// The key stats as shown (formatted on the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct KeyStats {
    pub last_close: String,
    pub last_date: String,
    /// From the previous close: `+1.25`, and `+0.84 %`.
    pub change: String,
    pub change_pct: String,
    /// The class (colour) and the arrow.
    pub direction: Direction,
    pub high_52w: String,
    pub low_52w: String,
    /// The return from the first close inside each range to the last close, in
    /// `Range::ALL` order: `+12.34 %`.
    pub range_returns: Vec<String>,
}

/// The key stats at the chart's `range`. The change reads as an arrow and a sign, not
/// only as a colour.
#[component]
pub fn KeyStatsBlock(stats: KeyStats, range: Range) -> impl IntoView {
    let KeyStats {
        last_close,
        last_date,
        change,
        change_pct,
        direction,
        high_52w,
        low_52w,
        range_returns,
    } = stats;
    let range_return = range_returns
        .get(range.position())
        .cloned()
        .unwrap_or_default();
    view! {
        <dl class="key-stats" data-testid="key-stats">
            <div data-testid="stat-last">
                <dt>"Last close"</dt>
                <dd>{last_close}<span class="sub">{last_date}</span></dd>
            </div>
            <div data-testid="stat-change" class=format!("change {}", direction.class())>
                <dt>"Change"</dt>
                <dd>{format!("{} {change} ({change_pct})", direction.arrow())}</dd>
            </div>
            <div data-testid="stat-high-52w">
                <dt>"52-week high"</dt>
                <dd>{high_52w}</dd>
            </div>
            <div data-testid="stat-low-52w">
                <dt>"52-week low"</dt>
                <dd>{low_52w}</dd>
            </div>
            <div data-testid="stat-range-return">
                <dt>{format!("Return, {}", range.label())}</dt>
                <dd>{range_return}</dd>
            </div>
        </dl>
    }
}
