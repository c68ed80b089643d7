//! The server side of [`super::get_markets`]: [`load_markets`], its steps, and
//! [`figures`], the numbers of one row (returns over each horizon, the 52-week range,
//! the sparkline's closes) from that symbol's recent bars.

use super::data::{Change, Column, ColumnHead, MarketRow, MarketsView, RangeBar, SortDirection};
use crate::chart::change::{percent_change, Direction};
use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::status::{unavailable, Verdict};
use crate::text::{echo, given, href};
use axum::http::StatusCode;
use chrono::{Datelike, Months, NaiveDate, Utc};
use std::collections::BTreeMap;
use store::{DailyBar, Symbol};

/// The days read before each symbol's last bar: a year and the days a holiday season
/// can leave without a bar, so the 1Y base is there.
pub const WINDOW_DAYS: u32 = 380;
/// A symbol whose last close is older than this is flagged in its row.
const STALE_DAYS: i64 = 7;
/// At most this many symbols in a watchlist.
const MAX_WATCHLIST: usize = 50;

/// What the URL asks of `/markets`, as given.
#[derive(Clone, Debug, Default)]
pub struct MarketsQuery {
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub vs: Option<String>,
    pub symbols: Option<String>,
}

/// `/markets` as the URL asks, and the status that fits (see [`crate::ssr::status`]).
pub async fn load_markets(
    state: &AppState,
    query: MarketsQuery,
) -> Result<(MarketsView, StatusCode), AppError> {
    let store = &state.store;
    let (bars, health) =
        tokio::try_join!(store.recent_bars(WINDOW_DAYS), store.sources()).map_err(unavailable)?;
    let by_symbol = group(bars);
    let mut verdict = Verdict::default();
    let (sort, dir) = read_sort(&query, &mut verdict);
    let watchlist = read_watchlist(query.symbols.as_deref(), &mut verdict);
    let vs = read_benchmark(query.vs.as_deref(), &by_symbol, &mut verdict);
    // A watchlist keeps its own order until a column is chosen.
    let sorted = watchlist.is_none() || given(query.sort.as_deref()).is_some();
    let rows = rows(
        &by_symbol,
        watchlist.as_deref(),
        vs.as_ref(),
        sorted.then_some((sort, dir)),
    );
    let watchlist = watchlist
        .map(|list| {
            list.iter()
                .map(Symbol::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let vs = vs.map(|s| s.as_str().to_string());
    let view = MarketsView {
        canonical: canonical_of(sorted.then_some((sort, dir)), vs.as_deref(), &watchlist),
        title: state.settings.title.clone(),
        public_url: state.settings.public_url.clone(),
        heads: heads(sorted.then_some((sort, dir)), vs.as_deref(), &watchlist),
        rows,
        symbols: by_symbol.keys().cloned().collect(),
        sort: if sorted {
            sort.param().into()
        } else {
            String::new()
        },
        dir: if sorted {
            dir.param().into()
        } else {
            String::new()
        },
        vs,
        watchlist,
        freshness: crate::freshness::ssr::source_lines(&health, &state.settings, Utc::now()),
        notice: verdict.notice(),
    };
    Ok((view, verdict.status()))
}

/// The rows: the watchlist's symbols or every one, each against the benchmark, sorted
/// when asked.
fn rows(
    by_symbol: &BTreeMap<String, Vec<DailyBar>>,
    watchlist: Option<&[Symbol]>,
    vs: Option<&Symbol>,
    sorted: Option<(Column, SortDirection)>,
) -> Vec<MarketRow> {
    let today = Utc::now().date_naive();
    let bench = vs
        .and_then(|s| by_symbol.get(s.as_str()))
        .and_then(|b| figures(b));
    let shown: Vec<String> = match watchlist {
        Some(list) => list.iter().map(|s| s.as_str().to_string()).collect(),
        None => by_symbol.keys().cloned().collect(),
    };
    let mut rows: Vec<(MarketRow, Option<Figures>)> = shown
        .iter()
        .map(|symbol| {
            let found = by_symbol.get(symbol).and_then(|b| figures(b));
            (row(symbol, found.as_ref(), bench.as_ref(), today), found)
        })
        .collect();
    if let Some((sort, dir)) = sorted {
        sort_rows(&mut rows, sort, dir);
    }
    rows.into_iter().map(|(row, _)| row).collect()
}

/// The bars by symbol, in symbol order (they come sorted by symbol, then date).
fn group(bars: Vec<DailyBar>) -> BTreeMap<String, Vec<DailyBar>> {
    let mut out: BTreeMap<String, Vec<DailyBar>> = BTreeMap::new();
    for bar in bars {
        out.entry(bar.symbol.as_str().to_string())
            .or_default()
            .push(bar);
    }
    out
}

/// This view's short URL: sorted, with its sort; in the watchlist's own order, without.
fn canonical_of(
    sorted: Option<(Column, SortDirection)>,
    vs: Option<&str>,
    watchlist: &str,
) -> String {
    match sorted {
        Some((sort, dir)) => markets_href(sort, dir, vs, watchlist),
        None => href("/markets", &[("symbols", Some(watchlist)), ("vs", vs)]),
    }
}

/// `/markets` with these parameters, defaults left out: the one writer of its URLs. (A
/// watchlist without `sort` keeps its own order, so with one the sort is always written.)
pub fn markets_href(sort: Column, dir: SortDirection, vs: Option<&str>, symbols: &str) -> String {
    let sorted =
        !symbols.is_empty() || sort != Column::Symbol || dir != Column::Symbol.first_direction();
    href(
        "/markets",
        &[
            ("symbols", Some(symbols)),
            ("sort", sorted.then_some(sort.param())),
            (
                "dir",
                (sorted && dir != sort.first_direction()).then_some(dir.param()),
            ),
            ("vs", vs),
        ],
    )
}

/// `?sort=` and `?dir=`; the symbol column A→Z, with a notice (400), for a bad value.
fn read_sort(query: &MarketsQuery, verdict: &mut Verdict) -> (Column, SortDirection) {
    let sort = match given(query.sort.as_deref()) {
        None => Column::Symbol,
        Some(raw) => Column::parse(raw).unwrap_or_else(|| {
            verdict.malformed(format!(
                "“{}” is not a column to sort by (symbol, close, 1d, 1w, 1m, ytd, 1y, range).",
                echo(raw)
            ));
            Column::Symbol
        }),
    };
    let dir = match given(query.dir.as_deref()) {
        None => sort.first_direction(),
        Some(raw) => SortDirection::parse(raw).unwrap_or_else(|| {
            verdict.malformed(format!("“{}” is not a direction (asc, desc).", echo(raw)));
            sort.first_direction()
        }),
    };
    (sort, dir)
}

/// `?symbols=IBM,BTC`: the watchlist, in the order given, each once; `None` for every
/// symbol. A malformed entry is left out with a notice (400).
fn read_watchlist(raw: Option<&str>, verdict: &mut Verdict) -> Option<Vec<Symbol>> {
    let raw = given(raw)?;
    let mut list: Vec<Symbol> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match Symbol::parse(part) {
            Ok(symbol) if !list.contains(&symbol) => list.push(symbol),
            Ok(_) => {}
            Err(_) => verdict.malformed(format!("“{}” is not a symbol.", echo(part))),
        }
    }
    if list.len() > MAX_WATCHLIST {
        verdict.malformed(format!(
            "A watchlist holds at most {MAX_WATCHLIST} symbols; the first {MAX_WATCHLIST} are shown."
        ));
        list.truncate(MAX_WATCHLIST);
    }
    (!list.is_empty()).then_some(list)
}

/// `?vs=`: a symbol with prices, or none with a notice (400 malformed, 404 unknown).
fn read_benchmark(
    raw: Option<&str>,
    by_symbol: &BTreeMap<String, Vec<DailyBar>>,
    verdict: &mut Verdict,
) -> Option<Symbol> {
    let raw = given(raw)?;
    match Symbol::parse(raw) {
        Err(_) => {
            verdict.malformed(format!("“{}” is not a symbol to compare with.", echo(raw)));
            None
        }
        Ok(symbol) if !by_symbol.contains_key(symbol.as_str()) => {
            verdict.missing(format!(
                "There are no prices for {} to compare with.",
                symbol.as_str()
            ));
            None
        }
        Ok(symbol) => Some(symbol),
    }
}

/// The numbers of one row.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub last: NaiveDate,
    pub close: f64,
    /// In percent, over [`Column::HORIZONS`]; `None` when the history does not reach
    /// back to the horizon.
    pub changes: [Option<f64>; 5],
    /// The lowest low and highest high of the 52 weeks up to the last bar.
    pub low: f64,
    pub high: f64,
    /// The closes of the 3 months up to the last bar, oldest first.
    pub spark: Vec<f64>,
}

/// The figures of `bars` (one symbol's, oldest first); none without a bar. A return's
/// base is the last close on or before its horizon (a weekend or a holiday takes the
/// day before): the previous bar for 1D, 7 days back for 1W, a calendar month for 1M,
/// the previous year's last close for YTD, a calendar year for 1Y.
pub fn figures(bars: &[DailyBar]) -> Option<Figures> {
    let last_bar = bars.last()?;
    let (last, close) = (last_bar.date, last_bar.close);
    let on_or_before = |day: Option<NaiveDate>| {
        let day = day?;
        let at = bars.partition_point(|b| b.date <= day);
        (at > 0).then(|| bars[at - 1].close)
    };
    let bases = [
        bars.len().checked_sub(2).map(|i| bars[i].close),
        on_or_before(last.checked_sub_days(chrono::Days::new(7))),
        on_or_before(last.checked_sub_months(Months::new(1))),
        on_or_before(NaiveDate::from_ymd_opt(last.year() - 1, 12, 31)),
        on_or_before(last.checked_sub_months(Months::new(12))),
    ];
    let changes = bases.map(|base| base.and_then(|b| percent_change(b, close)));
    let year_start = last - chrono::Duration::weeks(52);
    let year = bars.iter().filter(|b| b.date > year_start);
    let low = year.clone().map(|b| b.low).fold(f64::INFINITY, f64::min);
    let high = year.map(|b| b.high).fold(f64::NEG_INFINITY, f64::max);
    let spark_start = last.checked_sub_months(Months::new(3)).unwrap_or(last);
    let spark = bars
        .iter()
        .filter(|b| b.date > spark_start)
        .map(|b| b.close)
        .collect();
    Some(Figures {
        last,
        close,
        changes,
        low,
        high,
        spark,
    })
}

/// One row as shown: its figures (or why there are none), against the benchmark's.
fn row(
    symbol: &str,
    found: Option<&Figures>,
    bench: Option<&Figures>,
    today: NaiveDate,
) -> MarketRow {
    let href = href("/", &[("symbol", Some(symbol))]);
    let Some(f) = found else {
        return MarketRow {
            symbol: symbol.into(),
            href,
            close: String::new(),
            date: String::new(),
            changes: vec![change(None, "%"); 5],
            relative: Vec::new(),
            range: None,
            sparkline: String::new(),
            note: Some(format!("No prices for {symbol}.")),
        };
    };
    let relative = bench
        .map(|b| {
            (0..5)
                .map(|i| change(f.changes[i].zip(b.changes[i]).map(|(x, y)| x - y), "pp"))
                .collect()
        })
        .unwrap_or_default();
    let age = (today - f.last).num_days();
    MarketRow {
        symbol: symbol.into(),
        href,
        close: format!("{:.2}", f.close),
        date: f.last.to_string(),
        changes: f.changes.iter().map(|c| change(*c, "%")).collect(),
        relative,
        range: range_bar(f),
        sparkline: sparkline(&f.spark),
        note: (age > STALE_DAYS).then(|| format!("Stale: last close {age} days ago.")),
    }
}

fn change(value: Option<f64>, unit: &str) -> Change {
    match value {
        Some(v) => Change {
            text: format!("{v:+.2} {unit}"),
            direction: Some(Direction::of((v * 100.0).round())),
        },
        None => Change {
            text: "—".into(),
            direction: None,
        },
    }
}

/// Where the last close sits between the 52-week low and high, as a small bar.
fn range_bar(f: &Figures) -> Option<RangeBar> {
    let at = range_position(f)?;
    let x = 4.0 + at * 92.0;
    Some(RangeBar {
        low: format!("{:.2}", f.low),
        high: format!("{:.2}", f.high),
        at: (at * 100.0).round() as u8,
        svg: format!(
            r#"<svg class="range52" viewBox="0 0 100 12" aria-hidden="true" focusable="false"><line x1="4" y1="6" x2="96" y2="6"/><circle cx="{x:.1}" cy="6" r="4"/></svg>"#
        ),
    })
}

/// The last close's place in the 52-week range: 0 at the low, 1 at the high (0.5 when
/// they are equal); none without a range.
fn range_position(f: &Figures) -> Option<f64> {
    if !(f.low.is_finite() && f.high.is_finite()) {
        return None;
    }
    Some(if f.high > f.low {
        ((f.close - f.low) / (f.high - f.low)).clamp(0.0, 1.0)
    } else {
        0.5
    })
}

/// The closes as a line in a 100 × 28 box, coloured by the way they went.
fn sparkline(closes: &[f64]) -> String {
    let (Some(first), Some(last)) = (closes.first(), closes.last()) else {
        return String::new();
    };
    let low = closes.iter().copied().fold(f64::INFINITY, f64::min);
    let high = closes.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if high > low { high - low } else { 1.0 };
    let step = 100.0 / (closes.len().max(2) - 1) as f64;
    let points: Vec<String> = closes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                26.0 - (c - low) / span * 24.0
            )
        })
        .collect();
    let class = Direction::of(last - first).class();
    format!(
        r#"<svg class="spark {class}" viewBox="0 0 100 28" preserveAspectRatio="none" aria-hidden="true" focusable="false" data-testid="sparkline"><polyline points="{}"/></svg>"#,
        points.join(" ")
    )
}

