//! What `/` shows, rendered on the server only: the page is plain HTML and forms (it
//! works without JavaScript); the chart and "Copy link" are islands that hydrate.

use crate::chart::{ChartPage, ChartPreview, PriceChart, Range};
use crate::chart_view::{
    home_href, ChartKind, ChartParams, ChartView, PageParams, MAX_COMPARE, MA_PERIODS,
};
use crate::dashboard::{get_dashboard, AppError, Dashboard, HeadlineRow, KeyStats};
use crate::sources::PageHeader;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use store::Symbol;

/// `/` — title, freshness, symbol select, chart, headlines. Rendered on the server for
/// every URL (and kept in its memory between ingests): a new symbol, range or chart
/// style is another page, which `public/nav.js` morphs in place.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (
            q.get("symbol"),
            q.get("q"),
            q.get("news"),
            ChartParams::from_query(&q),
        )
    };
    let dashboard = Resource::new(requested, |(symbol, q, news, chart)| {
        get_dashboard(
            symbol,
            q,
            news,
            chart.range,
            chart.chart,
            chart.ma,
            chart.compare,
            chart.scale,
        )
    });
    let page = query.with_untracked(|q| OwnedPage {
        symbol: q.get("symbol"),
        q: q.get("q"),
        news: q.get("news"),
    });
    loaded_page(dashboard, move |dashboard| {
        view! { <Home dashboard page=page.clone() /> }
    })
}

/// The page of one dashboard answer. `page` is the URL's symbol, search and headline
/// count as given; as the server applied them, with its chart view, they make the
/// page's canonical URL and each range button's.
#[component]
fn Home(dashboard: Dashboard, page: OwnedPage) -> impl IntoView {
    let view = dashboard.view.clone();
    let range = view.range;
    // The page's own URL in the server's words: the symbol and the search as applied,
    // a headline count only when it is one. None when the URL's symbol is not shown
    // (the address keeps what the reader typed, beside the notice about it).
    let asked_symbol = page.symbol.is_some();
    let page = OwnedPage {
        symbol: dashboard
            .selected
            .as_ref()
            .filter(|_| asked_symbol)
            .map(Symbol::to_string),
        q: dashboard.search.clone(),
        news: page.news.filter(|n| n.parse::<u32>().is_ok()),
    };
    let canonical =
        (!asked_symbol || dashboard.selected.is_some()).then(|| home_href(page.borrowed(), &view));
    let range_hrefs: Vec<String> = Range::ALL
        .into_iter()
        .map(|r| {
            home_href(
                page.borrowed(),
                &ChartView {
                    range: r,
                    ..view.clone()
                },
            )
        })
        .collect();
    let chart = ChartPage {
        symbol: dashboard.selected.as_ref().map(Symbol::to_string),
        range: range.param(),
        range_hrefs,
    };
    let data = dashboard.chart.clone();
    let preview = dashboard.preview.clone();
    view! {
        <CanonicalLink href=canonical />
        <Header dashboard=dashboard.clone() />
        <PriceChart page=chart data range>
            <ChartPreview html=preview />
        </PriceChart>
        <NewsTable dashboard />
    }
}

/// The page's `<link rel="canonical">`: the URL in its short form (defaults left out,
/// values the server dropped gone). `public/nav.js` shows it in the address bar.
#[component]
fn CanonicalLink(href: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    return href.map(|href| view! { <leptos_meta::Link rel="canonical" href /> });
    #[cfg(not(feature = "ssr"))]
    let _ = href;
}

/// Title, demo banner, freshness, the notice about a bad symbol, and the select.
#[component]
fn Header(dashboard: Dashboard) -> impl IntoView {
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
    let range = chart_view.range;
    view! {
        <PageHeader site=title page=None freshness notice />
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        <div class="toolbar">
            <ChartForm symbols selected search view=chart_view />
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
fn KeyStatsBlock(stats: KeyStats, range: Range) -> impl IntoView {
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
    let range_return = range_returns
        .get(range.position())
        .cloned()
        .unwrap_or_default();
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
                <dt>{format!("Return, {}", range.label())}</dt>
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
/// (the search and the range ride along hidden); with it, each control sends the form at
/// once (`data-live`, see `public/nav.js`). Another symbol is a new history entry; the
/// chart's controls replace the current one, so Back goes to the previous symbol.
#[component]
fn ChartForm(
    symbols: Vec<Symbol>,
    selected: Option<Symbol>,
    search: Option<String>,
    view: ChartView,
) -> impl IntoView {
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
            let href = home_href(page, &view.toggled_compare(s));
            let label = format!("Stop comparing {s}");
            view! {
                <li class="chip" data-testid="compare-chip">
                    {s.clone()}
                    <a href=href aria-label=label title="Remove" data-replace="">"✕"</a>
                </li>
            }
        })
        .collect_view();
    let compare_value = view.compare.join(",");
    view! {
        <form class="controls" method="get" action="/" data-testid="chart-form" data-live="replace">
            <div class="field">
                <label for="symbol">"Symbol"</label>
                <select id="symbol" name="symbol" data-testid="symbol-select" data-push="">
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
                                />
                                {period.to_string()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <label class="field check">
                <input type="checkbox" name="scale" value="log" checked=view.log data-testid="chart-log" />
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
                    // Named like the text field: the server joins every `compare` it gets.
                    // Disabled until `nav.js` enables it, so a form sent without
                    // JavaScript does not carry it.
                    <select class="js-only" name="compare" disabled=true data-scripted="" data-testid="compare-add" aria-label="Add a symbol to compare">
                        <option value="" selected=true>"Add…"</option>
                        {addable.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                })}
            </div>
            {search.map(|q| view! { <input type="hidden" name="q" value=q /> })}
            <RangeField range=view.range />
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
/// where the Clipboard API exists (a secure page with JavaScript). An island: it
/// hydrates on its own.
#[island]
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

/// The page's range as a hidden field of a GET form (none for the default, all).
#[component]
fn RangeField(range: Range) -> impl IntoView {
    (range != Range::All)
        .then(|| view! { <input type="hidden" name="range" value=range.param() /> })
}

/// The headlines: a search box (a GET form), the table newest first, "more", and the CSV.
/// Its links and its form keep the chart as it is.
#[component]
fn NewsTable(dashboard: Dashboard) -> impl IntoView {
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
    let range = chart_view.range;
    let clear = home_href(page.borrowed(), &chart_view);
    let more = more_news.map(|n| {
        let page = OwnedPage {
            q: search.clone(),
            news: Some(n.to_string()),
            ..page.clone()
        };
        home_href(page.borrowed(), &chart_view)
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
            <form method="get" action="/" class="search" role="search">
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
            </form>
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

/// Every page's frame: its body once `data` has loaded, or the error panel.
pub fn loaded_page<T, V>(
    data: Resource<Result<T, AppError>>,
    body: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || {
                    let body = body.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(d) => body(d).into_any(),
                            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
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
