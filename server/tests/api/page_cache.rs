//! Pages from memory: computed once per data version, compressed once per encoding,
//! revalidated by ETag, dropped when an ingest changes the data, bounded in size.

use crate::helpers::{header, spawn_demo_app, spawn_demo_app_with, test_settings};
use server::configuration::ServerSettings;
use sqlx::Connection;
use std::io::Read;
use std::time::Duration;
use store::on_both_backends;
use store::testing::{fresh_postgres_with_url, fresh_sqlite};

on_both_backends!(
    a_page_is_sent_from_memory_in_each_encoding_with_an_etag,
    |store| {
        let app = spawn_demo_app(store).await;
        let plain = app.response("/?symbol=IBM", &[]).await;
        assert_eq!(plain.status(), 200);
        let etag = header(&plain, "etag");
        assert!(etag.starts_with("W/\""), "{etag}");
        assert_eq!(header(&plain, "vary"), "accept-encoding");
        let plain = plain.bytes().await.unwrap();

        let br = app
            .response("/?symbol=IBM", &[("accept-encoding", "gzip, br")])
            .await;
        assert_eq!(header(&br, "content-encoding"), "br");
        assert_eq!(header(&br, "etag"), etag, "one tag for every encoding");
        let compressed = br.bytes().await.unwrap();
        assert!(
            compressed.len() * 3 < plain.len(),
            "brotli shrinks the page: {} of {} bytes",
            compressed.len(),
            plain.len()
        );
        assert_eq!(unbrotli(&compressed), plain, "the same page");
        // Then the background writes it again at brotli's best: later readers get fewer
        // bytes of the same page.
        let mut best = compressed.clone();
        for _ in 0..300 {
            let again = app
                .response("/?symbol=IBM", &[("accept-encoding", "br")])
                .await;
            assert_eq!(header(&again, "etag"), etag);
            best = again.bytes().await.unwrap();
            if best.len() < compressed.len() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            best.len() * 100 < compressed.len() * 95,
            "quality 11 is at least 5 % smaller: {} then {} bytes",
            compressed.len(),
            best.len()
        );
        assert_eq!(unbrotli(&best), plain, "the same page, better compressed");

        let gzip = app
            .response("/?symbol=IBM", &[("accept-encoding", "gzip")])
            .await;
        assert_eq!(header(&gzip, "content-encoding"), "gzip");

        // A browser that has the page asks again with its tag: 304, no body.
        let again = app
            .response("/?symbol=IBM", &[("if-none-match", etag.as_str())])
            .await;
        assert_eq!(again.status(), 304);
        assert_eq!(header(&again, "etag"), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        let other = app
            .response("/?symbol=IBM", &[("if-none-match", "W/\"stale\"")])
            .await;
        assert_eq!(other.status(), 200);

        // Another symbol is another page with another tag.
        let msft = app.response("/?symbol=MSFT", &[]).await;
        assert_ne!(header(&msft, "etag"), etag);
    }
);

#[tokio::test]
async fn a_cached_page_needs_no_database_and_an_ingest_replaces_it() {
    let (store, url) = fresh_postgres_with_url().await;
    let app = spawn_demo_app(store.clone()).await;
    let (status, before) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200);

    // Another session holds the prices table: a read would wait. The cached page
    // does not read, so it comes at once, twice over; an uncached one has to wait.
    let mut locker = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE daily_prices IN ACCESS EXCLUSIVE MODE")
        .execute(&mut locker)
        .await
        .unwrap();
    for _ in 0..2 {
        let page = tokio::time::timeout(Duration::from_secs(2), app.get("/?symbol=IBM"))
            .await
            .expect("served from memory while the table is locked");
        assert_eq!(page, (200, before.clone()));
    }
    // The in-place navigation's fetch asks with another `Accept`: the same entry.
    let fetched = tokio::time::timeout(
        Duration::from_secs(2),
        app.response("/?symbol=IBM", &[("accept", "text/html")]),
    )
    .await
    .expect("the same page from memory, whatever the Accept");
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.text().await.unwrap(), before);
    let uncached = tokio::time::timeout(Duration::from_millis(500), app.get("/?symbol=AAPL")).await;
    assert!(uncached.is_err(), "a page not in memory reads the database");
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut locker)
        .await
        .unwrap();

    // An ingest (as from another process: straight into the database) shows up once
    // the server has seen the data version move.
    crate::ingest_to_page::ingest_fixtures(&store).await;
    let (status, after) = app
        .get_when("/?symbol=IBM", |html| !html.contains("demo-banner"))
        .await;
    assert_eq!(status, 200);
    assert!(
        after.contains("IBM: 2 daily prices from 2020-05-07 to 2020-05-08"),
        "{after}"
    );
}

