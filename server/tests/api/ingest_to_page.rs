//! The whole data path: ingest from recorded responses on loopback into a real
//! database, then the dashboard over HTTP shows that symbol and those headlines. Also
//! the dashboard through PgBouncer in transaction mode.

use crate::helpers::spawn_app;
use ingest::testing::Upstream;
use ingest::{Ingest, Job};
use store::testing::{create_postgres_database, through_pgbouncer};
use store::{on_both_backends, Coin, PoolMode, Store, StoreOptions, Symbol};

/// Ingests IBM, BTC (in euros) and bitcoin's headlines from the recorded answers.
pub async fn ingest_fixtures(store: &Store) {
    let upstream = Upstream::with_recorded_answers().await;
    let (ingest, fetcher) = (Ingest::new(store.clone()), upstream.fetcher());
    let symbol = |s: &str| Symbol::parse(s).unwrap();
    let jobs = [
        Job::Prices {
            symbol: symbol("IBM"),
            full: false,
        },
        Job::Crypto {
            symbol: symbol("BTC"),
            market: "EUR".into(),
        },
        Job::News {
            coin: Coin::parse("bitcoin").unwrap(),
        },
    ];
    for job in &jobs {
        let report = ingest.run(&fetcher, job).await;
        assert!(report.succeeded(), "{report:?}");
    }
}

on_both_backends!(ingested_data_shows_on_the_dashboard, |store| {
    ingest_fixtures(&store).await;
    let app = spawn_app(store).await;
    let (_, html) = app.get("/?symbol=BTC").await;
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

    let (_, ibm) = app.get("/?symbol=IBM").await;
    assert!(
        ibm.contains("IBM: 2 daily prices from 2020-05-07 to 2020-05-08; last close 121.79."),
        "{ibm}"
    );
});

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
    let app = spawn_app(store).await;
    let (base, client) = (&app.base, &app.client);
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

on_both_backends!(a_real_ingest_replaces_the_demo_set_on_the_page, |store| {
    let app = crate::helpers::spawn_demo_app(store.clone()).await;
    let (_, demo) = app.get("/?symbol=IBM").await;
    assert!(demo.contains(r#"data-testid="demo-banner""#));
    ingest_fixtures(&store).await;
    let (status, html) = app
        .get_when("/?symbol=IBM", |html| !html.contains("demo-banner"))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"data-testid="demo-banner""#), "{html}");
    assert!(
        html.contains("IBM: 2 daily prices from 2020-05-07 to 2020-05-08"),
        "only the real days: {html}"
    );
    assert!(!html.contains("tickerboard-demo"), "no demo headline");
});
