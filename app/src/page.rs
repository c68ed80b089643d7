//! What the page shows. Everything here renders on the server first; in the browser it
//! hydrates and a new selection swaps the data in place.

use crate::chart::{ChartPreview, PriceChart};
use crate::dashboard::{get_dashboard, AppError, Dashboard, HeadlineRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use store::Symbol;

/// `/` — title, freshness, symbol select, chart, headlines.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || query.read().get("symbol");
    let dashboard = Resource::new(requested, get_dashboard);

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
                        Ok(d) => view! { <Header dashboard=d /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Transition>
            <PriceChart chart>
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
fn Header(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        title,
        symbols,
        selected,
        freshness,
        demo,
        notice,
        summary,
        ..
    } = dashboard;
    view! {
        <Title text=title.clone() />
        <header class="top">
            <h1>{title}</h1>
            <p class="freshness" data-testid="freshness">
                {freshness
                    .into_iter()
                    .map(|f| view! { <span class:failed=f.failed>{f.text}</span> })
                    .collect_view()}
            </p>
        </header>
        {demo.then(|| view! {
            <p class="banner" role="note" data-testid="demo-banner">
                "This is demo data, generated on this machine. Run the ingest, or set "
                <code>"DATABASE_URL"</code> ", to see real prices."
            </p>
        })}
        {notice.map(|n| view! { <p class="notice" role="alert" data-testid="notice">{n}</p> })}
        <SymbolForm symbols selected />
        <p class="sr-summary" data-testid="chart-summary">{summary}</p>
    }
}

/// A plain GET form: works without JavaScript; with it, a change navigates at once.
#[component]
fn SymbolForm(symbols: Vec<Symbol>, selected: Option<Symbol>) -> impl IntoView {
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        navigate(&format!("/?symbol={value}"), NavigateOptions::default());
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
            <button type="submit" class="no-js-only">"Show"</button>
        </form>
    }
}

/// The headlines table: newest first, links only for http(s) URLs.
#[component]
fn NewsTable(dashboard: Dashboard) -> impl IntoView {
    let caption = match &dashboard.coin {
        Some(coin) => format!("Latest {coin} headlines"),
        None => "Latest headlines".to_string(),
    };
    let empty = dashboard.headlines.is_empty();
    view! {
        <section class="news" aria-labelledby="news-caption">
            <table data-testid="news-table">
                <caption id="news-caption">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Headline"</th>
                    </tr>
                </thead>
                <tbody>
                    {dashboard.headlines.into_iter().map(|h| view! { <NewsRow headline=h /> }).collect_view()}
                    {empty.then(|| view! { <tr><td colspan="2" class="empty">"No headlines yet."</td></tr> })}
                </tbody>
            </table>
        </section>
    }
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

#[component]
fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="error-panel" role="alert" data-testid="error-panel">
            <h1>"The dashboard cannot load right now"</h1>
            <p>{error.to_string()}</p>
            <p><a href="">"Try again"</a></p>
        </div>
    }
}

/// Any path but `/`.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <div class="error-panel" role="alert">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the dashboard"</a></p>
        </div>
    }
}
