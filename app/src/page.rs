//! What the page shows. Everything here renders on the server first; in the browser it
//! hydrates and a new selection swaps the data in place.

use crate::chart::{ChartPreview, PriceChart, Range};
use crate::dashboard::{get_dashboard, AppError, Dashboard, HeadlineRow, KeyStats};
use crate::sources::PageHeader;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use store::Symbol;

/// `/` — title, freshness, symbol select, chart, headlines.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    // The range is read without tracking: a range button changes the URL (see below)
    // but needs no new data, only another window of the same chart.
    let requested = move || {
        let q = query.read();
        let range = query.with_untracked(|q| q.get("range"));
        (q.get("symbol"), q.get("q"), q.get("news"), range)
    };
    let dashboard = Resource::new(requested, |(symbol, q, news, range)| {
        get_dashboard(symbol, q, news, range)
    });

    let url_range = move || {
        query
            .read()
            .get("range")
            .and_then(|r| Range::parse(&r))
            .unwrap_or(Range::All)
    };
    let range = RwSignal::new(query.with_untracked(|q| {
        q.get("range")
            .and_then(|r| Range::parse(&r))
            .unwrap_or(Range::All)
    }));
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
        if url_range_untracked(query) != chosen {
            let to = query.with_untracked(|q| {
                home_href(
                    q.get("symbol").as_deref(),
                    q.get("q").as_deref(),
                    q.get("news").as_deref(),
                    chosen,
                )
            });
            navigate(
                &to,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
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
                    dashboard.await.ok().map(|d| view! { <NewsTable dashboard=d /> })
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
        ..
    } = dashboard;
    view! {
        <PageHeader site=title page=None freshness notice />
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        <div class="toolbar">
            <SymbolForm symbols selected search range />
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

/// A plain GET form: works without JavaScript; with it, a change navigates at once.
/// The headline search, if any, stays.
#[component]
fn SymbolForm(
    symbols: Vec<Symbol>,
    selected: Option<Symbol>,
    search: Option<String>,
    range: RwSignal<Range>,
) -> impl IntoView {
    let navigate = use_navigate();
    let kept_search = search.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let to = home_href(
            Some(&value),
            kept_search.as_deref(),
            None,
            range.get_untracked(),
        );
        navigate(&to, NavigateOptions::default());
    };
    let none_selected = selected.is_none();
    view! {
        <form class="controls" method="get" action="/">
            <label for="symbol">"Symbol"</label>
            <select id="symbol" name="symbol" data-testid="symbol-select" on:change=on_change>
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
            {search.map(|q| view! { <input type="hidden" name="q" value=q /> })}
            {move || {
                let r = range.get();
                (r != Range::All).then(|| view! { <input type="hidden" name="range" value=r.param() /> })
            }}
            <button type="submit" class="no-js-only">"Show"</button>
        </form>
    }
}

/// The range the URL names (All when none or a bad one), read without tracking.
fn url_range_untracked(query: Memo<leptos_router::params::ParamsMap>) -> Range {
    query
        .with_untracked(|q| q.get("range"))
        .and_then(|r| Range::parse(&r))
        .unwrap_or(Range::All)
}

/// `/` with these parameters (the range only when it is not All).
fn home_href(symbol: Option<&str>, q: Option<&str>, news: Option<&str>, range: Range) -> String {
    let mut pairs = Vec::new();
    for (key, value) in [("symbol", symbol), ("q", q), ("news", news)] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            pairs.push(format!("{key}={}", encode(value)));
        }
    }
    if range != Range::All {
        pairs.push(format!("range={}", range.param()));
    }
    if pairs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", pairs.join("&"))
    }
}

/// A query value for a URL: what `encodeURIComponent` leaves alone stays, the rest is
/// percent-encoded as UTF-8 (no URL crate in the browser's bundle for this).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The headlines: a search box (a GET form), the table newest first, "more", and the CSV.
#[component]
fn NewsTable(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        coin,
        headlines,
        search,
        more_headlines,
        headlines_csv,
        selected,
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
    let clear = selected
        .as_ref()
        .map_or_else(|| "/".to_string(), |s| format!("/?symbol={s}"));
    view! {
        <section class="news" aria-labelledby="news-caption">
            <Form method="GET" action="/" attr:class="search" attr:role="search">
                {selected.map(|s| view! { <input type="hidden" name="symbol" value=s.to_string() /> })}
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
                {more_headlines.map(|href| view! { <a href=href data-testid="news-more">"More headlines"</a> })}
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
pub fn loaded_page<T, V>(data: Resource<Result<T, AppError>>, body: fn(T) -> V) -> impl IntoView
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