/// Rows by `sort` in `dir`; a row without the value (no prices, too short a
/// history) goes last either way; ties by symbol.
fn sort_rows(rows: &mut [(MarketRow, Option<Figures>)], sort: Column, dir: SortDirection) {
    let value = |f: &Option<Figures>| -> Option<f64> {
        let f = f.as_ref()?;
        match sort {
            Column::Symbol => None,
            Column::Close => Some(f.close),
            // The percent shown, so rows that look tied sort by symbol.
            Column::Range => range_position(f).map(|at| (at * 100.0).round()),
            horizon => {
                let i = Column::HORIZONS.iter().position(|h| *h == horizon)?;
                f.changes[i]
            }
        }
    };
    rows.sort_by(|(a, fa), (b, fb)| {
        let by_symbol = a.symbol.cmp(&b.symbol);
        if sort == Column::Symbol {
            return match dir {
                SortDirection::Ascending => by_symbol,
                SortDirection::Descending => by_symbol.reverse(),
            };
        }
        match (value(fa), value(fb)) {
            (Some(x), Some(y)) => {
                let order = x.total_cmp(&y);
                let order = if dir == SortDirection::Descending {
                    order.reverse()
                } else {
                    order
                };
                order.then(by_symbol)
            }
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => by_symbol,
        }
    });
}

