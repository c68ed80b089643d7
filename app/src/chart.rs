//! The price chart. The server builds the ECharts option with charming (it has the
//! data) and draws a preview for the first paint (see [`crate::preview`]); in the
//! browser the chart island hands the option to ECharts (loaded once from
//! `/echarts-5.6.0-4.min.js`), adding only the colours of the reader's scheme and the
//! range window, and follows the range buttons and the window size.

use crate::dashboard::ChartData;
use leptos::prelude::*;

/// The chart's colours. The server writes the light ones into the option and the
/// preview's classes; a dark page swaps each for its twin. Okabe–Ito-like hues, told
/// apart with any colour vision; up and down are blue and orange (and candles differ
/// by shape too: the tooltip and the key stats say the direction in words).
pub mod palette {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Hue {
        pub light: &'static str,
        pub dark: &'static str,
    }

    pub const OPEN: Hue = Hue {
        light: "#2456c9",
        dark: "#7aa2ff",
    };
    pub const CLOSE: Hue = Hue {
        light: "#b3541e",
        dark: "#ffb454",
    };
    pub const UP: Hue = Hue {
        light: "#1f5fbf",
        dark: "#8fb2ff",
    };
    pub const DOWN: Hue = Hue {
        light: "#b34a00",
        dark: "#ffa45c",
    };
    /// The moving averages, in `MA_PERIODS` order.
    pub const MA: [Hue; 3] = [
        Hue {
            light: "#8a3ffc",
            dark: "#be95ff",
        },
        Hue {
            light: "#007d79",
            dark: "#3ddbd9",
        },
        Hue {
            light: "#6f6f6f",
            dark: "#c6c6c6",
        },
    ];
    /// The main symbol, then each compared one.
    pub const COMPARE: [Hue; 5] = [CLOSE, OPEN, MA[1], MA[0], MA[2]];
    /// Every colour the option may hold.
    pub const ALL: [Hue; 7] = [OPEN, CLOSE, UP, DOWN, MA[0], MA[1], MA[2]];
    /// The id prefix of the series the browser rebases to % change.
    pub const COMPARE_ID: &str = "cmp:";
}

/// The element ECharts draws into.
pub const CHART_ID: &str = "price-chart";

/// The range buttons above the chart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Range {
    OneMonth,
    SixMonths,
    OneYear,
    FiveYears,
    #[default]
    All,
}

impl Range {
    pub const ALL: [Range; 5] = [
        Range::OneMonth,
        Range::SixMonths,
        Range::OneYear,
        Range::FiveYears,
        Range::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Range::OneMonth => "1M",
            Range::SixMonths => "6M",
            Range::OneYear => "1Y",
            Range::FiveYears => "5Y",
            Range::All => "All",
        }
    }

    /// As the URL writes it (`?range=1Y`, `?range=all`).
    pub fn param(self) -> &'static str {
        match self {
            Range::All => "all",
            other => other.label(),
        }
    }

    /// A range from the URL, in any case: `1M`, `6m`, `1Y`, `5Y`, `all`.
    pub fn parse(raw: &str) -> Option<Range> {
        let raw = raw.trim();
        Range::ALL
            .into_iter()
            .find(|r| r.param().eq_ignore_ascii_case(raw))
    }

    /// Where this range sits in [`Range::ALL`] (and in `ChartData::range_starts`).
    pub fn position(self) -> usize {
        Range::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }

    #[cfg(feature = "ssr")]
    fn months(self) -> Option<u32> {
        match self {
            Range::OneMonth => Some(1),
            Range::SixMonths => Some(6),
            Range::OneYear => Some(12),
            Range::FiveYears => Some(60),
            Range::All => None,
        }
    }

    /// Index of the first day inside the range ending at the last day (`bars` oldest
    /// first).
    #[cfg(feature = "ssr")]
    pub fn start_index(self, bars: &[store::DailyBar]) -> usize {
        let (Some(months), Some(last)) = (self.months(), bars.last()) else {
            return 0;
        };
        let cutoff = last
            .date
            .checked_sub_months(chrono::Months::new(months))
            .unwrap_or(last.date);
        bars.partition_point(|b| b.date < cutoff)
    }
}

