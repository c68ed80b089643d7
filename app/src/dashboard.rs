//! The page's data: one server function returns everything the page shows for a symbol,
//! so a selection costs one round trip.

// `get_dashboard` takes one argument per URL parameter, so its form body is the page's
// query as it is; the server-function macro writes more functions with the same
// arguments (on both sides), which an attribute on the function does not reach.
#![allow(clippy::too_many_arguments)]

use crate::chart_view::{ChartParams, ChartView};
use crate::sources::SourceLine;
use leptos::prelude::*;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use store::Symbol;

/// Everything the page shows, as the browser needs it: words, links and the chart's
/// ECharts option, all made on the server, so the WebAssembly carries no date library,
/// no chart builder and no number formatting of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub title: String,
    /// Every symbol in the database, for the select.
    pub symbols: Vec<Symbol>,
    /// The symbol shown; `None` when the database is empty or the request named a bad one.
    pub selected: Option<Symbol>,
    /// The chart of the selected symbol; `None` when there is nothing to draw.
    pub chart: Option<ChartData>,
    /// One line describing the chart, for screen readers and without JavaScript.
    pub summary: Option<String>,
    /// Last close, change, 52-week range, range returns; `None` without prices.
    pub stats: Option<KeyStats>,
    /// The server's drawing of the chart for the first paint (see [`crate::preview`]).
    /// Not in the server function's answer: only the page's HTML carries it.
    #[serde(skip)]
    pub preview: String,
    /// The news coin of the selected symbol, when it has one.
    pub coin: Option<String>,
    pub headlines: Vec<HeadlineRow>,
    /// The headline search as applied (trimmed, cut to its longest), for the search box.
    pub search: Option<String>,
    /// What the chart shows: the URL's chart parameters as applied (bad ones left out).
    pub view: ChartView,
    /// How many headlines "More headlines" asks for (`?news=`), when there are more.
    pub more_news: Option<u32>,
    /// The CSV of the selected symbol's prices, when one is selected.
    pub prices_csv: Option<String>,
    /// The CSV of the headlines the table lists (every one, not only those shown).
    pub headlines_csv: String,
    /// One line per source: "prices updated 3 h ago".
    pub freshness: Vec<SourceLine>,
    /// The database holds the generated demo data set.
    pub demo: bool,
    /// Why the requested symbol is not shown, in words for the user.
    pub notice: Option<String>,
}

/// The numbers a reader looks for first, as shown (formatted on the server).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyStats {
    pub last_close: String,
    pub last_date: String,
    /// From the previous close: `+1.25`, and `+0.84 %`.
    pub change: String,
    pub change_pct: String,
    /// `up`, `down` or `flat`: the class (colour) and the arrow.
    pub direction: String,
    pub high_52w: String,
    pub low_52w: String,
    /// The return from the first close inside each range to the last close, in
    /// `Range::ALL` order: `+12.34 %`.
    pub range_returns: Vec<String>,
}

/// JSON as the server wrote it, sent as JSON (not as a string holding JSON, whose every
/// quote would be escaped again inside the page) and read back as text, which the
/// browser hands to `JSON.parse`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OptionJson(pub Box<serde_json::value::RawValue>);

impl OptionJson {
    pub fn text(&self) -> &str {
        self.0.get()
    }

    /// `value` written out once, to be sent as it is.
    #[cfg(feature = "ssr")]
    pub fn from_value(value: &serde_json::Value) -> Self {
        OptionJson(serde_json::value::to_raw_value(value).expect("a JSON value is JSON"))
    }
}

impl PartialEq for OptionJson {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

/// The chart, ready for ECharts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    /// The ECharts option, built by charming on the server (see
    /// [`crate::chart_option`]); the browser adds only its scheme's colours, the range's
    /// window and, when comparing, the % change from the window's first day.
    pub option: OptionJson,
    /// The index of the first day of each range button's window, in `Range::ALL` order.
    pub range_starts: Vec<usize>,
    /// The index of the last day, where every window ends.
    pub end: usize,
    /// Where each row's open, high, low and volume start, when the rows carry them
    /// (candles, the open line); otherwise the tooltip asks [`get_bar_details`] for
    /// them the first time it shows.
    pub details_at: Option<usize>,
}

/// A headline as the table shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeadlineRow {
    pub title: String,
    /// Only http(s) links are links (see `store::Headline::has_web_url`); otherwise
    /// `None` and the title is text.
    pub link: Option<String>,
    /// RFC 3339, for `<time datetime>`.
    pub published_iso: String,
    /// As shown: `2026-11-22 08:15` (UTC).
    pub published_shown: String,
}

