//! What the chart shows, as the URL says it, and the one way to write a `/` URL:
//! `/?symbol=IBM&range=1Y&chart=candles&ma=20,50&ind=bb,rsi&compare=MSFT,BTC&scale=log&markers=off`.
//!
//! Both sides use it: the server reads the URL into a [`ChartView`] (with a notice for
//! each bad value) and renders exactly that; the browser writes a control's change
//! back into the URL with [`home_href`]. Default values are left out of the URL.

use crate::text::{echo, given, href};
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// The range buttons above the chart.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    LiteSerialize,
    LiteDeserialize,
)]
pub enum Range {
    OneMonth,
    SixMonths,
    OneYear,
    FiveYears,
    #[default]
    All,
}

impl Range {
    pub const ALL: [Range; 5] = [
        Range::OneMonth,
        Range::SixMonths,
        Range::OneYear,
        Range::FiveYears,
        Range::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Range::OneMonth => "1M",
            Range::SixMonths => "6M",
            Range::OneYear => "1Y",
            Range::FiveYears => "5Y",
            Range::All => "All",
        }
    }

    /// As the URL writes it (`?range=1Y`, `?range=all`).
    pub fn param(self) -> &'static str {
        match self {
            Range::All => "all",
            other => other.label(),
        }
    }

    /// A range from the URL, in any case: `1M`, `6m`, `1Y`, `5Y`, `all`.
    pub fn parse(raw: &str) -> Option<Range> {
        let raw = raw.trim();
        Range::ALL
            .into_iter()
            .find(|r| r.param().eq_ignore_ascii_case(raw))
    }

    /// Where this range sits in [`Range::ALL`] (and in `ChartData::range_starts`).
    pub fn position(self) -> usize {
        Range::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// The moving averages a reader can overlay (`?ma=20,50,200`, any subset).
pub const MA_PERIODS: [u16; 3] = [20, 50, 200];

/// The most bad values of one parameter a notice names; the rest are counted.
const LISTED: usize = 3;

/// The most symbols `?compare=` adds to the main one.
pub const MAX_COMPARE: usize = 4;

/// The indicators a reader can add (`?ind=ema20,bb,rsi`, any subset), computed on the
/// server (`chart/ssr/indicators.rs`): two exponential averages and Bollinger bands
/// over the prices, RSI and MACD in panes of their own under them.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, LiteSerialize, LiteDeserialize,
)]
pub enum Indicator {
    Ema20,
    Ema50,
    Bollinger,
    Rsi,
    Macd,
}

impl Indicator {
    pub const ALL: [Indicator; 5] = [
        Indicator::Ema20,
        Indicator::Ema50,
        Indicator::Bollinger,
        Indicator::Rsi,
        Indicator::Macd,
    ];

    /// As the URL writes it.
    pub fn param(self) -> &'static str {
        match self {
            Indicator::Ema20 => "ema20",
            Indicator::Ema50 => "ema50",
            Indicator::Bollinger => "bb",
            Indicator::Rsi => "rsi",
            Indicator::Macd => "macd",
        }
    }

    /// As the form's toggle and the chart's legend name it.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Ema20 => "EMA 20",
            Indicator::Ema50 => "EMA 50",
            Indicator::Bollinger => "BB",
            Indicator::Rsi => "RSI",
            Indicator::Macd => "MACD",
        }
    }

    /// What it is, in words (the toggle's tooltip).
    pub fn title(self) -> &'static str {
        match self {
            Indicator::Ema20 => "Exponential moving average of the close, 20 days",
            Indicator::Ema50 => "Exponential moving average of the close, 50 days",
            Indicator::Bollinger => "Bollinger bands: 20-day average ± 2 standard deviations",
            Indicator::Rsi => "Relative strength index, 14 days (Wilder), in a pane of its own",
            Indicator::Macd => {
                "MACD (12, 26, 9) with its signal line and histogram, in a pane of its own"
            }
        }
    }

    pub fn parse(raw: &str) -> Option<Indicator> {
        Indicator::ALL
            .into_iter()
            .find(|i| i.param().eq_ignore_ascii_case(raw.trim()))
    }

    /// Drawn in a pane of its own under the prices (RSI, MACD), not over them.
    pub fn has_pane(self) -> bool {
        matches!(self, Indicator::Rsi | Indicator::Macd)
    }
}

