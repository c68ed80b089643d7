//! The store's behaviour, run the same on a real Postgres and a real SQLite file.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use store::on_both_backends;
use store::*;

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn bar(symbol: &str, date: NaiveDate, close: f64) -> DailyBar {
    DailyBar {
        symbol: sym(symbol),
        date,
        open: close - 1.0,
        high: close + 2.0,
        low: close - 2.0,
        close,
        volume: 1000.0,
    }
}

fn headline(n: u32, coin: &str, hours_ago: i64) -> Headline {
    Headline {
        url: format!("https://u.today/story-{n}"),
        coin: coin.into(),
        published_at: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
            - Duration::hours(hours_ago),
        title: format!("Story {n}"),
    }
}

on_both_backends!(migrations_run_twice, |store| {
    store.migrate().await.expect("second migrate is a no-op");
    assert!(store.symbols().await.unwrap().is_empty());
});

on_both_backends!(bars_round_trip_in_date_order, |store| {
    let bars = vec![
        bar("IBM", day(2024, 3, 28), 190.5),
        bar("IBM", day(2024, 3, 26), 188.25),
        bar("IBM", day(2024, 3, 27), 189.0),
        bar("TSLA", day(2024, 3, 27), 180.0),
    ];
    let counts = store.upsert_bars(&bars, "test").await.unwrap();
    assert_eq!(
        counts,
        WriteCounts {
            inserted: 4,
            updated: 0,
            unchanged: 0
        }
    );

    let ibm = store.bars_of("IBM").await;
    let dates: Vec<_> = ibm.iter().map(|b| b.date).collect();
    assert_eq!(
        dates,
        vec![day(2024, 3, 26), day(2024, 3, 27), day(2024, 3, 28)]
    );
    assert_eq!(ibm[0], bars[1]);

    let ranged = store
        .daily_bars(&sym("IBM"), Some(day(2024, 3, 27)), Some(day(2024, 3, 27)))
        .await
        .unwrap();
    assert_eq!(ranged.len(), 1);
    assert_eq!(ranged[0].close, 189.0);

    assert_eq!(
        store.symbols().await.unwrap(),
        vec![sym("IBM"), sym("TSLA")]
    );
    assert!(store.has_symbol(&sym("TSLA")).await.unwrap());
    assert!(!store.has_symbol(&sym("AAPL")).await.unwrap());
});

