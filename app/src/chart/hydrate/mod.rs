//! The chart's browser half: the island hands the page's option to ECharts (see
//! [`option`]), follows the range buttons and the window size, and after an in-place
//! navigation (`public/nav.js`'s `tickerboard:page` event) draws the new page's data.

mod echarts;
mod js;
mod option;
mod tooltip;

use crate::chart::view::Range;
use crate::chart::wire::{key, DATA_ID, PAGE_ID};
use echarts::Instance;
use js::{get, script_text, set};
use js_sys::{Object, Reflect, JSON};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// What the chart element shows: the page's chart data (its JSON text) and range.
    static SHOWN: std::cell::RefCell<Option<(String, Range)>> =
        const { std::cell::RefCell::new(None) };
}

/// The page's `chart-page` script, parsed.
fn page() -> Option<JsValue> {
    JSON::parse(&script_text(PAGE_ID)?).ok()
}

/// The range the page shows.
pub fn page_range() -> Option<Range> {
    Range::parse(&get(&page()?, key::RANGE).as_string()?)
}

/// Starts the island: the first drawing once hydrated, a new one whenever the range
/// changes, and after each in-place navigation (`tickerboard:page`) the new page's
/// data and range. When the island has left the page, it lets go of its ECharts
/// instance and its listeners.
pub fn attach(surface: NodeRef<leptos::html::Div>, range: RwSignal<Range>) {
    Effect::new(move |_| {
        let r = range.get();
        if surface.get().is_some() {
            show(r);
        }
    });
    type Handles = std::rc::Rc<std::cell::RefCell<Vec<WindowListenerHandle>>>;
    let handles: Handles = Default::default();
    let on_page = {
        let handles = handles.clone();
        move |_: web_sys::Event| {
            let Some(el) = surface.get_untracked() else {
                return;
            };
            if el.is_connected() {
                // A new range redraws through the effect above; the same range may
                // come with new data.
                let r = page_range().unwrap_or_default();
                if range.get_untracked() != r {
                    range.set(r);
                } else {
                    show(r);
                }
            } else {
                if let Some(instance) = echarts::instance_of(&el) {
                    instance.dispose();
                }
                for handle in handles.borrow_mut().drain(..) {
                    handle.remove();
                }
            }
        }
    };
    let page_listener = window_event_listener_untyped("tickerboard:page", on_page);
    let resize_listener = window_event_listener(leptos::ev::resize, |_| resize());
    handles
        .borrow_mut()
        .extend([page_listener, resize_listener]);
}

/// A range button: the chart shows the window now; then the page (its key stats, its
/// forms' hidden range) follows through `nav.js`, in the same history entry.
pub fn choose(r: Range, range: RwSignal<Range>) {
    range.set(r);
    let href = page().and_then(|p| {
        Reflect::get_u32(&get(&p, key::RANGE_HREFS), r.position() as u32)
            .ok()?
            .as_string()
    });
    let (Some(href), Some(window)) = (href, web_sys::window()) else {
        return;
    };
    let go = Reflect::get(&get(&window, "tickerboard"), &"go".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match go {
        Some(go) => {
            let options = Object::new();
            set(&options, "replace", &JsValue::TRUE);
            let _ = go.call2(&JsValue::NULL, &JsValue::from_str(&href), &options);
        }
        None => {
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&href));
            }
        }
    }
}

/// The chart box around the surface: it carries `data-drawn` and the preview.
fn chart_box(el: &web_sys::Element) -> Option<web_sys::Element> {
    el.parent_element()
}

/// Draws the page's chart data at range `r`, unless the chart shows them already.
fn show(r: Range) {
    let Some(el) = echarts::element() else { return };
    let existing = echarts::instance_of(&el);
    let Some(data) = script_text(DATA_ID) else {
        if let Some(instance) = existing {
            instance.dispose();
        }
        if let Some(b) = chart_box(&el) {
            let _ = b.remove_attribute("data-drawn");
        }
        SHOWN.with(|s| *s.borrow_mut() = None);
        return;
    };
    let drawn = existing.is_some()
        && SHOWN.with(|s| {
            s.borrow()
                .as_ref()
                .is_some_and(|(text, range)| *range == r && *text == data)
        });
    if drawn {
        return;
    }
    let symbol = page()
        .and_then(|p| get(&p, key::SYMBOL).as_string())
        .unwrap_or_default();
    if draw(&el, existing, &symbol, &data, r) {
        SHOWN.with(|s| *s.borrow_mut() = Some((data, r)));
    }
}

/// Draws `data` into the chart element `el`, replacing whatever it showed before;
/// false when it could not (yet).
fn draw(
    el: &web_sys::Element,
    existing: Option<Instance>,
    symbol: &str,
    data: &str,
    range: Range,
) -> bool {
    if !echarts::loaded() {
        // The deferred script runs before hydration in every browser we know; if it
        // has not, try again once the page has loaded.
        let retry = Closure::once_into_js(move || show(range));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("load", retry.unchecked_ref());
        }
        return false;
    }
    let dark = js::prefers_dark();
    let Some(option) = option::option_for(symbol, data, range, dark) else {
        leptos::logging::error!("the chart's option could not be read");
        return false;
    };
    // notMerge: the new option replaces the old one, so no series of the previous
    // symbol lingers.
    let settings = Object::new();
    set(&settings, "notMerge", &JsValue::TRUE);
    let instance = existing.unwrap_or_else(|| {
        let theme = if dark {
            JsValue::from_str("dark")
        } else {
            JsValue::NULL
        };
        echarts::init(el, &theme)
    });
    instance.set_option(&option, &settings);
    clear_preview(el);
    if let Some(b) = chart_box(el) {
        let _ = b.set_attribute("data-drawn", &format!("{symbol} {}", range.label()));
    }
    true
}

/// Empties the server's preview once ECharts shows the same data.
fn clear_preview(el: &web_sys::Element) {
    if let Some(preview) =
        chart_box(el).and_then(|b| b.query_selector(".chart-static").ok().flatten())
    {
        preview.set_inner_html("");
    }
}

/// Follows the container's new size after a window resize.
fn resize() {
    if let Some(instance) = echarts::current() {
        instance.resize();
    }
}
