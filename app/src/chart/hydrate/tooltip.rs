//! The tooltip of the hovered (or tapped) day: the date, open, high, low and close,
//! the change from the previous close, the volume, then each average or compared
//! symbol. A line chart's rows carry only the close: the day's other columns are asked
//! for once per symbol and ingest ([`crate::chart::api::get_bar_details`]), and the
//! tooltip shows its day again when they come.

use super::js::{fixed, get, number_at};
use super::tip::{show_last_tip_again, tip_showing, LAST_TIP};
use crate::chart::api::get_bar_details;
use crate::chart::change::{percent_change, Direction};
use crate::chart::wire::{column, detail, COMPARE_ID};
use crate::text::escape;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A tooltip formatter as ECharts calls it: the hovered day's params in, HTML out.
pub type Formatter = Closure<dyn Fn(JsValue) -> JsValue>;

/// A drawn symbol's details: by symbol and last date (a new ingest or another symbol
/// asks again).
type DetailsKey = (String, String);

/// The open, high, low and volume of a line chart's days, asked for the first time
/// its tooltip shows.
enum Details {
    Asked,
    /// `[[open, high, low, volume], …]`, one per dataset row.
    Ready(Array),
    /// The server had none that fit the drawn days: the tooltip shows the close.
    Unavailable,
}

thread_local! {
    static DETAILS: std::cell::RefCell<Option<(DetailsKey, Details)>> =
        const { std::cell::RefCell::new(None) };
}

/// The formatter of a drawing of `symbol`: its dataset's `rows`, where they carry the
/// days' own columns (`details_at`), if they do.
pub fn formatter(
    symbol: &str,
    rows: Array,
    details_at: Option<usize>,
    lines: Vec<RowLine>,
) -> Formatter {
    let last_date = rows
        .get(rows.length().saturating_sub(1))
        .dyn_into::<Array>()
        .ok()
        .and_then(|r| r.get(column::DATE as u32).as_string())
        .unwrap_or_default();
    let key = (symbol.to_string(), last_date);
    Formatter::new(move |params: JsValue| {
        JsValue::from_str(&tooltip_html(&params, &rows, details_at, &lines, &key))
    })
}

/// A line the tooltip reads from the day's row, whether ECharts drew a point of it on
/// that day or not (it thins each line to the pixels): an average's or an indicator's.
pub struct RowLine {
    pub label: String,
    pub color: String,
    /// Its column; for the upper band, the column of the band's width, the lower band
    /// being the column before it (see `chart/wire.rs`'s `IND_ID`).
    pub dim: usize,
    pub upper: bool,
}

impl RowLine {
    /// The line's value on `row`, with its colour's dot, as a tooltip line.
    fn html(&self, row: &JsValue) -> Option<String> {
        let mut value = number_at(row, self.dim)?;
        if self.upper {
            value += number_at(row, self.dim.checked_sub(1)?)?;
        }
        Some(format!(
            r#"<div><span class="dot" style="background:{}"></span>{} {}</div>"#,
            escape(&self.color),
            escape(&self.label),
            fixed(value, 2)
        ))
    }
}

/// The tooltip of the day ECharts names in `params` (one entry per series).
fn tooltip_html(
    params: &JsValue,
    rows: &Array,
    details_at: Option<usize>,
    lines: &[RowLine],
    key: &DetailsKey,
) -> String {
    let params: Array = if Array::is_array(params) {
        params.clone().unchecked_into()
    } else {
        Array::of1(params)
    };
    let Some(index) = get(&params.get(0), "dataIndex").as_f64() else {
        return String::new();
    };
    let index = index as u32;
    LAST_TIP.with(|t| t.set(index));
    let row = rows.get(index);
    let details = day_details(&row, index, details_at, key);
    let mut html = day_html(&row, rows, index, details);
    let date = Reflect::get_u32(&row, column::DATE as u32)
        .ok()
        .and_then(|d| d.as_string());
    for line in lines {
        html.push_str(&line.html(&row).unwrap_or_default());
    }
    for p in params.iter() {
        html.push_str(&compared_html(&p).unwrap_or_default());
        if let Some((day, count)) = date.as_deref().and_then(|d| super::news::marker_of(&p, d)) {
            html.push_str(&super::news::tip_html(&day, count));
        }
    }
    html.push_str("</div>");
    html
}

