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

use store::{PriceSeries, Symbol};

/// Points per line after downsampling.
pub const PREVIEW_POINTS: usize = 800;

/// The preview's HTML (an SVG plot with HTML labels), empty when there is nothing to
/// draw. Every piece of text in it is ours or escaped.
pub fn preview_html(symbol: &Symbol, series: &PriceSeries) -> String {
    line_chart_html(
        &[
            Line {
                label: format!("{symbol} open"),
                class: "open",
                values: &series.open,
            },
            Line {
                label: format!("{symbol} close"),
                class: "close",
                values: &series.close,
            },
        ],
        |i| series.dates[i].to_string(),
    )
}

/// One line of a [`line_chart_html`] chart: its legend, its CSS class (the colour), its
/// values, one per x position.
pub struct Line<'a> {
    pub label: String,
    pub class: &'static str,
    pub values: &'a [f64],
}

/// Lines over a common x axis as SVG with a legend, a "nice" value axis and a handful
/// of x labels (`x_label(i)` for position `i`); each line reduced to
/// [`PREVIEW_POINTS`] points. Empty when there is nothing to draw.
pub fn line_chart_html(lines: &[Line], x_label: impl Fn(usize) -> String) -> String {
    let n = lines.iter().map(|l| l.values.len()).max().unwrap_or(0);
    if n == 0 {
        return String::new();
    }
    let values = lines.iter().flat_map(|l| l.values.iter().copied());
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let axis = NiceAxis::new(lo, hi);
    let x_of = |i: usize| {
        if n == 1 {
            500.0
        } else {
            i as f64 * 1000.0 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| 1000.0 - (v - axis.min) / (axis.max - axis.min) * 1000.0;
    let points = |values: &[f64]| -> String {
        let points: Vec<lttb::DataPoint> = values
            .iter()
            .enumerate()
            .map(|(i, v)| lttb::DataPoint::new(x_of(i), y_of(*v)))
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
    for line in lines {
        html.push_str(&format!(
            r#"<span class="key {}">{}</span>"#,
            line.class,
            escape(&line.label)
        ));
    }
    html.push_str(r#"</div><div class="plot">"#);
    html.push_str(r#"<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" focusable="false">"#);
    for tick in axis.ticks() {
        html.push_str(&format!(
            r#"<line class="grid" x1="0" x2="1000" y1="{y:.1}" y2="{y:.1}"/>"#,
            y = y_of(tick)
        ));
    }
    for line in lines {
        html.push_str(&format!(
            r#"<polyline class="{}" points="{}"/>"#,
            line.class,
            points(line.values)
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
    // Every other label is minor: a phone shows only the first, middle and last.
    for (k, i) in date_label_indices(n).into_iter().enumerate() {
        html.push_str(&format!(
            r#"<span class="x{}" style="left:{:.2}%">{}</span>"#,
            if k % 2 == 1 { " minor" } else { "" },
            x_of(i) / 10.0,
            escape(&x_label(i))
        ));
    }
    html.push_str("</div>");
    html
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
    use chrono::NaiveDate;

    fn series(days: usize) -> PriceSeries {
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

    #[test]
    fn a_long_series_is_reduced_to_the_plot_width_keeping_its_ends() {
        let s = series(5000);
        let html = preview_html(&Symbol::parse("IBM").unwrap(), &s);
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
    }

    #[test]
    fn nothing_to_draw_is_no_preview() {
        assert_eq!(
            preview_html(&Symbol::parse("IBM").unwrap(), &PriceSeries::default()),
            ""
        );
        let one = preview_html(&Symbol::parse("IBM").unwrap(), &series(1));
        assert!(one.contains("points=\"500.0,"), "{one}");
    }
}
