//! The chart as a picture (`/chart.svg`, `/chart.png`): the same drawing as the page's
//! first paint ([`super::preview::chart_drawing`]), 1200 × 630 in the light scheme, with
//! a caption: the symbol, its last close and the day's change, and what it shows.
//!
//! The text is in DejaVu Sans, shipped as `app/fonts/DejaVuSans-subset.ttf` (Latin,
//! digits, the arrows and signs the caption uses: 40 KB, made with fonttools'
//! `pyftsubset` from Debian's `fonts-dejavu-core`; licence beside it), so the picture
//! is the same on every machine and the Lambda zip stays small.

use crate::chart::change::{percent_change, Direction};
use crate::chart::ssr::option::ChartInput;
use crate::chart::ssr::preview::chart_drawing;
use crate::chart::view::ChartKind;
use crate::chart::wire::palette::{self, Hue};
use crate::ssr::svg::image::{self, Caption};

/// The font the picture's text is drawn in.
const FONT: &[u8] = include_bytes!("../../../fonts/DejaVuSans-subset.ttf");

/// The picture of `input` as SVG; `None` when there is nothing to draw.
pub fn picture_svg(input: &ChartInput) -> Option<String> {
    let (drawing, window) = chart_drawing(input)?;
    let last = input.bars.last()?;
    let title = format!("{} {:.2}", input.symbol, last.close);
    let previous = input.bars.len().checked_sub(2).map(|i| input.bars[i].close);
    let change = previous
        .and_then(|p| percent_change(p, last.close))
        .map(|pct| {
            let direction = Direction::of(pct);
            let sign = if pct > 0.0 { "+" } else { "" };
            (
                format!("{} {sign}{pct:.2} %", direction.arrow()),
                pct >= 0.0,
            )
        });
    let first = window.first()?.date;
    let shows = if input.view.comparing() {
        format!("% change vs {}", input.view.compare.join(", "))
    } else if input.view.kind == ChartKind::Candles {
        "Daily candles".to_string()
    } else {
        "Daily close".to_string()
    };
    let note = format!("{shows}, {first} to {} · tickerboard", last.date);
    let caption = Caption {
        title: &title,
        change: change.as_ref().map(|(text, up)| (text.as_str(), *up)),
        note: &note,
    };
    image::chart_svg(&drawing, |i| window[i].date.to_string(), &caption, &style())
}

/// The picture as PNG.
pub fn picture_png(svg: &str) -> Result<Vec<u8>, String> {
    image::png(svg, FONT)
}

/// The drawing's classes in the light scheme's colours (the page's stylesheet has the
/// same for the first paint), for a picture that has no stylesheet of its own.
fn style() -> String {
    let stroke = |class: &str, hue: Hue| format!("polyline.{class}{{stroke:{}}}", hue.light);
    let mut css = String::from(
        "text{fill:#161616;font-size:15px}.title{font-size:34px}.change{font-size:26px}\
         .muted,.label{fill:#525252;font-size:14px}.marker-count{fill:#ffffff;font-size:11px}\
         polyline{fill:none;stroke-width:2.2;stroke-linejoin:round}\
         line.grid{stroke:#e0e0e0;stroke-width:1}g line{stroke-width:1.2}rect{stroke:none}\
         polyline.bb-mid{stroke-width:1.2;stroke-dasharray:6 4}",
    );
    for (class, hue) in [
        ("close", palette::CLOSE),
        ("open", palette::OPEN),
        ("ma0", palette::MA[0]),
        ("ma1", palette::MA[1]),
        ("ma2", palette::MA[2]),
        ("ema0", palette::EMA[0]),
        ("ema1", palette::EMA[1]),
        ("bb-mid", palette::BAND),
        ("bb", palette::BAND),
        ("rsi", palette::RSI),
        ("macd", palette::MACD),
        ("signal", palette::SIGNAL),
    ] {
        css += &stroke(class, hue);
    }
    for (k, hue) in palette::COMPARE.iter().enumerate() {
        css += &stroke(&format!("cmp{k}"), *hue);
    }
    let (up, down, band, news) = (
        palette::UP.light,
        palette::DOWN.light,
        palette::BAND.light,
        palette::NEWS.light,
    );
    css += &format!(
        ".up{{fill:{up};stroke:{up}}}.down{{fill:{down};stroke:{down}}}text.up,tspan.up{{stroke:none}}\
         polygon.bb{{fill:{band};fill-opacity:0.12;stroke:{band};stroke-width:1}}circle.marker{{fill:{news}}}"
    );
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::view::{ChartView, Indicator};
    use chrono::NaiveDate;
    use store::{DailyBar, Symbol};

    fn bars(days: usize) -> Vec<DailyBar> {
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..days)
            .map(|i| {
                let c = 100.0 + (i as f64 / 30.0).sin() * 10.0;
                DailyBar::from_ohlcv(
                    Symbol::parse("IBM").unwrap(),
                    first + chrono::Duration::days(i as i64),
                    [c - 0.5, c + 1.0, c - 1.0, c, 1000.0],
                )
            })
            .collect()
    }

    fn svg(view: &ChartView, days: usize) -> String {
        let b = bars(days);
        picture_svg(&ChartInput {
            symbol: &Symbol::parse("IBM").unwrap(),
            bars: &b,
            view,
            compared: &[],
            line_open: false,
            news: None,
        })
        .unwrap()
    }

    #[test]
    fn the_picture_is_the_views_drawing_under_a_caption_and_renders_to_a_png() {
        let view = ChartView {
            kind: ChartKind::Candles,
            ind: vec![Indicator::Rsi],
            ..ChartView::default()
        };
        let svg = svg(&view, 5000);
        assert!(svg.starts_with(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\""
        ));
        assert!(
            svg.contains(">IBM 100.") || svg.contains(">IBM 9") || svg.contains(">IBM 10"),
            "the title"
        );
        assert!(
            svg.contains("Daily candles, 2020-01-01 to 2033-09-08"),
            "{}",
            &svg[..600]
        );
        assert!(svg.contains("<polyline class=\"rsi\"") && svg.contains(">RSI 14<"));
        assert!(
            svg.contains("<g class=\"up\">") || svg.contains("<g class=\"down\">"),
            "candles"
        );
        let png = picture_png(&svg).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h) = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!((w, h), (1200, 630));
        assert!(png.len() < 150 * 1024, "{} bytes", png.len());
    }

    #[test]
    fn the_caption_says_the_change_in_words_and_colour() {
        let svg = svg(&ChartView::default(), 40);
        // Day 39 closed above day 38 on the rising part of the sine.
        assert!(
            svg.contains("<tspan class=\"change up\""),
            "{}",
            &svg[..800]
        );
        assert!(svg.contains("▲ +"));
    }
}