/// Each column's heading and the link that sorts by it; `sorted`: the column the rows
/// are sorted by, if any (a watchlist in its own order has none).
fn heads(
    sorted: Option<(Column, SortDirection)>,
    vs: Option<&str>,
    watchlist: &str,
) -> Vec<ColumnHead> {
    Column::ALL
        .into_iter()
        .map(|column| {
            let current = sorted.filter(|(sort, _)| *sort == column);
            let next = current.map_or(column.first_direction(), |(_, dir)| dir.flipped());
            ColumnHead {
                label: column.label().into(),
                key: column.param().into(),
                href: markets_href(column, next, vs, watchlist),
                aria_sort: current.map(|(_, dir)| dir.aria().to_string()),
                numeric: column != Column::Symbol,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(days: &[(&str, f64)]) -> Vec<DailyBar> {
        let symbol = Symbol::parse("IBM").unwrap();
        days.iter()
            .map(|(d, c)| {
                let date = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                DailyBar::from_ohlcv(symbol.clone(), date, [*c, c + 1.0, c - 1.0, *c, 100.0])
            })
            .collect()
    }

    fn round(v: Option<f64>) -> Option<f64> {
        v.map(|v| (v * 100.0).round() / 100.0)
    }

    #[test]
    fn each_horizon_takes_the_last_close_on_or_before_it() {
        // Monday 2024-03-04 is the last day; the week before ends on Monday 2024-02-26,
        // a month before is 2024-02-04 (a Sunday: Friday 02-02 counts), the year
        // before 2023-03-04 (a Saturday: Friday 03-03 counts), YTD from 2023-12-29.
        let b = bars(&[
            ("2023-03-03", 50.0),
            ("2023-12-29", 80.0),
            ("2024-02-02", 90.0),
            ("2024-02-26", 95.0),
            ("2024-03-01", 99.0),
            ("2024-03-04", 100.0),
        ]);
        let f = figures(&b).unwrap();
        assert_eq!(f.last.to_string(), "2024-03-04");
        let changes: Vec<Option<f64>> = f.changes.iter().map(|c| round(*c)).collect();
        assert_eq!(
            changes,
            [Some(1.01), Some(5.26), Some(11.11), Some(25.0), Some(100.0)]
        );
    }

    #[test]
    fn a_short_history_has_no_return_beyond_it_and_one_day_has_none() {
        let b = bars(&[("2024-02-20", 10.0), ("2024-03-04", 11.0)]);
        let f = figures(&b).unwrap();
        assert_eq!(round(f.changes[0]), Some(10.0), "1D: the previous bar");
        assert_eq!(
            round(f.changes[1]),
            Some(10.0),
            "1W: 02-20 is on or before 02-26"
        );
        assert_eq!(f.changes[2], None, "1M: nothing on or before 02-04");
        assert_eq!(f.changes[3], None, "YTD: nothing in the year before");
        assert_eq!(f.changes[4], None);
        let one = figures(&bars(&[("2024-03-04", 11.0)])).unwrap();
        assert_eq!(one.changes, [None; 5]);
        assert_eq!((one.low, one.high), (10.0, 12.0));
        assert!(figures(&[]).is_none());
    }

    #[test]
    fn the_range_is_52_weeks_and_the_sparkline_3_months() {
        let b = bars(&[
            ("2023-03-01", 500.0), // older than 52 weeks: not in the range
            ("2023-06-01", 40.0),
            ("2023-12-01", 60.0),
            ("2024-02-01", 70.0),
            ("2024-03-04", 50.0),
        ]);
        let f = figures(&b).unwrap();
        assert_eq!((f.low, f.high), (39.0, 71.0));
        assert_eq!(f.spark, vec![70.0, 50.0]);
        let bar = range_bar(&f).unwrap();
        assert_eq!(bar.at, 34, "(50 - 39) / (71 - 39)");
    }

    #[test]
    fn rows_without_the_value_sort_last_either_way() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
        let a = figures(&bars(&[("2024-03-01", 10.0), ("2024-03-04", 11.0)]));
        let b = figures(&bars(&[("2024-03-01", 10.0), ("2024-03-04", 9.0)]));
        let mut rows = vec![
            (row("NONE", None, None, today), None),
            (row("AAA", a.as_ref(), None, today), a.clone()),
            (row("BBB", b.as_ref(), None, today), b.clone()),
        ];
        for (dir, order) in [
            (SortDirection::Descending, ["AAA", "BBB", "NONE"]),
            (SortDirection::Ascending, ["BBB", "AAA", "NONE"]),
        ] {
            sort_rows(&mut rows, Column::Day, dir);
            let got: Vec<&str> = rows.iter().map(|(r, _)| r.symbol.as_str()).collect();
            assert_eq!(got, order);
        }
        assert_eq!(rows[2].0.note.as_deref(), Some("No prices for NONE."));
    }

    #[test]
    fn links_leave_the_defaults_out() {
        let d = SortDirection::Descending;
        assert_eq!(
            markets_href(Column::Symbol, SortDirection::Ascending, None, ""),
            "/markets"
        );
        assert_eq!(markets_href(Column::Year, d, None, ""), "/markets?sort=1y");
        assert_eq!(
            markets_href(
                Column::Year,
                SortDirection::Ascending,
                Some("IBM"),
                "IBM,BTC"
            ),
            "/markets?symbols=IBM,BTC&sort=1y&dir=asc&vs=IBM"
        );
    }
}
