//! The headlines under the chart: a search box (a GET form), the table newest first,
//! "More headlines", and the CSV. Its links and its form keep the chart as it is.

use crate::chart::view::{home_href, ChartView, PageQuery};
use crate::frame::DownloadLink;
use crate::home::controls::RangeField;
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};
use store::Symbol;

/// A headline as the table shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize)]
pub struct HeadlineRow {
    pub title: String,
    /// Only http(s) links are links (see `store::Headline::has_web_url`); otherwise
    /// `None` and the title is text.
    pub link: Option<String>,
    /// RFC 3339, for `<time datetime>`.
    pub published_iso: String,
    /// As shown: `2026-11-22 08:15` (UTC).
    pub published_shown: String,
}

/// The headlines of the selected symbol's coin (all of them without one), searched
/// by `search`, with a link to `more` when there are more.
#[component]
pub fn NewsTable(
    coin: Option<String>,
    headlines: Vec<HeadlineRow>,
    search: Option<String>,
    more_news: Option<u32>,
    headlines_csv: String,
    selected: Option<Symbol>,
    view: ChartView,
) -> impl IntoView {
    let caption = caption(coin.as_deref(), search.as_deref());
    let empty = match &search {
        Some(q) => format!("No headlines match “{q}”."),
        None => "No headlines yet.".to_string(),
    };
    let is_empty = headlines.is_empty();
    let page = PageQuery {
        symbol: selected.as_ref().map(Symbol::to_string),
        ..PageQuery::default()
    };
    let more = more_news.map(|n| {
        let page = PageQuery {
            q: search.clone(),
            news: Some(n.to_string()),
            ..page.clone()
        };
        home_href(page.params(), &view)
    });
    view! {
        <section class="news" aria-labelledby="news-caption">
            <SearchForm selected search clear=home_href(page.params(), &view) view />
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
}

/// "Latest BTC headlines", "Headlines with “etf”", …
fn caption(coin: Option<&str>, search: Option<&str>) -> String {
    match (coin, search) {
        (Some(coin), None) => format!("Latest {coin} headlines"),
        (None, None) => "Latest headlines".to_string(),
        (Some(coin), Some(q)) => format!("{coin} headlines with “{q}”"),
        (None, Some(q)) => format!("Headlines with “{q}”"),
    }
}

/// The headline search: a GET form that keeps the symbol and the chart (the range as
/// it changes), with "Clear" (`clear`) while a search is applied.
#[component]
fn SearchForm(
    selected: Option<Symbol>,
    search: Option<String>,
    clear: String,
    view: ChartView,
) -> impl IntoView {
    let kept = view
        .pairs()
        .into_iter()
        .filter(|(name, _)| *name != "range")
        .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
        .collect_view();
    view! {
        <form method="get" action="/" class="search" role="search">
            {selected.map(|s| view! { <input type="hidden" name="symbol" value=s.to_string() /> })}
            {kept}
            <RangeField range=view.range />
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
        Some(href) => Either::Left(view! {
            <a href=href rel="noopener noreferrer" target="_blank">{title}</a>
        }),
        None => Either::Right(view! { <span>{title}</span> }),
    };
    view! {
        <tr>
            <td class="date"><time datetime=published_iso>{published_shown}</time></td>
            <td>{title}</td>
        </tr>
    }
}
