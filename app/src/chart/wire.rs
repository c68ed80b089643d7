//! What the server writes for the browser and the browser reads: the element ids, the
//! chart's data and the tooltip's details (serde types, read by both sides), the
//! dataset's column positions, and the palette. Named once here and compiled by both
//! sides.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// The element ECharts draws into.
pub const CHART_ID: &str = "price-chart";

/// The id of ECharts' script element: the chart waits for its `load` when the
/// WebAssembly is ready first.
pub const ECHARTS_SCRIPT_ID: &str = "echarts-js";

/// The id of the page's JSON script with the answer it was rendered from (the home
/// page's: `get_dashboard`'s answer for its URL, chart data and all), which the
/// page's island reads when it hydrates.
pub const ANSWER_ID: &str = "dashboard";

/// The id of the page's JSON script with its own URL parameters as the server applied
/// them (`PageQuery`), which the home island starts from: read like the answer (one
/// JSON reader in the WebAssembly, rather than island props, which Leptos reads with
/// another).
pub const PAGE_ID: &str = "page-query";

/// The id of the page's JSON script with each colour the option may hold and its dark
/// twin ([`palette::dark_twins`]): the first drawing, before the WebAssembly
/// (`frontend/js/early.js`), swaps them as `chart/hydrate/option.rs` does.
pub const DARK_ID: &str = "chart-dark";

/// The columns of a dataset row: the date, the close, then the moving averages the
/// view asks for, in its order (`null` before a period's first full window).
pub mod column {
    pub const DATE: usize = 0;
    pub const CLOSE: usize = 1;
    pub const AVERAGES: usize = 2;
}

/// The day's own columns, from where a row carries them (`ChartData::details_at`), and
/// in each row of [`BarDetails`] from 0: open, high, low, volume; a dataset row then
/// has the volume again on a day that closed below its open (else null).
pub mod detail {
    pub const OPEN: usize = 0;
    pub const HIGH: usize = 1;
    pub const LOW: usize = 2;
    pub const VOLUME: usize = 3;
    pub const VOLUME_DOWN: usize = 4;
}

/// The id prefix of the series the browser rebases to % change.
pub const COMPARE_ID: &str = "cmp:";

/// The id prefix of the indicators' series (`chart/ssr/panes.rs`): the tooltip lists
/// their values. `ind:bb-upper` is stacked on `ind:bb-lower` (its column holds the
/// band's width, the column before it the lower band).
pub const IND_ID: &str = "ind:";

/// The chart's colours. The server writes the light ones into the option and the
/// preview's classes; a dark page swaps each for its twin. Okabe–Ito-like hues, told
/// apart with any colour vision; up and down are blue and orange (and candles differ
/// by shape too: the tooltip and the key stats say the direction in words).
pub mod palette {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Hue {
        pub light: &'static str,
        pub dark: &'static str,
    }

    const fn hue(light: &'static str, dark: &'static str) -> Hue {
        Hue { light, dark }
    }

    pub const OPEN: Hue = hue("#2456c9", "#7aa2ff");
    pub const CLOSE: Hue = hue("#b3541e", "#ffb454");
    pub const UP: Hue = hue("#1f5fbf", "#8fb2ff");
    pub const DOWN: Hue = hue("#b34a00", "#ffa45c");
    /// The moving averages, in `MA_PERIODS` order.
    pub const MA: [Hue; 3] = [
        hue("#8a3ffc", "#be95ff"),
        hue("#007d79", "#3ddbd9"),
        hue("#6f6f6f", "#c6c6c6"),
    ];
    /// The exponential averages, 20 and 50 days.
    pub const EMA: [Hue; 2] = [hue("#c0266d", "#ff7eb6"), hue("#4d6b00", "#a7d65c")];
    /// Bollinger bands.
    pub const BAND: Hue = hue("#8a6a00", "#f1c21b");
    pub const RSI: Hue = hue("#6929c4", "#a56eff");
    pub const MACD: Hue = hue("#0043ce", "#78a9ff");
    pub const SIGNAL: Hue = hue("#a2191f", "#ff8389");
    /// The news markers (white counts on them).
    pub const NEWS: Hue = hue("#4d5358", "#7d848a");
    /// The main symbol, then each compared one.
    pub const COMPARE: [Hue; 5] = [CLOSE, OPEN, MA[1], MA[0], MA[2]];
    /// Every colour the option may hold.
    pub const ALL: [Hue; 14] = [
        OPEN, CLOSE, UP, DOWN, MA[0], MA[1], MA[2], EMA[0], EMA[1], BAND, RSI, MACD, SIGNAL, NEWS,
    ];

    /// Each colour of [`ALL`] and its dark twin, as JSON (`{"#2456c9": "#7aa2ff", …}`).
    pub fn dark_twins() -> String {
        let twins: serde_json::Map<String, serde_json::Value> = ALL
            .iter()
            .map(|h| (h.light.to_string(), h.dark.into()))
            .collect();
        super::script_json(&twins)
    }
}