/// Line (the close; the open too when the owner asks) or candlesticks with volume.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    LiteSerialize,
    LiteDeserialize,
)]
pub enum ChartKind {
    #[default]
    Line,
    Candles,
}

impl ChartKind {
    pub fn param(self) -> &'static str {
        match self {
            ChartKind::Line => "line",
            ChartKind::Candles => "candles",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Line => "Line",
            ChartKind::Candles => "Candles",
        }
    }

    pub fn parse(raw: &str) -> Option<ChartKind> {
        [ChartKind::Line, ChartKind::Candles]
            .into_iter()
            .find(|k| k.param().eq_ignore_ascii_case(raw.trim()))
    }
}

/// The chart's state from the URL, every part of it valid.
#[derive(
    Clone, Debug, Default, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize,
)]
pub struct ChartView {
    pub range: Range,
    pub kind: ChartKind,
    /// Moving-average periods, a subset of [`MA_PERIODS`] in its order.
    pub ma: Vec<u16>,
    /// Symbols drawn beside the main one as % change (upper case, at most
    /// [`MAX_COMPARE`], no repeats). The server also drops those it has no prices for.
    pub compare: Vec<String>,
    /// A logarithmic price axis (`?scale=log`).
    pub log: bool,
    /// Indicators, a subset of [`Indicator::ALL`] in its order.
    pub ind: Vec<Indicator>,
    /// The headline markers hidden (`?markers=off`); shown by default.
    pub markers_off: bool,
}

/// The URL's raw chart parameters, as the query has them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartParams {
    pub range: Option<String>,
    pub chart: Option<String>,
    pub ma: Option<String>,
    pub compare: Option<String>,
    pub scale: Option<String>,
    pub ind: Option<String>,
    pub markers: Option<String>,
}

impl ChartParams {
    /// The parameters from a query, reading `ma` and `compare` from every occurrence
    /// (a no-JS form sends one `ma=` per ticked box).
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> ChartParams {
        let joined = |key: &str| {
            query
                .get_all(key)
                .map(|all| all.join(","))
                .filter(|s| !s.is_empty())
        };
        ChartParams {
            range: query.get("range"),
            chart: query.get("chart"),
            ma: joined("ma"),
            compare: joined("compare"),
            scale: query.get("scale"),
            ind: joined("ind"),
            markers: query.get("markers"),
        }
    }
}

impl From<&ChartView> for ChartParams {
    /// The view's parameters as its URL writes them (defaults left out).
    fn from(view: &ChartView) -> ChartParams {
        let mut params = ChartParams::default();
        for (key, value) in view.pairs() {
            let slot = match key {
                "range" => &mut params.range,
                "chart" => &mut params.chart,
                "ma" => &mut params.ma,
                "compare" => &mut params.compare,
                "ind" => &mut params.ind,
                "markers" => &mut params.markers,
                _ => &mut params.scale,
            };
            *slot = Some(value);
        }
        params
    }
}

impl ChartView {
    /// Reads the parameters; each bad value becomes a message and its default.
    /// `is_symbol` says whether a compared symbol is well formed (why not, if not);
    /// `main`, the symbol shown, is never compared with itself.
    pub fn parse(
        params: &ChartParams,
        is_symbol: impl Fn(&str) -> Result<String, String>,
        main: Option<&str>,
    ) -> (ChartView, Vec<String>) {
        let mut view = ChartView::default();
        let mut problems = Vec::new();
        if let Some(raw) = given(params.range.as_deref()) {
            let why = "is not a range: use 1M, 6M, 1Y, 5Y or all. Showing all.";
            problems.extend(parse_or(raw, Range::parse, &mut view.range, why));
        }
        if let Some(raw) = given(params.chart.as_deref()) {
            let why = "is not a chart: use line or candles. Showing a line.";
            problems.extend(parse_or(raw, ChartKind::parse, &mut view.kind, why));
        }
        if let Some(raw) = given(params.ma.as_deref()) {
            problems.extend(view.read_averages(raw));
        }
        if let Some(raw) = given(params.compare.as_deref()) {
            problems.extend(view.read_compared(raw, &is_symbol, main));
        }
        if let Some(raw) = given(params.scale.as_deref()) {
            let why = "is not a scale: use log or linear. Showing linear.";
            problems.extend(parse_or(raw, parse_log, &mut view.log, why));
        }
        if let Some(raw) = given(params.ind.as_deref()) {
            problems.extend(view.read_indicators(raw));
        }
        if let Some(raw) = given(params.markers.as_deref()) {
            let why = "is not a markers setting: use on or off. Showing them.";
            problems.extend(parse_or(raw, parse_off, &mut view.markers_off, why));
        }
        (view, problems)
    }