#[tokio::test]
async fn the_cache_stays_within_its_size() {
    let cap = 256 * 1024;
    let (app, _dir) = demo_app_with_cache(cap).await;
    for i in 0..200 {
        let (status, _) = app.get(&format!("/?symbol=NONE{i}")).await;
        assert_eq!(status, 404);
    }
    for symbol in ["IBM", "MSFT", "AAPL", "BTC"] {
        assert_eq!(app.get(&format!("/?symbol={symbol}")).await.0, 200);
    }
    let (entries, bytes) = app.page_cache.usage().await;
    assert!(bytes <= cap, "{bytes} bytes cached, cap {cap}");
    assert!(
        entries > 0 && entries < 204,
        "{entries} entries: some were dropped"
    );
}

/// A demo app on SQLite whose page cache holds at most `bytes`.
/// Keep the folder while the app runs: it holds the SQLite file.
async fn demo_app_with_cache(bytes: u64) -> (crate::helpers::TestApp, store::testing::TempDir) {
    let (store, dir) = fresh_sqlite().await;
    let settings = ServerSettings {
        page_cache_bytes: bytes,
        ..test_settings()
    };
    (spawn_demo_app_with(store, settings).await, dir)
}

/// A brotli body, decompressed.
fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(body, 4096)
        .read_to_end(&mut unpacked)
        .unwrap();
    unpacked
}