/// The chart, ready for ECharts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct ChartData {
    /// The ECharts option, built by charming on the server (see
    /// [`crate::chart::ssr::option`]), showing the view's range; the browser adds its
    /// scheme's colours, the window of the range pressed, the tooltip and, when
    /// comparing, the % change from the window's first day (see
    /// `chart/hydrate/option.rs`; `frontend/js/early.js` draws it before that).
    pub option: OptionJson,
    /// The index of the first day of each range button's window, in `Range::ALL` order.
    pub range_starts: Vec<usize>,
    /// The index of the last day, where every window ends.
    pub end: usize,
    /// Where each row's open, high, low and volume start, when the rows carry them
    /// (candles, the open line); otherwise the tooltip asks
    /// [`crate::chart::api::get_bar_details`] for them the first time it shows.
    pub details_at: Option<usize>,
    /// The news coin whose headlines the markers count, when they are drawn: the
    /// tooltip and a tapped marker ask [`crate::chart::api::get_day_headlines`] for a
    /// day's titles.
    pub news: Option<String>,
}

/// The element under the chart that lists a clicked marker's headlines.
pub const DAY_NEWS_ID: &str = "day-news";

/// The id of the markers' series: each item `[date, y, headlines that day]`.
pub const NEWS_ID: &str = "news";

/// A headline as a marker's day lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct DayHeadline {
    pub title: String,
    /// Only http(s) links are links; otherwise `None`.
    pub link: Option<String>,
    /// `08:15` (UTC).
    pub time: String,
}

/// The open, high, low and volume of every day of a symbol, oldest first (the
/// dataset's days): what a line chart's page leaves out until its tooltip shows. The
/// browser checks `last` against its own last row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct BarDetails {
    pub last: Option<String>,
    /// `[open, high, low, volume]` per day.
    pub rows: Vec<(f64, f64, f64, i64)>,
}

/// The ECharts option as JSON text, as the server wrote it. It travels as a string (a
/// JSON tree would be read into the browser's answer type and written out again), and
/// the browser hands the text to `JSON.parse`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionJson(pub String);

impl OptionJson {
    pub fn text(&self) -> &str {
        &self.0
    }

    /// `value` written out once, to be sent as it is.
    pub fn from_value(value: &impl Serialize) -> Self {
        OptionJson(serde_json::to_string(value).expect("a JSON value is JSON"))
    }
}

impl serde_lite::Serialize for OptionJson {
    fn serialize(&self) -> Result<serde_lite::Intermediate, serde_lite::Error> {
        serde_lite::Serialize::serialize(&self.0)
    }
}

impl serde_lite::Deserialize for OptionJson {
    fn deserialize(val: &serde_lite::Intermediate) -> Result<Self, serde_lite::Error> {
        <String as serde_lite::Deserialize>::deserialize(val).map(OptionJson)
    }
}

/// `value` as JSON to put inside a `<script type="application/json">`: every `<` is
/// written `\u003c` (JSON allows it only inside strings, where the escape means the
/// same), so no `</script>` or `<!--` in the data can end or bend the script element.
pub fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("the chart's data is JSON")
        .replace('<', "\\u003c")
}

/// A JSON script an island reads, beside it in the page.
#[component]
pub fn DataScript(id: &'static str, json: String) -> impl IntoView {
    view! { <script type="application/json" id=id inner_html=json></script> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn script_json_cannot_end_its_script_element() {
        let hostile = "</script><script>alert(1)</script><!--";
        let text = script_json(&serde_json::json!({ "title": hostile }));
        assert!(!text.contains('<'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], hostile);
    }

    /// `frontend/js/early.js` names the page's elements by these ids too, each line
    /// `const NAME = '…'; // chart::wire::NAME`: each must be the constant's value.
    #[test]
    fn early_js_uses_the_same_ids() {
        let early = include_str!("../../../frontend/js/early.js");
        let ours = [
            ("CHART_ID", CHART_ID),
            ("ANSWER_ID", ANSWER_ID),
            ("DARK_ID", DARK_ID),
            ("ECHARTS_SCRIPT_ID", ECHARTS_SCRIPT_ID),
            ("COMPARE_ID", COMPARE_ID),
        ];
        let named: Vec<&str> = early
            .lines()
            .filter_map(|line| line.split("// chart::wire::").nth(1))
            .collect();
        assert_eq!(named.len(), ours.len(), "early.js names {named:?}");
        for (name, value) in ours {
            let line = early
                .lines()
                .find(|l| l.ends_with(&format!("// chart::wire::{name}")))
                .unwrap_or_else(|| panic!("early.js has no {name}"));
            assert!(
                line.starts_with(&format!("const {name} = '{value}';")),
                "early.js: {line}"
            );
        }
    }
}
