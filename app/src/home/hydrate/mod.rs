//! The home island's browser half. Its state changes three ways, each ending in
//! [`go`]: a control of its form (read as the GET form would send it), a navigation to
//! `/` that `public/nav.js` hands over (`tickerboard:go`: links, the search form, Back
//! and Forward), and a range button ([`choose_range`], which needs no answer: every
//! range's data is in the chart's). `go` asks `get_dashboard` through the
//! server-function client (`POST /api/dashboard`) and puts its answer in the state;
//! the URL follows.

pub mod clipboard;

use crate::chart::view::{home_href, ChartKind, ChartParams, ChartView, PageQuery, Range};
use crate::chart::wire::{ANSWER_ID, PAGE_ID};
use crate::home::api::get_dashboard;
use crate::home::data::{applied, Dashboard};
use crate::home::live::Live;
use js_sys::Reflect;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use wasm_bindgen::{JsCast, JsValue};

/// How a new view meets the browser's history.
#[derive(Clone, Copy, PartialEq)]
pub enum Entry {
    /// A new entry (another symbol).
    Push,
    /// The current entry, changed (a chart control).
    Replace,
    /// Back or Forward landed on it: the entry stays.
    Keep,
}

thread_local! {
    /// The number of the newest request: an older answer that arrives later is dropped.
    static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The answer the page was rendered from and the page's parameters: its `dashboard`
/// and `page-query` scripts, read as the server-function client reads an answer
/// ([`crate::answer::read`], the same code).
pub fn first_answer() -> Option<(Dashboard, PageQuery)> {
    Some((script(ANSWER_ID)?, script(PAGE_ID)?))
}

/// The page's JSON script `id`, read.
fn script<T: serde_lite::Deserialize>(id: &str) -> Option<T> {
    let text = document().get_element_by_id(id)?.text_content()?;
    crate::answer::read(&text)
}

/// Starts the island: `data-ready` once hydrated, and the navigations `nav.js` hands
/// over while the island is on the page.
pub fn start(live: Live, root: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| live.ready.set(true));
    let handle = window_event_listener_untyped("tickerboard:go", move |ev| {
        if root.get_untracked().is_some_and(|r| r.is_connected()) {
            handed_over(live, ev);
        }
    });
    // The island lives as long as the page it is on; a page morphed in brings its own.
    std::mem::forget(handle);
}

/// `nav.js`'s `tickerboard:go`: `{ href, replace, record }`.
fn handed_over(live: Live, ev: web_sys::Event) {
    let Some(detail) = ev.dyn_ref::<web_sys::CustomEvent>().map(|e| e.detail()) else {
        return;
    };
    let field = |key: &str| Reflect::get(&detail, &JsValue::from_str(key)).unwrap_or_default();
    let Some(url) = field("href")
        .as_string()
        .and_then(|href| web_sys::Url::new(&href).ok())
    else {
        return;
    };
    let entry = if !field("record").is_truthy() {
        Entry::Keep
    } else if field("replace").is_truthy() {
        Entry::Replace
    } else {
        Entry::Push
    };
    go(live, &url.search(), entry, field("refresh").is_truthy());
}

/// A control of the island's live form changed: the form as it would be sent, a new
/// history entry for another symbol (`data-push`), the same entry for the rest.
pub fn changed(live: Live, ev: web_sys::Event) {
    let Some(control) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let form = control
        .closest("form[data-live]")
        .ok()
        .flatten()
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
    let Some(form) = form else { return };
    let Some(search) = web_sys::FormData::new_with_form(&form)
        .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data))
        .ok()
        .map(|params| String::from(params.to_string()))
    else {
        return;
    };
    if control.tag_name() == "SELECT" && control.has_attribute("data-scripted") {
        // "Add…" again: the symbol added leaves its options.
        let _ = Reflect::set(
            &control,
            &JsValue::from_str("value"),
            &JsValue::from_str(""),
        );
    }
    let entry = if control.has_attribute("data-push") {
        Entry::Push
    } else {
        Entry::Replace
    };
    go(live, &search, entry, false);
}

/// A range button: the chart shows the window at once; the key stats, the forms'
/// hidden range and the URL (the same entry) follow from the state.
pub fn choose_range(live: Live, range: Range) {
    show_range(live, range, Entry::Replace);
}