    /// `?ind=bb,rsi`: the indicators offered, in their order; one message for the others.
    fn read_indicators(&mut self, raw: &str) -> Vec<String> {
        let what = (
            "an indicator",
            "indicators",
            "use ema20, ema50, bb, rsi or macd.",
        );
        read_subset(raw, &Indicator::ALL, Indicator::parse, &mut self.ind, what)
    }

    /// The indicators drawn (none while comparing, which draws % lines).
    pub fn indicators(&self) -> &[Indicator] {
        if self.comparing() {
            &[]
        } else {
            &self.ind
        }
    }

    /// How many indicator panes sit under the prices (RSI, MACD): the chart's box
    /// grows by one pane's height for each.
    pub fn indicator_panes(&self) -> usize {
        self.indicators().iter().filter(|i| i.has_pane()).count()
    }

    /// `?ma=20,50`: the periods offered, in their order; one message for the others.
    fn read_averages(&mut self, raw: &str) -> Vec<String> {
        let what = ("a moving average", "moving averages", "use 20, 50 or 200.");
        let parse = |part: &str| part.parse::<u16>().ok();
        read_subset(raw, &MA_PERIODS, parse, &mut self.ma, what)
    }

    /// `?compare=MSFT,BTC`: well-formed symbols other than `main`, no repeats, at most
    /// [`MAX_COMPARE`]; a message for each of the first few left out, and a count of
    /// the rest (however long the URL, the notice stays short).
    fn read_compared(
        &mut self,
        raw: &str,
        is_symbol: &impl Fn(&str) -> Result<String, String>,
        main: Option<&str>,
    ) -> Vec<String> {
        let (mut malformed, mut left_out) = (Vec::new(), Vec::new());
        for part in list(raw) {
            match is_symbol(part) {
                Ok(symbol) if self.compare.contains(&symbol) || Some(symbol.as_str()) == main => {}
                Ok(_) if self.compare.len() == MAX_COMPARE => left_out.push(echo(part)),
                Ok(symbol) => self.compare.push(symbol),
                Err(why) => malformed.push(format!(
                    "“{}” is not a symbol to compare: {why}.",
                    echo(part)
                )),
            }
        }
        let more = malformed.len().saturating_sub(LISTED);
        malformed.truncate(LISTED);
        if more > 0 {
            malformed.push(format!("{more} more are not symbols to compare."));
        }
        if !left_out.is_empty() {
            let more = left_out.len().saturating_sub(LISTED);
            left_out.truncate(LISTED);
            let and_more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            malformed.push(format!(
                "Compare takes at most {MAX_COMPARE} symbols: “{}”{and_more} left out.",
                left_out.join("”, “")
            ));
        }
        malformed
    }

    /// Comparing draws % change lines: candles, averages and the log axis wait.
    pub fn comparing(&self) -> bool {
        !self.compare.is_empty()
    }

    /// Candles are drawn when asked for, unless comparing (which draws % lines).
    pub fn draws_candles(&self) -> bool {
        self.kind == ChartKind::Candles && !self.comparing()
    }

    /// This view with `symbol` added to or removed from the compared ones.
    pub fn toggled_compare(&self, symbol: &str) -> ChartView {
        let mut view = self.clone();
        if let Some(at) = view.compare.iter().position(|s| s == symbol) {
            view.compare.remove(at);
        } else if view.compare.len() < MAX_COMPARE {
            view.compare.push(symbol.to_string());
        }
        view
    }
}

