//! Ingest and the dashboard's queries through PgBouncer in `pool_mode = transaction`,
//! as Supabase hands them out: consecutive statements of one client land on different
//! server connections, so no named prepared statement may be reused.

use ingest::testing::Upstream;
use ingest::{Ingest, Job};
use std::time::Duration;
use store::testing::{create_postgres_database, through_pgbouncer};
use store::{Coin, PoolMode, RunStatus, Store, StoreOptions, Symbol};

async fn through_pooler(mode: PoolMode) -> Store {
    let direct = create_postgres_database().await;
    let options = StoreOptions {
        pool_mode: mode,
        max_connections: 16,
        acquire_timeout: Duration::from_secs(10),
        ..StoreOptions::default()
    };
    Store::connect(&through_pgbouncer(&direct), &options)
        .await
        .expect("connect through pgbouncer")
}

#[tokio::test]
async fn ingest_and_dashboard_queries_work_in_transaction_mode() {
    let store = through_pooler(PoolMode::Transaction).await;
    store
        .migrate()
        .await
        .expect("migrations run through the pooler");
    store.migrate().await.expect("and again, idempotently");

    let upstream = Upstream::with_recorded_answers().await;
    let (ingest, fetcher) = (Ingest::new(store.clone()), upstream.fetcher());
    let ibm = Symbol::parse("IBM").unwrap();
    for round in 0..3 {
        let job = Job::Prices {
            symbol: ibm.clone(),
            full: false,
        };
        let prices = ingest.run(&fetcher, &job).await;
        assert_eq!(
            prices.status,
            RunStatus::Succeeded,
            "round {round}: {prices:?}"
        );
        let job = Job::News {
            coin: Coin::parse("bitcoin").unwrap(),
        };
        let news = ingest.run(&fetcher, &job).await;
        assert_eq!(news.status, RunStatus::Succeeded, "round {round}: {news:?}");
    }

    // The dashboard's queries, many at once so they spread over the pooler's server
    // connections, each several times so a cached statement would be reused.
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let store = store.clone();
        let ibm = ibm.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..5 {
                let (symbols, bars, news, runs, demo) = tokio::try_join!(
                    store.symbols(),
                    store.daily_bars(&ibm, None, None),
                    store.latest_headlines(Some("bitcoin"), 20),
                    store.latest_runs(),
                    store.is_demo()
                )?;
                assert_eq!(symbols, vec![ibm.clone()]);
                assert_eq!(bars.len(), 2);
                assert_eq!(news.len(), 3);
                assert_eq!(runs.len(), 2);
                assert!(!demo);
            }
            Ok::<_, store::StoreError>(())
        }));
    }
    for t in tasks {
        t.await
            .unwrap()
            .expect("dashboard queries through the pooler");
    }
}

/// The control: without the setting, the same queries through the same pooler break.
/// If this ever passes, the test above proves nothing and must be looked at again.
#[tokio::test]
async fn session_mode_settings_break_behind_a_transaction_pooler() {
    let store = through_pooler(PoolMode::Transaction).await;
    store.migrate().await.unwrap();
    let naive = {
        let direct = create_postgres_database().await;
        drop(direct);
        // Same database, but with prepared statements cached as on a direct connection.
        let url = store_url_of(&store).await;
        Store::connect(
            &url,
            &StoreOptions {
                pool_mode: PoolMode::Session,
                max_connections: 16,
                acquire_timeout: Duration::from_secs(10),
                ..StoreOptions::default()
            },
        )
        .await
        .unwrap()
    };
    let ibm = Symbol::parse("IBM").unwrap();
    let mut failures = 0;
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let store = naive.clone();
        let ibm = ibm.clone();
        tasks.push(tokio::spawn(async move {
            let mut failed = 0;
            for _ in 0..5 {
                if store.daily_bars(&ibm, None, None).await.is_err()
                    || store.symbols().await.is_err()
                {
                    failed += 1;
                }
            }
            failed
        }));
    }
    for t in tasks {
        failures += t.await.unwrap();
    }
    assert!(
        failures > 0,
        "cached prepared statements should fail behind a transaction-mode pooler"
    );
}

async fn store_url_of(store: &Store) -> String {
    // The pooler URL of the database this store uses.
    let name: String = store.current_database().await.unwrap();
    let direct = store::testing::with_database(&store::testing::test_server_url(), &name);
    through_pgbouncer(&direct)
}
