//! What the page shows. Everything here renders on the server first; in the browser it
//! hydrates and a new selection swaps the data in place.

use crate::chart::{ChartPreview, PriceChart, Range};
use crate::chart_view::{
    home_href, ChartKind, ChartParams, ChartView, PageParams, MAX_COMPARE, MA_PERIODS,
};
use crate::dashboard::{get_dashboard, AppError, Dashboard, HeadlineRow, KeyStats};
use crate::sources::{Notice, PageHeader};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use store::Symbol;

/// `/` — title, freshness, symbol select, chart, headlines.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    // Every parameter but the range asks the server: the range is read without
    // tracking, because a range button needs no new data, only another window of the
    // same chart (and the URL follows it, below).
    let requested = move || {
        let q = query.read();
        let chart = ChartParams {
            range: None,
            ..ChartParams::from_query(&q)
        };
        (q.get("symbol"), q.get("q"), q.get("news"), chart)
    };
    let dashboard = crate::codec::resource(requested, move |(symbol, q, news, chart)| {
        let range = query.with_untracked(|q| q.get("range"));
        get_dashboard(
            symbol,
            q,
            news,
            range,
            chart.chart,
            chart.ma,
            chart.compare,
            chart.scale,
        )
    });

    let url_range = move || query.with(url_view).0.range;
    let range = RwSignal::new(query.with_untracked(url_view).0.range);
    // The URL and the range buttons follow each other. A button replaces the history
    // entry (Back goes to the previous symbol, not through every range); Back and
    // Forward set the buttons from the URL.
    Effect::new(move |_| {
        let from_url = url_range();
        if range.get_untracked() != from_url {
            range.set(from_url);
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        let chosen = range.get();
        let (mut view, page) = query.with_untracked(url_view);
        if view.range != chosen {
            view.range = chosen;
            navigate(&home_href(page.borrowed(), &view), replaced());
        }
    });
    // Compared symbols the server dropped (unknown, malformed, the main one) leave the
    // URL too, so a shared link says what the page shows. The notice that says why
    // stays until the reader changes something.
    let carried = CarriedNotice(RwSignal::new(None));
    provide_context(carried);
    let navigate = use_navigate();
    Effect::new(move |_| {
        let Some(Ok(shown)) = dashboard.get() else {
            return;
        };
        let (view, page) = query.with_untracked(url_view);
        if view.compare != shown.view.compare {
            let fixed = ChartView {
                compare: shown.view.compare,
                ..view
            };
            carried.0.set(shown.notice);
            navigate(&home_href(page.borrowed(), &fixed), replaced());
        }
    });
    let chart = Signal::derive(move || {
        dashboard
            .get()
            .and_then(Result::ok)
            .and_then(|d| Some((d.selected?, d.chart?)))
    });

    view! {
        <div class="page">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Ok(d) => view! { <Header dashboard=d range /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <PriceChart chart range>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        dashboard
                            .await
                            .ok()
                            .map(|d| view! { <ChartPreview html=d.preview /> })
                    })}
                </Transition>
            </PriceChart>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    dashboard.await.ok().map(|d| view! { <NewsTable dashboard=d range /> })
                })}
            </Transition>
        </div>
    }
}

/// Title, demo banner, freshness, the notice about a bad symbol, and the select.
#[component]
fn Header(dashboard: Dashboard, range: RwSignal<Range>) -> impl IntoView {
    let Dashboard {
        title,
        symbols,
        selected,
        freshness,
        demo,
        notice,
        summary,
        search,
        prices_csv,
        stats,
        view: chart_view,
        ..
    } = dashboard;
    let carried = use_context::<CarriedNotice>().map(|c| c.0);
    let shows_notice = notice.is_some();
    view! {
        <PageHeader site=title page=None freshness notice />
        {move || {
            carried
                .and_then(|c| c.get())
                .filter(|_| !shows_notice)
                .map(|text| view! { <Notice text /> })
        }}
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        <div class="toolbar">
            <ChartForm symbols selected search view=chart_view range />
            {prices_csv.map(|href| view! { <DownloadLink href label="Prices CSV" /> })}
        </div>
        <p class="sr-summary" data-testid="chart-summary">{summary}</p>
        {stats.map(|stats| view! { <KeyStatsBlock stats range /> })}
    }
    .into_any()
}

