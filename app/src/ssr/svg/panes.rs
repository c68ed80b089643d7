//! The server's drawing of the panes under the prices that indicators add (RSI with
//! its 30/70 guides, MACD with its histogram), and of a band over the prices
//! (Bollinger): the first paint of what `chart/ssr/panes.rs` asks ECharts to draw.

use super::axis::NiceAxis;
use super::{reduce, Line, SVG_OPEN, THIN_POINTS};
use crate::text::escape;

/// A band filled between two lines over the prices (drawn under the lines).
pub struct Band {
    pub class: &'static str,
    pub upper: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
}

/// A pane under the prices: its lines, its histogram (signed values, drawn from zero in
/// the direction's colour) and its axis.
pub struct Pane {
    /// Its CSS class and name (shown over it).
    pub class: &'static str,
    pub name: &'static str,
    pub lines: Vec<Line>,
    pub bars: Vec<Option<f64>>,
    /// A fixed range with its only labelled lines (RSI: 0–100, 30 and 70); otherwise the
    /// data's range, labelled at its ends.
    pub fixed: Option<((f64, f64), Vec<f64>)>,
}

/// Bars in a pane at most: more days are grouped (the last value of each group).
pub const PANE_BARS: usize = 200;

impl Pane {
    /// The pane over `n` x positions, its name and labels as HTML over it.
    pub fn html(&self, html: &mut String, n: usize, x_of: impl Fn(f64) -> f64) {
        let (range, labelled) = self.svg(html, n, &x_of, SVG_OPEN, 1000.0);
        html.push_str(&format!(
            r#"<span class="pane-name">{}</span>"#,
            escape(self.name)
        ));
        let nice = NiceAxis::new(range.0, range.1);
        for value in labelled {
            let top = 100.0 - (value - range.0) / (range.1 - range.0) * 100.0;
            html.push_str(&format!(
                r#"<span class="y" style="top:{top:.2}%">{}</span>"#,
                nice.label(value)
            ));
        }
    }

    /// The pane's SVG (`open` starts it, `full` is its height in its units): guide
    /// lines, histogram, lines. Returns its value range and the values to label.
    pub fn svg(
        &self,
        html: &mut String,
        n: usize,
        x_of: &impl Fn(f64) -> f64,
        open: &str,
        full: f64,
    ) -> ((f64, f64), Vec<f64>) {
        let values = self
            .lines
            .iter()
            .flat_map(|l| l.values.iter().flatten())
            .chain(self.bars.iter().flatten())
            .copied();
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let ((lo, hi), labelled) = match &self.fixed {
            Some((range, guides)) => (*range, guides.clone()),
            None if lo.is_finite() => {
                let axis = NiceAxis::new(lo.min(0.0), hi.max(0.0));
                ((axis.min, axis.max), vec![axis.min, axis.max])
            }
            None => ((0.0, 1.0), Vec::new()),
        };
        let y_of = |v: f64| full - (v - lo) / (hi - lo) * full;
        html.push_str(open);
        for guide in &labelled {
            html.push_str(&format!(
                r#"<line class="grid" x1="0" x2="1000" y1="{y:.1}" y2="{y:.1}"/>"#,
                y = y_of(*guide)
            ));
        }
        self.bars_svg(html, n, x_of, &y_of);
        for line in &self.lines {
            html.push_str(&format!(
                r#"<polyline class="{}" points="{}"/>"#,
                line.class,
                reduce(&line.values, THIN_POINTS, x_of, &y_of)
            ));
        }
        html.push_str("</svg>");
        ((lo, hi), labelled)
    }

    /// The histogram: at most [`PANE_BARS`] bars from the zero line.
    fn bars_svg(
        &self,
        html: &mut String,
        n: usize,
        x_of: &impl Fn(f64) -> f64,
        y_of: &impl Fn(f64) -> f64,
    ) {
        if self.bars.iter().all(Option::is_none) {
            return;
        }
        let per = n.div_ceil(PANE_BARS).max(1);
        let width = (1000.0 / n.div_ceil(per) as f64 * 0.6).max(0.5);
        let zero = y_of(0.0);
        for (k, chunk) in self.bars.chunks(per).enumerate() {
            let Some(v) = chunk.iter().rev().flatten().next() else {
                continue;
            };
            let (x, y) = (x_of((k * per + chunk.len() / 2) as f64), y_of(*v));
            html.push_str(&format!(
                r#"<rect class="{}" x="{:.1}" y="{:.1}" width="{width:.1}" height="{:.1}"/>"#,
                if *v >= 0.0 { "up" } else { "down" },
                x - width / 2.0,
                y.min(zero),
                (y - zero).abs().max(0.5),
            ));
        }
    }
}

impl Band {
    /// The band as one filled polygon: the upper line left to right, the lower back.
    pub fn svg(&self, html: &mut String, x_of: impl Fn(f64) -> f64, y_of: impl Fn(f64) -> f64) {
        let upper = reduce(&self.upper, THIN_POINTS, &x_of, &y_of);
        let lower = reduce(&self.lower, THIN_POINTS, &x_of, &y_of);
        if upper.is_empty() || lower.is_empty() {
            return;
        }
        let back: Vec<&str> = lower.split(' ').rev().collect();
        html.push_str(&format!(
            r#"<polygon class="{}" points="{upper} {}"/>"#,
            self.class,
            back.join(" ")
        ));
    }
}
