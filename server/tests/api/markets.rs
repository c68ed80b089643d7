//! `/markets` over real HTTP on both databases, read as the server sends it (no script
//! runs): the figures of each row on known data, a symbol with one day, a stale one, the
//! sort links, the benchmark, the watchlist, and bad parameters.

use crate::helpers::{spawn_app, spawn_demo_app};
use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use store::{on_both_backends, DailyBar, Store, Symbol};

async fn put(store: &Store, symbol: &str, days: &[(NaiveDate, f64)]) {
    let symbol = Symbol::parse(symbol).unwrap();
    let bars: Vec<DailyBar> = days
        .iter()
        .map(|(d, c)| DailyBar::from_ohlcv(symbol.clone(), *d, [*c, c + 1.0, c - 1.0, *c, 10.0]))
        .collect();
    store.upsert_bars(&bars, "test").await.unwrap();
}

/// The row of `symbol` in the table, as HTML.
fn row<'a>(html: &'a str, symbol: &str) -> &'a str {
    let start = html
        .find(&format!(r#"data-symbol="{symbol}""#))
        .unwrap_or_else(|| panic!("no row for {symbol}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// The text of the cell of `column` (1D, 1W, 1M, YTD, 1Y) in `row`.
fn cell(row: &str, column: &str) -> String {
    let at = row.find(&format!(r#"data-col="{column}""#)).unwrap();
    let text = &row[at..];
    let text = &text[text.find('>').unwrap() + 1..];
    let end = text.find('<').unwrap();
    text[..end].trim().to_string()
}

/// The `<th …>` tag of the column `key`.
fn heading<'a>(html: &'a str, key: &str) -> &'a str {
    let at = html.find(&format!(r#"data-sort="{key}""#)).unwrap();
    let start = html[..at].rfind("<th").unwrap();
    &html[start..at + html[at..].find('>').unwrap()]
}

/// The symbols of the rows, in order.
fn order(html: &str) -> Vec<String> {
    html.split(r#"data-testid="market-row" data-symbol=""#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// AAA: a year of pinned closes up to today; BBB: one day; CCC: a month old.
async fn known(store: &Store) -> NaiveDate {
    let today = Utc::now().date_naive();
    let ago = |d: u64| today - Days::new(d);
    let year_ago = today.checked_sub_months(Months::new(12)).unwrap() - Days::new(2);
    put(
        store,
        "AAA",
        &[
            (year_ago, 50.0),
            (ago(40), 80.0),
            (ago(8), 95.0),
            (ago(1), 99.0),
            (today, 100.0),
        ],
    )
    .await;
    put(store, "BBB", &[(today, 20.0)]).await;
    put(store, "CCC", &[(ago(31), 30.0), (ago(30), 33.0)]).await;
    today
}

on_both_backends!(each_row_has_its_returns_range_and_sparkline, |store| {
    let today = known(&store).await;
    let app = spawn_app(store).await;
    let (status, html) = app.get("/markets").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"data-testid="markets""#));
    assert_eq!(order(&html), ["AAA", "BBB", "CCC"], "by symbol at first");

    let aaa = row(&html, "AAA");
    assert!(aaa.contains("100.00"), "the last close");
    assert!(aaa.contains(&today.to_string()), "and its date");
    assert_eq!(cell(aaa, "1D"), "+1.01 %");
    assert_eq!(
        cell(aaa, "1W"),
        "+5.26 %",
        "95 was 8 days ago: on or before 7"
    );
    assert_eq!(cell(aaa, "1M"), "+25.00 %", "80, 40 days ago");
    assert_eq!(cell(aaa, "1Y"), "+100.00 %", "50, a year and 2 days ago");
    // YTD: from the last close of the previous year, whichever of the pinned days it is.
    let year_end = NaiveDate::from_ymd_opt(today.year() - 1, 12, 31).unwrap();
    let base = [(40, 80.0), (8, 95.0), (1, 99.0)]
        .iter()
        .rev()
        .find(|(d, _)| today - Days::new(*d) <= year_end)
        .map_or(50.0, |(_, c)| *c);
    assert_eq!(
        cell(aaa, "YTD"),
        format!("{:+.2} %", (100.0 / base - 1.0) * 100.0)
    );
    assert!(aaa.contains(r#"class="range52""#) && aaa.contains(r#"data-testid="sparkline""#));
    // The close of a year and 2 days ago is older than 52 weeks: not in the range.
    assert!(aaa.contains("79.00 – 101.00"), "the 52-week low and high");
    assert!(
        aaa.contains(r#"href="/?symbol=AAA""#),
        "a row links to its chart"
    );

    let bbb = row(&html, "BBB");
    for column in ["1D", "1W", "1M", "YTD", "1Y"] {
        assert_eq!(cell(bbb, column), "—", "one day: no {column} return");
    }
    let ccc = row(&html, "CCC");
    assert!(ccc.contains("Stale: last close 30 days ago."), "{ccc}");
    assert_eq!(cell(ccc, "1D"), "+10.00 %");
});

on_both_backends!(
    columns_sort_by_plain_links_and_a_benchmark_compares,
    |store| {
        known(&store).await;
        let app = spawn_app(store).await;
        let (_, html) = app.get("/markets").await;
        // The 1Y heading's link sorts by it, biggest first; again, the other way.
        assert!(html.contains(r#"href="/markets?sort=1y""#), "{html}");
        let (status, html) = app.get("/markets?sort=1y").await;
        assert_eq!(status, 200);
        assert_eq!(
            order(&html),
            ["AAA", "BBB", "CCC"],
            "no 1Y return: last either way"
        );
        assert!(heading(&html, "1y").contains(r#"aria-sort="descending""#));
        assert!(!heading(&html, "1d").contains("aria-sort"));
        assert!(html.contains(r#"href="/markets?sort=1y&amp;dir=asc""#));
        let (_, html) = app.get("/markets?sort=1d&dir=desc").await;
        assert_eq!(order(&html), ["CCC", "AAA", "BBB"], "+10 %, +1.01 %, none");
        let (_, html) = app.get("/markets?sort=1d&dir=asc").await;
        assert_eq!(order(&html), ["AAA", "CCC", "BBB"]);
        let (_, html) = app.get("/markets?sort=symbol&dir=desc").await;
        assert_eq!(order(&html), ["CCC", "BBB", "AAA"]);

        // Relative to AAA: each return minus AAA's, in percentage points.
        let (status, html) = app.get("/markets?vs=AAA&sort=1d").await;
        assert_eq!(status, 200);
        assert!(row(&html, "CCC").contains("+8.99 pp vs AAA"), "10 - 1.01");
        assert!(row(&html, "AAA").contains("+0.00 pp vs AAA"));
        assert!(
            html.contains(r#"href="/markets?sort=1d&amp;dir=asc&amp;vs=AAA""#),
            "links keep it"
        );
    }
);

on_both_backends!(a_watchlist_shows_its_symbols_in_its_order, |store| {
    known(&store).await;
    let app = spawn_app(store).await;
    let (status, html) = app.get("/markets?symbols=ccc,%20AAA,ZZZ,AAA").await;
    assert_eq!(status, 200, "an unknown symbol is said in its row");
    assert_eq!(order(&html), ["CCC", "AAA", "ZZZ"]);
    assert!(row(&html, "ZZZ").contains("No prices for ZZZ."));
    assert!(
        html.contains(r#"value="CCC,AAA,ZZZ""#),
        "the form shows the list"
    );
    assert!(html.contains(r#"href="/markets?symbols=CCC,AAA,ZZZ&amp;sort=1y""#));
    assert!(
        !html.contains("aria-sort"),
        "in its own order, no column is the sort"
    );
    // Sorted by a column, the watchlist is too.
    let (_, html) = app.get("/markets?symbols=CCC,AAA,ZZZ&sort=symbol").await;
    assert_eq!(order(&html), ["AAA", "CCC", "ZZZ"]);
});

on_both_backends!(bad_parameters_are_a_notice_and_a_400, |store| {
    known(&store).await;
    let app = spawn_app(store).await;
    for (query, said) in [
        ("sort=volume", "is not a column to sort by"),
        ("sort=1y&dir=up", "is not a direction"),
        ("symbols=IBM,%3Cb%3E", "is not a symbol."),
        ("vs=%3Cb%3E", "is not a symbol to compare with"),
    ] {
        let (status, html) = app.get(&format!("/markets?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(said), "{query}: {said}");
        assert!(!html.contains("<b>"), "{query}: echoed escaped");
        assert!(
            html.contains(r#"data-testid="markets""#),
            "{query}: the table still shows"
        );
    }
    let (status, html) = app.get("/markets?vs=NOPE").await;
    assert_eq!(status, 404);
    assert!(html.contains("There are no prices for NOPE to compare with."));
});

on_both_backends!(the_demo_overview_has_every_symbol, |store| {
    let app = spawn_demo_app(store).await;
    let symbols: Vec<String> = app
        .store
        .symbols()
        .await
        .unwrap()
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    let (status, html) = app.get("/markets").await;
    assert_eq!(status, 200);
    assert_eq!(order(&html), symbols);
    assert!(html.contains(r#"href="/markets""#), "in the navigation");
});