on_both_backends!(recent_bars_are_each_symbols_own_last_days, |store| {
    // IBM up to 2024-03-04, BTC only until 2023-06-30: each window ends at its own
    // last day, and a window of 10 days holds the days after last - 10.
    let mut bars = Vec::new();
    for d in 0..30 {
        bars.push(bar(
            "IBM",
            day(2024, 2, 4) + Duration::days(d),
            100.0 + d as f64,
        ));
        bars.push(bar(
            "BTC",
            day(2023, 6, 1) + Duration::days(d),
            50.0 + d as f64,
        ));
    }
    store.upsert_bars(&bars, "test").await.unwrap();
    let recent = store.recent_bars(10).await.unwrap();
    let of = |s: &str| -> Vec<NaiveDate> {
        recent
            .iter()
            .filter(|b| b.symbol.as_str() == s)
            .map(|b| b.date)
            .collect()
    };
    assert_eq!(recent.first().unwrap().symbol.as_str(), "BTC", "by symbol");
    let btc = of("BTC");
    assert_eq!(
        (btc.len(), btc[0], *btc.last().unwrap()),
        (10, day(2023, 6, 21), day(2023, 6, 30))
    );
    let ibm = of("IBM");
    assert_eq!(
        (ibm.len(), ibm[0], *ibm.last().unwrap()),
        (10, day(2024, 2, 24), day(2024, 3, 4))
    );
    assert!(ibm.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert!(store.recent_bars(0).await.unwrap().is_empty());
});

on_both_backends!(replaying_a_batch_changes_nothing, |store| {
    let bars: Vec<_> = (1..=20)
        .map(|d| bar("IBM", day(2024, 1, d), 100.0 + d as f64))
        .collect();
    store.upsert_bars(&bars, "test").await.unwrap();
    let again = store.upsert_bars(&bars, "test").await.unwrap();
    assert_eq!(
        again,
        WriteCounts {
            inserted: 0,
            updated: 0,
            unchanged: 20
        }
    );

    let mut changed = bars.clone();
    changed[3].close += 0.5;
    changed.push(bar("IBM", day(2024, 1, 21), 130.0));
    let counts = store.upsert_bars(&changed, "test").await.unwrap();
    assert_eq!(
        counts,
        WriteCounts {
            inserted: 1,
            updated: 1,
            unchanged: 19
        }
    );
    assert_eq!(store.bars_of("IBM").await.len(), 21);
});

// #21: the newest fetch wins, whatever order the batches land in: a batch fetched before
// the values a row holds (a retried or delayed run landing after a newer one) leaves
// them alone; a newer fetch of the same values is unchanged but moves the row's fetch
// time on, so a batch fetched in between cannot win either.
on_both_backends!(an_older_batch_never_overwrites_newer_values, |store| {
    let at = |hour: u32| Utc.with_ymd_and_hms(2024, 5, 2, hour, 0, 0).unwrap();
    let today = day(2024, 5, 1);
    let close_of = |store: Store| async move { store.bars_of("IBM").await[0].close };
    let write = |close: f64, hour: u32| {
        let store = store.clone();
        async move {
            store
                .upsert_bars_as_of(&[bar("IBM", today, close)], "test", at(hour))
                .await
                .unwrap()
        }
    };
    let counts = |inserted, updated, unchanged| WriteCounts {
        inserted,
        updated,
        unchanged,
    };
    assert_eq!(write(101.0, 10).await, counts(1, 0, 0));
    assert_eq!(
        write(100.0, 8).await,
        counts(0, 0, 1),
        "fetched before: kept"
    );
    assert_eq!(close_of(store.clone()).await, 101.0);
    assert_eq!(
        write(101.0, 14).await,
        counts(0, 0, 1),
        "the same values, newer"
    );
    assert_eq!(
        write(102.0, 12).await,
        counts(0, 0, 1),
        "older than 14:00 now"
    );
    assert_eq!(close_of(store.clone()).await, 101.0);
    assert_eq!(
        write(103.0, 14).await,
        counts(0, 1, 0),
        "the same fetch, mended"
    );
    assert_eq!(write(104.0, 16).await, counts(0, 1, 0), "newer: written");
    assert_eq!(close_of(store.clone()).await, 104.0);

    // Headlines and weather follow the same rule.
    let mut story = headline(1, "bitcoin", 0);
    store
        .upsert_headlines_as_of(&[story.clone()], "test", at(10))
        .await
        .unwrap();
    story.title = "An older title".into();
    let older = store
        .upsert_headlines_as_of(&[story.clone()], "test", at(9))
        .await;
    assert_eq!(older.unwrap(), counts(0, 0, 1));
    assert_eq!(
        store.latest_headlines(None, 5).await.unwrap()[0].title,
        "Story 1"
    );
    let obs = |temp_c: f64| WeatherObservation {
        city: "London".into(),
        city_id: 2643743,
        observed_at: at(6),
        temp_c,
        temp_f: temp_c * 9.0 / 5.0 + 32.0,
        humidity: 70,
        description: "light rain".into(),
    };
    store
        .upsert_weather_as_of(&[obs(13.0)], "test", at(10))
        .await
        .unwrap();
    let older = store
        .upsert_weather_as_of(&[obs(12.0)], "test", at(9))
        .await;
    assert_eq!(older.unwrap(), counts(0, 0, 1));
    assert_eq!(store.weather_for("London").await.unwrap()[0].temp_c, 13.0);
});

on_both_backends!(duplicate_keys_in_a_batch_write_nothing, |store| {
    let bars = vec![
        bar("IBM", day(2024, 1, 2), 1.0),
        bar("IBM", day(2024, 1, 2), 2.0),
    ];
    let err = store.upsert_bars(&bars, "test").await.unwrap_err();
    assert!(matches!(err, StoreError::DuplicateKey(_)), "{err}");
    assert!(store.symbols().await.unwrap().is_empty());
});

on_both_backends!(large_batches_are_written_in_chunks, |store| {
    let start = day(2000, 1, 1);
    let bars: Vec<_> = (0..25_000)
        .map(|i| bar("BIG", start + Duration::days(i), 10.0 + (i % 100) as f64))
        .collect();
    let counts = store.upsert_bars(&bars, "test").await.unwrap();
    assert_eq!(counts.inserted, 25_000);
    assert_eq!(store.bars_of("BIG").await.len(), 25_000);
    let again = store.upsert_bars(&bars, "test").await.unwrap();
    assert_eq!(again.unchanged, 25_000);
});

on_both_backends!(headlines_newest_first_and_by_coin, |store| {
    let hs = vec![
        headline(1, "bitcoin", 30),
        headline(2, "ethereum", 10),
        headline(3, "bitcoin", 5),
        headline(4, "bitcoin", 50),
    ];
    let counts = store.upsert_headlines(&hs, "test").await.unwrap();
    assert_eq!(counts.inserted, 4);
    let all = store.latest_headlines(None, 10).await.unwrap();
    let order: Vec<_> = all.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(order, vec!["Story 3", "Story 2", "Story 1", "Story 4"]);
    assert_eq!(all[0], hs[2]);

    let btc = store.latest_headlines(Some("bitcoin"), 2).await.unwrap();
    let order: Vec<_> = btc.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(order, vec!["Story 3", "Story 1"]);

    let again = store.upsert_headlines(&hs, "test").await.unwrap();
    assert_eq!(
        again,
        WriteCounts {
            inserted: 0,
            updated: 0,
            unchanged: 4
        }
    );
});

on_both_backends!(headlines_are_counted_and_read_by_utc_day, |store| {
    // 2024-05-01 12:00 UTC less these hours: May 1 07:00, May 1 00:00 (the day's first
    // instant), Apr 30 23:00, Apr 30 06:00, Apr 29 10:00; and an ethereum one on May 1.
    let hs = vec![
        headline(1, "bitcoin", 5),
        headline(2, "bitcoin", 12),
        headline(3, "bitcoin", 13),
        headline(4, "bitcoin", 30),
        headline(5, "bitcoin", 50),
        headline(6, "ethereum", 6),
    ];
    store.upsert_headlines(&hs, "test").await.unwrap();
    assert_eq!(
        store.headline_days("bitcoin").await.unwrap(),
        [
            (day(2024, 4, 29), 1),
            (day(2024, 4, 30), 2),
            (day(2024, 5, 1), 2)
        ]
    );
    assert!(store.headline_days("dogecoin").await.unwrap().is_empty());
    let may1: Vec<String> = store
        .headlines_on("bitcoin", day(2024, 5, 1), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(
        may1,
        ["Story 1", "Story 2"],
        "newest first, midnight included"
    );
    let apr30 = store
        .headlines_on("bitcoin", day(2024, 4, 30), 1)
        .await
        .unwrap();
    assert_eq!(apr30.len(), 1, "at most the limit");
    assert_eq!(apr30[0].title, "Story 3");
});

on_both_backends!(latest_run_per_source, |store| {
    let t0 = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let record = |source: &'static str, minutes: i64, status: RunStatus| {
        let store = store.clone();
        async move {
            let id = store
                .start_run(source, "{}", t0 + Duration::minutes(minutes))
                .await
                .unwrap();
            let outcome = RunOutcome {
                finished_at: t0 + Duration::minutes(minutes + 1),
                status,
                counts: RunCounts {
                    fetched: 10,
                    inserted: 3,
                    updated: 1,
                    unchanged: 6,
                    rejected: 0,
                },
                error: (status == RunStatus::Failed).then(|| "boom".to_string()),
                rejections: Vec::new(),
            };
            store.finish_run(id, &outcome).await.unwrap();
        }
    };
    record("prices", 0, RunStatus::Succeeded).await;
    record("prices", 60, RunStatus::Failed).await;
    record("news", 30, RunStatus::Succeeded).await;

    let latest = store.latest_runs().await.unwrap();
    assert_eq!(latest.len(), 2);
    assert_eq!(latest[0].source, "news");
    assert_eq!(latest[1].source, "prices");
    assert_eq!(latest[1].status, RunStatus::Failed);
    assert_eq!(latest[1].error.as_deref(), Some("boom"));
    assert_eq!(latest[1].started_at, t0 + Duration::minutes(60));
    assert_eq!(latest[1].counts.inserted, 3);

    let recent = store.recent_runs(2).await.unwrap();
    assert_eq!(recent.len(), 2);
    assert_eq!(recent[0].started_at, t0 + Duration::minutes(60));
});

on_both_backends!(hostile_symbol_text_is_only_ever_data, |store| {
    store
        .upsert_bars(&[bar("IBM", day(2024, 1, 2), 5.0)], "test")
        .await
        .unwrap();
    // Symbol::parse refuses this; the query layer would bind it anyway.
    let hostile = store
        .latest_headlines(Some("x' OR '1'='1"), 10)
        .await
        .unwrap();
    assert!(hostile.is_empty());
    assert_eq!(store.symbols().await.unwrap(), vec![sym("IBM")]);
});

on_both_backends!(demo_seed_fills_and_marks, |store| {
    assert!(!store.is_demo().await.unwrap());
    demo::seed(&store).await.unwrap();
    assert!(store.is_demo().await.unwrap());
    let symbols = store.symbols().await.unwrap();
    assert!(symbols.len() >= 4, "{symbols:?}");
    assert!(symbols.contains(&sym("BTC")));
    let btc = store.bars_of("BTC").await;
    assert!(btc.len() > 365 * 4);
    assert!(!store
        .latest_headlines(Some("bitcoin"), 5)
        .await
        .unwrap()
        .is_empty());
    let runs = store.latest_runs().await.unwrap();
    assert!(runs
        .iter()
        .any(|r| r.source == "prices" && r.status == RunStatus::Succeeded));
});

#[tokio::test]
async fn default_sqlite_file_is_created_and_reported_new() {
    let dir = store::testing::TempDir::new();
    let url = format!("sqlite://{}", dir.path.join("fresh.db").display());
    let opened = Store::open(&DatabaseSettings::for_url(&url)).await.unwrap();
    // An explicit URL is never the zero-setup default, so never gets demo data.
    assert!(!opened.is_new_default);
    assert!(dir.path.join("fresh.db").exists());
}

#[tokio::test]
async fn unreachable_postgres_fails_at_connect_without_leaking_the_password() {
    let opts = StoreOptions {
        acquire_timeout: std::time::Duration::from_secs(2),
        ..Default::default()
    };
    let err = Store::connect("postgres://user:s3cret-pw@127.0.0.1:1/db", &opts)
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("DATABASE_URL"), "{msg}");
    assert!(!msg.contains("s3cret-pw"), "{msg}");
}

