//! The price chart as it appears in the first paint, drawn by the server as SVG (see
//! [`crate::ssr::svg`]) so the prices show before any script has run, and with
//! JavaScript off. ECharts then draws over it in the same box and the preview is
//! cleared; the box has a fixed size, so nothing on the page moves.
//!
//! It draws what [`super::option::chart_option`] draws first: the range's window, the
//! line or the candles with their volume, the averages, the compared symbols in %, the
//! log scale, in the same colours (light and dark, by CSS).

use crate::chart::change::rebased;
use crate::chart::ssr::indicators::{study, Study};
use crate::chart::ssr::news;
use crate::chart::ssr::option::ChartInput;
use crate::chart::ssr::panes::{lower_panes, pane_bottom, price_bottom, RSI_GUIDES};
use crate::chart::ssr::series::{moving_average, start_index};
use crate::chart::view::{ChartKind, ChartView, Indicator, MA_PERIODS};
use crate::ssr::svg::panes::{Band, Pane};
use crate::ssr::svg::{chart_html, Drawing, Line, Scale};
use store::DailyBar;

const MA_CLASSES: [&str; 3] = ["ma0", "ma1", "ma2"];
const COMPARE_CLASSES: [&str; 5] = ["cmp0", "cmp1", "cmp2", "cmp3", "cmp4"];

/// The preview of what the chart shows first for `input` (its range's window, its
/// kind, averages, indicators and compared symbols, its scale); empty when there is
/// nothing to draw.
pub fn chart_preview_html(input: &ChartInput) -> String {
    match chart_drawing(input) {
        Some((drawing, window)) => chart_html(&drawing, |i| window[i].date.to_string()),
        None => String::new(),
    }
}

/// What the chart shows first for `input`, and the days of its window (one x position
/// each); `None` when there is nothing to draw. The page's preview and the chart's
/// picture (`chart/ssr/picture.rs`) are drawn from it.
pub fn chart_drawing<'a>(input: &ChartInput<'a>) -> Option<(Drawing<'a>, &'a [DailyBar])> {
    let (bars, view) = (input.bars, input.view);
    let start = start_index(view.range, bars);
    let window = &bars[start..];
    if window.is_empty() {
        return None;
    }
    if view.comparing() {
        let drawing = Drawing {
            lines: compared_lines(input, start),
            scale: Scale::Percent,
            ..Drawing::default()
        };
        return Some((drawing, window));
    }
    let mut lines = if view.kind == ChartKind::Candles {
        Vec::new()
    } else {
        price_lines(input, window)
    };
    lines.extend(view.ma.iter().map(|period| Line {
        label: format!("MA {period}"),
        class: MA_CLASSES[MA_PERIODS.iter().position(|p| p == period).unwrap_or(0)],
        values: moving_average(bars, usize::from(*period))[start..].to_vec(),
        thin: false,
    }));
    let closes: Vec<f64> = bars.iter().map(|b| b.close).collect();
    let (more, band, panes) = indicator_parts(view, &closes, start);
    lines.extend(more);
    let drawing = Drawing {
        lines,
        band,
        candles: (view.kind == ChartKind::Candles).then_some(window),
        scale: if view.log { Scale::Log } else { Scale::Linear },
        panes,
        bottoms: pane_bottoms(lower_panes(view).len()),
        marks: news::marks(input.news, view, bars)
            .into_iter()
            .filter(|m| m.at >= start)
            .map(|m| (m.at - start, m.price, m.count))
            .collect(),
    };
    Some((drawing, window))
}

/// The price pane's bottom and each lower pane's, as the option's grids have them
/// (none without lower panes: the stylesheet's places).
fn pane_bottoms(count: usize) -> Vec<i64> {
    if count == 0 {
        return Vec::new();
    }
    std::iter::once(price_bottom(count))
        .chain((0..count).map(|j| pane_bottom(j, count)))
        .collect()
}

