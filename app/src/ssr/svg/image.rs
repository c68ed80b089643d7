//! A chart as a picture of its own: one SVG document, [`WIDTH`] × [`HEIGHT`] (the size
//! link previews use), with a caption above the plot, drawn from the same [`Drawing`]
//! as the page's first paint (the same lines, candles, panes and marks, by the same
//! code), its colours from a stylesheet the caller gives, its text in [`FONT_FAMILY`]
//! (the font shipped with the project, so it looks the same on every machine); [`png`]
//! turns it into pixels with resvg.
//!
//! resvg knows no `non-scaling-stroke`, so each pane's drawing is 1000 wide and exactly
//! as high as its shape in the picture (not stretched, as on the page): strokes keep
//! their width.

use super::axis::date_label_indices;
use super::{Drawing, Plot};
use crate::text::escape;

pub const WIDTH: f64 = 1200.0;
pub const HEIGHT: f64 = 630.0;
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Where the plot sits in the picture.
const LEFT: f64 = 100.0;
const RIGHT: f64 = 1168.0;
const TOP: f64 = 134.0;
const BOTTOM: f64 = 574.0;
/// A lower pane's height and the room above it for its name.
const PANE: f64 = 60.0;
const GAP: f64 = 24.0;

/// The words above the plot: the title ("IBM 143.20"), the change in its direction's
/// colour (`up`: the stylesheet's `.up`, else `.down`), and a line under them.
pub struct Caption<'a> {
    pub title: &'a str,
    pub change: Option<(&'a str, bool)>,
    pub note: &'a str,
}