#[tokio::test]
async fn unsupported_url_is_a_clear_error() {
    let err = Store::connect("mysql://x", &StoreOptions::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("postgres:// or sqlite://"));
}

on_both_backends!(weather_upserts_by_city_and_observed_time, |store| {
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let obs = |city: &str, minutes: i64, temp_c: f64| WeatherObservation {
        city: city.into(),
        city_id: 2643743,
        observed_at: at + Duration::minutes(minutes),
        temp_c,
        temp_f: temp_c * 9.0 / 5.0 + 32.0,
        humidity: 70,
        description: "light rain".into(),
    };
    let rows = vec![
        obs("London", 0, 12.5),
        obs("London", 10, 13.0),
        obs("Paris", 0, 15.0),
    ];
    let first = store.upsert_weather(&rows, "test").await.unwrap();
    assert_eq!(
        first,
        WriteCounts {
            inserted: 3,
            updated: 0,
            unchanged: 0
        }
    );
    let again = store.upsert_weather(&rows, "test").await.unwrap();
    assert_eq!(
        again,
        WriteCounts {
            inserted: 0,
            updated: 0,
            unchanged: 3
        }
    );
    let london = store.weather_for("London").await.unwrap();
    assert_eq!(london.len(), 2);
    assert_eq!(london[1], rows[1]);
});

