//! `/markets`: every symbol at a glance, in one table drawn by the server (no
//! JavaScript needed): the last close and its date, the return over 1D, 1W, 1M, YTD
//! and 1Y, where the close sits in its 52-week range, and a sparkline of 3 months.
//! Each column sorts by a plain link (`?sort=1y&dir=desc`); `?vs=IBM` adds each
//! return's difference from that benchmark; `?symbols=IBM,BTC` is a watchlist (the
//! browser remembers the last one for the nav's link, `public/nav.js`). The same shape
//! as the other pages: [`get_markets`] answers [`data`], loaded by [`ssr`] with one
//! query for the whole table.

pub mod data;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::error::AppError;
use crate::frame::{loaded_page, CanonicalLink, PageHeader, PagePreview};
use data::{Change, ColumnHead, MarketRow, MarketsView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Loads `/markets`.
#[server(endpoint = "markets")]
pub async fn get_markets(
    sort: Option<String>,
    dir: Option<String>,
    vs: Option<String>,
    symbols: Option<String>,
) -> Result<MarketsView, AppError> {
    use crate::ssr::state::AppState;
    use crate::ssr::status::respond;
    let state = expect_context::<AppState>();
    let query = ssr::MarketsQuery {
        sort,
        dir,
        vs,
        symbols,
    };
    respond(ssr::load_markets(&state, query).await)
}

/// What `/markets` reads from its URL (see [`crate::query_params`]).
pub const QUERY: &[crate::QueryParam] = &[
    ("sort", false),
    ("dir", false),
    ("vs", false),
    ("symbols", false),
];

/// `/markets`.
#[component]
pub fn MarketsPage() -> impl IntoView {
    let query = use_query_map();
    let requested = move || {
        let q = query.read();
        (q.get("sort"), q.get("dir"), q.get("vs"), q.get("symbols"))
    };
    let markets = Resource::new(requested, |(sort, dir, vs, symbols)| {
        get_markets(sort, dir, vs, symbols)
    });
    loaded_page(markets, |view| view! { <MarketsBody view /> })
}

/// What `/markets` shows, for its link preview.
const MARKETS_ABOUT: &str =
    "Every symbol at a glance: returns over 1D to 1Y, the 52-week range, three months in a sparkline.";

#[component]
fn MarketsBody(view: MarketsView) -> impl IntoView {
    let MarketsView {
        title,
        heads,
        rows,
        vs,
        watchlist,
        symbols,
        sort,
        dir,
        canonical,
        freshness,
        notice,
        public_url,
    } = view;
    let empty = rows.is_empty();
    view! {
        <PagePreview page="Markets" site=title.clone() description=MARKETS_ABOUT public_url path=canonical.clone() />
        <PageHeader site=title page=Some("Markets") freshness notice />
        <CanonicalLink href=Some(canonical) />
        {empty.then(|| view! {
            <p class="banner" role="note" data-testid="markets-empty">
                "No prices yet. Fill them with "
                <code>"cargo run -p ingest -- prices IBM"</code> "."
            </p>
        })}
        <MarketsForm watchlist symbols vs=vs.clone() sort dir />
        <div class="table-wrap">
            <table class="markets" data-testid="markets">
                <caption class="visually-hidden">
                    "Every symbol's last close, returns, 52-week range and 3 months"
                </caption>
                <thead>
                    <tr>
                        {heads.into_iter().map(|head| view! { <Head head /> }).collect_view()}
                        <th scope="col">"3 months"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <Row row vs=vs.clone() /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The watchlist and the benchmark, as a GET form that keeps the sort.
#[component]
fn MarketsForm(
    watchlist: String,
    symbols: Vec<String>,
    vs: Option<String>,
    sort: String,
    dir: String,
) -> impl IntoView {
    view! {
        <form class="toolbar markets-form" method="get" action="/markets" data-testid="markets-form">
            <label>
                "Watchlist "
                <input name="symbols" value=watchlist placeholder="IBM,BTC (empty: all)"
                    autocomplete="off" spellcheck="false" data-testid="watchlist" />
            </label>
            <label>
                "Relative to "
                <select name="vs" data-testid="benchmark">
                    <option value="" selected=vs.is_none()>"nothing"</option>
                    {symbols.into_iter().map(|s| {
                        let chosen = vs.as_deref() == Some(s.as_str());
                        let label = s.clone();
                        view! { <option value=s selected=chosen>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <input type="hidden" name="sort" value=sort />
            <input type="hidden" name="dir" value=dir />
            <button type="submit">"Show"</button>
        </form>
    }
}

#[component]
fn Head(head: ColumnHead) -> impl IntoView {
    let ColumnHead {
        label,
        key,
        href,
        aria_sort,
        numeric,
    } = head;
    let arrow = match aria_sort.as_deref() {
        Some("ascending") => " ↑",
        Some(_) => " ↓",
        None => "",
    };
    view! {
        <th scope="col" class:numeric=numeric aria-sort=aria_sort data-sort=key>
            <a href=href>{label}{arrow}</a>
        </th>
    }
}

/// One symbol: a card on a phone (each cell says what it is).
#[component]
fn Row(row: MarketRow, vs: Option<String>) -> impl IntoView {
    let MarketRow {
        symbol,
        href,
        close,
        date,
        changes,
        relative,
        range,
        sparkline,
        note,
    } = row;
    let labels = ["1D", "1W", "1M", "YTD", "1Y"];
    let cells = changes.into_iter().enumerate().map(|(i, change)| {
        let rel = relative.get(i).cloned();
        view! { <ChangeCell label=labels[i] change rel vs=vs.clone() /> }
    });
    let stale = note.is_some();
    let key = symbol.clone();
    view! {
        <tr data-testid="market-row" data-symbol=key class:stale=stale>
            <th scope="row">
                <a href=href data-testid="market-link">{symbol}</a>
                {note.map(|n| view! { <span class="row-note" data-testid="row-note">{n}</span> })}
            </th>
            <td class="numeric" data-label="Last close">
                {close}<span class="sub">{date}</span>
            </td>
            {cells.collect_view()}
            <td class="numeric" data-label="52-week range">
                {range.map(|r| view! {
                    <span class="range-cell" title=format!("{} – {}, at {} %", r.low, r.high, r.at)>
                        <span inner_html=r.svg></span>
                        <span class="sub">{format!("{} – {}", r.low, r.high)}</span>
                    </span>
                })}
            </td>
            <td class="spark-cell" data-label="3 months" inner_html=sparkline></td>
        </tr>
    }
}

#[component]
fn ChangeCell(
    label: &'static str,
    change: Change,
    rel: Option<Change>,
    vs: Option<String>,
) -> impl IntoView {
    let class = |c: &Change| c.direction.map(|d| d.class()).unwrap_or("flat");
    let cell_class = format!("numeric change {}", class(&change));
    view! {
        <td class=cell_class data-label=label data-col=label>
            {change.text}
            {rel.zip(vs).map(|(rel, vs)| view! {
                <span class=format!("rel {}", class(&rel)) data-testid="relative">
                    {format!("{} vs {vs}", rel.text)}
                </span>
            })}
        </td>
    }
}