/// The picture as SVG; `None` when there is nothing to draw. `style`: CSS for the
/// drawing's classes (`polyline.close`, `.up`, …), `.grid`, `.label` and `.muted`.
pub fn chart_svg(
    drawing: &Drawing,
    x_label: impl Fn(usize) -> String,
    caption: &Caption,
    style: &str,
) -> Option<String> {
    let mut plot = Plot::new(
        &drawing.lines,
        drawing.band.as_ref(),
        drawing.candles,
        drawing.scale,
    )?;
    let lower = usize::from(plot.groups.is_some()) + drawing.panes.len();
    let price_bottom = BOTTOM - lower as f64 * (PANE + GAP);
    plot.h = 1000.0 * (price_bottom - TOP) / (RIGHT - LEFT);
    let mut svg = String::with_capacity(64 * 1024);
    svg.push_str(&format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT_FAMILY}"><style>{style}</style><rect width="100%" height="100%" fill="#ffffff"/>"##
    ));
    caption_svg(&mut svg, caption);
    keys(&mut svg, drawing);
    price_pane(&mut svg, &plot, drawing, price_bottom - TOP);
    lower_panes(&mut svg, &plot, drawing, price_bottom + GAP);
    let indices = date_label_indices(plot.n);
    for (k, i) in indices.iter().enumerate() {
        let anchor = match k {
            0 => "start",
            k if k + 1 == indices.len() => "end",
            _ => "middle",
        };
        text(
            &mut svg,
            x_px(&plot, *i),
            BOTTOM + 30.0,
            anchor,
            "label",
            &x_label(*i),
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The legend, right-aligned on the caption's second line: a stroke of each named
/// line's colour and its name (the width of a name estimated from its length).
fn keys(svg: &mut String, drawing: &Drawing) {
    let named: Vec<(&str, &str)> = drawing
        .lines
        .iter()
        .filter(|l| !l.label.is_empty())
        .map(|l| (l.class, l.label.as_str()))
        .chain(drawing.band.iter().map(|b| (b.class, "BB")))
        .collect();
    let width = |label: &str| 26.0 + label.chars().count() as f64 * 8.2 + 16.0;
    let mut x = RIGHT - named.iter().map(|(_, l)| width(l)).sum::<f64>();
    for (class, label) in named {
        svg.push_str(&format!(
            r#"<polyline class="{class}" points="{x:.1},97 {:.1},97"/>"#,
            x + 20.0
        ));
        text(svg, x + 26.0, 102.0, "start", "muted", label);
        x += width(label);
    }
}

/// Where position `i` is across the picture.
fn x_px(plot: &Plot, i: usize) -> f64 {
    LEFT + plot.x_of(i as f64) * (RIGHT - LEFT) / 1000.0
}

/// The price pane, `height` px high under the caption: its drawing, its value labels,
/// the markers with their counts.
fn price_pane(svg: &mut String, plot: &Plot, drawing: &Drawing, height: f64) {
    let open_tag = open(TOP, height, plot.h);
    plot.price_svg(svg, &open_tag, &drawing.lines, drawing.band.as_ref());
    let to_px = |v: f64| TOP + plot.y_of(v) / plot.h * height;
    for tick in plot.axis.ticks() {
        let label = plot.axis.label(tick);
        text(svg, LEFT - 10.0, to_px(tick) + 5.0, "end", "label", &label);
    }
    for (i, value, count) in &drawing.marks {
        let (x, y) = (x_px(plot, *i), to_px(*value) - 14.0);
        svg.push_str(&format!(
            r#"<circle class="marker" cx="{x:.1}" cy="{y:.1}" r="10"/>"#
        ));
        text(
            svg,
            x,
            y + 4.0,
            "middle",
            "marker-count",
            &count.to_string(),
        );
    }
}

/// The panes under the prices from `top`: the volume, then each indicator's, each named
/// over it and labelled at its guides (or its ends).
fn lower_panes(svg: &mut String, plot: &Plot, drawing: &Drawing, mut top: f64) {
    let full = 1000.0 * PANE / (RIGHT - LEFT);
    if plot.groups.is_some() {
        plot.volume_svg(svg, &open(top, PANE, full), full);
        text(svg, LEFT, top - 6.0, "start", "muted", "Volume");
        top += PANE + GAP;
    }
    for pane in &drawing.panes {
        let x_of = |i| plot.x_of(i);
        let ((lo, hi), labelled) = pane.svg(svg, plot.n, &x_of, &open(top, PANE, full), full);
        text(svg, LEFT, top - 6.0, "start", "muted", pane.name);
        let nice = super::axis::NiceAxis::new(lo, hi);
        for value in labelled {
            let y = top + PANE - (value - lo) / (hi - lo) * PANE;
            text(
                svg,
                LEFT - 10.0,
                y + 5.0,
                "end",
                "label",
                &nice.label(value),
            );
        }
        top += PANE + GAP;
    }
}

/// A pane's SVG element at `top`, `height` px high, drawn in units 1000 wide and
/// `units` high (the same shape: nothing is stretched).
fn open(top: f64, height: f64, units: f64) -> String {
    format!(
        r#"<svg x="{LEFT}" y="{top:.1}" width="{:.1}" height="{height:.1}" viewBox="0 0 1000 {units:.1}" overflow="visible">"#,
        RIGHT - LEFT
    )
}

/// The caption: the title, the change beside it, the note under them.
fn caption_svg(svg: &mut String, caption: &Caption) {
    svg.push_str(&format!(
        r#"<text x="{LEFT}" y="66" class="title">{}"#,
        escape(caption.title)
    ));
    if let Some((change, up)) = caption.change {
        let class = if up { "up" } else { "down" };
        svg.push_str(&format!(
            r#"<tspan class="change {class}" dx="18">{}</tspan>"#,
            escape(change)
        ));
    }
    svg.push_str("</text>");
    text(svg, LEFT, 102.0, "start", "muted", caption.note);
}

/// One text element.
fn text(svg: &mut String, x: f64, y: f64, anchor: &str, class: &str, words: &str) {
    svg.push_str(&format!(
        r#"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" class="{class}">{}</text>"#,
        escape(words)
    ));
}

/// The picture's pixels as PNG, its text in `font` (a TrueType font's bytes: the
/// family [`FONT_FAMILY`]; read once, on the first picture, and kept).
pub fn png(svg: &str, font: &'static [u8]) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> =
        std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(font.to_vec());
        std::sync::Arc::new(fonts)
    });
    let options = usvg::Options {
        fontdb: fonts.clone(),
        font_family: FONT_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("the chart's SVG: {e}"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH as u32, HEIGHT as u32)
        .ok_or_else(|| "no room for the picture".to_string())?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| format!("the chart's PNG: {e}"))
}