// #21: a retried Lambda invocation finds its runs by key: a failed attempt keeps its row
// and hands the key on; one that succeeded is done, and no row is added for it.
on_both_backends!(a_keyed_run_is_done_once, |store| {
    let started = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let outcome = |status, error: Option<&str>| RunOutcome {
        finished_at: started,
        counts: RunCounts::default(),
        status,
        error: error.map(str::to_string),
        rejections: vec![],
    };
    let start = || store.start_keyed_run("prices", "{}", started, "req-1/0");
    let RunStart::New(first) = start().await.unwrap() else {
        panic!("a new key starts a run")
    };
    store
        .finish_run(first, &outcome(RunStatus::Failed, Some("the disk is full")))
        .await
        .unwrap();
    let RunStart::New(second) = start().await.unwrap() else {
        panic!("a failed attempt is tried again")
    };
    assert_ne!(first, second);
    store
        .finish_run(second, &outcome(RunStatus::Succeeded, None))
        .await
        .unwrap();
    assert_eq!(start().await.unwrap(), RunStart::Done(second));
    let runs = store.recent_runs(10).await.unwrap();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(
        runs.iter()
            .find(|r| r.id == first)
            .unwrap()
            .error
            .as_deref(),
        Some("the disk is full")
    );
    // Another place in the invocation, or another invocation, is another run.
    let other = store
        .start_keyed_run("prices", "{}", started, "req-1/1")
        .await;
    assert!(matches!(other.unwrap(), RunStart::New(_)));
});