/// What can go wrong loading the page; the message is shown to the user as it is.
/// Internal details (SQL errors, hosts) are logged on the server, never sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("The database is not reachable right now. This page recovers by itself as soon as it is back.")]
    DatabaseUnavailable,
    #[error("Something went wrong talking to the server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

/// What the page's URL asks for: `/?symbol=IBM&q=etf&news=40`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardQuery {
    /// The symbol (`None`: the default symbol).
    pub symbol: Option<String>,
    /// Only headlines whose title contains this.
    pub q: Option<String>,
    /// How many headlines to show (more than the default after "more").
    pub news: Option<String>,
    /// `range`, `chart`, `ma`, `compare`, `scale`: see [`crate::chart_view`].
    pub chart: ChartParams,
}

/// Loads the dashboard for `query`.
///
/// Also reachable as `POST /api/dashboard` with a form body `symbol=IBM` (and `q`,
/// `news`, `range`, `chart`, `ma`, `compare`, `scale`).
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    symbol: Option<String>,
    q: Option<String>,
    news: Option<String>,
    range: Option<String>,
    chart: Option<String>,
    ma: Option<String>,
    compare: Option<String>,
    scale: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::state::AppState;
    let state = expect_context::<AppState>();
    let query = DashboardQuery {
        symbol,
        q,
        news,
        chart: ChartParams {
            range,
            chart,
            ma,
            compare,
            scale,
        },
    };
    load::respond(load::load_dashboard(&state, &query).await)
}

/// The open, high, low and volume of every day of `symbol`, oldest first (the chart's
/// dataset's days), as [`crate::chart_option::bar_details`] writes them: what a line
/// chart's page leaves out until its tooltip shows. A symbol with no prices has no rows.
///
/// Also reachable as `POST /api/bar_details` with a form body `symbol=IBM`.
#[server(endpoint = "bar_details")]
pub async fn get_bar_details(symbol: String) -> Result<OptionJson, AppError> {
    use crate::state::AppState;
    let state = expect_context::<AppState>();
    load::respond(load::load_bar_details(&state, &symbol).await)
}

/// The server side of [`get_dashboard`], free of Leptos so it can be read and tested alone.
#[cfg(feature = "ssr")]
pub mod load {
    use super::*;
    use crate::chart::Range;
    use crate::chart_option::{chart_option, ChartInput, Compared};
    use crate::chart_view::{echo, href};
    use crate::state::AppState;
    use axum::http::StatusCode;
    use store::{DailyBar, Headline, HeadlineFilter, Store, StoreError, MAX_SEARCH_LEN};

    /// The most headlines one page lists, however often "more" was pressed.
    pub const MAX_HEADLINES_SHOWN: u32 = 500;