// #21: a HEAD is answered from the GET's entry (it made no entry of its own before:
// every HEAD was computed again).
#[tokio::test]
async fn a_head_is_answered_from_the_gets_entry() {
    let (store, _dir) = fresh_sqlite().await;
    let app = spawn_demo_app(store).await;
    let get = app.response("/?symbol=IBM", &[]).await;
    let (etag, length) = (header(&get, "etag"), get.bytes().await.unwrap().len());
    let (entries, _) = app.page_cache.usage().await;
    let head = app
        .client
        .head(format!("{}/?symbol=IBM", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(header(&head, "etag"), etag, "the GET's entry");
    assert_eq!(header(&head, "content-length"), length.to_string());
    assert!(head.bytes().await.unwrap().is_empty(), "no body");
    assert_eq!(
        app.page_cache.usage().await.0,
        entries,
        "no entry of its own"
    );
    // A HEAD first makes the entry the GET then finds.
    let head = app
        .client
        .head(format!("{}/?symbol=MSFT", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(app.page_cache.usage().await.0, entries + 1);
    let get = app.response("/?symbol=MSFT", &[]).await;
    assert_eq!(header(&get, "etag"), header(&head, "etag"));
    assert_eq!(app.page_cache.usage().await.0, entries + 1);
}

// #21: an answer too big to keep (over 4 MiB, or over an eighth of the cache) is sent,
// computed for each request, never turned into an error.
#[tokio::test]
async fn an_answer_too_big_to_keep_is_sent_uncached() {
    let (app, _dir) = demo_app_with_cache(256 * 1024).await;
    let (entries, _) = app.page_cache.usage().await;
    for _ in 0..2 {
        let (status, html) = app.get("/?symbol=IBM").await;
        assert_eq!(status, 200);
        assert!(
            html.len() > 32 * 1024,
            "{} bytes: over an eighth",
            html.len()
        );
        assert!(html.contains(r#"data-testid="price-chart""#) && html.contains("</html>"));
    }
    assert_eq!(app.page_cache.usage().await.0, entries, "not kept");
    let (status, _) = app.get("/runs").await;
    assert_eq!(status, 200);
    assert_eq!(
        app.page_cache.usage().await.0,
        entries + 1,
        "a small page is kept"
    );
}

// #21: a page's entry is keyed by what the page reads: unknown parameters and repeats
// of a parameter read once share the entry, and what they share is the page the app
// computes for that very URL (checked against an app without a cache, so a page that
// starts reading a parameter `app::query_params` does not list fails here).
#[tokio::test]
async fn unknown_and_repeated_parameters_share_one_entry() {
    let (store, _dir) = fresh_sqlite().await;
    let cached = spawn_demo_app(store.clone()).await;
    let uncached = crate::helpers::spawn_app_with(
        store,
        ServerSettings {
            page_cache_bytes: 0,
            ..test_settings()
        },
    )
    .await;
    let views: [(&str, &[&str]); 4] = [
        (
            "/?symbol=MSFT&range=1Y&ma=20&ma=50&compare=IBM",
            &[
                "/?utm_source=x&symbol=MSFT&range=1Y&ma=20&ma=50&compare=IBM",
                "/?symbol=IBM&ma=20&range=6M&ma=50&symbol=MSFT&range=1Y&compare=IBM&fbclid=1",
                "/?compare=IBM&ma=20&ma=50&range=1Y&symbol=M%53FT",
            ],
        ),
        (
            "/weather?unit=f",
            &["/weather?unit=c&x=1&unit=f", "/weather?y&unit=f"],
        ),
        (
            "/runs?status=succeeded",
            &["/runs?status=failed&status=succeeded&utm=1"],
        ),
        (
            "/markets?symbols=BTC,IBM&sort=1y&vs=IBM",
            &[
                "/markets?vs=ETH&symbols=BTC,IBM&sort=1y&vs=IBM&ref=news",
                "/markets?sort=1d&symbols=BTC%2CIBM&vs=IBM&sort=1y",
            ],
        ),
    ];
    for (clean, noisy) in views {
        let first = cached.response(clean, &[]).await;
        assert_eq!(first.status(), 200, "{clean}");
        let etag = header(&first, "etag");
        let (entries, _) = cached.page_cache.usage().await;
        let computed = without_nonce(uncached.response(clean, &[]).await).await;
        for url in noisy {
            let again = cached.response(url, &[]).await;
            assert_eq!(header(&again, "etag"), etag, "{url} is {clean}'s entry");
            assert_eq!(
                cached.page_cache.usage().await.0,
                entries,
                "{url}: no new entry"
            );
            assert_eq!(
                without_nonce(uncached.response(url, &[]).await).await,
                computed,
                "{url} is the page {clean} is"
            );
        }
    }
    // What a page reads still tells pages apart.
    let (entries, _) = cached.page_cache.usage().await;
    for other in [
        "/?symbol=MSFT&range=1Y&ma=50&ma=20&compare=IBM",
        "/?symbol=MSFT&range=1Y&q=x",
    ] {
        assert_eq!(cached.response(other, &[]).await.status(), 200);
    }
    assert_eq!(cached.page_cache.usage().await.0, entries + 2);
}

/// A page's HTML with its per-request nonce taken out.
async fn without_nonce(res: reqwest::Response) -> String {
    let csp = header(&res, "content-security-policy");
    let html = res.text().await.unwrap();
    match csp
        .split("'nonce-")
        .nth(1)
        .and_then(|n| n.split('\'').next())
    {
        Some(nonce) if !nonce.is_empty() => html.replace(nonce, "NONCE"),
        _ => html,
    }
}
