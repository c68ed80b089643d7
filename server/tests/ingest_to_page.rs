//! The whole data path: ingest from recorded responses on loopback into a real
//! database, then the dashboard over HTTP shows that symbol and those headlines. Also
//! the dashboard through PgBouncer in transaction mode.

use app::settings::DashboardSettings;
use app::state::AppState;
use ingest::{Ingest, Settings};
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;
use std::sync::Arc;
use store::testing::{
    create_postgres_database, fixture, fresh_postgres, fresh_sqlite, through_pgbouncer, TempDir,
};
use store::{PoolMode, Store, StoreOptions, Symbol};
use url::Url;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn serve(store: Store) -> (String, TempDir) {
    let site = TempDir::new();
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("tickerboard")
            .site_root(site.path.display().to_string())
            .build(),
        store,
        settings: Arc::new(DashboardSettings::default()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, server::startup::router(state))
            .await
            .unwrap()
    });
    (format!("http://{addr}"), site)
}

async fn ingest_fixtures(store: &Store) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("symbol", "IBM"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture("alphavantage/time_series_daily_IBM.json"),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("symbol", "BTC"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture("alphavantage/digital_currency_daily_BTC_EUR.json"),
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/bitcoin-news"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(fixture("utoday/bitcoin-news.html"), "text/html"),
        )
        .mount(&server)
        .await;
    let base = Url::parse(&server.uri()).unwrap();
    let ingest = Ingest::new(
        store.clone(),
        Settings {
            alphavantage_key: Some(SecretString::from("k")),
            alphavantage_url: base.clone(),
            utoday_url: base,
            ..Settings::default()
        },
    );
    assert!(ingest
        .prices(&Symbol::parse("IBM").unwrap(), false)
        .await
        .succeeded());
    assert!(ingest
        .crypto(&Symbol::parse("BTC").unwrap(), "EUR")
        .await
        .succeeded());
    assert!(ingest.news("bitcoin").await.succeeded());
}

async fn check_page(store: Store) {
    ingest_fixtures(&store).await;
    let (base, _site) = serve(store).await;
    let html = reqwest::get(format!("{base}/?symbol=BTC"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<option value="BTC" selected"#), "{html}");
    assert!(html.contains(r#"<option value="IBM""#));
    assert!(
        html.contains("BTC: 3 daily prices from 2025-08-22 to 2025-08-24"),
        "{html}"
    );
    assert!(html.contains("Bitcoin ETFs See Record Inflows"));
    assert!(html.contains("Bitcoin Hash Rate Hits New High"));
    assert!(
        !html.contains("Trade on the Best Exchange"),
        "rejected cards are not shown"
    );
    assert!(
        html.contains("prices updated")
            && html.contains("news updated")
            && html.contains("crypto updated")
    );
    assert!(!html.contains(r#"data-testid="demo-banner""#));

    let ibm = reqwest::get(format!("{base}/?symbol=IBM"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ibm.contains("IBM: 2 daily prices from 2020-05-07 to 2020-05-08; last close 121.79."),
        "{ibm}"
    );
}

#[tokio::test]
async fn ingested_data_shows_on_the_dashboard_sqlite() {
    let (store, _dir) = fresh_sqlite().await;
    check_page(store).await;
}

#[tokio::test]
async fn ingested_data_shows_on_the_dashboard_postgres() {
    check_page(fresh_postgres().await).await;
}

#[tokio::test]
async fn the_dashboard_through_a_transaction_mode_pooler() {
    let direct = create_postgres_database().await;
    let options = StoreOptions {
        pool_mode: PoolMode::Transaction,
        ..StoreOptions::default()
    };
    let store = Store::connect(&through_pgbouncer(&direct), &options)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    ingest_fixtures(&store).await;
    let (base, _site) = serve(store).await;
    let client = reqwest::Client::new();
    let mut pages = Vec::new();
    for i in 0..30 {
        let client = client.clone();
        let url = format!("{base}/?symbol={}", if i % 2 == 0 { "BTC" } else { "IBM" });
        pages.push(tokio::spawn(async move {
            let res = client.get(url).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    for page in pages {
        let (status, html) = page.await.unwrap();
        assert_eq!(status, 200, "{html}");
        assert!(html.contains(r#"data-testid="news-table""#));
    }
}
