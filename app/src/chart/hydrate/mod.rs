//! The chart's browser half: the chart box hands its data's option to ECharts (see
//! [`option`]) whenever what it shows changes, follows its box's size, and lets go of
//! ECharts when the page it was on has been replaced (`public/nav.js`'s
//! `tickerboard:page` event).

mod echarts;
mod js;
mod news;
mod option;
mod tip;
mod tooltip;

use crate::chart::shown::Shown;
use crate::chart::view::Range;
use crate::chart::wire::ChartData;
use echarts::Instance;
use js::set;
use js_sys::Object;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Starts the chart box: a drawing whenever the symbol, the data or the range change,
/// a resize whenever the box's size changes (the window, or an indicator's pane: see
/// `ChartBox`); when the box has left the page, it lets go of its ECharts instance and
/// its listeners.
pub fn attach(surface: NodeRef<leptos::html::Div>, shown: Shown) {
    Effect::new(move |_| {
        let (symbol, range) = (shown.symbol.get(), shown.range.get());
        shown.data.with(|data| {
            if let Some(el) = surface.get() {
                show(&el, symbol.as_deref(), data.as_ref(), range, shown);
            }
        });
    });
    // The observer reads sizes after layout, so a drawing never forces one (a read of
    // the box's height before `setOption` did, on every drawing).
    let on_resize = Closure::<dyn Fn()>::new(resize);
    let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
    on_resize.forget();
    type Handle = std::rc::Rc<std::cell::RefCell<Option<WindowListenerHandle>>>;
    let handle: Handle = Default::default();
    let observing = observer.clone();
    Effect::new(move |_| {
        if let (Some(el), Some(observer)) = (surface.get(), observing.as_ref()) {
            observer.observe(&el);
        }
    });
    let on_page = {
        let handle = handle.clone();
        move |_: web_sys::Event| {
            let Some(el) = surface.get_untracked() else {
                return;
            };
            if !el.is_connected() {
                if let Some(instance) = echarts::instance_of(&el) {
                    instance.dispose();
                }
                if let Some(observer) = observer.as_ref() {
                    observer.disconnect();
                }
                if let Some(listener) = handle.borrow_mut().take() {
                    listener.remove();
                }
            }
        }
    };
    *handle.borrow_mut() = Some(window_event_listener_untyped("tickerboard:page", on_page));
}

/// The chart box around the surface: it carries `data-drawn` and the preview.
fn chart_box(el: &web_sys::Element) -> Option<web_sys::Element> {
    el.parent_element()
}

/// Draws `data` for `symbol` at range `r` into `el`; without data, an empty box.
fn show(
    el: &web_sys::Element,
    symbol: Option<&str>,
    data: Option<&ChartData>,
    r: Range,
    shown: Shown,
) {
    let existing = echarts::instance_of(el);
    let Some(data) = data else {
        if let Some(instance) = existing {
            instance.dispose();
        }
        if let Some(b) = chart_box(el) {
            let _ = b.remove_attribute("data-drawn");
        }
        return;
    };
    if !echarts::loaded() {
        // ECharts loads beside the WebAssembly (`async`): when it comes second, draw
        // once it has run.
        let el = el.clone();
        let retry = Closure::once_into_js(move || {
            let (symbol, range) = (shown.symbol.get_untracked(), shown.range.get_untracked());
            shown.data.with_untracked(|data| {
                if echarts::loaded() {
                    show(&el, symbol.as_deref(), data.as_ref(), range, shown);
                }
            });
        });
        echarts::when_loaded(retry.unchecked_ref());
        return;
    }
    draw(el, existing, symbol.unwrap_or_default(), data, r);
}

