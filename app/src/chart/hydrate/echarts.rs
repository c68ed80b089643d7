//! ECharts as the page loads it (`/echarts-5.6.0-4.min.js`, `async`): the calls we
//! make, and the element it draws into.

use crate::chart::wire::{CHART_ID, ECHARTS_SCRIPT_ID};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// An ECharts instance (`echarts.init`'s result).
    pub type Instance;

    #[wasm_bindgen(js_namespace = echarts, js_name = init)]
    pub fn init(el: &web_sys::Element, theme: &JsValue) -> Instance;

    #[wasm_bindgen(js_namespace = echarts, js_name = getInstanceByDom)]
    fn instance_by_dom(el: &web_sys::Element) -> Option<Instance>;

    #[wasm_bindgen(method, js_name = setOption)]
    pub fn set_option(this: &Instance, option: &JsValue, settings: &JsValue);

    #[wasm_bindgen(method)]
    pub fn resize(this: &Instance);

    #[wasm_bindgen(method, js_name = getOption)]
    pub fn get_option(this: &Instance) -> JsValue;

    #[wasm_bindgen(method, js_name = getWidth)]
    pub fn width(this: &Instance) -> f64;

    #[wasm_bindgen(method, js_name = getHeight)]
    pub fn height(this: &Instance) -> f64;

    #[wasm_bindgen(method)]
    pub fn dispose(this: &Instance);

    /// The instance's renderer, whose events are every click on the canvas.
    pub type Zr;

    #[wasm_bindgen(method, js_name = getZr)]
    pub fn zr(this: &Instance) -> Zr;

    #[wasm_bindgen(method)]
    pub fn on(this: &Zr, event: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, js_name = convertFromPixel)]
    pub fn from_pixel(this: &Instance, finder: &JsValue, point: &JsValue) -> JsValue;

    #[wasm_bindgen(method, js_name = dispatchAction)]
    pub fn dispatch_action(this: &Instance, action: &JsValue);
}

/// Whether the deferred script has run.
pub fn loaded() -> bool {
    web_sys::window()
        .map(|w| Reflect::has(&w, &JsValue::from_str("echarts")).unwrap_or(false))
        .unwrap_or(false)
}

/// Calls `f` once ECharts' script has run (it loads `async`, beside the WebAssembly).
pub fn when_loaded(f: &js_sys::Function) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let _ = match document.get_element_by_id(ECHARTS_SCRIPT_ID) {
        Some(script) => script.add_event_listener_with_callback("load", f),
        None => web_sys::window().map_or(Ok(()), |w| w.add_event_listener_with_callback("load", f)),
    };
}

/// The element ECharts draws into.
pub fn element() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(CHART_ID)
}

/// The instance drawing into `el`, if there is one.
pub fn instance_of(el: &web_sys::Element) -> Option<Instance> {
    // Before ECharts' script has run there is none (and no `echarts` to ask).
    if !loaded() {
        return None;
    }
    instance_by_dom(el).filter(|i| !i.is_undefined())
}

/// The instance drawing into the chart's element, if there is one.
pub fn current() -> Option<Instance> {
    element().and_then(|el| instance_of(&el))
}