/// Last close, change, the 52-week range and the return over the chart's range. The
/// change reads as an arrow and a sign, not only as a colour.
#[component]
fn KeyStatsBlock(stats: KeyStats, range: RwSignal<Range>) -> impl IntoView {
    let KeyStats {
        last_close,
        last_date,
        change,
        change_pct,
        direction,
        high_52w,
        low_52w,
        range_returns,
    } = stats;
    let arrow = match direction.as_str() {
        "up" => "▲",
        "down" => "▼",
        _ => "■",
    };
    let range_return = move || {
        range_returns
            .get(range.get().position())
            .cloned()
            .unwrap_or_default()
    };
    view! {
        <dl class="key-stats" data-testid="key-stats">
            <div data-testid="stat-last">
                <dt>"Last close"</dt>
                <dd>{last_close}<span class="sub">{last_date}</span></dd>
            </div>
            <div data-testid="stat-change" class=format!("change {direction}")>
                <dt>"Change"</dt>
                <dd>{format!("{arrow} {change} ({change_pct})")}</dd>
            </div>
            <div data-testid="stat-high-52w">
                <dt>"52-week high"</dt>
                <dd>{high_52w}</dd>
            </div>
            <div data-testid="stat-low-52w">
                <dt>"52-week low"</dt>
                <dd>{low_52w}</dd>
            </div>
            <div data-testid="stat-range-return">
                <dt>{move || format!("Return, {}", range.get().label())}</dt>
                <dd>{range_return}</dd>
            </div>
        </dl>
    }
}

/// A CSV download. `download` and `rel="external"` keep the router's hands off it.
#[component]
pub fn DownloadLink(href: String, label: &'static str) -> impl IntoView {
    view! {
        <a class="download" data-testid="download-csv" href=href download="" rel="external">
            {label}
        </a>
    }
}