/// The same view at `range`, drawn at once (every range's window is in the chart's
/// data), its URL recorded as `entry` says.
fn show_range(live: Live, range: Range, entry: Entry) {
    live.dashboard.update(|d| d.view.range = range);
    record(entry, &href_at(live, range));
}

/// Shows the view of the URL query `search`: at once when only the range differs from
/// what is shown, otherwise from `get_dashboard`'s answer. When the server refuses
/// (a bad parameter, a symbol it does not know) or cannot answer, the page loads the
/// ordinary way, and the server's page says why.
pub fn go(live: Live, search: &str, entry: Entry, refresh: bool) {
    let search = search.trim_start_matches('?');
    let requested = if search.is_empty() {
        "/".to_string()
    } else {
        format!("/?{search}")
    };
    let params = params_of(search);
    let range = params
        .get("range")
        .and_then(|r| Range::parse(&r))
        .unwrap_or_default();
    if !refresh && href_at(live, range) == requested {
        return show_range(live, range, entry);
    }
    let given = |key: &str| params.get(key).filter(|v| !v.trim().is_empty());
    let asked = PageQuery {
        symbol: given("symbol"),
        q: given("q"),
        news: given("news"),
    };
    let chart = short_form(ChartParams::from_query(&params));
    let n = LATEST.with(|l| {
        l.set(l.get() + 1);
        l.get()
    });
    leptos::task::spawn_local(async move {
        let answer = get_dashboard(
            asked.symbol.clone(),
            asked.q.clone(),
            asked.news.clone(),
            chart.range,
            chart.chart,
            chart.ma,
            chart.compare,
            chart.scale,
            chart.ind,
            chart.markers,
        )
        .await;
        if LATEST.with(|l| l.get()) != n {
            return;
        }
        match answer {
            Ok(dashboard) => {
                if refresh {
                    crate::chart::island::keep_zoom_next();
                }
                show(live, dashboard, &asked, entry, &requested)
            }
            Err(_) => {
                let _ = window().location().assign(&requested);
            }
        }
    });
}

/// The chart's parameters as the page's URL writes them (defaults and empty fields left
/// out, lists joined), so one view is one request body and one entry of the server's
/// page cache. Checking the values is the server's work: it says which one is bad.
fn short_form(chart: ChartParams) -> ChartParams {
    let kept = |value: Option<String>, default: &str| {
        value
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case(default))
    };
    ChartParams {
        range: kept(chart.range, Range::All.param()),
        chart: kept(chart.chart, ChartKind::Line.param()),
        ma: kept(chart.ma, ""),
        compare: kept(chart.compare, ""),
        scale: kept(chart.scale, ""),
        ind: kept(chart.ind, ""),
        markers: kept(chart.markers, "on"),
    }
}

/// Puts an answer in the state and the URL in the address bar.
fn show(live: Live, mut dashboard: Dashboard, asked: &PageQuery, entry: Entry, requested: &str) {
    let (page, canonical) = applied(&dashboard, asked);
    live.chart.set(dashboard.chart.take());
    live.page.set(page);
    live.dashboard.set(dashboard);
    record(entry, canonical.as_deref().unwrap_or(requested));
}

/// The URL of what the island shows, at `range`.
fn href_at(live: Live, range: Range) -> String {
    let view = live.dashboard.with_untracked(|d| ChartView {
        range,
        ..d.view.clone()
    });
    live.page
        .with_untracked(|page| home_href(page.params(), &view))
}

/// `href` in the address bar and in the page's canonical link.
fn record(entry: Entry, href: &str) {
    let window = window();
    if let Ok(history) = window.history() {
        let state = JsValue::NULL;
        let _ = match entry {
            Entry::Push => history.push_state_with_url(&state, "", Some(href)),
            Entry::Replace | Entry::Keep => history.replace_state_with_url(&state, "", Some(href)),
        };
    }
    if let Some(link) = document()
        .query_selector("link[rel=canonical]")
        .ok()
        .flatten()
    {
        let _ = link.set_attribute("href", href);
    }
}

/// A URL query as the router's map.
fn params_of(search: &str) -> ParamsMap {
    let mut map = ParamsMap::new();
    if let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) {
        if let Ok(Some(entries)) = js_sys::try_iter(&params) {
            for pair in entries.flatten() {
                let pair: js_sys::Array = pair.unchecked_into();
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    // `insert` decodes again: hand it the value encoded.
                    map.insert(k, String::from(js_sys::encode_uri_component(&v)));
                }
            }
        }
    }
    map
}