thread_local! {
    /// The next drawing keeps the reader's zoom: a refresh of the same view.
    static KEEP_ZOOM: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The next drawing keeps the zoom the reader has (the page refreshes itself after an
/// ingest: the same view with a day more, say).
pub fn keep_zoom_next() {
    KEEP_ZOOM.with(|k| k.set(true));
}

/// The zoom `instance` shows: its first and last day, and whether the last is the
/// data's last (then the window follows a new last day).
fn zoom_of(instance: &Instance) -> Option<(f64, f64, bool)> {
    let option = instance.get_option();
    let zoom = js_sys::Reflect::get_u32(&js::get(&option, "dataZoom"), 0).ok()?;
    let (start, end) = (
        js::get(&zoom, "startValue").as_f64()?,
        js::get(&zoom, "endValue").as_f64()?,
    );
    let rows = js::get(
        &js_sys::Reflect::get_u32(&js::get(&option, "dataset"), 0).ok()?,
        "source",
    );
    let last = f64::from(js_sys::Array::from(&rows).length()) - 1.0;
    Some((start, end, end >= last))
}

/// Both zooms of `option` at `start..=end`.
fn set_zoom(option: &JsValue, start: f64, end: f64) {
    if let Ok(zooms) = js::get(option, "dataZoom").dyn_into::<js_sys::Array>() {
        for zoom in zooms.iter() {
            set(&zoom, "startValue", &start.into());
            set(&zoom, "endValue", &end.into());
        }
    }
}

/// Draws `data` into the chart element `el`, replacing whatever it showed before.
fn draw(
    el: &web_sys::Element,
    existing: Option<Instance>,
    symbol: &str,
    data: &ChartData,
    range: Range,
) {
    let dark = js::prefers_dark();
    let Some(option) = option::option_for(symbol, data, range, dark) else {
        leptos::logging::error!("the chart's option could not be read");
        return;
    };
    // The page's script drew the server's option before the WebAssembly started
    // (`frontend/js/early.js`): this drawing takes its instance over, with the zoom the
    // reader may have set meanwhile.
    let early = el.has_attribute("data-early");
    let kept = KEEP_ZOOM.with(|k| k.replace(false)) || early;
    if let Some((start, end, at_last)) = existing.as_ref().filter(|_| kept).and_then(zoom_of) {
        set_zoom(&option, start, if at_last { data.end as f64 } else { end });
    }
    // notMerge: the new option replaces the old one, so no series of the previous
    // symbol lingers.
    let settings = Object::new();
    set(&settings, "notMerge", &JsValue::TRUE);
    let fresh = existing.is_none() || early;
    let instance = existing.unwrap_or_else(|| {
        let theme = if dark {
            JsValue::from_str("dark")
        } else {
            JsValue::NULL
        };
        echarts::init(el, &theme)
    });
    if early {
        // The box may have changed size since the page's script drew (the island's
        // controls hydrated around it): follow it now rather than at the observer's
        // next call, after this drawing.
        resize();
    }
    if fresh {
        let _ = el.remove_attribute("data-early");
        // A click or tap on a marked day lists its headlines under the chart.
        let on_click = Closure::<dyn Fn(JsValue)>::new(news::clicked);
        instance.zr().on("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
    }
    news::drawn(data.news.as_deref());
    js::mark("tickerboard:option-ready");
    instance.set_option(&option, &settings);
    js::mark("tickerboard:echarts-set");
    clear_preview(el);
    if let Some(b) = chart_box(el) {
        let _ = b.set_attribute("data-drawn", &format!("{symbol} {}", range.label()));
    }
}

/// Empties the server's preview once ECharts shows the data.
fn clear_preview(el: &web_sys::Element) {
    if let Some(preview) =
        chart_box(el).and_then(|b| b.query_selector(".chart-static").ok().flatten())
    {
        preview.set_inner_html("");
    }
}

/// Follows the box's new size (the observer's callback, called after layout, so the
/// size read here costs no layout). The first call, when observing starts, finds the
/// size ECharts already has: no second drawing.
fn resize() {
    let (Some(instance), Some(el)) = (echarts::current(), echarts::element()) else {
        return;
    };
    let size = (f64::from(el.client_width()), f64::from(el.client_height()));
    if size != (instance.width(), instance.height()) {
        instance.resize();
    }
}
