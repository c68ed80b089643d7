//! The page's data: one server function returns everything the page shows for a symbol,
//! so a selection costs one round trip.

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
    /// The server's drawing of the chart for the first paint (see [`crate::preview`]).
    /// Never sent to the browser: hydration keeps what the server wrote.
    #[serde(skip)]
    pub preview: String,
    /// The news coin of the selected symbol, when it has one.
    pub coin: Option<String>,
    pub headlines: Vec<HeadlineRow>,
    /// The headline search as applied (trimmed, cut to its longest), for the search box.
    pub search: Option<String>,
    /// The link that shows more headlines, when there are more.
    pub more_headlines: Option<String>,
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

/// The chart, ready for ECharts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    /// The ECharts option as JSON, built by charming on the server (see
    /// `chart::chart_option`); the browser adds only the colours of its scheme.
    pub option: String,
    /// The first date of each range button's window, in `Range::ALL` order.
    pub range_starts: Vec<String>,
    /// The last date, where every window ends.
    pub end: String,
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
}

/// Loads the dashboard for `query`.
///
/// Also reachable as `POST /api/dashboard` with a form body `symbol=IBM` (and `q`,
/// `news`).
#[server(endpoint = "dashboard")]
pub async fn get_dashboard(
    symbol: Option<String>,
    q: Option<String>,
    news: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::state::AppState;
    let state = expect_context::<AppState>();
    let query = DashboardQuery { symbol, q, news };
    load::respond(load::load_dashboard(&state, &query).await)
}

/// The server side of [`get_dashboard`], free of Leptos so it can be read and tested alone.
#[cfg(feature = "ssr")]
pub mod load {
    use super::*;
    use crate::chart::{chart_option, Range};
    use crate::state::AppState;
    use axum::http::StatusCode;
    use store::{Headline, HeadlineFilter, PriceSeries, Store, StoreError, MAX_SEARCH_LEN};

    /// Longest piece of a rejected symbol echoed back to the user.
    const ECHO_LIMIT: usize = 24;

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

    /// `path?key=value&…` with the values encoded, leaving out the absent ones.
    pub(crate) fn href(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            if let Some(value) = value {
                query.append_pair(key, value);
            }
        }
        let query = query.finish();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
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
        let (series, mut headlines) = match &selected {
            Some(symbol) => {
                let (bars, headlines) =
                    tokio::try_join!(store.daily_bars(symbol, None, None), listed)
                        .map_err(unavailable)?;
                (bars.into_iter().collect(), headlines)
            }
            None => (PriceSeries::default(), listed.await.map_err(unavailable)?),
        };
        let more_headlines = (headlines.len() > shown as usize && shown < MAX_HEADLINES_SHOWN)
            .then(|| {
                let more = (shown + settings.headlines)
                    .min(MAX_HEADLINES_SHOWN)
                    .to_string();
                href(
                    "/",
                    &[
                        ("symbol", selected.as_ref().map(Symbol::as_str)),
                        ("q", search.as_deref()),
                        ("news", Some(&more)),
                    ],
                )
            });
        headlines.truncate(shown as usize);
        let prices_csv = selected
            .as_ref()
            .map(|s| href("/prices.csv", &[("symbol", Some(s.as_str()))]));
        let headlines_csv = href(
            "/headlines.csv",
            &[("coin", coin.as_deref()), ("q", search.as_deref())],
        );

        let freshness = crate::sources::source_lines(&health, settings, chrono::Utc::now());

        let chart = selected
            .as_ref()
            .filter(|_| !series.is_empty())
            .map(|symbol| chart_data(symbol, &series));
        let summary = selected.as_ref().map(|s| chart_summary(s, &series));
        let preview = selected
            .as_ref()
            .map(|s| crate::preview::preview_html(s, &series))
            .unwrap_or_default();
        Ok((
            Dashboard {
                title: settings.title.clone(),
                symbols,
                selected,
                chart,
                summary,
                preview,
                coin,
                headlines: headlines.iter().map(headline_row).collect(),
                search,
                more_headlines,
                prices_csv,
                headlines_csv,
                freshness,
                demo,
                notice,
            },
            status,
        ))
    }

    /// The option and the range windows for `series`.
    pub fn chart_data(symbol: &Symbol, series: &PriceSeries) -> ChartData {
        let date = |i: usize| {
            series
                .dates
                .get(i)
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        ChartData {
            option: chart_option(symbol, series).to_string(),
            range_starts: Range::ALL
                .iter()
                .map(|r| date(r.start_index(series)))
                .collect(),
            end: date(series.len().saturating_sub(1)),
        }
    }

    /// A one-line description of the chart, read by screen readers and shown without JS.
    fn chart_summary(symbol: &Symbol, series: &PriceSeries) -> String {
        match (
            series.dates.first(),
            series.dates.last(),
            series.close.last(),
        ) {
            (Some(first), Some(last), Some(close)) => format!(
                "{symbol}: {} daily prices from {first} to {last}; last close {close:.2}.",
                series.len()
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

    /// A short, single-line copy of user input, safe to show back.
    pub(crate) fn echo(raw: &str) -> String {
        let flat: String = raw
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if flat.chars().count() > ECHO_LIMIT {
            format!("{}…", flat.chars().take(ECHO_LIMIT).collect::<String>())
        } else {
            flat
        }
    }
}