on_both_backends!(a_run_is_started_then_finished, |store| {
    let started = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let id = store
        .start_run("prices", r#"{"symbols":["IBM"]}"#, started)
        .await
        .unwrap();
    let running = store.latest_runs().await.unwrap();
    assert_eq!(running[0].status, RunStatus::Running);
    store
        .finish_run(
            id,
            &RunOutcome {
                finished_at: started + Duration::seconds(3),
                counts: RunCounts {
                    fetched: 100,
                    inserted: 90,
                    updated: 5,
                    unchanged: 3,
                    rejected: 2,
                },
                status: RunStatus::Succeeded,
                error: None,
                rejections: vec![Rejection::new("IBM 2024-01-01", "x")],
            },
        )
        .await
        .unwrap();
    let done = &store.recent_runs(5).await.unwrap()[0];
    assert_eq!(
        (
            done.id,
            done.status,
            done.counts.fetched,
            done.counts.rejected
        ),
        (id, RunStatus::Succeeded, 100, 2)
    );
    assert_eq!(done.finished_at, Some(started + Duration::seconds(3)));
    assert_eq!(
        done.rejections,
        vec![Rejection::new("IBM 2024-01-01", "x")],
        "the rejected rows come back with their reasons"
    );
    assert_eq!(done.duration(), Some(Duration::seconds(3)));
});

on_both_backends!(concurrent_writers_commit_whole_batches, |store| {
    // Two writers of overlapping batches at once: both succeed, and every row ends up
    // with one writer's values for the whole batch, never a mix within one batch.
    let make = |close: f64| -> Vec<DailyBar> {
        (0..3000)
            .map(|i| bar("CONC", day(2000, 1, 1) + Duration::days(i), close))
            .collect()
    };
    let (a, b) = (make(10.0), make(20.0));
    let (s1, s2) = (store.clone(), store.clone());
    let (ra, rb) = tokio::join!(async move { s1.upsert_bars(&a, "a").await }, async move {
        s2.upsert_bars(&b, "b").await
    });
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.inserted + rb.inserted, 3000, "{ra:?} {rb:?}");
    let rows = store.bars_of("CONC").await;
    let closes: std::collections::HashSet<u64> = rows.iter().map(|r| r.close as u64).collect();
    assert_eq!(closes.len(), 1, "one batch is entirely on top of the other");
});

on_both_backends!(
    a_run_left_running_is_marked_abandoned_by_the_next,
    |store| {
        let t0 = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let lost = store.start_run("prices", "{}", t0).await.unwrap();
        let recent = store
            .start_run("news", "{}", t0 + Duration::hours(3))
            .await
            .unwrap();
        let next = store
            .start_run("prices", "{}", t0 + Duration::hours(3))
            .await
            .unwrap();
        let runs = store.recent_runs(10).await.unwrap();
        let by_id = |id: i64| runs.iter().find(|r| r.id == id).unwrap();
        assert_eq!(by_id(lost).status, RunStatus::Failed);
        assert!(by_id(lost)
            .error
            .as_deref()
            .unwrap()
            .starts_with("abandoned"));
        assert_eq!(
            by_id(recent).status,
            RunStatus::Running,
            "another source is left alone"
        );
        assert_eq!(by_id(next).status, RunStatus::Running);
    }
);

/// A trigger that fails every insert into `table` (whose rows have `source`), on either backend.
async fn fail_inserts(store: &Store, table: &str) {
    let sql = match store.backend() {
        "postgres" => format!(
            "CREATE FUNCTION fail_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$; \
             CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} \
             FOR EACH ROW EXECUTE FUNCTION fail_{table}();"
        ),
        _ => format!(
            "CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} \
             BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;"
        ),
    };
    store.execute_raw(&sql).await.unwrap();
}

on_both_backends!(the_first_real_write_removes_the_demo_set, |store| {
    demo::seed(&store).await.unwrap();
    assert!(store.is_demo().await.unwrap());
    let real = vec![bar("IBM", day(2024, 1, 2), 150.0)];
    store.upsert_bars(&real, "alphavantage").await.unwrap();
    assert!(!store.is_demo().await.unwrap(), "the demo flag is gone");
    assert_eq!(
        store.bars_of("IBM").await,
        real,
        "no generated history left"
    );
    assert!(store.bars_of("BTC").await.is_empty());
    assert!(store.latest_headlines(None, 50).await.unwrap().is_empty());
    assert!(
        store.latest_runs().await.unwrap().is_empty(),
        "no demo runs"
    );
});

