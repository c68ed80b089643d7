//! `/`'s one island: everything under the page's header (the notice, the controls, the
//! summary and key stats, the chart, the headlines) is [`LiveHome`], one island around
//! one state. A control, a link or Back and Forward change that state; one
//! `get_dashboard` answer then updates every part at once, so the parts can never show
//! different symbols. (Islands sharing a context would need the same state handed
//! across their boundaries, and several props copies of it in the page.) "Copy link"
//! is a part of it.

use crate::chart::shown::Shown;
use crate::chart::view::{PageQuery, Range};
use crate::chart::PriceChart;
use crate::frame::Notice;
use crate::home::controls::Scripted;
use crate::home::data::Dashboard;
use crate::home::header::Header;
use crate::home::live::{FirstAnswer, Live};
use crate::home::news::NewsTable;
use leptos::prelude::*;
use store::Symbol;

/// The dashboard below the page's header, from the page's first answer and its URL
/// parameters as the server applied them (no props: see `FirstAnswer`). `children` is
/// the server's drawing of the chart. The root says which path's state it keeps
/// (`data-owner`) and, once hydrated, `data-ready`: `public/nav.js` then hands it the
/// navigations to that path.
#[island]
pub fn LiveHome(children: Children) -> impl IntoView {
    let (mut first, page) = first_answer();
    let live = Live {
        chart: RwSignal::new(first.chart.take()),
        dashboard: RwSignal::new(first),
        page: RwSignal::new(page),
        ready: RwSignal::new(false),
    };
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    super::hydrate::start(live, root);
    provide_context(Scripted(live.ready.into()));
    let d = live.dashboard;
    let shown = Shown {
        symbol: Signal::derive(move || d.with(|d| d.selected.as_ref().map(Symbol::to_string))),
        data: live.chart.into(),
        range: Signal::derive(move || d.with(|d| d.view.range)),
        panes: Signal::derive(move || d.with(|d| d.view.indicator_panes())),
    };
    let choose = Callback::new(move |_r: Range| {
        #[cfg(feature = "hydrate")]
        super::hydrate::choose_range(live, _r);
    });
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        super::hydrate::changed(live, _ev);
    };
    view! {
        <div class="live" data-owner="/" data-ready=move || live.ready.get().then_some("") node_ref=root on:change=on_change>
            {move || d.with(|d| d.notice.clone()).map(|text| view! { <Notice text /> })}
            {move || view! { <Header dashboard=d.get()><CopyLink /></Header> }}
            <PriceChart shown choose>{children()}</PriceChart>
            {move || {
                let Dashboard { coin, headlines, search, more_news, headlines_csv, selected, view, .. } = d.get();
                view! { <NewsTable coin headlines search more_news headlines_csv selected view /> }
            }}
        </div>
    }
}

/// The page's first answer and its parameters: the server's context, the browser's
/// `dashboard` and `page-query` scripts (the same, so hydration matches).
fn first_answer() -> (Dashboard, PageQuery) {
    let first = use_context::<FirstAnswer>().map(|FirstAnswer(answer, page)| (answer, page));
    #[cfg(feature = "hydrate")]
    let first = first.or_else(super::hydrate::first_answer);
    first.unwrap_or_default()
}

/// "Copy link": the page's URL (every control is in it) to the clipboard. Shown only
/// where the Clipboard API exists (a secure page with JavaScript): the page's first
/// script marks the document `clip` before the first paint, and the stylesheet shows the
/// button by that, so hydration moves nothing. The click is `hydrate/clipboard.rs`.
#[component]
pub fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(false);
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        super::hydrate::clipboard::copy_location(copied);
    };
    view! {
        <button
            type="button"
            class="copy-link"
            data-testid="copy-link"
            on:click=on_click
        >
            {move || if copied.get() { "Link copied" } else { "Copy link" }}
        </button>
    }
}
