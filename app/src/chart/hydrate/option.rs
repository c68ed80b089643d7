//! The server's option made ready for this reader: the colours of their scheme, the
//! window of the range pressed (touch-friendly zooming on a phone), compared symbols as
//! % change from the window's first day, the tooltip, short labels on a log axis.

use super::js::{coarse_pointer, get, set};
use super::tooltip::{formatter, Formatter, RowLine};
use crate::chart::change::rebased;
use crate::chart::view::Range;
use crate::chart::wire::{palette, ChartData, COMPARE_ID, IND_ID};
use js_sys::{Array, Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// The formatter ECharts holds; replaced with each drawing.
    static FORMATTER: std::cell::RefCell<Option<Formatter>> =
        const { std::cell::RefCell::new(None) };
    /// A log axis's labels, to three significant digits; made once.
    static LOG_LABEL: Formatter = Formatter::new(|value: JsValue| {
        // Whole numbers from 100 up (no "1.23e+3"), three digits below.
        let shown = value
            .as_f64()
            .and_then(|v| {
                let n = js_sys::Number::from(v);
                if v.abs() >= 100.0 { n.to_fixed(0) } else { n.to_precision(3) }.ok()
            })
            .map(String::from)
            .unwrap_or_default();
        JsValue::from_str(&shown)
    });
}

/// The server's option in `data` for `symbol` at `range`, in the dark scheme's colours
/// when `dark`.
pub fn option_for(symbol: &str, data: &ChartData, range: Range, dark: bool) -> Option<JsValue> {
    let option = JSON::parse(&in_scheme(data.option.text(), dark)).ok()?;
    let start = *data.range_starts.get(range.position())?;
    set_window(&option, start, data.end as f64)?;
    rebase_compared(&option, start)?;
    let rows: Array = get(&get(&option, "dataset"), "source").dyn_into().ok()?;
    super::news::remember(&option, &rows);
    let tooltip = formatter(symbol, rows, data.details_at, row_lines(&option));
    set(&get(&option, "tooltip"), "formatter", tooltip.as_ref());
    FORMATTER.with(|f| *f.borrow_mut() = Some(tooltip));
    label_log_axes(&option);
    Some(option)
}

/// The lines the tooltip reads from the day's row: each series drawn from a dataset
/// column (`encode.y` a number) that is an average ("MA …") or an indicator (its id
/// starts with [`IND_ID`]), in the series' order, named as the legend names them (the
/// bands and MACD's parts by their part).
fn row_lines(option: &JsValue) -> Vec<RowLine> {
    let Ok(series) = get(option, "series").dyn_into::<Array>() else {
        return Vec::new();
    };
    series
        .iter()
        .filter_map(|s| {
            let name = get(&s, "name").as_string().unwrap_or_default();
            let id = get(&s, "id").as_string().unwrap_or_default();
            let part = id.strip_prefix(IND_ID);
            if part.is_none() && !name.starts_with("MA ") {
                return None;
            }
            let dim = get(&get(&s, "encode"), "y").as_f64()? as usize;
            let label = match part {
                Some("bb-upper") => "BB upper".to_string(),
                Some("bb-middle") => "BB middle".to_string(),
                Some("bb-lower") => "BB lower".to_string(),
                Some(p) if p.starts_with("hist") => "Histogram".to_string(),
                _ => name,
            };
            let style = get(
                &s,
                if part.is_some_and(|p| p.starts_with("hist")) {
                    "itemStyle"
                } else {
                    "lineStyle"
                },
            );
            Some(RowLine {
                label,
                color: get(&style, "color").as_string().unwrap_or_default(),
                dim,
                upper: part == Some("bb-upper"),
            })
        })
        .collect()
}

/// The option's text with each light colour swapped for its dark twin when `dark`.
fn in_scheme(data: &str, dark: bool) -> String {
    if !dark {
        return data.to_string();
    }
    palette::ALL.iter().fold(data.to_string(), |text, hue| {
        text.replace(hue.light, hue.dark)
    })
}

/// Both zooms show the days `start..=end`. On a phone a pinch still zooms; one finger
/// scrolls the page, never the chart.
fn set_window(option: &JsValue, start: usize, end: f64) -> Option<()> {
    let zooms: Array = get(option, "dataZoom").dyn_into().ok()?;
    let touch = coarse_pointer();
    for zoom in zooms.iter() {
        set(&zoom, "startValue", &(start as f64).into());
        set(&zoom, "endValue", &end.into());
        if touch && get(&zoom, "type").as_string().as_deref() == Some("inside") {
            set(&zoom, "moveOnMouseMove", &JsValue::FALSE);
            set(&zoom, "preventDefaultMouseMove", &JsValue::FALSE);
        }
    }
    Some(())
}

/// Each compared series (its id starts with [`COMPARE_ID`]) as % change from the
/// window's first day.
fn rebase_compared(option: &JsValue, start: usize) -> Option<()> {
    let series: Array = get(option, "series").dyn_into().ok()?;
    for s in series.iter() {
        let compared = get(&s, "id")
            .as_string()
            .is_some_and(|id| id.starts_with(COMPARE_ID));
        if let (true, Ok(values)) = (compared, get(&s, "data").dyn_into::<Array>()) {
            let values: Vec<Option<f64>> = values.iter().map(|v| v.as_f64()).collect();
            let rebased: Array = rebased(&values, start)
                .into_iter()
                .map(|v| v.map_or(JsValue::NULL, JsValue::from_f64))
                .collect();
            set(&s, "data", &rebased);
        }
    }
    Some(())
}

/// A log axis starts and ends at the data's own extremes: short labels for those (84.6
/// rather than 84.5745). The option has one y axis (an object) or several (an array).
fn label_log_axes(option: &JsValue) {
    let y = get(option, "yAxis");
    let axes: Array = y.clone().dyn_into().unwrap_or_else(|_| Array::of1(&y));
    for axis in axes.iter() {
        if get(&axis, "type").as_string().as_deref() != Some("log") {
            continue;
        }
        let mut label = get(&axis, "axisLabel");
        if !label.is_object() {
            label = Object::new().into();
            set(&axis, "axisLabel", &label);
        }
        LOG_LABEL.with(|f| set(&label, "formatter", f.as_ref().unchecked_ref()));
    }
}
