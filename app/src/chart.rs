//! The price chart. The server builds the ECharts option with charming (it has the
//! data) and draws a preview for the first paint (see [`crate::preview`]); in the
//! browser the WebAssembly hands the option to ECharts (loaded once from
//! `/echarts-5.6.0.min.js`), adding only the colours of the reader's scheme and the
//! range window, and follows the range buttons and the window size.

use crate::dashboard::ChartData;
use leptos::prelude::*;
use store::Symbol;

/// The element ECharts draws into.
pub const CHART_ID: &str = "price-chart";

/// The range buttons above the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    OneMonth,
    SixMonths,
    OneYear,
    FiveYears,
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

    /// Index of the first date inside the range ending at the last date.
    #[cfg(feature = "ssr")]
    pub fn start_index(self, series: &store::PriceSeries) -> usize {
        let (Some(months), Some(last)) = (self.months(), series.dates.last()) else {
            return 0;
        };
        let cutoff = last
            .checked_sub_months(chrono::Months::new(months))
            .unwrap_or(*last);
        series.dates.partition_point(|d| *d < cutoff)
    }
}

/// The chart card: range buttons and the chart box. The box holds `preview` (the
/// server's drawing, see [`crate::preview`]) and the surface ECharts draws on, over it.
/// The surface stays in the DOM across selections, so a new symbol updates the same
/// ECharts instance in place.
#[component]
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
pub fn PriceChart(
    chart: Signal<Option<(Symbol, ChartData)>>,
    /// The range buttons' choice, shared with the key stats above the chart.
    range: RwSignal<Range>,
    children: Children,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            let data = chart.get();
            let range = range.get();
            draw::draw(data.as_ref(), range);
        });
        let resize = window_event_listener(leptos::ev::resize, |_| draw::resize());
        on_cleanup(move || resize.remove());
    }

    view! {
        <section class="chart-card" aria-label="Price chart">
            <div class="ranges js-only" role="group" aria-label="Date range">
                {Range::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <button
                                type="button"
                                data-range=r.label()
                                aria-pressed=move || (range.get() == r).to_string()
                                on:click=move |_| range.set(r)
                            >
                                {r.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div data-testid="price-chart" class="chart" role="img" aria-label="Open and close prices by date">
                {children()}
                <div id=CHART_ID class="chart-live"></div>
            </div>
            <noscript><p class="hint">"Turn on JavaScript to zoom and to read each day's prices."</p></noscript>
        </section>
    }
}

/// The server's drawing of the chart, for the first paint. In the browser it stays as
/// the server wrote it until ECharts has drawn, then it is emptied (see `draw`); the
/// browser never gets the drawing's text (`Dashboard::preview` is not serialized).
#[component]
pub fn ChartPreview(html: String) -> impl IntoView {
    view! { <div class="chart-static" aria-hidden="true" inner_html=html></div> }
}

/// Builds the ECharts option for a series: open and close lines by date, an axis
/// tooltip, zoom by wheel/pinch and by slider, over every day. The colours and the
/// starting window are the browser's to add (see `draw`).
#[cfg(feature = "ssr")]
pub fn chart_option(symbol: &Symbol, series: &store::PriceSeries) -> charming::Chart {
    use charming::component::{Axis, DataZoom, DataZoomType, Grid, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Line;
    use charming::Chart;

    let dates: Vec<String> = series.dates.iter().map(|d| d.to_string()).collect();
    Chart::new()
        .background_color("transparent")
        .legend(
            Legend::new()
                .top(0)
                .data(vec![format!("{symbol} open"), format!("{symbol} close")]),
        )
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(
            Grid::new()
                .left(8)
                .right(16)
                .top(36)
                .bottom(64)
                .contain_label(true),
        )
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .boundary_gap(false)
                .data(dates),
        )
        .y_axis(Axis::new().type_(AxisType::Value).scale(true))
        .data_zoom(DataZoom::new().type_(DataZoomType::Inside))
        .data_zoom(DataZoom::new().type_(DataZoomType::Slider).bottom(8))
        .series(
            Line::new()
                .name(format!("{symbol} open"))
                .show_symbol(false)
                .data(series.open.clone()),
        )
        .series(
            Line::new()
                .name(format!("{symbol} close"))
                .show_symbol(false)
                .data(series.close.clone()),
        )
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
    }

    /// The series colours (open, close), as `style/main.css` gives them to the preview.
    const LIGHT: [&str; 2] = ["#2456c9", "#b3541e"];
    const DARK: [&str; 2] = ["#7aa2ff", "#ffb454"];

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

    /// The server's option with the reader's colours and the window of `range`.
    fn option_for(data: &ChartData, range: Range, dark: bool) -> Option<JsValue> {
        let option = JSON::parse(&data.option).ok()?;
        let [open, close] = if dark { DARK } else { LIGHT };
        let palette = Array::of2(&open.into(), &close.into());
        Reflect::set(&option, &"color".into(), &palette).ok()?;
        let start = data.range_starts.get(range.position())?;
        let zooms: Array = Reflect::get(&option, &"dataZoom".into())
            .ok()?
            .dyn_into()
            .ok()?;
        for zoom in zooms.iter() {
            Reflect::set(&zoom, &"startValue".into(), &start.into()).ok()?;
            Reflect::set(&zoom, &"endValue".into(), &data.end.as_str().into()).ok()?;
        }
        Some(option)
    }

    /// Draws `data` into the chart element, replacing whatever it showed before.
    pub fn draw(data: Option<&(Symbol, ChartData)>, range: Range) {
        let Some(el) = element() else { return };
        if !echarts_loaded() {
            // The deferred script runs before hydration in every browser we know; if
            // it has not, try again once the page has loaded.
            let data = data.cloned();
            let retry = Closure::once_into_js(move || draw(data.as_ref(), range));
            if let Some(w) = web_sys::window() {
                let _ = w.add_event_listener_with_callback("load", retry.unchecked_ref());
            }
            return;
        }
        let existing = instance_of(&el).filter(|i| !i.is_undefined());
        let Some((symbol, data)) = data else {
            if let Some(instance) = existing {
                instance.dispose();
            }
            if let Some(b) = chart_box(&el) {
                let _ = b.remove_attribute("data-drawn");
            }
            return;
        };
        let dark = prefers_dark();
        let Some(option) = option_for(data, range, dark) else {
            leptos::logging::error!("the chart's option could not be read");
            return;
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
            init(&el, &theme)
        });
        instance.set_option(&option, &settings);
        clear_preview(&el);
        if let Some(b) = chart_box(&el) {
            let _ = b.set_attribute("data-drawn", &format!("{symbol} {}", range.label()));
        }
    }

    /// Follows the container's new size after a window resize.
    pub fn resize() {
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
    use store::PriceSeries;

    fn series(days: i64) -> PriceSeries {
        let first = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..days)
            .map(|i| store::DailyBar {
                symbol: Symbol::parse("X").unwrap(),
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
            s.dates[one_month],
            NaiveDate::from_ymd_opt(2022, 2, 10).unwrap()
        );
        let one_year = Range::OneYear.start_index(&s);
        assert_eq!(
            s.dates[one_year],
            NaiveDate::from_ymd_opt(2021, 3, 10).unwrap()
        );
        assert_eq!(Range::FiveYears.start_index(&s), 0);
        assert_eq!(Range::OneYear.start_index(&PriceSeries::default()), 0);
    }
}
