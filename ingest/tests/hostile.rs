//! A broken or hostile upstream: endless and oversized bodies, redirects to other
//! hosts, pages nested 50,000 deep or with 50,000 cards. Each run fails fast with a
//! reason (or reads what is readable), and memory stays bounded. Its own test binary,
//! so the process's peak memory is this file's alone.

use ingest::sources::utoday::{nesting_depth, parse_listing, parse_rss, MAX_NESTING};
use ingest::testing::{fixture, html, json, Upstream};
use ingest::{Fetcher, Ingest, Job, RunReport};
use std::time::{Duration, Instant};
use store::testing::fresh_sqlite;
use store::{Coin, RunStatus, Symbol};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

fn ibm() -> Job {
    Job::Prices {
        symbol: Symbol::parse("IBM").unwrap(),
        full: false,
    }
}

fn bitcoin_news() -> Job {
    Job::News {
        coin: Coin::parse("bitcoin").unwrap(),
    }
}

async fn run(fetcher: &Fetcher, job: &Job) -> RunReport {
    let (store, _dir) = fresh_sqlite().await;
    Ingest::new(store).run(fetcher, job).await
}

/// The process's peak resident memory so far (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM in /proc/self/status");
    kb * 1024
}

/// A server on loopback whose every answer is a chunked body that never ends: 64 KiB
/// chunks for as long as the client reads.
async fn endless_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("10000\r\n{}\r\n", "7".repeat(0x10000));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_endless_body_fails_the_run_fast_with_memory_bounded() {
    let base = endless_server().await;
    let mut sources = Upstream::start().await.sources();
    sources.alphavantage_url = Url::parse(&base).unwrap();
    sources.alphavantage_max_bytes = 4 << 20;
    sources.http_timeout = Duration::from_secs(30);
    let before = peak_rss();
    let clock = Instant::now();
    let report = run(&Fetcher::new(sources), &ibm()).await;
    let elapsed = clock.elapsed();
    let grew = peak_rss().saturating_sub(before);
    assert_eq!(report.status, RunStatus::Failed);
    let error = report.error.unwrap();
    assert!(
        error.contains("more than 4194304 bytes") && error.contains("ALPHAVANTAGE_MAX_BYTES"),
        "{error}"
    );
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(
        grew < 64 << 20,
        "peak memory grew by {} MiB reading a 4 MiB-capped endless body",
        grew >> 20
    );
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_unread() {
    let upstream = Upstream::start().await;
    let big = "x".repeat(300 << 10);
    upstream.weather("London", json(big)).await;
    let report = run(
        &upstream.fetcher(),
        &Job::Weather {
            cities: vec![store::City::parse("London").unwrap()],
        },
    )
    .await;
    let error = report.error.unwrap();
    assert!(
        error.contains("OPENWEATHER_MAX_BYTES") && error.contains("raise"),
        "{error}"
    );
}

#[tokio::test]
async fn redirects_stay_on_the_service_host() {
    let upstream = Upstream::start().await;
    let port = Url::parse(&upstream.uri()).unwrap().port().unwrap();
    // Same host, another path: followed.
    Mock::given(path("/query"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/moved/query"))
        .mount(&upstream.server)
        .await;
    Mock::given(path("/moved/query"))
        .respond_with(json(fixture("alphavantage/time_series_daily_IBM.json")))
        .mount(&upstream.server)
        .await;
    let followed = run(&upstream.fetcher(), &ibm()).await;
    assert!(followed.succeeded(), "{followed:?}");

    // Another host (localhost is not 127.0.0.1, though it reaches the same server): refused.
    let elsewhere = Upstream::start().await;
    Mock::given(path("/bitcoin-news"))
        .respond_with(ResponseTemplate::new(301).insert_header(
            "location",
            format!("http://localhost:{port}/moved/query").as_str(),
        ))
        .mount(&elsewhere.server)
        .await;
    let report = run(&elsewhere.fetcher(), &bitcoin_news()).await;
    assert_failed_saying(report, &["redirected elsewhere", "localhost"]);
    assert_eq!(
        upstream.requests().await,
        2,
        "the redirect to the other host was not followed"
    );
}

/// Reads a listing page as the U.Today source does, timing it.
fn read_listing(
    page: &str,
) -> (
    Result<ingest::sources::Parsed<store::Headline>, String>,
    Duration,
) {
    let clock = Instant::now();
    let page_url = Url::parse("https://u.today/bitcoin-news").unwrap();
    let read = parse_listing(page, &page_url, "bitcoin", chrono_tz::UTC);
    (read, clock.elapsed())
}

/// The run failed, and its error says `what`.
fn assert_failed_saying(report: RunReport, what: &[&str]) {
    assert_eq!(report.status, RunStatus::Failed);
    let error = report.error.unwrap_or_default();
    assert!(what.iter().all(|w| error.contains(w)), "{error}");
}

/// `depth` nested divs around one card.
fn nested_page(depth: usize) -> String {
    format!(
        "<html><body>{}{}{}</body></html>",
        "<div>".repeat(depth),
        card(1),
        "</div>".repeat(depth)
    )
}

fn card(n: usize) -> String {
    format!(
        r#"<div class="category-item"><a class="category-item__title-link" href="/news/{n}"><div class="category-item__title">Story {n}</div></a><div class="humble--time">03/28/2024 - 14:05</div></div>"#
    )
}

#[tokio::test]
async fn a_page_nested_50000_deep_fails_fast_with_a_reason() {
    let page = nested_page(50_000);
    assert!(nesting_depth(&page, usize::MAX) >= 50_000);
    let (read, took) = read_listing(&page);
    assert!(read.unwrap_err().contains("deep"));
    assert!(took < Duration::from_secs(3), "{took:?}");

    let upstream = Upstream::start().await;
    upstream.page("/bitcoin-news", html(page)).await;
    let clock = Instant::now();
    let report = run(&upstream.fetcher(), &bitcoin_news()).await;
    assert_failed_saying(report, &[&format!("more than {MAX_NESTING} deep")]);
    assert!(
        clock.elapsed() < Duration::from_secs(5),
        "{:?}",
        clock.elapsed()
    );

    // A real page's depth is far below the limit.
    let real = fixture("utoday/bitcoin-news.html");
    assert!(nesting_depth(&real, usize::MAX) < 100);
}

#[test]
fn fifty_thousand_cards_read_in_linear_time() {
    let page = format!(
        "<html><body>{}</body></html>",
        (0..50_000).map(card).collect::<String>()
    );
    let (read, took) = read_listing(&page);
    assert_eq!(read.expect("a flat page is read").rows.len(), 50_000);
    assert!(took < Duration::from_secs(8), "{took:?}");
}

#[test]
fn feeds_nested_deep_or_with_many_items_read_in_linear_time() {
    let item = |n: usize| {
        format!(
            "<item><title>Bitcoin {n}</title><link>https://u.today/b/{n}</link>\
             <pubDate>Thu, 28 Mar 2024 14:05:00 +0000</pubDate></item>"
        )
    };
    let many = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>U</title><link>https://u.today</link><description>d</description>{}</channel></rss>"#,
        (0..50_000).map(item).collect::<String>()
    );
    let clock = Instant::now();
    let parsed = parse_rss(&many, "bitcoin").unwrap();
    assert_eq!(parsed.rows.len(), 50_000);
    assert!(
        clock.elapsed() < Duration::from_secs(8),
        "{:?}",
        clock.elapsed()
    );

    let deep = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>U</title><link>https://u.today</link><description>d</description>{}{}{}{}</channel></rss>"#,
        "<x>".repeat(50_000),
        item(1),
        "</x>".repeat(50_000),
        item(2)
    );
    let clock = Instant::now();
    let _ = parse_rss(&deep, "bitcoin");
    assert!(
        clock.elapsed() < Duration::from_secs(5),
        "{:?}",
        clock.elapsed()
    );
}

#[tokio::test]
async fn a_parse_past_its_budget_fails_the_run_with_the_setting() {
    let upstream = Upstream::start().await;
    let page = format!(
        "<html><body>{}</body></html>",
        (0..20_000).map(card).collect::<String>()
    );
    upstream.page("/bitcoin-news", html(page)).await;
    let mut sources = upstream.sources();
    sources.parse_budget = Duration::from_millis(1);
    let report = run(&Fetcher::new(sources), &bitcoin_news()).await;
    assert_eq!(report.status, RunStatus::Failed);
    let error = report.error.unwrap();
    assert!(error.contains("INGEST_PARSE_BUDGET_SECS"), "{error}");
}