/// The indicators of `view` from the window's `start`: lines over the prices (the
/// EMAs, the bands' middle), the band, and the RSI and MACD panes.
fn indicator_parts(
    view: &ChartView,
    closes: &[f64],
    start: usize,
) -> (Vec<Line>, Option<Band>, Vec<Pane>) {
    let from = |v: Vec<Option<f64>>| v[start..].to_vec();
    // An indicator's line, with fewer points than a price's; unnamed ones have no key.
    let thin = |label: &str, class, values| Line {
        label: label.to_string(),
        class,
        values: from(values),
        thin: true,
    };
    let (mut lines, mut band, mut panes) = (Vec::new(), None, Vec::new());
    for indicator in view.indicators() {
        match (indicator, study(*indicator, closes)) {
            (Indicator::Ema20, Study::Line(v)) => lines.push(thin("EMA 20", "ema0", v)),
            (Indicator::Ema50, Study::Line(v)) => lines.push(thin("EMA 50", "ema1", v)),
            (Indicator::Rsi, Study::Line(v)) => panes.push(Pane {
                class: "rsi-pane",
                name: "RSI 14",
                lines: vec![thin("", "rsi", v)],
                bars: Vec::new(),
                fixed: Some(((0.0, 100.0), RSI_GUIDES.to_vec())),
            }),
            (_, Study::Bands(b)) => {
                lines.push(thin("", "bb-mid", b.middle));
                band = Some(Band {
                    class: "bb",
                    upper: from(b.upper),
                    lower: from(b.lower),
                });
            }
            (_, Study::Macd(m)) => panes.push(Pane {
                class: "macd-pane",
                name: "MACD 12, 26, 9",
                lines: vec![thin("", "macd", m.macd), thin("", "signal", m.signal)],
                bars: from(m.histogram),
                fixed: None,
            }),
            (_, Study::Line(_)) => {}
        }
    }
    (lines, band, panes)
}

/// Each symbol's closes in % from the window's first day.
fn compared_lines(input: &ChartInput, start: usize) -> Vec<Line> {
    input
        .compared_closes()
        .into_iter()
        .enumerate()
        .map(|(k, (label, closes))| Line {
            label,
            class: COMPARE_CLASSES[k % COMPARE_CLASSES.len()],
            values: rebased(&closes, start)[start..].to_vec(),
            thin: false,
        })
        .collect()
}

