//! The news markers in the browser: a marked day's titles in the tooltip, and when a
//! marker is clicked or tapped, the day's headlines as links under the chart
//! (`#day-news`, see `ChartBox`). A day's titles are asked for once per coin and day
//! through the server-function client ([`get_day_headlines`]); the tooltip says
//! "loading" meanwhile and shows its day again when they come.

use super::js::get;
use super::tip::{show_last_tip_again, tip_showing, LAST_TIP};
use crate::chart::api::get_day_headlines;
use crate::chart::wire::{DayHeadline, DAY_NEWS_ID, NEWS_ID};
use crate::text::escape;
use js_sys::{Array, Reflect};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A coin and a day (`2026-11-27`).
type DayKey = (String, String);

thread_local! {
    /// Each day asked for: `None` while asked, then its headlines.
    static DAYS: RefCell<HashMap<DayKey, Option<Vec<DayHeadline>>>> = RefCell::new(HashMap::new());
    /// The coin of the drawing shown (set with each drawing).
    static COIN: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The day the panel under the chart waits for, if it waits.
    static PANEL: RefCell<Option<DayKey>> = const { RefCell::new(None) };
    /// The drawing's dataset rows and its marked days with their counts.
    static MARKS: RefCell<(Option<Array>, HashMap<String, u32>)> = RefCell::new((None, HashMap::new()));
}

/// Titles listed in the tooltip; the panel lists the day's all.
const TIP_TITLES: usize = 5;

/// A new drawing with `coin`'s markers (or none): the panel of another drawing goes.
pub fn drawn(coin: Option<&str>) {
    COIN.with(|c| *c.borrow_mut() = coin.map(str::to_string));
    PANEL.with(|p| *p.borrow_mut() = None);
    if let Some(panel) = panel() {
        panel.set_inner_html("");
        let _ = panel.set_attribute("hidden", "");
    }
}

/// A marker's `[date, price, count]` when `p` (one of ECharts' params) is one, for the
/// day `date` (the axis tooltip offers a sparse series' nearest item on other days).
pub fn marker_of(p: &JsValue, date: &str) -> Option<(String, u32)> {
    if get(p, "seriesId").as_string().as_deref() != Some(NEWS_ID) {
        return None;
    }
    let value = get(p, "value");
    let day = Reflect::get_u32(&value, 0).ok()?.as_string()?;
    let count = Reflect::get_u32(&value, 2).ok()?.as_f64()? as u32;
    (day == date).then_some((day, count))
}

