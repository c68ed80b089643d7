//! The server side of [`super::get_dashboard`], free of Leptos' rendering so it can be
//! read and tested alone: [`load_dashboard`] and its steps.

use super::data::Dashboard;
use super::news::HeadlineRow;
use super::stats::KeyStats;
use crate::chart::change::{percent_change, Direction};
use crate::chart::ssr::news::News;
use crate::chart::ssr::option::{chart_data, ChartInput, Compared};
use crate::chart::ssr::picture::picture_svg;
use crate::chart::ssr::preview::chart_preview_html;
use crate::chart::ssr::series::start_index;
use crate::chart::view::{ChartParams, ChartView, Range};
use crate::chart::wire::ChartData;
use crate::error::AppError;
use crate::ssr::settings::DashboardSettings;
use crate::ssr::state::AppState;
use crate::ssr::status::{unavailable, Verdict};
use crate::text::{echo, given, href};
use axum::http::StatusCode;
use store::Symbol;
use store::{DailyBar, Headline, HeadlineFilter, Store, MAX_SEARCH_LEN};

/// What the page's URL asks for: `/?symbol=IBM&q=etf&news=40`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DashboardQuery {
    /// The symbol (`None`: the default symbol).
    pub symbol: Option<String>,
    /// Only headlines whose title contains this.
    pub q: Option<String>,
    /// How many headlines to show (more than the default after "more").
    pub news: Option<String>,
    /// `range`, `chart`, `ma`, `compare`, `scale`: see [`crate::chart::view`].
    pub chart: ChartParams,
}

impl DashboardQuery {
    /// The query of a URL, as decoded pairs, as the page reads it: the last value of a
    /// parameter given twice, every value of those that may repeat, joined (see
    /// [`ChartParams::from_query`]).
    pub fn from_pairs(pairs: &[(String, String)]) -> DashboardQuery {
        let last = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let joined = |key: &str| {
            let all: Vec<&str> = pairs
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .collect();
            (!all.is_empty()).then(|| all.join(","))
        };
        DashboardQuery {
            symbol: last("symbol"),
            q: last("q"),
            news: last("news"),
            chart: ChartParams {
                range: last("range"),
                chart: last("chart"),
                ma: joined("ma"),
                compare: joined("compare"),
                scale: last("scale"),
                ind: joined("ind"),
                markers: last("markers"),
            },
        }
    }
}

/// What a query asks the chart to show, checked against the symbols there are: the
/// symbol, the view (each bad value left out, its notice in the verdict), the compared
/// symbols that have prices, and the coin whose headline days it marks. `/` and its
/// pictures read a query alike.
struct Asked {
    selected: Option<Symbol>,
    view: ChartView,
    compared: Vec<Symbol>,
    /// The symbol's news coin (`[dashboard.coins]`): the headlines it lists.
    coin: Option<String>,
    /// The coin whose headline days the chart marks (none while comparing, or
    /// `markers=off`).
    marked: Option<String>,
}

impl Asked {
    fn of(
        query: &DashboardQuery,
        symbols: &[Symbol],
        settings: &DashboardSettings,
        verdict: &mut Verdict,
    ) -> Asked {
        let selected = pick_symbol(query.symbol.as_deref(), symbols, settings, verdict);
        let main = selected.as_ref().map(Symbol::as_str);
        let mut view = parsed_view(&query.chart, main, verdict);
        let compared = keep_compared(&mut view, symbols, verdict);
        let coin = main.and_then(|s| settings.coin_for(s));
        let marked = marked_coin(coin, main, &view).map(str::to_string);
        Asked {
            selected,
            view,
            compared,
            coin: coin.map(str::to_string),
            marked,
        }
    }
}

/// The days the chart draws: the symbol's, each compared symbol's (none when the
/// symbol has none), and the marked coin's headline counts per day.
struct ChartDays {
    bars: Vec<DailyBar>,
    compared: Vec<Vec<DailyBar>>,
    news_days: Vec<(chrono::NaiveDate, u32)>,
}

impl ChartDays {
    async fn load(store: &Store, asked: &Asked) -> Result<ChartDays, AppError> {
        let bars = async {
            match &asked.selected {
                Some(symbol) => store.daily_bars(symbol, None, None).await,
                None => Ok(Vec::new()),
            }
            .map_err(unavailable)
        };
        let (bars, news_days) =
            tokio::try_join!(bars, headline_days(store, asked.marked.as_deref()))?;
        let compared = load_compared(store, &asked.compared, &bars).await?;
        Ok(ChartDays {
            bars,
            compared,
            news_days,
        })
    }

    /// `f` of the chart's input for `symbol` over these days.
    fn with_input<R>(
        &self,
        asked: &Asked,
        symbol: &Symbol,
        settings: &DashboardSettings,
        f: impl FnOnce(&ChartInput) -> R,
    ) -> R {
        let compared = pair_compared(&asked.compared, &self.compared);
        f(&ChartInput {
            symbol,
            bars: &self.bars,
            view: &asked.view,
            compared: &compared,
            line_open: settings.line_open,
            news: asked
                .marked
                .as_deref()
                .map(|coin| News::on(coin, &self.news_days)),
        })
    }
}

