//! Charts drawn by the server as SVG and a few labels, written into the page so the
//! data shows before any script has run (and with JavaScript off): the price chart's
//! first paint (see [`crate::chart::ssr::preview`]) and the weather history.
//!
//! Each line is reduced to [`PREVIEW_POINTS`] points by Largest-Triangle-Three-Buckets
//! (the `lttb` crate), about the plot's width in pixels, which keeps its shape: peaks
//! and troughs stay. Candles are grouped to at most [`PREVIEW_CANDLES`]. The plot is a
//! 1000 × 1000 box stretched by CSS; labels are HTML placed in % over it.

pub mod axis;
pub mod image;
pub mod panes;

use crate::text::escape;
use axis::{date_label_indices, ValueAxis};
use panes::{Band, Pane};
use store::DailyBar;

/// Points per line after downsampling.
pub const PREVIEW_POINTS: usize = 800;

/// Candles drawn at most: more days are grouped (first open, highest high, lowest low,
/// last close, summed volume), as a wider time frame would show them.
pub const PREVIEW_CANDLES: usize = 160;

/// One line of a chart: its legend (none when empty), its CSS class (the colour), its values, one per x
/// position (`None` where it has none, as a moving average before its first window).
pub struct Line {
    pub label: String,
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
    /// Drawn with [`THIN_POINTS`] (an indicator's line, a pane's), not [`PREVIEW_POINTS`].
    pub thin: bool,
}

/// Points per indicator line after downsampling.
pub const THIN_POINTS: usize = 400;

/// How values map to heights.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Scale {
    #[default]
    Linear,
    Log,
    /// Linear, labelled in %.
    Percent,
}

pub(crate) const SVG_OPEN: &str =
    r#"<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" focusable="false">"#;

/// Lines over a common x axis as SVG with a legend, a "nice" value axis and a handful
/// of x labels (`x_label(i)` for position `i`); each line reduced to
/// [`PREVIEW_POINTS`] points. Empty when there is nothing to draw.
pub fn line_chart_html(lines: Vec<Line>, x_label: impl Fn(usize) -> String) -> String {
    chart_html(
        &Drawing {
            lines,
            ..Drawing::default()
        },
        x_label,
    )
}

/// What a chart draws: lines over the prices (and a band under them), candles with a
/// volume pane under them when `candles` is given (the x positions are then its days),
/// more panes under those, on `scale`.
#[derive(Default)]
pub struct Drawing<'a> {
    pub lines: Vec<Line>,
    pub band: Option<Band>,
    pub candles: Option<&'a [DailyBar]>,
    pub scale: Scale,
    pub panes: Vec<Pane>,
    /// The price pane's bottom and each lower pane's (the volume first), in px from the
    /// box's bottom, when there are lower panes (the stylesheet places one volume pane
    /// by itself).
    pub bottoms: Vec<i64>,
    /// Markers over the prices: the x position, the value it sits on, the number in it.
    pub marks: Vec<(usize, f64, u32)>,
}

