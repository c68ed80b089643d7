//! The browser's reader of an answer: `JSON.parse` builds the value, walked once into
//! `serde_lite`'s tree (numbers without a fraction become integers, as serde_json
//! reads them, so integer fields read them).

use js_sys::{Array, Object, JSON};
use serde_lite::{Intermediate, Map, Number};
use wasm_bindgen::{JsCast, JsValue};

/// The largest integer a JavaScript number holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

pub fn tree(text: &str) -> Option<Intermediate> {
    JSON::parse(text).ok().map(|value| walk(&value))
}

fn walk(value: &JsValue) -> Intermediate {
    if let Some(b) = value.as_bool() {
        Intermediate::Bool(b)
    } else if let Some(n) = value.as_f64() {
        Intermediate::Number(number(n))
    } else if let Some(s) = value.as_string() {
        Intermediate::String(s.into())
    } else if let Some(list) = value.dyn_ref::<Array>() {
        Intermediate::Array(list.iter().map(|v| walk(&v)).collect())
    } else if let Some(object) = value.dyn_ref::<Object>() {
        let mut map = Map::new();
        for pair in Object::entries(object).iter() {
            let pair: Array = pair.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            map.insert_with_owned_key(key, walk(&pair.get(1)));
        }
        Intermediate::Map(map)
    } else {
        Intermediate::None
    }
}

fn number(n: f64) -> Number {
    if n.fract() != 0.0 || n.abs() >= EXACT {
        Number::Float(n)
    } else if n < 0.0 {
        Number::SignedInt(n as i64)
    } else {
        Number::UnsignedInt(n as u64)
    }
}