/// The chart of `query` as a picture (`chart/ssr/picture.rs`): its SVG, or why not in
/// the page's words, with the status that fits (400 a bad value, 404 no prices).
pub async fn load_picture(
    state: &AppState,
    query: &DashboardQuery,
) -> Result<(Result<String, String>, StatusCode), AppError> {
    let (store, settings) = (&state.store, &*state.settings);
    let symbols = store.symbols().await.map_err(unavailable)?;
    let mut verdict = Verdict::default();
    let asked = Asked::of(query, &symbols, settings, &mut verdict);
    if let Some(notice) = verdict.notice() {
        return Ok((Err(notice), verdict.status()));
    }
    let Some(symbol) = asked.selected.as_ref() else {
        return Ok((
            Err("There are no prices yet.".into()),
            StatusCode::NOT_FOUND,
        ));
    };
    let days = ChartDays::load(store, &asked).await?;
    Ok(
        match days.with_input(&asked, symbol, settings, picture_svg) {
            Some(svg) => (Ok(svg), StatusCode::OK),
            None => (
                Err(format!("There are no prices for {symbol}.")),
                StatusCode::NOT_FOUND,
            ),
        },
    )
}

/// The most headlines one page lists, however often "more" was pressed.
pub const MAX_HEADLINES_SHOWN: u32 = 500;

/// Builds the dashboard and the HTTP status that fits it (see [`crate::ssr::status`]):
/// the symbol, the headlines, the chart's view and compared symbols, the chart.
pub async fn load_dashboard(
    state: &AppState,
    query: &DashboardQuery,
) -> Result<(Dashboard, StatusCode), AppError> {
    let (store, settings) = (&state.store, &*state.settings);
    let (symbols, health, demo) =
        tokio::try_join!(store.symbols(), store.sources(), store.is_demo()).map_err(unavailable)?;
    let mut verdict = Verdict::default();
    let asked = Asked::of(query, &symbols, settings, &mut verdict);
    let coin = asked.coin.clone();
    let news = NewsWindow::new(query, settings, coin.clone());
    let (days, mut headlines) = tokio::try_join!(ChartDays::load(store, &asked), async {
        store
            .headlines(&news.filter, news.shown + 1)
            .await
            .map_err(unavailable)
    })?;
    let more_news = news.more(headlines.len(), settings);
    headlines.truncate(news.shown as usize);
    let (chart, summary, preview) = match &asked.selected {
        Some(symbol) => days.with_input(&asked, symbol, settings, chart_parts),
        None => (None, None, String::new()),
    };
    let main = asked.selected.as_ref().map(Symbol::as_str);
    let dashboard = Dashboard {
        title: settings.title.clone(),
        stats: key_stats(&days.bars),
        prices_csv: main.map(|s| href("/prices.csv", &[("symbol", Some(s))])),
        headlines_csv: href(
            "/headlines.csv",
            &[("coin", coin.as_deref()), ("q", news.search.as_deref())],
        ),
        freshness: crate::freshness::ssr::source_lines(&health, settings, chrono::Utc::now()),
        headlines: headlines.iter().map(headline_row).collect(),
        symbols,
        selected: asked.selected,
        chart,
        summary,
        preview,
        coin,
        search: news.search,
        view: asked.view,
        more_news,
        demo,
        notice: verdict.notice(),
        public_url: settings.public_url.clone(),
    };
    Ok((dashboard, verdict.status()))
}

/// The symbol the URL asks for: the default one when it names none; none, with a
/// notice, when it names a malformed one (400) or one without prices (404).
fn pick_symbol(
    requested: Option<&str>,
    symbols: &[Symbol],
    settings: &DashboardSettings,
    verdict: &mut Verdict,
) -> Option<Symbol> {
    let Some(raw) = given(requested) else {
        return Symbol::parse(&settings.default_symbol)
            .ok()
            .filter(|s| symbols.contains(s))
            .or_else(|| symbols.first().cloned());
    };
    match Symbol::parse(raw) {
        Ok(symbol) if symbols.contains(&symbol) => Some(symbol),
        Ok(symbol) => {
            verdict.missing(format!(
                "There are no prices for {symbol}. Pick one of the symbols below."
            ));
            None
        }
        Err(why) => {
            verdict.malformed(format!("“{}” is not a symbol: {why}.", echo(raw)));
            None
        }
    }
}

/// The coin whose headline days the chart marks: the symbol's, unless `markers=off` or
/// comparing.
fn marked_coin<'a>(coin: Option<&'a str>, main: Option<&str>, view: &ChartView) -> Option<&'a str> {
    coin.filter(|_| main.is_some() && !view.markers_off && !view.comparing())
}

