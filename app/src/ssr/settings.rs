//! The dashboard's runtime settings, owned by `Leptos.toml` (`[dashboard]`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the owner configures about the page. Read once at start by the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DashboardSettings {
    /// The page title.
    pub title: String,
    /// Shown when the URL names no symbol (falls back to the first symbol present).
    pub default_symbol: String,
    /// The news coin for a symbol: `BTC = "bitcoin"`. Symbols without one show all headlines.
    pub coins: BTreeMap<String, String>,
    /// How many headlines the table shows (and how many more each "more" adds).
    pub headlines: u32,
    /// Hours a source may go without a successful run before the pages flag it stale,
    /// by source (`prices = 36`); a source not listed gets [`DEFAULT_STALE_AFTER_HOURS`].
    pub stale_after_hours: BTreeMap<String, u32>,
    /// The line chart draws the open beside the close (the close alone otherwise).
    pub line_open: bool,
    /// Where readers reach the dashboard (`https://tickerboard.example.com`, no
    /// trailing slash): link previews carry absolute URLs made from it. Also
    /// `TICKERBOARD_PUBLIC_URL`. Unset: previews without a picture or URL.
    pub public_url: Option<String>,
}

/// How long a source may go without a successful run when `Leptos.toml` does not say:
/// a daily schedule and half a day of slack.
pub const DEFAULT_STALE_AFTER_HOURS: u32 = 36;

impl Default for DashboardSettings {
    fn default() -> Self {
        DashboardSettings {
            title: "tickerboard".into(),
            default_symbol: "IBM".into(),
            coins: BTreeMap::from([
                ("BTC".into(), "bitcoin".into()),
                ("ETH".into(), "ethereum".into()),
            ]),
            headlines: 20,
            stale_after_hours: BTreeMap::new(),
            line_open: false,
            public_url: None,
        }
    }
}

impl DashboardSettings {
    /// The news coin for `symbol`, if it is a crypto symbol.
    pub fn coin_for(&self, symbol: &str) -> Option<&str> {
        self.coins.get(symbol).map(String::as_str)
    }

    /// Hours `source` may go without a successful run before it is stale.
    pub fn stale_after_hours(&self, source: &str) -> u32 {
        self.stale_after_hours
            .get(source)
            .copied()
            .unwrap_or(DEFAULT_STALE_AFTER_HOURS)
    }
}
