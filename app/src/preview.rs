//! The chart as it appears in the first paint: SVG and a few labels, written by the
//! server into the page so the prices show before any script has run (and with
//! JavaScript off). ECharts then draws over it in the same box and the preview is
//! cleared; the box has a fixed size, so nothing on the page moves.
//!
//! It draws what [`crate::chart::chart_option`] draws at its default range (all days):
//! the open and close lines in the same colours (light and dark, by CSS), the legend, a
//! "nice" value axis and dates under the plot. Each line is reduced to
//! [`PREVIEW_POINTS`] points by Largest-Triangle-Three-Buckets (the `lttb` crate),
//! about the plot's width in pixels, which keeps its shape: peaks and troughs stay.

use crate::chart_option::{aligned_closes, moving_average, rebased, ChartInput};
use crate::chart_view::{ChartKind, MA_PERIODS};
use store::DailyBar;

/// Points per line after downsampling.
pub const PREVIEW_POINTS: usize = 800;

/// Candles drawn at most: more days are grouped (first open, highest high, lowest low,
/// last close, summed volume), as a wider time frame would show them.
pub const PREVIEW_CANDLES: usize = 160;

/// The preview of what the chart shows first for `input` (its range's window, its
/// kind, averages and compared symbols, its scale); empty when there is nothing to draw.
pub fn chart_preview_html(input: &ChartInput) -> String {
    let bars = input.bars;
    let view = input.view;
    let start = view.range.start_index(bars);
    let window = &bars[start..];
    let x_label = |i: usize| window[i].date.to_string();
    let symbol = input.symbol;
    if window.is_empty() {
        return String::new();
    }
    if view.comparing() {
        let mut lines = vec![(
            symbol.to_string(),
            rebased(
                &bars.iter().map(|b| Some(b.close)).collect::<Vec<_>>(),
                start,
            ),
        )];
        for other in input.compared {
            lines.push((
                other.symbol.to_string(),
                rebased(&aligned_closes(bars, other.bars), start),
            ));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .map(|(k, (label, values))| Line {
                label,
                class: COMPARE_CLASSES[k % COMPARE_CLASSES.len()],
                values: values[start..].to_vec(),
            })
            .collect();
        return chart_html(&lines, None, Scale::Percent, x_label);
    }
    let averages = view.ma.iter().map(|period| Line {
        label: format!("MA {period}"),
        class: MA_CLASSES[MA_PERIODS.iter().position(|p| p == period).unwrap_or(0)],
        values: moving_average(bars, usize::from(*period))[start..].to_vec(),
    });
    let scale = if view.log { Scale::Log } else { Scale::Linear };
    if view.kind == ChartKind::Candles {
        let lines: Vec<Line> = averages.collect();
        return chart_html(&lines, Some(window), scale, x_label);
    }
    let column = |label: String, class, f: fn(&DailyBar) -> f64| Line {
        label,
        class,
        values: window.iter().map(|b| Some(f(b))).collect(),
    };
    let mut lines = Vec::new();
    if input.line_open {
        lines.push(column(format!("{symbol} open"), "open", |b| b.open));
    }
    lines.push(column(format!("{symbol} close"), "close", |b| b.close));
    lines.extend(averages);
    chart_html(&lines, None, scale, x_label)
}

const MA_CLASSES: [&str; 3] = ["ma0", "ma1", "ma2"];
const COMPARE_CLASSES: [&str; 5] = ["cmp0", "cmp1", "cmp2", "cmp3", "cmp4"];

/// One line of a chart: its legend, its CSS class (the colour), its values, one per x
/// position (`None` where it has none, as a moving average before its first window).
pub struct Line {
    pub label: String,
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

/// How values map to heights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    Linear,
    Log,
    /// Linear, labelled in %.
    Percent,
}

/// Lines over a common x axis as SVG with a legend, a "nice" value axis and a handful
/// of x labels (`x_label(i)` for position `i`); each line reduced to
/// [`PREVIEW_POINTS`] points. Empty when there is nothing to draw.
pub fn line_chart_html(lines: &[Line], x_label: impl Fn(usize) -> String) -> String {
    chart_html(lines, None, Scale::Linear, x_label)
}

/// [`line_chart_html`] with candles and a volume pane under them when `candles` is
/// given (the x positions are then its days), on `scale`.
fn chart_html(
    lines: &[Line],
    candles: Option<&[DailyBar]>,
    scale: Scale,
    x_label: impl Fn(usize) -> String,
) -> String {
    let n = lines
        .iter()
        .map(|l| l.values.len())
        .chain(candles.map(<[DailyBar]>::len))
        .max()
        .unwrap_or(0);
    if n == 0 {
        return String::new();
    }
    let grouped = candles.map(|c| group(c, PREVIEW_CANDLES));
    let values = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .chain(grouped.iter().flatten().flat_map(|g| [g.low, g.high]))
        .filter(|v| scale != Scale::Log || *v > 0.0);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return String::new();
    }
    let axis = ValueAxis::new(lo, hi, scale);
    let x_of = |i: f64| {
        if n == 1 {
            500.0
        } else {
            i * 1000.0 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| 1000.0 - axis.fraction(v) * 1000.0;
    let points = |values: &[Option<f64>]| -> String {
        let points: Vec<lttb::DataPoint> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                v.filter(|v| scale != Scale::Log || *v > 0.0)
                    .map(|v| lttb::DataPoint::new(x_of(i as f64), y_of(v)))
            })
            .collect();
        let kept = if points.len() > PREVIEW_POINTS {
            lttb::lttb(points, PREVIEW_POINTS)
        } else {
            points
        };
        let mut out = String::with_capacity(kept.len() * 11);
        for p in kept {
            out.push_str(&format!("{:.1},{:.1} ", p.x, p.y));
        }
        out.pop();
        out
    };

    let mut html = String::with_capacity(24 * 1024);
    html.push_str(r#"<div class="legend">"#);
    if let Some(first) = candles.and_then(|c| c.first()) {
        html.push_str(&format!(
            r#"<span class="key up">{}</span><span class="key down">Volume</span>"#,
            escape(first.symbol.as_str())
        ));
    }
    for line in lines {
        html.push_str(&format!(
            r#"<span class="key {}">{}</span>"#,
            line.class,
            escape(&line.label)
        ));
    }
    let pane = if candles.is_some() { " price-pane" } else { "" };
    html.push_str(&format!(r#"</div><div class="plot{pane}">"#));
    html.push_str(r#"<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" focusable="false">"#);
    for tick in axis.ticks() {
        html.push_str(&format!(
            r#"<line class="grid" x1="0" x2="1000" y1="{y:.1}" y2="{y:.1}"/>"#,
            y = y_of(tick)
        ));
    }
    if let (Some(groups), Some(days)) = (&grouped, candles) {
        // Each group's candle sits over its days.
        let per = days.len() as f64 / groups.len() as f64;
        let width = (1000.0 / groups.len() as f64 * 0.6).max(0.5);
        for (k, g) in groups.iter().enumerate() {
            let x = x_of((k as f64 + 0.5) * per - 0.5);
            let class = if g.close >= g.open { "up" } else { "down" };
            let (top, bottom) = (y_of(g.open.max(g.close)), y_of(g.open.min(g.close)));
            html.push_str(&format!(
                r#"<g class="{class}"><line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"/><rect x="{:.1}" y="{top:.1}" width="{width:.1}" height="{:.1}"/></g>"#,
                y_of(g.high),
                y_of(g.low),
                x - width / 2.0,
                (bottom - top).max(1.0),
            ));
        }
    }
    for line in lines {
        html.push_str(&format!(
            r#"<polyline class="{}" points="{}"/>"#,
            line.class,
            points(&line.values)
        ));
    }
    html.push_str("</svg>");
    for tick in axis.ticks() {
        html.push_str(&format!(
            r#"<span class="y" style="top:{:.2}%">{}</span>"#,
            y_of(tick) / 10.0,
            axis.label(tick)
        ));
    }
    if let (Some(groups), Some(days)) = (&grouped, candles) {
        html.push_str(r#"</div><div class="plot volume-pane">"#);
        html.push_str(
            r#"<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" focusable="false">"#,
        );
        let most = groups.iter().map(|g| g.volume).fold(0.0, f64::max);
        let per = days.len() as f64 / groups.len() as f64;
        let width = (1000.0 / groups.len() as f64 * 0.6).max(0.5);
        for (k, g) in groups.iter().enumerate() {
            let x = x_of((k as f64 + 0.5) * per - 0.5);
            let h = if most > 0.0 {
                g.volume / most * 1000.0
            } else {
                0.0
            };
            html.push_str(&format!(
                r#"<rect class="{}" x="{:.1}" y="{:.1}" width="{width:.1}" height="{h:.1}"/>"#,
                if g.close >= g.open { "up" } else { "down" },
                x - width / 2.0,
                1000.0 - h,
            ));
        }
        html.push_str("</svg>");
    }
    // Every other label is minor: a phone shows only the first, middle and last.
    for (k, i) in date_label_indices(n).into_iter().enumerate() {
        html.push_str(&format!(
            r#"<span class="x{}" style="left:{:.2}%">{}</span>"#,
            if k % 2 == 1 { " minor" } else { "" },
            x_of(i as f64) / 10.0,
            escape(&x_label(i))
        ));
    }
    html.push_str("</div>");
    html
}

/// Days grouped into at most `most` candles.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Group {
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
}

fn group(days: &[DailyBar], most: usize) -> Vec<Group> {
    let per = days.len().div_ceil(most.max(1)).max(1);
    days.chunks(per)
        .map(|chunk| Group {
            open: chunk[0].open,
            close: chunk[chunk.len() - 1].close,
            high: chunk
                .iter()
                .map(|b| b.high)
                .fold(f64::NEG_INFINITY, f64::max),
            low: chunk.iter().map(|b| b.low).fold(f64::INFINITY, f64::min),
            volume: chunk.iter().map(|b| b.volume).sum(),
        })
        .collect()
}

/// The value axis: round linear ticks ([`NiceAxis`]), or 1-2-5 ticks on a log axis.
struct ValueAxis {
    scale: Scale,
    linear: NiceAxis,
    log: (f64, f64),
}

impl ValueAxis {
    fn new(lo: f64, hi: f64, scale: Scale) -> ValueAxis {
        let (llo, lhi) = if lo > 0.0 {
            let (a, b) = (lo.log10(), hi.log10());
            if b > a {
                (a, b)
            } else {
                (a - 0.5, b + 0.5)
            }
        } else {
            (0.0, 1.0)
        };
        ValueAxis {
            scale,
            linear: NiceAxis::new(lo, hi),
            log: (llo, lhi),
        }
    }

    /// Where `v` sits, 0 at the bottom and 1 at the top.
    fn fraction(&self, v: f64) -> f64 {
        match self.scale {
            Scale::Log => {
                (v.max(f64::MIN_POSITIVE).log10() - self.log.0) / (self.log.1 - self.log.0)
            }
            _ => (v - self.linear.min) / (self.linear.max - self.linear.min),
        }
    }

    fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Log => {
                let (lo, hi) = (10f64.powf(self.log.0), 10f64.powf(self.log.1));
                let mut ticks = Vec::new();
                let mut magnitude = 10f64.powf(self.log.0.floor());
                while magnitude <= hi {
                    for m in [1.0, 2.0, 5.0] {
                        let t = m * magnitude;
                        if t >= lo && t <= hi {
                            ticks.push(t);
                        }
                    }
                    magnitude *= 10.0;
                }
                ticks
            }
            _ => self.linear.ticks().collect(),
        }
    }

    fn label(&self, value: f64) -> String {
        match self.scale {
            Scale::Log => {
                let decimals = if value >= 1.0 {
                    0
                } else {
                    (-value.log10().floor()) as usize
                };
                format!("{value:.decimals$}")
            }
            Scale::Percent => format!("{} %", self.linear.label(value)),
            Scale::Linear => self.linear.label(value),
        }
    }
}

/// Where ECharts' category axis would put a handful of date labels: evenly spaced,
/// first and last included.
fn date_label_indices(n: usize) -> Vec<usize> {
    const LABELS: usize = 5;
    if n <= LABELS {
        return (0..n).collect();
    }
    (0..LABELS).map(|k| k * (n - 1) / (LABELS - 1)).collect()
}

/// A value axis with round bounds and 1-2-5 steps, as ECharts' `scale: true` axis.
#[derive(Debug, PartialEq)]
struct NiceAxis {
    min: f64,
    max: f64,
    step: f64,
}

impl NiceAxis {
    fn new(lo: f64, hi: f64) -> NiceAxis {
        let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
        let rough = span / 5.0;
        let magnitude = 10f64.powf(rough.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= rough)
            .unwrap_or(10.0 * magnitude);
        let mut min = (lo / step).floor() * step;
        let mut max = (hi / step).ceil() * step;
        if max <= min {
            min -= step;
            max += step;
        }
        NiceAxis { min, max, step }
    }

    fn ticks(&self) -> impl Iterator<Item = f64> + '_ {
        let count = ((self.max - self.min) / self.step).round() as usize;
        (0..=count).map(move |k| self.min + k as f64 * self.step)
    }

    fn label(&self, value: f64) -> String {
        let decimals = if self.step >= 1.0 {
            0
        } else {
            (-self.step.log10().floor()) as usize
        };
        format!("{value:.decimals$}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Range;
    use crate::chart_option::Compared;
    use crate::chart_view::ChartView;
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

    #[test]
    fn axes_are_round_and_cover_the_data() {
        let axis = NiceAxis::new(80.3, 121.2);
        assert_eq!(
            axis,
            NiceAxis {
                min: 80.0,
                max: 130.0,
                step: 10.0
            }
        );
        assert_eq!(axis.ticks().count(), 6);
        let small = NiceAxis::new(0.1234, 0.1301);
        assert!(small.min <= 0.1234 && small.max >= 0.1301, "{small:?}");
        assert_eq!(small.label(small.min), format!("{:.3}", small.min));
        let flat = NiceAxis::new(5.0, 5.0);
        assert!(flat.min < 5.0 && flat.max > 5.0, "{flat:?}");
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
    fn nothing_to_draw_is_no_preview() {
        assert_eq!(preview(&[], &ChartView::default(), &[], false), "");
        let one = preview(&series(1), &ChartView::default(), &[], false);
        assert!(one.contains("points=\"500.0,"), "{one}");
    }
}