/// The ids of the page's two JSON scripts beside the chart island: what the page shows
/// ([`ChartPage`]) and the chart's data ([`ChartData`]). They sit outside the island, so
/// an in-place navigation (`public/nav.js`) brings the next page's; the island reads
/// them when it hydrates and on each `tickerboard:page` event.
pub const PAGE_ID: &str = "chart-page";
pub const DATA_ID: &str = "chart-data";

/// What the page shows around the chart, for the chart island: the symbol, the range
/// (its URL form) and, per range button in `Range::ALL` order, the page's URL with it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ChartPage {
    pub symbol: Option<String>,
    pub range: &'static str,
    pub range_hrefs: Vec<String>,
}

/// The range the page shows, for the island's first render on the server.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct ShownRange(Range);

/// `value` as JSON to put inside a `<script type="application/json">`: every `<` is
/// written `\u003c` (JSON allows it only inside strings, where the escape means the
/// same), so no `</script>` or `<!--` in the data can end or bend the script element.
pub fn script_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .expect("the chart's data is JSON")
        .replace('<', "\\u003c")
}

/// The chart card: the island (range buttons and the chart box, with `children`, the
/// server's drawing, in it) and the page's data for it.
#[component]
pub fn PriceChart(
    page: ChartPage,
    data: Option<ChartData>,
    range: Range,
    children: Children,
) -> impl IntoView {
    provide_context(ShownRange(range));
    let page = script_json(&page);
    let data = data.map(|d| script_json(&d));
    view! {
        <section class="chart-card" aria-label="Price chart">
            <ChartIsland>{children()}</ChartIsland>
            <script type="application/json" id=PAGE_ID inner_html=page></script>
            {data.map(|d| view! { <script type="application/json" id=DATA_ID inner_html=d></script> })}
            <noscript><p class="hint">"Turn on JavaScript to zoom and to read each day's prices."</p></noscript>
        </section>
    }
}