/// A list from the URL read into `into`: each of `offered` it names, once, in
/// `offered`'s order; one message for the rest, naming the first few. `what`: one
/// (“a moving average”), several (“moving averages”), and what to use instead.
fn read_subset<T: Copy + PartialEq>(
    raw: &str,
    offered: &[T],
    parse: impl Fn(&str) -> Option<T>,
    into: &mut Vec<T>,
    (one, several, instead): (&str, &str, &str),
) -> Vec<String> {
    let mut bad = Vec::new();
    for part in list(raw) {
        match parse(part).filter(|v| offered.contains(v)) {
            Some(v) if !into.contains(&v) => into.push(v),
            Some(_) => {}
            None => bad.push(echo(part)),
        }
    }
    into.sort_by_key(|v| offered.iter().position(|o| o == v));
    match bad.len() {
        0 => Vec::new(),
        1..=LISTED => vec![format!("“{}” is not {one}: {instead}", bad.join(", "))],
        n => vec![format!(
            "“{}” and {} more are not {several}: {instead}",
            bad[..LISTED].join(", "),
            n - LISTED
        )],
    }
}

/// `raw` read by `parse` into `into`; otherwise a message: “raw” `why`.
fn parse_or<T>(raw: &str, parse: fn(&str) -> Option<T>, into: &mut T, why: &str) -> Vec<String> {
    match parse(raw) {
        Some(value) => {
            *into = value;
            Vec::new()
        }
        None => vec![format!("“{}” {why}", echo(raw))],
    }
}

/// `?scale=log|linear`, in any case: whether the axis is logarithmic.
fn parse_log(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "log" => Some(true),
        "linear" => Some(false),
        _ => None,
    }
}

/// `?markers=on|off`, in any case: whether the markers are hidden.
fn parse_off(raw: &str) -> Option<bool> {
    match raw.to_ascii_lowercase().as_str() {
        "off" => Some(true),
        "on" => Some(false),
        _ => None,
    }
}

/// The non-empty parts of a comma-separated list, trimmed.
fn list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').map(str::trim).filter(|p| !p.is_empty())
}

/// What else a `/` URL carries besides the chart.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageParams<'a> {
    pub symbol: Option<&'a str>,
    pub q: Option<&'a str>,
    pub news: Option<&'a str>,
}

/// [`PageParams`], owned.
#[derive(
    Clone, Debug, Default, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize,
)]
pub struct PageQuery {
    pub symbol: Option<String>,
    pub q: Option<String>,
    pub news: Option<String>,
}

impl PageQuery {
    pub fn params(&self) -> PageParams<'_> {
        PageParams {
            symbol: self.symbol.as_deref(),
            q: self.q.as_deref(),
            news: self.news.as_deref(),
        }
    }
}

/// `/` with these parameters, defaults left out, in a fixed order (so two URLs of the
/// same view are the same string).
pub fn home_href(page: PageParams, view: &ChartView) -> String {
    let chart = view.pairs();
    let pairs: Vec<(&str, Option<&str>)> =
        [("symbol", page.symbol), ("q", page.q), ("news", page.news)]
            .into_iter()
            .chain(chart.iter().map(|(k, v)| (*k, Some(v.as_str()))))
            .collect();
    href("/", &pairs)
}