    /// A page's data with the HTTP status that fits it set on the response (503 when
    /// the database failed).
    pub fn respond<T>(loaded: Result<(T, StatusCode), AppError>) -> Result<T, AppError> {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(match &loaded {
                Ok((_, status)) => *status,
                Err(_) => StatusCode::SERVICE_UNAVAILABLE,
            });
        }
        loaded.map(|(data, _)| data)
    }

    pub(crate) fn unavailable(err: StoreError) -> AppError {
        tracing::error!(error = %err, "dashboard query failed");
        AppError::DatabaseUnavailable
    }

    /// Builds the dashboard and the HTTP status that fits it: 400 for a malformed symbol,
    /// 404 for one with no data, 200 otherwise.
    pub async fn load_dashboard(
        state: &AppState,
        query: &DashboardQuery,
    ) -> Result<(Dashboard, StatusCode), AppError> {
        let store: &Store = &state.store;
        let settings = &state.settings;
        let requested = query.symbol.as_deref();
        let (symbols, health, demo) =
            tokio::try_join!(store.symbols(), store.sources(), store.is_demo())
                .map_err(unavailable)?;

        let mut status = StatusCode::OK;
        let mut notice = None;
        let selected = match requested.map(str::trim).filter(|s| !s.is_empty()) {
            None => Symbol::parse(&settings.default_symbol)
                .ok()
                .filter(|s| symbols.contains(s))
                .or_else(|| symbols.first().cloned()),
            Some(raw) => match Symbol::parse(raw) {
                Err(why) => {
                    status = StatusCode::BAD_REQUEST;
                    notice = Some(format!("“{}” is not a symbol: {why}.", echo(raw)));
                    None
                }
                Ok(symbol) if symbols.contains(&symbol) => Some(symbol),
                Ok(symbol) => {
                    status = StatusCode::NOT_FOUND;
                    notice = Some(format!(
                        "There are no prices for {symbol}. Pick one of the symbols below."
                    ));
                    None
                }
            },
        };

        let coin = selected
            .as_ref()
            .and_then(|s| settings.coin_for(s.as_str()))
            .map(str::to_string);
        let search: Option<String> = query
            .q
            .as_deref()
            .map(|q| q.trim().chars().take(MAX_SEARCH_LEN).collect::<String>())
            .filter(|q| !q.is_empty());
        let shown = query
            .news
            .as_deref()
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(settings.headlines)
            .clamp(1, MAX_HEADLINES_SHOWN.max(settings.headlines));
        let filter = HeadlineFilter {
            coin: coin.clone(),
            search: search.clone(),
        };
        // One more than shown tells whether there are more.
        let listed = store.headlines(&filter, shown + 1);
        let (bars, mut headlines) = match &selected {
            Some(symbol) => {
                let (bars, headlines) =
                    tokio::try_join!(store.daily_bars(symbol, None, None), listed)
                        .map_err(unavailable)?;
                (bars, headlines)
            }
            None => (Vec::new(), listed.await.map_err(unavailable)?),
        };
        let stats = key_stats(&bars);

        let main = selected.as_ref().map(Symbol::as_str);
        let (mut view, problems) = ChartView::parse(
            &query.chart,
            |raw| {
                Symbol::parse(raw)
                    .map(String::from)
                    .map_err(|why| why.to_string())
            },
            main,
        );
        if !problems.is_empty() {
            status = StatusCode::BAD_REQUEST;
        }
        let mut notices: Vec<String> = notice.into_iter().chain(problems).collect();
        // Compared symbols: only those with prices.
        let mut compared_symbols = Vec::new();
        view.compare.retain(
            |raw| match Symbol::parse(raw).ok().filter(|s| symbols.contains(s)) {
                Some(symbol) => {
                    compared_symbols.push(symbol);
                    true
                }
                None => {
                    if status == StatusCode::OK {
                        status = StatusCode::NOT_FOUND;
                    }
                    notices.push(format!("There are no prices for {raw} to compare."));
                    false
                }
            },
        );
        // Their prices, all at once (nothing to compare with when there are none).
        let compared_bars = if bars.is_empty() {
            Vec::new()
        } else {
            futures_util::future::try_join_all(
                compared_symbols
                    .iter()
                    .map(|symbol| store.daily_bars(symbol, None, None)),
            )
            .await
            .map_err(unavailable)?
        };
        let compared: Vec<Compared> = compared_symbols
            .iter()
            .zip(&compared_bars)
            .map(|(symbol, bars)| Compared { symbol, bars })
            .collect();
        let notice = (!notices.is_empty()).then(|| notices.join(" "));

        let more_news = (headlines.len() > shown as usize && shown < MAX_HEADLINES_SHOWN)
            .then(|| (shown + settings.headlines).min(MAX_HEADLINES_SHOWN));
        headlines.truncate(shown as usize);
        let prices_csv = main.map(|s| href("/prices.csv", &[("symbol", Some(s))]));
        let headlines_csv = href(
            "/headlines.csv",
            &[("coin", coin.as_deref()), ("q", search.as_deref())],
        );

        let freshness = crate::sources::source_lines(&health, settings, chrono::Utc::now());

        let (chart, summary, preview) = match &selected {
            Some(symbol) => {
                let input = ChartInput {
                    symbol,
                    bars: &bars,
                    view: &view,
                    compared: &compared,
                    line_open: settings.line_open,
                };
                let chart = (!bars.is_empty()).then(|| chart_data(&input));
                // The preview shows what ECharts will show first: the range's window.
                let preview = crate::preview::chart_preview_html(&input);
                (chart, Some(chart_summary(symbol, &bars)), preview)
            }
            None => (None, None, String::new()),
        };
        Ok((
            Dashboard {
                title: settings.title.clone(),
                symbols,
                selected,
                chart,
                summary,
                stats,
                preview,
                coin,
                headlines: headlines.iter().map(headline_row).collect(),
                search,
                view,
                more_news,
                prices_csv,
                headlines_csv,
                freshness,
                demo,
                notice,
            },
            status,
        ))
    }

    /// The days' own columns for [`get_bar_details`]: 400 for a malformed symbol, 404
    /// (and no rows) for one without prices.
    pub async fn load_bar_details(
        state: &AppState,
        raw: &str,
    ) -> Result<(OptionJson, StatusCode), AppError> {
        let (bars, status) = match Symbol::parse(raw.trim()) {
            Err(_) => (Vec::new(), StatusCode::BAD_REQUEST),
            Ok(symbol) => {
                let bars = state
                    .store
                    .daily_bars(&symbol, None, None)
                    .await
                    .map_err(unavailable)?;
                let status = if bars.is_empty() {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::OK
                };
                (bars, status)
            }
        };
        let details = crate::chart_option::bar_details(&bars);
        Ok((OptionJson::from_value(&details), status))
    }

    /// The option and the range windows for `input`.
    pub fn chart_data(input: &ChartInput) -> ChartData {
        ChartData {
            option: OptionJson::from_value(&chart_option(input)),
            range_starts: Range::ALL
                .iter()
                .map(|r| r.start_index(input.bars))
                .collect(),
            end: input.bars.len().saturating_sub(1),
            details_at: crate::chart_option::details_at(input.view, input.line_open),
        }
    }

    /// The key stats of `bars` (oldest first).
    pub fn key_stats(bars: &[DailyBar]) -> Option<KeyStats> {
        let last = bars.last()?;
        let previous = bars.len().checked_sub(2).and_then(|i| bars.get(i));
        let change = previous.map_or(0.0, |p| last.close - p.close);
        let change_pct = previous
            .filter(|p| p.close != 0.0)
            .map_or(0.0, |p| change / p.close * 100.0);
        let year_ago = last.date - chrono::Duration::days(365);
        let year = bars.iter().filter(|b| b.date > year_ago);
        let (low, high) = year.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), b| {
            (lo.min(b.low), hi.max(b.high))
        });
        let direction = if change > 0.0 {
            "up"
        } else if change < 0.0 {
            "down"
        } else {
            "flat"
        };
        Some(KeyStats {
            last_close: format!("{:.2}", last.close),
            last_date: last.date.to_string(),
            change: format!("{change:+.2}"),
            change_pct: format!("{change_pct:+.2} %"),
            direction: direction.to_string(),
            high_52w: format!("{high:.2}"),
            low_52w: format!("{low:.2}"),
            range_returns: Range::ALL
                .iter()
                .map(|r| {
                    let first = bars[r.start_index(bars)].close;
                    if first == 0.0 {
                        "n/a".to_string()
                    } else {
                        format!("{:+.2} %", (last.close / first - 1.0) * 100.0)
                    }
                })
                .collect(),
        })
    }

    /// A one-line description of the chart, read by screen readers and shown without JS.
    fn chart_summary(symbol: &Symbol, bars: &[DailyBar]) -> String {
        match (bars.first(), bars.last()) {
            (Some(first), Some(last)) => format!(
                "{symbol}: {} daily prices from {} to {}; last close {:.2}.",
                bars.len(),
                first.date,
                last.date,
                last.close
            ),
            _ => format!("{symbol}: no prices."),
        }
    }

    fn headline_row(h: &Headline) -> HeadlineRow {
        HeadlineRow {
            title: h.title.clone(),
            link: h.has_web_url().then(|| h.url.clone()),
            published_iso: h.published_at.to_rfc3339(),
            published_shown: h.published_at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::load::key_stats;
    use chrono::NaiveDate;
    use store::{DailyBar, Symbol};

    fn bar(days_ago: i64, close: f64, low: f64, high: f64) -> DailyBar {
        let last = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        DailyBar::from_ohlcv(
            Symbol::parse("X").unwrap(),
            last - chrono::Duration::days(days_ago),
            [close, high, low, close, 1.0],
        )
    }

    #[test]
    fn key_stats_read_the_last_close_its_change_and_the_52_week_range() {
        // Oldest first: a low and a high more than a year back do not count.
        let bars = vec![
            bar(400, 50.0, 1.0, 500.0),
            bar(200, 80.0, 70.0, 120.0),
            bar(40, 90.0, 85.0, 95.0),
            bar(1, 100.0, 99.0, 101.0),
            bar(0, 95.0, 94.0, 96.0),
        ];
        let stats = key_stats(&bars).unwrap();
        assert_eq!(stats.last_close, "95.00");
        assert_eq!(stats.last_date, "2026-11-20");
        assert_eq!(
            (stats.change.as_str(), stats.change_pct.as_str()),
            ("-5.00", "-5.00 %")
        );
        assert_eq!(stats.direction, "down");
        assert_eq!(
            (stats.high_52w.as_str(), stats.low_52w.as_str()),
            ("120.00", "70.00")
        );
        // 1M starts at the bar 1 day ago (100 → 95), All at the first (50 → 95).
        assert_eq!(stats.range_returns[0], "-5.00 %");
        assert_eq!(stats.range_returns[4], "+90.00 %");
        assert!(key_stats(&[]).is_none());
    }
}