/// The day's own lines: date, prices, change from the previous close, volume.
fn day_html(row: &JsValue, rows: &Array, index: u32, details: Option<[f64; 4]>) -> String {
    let date = Reflect::get_u32(row, column::DATE as u32)
        .ok()
        .and_then(|d| d.as_string())
        .unwrap_or_default();
    let mut html = format!(r#"<div class="tip"><b>{}</b>"#, escape(&date));
    if let Some(c) = number_at(row, column::CLOSE) {
        html.push_str(&match details {
            Some([o, h, l, _]) => format!(
                r#"<div class="ohlc">O {} · H {} · L {} · C {}</div>"#,
                fixed(o, 2),
                fixed(h, 2),
                fixed(l, 2),
                fixed(c, 2)
            ),
            None => format!(r#"<div class="ohlc">C {}</div>"#, fixed(c, 2)),
        });
        let previous = index
            .checked_sub(1)
            .and_then(|i| number_at(&rows.get(i), column::CLOSE));
        if let Some(pct) = previous.and_then(|p| percent_change(p, c)) {
            let direction = Direction::of(pct);
            html.push_str(&format!(
                r#"<div class="{}">{} {}{} % from the previous close</div>"#,
                direction.class(),
                direction.arrow(),
                if pct > 0.0 { "+" } else { "" },
                fixed(pct, 2)
            ));
        }
    }
    if let Some([_, _, _, v]) = details {
        let volume = js_sys::Number::from(v)
            .to_locale_string("en-US")
            .as_string()
            .unwrap_or_default();
        html.push_str(&format!("<div>Volume {volume}</div>"));
    }
    html
}

/// A compared symbol's line (its own data, in % from the window's first day), for one
/// of ECharts' params.
fn compared_html(p: &JsValue) -> Option<String> {
    let id = get(p, "seriesId").as_string()?;
    id.strip_prefix(COMPARE_ID)?;
    let value = get(p, "value").as_f64()?;
    let name = get(p, "seriesName").as_string().unwrap_or_default();
    let marker = get(p, "marker").as_string().unwrap_or_default();
    let sign = if value > 0.0 { "+" } else { "" };
    Some(format!(
        "<div>{marker}{} {sign}{} %</div>",
        escape(&name),
        fixed(value, 2)
    ))
}

/// `[open, high, low, volume]` read from `row` starting at `from`.
fn read_details(row: &JsValue, from: usize) -> Option<[f64; 4]> {
    Some([
        number_at(row, from + detail::OPEN)?,
        number_at(row, from + detail::HIGH)?,
        number_at(row, from + detail::LOW)?,
        number_at(row, from + detail::VOLUME)?,
    ])
}

/// The day's `[open, high, low, volume]` at `index`: from the row when it carries
/// them (`details_at`), else from the details asked for the symbol, asking for
/// them the first time (the tooltip shows the close meanwhile).
fn day_details(
    row: &JsValue,
    index: u32,
    details_at: Option<usize>,
    key: &DetailsKey,
) -> Option<[f64; 4]> {
    if let Some(at) = details_at {
        return read_details(row, at);
    }
    let known = DETAILS.with(|d| {
        d.borrow()
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, details)| match details {
                Details::Ready(rows) => read_details(&rows.get(index), 0),
                Details::Asked | Details::Unavailable => None,
            })
    });
    match known {
        Some(found) => found,
        None => {
            ask_details(key.clone());
            None
        }
    }
}

/// Asks the server for the days' details once; when they come and the tooltip is
/// still showing, shows its day (the last one hovered) again with them.
fn ask_details(key: DetailsKey) {
    DETAILS.with(|d| *d.borrow_mut() = Some((key.clone(), Details::Asked)));
    leptos::task::spawn_local(async move {
        let details = fetch_details(&key.0, &key.1)
            .await
            .map_or(Details::Unavailable, Details::Ready);
        let ready = matches!(details, Details::Ready(_));
        let current = DETAILS.with(|d| {
            let mut d = d.borrow_mut();
            let current = d.as_ref().is_some_and(|(k, _)| *k == key);
            if current {
                *d = Some((key, details));
            }
            current
        });
        if current && ready && tip_showing() {
            show_last_tip_again();
        }
    });
}

/// The days' details of `symbol` through the server-function client (`POST
/// /api/bar_details`), as a JavaScript array of `[open, high, low, volume]` rows, when
/// they are those of the day `last` (the chart's last row). `None` when it failed.
async fn fetch_details(symbol: &str, last: &str) -> Option<Array> {
    let details = get_bar_details(symbol.to_string()).await.ok()?;
    if details.last.as_deref() != Some(last) {
        return None;
    }
    Some(
        details
            .rows
            .iter()
            .map(|&(open, high, low, volume)| {
                let row = Array::new_with_length(4);
                row.set(detail::OPEN as u32, open.into());
                row.set(detail::HIGH as u32, high.into());
                row.set(detail::LOW as u32, low.into());
                row.set(detail::VOLUME as u32, (volume as f64).into());
                JsValue::from(row)
            })
            .collect(),
    )
}