on_both_backends!(a_failed_real_write_keeps_the_demo_set, |store| {
    demo::seed(&store).await.unwrap();
    let before = store.bars_of("BTC").await.len();
    fail_inserts(&store, "headlines").await;
    let real = vec![headline(1, "bitcoin", 1)];
    assert!(store.upsert_headlines(&real, "utoday").await.is_err());
    assert!(
        store.is_demo().await.unwrap(),
        "one transaction: nothing forgotten"
    );
    assert_eq!(store.bars_of("BTC").await.len(), before);
});

on_both_backends!(an_interrupted_demo_seed_never_looks_real, |store| {
    fail_inserts(&store, "headlines").await;
    assert!(demo::seed(&store).await.is_err());
    assert!(
        !store.bars_of("IBM").await.is_empty(),
        "the bars were written"
    );
    assert!(
        store.is_demo().await.unwrap(),
        "and they say they are demo data"
    );
});

/// Collects a row stream, failing the test on an error.
async fn collect<T>(stream: RowStream<T>) -> Vec<T> {
    use tokio_stream::StreamExt;
    stream
        .collect::<Result<Vec<T>, StoreError>>()
        .await
        .expect("the stream ends without an error")
}

on_both_backends!(headline_search_is_literal_and_case_insensitive, |store| {
    let titled = |n: u32, coin: &str, title: &str| Headline {
        title: title.into(),
        ..headline(n, coin, i64::from(n))
    };
    let rows = vec![
        titled(1, "bitcoin", "Bitcoin up 100% in a year"),
        titled(2, "bitcoin", "BITCOIN miners sell"),
        titled(3, "ethereum", "Ether_x gains 5 percent"),
        titled(4, "ethereum", "Etherscan adds a feature"),
        titled(5, "bitcoin", r"A back\slash story"),
    ];
    store.upsert_headlines(&rows, "test").await.unwrap();
    let search = |coin: Option<&str>, text: &str| HeadlineFilter {
        coin: coin.map(str::to_string),
        search: Some(text.to_string()),
    };
    let titles = |found: Vec<Headline>| found.into_iter().map(|h| h.title).collect::<Vec<_>>();

    let found = store.headlines(&search(None, "bitcoin"), 10).await.unwrap();
    assert_eq!(
        titles(found),
        ["Bitcoin up 100% in a year", "BITCOIN miners sell"]
    );
    // % and _ are literal characters, not wildcards.
    let found = store.headlines(&search(None, "100%"), 10).await.unwrap();
    assert_eq!(titles(found), ["Bitcoin up 100% in a year"]);
    assert!(store
        .headlines(&search(None, "1%0"), 10)
        .await
        .unwrap()
        .is_empty());
    let found = store.headlines(&search(None, "ether_"), 10).await.unwrap();
    assert_eq!(
        titles(found),
        ["Ether_x gains 5 percent"],
        "_ is not any character"
    );
    let found = store.headlines(&search(None, r"k\s"), 10).await.unwrap();
    assert_eq!(titles(found), [r"A back\slash story"]);
    let found = store.headlines(&search(None, "%"), 10).await.unwrap();
    assert_eq!(
        titles(found),
        ["Bitcoin up 100% in a year"],
        "% matches only itself"
    );
    let found = store.headlines(&search(None, "_"), 10).await.unwrap();
    assert_eq!(titles(found), ["Ether_x gains 5 percent"]);
    // The coin and the text together; the limit.
    let found = store
        .headlines(&search(Some("ethereum"), "ETHER"), 1)
        .await
        .unwrap();
    assert_eq!(titles(found), ["Ether_x gains 5 percent"]);
    // Overlong text is cut, not refused, and binds as data.
    let long = format!("x' OR '1'='1{}", "y".repeat(500));
    assert!(store
        .headlines(&search(None, &long), 10)
        .await
        .unwrap()
        .is_empty());

    // The stream gives the same rows as the page, without a limit.
    let streamed = collect(store.stream_headlines(&search(None, "bitcoin"))).await;
    assert_eq!(
        titles(streamed),
        ["Bitcoin up 100% in a year", "BITCOIN miners sell"]
    );
    let all = collect(store.stream_headlines(&HeadlineFilter::default())).await;
    assert_eq!(all.len(), 5);
});