/// The tooltip's lines for a marked day: the count, then the first titles (or
/// "loading", asking for them).
pub fn tip_html(day: &str, count: u32) -> String {
    let Some(coin) = COIN.with(|c| c.borrow().clone()) else {
        return String::new();
    };
    let words = if count == 1 { "headline" } else { "headlines" };
    let mut html = format!(r#"<div class="tip-news"><b>{count} {words}</b>"#);
    match known((coin.clone(), day.to_string())) {
        Some(list) => {
            for h in list.iter().take(TIP_TITLES) {
                html.push_str(&format!("<div>· {}</div>", escape(&h.title)));
            }
            if count as usize > TIP_TITLES {
                html.push_str("<div>Click the marker for all of them.</div>");
            }
        }
        None => html.push_str("<div>Loading the titles…</div>"),
    }
    html.push_str("</div>");
    html
}

/// The marked days of a drawing's `option` (its news series' items) and its `rows`,
/// for [`clicked`].
pub fn remember(option: &JsValue, rows: &Array) {
    let mut marks = HashMap::new();
    if let Ok(series) = get(option, "series").dyn_into::<Array>() {
        for s in series.iter() {
            if get(&s, "id").as_string().as_deref() != Some(NEWS_ID) {
                continue;
            }
            let Ok(items) = get(&s, "data").dyn_into::<Array>() else {
                continue;
            };
            for item in items.iter() {
                let day = Reflect::get_u32(&item, 0).ok().and_then(|d| d.as_string());
                let count = Reflect::get_u32(&item, 2).ok().and_then(|c| c.as_f64());
                if let (Some(day), Some(count)) = (day, count) {
                    marks.insert(day, count as u32);
                }
            }
        }
    }
    MARKS.with(|m| *m.borrow_mut() = (Some(rows.clone()), marks));
}

/// A click or tap on the chart (zrender's event, whatever it hit): on a marked day's
/// column, the day's headlines as links under the chart, and its tooltip. (ECharts shows
/// an axis tooltip only for a press inside the grid: the last day's pin sits on the
/// grid's right edge, and a tap on its right half would list the news without it.)
pub fn clicked(event: JsValue) {
    let (Some(x), Some(y)) = (
        get(&event, "offsetX").as_f64(),
        get(&event, "offsetY").as_f64(),
    ) else {
        return;
    };
    let Some(instance) = super::echarts::current() else {
        return;
    };
    let finder = js_sys::Object::new();
    super::js::set(&finder, "gridIndex", &0.into());
    let point = Array::of2(&x.into(), &y.into());
    let at = instance.from_pixel(&finder, &point);
    let index = Reflect::get_u32(&at, 0)
        .ok()
        .and_then(|i| i.as_f64())
        .or(at.as_f64());
    let Some(index) = index.filter(|i| *i >= 0.0) else {
        return;
    };
    let marked = MARKS.with(|m| {
        let m = m.borrow();
        let day = m.0.as_ref()?.get(index.round() as u32);
        let day = Reflect::get_u32(&day, 0).ok()?.as_string()?;
        m.1.get(&day).map(|count| (day, *count))
    });
    let Some((day, count)) = marked else {
        return;
    };
    if !tip_showing() {
        LAST_TIP.with(|t| t.set(index.round() as u32));
        show_last_tip_again();
    }
    let Some(coin) = COIN.with(|c| c.borrow().clone()) else {
        return;
    };
    let key = (coin, day);
    PANEL.with(|p| *p.borrow_mut() = Some(key.clone()));
    match known(key.clone()) {
        Some(list) => fill_panel(&key.1, count, &list),
        None => fill_panel(&key.1, count, &[]),
    }
}

/// The day's headlines when they are here; otherwise asks for them (once) and `None`.
fn known(key: DayKey) -> Option<Vec<DayHeadline>> {
    let state = DAYS.with(|d| d.borrow().get(&key).cloned());
    match state {
        Some(list) => list,
        None => {
            ask(key);
            None
        }
    }
}

/// Asks the server for a day's headlines; when they come, the tooltip and the panel
/// that wait for them show them.
fn ask(key: DayKey) {
    DAYS.with(|d| d.borrow_mut().insert(key.clone(), None));
    leptos::task::spawn_local(async move {
        let list = get_day_headlines(key.0.clone(), key.1.clone())
            .await
            .unwrap_or_default();
        DAYS.with(|d| d.borrow_mut().insert(key.clone(), Some(list.clone())));
        if PANEL.with(|p| p.borrow().as_ref() == Some(&key)) {
            fill_panel(&key.1, list.len() as u32, &list);
        }
        if tip_showing() {
            show_last_tip_again();
        }
    });
}

/// The panel under the chart: the day, its headlines as links (or "loading").
fn fill_panel(day: &str, count: u32, list: &[DayHeadline]) {
    let Some(panel) = panel() else { return };
    let words = if count == 1 { "headline" } else { "headlines" };
    let mut html = format!(
        r#"<p><b>News of {}</b> · {count} {words} <button type="button" class="close" aria-label="Close the day's news">✕</button></p>"#,
        escape(day)
    );
    if list.is_empty() {
        html.push_str("<p>Loading…</p>");
    } else {
        html.push_str("<ul>");
        for h in list {
            let title = escape(&h.title);
            let shown = match &h.link {
                Some(link) => format!(
                    r#"<a href="{}" rel="noopener noreferrer" target="_blank">{title}</a>"#,
                    escape(link)
                ),
                None => title,
            };
            html.push_str(&format!(
                "<li><time>{}</time> {shown}</li>",
                escape(&h.time)
            ));
        }
        html.push_str("</ul>");
    }
    panel.set_inner_html(&html);
    let _ = panel.remove_attribute("hidden");
    if let Some(close) = panel.query_selector(".close").ok().flatten() {
        let on_close =
            Closure::once_into_js(|| drawn(COIN.with(|c| c.borrow().clone()).as_deref()));
        let _ = close.add_event_listener_with_callback("click", on_close.unchecked_ref());
    }
}

/// The panel's element.
fn panel() -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .get_element_by_id(DAY_NEWS_ID)
}
