//! Small reads and writes of JavaScript values and of the page, for the chart's
//! browser half: no JSON reader or DOM library of our own in the bundle.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// `target[key]`, undefined when it is not there.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key] = value`.
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The number at index `k` of a JavaScript array (a dataset row), if it is one.
pub fn number_at(row: &JsValue, k: usize) -> Option<f64> {
    Reflect::get_u32(row, k as u32)
        .ok()
        .and_then(|v| v.as_f64())
}

/// `value` with `digits` decimals, as JavaScript writes it.
pub fn fixed(value: f64, digits: u8) -> String {
    js_sys::Number::from(value)
        .to_fixed(digits)
        .map(String::from)
        .unwrap_or_default()
}

/// Whether the media query matches.
fn media(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

pub fn prefers_dark() -> bool {
    media("(prefers-color-scheme: dark)")
}

/// A phone or tablet: a finger drag over the chart must scroll the page.
pub fn coarse_pointer() -> bool {
    media("(pointer: coarse)")
}

/// A user-timing mark (`performance.mark`), for the benchmark's account of where a
/// cold load's time goes (`bench/browser.mjs`).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