/// The interactive chart, the one island of `/` that draws: range buttons and the box
/// ECharts draws in, over the server's drawing (`children`). It hands the page's option
/// to ECharts, follows the range buttons (drawing the new window at once, then asking
/// `nav.js` for the page with that range, replacing the history entry) and the window
/// size, and after an in-place navigation draws the new page's data.
#[island]
pub fn ChartIsland(children: Children) -> impl IntoView {
    let range = RwSignal::new(first_range());
    let surface = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    draw::attach(surface, range);
    view! {
        <div class="ranges js-only" role="group" aria-label="Date range">
            {Range::ALL
                .into_iter()
                .map(|r| {
                    view! {
                        <button
                            type="button"
                            data-range=r.label()
                            aria-pressed=move || (range.get() == r).to_string()
                            on:click=move |_| {
                                #[cfg(feature = "hydrate")]
                                draw::choose(r, range);
                            }
                        >
                            {r.label()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
        <div data-testid="price-chart" class="chart" role="img" aria-label="Open and close prices by date">
            {children()}
            <div id=CHART_ID class="chart-live" node_ref=surface></div>
        </div>
    }
}

/// The range the island starts with: the page's (the server's context, the browser's
/// `chart-page` script: the same value, so hydration matches).
fn first_range() -> Range {
    #[cfg(feature = "ssr")]
    return use_context::<ShownRange>().map(|r| r.0).unwrap_or_default();
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return draw::page_range().unwrap_or_default();
    #[allow(unreachable_code)]
    Range::default()
}

/// The server's drawing of the chart, for the first paint. It stays as the server wrote
/// it until ECharts has drawn, then it is emptied (see `draw`).
#[component]
pub fn ChartPreview(html: String) -> impl IntoView {
    view! { <div class="chart-static" aria-hidden="true" inner_html=html></div> }
}

#[cfg(feature = "hydrate")]
mod draw {
    use super::*;
    use js_sys::{Array, Object, Reflect, JSON};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        /// An ECharts instance (`echarts.init`'s result).
        type Instance;

        #[wasm_bindgen(js_namespace = echarts, js_name = init)]
        fn init(el: &web_sys::Element, theme: &JsValue) -> Instance;

        #[wasm_bindgen(js_namespace = echarts, js_name = getInstanceByDom)]
        fn instance_of(el: &web_sys::Element) -> Option<Instance>;

        #[wasm_bindgen(method, js_name = setOption)]
        fn set_option(this: &Instance, option: &JsValue, settings: &JsValue);

        #[wasm_bindgen(method)]
        fn resize(this: &Instance);

        #[wasm_bindgen(method)]
        fn dispose(this: &Instance);

        #[wasm_bindgen(method, js_name = dispatchAction)]
        fn dispatch_action(this: &Instance, action: &JsValue);
    }

    fn element() -> Option<web_sys::Element> {
        web_sys::window()?.document()?.get_element_by_id(CHART_ID)
    }

    /// The chart box around the surface: it carries `data-drawn` and the preview.
    fn chart_box(el: &web_sys::Element) -> Option<web_sys::Element> {
        el.parent_element()
    }

    /// Empties the server's preview once ECharts shows the same data.
    fn clear_preview(el: &web_sys::Element) {
        if let Some(preview) =
            chart_box(el).and_then(|b| b.query_selector(".chart-static").ok().flatten())
        {
            preview.set_inner_html("");
        }
    }

    fn echarts_loaded() -> bool {
        web_sys::window()
            .map(|w| Reflect::has(&w, &JsValue::from_str("echarts")).unwrap_or(false))
            .unwrap_or(false)
    }

    fn prefers_dark() -> bool {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .map(|m| m.matches())
            .unwrap_or(false)
    }

    /// A phone or tablet: a finger drag over the chart must scroll the page.
    fn coarse_pointer() -> bool {
        web_sys::window()
            .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
            .map(|m| m.matches())
            .unwrap_or(false)
    }

    /// A tooltip formatter as ECharts calls it: the hovered day's params in, HTML out.
    type Formatter = Closure<dyn Fn(JsValue) -> JsValue>;

    /// The open, high, low and volume of a line chart's days, asked for the first time
    /// its tooltip shows (see `get_bar_details`).
    enum Details {
        Asked,
        /// `[[open, high, low, volume], …]`, one per dataset row.
        Ready(Array),
        /// The server had none that fit the drawn days: the tooltip shows the close.
        Unavailable,
    }

    thread_local! {
        /// The details of the drawn symbol, by symbol and last date (a new ingest or
        /// another symbol asks again).
        static DETAILS: std::cell::RefCell<Option<((String, String), Details)>> =
            const { std::cell::RefCell::new(None) };
        /// The day the tooltip showed last (where it shows again when the details come).
        static LAST_TIP: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
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

    fn get(target: &JsValue, key: &str) -> JsValue {
        Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The number at index `k` of a JavaScript array (a dataset row), if it is one.
    fn number_at(row: &JsValue, k: u32) -> Option<f64> {
        Reflect::get_u32(row, k).ok().and_then(|v| v.as_f64())
    }

    fn set(target: &JsValue, key: &str, value: &JsValue) {
        let _ = Reflect::set(target, &JsValue::from_str(key), value);
    }

    /// The server's option (in `data`, the page's `ChartData` as JSON text) with the
    /// reader's colours, the window of `range`, compared symbols as % change from the
    /// window's first day, and the tooltip.
    fn option_for(symbol: &str, data: &str, range: Range, dark: bool) -> Option<JsValue> {
        let text = if dark {
            palette::ALL.iter().fold(data.to_string(), |text, hue| {
                text.replace(hue.light, hue.dark)
            })
        } else {
            data.to_string()
        };
        let data = JSON::parse(&text).ok()?;
        let option = get(&data, "option");
        let start = Reflect::get_u32(&get(&data, "range_starts"), range.position() as u32)
            .ok()?
            .as_f64()? as usize;
        let end = get(&data, "end").as_f64()?;
        let details_at = get(&data, "details_at").as_f64().map(|at| at as usize);
        let zooms: Array = get(&option, "dataZoom").dyn_into().ok()?;
        let touch = coarse_pointer();
        for zoom in zooms.iter() {
            set(&zoom, "startValue", &(start as f64).into());
            set(&zoom, "endValue", &end.into());
            if touch && get(&zoom, "type").as_string().as_deref() == Some("inside") {
                // Pinch still zooms; one finger scrolls the page, never the chart.
                set(&zoom, "moveOnMouseMove", &JsValue::FALSE);
                set(&zoom, "preventDefaultMouseMove", &JsValue::FALSE);
            }
        }
        let series: Array = get(&option, "series").dyn_into().ok()?;
        for s in series.iter() {
            let compared = get(&s, "id")
                .as_string()
                .is_some_and(|id| id.starts_with(palette::COMPARE_ID));
            if compared {
                if let Ok(values) = get(&s, "data").dyn_into::<Array>() {
                    set(&s, "data", &rebased(&values, start));
                }
            }
        }
        let rows: Array = get(&get(&option, "dataset"), "source").dyn_into().ok()?;
        let last_date = rows
            .get(rows.length().saturating_sub(1))
            .dyn_into::<Array>()
            .ok()
            .and_then(|r| r.get(0).as_string())
            .unwrap_or_default();
        let key = (symbol.to_string(), last_date);
        let formatter = Formatter::new(move |params: JsValue| {
            JsValue::from_str(&tooltip_html(&params, &rows, details_at, &key))
        });
        set(&get(&option, "tooltip"), "formatter", formatter.as_ref());
        FORMATTER.with(|f| *f.borrow_mut() = Some(formatter));
        // A log axis starts and ends at the data's own extremes: short labels for
        // those (84.6 rather than 84.5745).
        let axes: Array = get(&option, "yAxis").dyn_into().unwrap_or_default();
        for axis in axes.iter() {
            if get(&axis, "type").as_string().as_deref() == Some("log") {
                let label = get(&axis, "axisLabel");
                let label = if label.is_object() {
                    label
                } else {
                    let fresh: JsValue = Object::new().into();
                    set(&axis, "axisLabel", &fresh);
                    fresh
                };
                LOG_LABEL.with(|f| set(&label, "formatter", f.as_ref().unchecked_ref()));
            }
        }
        Some(option)
    }

    /// `values` as % change from the first one present at or after `start`.
    fn rebased(values: &Array, start: usize) -> Array {
        let base = (start as u32..values.length())
            .filter_map(|i| values.get(i).as_f64())
            .find(|v| *v != 0.0);
        values
            .iter()
            .map(|v| match (v.as_f64(), base) {
                (Some(v), Some(base)) => {
                    JsValue::from_f64(((v / base - 1.0) * 10_000.0).round() / 100.0)
                }
                _ => JsValue::NULL,
            })
            .collect()
    }

    fn fixed(value: f64, digits: u8) -> String {
        js_sys::Number::from(value)
            .to_fixed(digits)
            .map(String::from)
            .unwrap_or_default()
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// The day's `[open, high, low, volume]` at `index`: from the row when it carries
    /// them (`details_at`), else from the details asked for the symbol, asking for
    /// them the first time (the tooltip shows the close meanwhile).
    fn day_details(
        row: &JsValue,
        index: u32,
        details_at: Option<usize>,
        key: &(String, String),
    ) -> Option<[f64; 4]> {
        let read = |v: &JsValue, from: u32| {
            Some([
                number_at(v, from)?,
                number_at(v, from + 1)?,
                number_at(v, from + 2)?,
                number_at(v, from + 3)?,
            ])
        };
        if let Some(at) = details_at {
            return read(row, at as u32);
        }
        let known = DETAILS.with(|d| {
            d.borrow()
                .as_ref()
                .filter(|(k, _)| k == key)
                .map(|(_, details)| match details {
                    Details::Ready(rows) => Some(read(&rows.get(index), 0)),
                    Details::Asked | Details::Unavailable => None,
                })
        });
        match known {
            Some(found) => found.flatten(),
            None => {
                ask_details(key.clone());
                None
            }
        }
    }

    /// Asks the server for the days' details once; when they come and the tooltip is
    /// still showing, shows its day (the last one hovered) again with them.
    fn ask_details(key: (String, String)) {
        DETAILS.with(|d| *d.borrow_mut() = Some((key.clone(), Details::Asked)));
        leptos::task::spawn_local(async move {
            let parsed = fetch_details(&key.0).await;
            let details = parsed
                .filter(|p| get(p, "last").as_string().as_deref() == Some(key.1.as_str()))
                .and_then(|p| get(&p, "rows").dyn_into::<Array>().ok())
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
                if let Some(instance) = element().and_then(|el| instance_of(&el)) {
                    // ECharts keeps a tooltip whose day has not changed as it is: hide
                    // it first, so the same day is written again, with the details.
                    let hide = Object::new();
                    set(&hide, "type", &"hideTip".into());
                    instance.dispatch_action(&hide);
                    let action = Object::new();
                    set(&action, "type", &"showTip".into());
                    set(&action, "seriesIndex", &0.into());
                    set(&action, "dataIndex", &LAST_TIP.with(|t| t.get()).into());
                    instance.dispatch_action(&action);
                }
            }
        });
    }

    /// `POST /api/bar_details` (the [`crate::dashboard::get_bar_details`] server
    /// function) for `symbol`, its answer parsed by the browser: the bundle needs no JSON
    /// reader of its own. `None` when it failed.
    async fn fetch_details(symbol: &str) -> Option<JsValue> {
        use leptos::server_fn::ServerFn;
        use wasm_bindgen_futures::JsFuture;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        let headers = Object::new();
        set(
            &headers,
            "content-type",
            &"application/x-www-form-urlencoded".into(),
        );
        init.set_headers(&headers);
        let body = format!("symbol={}", crate::chart_view::encode(symbol));
        init.set_body(&JsValue::from_str(&body));
        let path = crate::dashboard::GetBarDetails::PATH;
        let response = JsFuture::from(web_sys::window()?.fetch_with_str_and_init(path, &init))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.json().ok()?).await.ok()
    }

    /// Whether the tooltip is on the screen now (ECharts hides it with `visibility`).
    fn tip_showing() -> bool {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("#{CHART_ID} .tip"))
                    .ok()
                    .flatten()
            })
            .and_then(|tip| tip.parent_element())
            .and_then(|box_| box_.get_attribute("style"))
            .is_some_and(|style| !style.contains("visibility: hidden"))
    }

    /// The hovered (or tapped) day: date, open, high, low, close, volume and the change
    /// from the previous close, then each average or compared symbol.
    fn tooltip_html(
        params: &JsValue,
        rows: &Array,
        details_at: Option<usize>,
        key: &(String, String),
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
        let date = Reflect::get_u32(&row, 0)
            .ok()
            .and_then(|d| d.as_string())
            .unwrap_or_default();
        let mut html = format!(r#"<div class="tip"><b>{}</b>"#, escape(&date));
        let details = day_details(&row, index, details_at, key);
        if let Some(c) = number_at(&row, 1) {
            match details {
                Some([o, h, l, _]) => html.push_str(&format!(
                    r#"<div class="ohlc">O {} · H {} · L {} · C {}</div>"#,
                    fixed(o, 2),
                    fixed(h, 2),
                    fixed(l, 2),
                    fixed(c, 2)
                )),
                None => html.push_str(&format!(r#"<div class="ohlc">C {}</div>"#, fixed(c, 2))),
            }
            let previous = index
                .checked_sub(1)
                .and_then(|i| number_at(&rows.get(i), 1))
                .filter(|p| *p != 0.0);
            if let Some(p) = previous {
                let pct = (c / p - 1.0) * 100.0;
                let (class, arrow, sign) = if pct > 0.0 {
                    ("up", "▲", "+")
                } else if pct < 0.0 {
                    ("down", "▼", "")
                } else {
                    ("flat", "■", "")
                };
                html.push_str(&format!(
                    r#"<div class="{class}">{arrow} {sign}{} % from the previous close</div>"#,
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
        for p in params.iter() {
            let name = get(&p, "seriesName").as_string().unwrap_or_default();
            let compared = get(&p, "seriesId")
                .as_string()
                .is_some_and(|id| id.starts_with(palette::COMPARE_ID));
            if !(compared || name.starts_with("MA ")) {
                continue;
            }
            // A line of its own data has a number; one drawn from the dataset, the row
            // (its value is at the dimension `encode.y` names).
            let raw = get(&p, "value");
            let value = raw.as_f64().or_else(|| {
                let y = Reflect::get_u32(&get(&get(&p, "encode"), "y"), 0)
                    .ok()?
                    .as_f64()?;
                Reflect::get_u32(&raw, y as u32).ok()?.as_f64()
            });
            let Some(value) = value else {
                continue;
            };
            let marker = get(&p, "marker").as_string().unwrap_or_default();
            let shown = if compared {
                format!(
                    "{}{} %",
                    if value > 0.0 { "+" } else { "" },
                    fixed(value, 2)
                )
            } else {
                fixed(value, 2)
            };
            html.push_str(&format!("<div>{marker}{} {shown}</div>", escape(&name)));
        }
        html.push_str("</div>");
        html
    }

    thread_local! {
        /// What the chart element shows: the page's chart data (its JSON text) and range.
        static SHOWN: std::cell::RefCell<Option<(String, Range)>> =
            const { std::cell::RefCell::new(None) };
    }

    fn script_text(id: &str) -> Option<String> {
        web_sys::window()?
            .document()?
            .get_element_by_id(id)?
            .text_content()
    }

    /// The page's `chart-page` script, parsed.
    fn page() -> Option<JsValue> {
        JSON::parse(&script_text(PAGE_ID)?).ok()
    }

    /// The range the page shows.
    pub fn page_range() -> Option<Range> {
        Range::parse(&get(&page()?, "range").as_string()?)
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
                    // A new range redraws through the effect above; the same range
                    // may come with new data.
                    let r = page_range().unwrap_or_default();
                    if range.get_untracked() != r {
                        range.set(r);
                    } else {
                        show(r);
                    }
                } else {
                    if let Some(instance) = instance_of(&el).filter(|i| !i.is_undefined()) {
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
            Reflect::get_u32(&get(&p, "range_hrefs"), r.position() as u32)
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

    /// Draws the page's chart data at range `r`, unless the chart shows them already.
    fn show(r: Range) {
        let Some(el) = element() else { return };
        let existing = instance_of(&el).filter(|i| !i.is_undefined());
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
            .and_then(|p| get(&p, "symbol").as_string())
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
        if !echarts_loaded() {
            // The deferred script runs before hydration in every browser we know; if
            // it has not, try again once the page has loaded.
            let retry = Closure::once_into_js(move || show(range));
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback("load", retry.unchecked_ref());
            }
            return false;
        }
        let dark = prefers_dark();
        let Some(option) = option_for(symbol, data, range, dark) else {
            leptos::logging::error!("the chart's option could not be read");
            return false;
        };
        // notMerge: the new option replaces the old one, so no series of the previous
        // symbol lingers.
        let settings = Object::new();
        let _ = Reflect::set(&settings, &"notMerge".into(), &JsValue::TRUE);
        let instance = existing.unwrap_or_else(|| {
            let theme = if dark {
                JsValue::from_str("dark")
            } else {
                JsValue::NULL
            };
            init(el, &theme)
        });
        instance.set_option(&option, &settings);
        clear_preview(el);
        if let Some(b) = chart_box(el) {
            let _ = b.set_attribute("data-drawn", &format!("{symbol} {}", range.label()));
        }
        true
    }

    /// Follows the container's new size after a window resize.
    fn resize() {
        if let Some(instance) = element()
            .and_then(|el| instance_of(&el))
            .filter(|i| !i.is_undefined())
        {
            instance.resize();
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use store::DailyBar;

    #[test]
    fn script_json_cannot_end_its_script_element() {
        let hostile = "</script><script>alert(1)</script><!--";
        let text = script_json(&serde_json::json!({ "title": hostile }));
        assert!(!text.contains('<'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], hostile);
    }

    fn series(days: i64) -> Vec<DailyBar> {
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..days)
            .map(|i| store::DailyBar {
                symbol: store::Symbol::parse("X").unwrap(),
                date: first + chrono::Duration::days(i),
                open: 1.0,
                high: 1.0,
                low: 1.0,
                close: 1.0,
                volume: 0.0,
            })
            .collect()
    }

    #[test]
    fn range_start_index_counts_back_from_the_last_date() {
        let s = series(800); // 2020-01-01 .. 2022-03-10
        assert_eq!(Range::All.start_index(&s), 0);
        let one_month = Range::OneMonth.start_index(&s);
        assert_eq!(
            s[one_month].date,
            NaiveDate::from_ymd_opt(2022, 2, 10).unwrap()
        );
        let one_year = Range::OneYear.start_index(&s);
        assert_eq!(
            s[one_year].date,
            NaiveDate::from_ymd_opt(2021, 3, 10).unwrap()
        );
        assert_eq!(Range::FiveYears.start_index(&s), 0);
        assert_eq!(Range::OneYear.start_index(&[]), 0);
    }
}