/// The close of the window's days, and the open before it when the owner asks.
fn price_lines(input: &ChartInput, window: &[DailyBar]) -> Vec<Line> {
    let symbol = input.symbol;
    let column = |label: String, class, f: fn(&DailyBar) -> f64| Line {
        label,
        class,
        values: window.iter().map(|b| Some(f(b))).collect(),
        thin: false,
    };
    let mut lines = Vec::new();
    if input.line_open {
        lines.push(column(format!("{symbol} open"), "open", |b| b.open));
    }
    lines.push(column(format!("{symbol} close"), "close", |b| b.close));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ssr::option::Compared;
    use crate::chart::view::ChartView;
    use crate::chart::view::Range;
    use crate::ssr::svg::panes::PANE_BARS;
    use crate::ssr::svg::{PREVIEW_CANDLES, PREVIEW_POINTS};
    use chrono::NaiveDate;
    use store::Symbol;

    fn series(days: usize) -> Vec<DailyBar> {
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..days)
            .map(|i| {
                let v = 100.0 + (i as f64 / 50.0).sin() * 20.0;
                store::DailyBar {
                    symbol: Symbol::parse("X").unwrap(),
                    date: first + chrono::Duration::days(i as i64),
                    open: v,
                    high: v + 1.0,
                    low: v - 1.0,
                    close: v + 0.5,
                    volume: 0.0,
                }
            })
            .collect()
    }

    fn preview(
        bars: &[DailyBar],
        view: &ChartView,
        compared: &[Compared],
        line_open: bool,
    ) -> String {
        chart_preview_html(&ChartInput {
            symbol: &Symbol::parse("IBM").unwrap(),
            bars,
            view,
            compared,
            line_open,
            news: None,
        })
    }

    #[test]
    fn a_long_series_is_reduced_to_the_plot_width_keeping_its_ends() {
        let s = series(5000);
        let html = preview(&s, &ChartView::default(), &[], true);
        let lines: Vec<&str> = html.split("points=\"").skip(1).collect();
        assert_eq!(lines.len(), 2, "open and close");
        for line in lines {
            let points = line.split('"').next().unwrap().split(' ').count();
            assert_eq!(points, PREVIEW_POINTS);
            assert!(line.starts_with("0.0,"), "the first day stays");
            assert!(
                line.split('"').next().unwrap().contains(" 1000.0,"),
                "the last day stays"
            );
        }
        assert!(html.contains("IBM open") && html.contains("IBM close"));
        assert!(html.contains(">2020-01-01<"), "the first date is labelled");
        assert!(html.len() < 40_000, "{} bytes", html.len());
        let close_only = preview(&s, &ChartView::default(), &[], false);
        assert!(!close_only.contains("IBM open") && close_only.contains("IBM close"));
    }

    #[test]
    fn candles_are_grouped_with_a_volume_pane_and_averages_over_them() {
        let s = series(5000);
        let view = ChartView {
            kind: ChartKind::Candles,
            ma: vec![50],
            ..ChartView::default()
        };
        let html = preview(&s, &view, &[], false);
        let candles = html.matches("<g class=").count();
        assert!(
            (150..=PREVIEW_CANDLES).contains(&candles),
            "{candles} candles"
        );
        assert!(html.contains("volume-pane") && html.contains("price-pane"));
        assert_eq!(
            html.matches("<polyline class=\"ma1\"").count(),
            1,
            "MA 50 keeps its colour"
        );
        let month = preview(
            &s,
            &ChartView {
                range: Range::OneMonth,
                ..view
            },
            &[],
            false,
        );
        let days = month.matches("<g class=").count();
        assert!((28..=32).contains(&days), "one candle a day: {days}");
    }

    #[test]
    fn compare_is_in_percent_from_the_window_start_and_log_ticks_are_round() {
        let s = series(400);
        let other: Vec<DailyBar> = series(400)
            .into_iter()
            .map(|mut b| {
                b.close *= 2.0;
                b.symbol = Symbol::parse("MSFT").unwrap();
                b
            })
            .collect();
        let msft = Symbol::parse("MSFT").unwrap();
        let view = ChartView {
            compare: vec!["MSFT".into()],
            range: Range::OneYear,
            ..ChartView::default()
        };
        let html = preview(
            &s,
            &view,
            &[Compared {
                symbol: &msft,
                bars: &other,
            }],
            false,
        );
        assert!(html.contains(">IBM<") && html.contains(">MSFT<"), "{html}");
        assert!(html.contains(" %</span>"), "labels in %");
        let log = preview(
            &s,
            &ChartView {
                log: true,
                ..ChartView::default()
            },
            &[],
            false,
        );
        assert!(log.contains(">100</span>"), "a round tick on a log axis");
    }

    #[test]
    fn indicators_draw_over_the_prices_and_in_panes_placed_like_echarts_panes() {
        let s = series(5000);
        let view = ChartView {
            kind: ChartKind::Candles,
            ind: Indicator::ALL.to_vec(),
            ..ChartView::default()
        };
        let html = preview(&s, &view, &[], false);
        for part in [
            "<polygon class=\"bb\"",
            "<polyline class=\"bb-mid\"",
            "<polyline class=\"ema0\"",
            "<polyline class=\"ema1\"",
            "class=\"plot lower-pane rsi-pane\"",
            "class=\"plot lower-pane macd-pane\"",
            "<polyline class=\"rsi\"",
            "<polyline class=\"macd\"",
            "<polyline class=\"signal\"",
            ">RSI 14<",
            ">MACD 12, 26, 9<",
            ">30</span>",
            ">70</span>",
        ] {
            assert!(html.contains(part), "{part}");
        }
        // Prices, volume, RSI, MACD: the bottoms of the option's grids.
        let bottoms: Vec<String> = [
            price_bottom(3),
            pane_bottom(0, 3),
            pane_bottom(1, 3),
            pane_bottom(2, 3),
        ]
        .iter()
        .map(|b| format!("style=\"bottom:{b}px\""))
        .collect();
        let mut at = 0;
        for b in &bottoms {
            at += html[at..]
                .find(b.as_str())
                .unwrap_or_else(|| panic!("{b} in order"));
        }
        assert!(
            html.contains("class=\"key ema0\">EMA 20<") && html.contains("class=\"key bb\">BB<")
        );
        assert!(
            !html.contains("class=\"key rsi\""),
            "pane lines are named by their pane"
        );
        let bars = html
            .split("macd-pane")
            .nth(1)
            .unwrap()
            .matches("<rect")
            .count();
        assert!(bars <= PANE_BARS, "{bars} histogram bars");
        assert!(html.len() < 90_000, "{} bytes", html.len());
        // The dates stay under the lowest pane.
        let last = html.rfind("class=\"plot").unwrap();
        assert!(html[last..].contains("class=\"x\""));
    }

    #[test]
    fn nothing_to_draw_is_no_preview() {
        assert_eq!(preview(&[], &ChartView::default(), &[], false), "");
        let one = preview(&series(1), &ChartView::default(), &[], false);
        assert!(one.contains("points=\"500.0,"), "{one}");
    }
}
