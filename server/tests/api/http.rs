//! The server over real HTTP: the page, the server function, health, bad input and a
//! database that goes away and comes back. Real SQLite files and a real Postgres.

use crate::helpers::{header, option_of, spawn_app, spawn_app_with, spawn_demo_app};
use server::configuration::ServerSettings;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use store::testing::create_postgres_database;
use store::{demo, on_both_backends, DatabaseSettings, Store, StoreOptions};
use tokio::net::{TcpListener, TcpStream};

on_both_backends!(home_page_has_table_select_and_chart_data, |store| {
    let app = spawn_demo_app(store).await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"data-testid="news-table""#));
    assert!(html.contains(r#"id="symbol""#) && html.contains(r#"data-testid="symbol-select""#));
    assert!(html.contains(r#"data-testid="price-chart""#));
    // The default symbol is selected and its series is in this same response.
    assert!(
        html.contains(r#"<option value="IBM" selected"#),
        "IBM selected"
    );
    let ibm = app
        .store
        .daily_bars(&store::Symbol::parse("IBM").unwrap(), None, None)
        .await
        .unwrap();
    let last = ibm.last().unwrap();
    assert!(
        html.contains(&format!("last close {:.2}", last.close)),
        "summary of the chart data"
    );
    assert!(html.contains(&last.date.to_string()), "series data inline");
    // The chart itself is in the HTML: the server's SVG drawing of the close (the
    // default line chart), inside the chart box, with the legend.
    let chart_box = html
        .split(r#"data-testid="price-chart""#)
        .nth(1)
        .and_then(|rest| rest.split(r#"id="price-chart""#).next())
        .expect("the chart box, then the ECharts surface");
    assert_eq!(chart_box.matches("<polyline").count(), 1, "{chart_box}");
    assert!(chart_box.contains("IBM close") && !chart_box.contains("IBM open"));
    assert!(html.contains(r#"data-testid="demo-banner""#));
    assert!(html.contains("prices updated"));
    // Works without JS: a GET form.
    assert!(html.contains(r#"<form method="get" action="/""#), "{html}");
});

on_both_backends!(
    the_page_carries_its_data_once_and_hydrates_only_islands,
    |store| {
        let app = spawn_demo_app(store).await;
        let (status, html) = app
            .get("/?symbol=ibm&range=1y&chart=line&q=%20&news=x")
            .await;
        assert_eq!(status, 200);
        // One island hydrates (everything under the header); no resource data is
        // serialized for hydration: the island starts from the page's answer.
        let islands: Vec<&str> = html
            .split("<leptos-island data-component=\"")
            .skip(1)
            .filter_map(|rest| rest.split('_').next())
            .collect();
        assert_eq!(islands, ["LiveHome"], "{html}");
        assert!(
            !html.contains("__RESOLVED_RESOURCES.push"),
            "no resource data: {html}"
        );
        // The answer, once, as JSON beside the island: `get_dashboard`'s for the URL.
        let document = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("script#dashboard[type='application/json']").unwrap();
        let answer: serde_json::Value = serde_json::from_str(
            &document
                .select(&sel)
                .next()
                .expect("the answer")
                .text()
                .collect::<String>(),
        )
        .expect("JSON");
        assert!(
            option_of(&answer)["dataset"]["source"]
                .as_array()
                .unwrap()
                .len()
                > 100
        );
        assert_eq!(html.matches(r#"\"dataset\""#).count(), 1, "the option once");
        assert_eq!(answer["selected"], "IBM");
        assert_eq!(answer["view"]["range"], "OneYear");
        // Each headline twice: in the table, and in the answer the island starts from.
        let first_headline = document
            .select(&scraper::Selector::parse("[data-testid=news-table] tbody a").unwrap())
            .next()
            .expect("a headline")
            .text()
            .collect::<String>();
        assert_eq!(
            html.matches(first_headline.as_str()).count(),
            2,
            "{first_headline}"
        );
        // The canonical URL: the server's short form of what it shows (symbol as applied,
        // defaults, the blank search and the bad headline count left out).
        assert!(
            html.contains(r#"<link href="/?symbol=IBM&amp;range=1Y" rel="canonical">"#),
            "{html}"
        );
        // A symbol that is not shown gets no canonical URL: the address keeps it.
        let (status, html) = app.get("/?symbol=NOPE").await;
        assert_eq!(status, 404);
        assert!(!html.contains(r#"rel="canonical""#), "{html}");
    }
);

on_both_backends!(crypto_symbol_filters_headlines_to_its_coin, |store| {
    let app = spawn_demo_app(store).await;
    let (status, html) = app.get("/?symbol=btc").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<option value="BTC" selected"#));
    assert!(html.contains("Latest bitcoin headlines"));
    assert!(html.contains("/tickerboard-demo/bitcoin/"));
    assert!(!html.contains("/tickerboard-demo/ethereum/"));
    assert!(html.contains(r#"rel="noopener noreferrer""#));
});

on_both_backends!(bad_symbols_get_a_message_and_a_fitting_status, |store| {
    let app = spawn_demo_app(store).await;
    let before = app.store.symbols().await.unwrap();

    let (status, html) = app.get("/?symbol=NOPE").await;
    assert_eq!(status, 404);
    assert!(html.contains("There are no prices for NOPE"), "{html}");

    let long = "A".repeat(300);
    let (status, html) = app.get(&format!("/?symbol={long}")).await;
    assert_eq!(status, 400);
    assert!(html.contains("at most 12 characters"));
    assert!(!html.contains(&long), "oversized input is not echoed whole");

    let (status, html) = app
        .get("/?symbol=IBM%27%3B%20DROP%20TABLE%20daily_prices%3B--")
        .await;
    assert_eq!(status, 400);
    assert!(html.contains("is not a symbol"));
    assert!(
        html.contains("&#x27;") || html.contains("&#39;") || html.contains("IBM'"),
        "echoed as text"
    );

    let (status, html) = app
        .get("/?symbol=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(status, 400);
    assert!(!html.contains("<script>alert(1)"), "input is escaped");

    assert_eq!(
        app.store.symbols().await.unwrap(),
        before,
        "no table was touched"
    );
});

on_both_backends!(server_function_answers_over_http, |store| {
    let app = spawn_demo_app(store).await;
    let (status, json) = app.dashboard_api("TSLA").await;
    assert_eq!(status, 200, "{json}");
    assert_eq!(json["selected"], "TSLA");
    // The chart comes as the ECharts option the server built: every day in one
    // dataset, the close drawn from it.
    // The option comes as its JSON text, which the browser hands to `JSON.parse`.
    let option = &option_of(&json);
    let rows = option["dataset"]["source"].as_array().unwrap();
    assert!(rows.len() > 1000);
    assert_eq!(option["series"][0]["name"], "TSLA close");
    assert_eq!(
        option["series"][0]["encode"]["x"], 0,
        "the dates come from the dataset"
    );
    assert_eq!(json["chart"]["range_starts"].as_array().unwrap().len(), 5);
    assert!(
        json.get("preview").is_none(),
        "the preview stays on the server"
    );
    assert!(json["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s == "BTC"));

    let (status, json) = app.dashboard_api("ZZZZ").await;
    assert_eq!(status, 404);
    assert!(json["notice"].as_str().unwrap().contains("ZZZZ"));
});

on_both_backends!(caching_follows_what_can_change, |store| {
    let app = spawn_demo_app(store).await;
    let res = app
        .response("/pkg/tickerboard.abc123.js", &[("accept-encoding", "br")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        header(&res, "content-encoding"),
        "br",
        "the precompressed copy is sent"
    );
    let res = app.response("/favicon.svg", &[]).await;
    assert_eq!(header(&res, "cache-control"), "public, max-age=86400");
    assert_eq!(
        header(&res, "content-length"),
        "6",
        "a file keeps its length"
    );
    // Pages from the page cache may sit in a CDN for a short time; everything else
    // that shows live data, and every error, must be asked for again.
    for path in ["/", "/?symbol=BTC"] {
        let res = app.response(path, &[]).await;
        assert_eq!(
            header(&res, "cache-control"),
            server::page_cache::SHARED_CACHE_POLICY,
            "{path}"
        );
    }
    for path in ["/?symbol=NOPE", "/healthz", "/pkg/missing.js"] {
        let res = app.response(path, &[]).await;
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
    }
    let res = app
        .client
        .post(format!("{}/api/dashboard", app.base))
        .form(&[("symbol", "IBM")])
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "cache-control"), "no-cache");
});

on_both_backends!(health_and_compression, |store| {
    let app = spawn_demo_app(store).await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let res = app.response("/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(res.headers().get("content-encoding").unwrap(), "gzip");
    let (status, _) = app.get("/no/such/page").await;
    assert_eq!(status, 404);
});

#[tokio::test]
async fn postgres_is_never_filled_with_demo_data() {
    let url = create_postgres_database().await;
    let opened = Store::open(&DatabaseSettings::for_url(&url)).await.unwrap();
    assert!(!opened.is_new_default);
    let app = spawn_app(opened.store).await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("no data yet"));
    assert!(!html.contains(r#"data-testid="demo-banner""#));
    assert!(html.contains("No headlines yet."));
}

#[tokio::test]
async fn no_database_password_reaches_the_page_or_the_api() {
    let url = create_postgres_database().await;
    let password = "pw-7f3a-never-shown";
    let admin = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    admin.migrate().await.unwrap();
    demo::seed(&admin).await.unwrap();
    // The throwaway server trusts loopback, so any password is accepted: what matters
    // is that the one in the URL never travels to a client.
    let with_password = url.replacen("postgres@", &format!("postgres:{password}@"), 1);
    let store = Store::connect(&with_password, &StoreOptions::default())
        .await
        .unwrap();
    let app = spawn_app(store).await;
    let (_, html) = app.get("/").await;
    let (_, json) = app.dashboard_api("IBM").await;
    assert!(!html.contains(password) && !json.to_string().contains(password));
    assert!(!html.contains("postgres://"));
}

/// A TCP relay between the app and Postgres that can be cut and restored: the database
/// "goes away" while the server keeps running.
struct Relay {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    /// New connections are held open and never answered (a host that stopped
    /// answering, not one that refuses): a connect waits for its timeout.
    stalled: Arc<AtomicBool>,
    generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let stalled = Arc::new(AtomicBool::new(false));
        let generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (up2, stalled2, gen2) = (up.clone(), stalled.clone(), generation.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut client, _)) = listener.accept().await else {
                    break;
                };
                if !up2.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                if stalled2.load(Ordering::SeqCst) {
                    tokio::spawn(async move {
                        let _held = client;
                        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                    });
                    continue;
                }
                let gen_at_start = gen2.load(Ordering::SeqCst);
                let gen3 = gen2.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    let cut = async move {
                        while gen3.load(Ordering::SeqCst) == gen_at_start {
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        }
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut => {}
                    }
                });
            }
        });
        Relay {
            addr,
            up,
            stalled,
            generation,
        }
    }

    fn stall(&self) {
        self.stalled.store(true, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
        self.stalled.store(false, Ordering::SeqCst);
    }
}

/// A fresh Postgres database with the demo data, and a store reaching it through a
/// [`Relay`], whose pool waits at most `acquire_timeout` for a connection.
async fn relayed_demo_store(acquire_timeout: std::time::Duration) -> (Relay, Store) {
    let url = create_postgres_database().await;
    let direct = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    direct.migrate().await.unwrap();
    demo::seed(&direct).await.unwrap();
    let pg_addr: SocketAddr = {
        let rest = url.split('@').nth(1).unwrap();
        rest.split('/').next().unwrap().parse().unwrap()
    };
    let relay = Relay::start(pg_addr).await;
    let relayed = url.replace(&pg_addr.to_string(), &relay.addr.to_string());
    let options = StoreOptions {
        acquire_timeout,
        ..Default::default()
    };
    (relay, Store::connect(&relayed, &options).await.unwrap())
}

#[tokio::test]
async fn database_lost_while_serving_shows_an_error_and_recovers() {
    let (relay, store) = relayed_demo_store(std::time::Duration::from_secs(2)).await;
    let app = spawn_app(store).await;

    let (status, _) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200);

    relay.cut();
    // The relay closes open connections on its next tick.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // A page not in memory needs the database: the error panel, and it is not kept.
    for _ in 0..2 {
        let (status, html) = app.get("/?symbol=MSFT").await;
        assert_eq!(status, 503, "{html}");
        assert!(html.contains(r#"data-testid="error-panel""#));
        assert!(html.contains("database is not reachable"));
    }
    // The page already in memory is still served until it ages out.
    let (status, html) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200, "{html}");
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 503);

    relay.restore();
    let mut recovered = false;
    for _ in 0..20 {
        let (status, html) = app.get("/?symbol=MSFT").await;
        if status == 200 && html.contains(r#"data-testid="news-table""#) {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(recovered, "the page works again once the database is back");
}

#[tokio::test]
async fn a_database_away_since_the_start_costs_a_page_its_own_wait_only() {
    let wait = std::time::Duration::from_millis(1500);
    let (relay, store) = relayed_demo_store(wait).await;
    relay.stall();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // Away (not answering) before the server's first read of the data version.
    let app = spawn_app(store).await;
    let (status, _) = app.get("/?symbol=MSFT").await;
    assert_eq!(status, 503);
    // Each page now waits for its own query only, not first for a data-version read
    // (which the cache's watcher alone retries): one pool wait, not two.
    for path in ["/?symbol=IBM", "/?symbol=BTC", "/?symbol=IBM"] {
        let started = std::time::Instant::now();
        let (status, html) = app.get(path).await;
        let took = started.elapsed();
        assert_eq!(status, 503, "{html}");
        assert!(html.contains("database is not reachable"), "{html}");
        assert!(
            took < wait + wait / 2,
            "{path} took {took:?}: more than one wait of {wait:?} for the database"
        );
    }
    assert_eq!(app.page_cache.usage().await.0, 0, "no error page kept");

    // Back: pages work and are kept again, once the watcher has read the version.
    relay.restore();
    let mut kept = false;
    for _ in 0..40 {
        let (status, _) = app.get("/?symbol=MSFT").await;
        if status == 200 && app.page_cache.usage().await.0 > 0 {
            kept = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(kept, "pages are kept again once the database is back");
}

on_both_backends!(every_response_carries_the_security_headers, |store| {
    let app = spawn_demo_app(store).await;
    for path in [
        "/",
        "/?symbol=NOPE",
        "/healthz",
        "/favicon.svg",
        "/no/such/page",
    ] {
        let res = app.response(path, &[]).await;
        assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&res, "referrer-policy"), "no-referrer", "{path}");
        let csp = header(&res, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    // A page from the cache allows exactly its own inline scripts, by their hashes
    // (a nonce shared by every reader of a cached copy would be no secret).
    let res = app.response("/", &[]).await;
    let csp = header(&res, "content-security-policy");
    let html = res.text().await.unwrap();
    let script_src = csp.split(';').find(|d| d.contains("script-src")).unwrap();
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    assert!(
        !csp.contains("'nonce-") && !html.contains("nonce="),
        "{csp}"
    );
    let inline = inline_script_hashes(&html);
    assert!(inline.len() >= 2, "{html}");
    let allowed: Vec<&str> = script_src
        .split_whitespace()
        .filter(|s| s.starts_with("'sha256-"))
        .collect();
    let mut expected: Vec<&str> = inline.iter().map(String::as_str).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(allowed, expected, "one hash per inline script, no other");

    // With the page cache off, each response has its own nonce on every inline script.
    let settings = ServerSettings {
        page_cache_bytes: 0,
        ..crate::helpers::test_settings()
    };
    let uncached = spawn_app_with(app.store.clone(), settings).await;
    let res = uncached.response("/", &[]).await;
    let csp = header(&res, "content-security-policy");
    let html = res.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{csp}");
    let inline_scripts = inline_script_hashes(&html).len();
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        inline_scripts,
        "every inline script carries the nonce: {html}"
    );
    let again = uncached.response("/", &[]).await;
    assert_ne!(
        header(&again, "content-security-policy"),
        csp,
        "a new nonce per response"
    );
});

/// `'sha256-…'` of each inline script in `html` that runs, in document order.
fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::Digest;
    let document = scraper::Html::parse_document(html);
    // Data blocks (the chart's JSON) never run: the policy needs nothing for them.
    let inline =
        scraper::Selector::parse(r#"script:not([src]):not([type="application/json"])"#).unwrap();
    document
        .select(&inline)
        .map(|script| {
            let text: String = script.text().collect();
            let digest = sha2::Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

on_both_backends!(oversized_and_malformed_bodies_get_clear_answers, |store| {
    let app = spawn_demo_app(store).await;
    let post = |body: Vec<u8>| {
        app.client
            .post(format!("{}/api/dashboard", app.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let big = post(format!("symbol={}", "A".repeat(3 << 20)).into_bytes())
        .await
        .unwrap();
    assert_eq!(big.status(), 413);
    let bad = post(b"symbol=\xff\xfe".to_vec()).await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("UTF-8"));
    let escaped = post(b"symbol=%FF%FE".to_vec()).await.unwrap();
    assert_eq!(escaped.status(), 400);
    // The page still answers.
    assert_eq!(app.dashboard_api("IBM").await.0, 200);
});

on_both_backends!(key_stats_are_in_the_first_html, |store| {
    let app = spawn_demo_app(store).await;
    let bars = app.store.bars_of("MSFT").await;
    let (last, previous) = (&bars[bars.len() - 1], &bars[bars.len() - 2]);
    let (status, html) = app.get("/?symbol=MSFT").await;
    assert_eq!(status, 200);
    let stats = html
        .split(r#"data-testid="key-stats""#)
        .nth(1)
        .and_then(|s| s.split("</dl>").next())
        .expect("the key stats");
    assert!(stats.contains(&format!("{:.2}", last.close)), "{stats}");
    assert!(stats.contains(&last.date.to_string()));
    let change = last.close - previous.close;
    assert!(stats.contains(&format!("{change:+.2}")), "{stats}");
    let arrow = if change > 0.0 {
        "▲"
    } else if change < 0.0 {
        "▼"
    } else {
        "■"
    };
    assert!(
        stats.contains(arrow),
        "the direction is not only a colour: {stats}"
    );
    let year: Vec<_> = bars
        .iter()
        .filter(|b| b.date > last.date - chrono::Duration::days(365))
        .collect();
    let high = year.iter().map(|b| b.high).fold(f64::MIN, f64::max);
    assert!(
        stats.contains(&format!("{high:.2}")),
        "52-week high {high}: {stats}"
    );
    let all = (last.close / bars[0].close - 1.0) * 100.0;
    assert!(
        stats.contains(&format!("{all:+.2} %")),
        "return over All: {stats}"
    );
    // No prices, no stats.
    let (_, html) = app.get("/?symbol=NOPE").await;
    assert!(!html.contains(r#"data-testid="key-stats""#));
});

on_both_backends!(the_range_in_the_url_draws_its_window_first, |store| {
    let app = spawn_demo_app(store).await;
    let bars = app.store.bars_of("IBM").await;
    let last = bars.last().unwrap().date;
    let cutoff = last.checked_sub_months(chrono::Months::new(12)).unwrap();
    let first_in_year = bars.iter().find(|b| b.date >= cutoff).unwrap().date;
    let first_x_label = |html: &str| {
        html.split(r#"<span class="x" style="left:0.00%">"#)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .map(str::to_string)
            .expect("the first date label of the preview")
    };
    let (status, html) = app.get("/?symbol=IBM&range=1y").await;
    assert_eq!(status, 200);
    assert_eq!(first_x_label(&html), first_in_year.to_string());
    let (_, html) = app.get("/?symbol=IBM").await;
    assert_eq!(first_x_label(&html), bars[0].date.to_string());
    let (status, html) = app.get("/?symbol=IBM&range=3W").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("is not a range: use 1M, 6M, 1Y, 5Y or all"),
        "{html}"
    );
    assert_eq!(
        first_x_label(&html),
        bars[0].date.to_string(),
        "the default: all"
    );
    // The no-JS form carries the range.
    let (_, html) = app.get("/?symbol=IBM&range=5Y").await;
    assert!(
        html.contains(r#"<input type="hidden" name="range" value="5Y""#),
        "{html}"
    );
});

// #21: a cache between us and the reader keeps one copy of a static file per encoding.
on_both_backends!(
    precompressed_static_files_vary_by_accept_encoding,
    |store| {
        let app = spawn_app(store).await;
        for (path, encoding) in [
            ("/pkg/tickerboard.abc123.js", "br"),
            ("/pkg/tickerboard.abc123.js", "identity"),
            ("/favicon.svg", "gzip"),
        ] {
            let res = app.response(path, &[("accept-encoding", encoding)]).await;
            assert_eq!(res.status(), 200, "{path}");
            let vary: Vec<String> = res
                .headers()
                .get_all("vary")
                .iter()
                .flat_map(|v| v.to_str().unwrap().split(','))
                .map(|v| v.trim().to_ascii_lowercase())
                .filter(|v| v == "accept-encoding")
                .collect();
            assert_eq!(vary.len(), 1, "{path} ({encoding}): {:?}", res.headers());
        }
    }
);
