//! What `get_markets` answers: everything `/markets` shows, formatted on the server.

use crate::chart::change::Direction;
use crate::freshness::SourceLine;
use serde::{Deserialize, Serialize};

/// A column of the overview, as `?sort=` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Symbol,
    Close,
    Day,
    Week,
    Month,
    YearToDate,
    Year,
    Range,
}

impl Column {
    /// Left to right, as the table shows them.
    pub const ALL: [Column; 8] = [
        Column::Symbol,
        Column::Close,
        Column::Day,
        Column::Week,
        Column::Month,
        Column::YearToDate,
        Column::Year,
        Column::Range,
    ];

    /// The columns that hold a return, in [`MarketRow::changes`] order.
    pub const HORIZONS: [Column; 5] = [
        Column::Day,
        Column::Week,
        Column::Month,
        Column::YearToDate,
        Column::Year,
    ];

    pub fn param(self) -> &'static str {
        match self {
            Column::Symbol => "symbol",
            Column::Close => "close",
            Column::Day => "1d",
            Column::Week => "1w",
            Column::Month => "1m",
            Column::YearToDate => "ytd",
            Column::Year => "1y",
            Column::Range => "range",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Symbol => "Symbol",
            Column::Close => "Last close",
            Column::Day => "1D",
            Column::Week => "1W",
            Column::Month => "1M",
            Column::YearToDate => "YTD",
            Column::Year => "1Y",
            Column::Range => "52-week range",
        }
    }

    pub fn parse(raw: &str) -> Option<Column> {
        let raw = raw.trim().to_ascii_lowercase();
        Column::ALL.into_iter().find(|c| c.param() == raw)
    }

    /// Which way a click on this column first sorts: names A→Z, numbers biggest first.
    pub fn first_direction(self) -> SortDirection {
        match self {
            Column::Symbol => SortDirection::Ascending,
            _ => SortDirection::Descending,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortDirection {
    Ascending,
    Descending,
}

impl SortDirection {
    pub fn param(self) -> &'static str {
        match self {
            SortDirection::Ascending => "asc",
            SortDirection::Descending => "desc",
        }
    }

    pub fn parse(raw: &str) -> Option<SortDirection> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "asc" => Some(SortDirection::Ascending),
            "desc" => Some(SortDirection::Descending),
            _ => None,
        }
    }

    pub fn flipped(self) -> SortDirection {
        match self {
            SortDirection::Ascending => SortDirection::Descending,
            SortDirection::Descending => SortDirection::Ascending,
        }
    }

    /// `aria-sort`'s word for it.
    pub fn aria(self) -> &'static str {
        match self {
            SortDirection::Ascending => "ascending",
            SortDirection::Descending => "descending",
        }
    }
}

/// Everything `/markets` shows, made on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketsView {
    pub title: String,
    /// One per column: its label and the link that sorts by it.
    pub heads: Vec<ColumnHead>,
    pub rows: Vec<MarketRow>,
    /// The benchmark the returns are compared with (`?vs=`).
    pub vs: Option<String>,
    /// The watchlist as the form shows it (`IBM,BTC`), empty for every symbol.
    pub watchlist: String,
    /// Every symbol with prices, for the benchmark's select.
    pub symbols: Vec<String>,
    /// The sort, kept by the form.
    pub sort: String,
    pub dir: String,
    /// This view's URL in its short form (`public/nav.js` shows it in the address bar).
    pub canonical: String,
    pub freshness: Vec<SourceLine>,
    pub notice: Option<String>,
    /// The public base URL (`public_url`), for the page's link preview.
    #[serde(skip)]
    pub public_url: Option<String>,
}

/// A column's heading: a plain link that sorts by it (the other way when it already does).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnHead {
    pub label: String,
    pub key: String,
    pub href: String,
    /// `ascending` or `descending` on the column the rows are sorted by.
    pub aria_sort: Option<String>,
    pub numeric: bool,
}

/// One symbol's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarketRow {
    pub symbol: String,
    /// Its chart.
    pub href: String,
    /// `143.20`, and its date; empty when the symbol has no prices.
    pub close: String,
    pub date: String,
    /// 1D, 1W, 1M, YTD, 1Y.
    pub changes: Vec<Change>,
    /// The same, minus the benchmark's (percentage points), when `?vs=` is given.
    pub relative: Vec<Change>,
    /// Where the last close sits in the 52-week range.
    pub range: Option<RangeBar>,
    /// The last 3 months of closes as SVG (empty without prices).
    pub sparkline: String,
    /// "No prices for X." or "Last close 12 days ago.": said in the row.
    pub note: Option<String>,
}

/// A return as shown: `+1.23 %` with its direction, or `—` when the history is too
/// short for the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub text: String,
    pub direction: Option<Direction>,
}

/// The 52-week low and high, and the last close's place between them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeBar {
    pub low: String,
    pub high: String,
    /// 0 (at the low) to 100 (at the high).
    pub at: u8,
    pub svg: String,
}