on_both_backends!(bars_and_weather_stream_in_order, |store| {
    let bars: Vec<DailyBar> = (1..=20)
        .map(|d| bar("IBM", day(2024, 1, d), 100.0 + f64::from(d)))
        .collect();
    store.upsert_bars(&bars, "test").await.unwrap();
    let all = collect(store.stream_bars(&sym("IBM"), None, None)).await;
    assert_eq!(all, bars);
    let some =
        collect(store.stream_bars(&sym("IBM"), Some(day(2024, 1, 5)), Some(day(2024, 1, 7)))).await;
    assert_eq!(some, bars[4..7].to_vec());
    assert!(collect(store.stream_bars(&sym("MSFT"), None, None))
        .await
        .is_empty());

    let at = |h: u32| Utc.with_ymd_and_hms(2024, 5, 1, h, 0, 0).unwrap();
    let obs = |city: &str, h: u32, c: f64| WeatherObservation {
        city: city.into(),
        city_id: 1,
        observed_at: at(h),
        temp_c: c,
        temp_f: celsius_to_fahrenheit(c),
        humidity: 50,
        description: "mist".into(),
    };
    let rows = vec![
        obs("Oslo", 3, -4.5),
        obs("London", 6, 9.0),
        obs("London", 3, 8.0),
        obs("Oslo", 6, -2.0),
    ];
    store.upsert_weather(&rows, "test").await.unwrap();
    let latest = store.latest_weather().await.unwrap();
    assert_eq!(
        latest,
        vec![rows[1].clone(), rows[3].clone()],
        "one per city, the newest"
    );
    let streamed = collect(store.stream_weather(None)).await;
    assert_eq!(
        streamed,
        vec![
            rows[2].clone(),
            rows[1].clone(),
            rows[0].clone(),
            rows[3].clone()
        ]
    );
    let oslo = collect(store.stream_weather(Some(&City::parse("Oslo").unwrap()))).await;
    assert_eq!(oslo, vec![rows[0].clone(), rows[3].clone()]);
});

on_both_backends!(a_stream_stops_when_its_reader_goes, |store| {
    let bars: Vec<DailyBar> = (0..3000)
        .map(|i| bar("IBM", day(2000, 1, 1) + Duration::days(i), 10.0))
        .collect();
    store.upsert_bars(&bars, "test").await.unwrap();
    {
        use tokio_stream::StreamExt;
        let mut stream = store.stream_bars(&sym("IBM"), None, None);
        assert!(stream.next().await.unwrap().is_ok());
    } // dropped after one row: the query task ends and gives its connection back
    for _ in 0..5 {
        assert_eq!(
            collect(store.stream_bars(&sym("IBM"), None, None))
                .await
                .len(),
            3000
        );
    }
});

on_both_backends!(runs_filter_page_and_health, |store| {
    let t0 = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    for (i, (source, status)) in [
        ("prices", RunStatus::Succeeded),
        ("news", RunStatus::Succeeded),
        ("prices", RunStatus::Failed),
        ("weather", RunStatus::Failed),
        ("prices", RunStatus::Failed),
    ]
    .into_iter()
    .enumerate()
    {
        let started = t0 + Duration::hours(i as i64);
        let id = store.start_run(source, "{}", started).await.unwrap();
        store
            .finish_run(
                id,
                &RunOutcome {
                    finished_at: started + Duration::seconds(2),
                    status,
                    counts: RunCounts::default(),
                    error: (status == RunStatus::Failed).then(|| format!("failure {i}")),
                    rejections: Vec::new(),
                },
            )
            .await
            .unwrap();
    }
    let failed_prices = RunFilter {
        source: Some("prices".into()),
        status: Some(RunStatus::Failed),
    };
    let runs = store.runs(&failed_prices, 10, 0).await.unwrap();
    let errors: Vec<_> = runs.iter().map(|r| r.error.clone().unwrap()).collect();
    assert_eq!(errors, ["failure 4", "failure 2"], "newest first");
    let page2 = store.runs(&RunFilter::default(), 2, 2).await.unwrap();
    assert_eq!(
        page2.iter().map(|r| r.started_at).collect::<Vec<_>>(),
        [t0 + Duration::hours(2), t0 + Duration::hours(1)]
    );
    let health = store.sources().await.unwrap();
    assert_eq!(
        health
            .iter()
            .map(|h| h.latest.source.as_str())
            .collect::<Vec<_>>(),
        ["news", "prices", "weather"],
        "every source with a run, in order"
    );
    let by = |s: &str| {
        health
            .iter()
            .find(|h| h.latest.source == s)
            .unwrap()
            .clone()
    };
    assert_eq!(by("prices").latest.status, RunStatus::Failed);
    assert_eq!(by("prices").last_success, Some(t0 + Duration::seconds(2)));
    assert_eq!(by("weather").last_success, None);
    let now = t0 + Duration::hours(30);
    assert!(!by("prices").is_stale(Duration::hours(36), now));
    assert!(by("prices").is_stale(Duration::hours(29), now));
    assert!(
        by("weather").is_stale(Duration::hours(36), now),
        "never succeeded"
    );
});