/// The chart's controls as a plain GET form: without JavaScript, "Show" sends them all
/// (the search and the range ride along hidden); with it, each control changes the URL
/// at once. Another symbol is a new history entry; the chart's controls replace the
/// current one, so Back goes to the previous symbol.
#[component]
fn ChartForm(
    symbols: Vec<Symbol>,
    selected: Option<Symbol>,
    search: Option<String>,
    view: ChartView,
    range: RwSignal<Range>,
) -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let carried = use_context::<CarriedNotice>().map(|c| c.0);
    // The page's URL with `change` applied to its chart view (the range as the buttons
    // have it now): a new entry for another symbol, in place otherwise.
    let go = move |change: &dyn Fn(ChartView) -> ChartView, symbol: Option<String>| {
        if let Some(carried) = carried {
            carried.set(None);
        }
        let (mut view, page) = query.with_untracked(url_view);
        view.range = range.get_untracked();
        let view = change(view);
        let push = symbol.is_some();
        let page = OwnedPage {
            symbol: symbol.or(page.symbol),
            news: None,
            ..page
        };
        let options = if push {
            NavigateOptions::default()
        } else {
            replaced()
        };
        navigate(&home_href(page.borrowed(), &view), options);
    };
    let go = StoredValue::new(go);
    let on_symbol = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        go.with_value(|go| go(&|v| v, Some(value)));
    };
    let on_kind = move |kind: ChartKind| {
        go.with_value(|go| go(&|v| ChartView { kind, ..v }, None));
    };
    let on_ma = move |period: u16| {
        go.with_value(|go| go(&|v: ChartView| v.toggled_ma(period), None));
    };
    let on_log = move |ev: leptos::ev::Event| {
        let log = event_target_checked(&ev);
        go.with_value(|go| go(&|v| ChartView { log, ..v }, None));
    };
    let on_add = move |ev: leptos::ev::Event| {
        let symbol = event_target_value(&ev);
        if !symbol.is_empty() {
            go.with_value(|go| go(&|v: ChartView| v.toggled_compare(&symbol), None));
        }
    };

    let none_selected = selected.is_none();
    let comparing = view.comparing();
    let main = selected.as_ref().map(Symbol::to_string);
    let addable: Vec<String> = symbols
        .iter()
        .map(Symbol::to_string)
        .filter(|s| Some(s) != main.as_ref() && !view.compare.contains(s))
        .collect();
    let can_add = view.compare.len() < MAX_COMPARE && !addable.is_empty() && !none_selected;
    let chips = view
        .compare
        .iter()
        .map(|s| {
            let page = PageParams {
                symbol: main.as_deref(),
                q: search.as_deref(),
                news: None,
            };
            let page = OwnedPage {
                symbol: page.symbol.map(str::to_string),
                q: page.q.map(str::to_string),
                news: None,
            };
            let without = view.toggled_compare(s);
            // The range buttons change the range without a new render: follow them.
            let href = move || {
                home_href(
                    page.borrowed(),
                    &ChartView {
                        range: range.get(),
                        ..without.clone()
                    },
                )
            };
            let label = format!("Stop comparing {s}");
            view! {
                <li class="chip" data-testid="compare-chip">
                    {s.clone()}
                    <a href=href aria-label=label title="Remove">"✕"</a>
                </li>
            }
        })
        .collect_view();
    let compare_value = view.compare.join(",");
    view! {
        <form class="controls" method="get" action="/" data-testid="chart-form">
            <div class="field">
                <label for="symbol">"Symbol"</label>
                <select id="symbol" name="symbol" data-testid="symbol-select" on:change=on_symbol>
                    {none_selected.then(|| view! { <option value="" selected=true disabled=true>"Choose…"</option> })}
                    {symbols
                        .into_iter()
                        .map(|s| {
                            let is_selected = Some(&s) == selected.as_ref();
                            let value = s.to_string();
                            view! { <option value=value.clone() selected=is_selected>{value.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <fieldset class="field segmented" data-testid="chart-kind">
                <legend>"Chart"</legend>
                {[ChartKind::Line, ChartKind::Candles]
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name="chart"
                                    value=kind.param()
                                    checked=view.kind == kind
                                    on:change=move |_| on_kind(kind)
                                />
                                {kind.label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <fieldset class="field segmented" data-testid="chart-ma">
                <legend><abbr title="Moving averages of the close, in days">"MA"</abbr></legend>
                {MA_PERIODS
                    .into_iter()
                    .map(|period| {
                        view! {
                            <label>
                                <input
                                    type="checkbox"
                                    name="ma"
                                    value=period.to_string()
                                    checked=view.ma.contains(&period)
                                    on:change=move |_| on_ma(period)
                                />
                                {period.to_string()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <label class="field check">
                <input type="checkbox" name="scale" value="log" checked=view.log data-testid="chart-log" on:change=on_log />
                "Log"
            </label>
            <div class="field compare" data-testid="compare">
                <span class="legend-like" id="compare-label">"Compare"</span>
                <ul class="chips" aria-labelledby="compare-label">{chips}</ul>
                <input
                    class="no-js-only"
                    type="text"
                    name="compare"
                    value=compare_value
                    placeholder="MSFT,BTC"
                    aria-labelledby="compare-label"
                    data-testid="compare-input"
                />
                {can_add.then(|| view! {
                    <select class="js-only" data-testid="compare-add" aria-label="Add a symbol to compare" on:change=on_add>
                        <option value="" selected=true>"Add…"</option>
                        {addable.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                })}
            </div>
            {search.map(|q| view! { <input type="hidden" name="q" value=q /> })}
            <RangeField range />
            <button type="submit" class="no-js-only">"Show"</button>
            <CopyLink />
        </form>
        {comparing.then(|| view! {
            <p class="hint" data-testid="compare-hint">
                "Comparing draws each symbol as % change from the first day shown; candles, averages and the log scale come back when nothing is compared."
            </p>
        })}
    }
    .into_any()
}

/// "Copy link": the page's URL (every control is in it) to the clipboard. Shown only
/// where the Clipboard API exists (a secure page with JavaScript).
#[component]
fn CopyLink() -> impl IntoView {
    let available = RwSignal::new(false);
    let copied = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| available.set(clipboard::available()));
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        clipboard::copy_location(copied);
    };
    view! {
        <button
            type="button"
            class="copy-link"
            data-testid="copy-link"
            hidden=move || !available.get()
            on:click=on_click
        >
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}

#[cfg(feature = "hydrate")]
mod clipboard {
    use js_sys::{Function, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};

    fn clipboard() -> Option<JsValue> {
        let navigator = Reflect::get(&window(), &"navigator".into()).ok()?;
        Reflect::get(&navigator, &"clipboard".into())
            .ok()
            .filter(|c| !c.is_undefined() && !c.is_null())
    }

    pub fn available() -> bool {
        clipboard().is_some()
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
}

/// A notice about compared symbols the URL named but the page dropped, kept after the
/// URL no longer names them.
#[derive(Clone, Copy)]
struct CarriedNotice(RwSignal<Option<String>>);

/// For `<Form on_form_data=…>`: Leptos' form adds its submit button to the query even
/// when the button has no name, as a trailing `&=`; this takes that pair out.
pub(crate) fn unnamed_out() -> std::sync::Arc<dyn Fn(&leptos::web_sys::FormData)> {
    std::sync::Arc::new(|form| form.delete(""))
}

/// The URL's page parameters, owned.
#[derive(Clone, Debug, Default)]
struct OwnedPage {
    symbol: Option<String>,
    q: Option<String>,
    news: Option<String>,
}

impl OwnedPage {
    fn borrowed(&self) -> PageParams<'_> {
        PageParams {
            symbol: self.symbol.as_deref(),
            q: self.q.as_deref(),
            news: self.news.as_deref(),
        }
    }
}

/// The chart view and page parameters the URL names, leniently (a bad value is its
/// default; the server has said why).
fn url_view(q: &leptos_router::params::ParamsMap) -> (ChartView, OwnedPage) {
    let symbol = q.get("symbol").map(|s| s.trim().to_ascii_uppercase());
    let (view, _) = ChartView::parse(
        &ChartParams::from_query(q),
        |raw| Ok(raw.to_ascii_uppercase()),
        symbol.as_deref(),
    );
    let page = OwnedPage {
        symbol: q.get("symbol"),
        q: q.get("q"),
        news: q.get("news"),
    };
    (view, page)
}

/// A navigation that replaces the current history entry and keeps the scroll.
fn replaced() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        scroll: false,
        ..Default::default()
    }
}

/// The range as the buttons have it now, as a hidden field of a GET form (none for the
/// default, all).
#[component]
fn RangeField(range: RwSignal<Range>) -> impl IntoView {
    move || {
        let r = range.get();
        (r != Range::All).then(|| view! { <input type="hidden" name="range" value=r.param() /> })
    }
}

/// The headlines: a search box (a GET form), the table newest first, "more", and the CSV.
/// Its links and its form keep the chart as it is, the range as the buttons have it now.
#[component]
fn NewsTable(dashboard: Dashboard, range: RwSignal<Range>) -> impl IntoView {
    let Dashboard {
        coin,
        headlines,
        search,
        more_news,
        headlines_csv,
        selected,
        view: chart_view,
        ..
    } = dashboard;
    let caption = match (&coin, &search) {
        (Some(coin), None) => format!("Latest {coin} headlines"),
        (None, None) => "Latest headlines".to_string(),
        (Some(coin), Some(q)) => format!("{coin} headlines with “{q}”"),
        (None, Some(q)) => format!("Headlines with “{q}”"),
    };
    let empty = match &search {
        Some(q) => format!("No headlines match “{q}”."),
        None => "No headlines yet.".to_string(),
    };
    let is_empty = headlines.is_empty();
    let page = OwnedPage {
        symbol: selected.as_ref().map(Symbol::to_string),
        q: None,
        news: None,
    };
    let with_range = move |view: &ChartView| ChartView {
        range: range.get(),
        ..view.clone()
    };
    let clear = {
        let (page, view) = (page.clone(), chart_view.clone());
        move || home_href(page.borrowed(), &with_range(&view))
    };
    let more = more_news.map(|n| {
        let page = OwnedPage {
            q: search.clone(),
            news: Some(n.to_string()),
            ..page.clone()
        };
        let view = chart_view.clone();
        move || home_href(page.borrowed(), &with_range(&view))
    });
    // The search keeps the chart as it is (the range below, as it changes).
    let kept = chart_view
        .pairs()
        .into_iter()
        .filter(|(name, _)| *name != "range")
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    view! {
        <section class="news" aria-labelledby="news-caption">
            <Form method="GET" action="/" on_form_data=unnamed_out() attr:class="search" attr:role="search">
                {selected.map(|s| view! { <input type="hidden" name="symbol" value=s.to_string() /> })}
                {kept}
                <RangeField range />
                <label for="news-q">"Search headlines"</label>
                <input
                    id="news-q"
                    type="search"
                    name="q"
                    maxlength=store::MAX_SEARCH_LEN.to_string()
                    value=search.clone().unwrap_or_default()
                    data-testid="news-search"
                />
                <button type="submit">"Search"</button>
                {search.is_some().then(|| view! { <a href=clear class="clear">"Clear"</a> })}
            </Form>
            <table data-testid="news-table">
                <caption id="news-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Headline"</th>
                    </tr>
                </thead>
                <tbody>
                    {headlines.into_iter().map(|h| view! { <NewsRow headline=h /> }).collect_view()}
                    {is_empty.then(|| view! { <tr><td colspan="2" class="empty" data-testid="news-empty">{empty}</td></tr> })}
                </tbody>
            </table>
            <p class="table-foot">
                {more.map(|href| view! { <a href=href data-testid="news-more">"More headlines"</a> })}
                <DownloadLink href=headlines_csv label="Headlines CSV" />
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn NewsRow(headline: HeadlineRow) -> impl IntoView {
    let HeadlineRow {
        title,
        link,
        published_iso,
        published_shown,
    } = headline;
    let title = match link {
        Some(href) => view! {
            <a href=href rel="noopener noreferrer" target="_blank">{title}</a>
        }
        .into_any(),
        None => view! { <span>{title}</span> }.into_any(),
    };
    view! {
        <tr>
            <td class="date"><time datetime=published_iso>{published_shown}</time></td>
            <td>{title}</td>
        </tr>
    }
}

/// A page's frame for `/weather` and `/runs`: its body once `data` has loaded (from the
/// first HTML on the server, in place on a later navigation), or the error panel.
pub fn loaded_page<T, V>(
    data: Resource<Result<T, AppError>, crate::codec::SliceJson>,
    body: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <div class="page">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => body(d).into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            <h1>"The dashboard cannot load right now"</h1>
            <p>{error.to_string()}</p>
            <p><a href="">"Try again"</a></p>
        </div>
    }
}

/// Any path that is no page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="error-panel" role="alert">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the prices"</a></p>
        </div>
    }
}