/// The chart's view the URL asks for; a notice (400) for each bad value, left out.
fn parsed_view(params: &ChartParams, main: Option<&str>, verdict: &mut Verdict) -> ChartView {
    let (view, problems) = ChartView::parse(params, well_formed, main);
    for problem in problems {
        verdict.malformed(problem);
    }
    view
}

/// A compared symbol as the chart's view takes it: upper case, or why not.
fn well_formed(raw: &str) -> Result<String, String> {
    Symbol::parse(raw)
        .map(String::from)
        .map_err(|why| why.to_string())
}

/// Which headlines the table lists: the coin's, searched, and how many.
struct NewsWindow {
    /// The search as applied (trimmed, cut to its longest).
    search: Option<String>,
    shown: u32,
    filter: HeadlineFilter,
}

impl NewsWindow {
    fn new(query: &DashboardQuery, settings: &DashboardSettings, coin: Option<String>) -> Self {
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
            coin,
            search: search.clone(),
        };
        NewsWindow {
            search,
            shown,
            filter,
        }
    }

    /// How many "More headlines" asks for, when `listed` (one more than shown was
    /// asked for) says there are more.
    fn more(&self, listed: usize, settings: &DashboardSettings) -> Option<u32> {
        (listed > self.shown as usize && self.shown < MAX_HEADLINES_SHOWN)
            .then(|| (self.shown + settings.headlines).min(MAX_HEADLINES_SHOWN))
    }
}

/// Each compared symbol with its days.
fn pair_compared<'a>(symbols: &'a [Symbol], bars: &'a [Vec<DailyBar>]) -> Vec<Compared<'a>> {
    symbols
        .iter()
        .zip(bars)
        .map(|(symbol, bars)| Compared { symbol, bars })
        .collect()
}

/// How many headlines `coin` has on each day, when there is a coin to mark.
async fn headline_days(
    store: &Store,
    coin: Option<&str>,
) -> Result<Vec<(chrono::NaiveDate, u32)>, AppError> {
    match coin {
        Some(coin) => store.headline_days(coin).await.map_err(unavailable),
        None => Ok(Vec::new()),
    }
}

/// The compared symbols that have prices; a notice (404) for each other one, which the
/// view drops.
fn keep_compared(view: &mut ChartView, symbols: &[Symbol], verdict: &mut Verdict) -> Vec<Symbol> {
    let mut kept = Vec::new();
    view.compare.retain(
        |raw| match Symbol::parse(raw).ok().filter(|s| symbols.contains(s)) {
            Some(symbol) => {
                kept.push(symbol);
                true
            }
            None => {
                verdict.missing(format!("There are no prices for {raw} to compare."));
                false
            }
        },
    );
    kept
}

/// The compared symbols' prices, all at once (none when the main one has no prices).
async fn load_compared(
    store: &Store,
    symbols: &[Symbol],
    bars: &[DailyBar],
) -> Result<Vec<Vec<DailyBar>>, AppError> {
    if bars.is_empty() {
        return Ok(Vec::new());
    }
    futures_util::future::try_join_all(symbols.iter().map(|s| store.daily_bars(s, None, None)))
        .await
        .map_err(unavailable)
}

/// The chart's data for ECharts, its one-line summary and the first paint's drawing
/// (what ECharts will show first: the range's window).
fn chart_parts(input: &ChartInput) -> (Option<ChartData>, Option<String>, String) {
    let chart = (!input.bars.is_empty()).then(|| chart_data(input));
    (
        chart,
        Some(chart_summary(input.symbol, input.bars)),
        chart_preview_html(input),
    )
}

/// The key stats of `bars` (oldest first).
pub fn key_stats(bars: &[DailyBar]) -> Option<KeyStats> {
    let last = bars.last()?;
    let previous = bars.len().checked_sub(2).and_then(|i| bars.get(i));
    let change = previous.map_or(0.0, |p| last.close - p.close);
    let change_pct = previous
        .and_then(|p| percent_change(p.close, last.close))
        .unwrap_or(0.0);
    let year_ago = last.date - chrono::Duration::days(365);
    let year = bars.iter().filter(|b| b.date > year_ago);
    let (low, high) = year.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), b| {
        (lo.min(b.low), hi.max(b.high))
    });
    Some(KeyStats {
        last_close: format!("{:.2}", last.close),
        last_date: last.date.to_string(),
        change: format!("{change:+.2}"),
        change_pct: format!("{change_pct:+.2} %"),
        direction: Direction::of(change),
        high_52w: format!("{high:.2}"),
        low_52w: format!("{low:.2}"),
        range_returns: Range::ALL
            .iter()
            .map(
                |r| match percent_change(bars[start_index(*r, bars)].close, last.close) {
                    Some(pct) => format!("{pct:+.2} %"),
                    None => "n/a".to_string(),
                },
            )
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

#[cfg(test)]
mod tests {
    use super::key_stats;
    use crate::chart::change::Direction;
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
        assert_eq!(stats.direction, Direction::Down);
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
