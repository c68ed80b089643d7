//! The chart's controls as a plain GET form: without JavaScript, "Show" sends them all
//! (the search and the range ride along hidden); once the home island runs, each change
//! is its new state (`data-live`, see `home/hydrate/`; before, `public/nav.js` loads the
//! form's page). Another symbol is a new history entry; the chart's controls replace
//! the current one, so Back goes to the previous symbol.

use crate::chart::view::{
    home_href, ChartKind, ChartView, Indicator, PageParams, Range, MAX_COMPARE, MA_PERIODS,
};
use leptos::prelude::*;
use store::Symbol;

/// Whether the WebAssembly runs the page (the home island says so): the controls that
/// need it are enabled.
#[derive(Clone, Copy)]
pub struct Scripted(pub Signal<bool>);

/// The form: symbol, chart kind, averages, indicators, log scale, the news markers
/// (when the symbol has a news coin), compare, and `children` ("Copy link").
#[component]
pub fn ChartForm<C: IntoView + 'static>(
    symbols: Vec<Symbol>,
    selected: Option<Symbol>,
    search: Option<String>,
    view: ChartView,
    news: bool,
    children: TypedChildren<C>,
) -> impl IntoView {
    let comparing = view.comparing();
    view! {
        <form class="controls" method="get" action="/" data-testid="chart-form" data-live="replace">
            <SymbolField symbols=symbols.clone() selected=selected.clone() />
            <KindField kind=view.kind />
            <AverageFields ma=view.ma.clone() />
            <IndicatorFields ind=view.ind.clone() />
            <label class="field check">
                <input type="checkbox" name="scale" value="log" checked=view.log prop:checked=view.log data-testid="chart-log" />
                "Log"
            </label>
            {news.then(|| view! { <MarkersField off=view.markers_off /> })}
            <CompareField symbols selected search=search.clone() view=view.clone() />
            {search.map(|q| view! { <input type="hidden" name="q" value=q /> })}
            <RangeField range=view.range />
            <button type="submit" class="no-js-only">"Show"</button>
            {children.into_inner()()}
        </form>
        {comparing.then(|| view! {
            <p class="hint" data-testid="compare-hint">
                "Comparing draws each symbol as % change from the first day shown; candles, averages and the log scale come back when nothing is compared."
            </p>
        })}
    }
}

/// The symbol select ("Choose…" while none is shown).
#[component]
fn SymbolField(symbols: Vec<Symbol>, selected: Option<Symbol>) -> impl IntoView {
    let none_selected = selected.is_none();
    // The property too: Back and Forward set the control the reader may have changed.
    let value = selected.as_ref().map(Symbol::to_string).unwrap_or_default();
    view! {
        <div class="field">
            <label for="symbol">"Symbol"</label>
            <select id="symbol" name="symbol" data-testid="symbol-select" data-push="" prop:value=value>
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
    }
}

/// Line or candles.
#[component]
fn KindField(kind: ChartKind) -> impl IntoView {
    view! {
        <fieldset class="field segmented" data-testid="chart-kind">
            <legend>"Chart"</legend>
            {[ChartKind::Line, ChartKind::Candles]
                .into_iter()
                .map(|k| {
                    view! {
                        <label>
                            <input type="radio" name="chart" value=k.param() checked=kind == k prop:checked=kind == k />
                            {k.label()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A box per moving average offered.
#[component]
fn AverageFields(ma: Vec<u16>) -> impl IntoView {
    view! {
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
                                checked=ma.contains(&period)
                                prop:checked=ma.contains(&period)
                            />
                            {period.to_string()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// A box per indicator offered (`ind`), each named in full by its tooltip.
#[component]
fn IndicatorFields(ind: Vec<Indicator>) -> impl IntoView {
    view! {
        <fieldset class="field segmented" data-testid="chart-ind">
            <legend>"Indicators"</legend>
            {Indicator::ALL
                .into_iter()
                .map(|i| {
                    let on = ind.contains(&i);
                    view! {
                        <label title=i.title()>
                            <input type="checkbox" name="ind" value=i.param() checked=on prop:checked=on />
                            {i.label()}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// "News" on the chart: a box, ticked by default. Unticked, the form sends only the
/// hidden `markers=off`; ticked, `on` after it, which the server reads (the last one).
#[component]
fn MarkersField(off: bool) -> impl IntoView {
    view! {
        <label class="field check" title="Mark the days with headlines on the chart">
            <input type="hidden" name="markers" value="off" />
            <input type="checkbox" name="markers" value="on" checked=!off prop:checked=!off data-testid="chart-markers" />
            "News"
        </label>
    }
}

/// The compared symbols as chips (each a link that drops it), a text field without
/// JavaScript, and with it a select of the symbols that can still be added.
#[component]
fn CompareField(
    symbols: Vec<Symbol>,
    selected: Option<Symbol>,
    search: Option<String>,
    view: ChartView,
) -> impl IntoView {
    let main = selected.as_ref().map(Symbol::to_string);
    let addable: Vec<String> = symbols
        .iter()
        .map(Symbol::to_string)
        .filter(|s| Some(s) != main.as_ref() && !view.compare.contains(s))
        .collect();
    let scripted = use_context::<Scripted>().map(|s| s.0);
    let scripted = move || scripted.is_some_and(|s| s.get());
    let can_add = view.compare.len() < MAX_COMPARE && !addable.is_empty() && main.is_some();
    let page = PageParams {
        symbol: main.as_deref(),
        q: search.as_deref(),
        news: None,
    };
    let chips = view
        .compare
        .iter()
        .map(|s| {
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
    view! {
        <div class="field compare" data-testid="compare">
            <span class="legend-like" id="compare-label">"Compare"</span>
            <ul class="chips" aria-labelledby="compare-label">{chips}</ul>
            <input
                class="no-js-only"
                type="text"
                name="compare"
                value=view.compare.join(",")
                placeholder="MSFT,BTC"
                aria-labelledby="compare-label"
                data-testid="compare-input"
            />
            {can_add.then(|| view! {
                // Named like the text field: the server joins every `compare` it gets.
                // Disabled until the WebAssembly runs the page, so a form sent without
                // it does not carry it.
                <select class="js-only" name="compare" disabled=move || !scripted() data-scripted="" data-testid="compare-add" aria-label="Add a symbol to compare">
                    <option value="" selected=true>"Add…"</option>
                    {addable.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select>
            })}
        </div>
    }
}

/// The page's range as a hidden field of a GET form (none for the default, all).
#[component]
pub fn RangeField(range: Range) -> impl IntoView {
    (range != Range::All)
        .then(|| view! { <input type="hidden" name="range" value=range.param() /> })
}
