//! The price chart: a container rendered on the server, drawn in the browser by
//! charming's `WasmRenderer` into ECharts (loaded once from `/echarts-5.6.0.min.js`).

use leptos::prelude::*;
use store::{PriceSeries, Symbol};

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
    pub fn start_index(self, series: &PriceSeries) -> usize {
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
    series: Signal<Option<(Symbol, PriceSeries)>>,
    children: Children,
) -> impl IntoView {
    let range = RwSignal::new(Range::All);

    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            let data = series.get();
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

/// The server's drawing of `series`, for the first paint. In the browser it stays as
/// the server wrote it until ECharts has drawn, then it is emptied (see `draw`).
#[component]
pub fn ChartPreview(selected: Option<Symbol>, series: PriceSeries) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let html = selected
        .as_ref()
        .map(|symbol| crate::preview::preview_html(symbol, &series))
        .unwrap_or_default();
    // The browser never draws a preview: hydration keeps the server's, and a later
    // selection is drawn by ECharts alone.
    #[cfg(not(feature = "ssr"))]
    let html = {
        let _ = (selected, series);
        String::new()
    };
    view! { <div class="chart-static" aria-hidden="true" inner_html=html></div> }
}

/// Builds the ECharts option for a series: open and close lines by date, an axis
/// tooltip, zoom by wheel/pinch and by slider, starting at `range`.
pub fn chart_option(
    symbol: &Symbol,
    series: &PriceSeries,
    range: Range,
    dark: bool,
) -> charming::Chart {
    use charming::component::{Axis, DataZoom, DataZoomType, Grid, Legend};
    use charming::element::{AxisType, Tooltip, Trigger};
    use charming::series::Line;
    use charming::Chart;

    let dates: Vec<String> = series.dates.iter().map(|d| d.to_string()).collect();
    let start = dates
        .get(range.start_index(series))
        .cloned()
        .unwrap_or_default();
    let end = dates.last().cloned().unwrap_or_default();
    let (open_color, close_color) = if dark {
        ("#7aa2ff", "#ffb454")
    } else {
        ("#2456c9", "#b3541e")
    };

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
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Inside)
                .start_value(start.clone())
                .end_value(end.clone()),
        )
        .data_zoom(
            DataZoom::new()
                .type_(DataZoomType::Slider)
                .start_value(start)
                .end_value(end)
                .bottom(8),
        )
        .series(
            Line::new()
                .name(format!("{symbol} open"))
                .show_symbol(false)
                .item_style(charming::element::ItemStyle::new().color(open_color))
                .data(series.open.clone()),
        )
        .series(
            Line::new()
                .name(format!("{symbol} close"))
                .show_symbol(false)
                .item_style(charming::element::ItemStyle::new().color(close_color))
                .data(series.close.clone()),
        )
}

#[cfg(feature = "hydrate")]
mod draw {
    use super::*;
    use charming::{theme::Theme, WasmRenderer};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        /// An ECharts instance (`echarts.init`'s result).
        type Instance;

        #[wasm_bindgen(js_namespace = echarts, js_name = getInstanceByDom)]
        fn instance_of(el: &web_sys::Element) -> Option<Instance>;

        #[wasm_bindgen(method, js_name = setOption)]
        fn set_option(this: &Instance, option: &JsValue, settings: &JsValue);

        #[wasm_bindgen(method)]
        fn resize(this: &Instance);

        #[wasm_bindgen(method)]
        fn dispose(this: &Instance);
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
            .map(|w| js_sys::Reflect::has(&w, &JsValue::from_str("echarts")).unwrap_or(false))
            .unwrap_or(false)
    }

    fn prefers_dark() -> bool {
        web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .map(|m| m.matches())
            .unwrap_or(false)
    }

    /// Draws `data` into the chart element, replacing whatever it showed before.
    pub fn draw(data: Option<&(Symbol, PriceSeries)>, range: Range) {
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
        let Some((symbol, series)) = data.filter(|(_, s)| !s.is_empty()) else {
            if let Some(instance) = existing {
                instance.dispose();
            }
            if let Some(b) = chart_box(&el) {
                let _ = b.remove_attribute("data-drawn");
            }
            return;
        };
        let dark = prefers_dark();
        let chart = chart_option(symbol, series, range, dark);
        match existing {
            None => {
                let theme = if dark { Theme::Dark } else { Theme::Default };
                if let Err(e) = WasmRenderer::new_opt(None, None)
                    .theme(theme)
                    .render(CHART_ID, &chart)
                {
                    leptos::logging::error!("drawing the chart failed: {e:?}");
                    return;
                }
            }
            Some(instance) => {
                // notMerge: the new option replaces the old one, so no series of the
                // previous symbol lingers.
                let option = serde_json::to_string(&chart)
                    .ok()
                    .and_then(|json| js_sys::JSON::parse(&json).ok());
                let Some(option) = option else { return };
                let settings = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&settings, &"notMerge".into(), &JsValue::TRUE);
                instance.set_option(&option, &settings);
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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