impl ChartView {
    /// The view as URL parameters, defaults left out (also the hidden fields of the
    /// forms that must keep it).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if self.range != Range::All {
            pairs.push(("range", self.range.param().to_string()));
        }
        if self.kind != ChartKind::Line {
            pairs.push(("chart", self.kind.param().to_string()));
        }
        if !self.ma.is_empty() {
            let ma: Vec<String> = self.ma.iter().map(u16::to_string).collect();
            pairs.push(("ma", ma.join(",")));
        }
        if !self.ind.is_empty() {
            let ind: Vec<&str> = self.ind.iter().map(|i| i.param()).collect();
            pairs.push(("ind", ind.join(",")));
        }
        if !self.compare.is_empty() {
            pairs.push(("compare", self.compare.join(",")));
        }
        if self.log {
            pairs.push(("scale", "log".to_string()));
        }
        if self.markers_off {
            pairs.push(("markers", "off".to_string()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbol(raw: &str) -> Result<String, String> {
        if !raw.is_empty() && raw.len() <= 10 && raw.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(raw.to_ascii_uppercase())
        } else {
            Err("letters and digits only".into())
        }
    }

    fn params(pairs: &[(&str, &str)]) -> ChartParams {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        };
        ChartParams {
            range: get("range"),
            chart: get("chart"),
            ma: get("ma"),
            compare: get("compare"),
            scale: get("scale"),
            ind: get("ind"),
            markers: get("markers"),
        }
    }

    #[test]
    fn a_full_view_round_trips_through_its_url() {
        let (view, problems) = ChartView::parse(
            &params(&[
                ("range", "1y"),
                ("chart", "Candles"),
                ("ma", "200,20"),
                ("compare", "msft, btc"),
                ("scale", "LOG"),
                ("ind", "RSI,ema20,bb,rsi"),
                ("markers", "Off"),
            ]),
            symbol,
            None,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(view.ma, [20, 200], "in the periods' order");
        assert_eq!(view.compare, ["MSFT", "BTC"]);
        assert_eq!(
            view.ind,
            [Indicator::Ema20, Indicator::Bollinger, Indicator::Rsi],
            "in the offered order, once each"
        );
        assert!(view.markers_off);
        let href = home_href(
            PageParams {
                symbol: Some("IBM"),
                q: Some("a&b"),
                news: None,
            },
            &view,
        );
        assert_eq!(
            href,
            "/?symbol=IBM&q=a%26b&range=1Y&chart=candles&ma=20,200&ind=ema20,bb,rsi&compare=MSFT,BTC&scale=log&markers=off"
        );
        assert_eq!(home_href(PageParams::default(), &ChartView::default()), "/");
    }

    #[test]
    fn bad_values_are_named_and_fall_back_to_the_default() {
        let (view, problems) = ChartView::parse(
            &params(&[
                ("range", "3W"),
                ("chart", "bars"),
                ("ma", "20,7,x"),
                ("compare", "MSFT,<b>,IBM,A,B,C,D"),
                ("scale", "ln"),
                ("ind", "macd,sma9,<i>"),
                ("markers", "maybe"),
            ]),
            symbol,
            Some("IBM"),
        );
        assert_eq!(view.ind, [Indicator::Macd], "the good one stays");
        assert!(!view.markers_off);
        assert_eq!(view.range, Range::All);
        assert_eq!(view.kind, ChartKind::Line);
        assert_eq!(view.ma, [20], "the good one stays");
        assert_eq!(view.compare, ["MSFT", "A", "B", "C"]);
        assert!(!view.log);
        let all = problems.join(" ");
        for word in [
            "“3W”",
            "“bars”",
            "“7, x”",
            "“<b>”",
            "“D” left out",
            "“ln”",
            "“sma9, <i>” is not an indicator",
            "“maybe”",
        ] {
            assert!(all.contains(word), "{word} in {all}");
        }
    }

    #[test]
    fn indicators_wait_while_comparing_and_panes_are_counted() {
        let (view, _) = ChartView::parse(&params(&[("ind", "macd,ema50,rsi")]), symbol, None);
        assert_eq!(view.indicator_panes(), 2, "RSI and MACD");
        let comparing = view.toggled_compare("MSFT");
        assert!(comparing.indicators().is_empty());
        assert_eq!(comparing.indicator_panes(), 0);
        assert_eq!(comparing.ind.len(), 3, "kept in the URL for later");
    }

    #[test]
    fn toggles_add_and_remove() {
        let view = ChartView::default()
            .toggled_compare("MSFT")
            .toggled_compare("BTC");
        assert_eq!(view.compare, ["MSFT", "BTC"]);
        assert_eq!(view.toggled_compare("MSFT").compare, ["BTC"]);
        assert!(view.comparing());
    }

    #[test]
    fn a_long_list_of_bad_values_makes_a_short_notice() {
        let many = |item: &str| vec![item; 20_000].join(",");
        let (view, problems) = ChartView::parse(
            &ChartParams {
                ma: Some(many("7")),
                compare: Some(format!("A,B,C,D,E,F,G,{}", many("<b>"))),
                ..ChartParams::default()
            },
            symbol,
            None,
        );
        assert_eq!(view.compare, ["A", "B", "C", "D"]);
        let all = problems.join(" ");
        assert!(all.len() < 1_000, "{} bytes: {all}", all.len());
        assert!(
            all.contains("“7, 7, 7” and 19997 more are not moving averages"),
            "{all}"
        );
        assert!(
            all.contains("19997 more are not symbols to compare."),
            "{all}"
        );
        assert!(all.contains("“E”, “F”, “G” left out"), "{all}");
    }
}
