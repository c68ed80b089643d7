//! "Copy link"'s browser half: the Clipboard API, reached through `js_sys`.

use js_sys::{Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

fn clipboard() -> Option<JsValue> {
    let navigator = Reflect::get(&window(), &"navigator".into()).ok()?;
    Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
}

/// Writes `location.href`; `copied` says so for two seconds.
pub fn copy_location(copied: RwSignal<bool>) {
    let (Some(clipboard), Ok(href)) = (clipboard(), window().location().href()) else {
        return;
    };
    let write = Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let Some(promise) = write.and_then(|w| w.call1(&clipboard, &JsValue::from_str(&href)).ok())
    else {
        return;
    };
    let done = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::once(move |_: JsValue| {
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    });
    let promise: js_sys::Promise = promise.unchecked_into();
    let _ = promise.then(&done);
    // Called once, after the page's own life is what keeps it: let JavaScript own it.
    done.forget();
}
