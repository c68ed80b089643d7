//! What `get_dashboard` answers: everything `/` shows for one URL.

use crate::chart::view::{home_href, ChartView, PageQuery};
use crate::chart::wire::ChartData;
use crate::freshness::SourceLine;
use crate::home::news::HeadlineRow;
use crate::home::stats::KeyStats;
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};
use store::Symbol;

/// Everything the page shows, as the browser needs it: words, links and the chart's
/// ECharts option, all made on the server, so the WebAssembly carries no date library,
/// no chart builder and no number formatting of its own.
#[derive(
    Clone, Debug, Default, PartialEq, Serialize, Deserialize, LiteSerialize, LiteDeserialize,
)]
pub struct Dashboard {
    pub title: String,
    /// Every symbol in the database, for the select.
    pub symbols: Vec<Symbol>,
    /// The symbol shown; `None` when the database is empty or the request named a bad one.
    pub selected: Option<Symbol>,
    /// The chart of the selected symbol; `None` when there is nothing to draw.
    pub chart: Option<ChartData>,
    /// One line describing the chart, for screen readers and without JavaScript.
    pub summary: Option<String>,
    /// Last close, change, 52-week range, range returns; `None` without prices.
    pub stats: Option<KeyStats>,
    /// The server's drawing of the chart for the first paint (see
    /// [`crate::chart::ssr::preview`]). Not in the server function's answer: only the
    /// page's HTML carries it.
    #[serde(skip)]
    pub preview: String,
    /// The news coin of the selected symbol, when it has one.
    pub coin: Option<String>,
    pub headlines: Vec<HeadlineRow>,
    /// The headline search as applied (trimmed, cut to its longest), for the search box.
    pub search: Option<String>,
    /// What the chart shows: the URL's chart parameters as applied (bad ones left out).
    pub view: ChartView,
    /// How many headlines "More headlines" asks for (`?news=`), when there are more.
    pub more_news: Option<u32>,
    /// The CSV of the selected symbol's prices, when one is selected.
    pub prices_csv: Option<String>,
    /// The CSV of the headlines the table lists (every one, not only those shown).
    pub headlines_csv: String,
    /// One line per source: "prices updated 3 h ago".
    pub freshness: Vec<SourceLine>,
    /// The database holds the generated demo data set.
    pub demo: bool,
    /// Why the requested symbol is not shown, in words for the user.
    pub notice: Option<String>,
    /// The public base URL (`public_url`), for the page's link preview. Not in the
    /// server function's answer: only the page's head carries it.
    #[serde(skip)]
    pub public_url: Option<String>,
}

/// The page's own URL parameters in the server's words, for the answer `dashboard` to
/// `asked` (the URL's symbol, search and headline count as given): the symbol and the
/// search as applied, a headline count only when it is one. With them, the page's
/// canonical URL; `None` when the asked symbol is not shown (the address keeps what
/// the reader typed, beside the notice about it).
pub fn applied(dashboard: &Dashboard, asked: &PageQuery) -> (PageQuery, Option<String>) {
    let asked_symbol = asked.symbol.is_some();
    let page = PageQuery {
        symbol: dashboard
            .selected
            .as_ref()
            .filter(|_| asked_symbol)
            .map(Symbol::to_string),
        q: dashboard.search.clone(),
        news: asked.news.clone().filter(|n| n.parse::<u32>().is_ok()),
    };
    let canonical = (!asked_symbol || dashboard.selected.is_some())
        .then(|| home_href(page.params(), &dashboard.view));
    (page, canonical)
}