on_both_backends!(demo_weather_is_alive, |store| {
    demo::seed(&store).await.unwrap();
    let latest = store.latest_weather().await.unwrap();
    assert!(latest.len() >= 3, "{latest:?}");
    for w in &latest {
        assert!((Utc::now() - w.observed_at) < Duration::hours(3), "{w:?}");
        assert_eq!(w.temp_f, celsius_to_fahrenheit(w.temp_c));
        assert_eq!(
            store.weather_for(&w.city).await.unwrap().len() as i64,
            demo::DEMO_WEATHER_DAYS * 8
        );
    }
    // Below freezing somewhere in the two weeks (Tromsø's nights), whatever the hour the
    // test runs at: the latest reading follows the day's cycle.
    let mut coldest = f64::INFINITY;
    for w in &latest {
        for o in store.weather_for(&w.city).await.unwrap() {
            coldest = coldest.min(o.temp_c);
        }
    }
    assert!(coldest < 0.0, "a negative temperature to show: {coldest}");
    assert!(store
        .sources()
        .await
        .unwrap()
        .iter()
        .any(|h| h.latest.source == "weather"));
});

// Downloads never pin the database (#21): a stream reads a page at a time, and gives
// its connection back before it hands the page on.
on_both_backends!(
    streams_page_through_ties_and_hold_no_connection_while_unread,
    |store| {
        // 2,500 headlines, five at each instant: pages end inside a tie.
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap();
        let headlines: Vec<Headline> = (0..2500)
            .map(|i| Headline {
                url: format!("https://u.today/n-{i:05}"),
                coin: "bitcoin".into(),
                published_at: at + Duration::minutes(i64::from(i / 5)),
                title: format!("headline {i}"),
            })
            .collect();
        store.upsert_headlines(&headlines, "test").await.unwrap();
        let streamed = collect(store.stream_headlines(&HeadlineFilter::default())).await;
        assert_eq!(streamed.len(), 2500);
        let mut expected = headlines.clone();
        expected.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(a.url.cmp(&b.url)));
        assert_eq!(streamed, expected, "newest first, each once");

        // Two cities of 1,200 observations: a page ends inside a city.
        let rows: Vec<WeatherObservation> = ["Oslo", "Bergen"]
            .iter()
            .flat_map(|city| {
                (0..1200).map(move |h| WeatherObservation {
                    city: city.to_string(),
                    city_id: 1,
                    observed_at: at + Duration::hours(h),
                    temp_c: 1.0,
                    temp_f: celsius_to_fahrenheit(1.0),
                    humidity: 50,
                    description: "mist".into(),
                })
            })
            .collect();
        store.upsert_weather(&rows, "test").await.unwrap();
        let streamed = collect(store.stream_weather(None)).await;
        assert_eq!(streamed.len(), 2400);
        assert_eq!(streamed[..1200], rows[1200..], "Bergen first, by time");
        assert_eq!(streamed[1200..], rows[..1200]);

        // Twenty streams that nobody reads: the pool is still free for everyone else.
        let bars: Vec<DailyBar> = (0..3000)
            .map(|i| bar("IBM", day(2000, 1, 1) + Duration::days(i), 10.0))
            .collect();
        store.upsert_bars(&bars, "test").await.unwrap();
        let unread: Vec<_> = (0..20)
            .map(|_| store.stream_bars(&sym("IBM"), None, None))
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let answered = tokio::time::timeout(std::time::Duration::from_secs(1), async {
            store.ping().await.unwrap();
            store
                .daily_bars(&sym("IBM"), None, None)
                .await
                .unwrap()
                .len()
        })
        .await
        .expect("a query answers within 1 s while 20 downloads wait on their readers");
        assert_eq!(answered, 3000);
        drop(unread);
    }
);