/// The [`Drawing`] as HTML and SVG (see [`line_chart_html`]).
pub fn chart_html(drawing: &Drawing, x_label: impl Fn(usize) -> String) -> String {
    let (lines, candles, scale) = (&drawing.lines, drawing.candles, drawing.scale);
    let Some(plot) = Plot::new(lines, drawing.band.as_ref(), candles, scale) else {
        return String::new();
    };
    let mut html = String::with_capacity(24 * 1024);
    legend(&mut html, lines, drawing.band.as_ref(), candles);
    let lower = candles.is_some() || !drawing.panes.is_empty();
    let bottom = |k: usize| {
        drawing
            .bottoms
            .get(k)
            .map(|b| format!(r#" style="bottom:{b}px""#))
            .unwrap_or_default()
    };
    let pane = if lower { " price-pane" } else { "" };
    html.push_str(&format!(r#"<div class="plot{pane}"{}>"#, bottom(0)));
    plot.price_svg(&mut html, SVG_OPEN, lines, drawing.band.as_ref());
    plot.value_labels(&mut html);
    plot.marks(&mut html, &drawing.marks);
    let mut k = 1;
    if plot.groups.is_some() {
        html.push_str(&format!(
            r#"</div><div class="plot volume-pane"{}>"#,
            bottom(k)
        ));
        plot.volume_svg(&mut html, SVG_OPEN, 1000.0);
        k += 1;
    }
    for p in &drawing.panes {
        html.push_str(&format!(
            r#"</div><div class="plot lower-pane {}"{}>"#,
            p.class,
            bottom(k)
        ));
        p.html(&mut html, plot.n, |i| plot.x_of(i));
        k += 1;
    }
    plot.date_labels(&mut html, x_label);
    html.push_str("</div>");
    html
}

/// A line's points, `x,y x,y …`, reduced to `most` by LTTB.
pub(crate) fn reduce(
    values: &[Option<f64>],
    most: usize,
    x_of: &impl Fn(f64) -> f64,
    y_of: &impl Fn(f64) -> f64,
) -> String {
    let points: Vec<lttb::DataPoint> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| lttb::DataPoint::new(x_of(i as f64), y_of(v))))
        .collect();
    let kept = if points.len() > most {
        lttb::lttb(points, most)
    } else {
        points
    };
    let mut out = String::with_capacity(kept.len() * 11);
    for p in kept {
        out.push_str(&format!("{:.1},{:.1} ", p.x, p.y));
    }
    out.pop();
    out
}

/// The legend: the candles' and the volume's keys first, then each line's, then the band's.
fn legend(html: &mut String, lines: &[Line], band: Option<&Band>, candles: Option<&[DailyBar]>) {
    html.push_str(r#"<div class="legend">"#);
    if let Some(first) = candles.and_then(|c| c.first()) {
        html.push_str(&format!(
            r#"<span class="key up">{}</span><span class="key down">Volume</span>"#,
            escape(first.symbol.as_str())
        ));
    }
    for line in lines.iter().filter(|l| !l.label.is_empty()) {
        html.push_str(&format!(
            r#"<span class="key {}">{}</span>"#,
            line.class,
            escape(&line.label)
        ));
    }
    if let Some(band) = band {
        html.push_str(&format!(r#"<span class="key {}">BB</span>"#, band.class));
    }
    html.push_str("</div>");
}

/// Where things go in the 1000 × 1000 box: `n` x positions, the value axis, and the
/// candles' groups when there are candles.
struct Plot {
    n: usize,
    scale: Scale,
    axis: ValueAxis,
    /// The groups and how many days each stands for.
    groups: Option<(Vec<Group>, f64)>,
    /// The price pane's height in the drawing's units (1000 on the page, stretched by
    /// CSS; the image's pane is 1000 wide and as high as its shape).
    h: f64,
}

impl Plot {
    /// `None` when there is nothing to draw.
    fn new(
        lines: &[Line],
        band: Option<&Band>,
        candles: Option<&[DailyBar]>,
        scale: Scale,
    ) -> Option<Plot> {
        let n = lines
            .iter()
            .map(|l| l.values.len())
            .chain(candles.map(<[DailyBar]>::len))
            .max()
            .filter(|n| *n > 0)?;
        let groups = candles.map(|days| {
            let groups = group(days, PREVIEW_CANDLES);
            let per = days.len() as f64 / groups.len() as f64;
            (groups, per)
        });
        let values = lines
            .iter()
            .flat_map(|l| l.values.iter().flatten().copied())
            .chain(
                band.iter()
                    .flat_map(|b| b.upper.iter().chain(&b.lower).flatten().copied()),
            )
            .chain(
                groups
                    .iter()
                    .flat_map(|(g, _)| g.iter().flat_map(|g| [g.low, g.high])),
            )
            .filter(|v| scale != Scale::Log || *v > 0.0);
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        lo.is_finite().then(|| Plot {
            n,
            scale,
            axis: ValueAxis::new(lo, hi, scale),
            groups,
            h: 1000.0,
        })
    }

    fn x_of(&self, i: f64) -> f64 {
        if self.n == 1 {
            500.0
        } else {
            i * 1000.0 / (self.n - 1) as f64
        }
    }

    fn y_of(&self, v: f64) -> f64 {
        self.h - self.axis.fraction(v) * self.h
    }

    /// A line's points, `x,y x,y …`, reduced to [`PREVIEW_POINTS`] (none ≤ 0 on a log
    /// axis).
    fn points(&self, line: &Line) -> String {
        let drawable: Vec<Option<f64>> = line
            .values
            .iter()
            .map(|v| v.filter(|v| self.scale != Scale::Log || *v > 0.0))
            .collect();
        let most = if line.thin {
            THIN_POINTS
        } else {
            PREVIEW_POINTS
        };
        reduce(&drawable, most, &|i| self.x_of(i), &|v| self.y_of(v))
    }

    /// Each group's centre and the width of its candle or bar.
    fn slots(&self) -> Vec<(f64, f64, &Group)> {
        let Some((groups, per)) = &self.groups else {
            return Vec::new();
        };
        let width = (1000.0 / groups.len() as f64 * 0.6).max(0.5);
        groups
            .iter()
            .enumerate()
            .map(|(k, g)| (self.x_of((k as f64 + 0.5) * per - 0.5), width, g))
            .collect()
    }

    /// The price pane: grid lines, the band, candles, then the lines over them.
    fn price_svg(&self, html: &mut String, open: &str, lines: &[Line], band: Option<&Band>) {
        html.push_str(open);
        for tick in self.axis.ticks() {
            html.push_str(&format!(
                r#"<line class="grid" x1="0" x2="1000" y1="{y:.1}" y2="{y:.1}"/>"#,
                y = self.y_of(tick)
            ));
        }
        if let Some(band) = band {
            band.svg(html, |i| self.x_of(i), |v| self.y_of(v));
        }
        for (x, width, g) in self.slots() {
            let (top, bottom) = (
                self.y_of(g.open.max(g.close)),
                self.y_of(g.open.min(g.close)),
            );
            html.push_str(&format!(
                r#"<g class="{}"><line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"/><rect x="{:.1}" y="{top:.1}" width="{width:.1}" height="{:.1}"/></g>"#,
                g.class(),
                self.y_of(g.high),
                self.y_of(g.low),
                x - width / 2.0,
                (bottom - top).max(1.0),
            ));
        }
        for line in lines {
            html.push_str(&format!(
                r#"<polyline class="{}" points="{}"/>"#,
                line.class,
                self.points(line)
            ));
        }
        html.push_str("</svg>");
    }

    /// The markers, placed in % over the plot: a badge with the day's number in it, its
    /// point on the value, the count in words for a pointer's hover.
    fn marks(&self, html: &mut String, marks: &[(usize, f64, u32)]) {
        for (i, value, count) in marks {
            let words = if *count == 1 { "headline" } else { "headlines" };
            html.push_str(&format!(
                r#"<span class="marker" style="left:{:.2}%;top:{:.2}%" title="{count} {words}">{count}</span>"#,
                self.x_of(*i as f64) / 10.0,
                self.y_of(*value) / self.h * 100.0,
            ));
        }
    }

    /// The value axis' labels, beside its grid lines.
    fn value_labels(&self, html: &mut String) {
        for tick in self.axis.ticks() {
            html.push_str(&format!(
                r#"<span class="y" style="top:{:.2}%">{}</span>"#,
                self.y_of(tick) / self.h * 100.0,
                self.axis.label(tick)
            ));
        }
    }

    /// The volume pane under candles: one bar per group, the highest full height.
    /// `open` starts its SVG, `full` is its height in the SVG's units.
    fn volume_svg(&self, html: &mut String, open: &str, full: f64) {
        html.push_str(open);
        let slots = self.slots();
        let most = slots.iter().map(|(_, _, g)| g.volume).fold(0.0, f64::max);
        for (x, width, g) in slots {
            let h = if most > 0.0 {
                g.volume / most * full
            } else {
                0.0
            };
            html.push_str(&format!(
                r#"<rect class="{}" x="{:.1}" y="{:.1}" width="{width:.1}" height="{h:.1}"/>"#,
                g.class(),
                x - width / 2.0,
                full - h,
            ));
        }
        html.push_str("</svg>");
    }

    /// A handful of x labels. Every other one is minor: a phone shows only the first,
    /// middle and last.
    fn date_labels(&self, html: &mut String, x_label: impl Fn(usize) -> String) {
        for (k, i) in date_label_indices(self.n).into_iter().enumerate() {
            html.push_str(&format!(
                r#"<span class="x{}" style="left:{:.2}%">{}</span>"#,
                if k % 2 == 1 { " minor" } else { "" },
                self.x_of(i as f64) / 10.0,
                escape(&x_label(i))
            ));
        }
    }
}

/// Days grouped into one candle.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Group {
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
}

impl Group {
    /// Its colour: `up` when it closed at or above its open.
    fn class(&self) -> &'static str {
        if self.close >= self.open {
            "up"
        } else {
            "down"
        }
    }
}

/// `days` grouped into at most `most` candles.
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
