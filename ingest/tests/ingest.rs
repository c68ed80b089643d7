//! The ingest against recorded real responses (shared/fixtures) and our own cases,
//! served by a real HTTP server on loopback (wiremock) through the base-URL settings,
//! into a real SQLite file and a real Postgres.

use ingest::testing::{fixture, html, json, rss, Upstream, AV_KEY, OWM_KEY};
use ingest::{Fetcher, Ingest, Job};
use std::time::Duration;
use store::{on_both_backends, City, Coin, RunStatus, Symbol};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn sym(s: &str) -> Symbol {
    Symbol::parse(s).unwrap()
}

fn prices(symbol: &str, full: bool) -> Job {
    Job::Prices {
        symbol: sym(symbol),
        full,
    }
}

fn crypto(symbol: &str, market: &str) -> Job {
    Job::Crypto {
        symbol: sym(symbol),
        market: market.into(),
    }
}

fn news(coin: &str) -> Job {
    Job::News {
        coin: Coin::parse(coin).unwrap(),
    }
}

fn weather(cities: &[&str]) -> Job {
    Job::Weather {
        cities: cities.iter().map(|c| City::parse(c).unwrap()).collect(),
    }
}

/// Alpha Vantage's daily series for `symbol`, asked for exactly as documented.
async fn av_daily(upstream: &Upstream, symbol: &str, outputsize: &str, body: String) {
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("function", "TIME_SERIES_DAILY"))
        .and(query_param("symbol", symbol))
        .and(query_param("outputsize", outputsize))
        .and(query_param("apikey", AV_KEY))
        .respond_with(json(body))
        .mount(&upstream.server)
        .await;
}

/// A server that answers Alpha Vantage's daily series for `symbol` with a fixture.
async fn serving_daily(symbol: &str, outputsize: &str, file: &str) -> Upstream {
    let upstream = Upstream::start().await;
    av_daily(&upstream, symbol, outputsize, fixture(file)).await;
    upstream
}

fn fetched_inserted_rejected(report: &ingest::RunReport) -> (u64, u64, u64) {
    let c = report.counts;
    (c.fetched, c.inserted, c.rejected)
}

/// Some rejection reason satisfies `check`.
fn assert_any<S: AsRef<str> + std::fmt::Debug>(reasons: &[S], check: impl Fn(&str) -> bool) {
    assert!(reasons.iter().any(|r| check(r.as_ref())), "{reasons:?}");
}

fn assert_no_key(report: &ingest::RunReport) {
    let text = serde_json::to_string(report).unwrap();
    assert!(
        !text.contains(AV_KEY) && !text.contains(OWM_KEY),
        "a key leaked: {text}"
    );
}

on_both_backends!(stock_prices_load_and_replays_add_nothing, |store| {
    let upstream = serving_daily("IBM", "compact", "alphavantage/time_series_daily_IBM.json").await;
    let ingest = Ingest::new(store.clone());

    let first = ingest.run(&upstream.fetcher(), &prices("IBM", false)).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{first:?}");
    assert_eq!(
        (
            first.counts.fetched,
            first.counts.inserted,
            first.counts.unchanged,
            first.counts.rejected
        ),
        (2, 2, 0, 0)
    );
    let bars = store.bars_of("IBM").await;
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[1].date.to_string(), "2020-05-08");
    assert_eq!(
        (bars[1].open, bars[1].high, bars[1].low, bars[1].close),
        (122.67, 122.8, 121.06, 121.79)
    );
    assert_eq!(bars[1].volume, 2538547.0);

    let again = ingest.run(&upstream.fetcher(), &prices("IBM", false)).await;
    assert_eq!(
        (
            again.counts.inserted,
            again.counts.updated,
            again.counts.unchanged
        ),
        (0, 0, 2)
    );
    assert_eq!(store.bars_of("IBM").await.len(), 2);

    let runs = store.recent_runs(10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert!(runs
        .iter()
        .all(|r| r.status == RunStatus::Succeeded && r.source == "prices"));
    assert_eq!(runs[0].counts.unchanged, 2);
    assert_no_key(&first);
});

on_both_backends!(full_backfill_asks_for_the_whole_history, |store| {
    let upstream = serving_daily("IBM", "full", "alphavantage/time_series_daily_IBM.json").await;
    let report = Ingest::new(store)
        .run(&upstream.fetcher(), &prices("IBM", true))
        .await;
    assert!(report.succeeded(), "{report:?}");
});

on_both_backends!(crypto_in_both_key_layouts, |store| {
    let upstream = Upstream::start().await;
    for (market, file) in [
        ("EUR", "alphavantage/digital_currency_daily_BTC_EUR.json"),
        ("CNY", "alphavantage/digital_currency_daily_old_layout.json"),
    ] {
        Mock::given(method("GET"))
            .and(path("/query"))
            .and(query_param("function", "DIGITAL_CURRENCY_DAILY"))
            .and(query_param("symbol", "BTC"))
            .and(query_param("market", market))
            .respond_with(json(fixture(file)))
            .mount(&upstream.server)
            .await;
    }
    let ingest = Ingest::new(store.clone());
    let current = ingest.run(&upstream.fetcher(), &crypto("BTC", "EUR")).await;
    assert!(current.succeeded(), "{current:?}");
    assert_eq!(current.counts.inserted, 3);
    let bars = store.bars_of("BTC").await;
    assert_eq!(bars.last().unwrap().open, 97883.18);
    assert_eq!(bars.last().unwrap().volume, 9.35943544);

    let old = ingest.run(&upstream.fetcher(), &crypto("BTC", "CNY")).await;
    assert!(old.succeeded(), "{old:?}");
    assert_eq!(old.counts.inserted, 2);
    let bars = store.bars_of("BTC").await;
    assert_eq!(bars[0].date.to_string(), "2022-02-28");
    assert_eq!(bars[0].close, 272623.84, "the CNY column of the old layout");
});

on_both_backends!(
    api_refusals_fail_the_run_with_the_api_words_and_are_not_retried,
    |store| {
        for (file, words) in [
            (
                "alphavantage/error_information_rate_limit.json",
                "25 requests per day",
            ),
            (
                "alphavantage/error_message_invalid_call.json",
                "Invalid API call",
            ),
            ("alphavantage/note_rate_limit.json", "5 calls per minute"),
        ] {
            let upstream = Upstream::start().await;
            av_daily(&upstream, "IBM", "compact", fixture(file)).await;
            let report = Ingest::new(store.clone())
                .run(&upstream.fetcher(), &prices("IBM", false))
                .await;
            assert_eq!(report.status, RunStatus::Failed);
            let error = report.error.clone().unwrap();
            assert!(error.contains(words), "{error}");
            assert_eq!(upstream.requests().await, 1, "a refusal is not retried");
            assert_no_key(&report);
        }
        assert!(store.symbols().await.unwrap().is_empty());
        let runs = store.recent_runs(10).await.unwrap();
        assert_eq!(runs.len(), 3);
        assert!(runs
            .iter()
            .all(|r| r.status == RunStatus::Failed && r.error.is_some()));
    }
);

#[tokio::test]
async fn alpha_vantage_calls_are_paced() {
    let upstream = Upstream::start().await;
    let body = fixture("alphavantage/time_series_daily_IBM.json");
    for symbol in ["IBM", "MSFT", "TSLA"] {
        av_daily(&upstream, symbol, "compact", body.clone()).await;
    }
    let fetcher = Fetcher::new(ingest::SourceSettings {
        alphavantage_interval: Duration::from_millis(400),
        ..upstream.sources()
    });
    let started = std::time::Instant::now();
    for symbol in ["IBM", "MSFT", "TSLA"] {
        let _ = fetcher.fetch(&prices(symbol, false)).await;
    }
    let elapsed = started.elapsed();
    assert_eq!(upstream.requests().await, 3);
    assert!(
        elapsed >= Duration::from_millis(780),
        "three calls 400 ms apart take at least 800 ms, took {elapsed:?}"
    );
    // News is not Alpha Vantage's: it does not wait its turn.
    let started = std::time::Instant::now();
    let _ = fetcher.fetch(&news("bitcoin")).await;
    assert!(started.elapsed() < Duration::from_millis(390));
}

on_both_backends!(malformed_json_and_html_pages_fail, |store| {
    let upstream = Upstream::start().await;
    av_daily(
        &upstream,
        "IBM",
        "compact",
        r#"{"Time Series (Daily)": {"2024-01-02": {"1. open": "1"#.into(),
    )
    .await;
    Mock::given(method("GET"))
        .and(query_param("symbol", "TSLA"))
        .respond_with(html(
            "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        ))
        .mount(&upstream.server)
        .await;
    let ingest = Ingest::new(store.clone());
    let broken = ingest.run(&upstream.fetcher(), &prices("IBM", false)).await;
    assert!(
        broken.error.as_deref().unwrap().contains("malformed JSON"),
        "{broken:?}"
    );
    let page = ingest
        .run(&upstream.fetcher(), &prices("TSLA", false))
        .await;
    assert!(
        page.error.as_deref().unwrap().contains("HTML page"),
        "{page:?}"
    );
    assert!(store.symbols().await.unwrap().is_empty());
});

on_both_backends!(
    validation_rejects_rows_with_reasons_and_writes_the_rest,
    |store| {
        let upstream = serving_daily(
            "TSLA",
            "compact",
            "alphavantage/time_series_daily_with_bad_rows.json",
        )
        .await;
        let report = Ingest::new(store.clone())
            .run(&upstream.fetcher(), &prices("TSLA", false))
            .await;
        assert!(report.succeeded(), "{report:?}");
        assert_eq!(fetched_inserted_rejected(&report), (6, 2, 4), "{report:?}");
        let reasons: Vec<String> = report
            .rejections
            .iter()
            .map(|r| format!("{}: {}", r.key, r.reason))
            .collect();
        assert_any(&reasons, |r| {
            r.starts_with("TSLA 2024-03-22:") && r.contains("not a number")
        });
        assert_any(&reasons, |r| {
            r.starts_with("TSLA 2024-03-26: high 177 is below")
        });
        assert_any(&reasons, |r| r.starts_with("TSLA 2024-03-25: volume"));
        assert_any(&reasons, |r| {
            r.starts_with("TSLA 2099-01-02:") && r.contains("future")
        });
        assert_eq!(store.bars_of("TSLA").await.len(), 2);
        assert_eq!(store.recent_runs(1).await.unwrap()[0].counts.rejected, 4);
    }
);

on_both_backends!(a_timeout_is_a_failed_run_after_one_retry, |store| {
    let upstream = Upstream::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json(fixture("alphavantage/time_series_daily_IBM.json"))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&upstream.server)
        .await;
    let mut sources = upstream.sources();
    sources.http_timeout = Duration::from_millis(300);
    let report = Ingest::new(store.clone())
        .run(&Fetcher::new(sources), &prices("IBM", false))
        .await;
    assert_eq!(report.status, RunStatus::Failed);
    let error = report.error.clone().unwrap();
    assert!(error.contains("did not answer within"), "{error}");
    assert!(
        !error.contains(AV_KEY) && error.contains("apikey=***"),
        "{error}"
    );
    assert_eq!(upstream.requests().await, 2, "one retry, no storm");
});

on_both_backends!(server_errors_are_retried, |store| {
    let upstream = Upstream::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&upstream.server)
        .await;
    av_daily(
        &upstream,
        "IBM",
        "compact",
        fixture("alphavantage/time_series_daily_IBM.json"),
    )
    .await;
    let report = Ingest::new(store)
        .run(&upstream.fetcher(), &prices("IBM", false))
        .await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(upstream.requests().await, 2);
});

/// U.Today's listing page for bitcoin and its RSS feed, each when given.
async fn utoday(upstream: &Upstream, listing: Option<String>, feed: Option<String>) {
    if let Some(body) = listing {
        upstream.page("/bitcoin-news", html(body)).await;
    }
    if let Some(body) = feed {
        upstream.page("/rss", rss(body)).await;
    }
}

on_both_backends!(headlines_from_the_listing_with_awkward_cards, |store| {
    let upstream = Upstream::start().await;
    utoday(&upstream, Some(fixture("utoday/bitcoin-news.html")), None).await;
    let report = Ingest::new(store.clone())
        .run(&upstream.fetcher(), &news("bitcoin"))
        .await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(fetched_inserted_rejected(&report), (7, 3, 4), "{report:?}");
    let reasons: Vec<_> = report
        .rejections
        .iter()
        .map(|r| r.reason.as_str())
        .collect();
    assert_any(&reasons, |r| r.contains("no date"));
    assert_any(&reasons, |r| {
        r.contains("\"Press Release\" is not MM/DD/YYYY")
    });
    assert_any(&reasons, |r| r.starts_with("duplicate"));
    assert_any(&reasons, |r| r.starts_with("not an http(s) URL"));

    let stored = store.latest_headlines(Some("bitcoin"), 10).await.unwrap();
    let titles: Vec<_> = stored.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Bitcoin ETFs See Record Inflows",
            "Bitcoin Hash Rate Hits New High",
            "Bitcoin Miners Move Coins to Exchanges"
        ]
    );
    assert_eq!(
        stored[1].url,
        format!("{}/bitcoin-hash-rate-hits-new-high", upstream.uri()),
        "relative link made absolute"
    );
    assert_eq!(
        stored[0].published_at.to_rfc3339(),
        "2024-03-28T14:05:00+00:00"
    );
    assert_eq!(
        upstream.requests().await,
        1,
        "no RSS request when the listing works"
    );

    let again = Ingest::new(store.clone())
        .run(&upstream.fetcher(), &news("bitcoin"))
        .await;
    assert_eq!((again.counts.inserted, again.counts.unchanged), (0, 3));
});

on_both_backends!(
    rss_is_the_fallback_when_the_listing_yields_nothing,
    |store| {
        let upstream = Upstream::start().await;
        utoday(
            &upstream,
            Some(fixture("utoday/changed-layout.html")),
            Some(fixture("utoday/rss.xml")),
        )
        .await;
        let report = Ingest::new(store.clone())
            .run(&upstream.fetcher(), &news("bitcoin"))
            .await;
        assert!(report.succeeded(), "{report:?}");
        assert_eq!(report.counts.inserted, 2, "{report:?}");
        let stored = store.latest_headlines(Some("bitcoin"), 10).await.unwrap();
        assert_eq!(stored[0].title, "Bitcoin Climbs Back Above $70,000");
        assert_eq!(
            stored[1].published_at.to_rfc3339(),
            "2024-03-27T20:45:00+00:00"
        );
        assert!(report
            .rejections
            .iter()
            .any(|r| r.reason.contains("not an RFC 822 date")));
    }
);

on_both_backends!(
    no_headlines_from_either_is_a_failure_naming_what_was_tried,
    |store| {
        let upstream = Upstream::start().await;
        utoday(&upstream, Some(fixture("utoday/changed-layout.html")), None).await;
        let report = Ingest::new(store.clone())
            .run(&upstream.fetcher(), &news("bitcoin"))
            .await;
        assert_eq!(report.status, RunStatus::Failed);
        let error = report.error.unwrap();
        assert!(
            error.contains("/bitcoin-news") && error.contains("/rss"),
            "{error}"
        );
        assert!(
            error.contains("div.category-item") && error.contains("HTTP 404"),
            "{error}"
        );
        let runs = store.latest_runs().await.unwrap();
        assert_eq!(runs[0].status, RunStatus::Failed);
    }
);

on_both_backends!(weather_for_cities_in_celsius_and_fahrenheit, |store| {
    let upstream = Upstream::start().await;
    Mock::given(method("GET"))
        .and(path("/data/2.5/weather"))
        .and(query_param("q", "London"))
        .and(query_param("units", "metric"))
        .and(query_param("appid", OWM_KEY))
        .respond_with(json(fixture(
            "openweather/current_weather_London_metric.json",
        )))
        .mount(&upstream.server)
        .await;
    Mock::given(method("GET"))
        .and(path("/data/2.5/weather"))
        .and(query_param("q", "Atlantis"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(
            r#"{"cod":"404","message":"city not found"}"#,
            "application/json",
        ))
        .mount(&upstream.server)
        .await;
    let ingest = Ingest::new(store.clone());
    let report = ingest
        .run(&upstream.fetcher(), &weather(&["London", "Atlantis"]))
        .await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!((report.counts.inserted, report.counts.rejected), (1, 1));
    assert_eq!(report.rejections[0].key, "Atlantis");
    assert!(report.rejections[0].reason.contains("city not found"));
    let rows = store.weather_for("London").await.unwrap();
    assert_eq!(
        (
            rows[0].temp_c,
            rows[0].temp_f,
            rows[0].humidity,
            rows[0].city_id
        ),
        (8.94, 48.09, 90, 2643743)
    );
    assert_eq!(rows[0].description, "overcast clouds");
    assert_eq!(rows[0].observed_at.timestamp(), 1556444155);
    let again = ingest.run(&upstream.fetcher(), &weather(&["London"])).await;
    assert_eq!((again.counts.inserted, again.counts.unchanged), (0, 1));
    assert_no_key(&report);
});

on_both_backends!(a_refused_weather_key_fails_the_run, |store| {
    let upstream = Upstream::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            fixture("openweather/error_401_invalid_key.json"),
            "application/json",
        ))
        .mount(&upstream.server)
        .await;
    let report = Ingest::new(store)
        .run(&upstream.fetcher(), &weather(&["London"]))
        .await;
    assert_eq!(report.status, RunStatus::Failed);
    assert!(
        report
            .error
            .as_deref()
            .unwrap()
            .contains("HTTP 401: Invalid API key"),
        "{report:?}"
    );
    assert_eq!(upstream.requests().await, 1);
});

on_both_backends!(a_write_that_fails_midway_leaves_no_partial_batch, |store| {
    let upstream = serving_daily("IBM", "compact", "alphavantage/time_series_daily_IBM.json").await;
    // The database fails on the second row of the batch, after the first was written.
    let trigger = match store.backend() {
        "postgres" => "CREATE FUNCTION fail_may_8() RETURNS trigger LANGUAGE plpgsql AS $$ \
                       BEGIN IF NEW.date = DATE '2020-05-08' THEN RAISE EXCEPTION 'disk full (simulated)'; END IF; \
                       RETURN NEW; END $$; \
                       CREATE TRIGGER fail_may_8 BEFORE INSERT ON daily_prices FOR EACH ROW EXECUTE FUNCTION fail_may_8();",
        _ => "CREATE TRIGGER fail_may_8 BEFORE INSERT ON daily_prices WHEN NEW.date = '2020-05-08' \
              BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;",
    };
    store.execute_raw(trigger).await.unwrap();
    let report = Ingest::new(store.clone())
        .run(&upstream.fetcher(), &prices("IBM", false))
        .await;
    assert_eq!(report.status, RunStatus::Failed);
    let error = report.error.clone().unwrap();
    assert!(
        error.contains("nothing of it was written") && error.contains("disk full"),
        "{error}"
    );
    assert!(
        store.bars_of("IBM").await.is_empty(),
        "the first row was rolled back"
    );
    let run = &store.recent_runs(1).await.unwrap()[0];
    assert_eq!((run.status, run.counts.inserted), (RunStatus::Failed, 0));
});

on_both_backends!(
    a_missing_key_is_a_clear_failure_without_a_request,
    |store| {
        let upstream = Upstream::start().await;
        let mut sources = upstream.sources();
        sources.alphavantage_key = None;
        let report = Ingest::new(store)
            .run(&Fetcher::new(sources), &prices("IBM", false))
            .await;
        assert_eq!(
            report.error.as_deref(),
            Some("ALPHAVANTAGE_API_KEY is not set")
        );
        assert!(upstream.requests().await == 0);
    }
);

on_both_backends!(a_batch_fetched_in_one_place_is_stored_in_another, |store| {
    // The Lambda chain: fetch (no database) → JSON → store.
    let upstream = serving_daily(
        "TSLA",
        "compact",
        "alphavantage/time_series_daily_with_bad_rows.json",
    )
    .await;
    let ingest = Ingest::new(store.clone());
    let job = ingest::Job::Prices {
        symbol: sym("TSLA"),
        full: false,
    };
    let batch = upstream.fetcher().fetch(&job).await.unwrap();
    let wire = serde_json::to_string(&batch).unwrap();
    assert!(!wire.contains(AV_KEY));
    let received: ingest::FetchedBatch = serde_json::from_str(&wire).unwrap();
    assert_eq!(received, batch);
    let report = ingest.store(received.clone()).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(fetched_inserted_rejected(&report), (6, 2, 4), "{report:?}");
    assert_eq!(report.table.as_deref(), Some("daily_prices"));
    let replay = ingest.store(received).await;
    assert_eq!(
        (replay.counts.inserted, replay.counts.unchanged),
        (0, 2),
        "a Lambda retry changes no row"
    );
});

on_both_backends!(the_same_article_reached_two_ways_is_one_row, |store| {
    let listing = fixture("utoday/bitcoin-news.html");
    let article = "https://u.today/bitcoin-etfs-see-record-inflows";
    let variant = listing.replace(
        &format!("{article}\""),
        "HTTPS://U.TODAY/bitcoin-etfs-see-record-inflows/?utm_source=tw#comments\"",
    );
    assert_ne!(variant, listing);
    let ingest = Ingest::new(store.clone());
    // One server for both runs: the fixture's relative link resolves against its port.
    let upstream = Upstream::start().await;
    for (page, inserted) in [(listing, 3), (variant, 0)] {
        upstream.server.reset().await;
        utoday(&upstream, Some(page), None).await;
        let report = ingest.run(&upstream.fetcher(), &news("bitcoin")).await;
        assert!(report.succeeded(), "{report:?}");
        assert_eq!(report.counts.inserted, inserted, "{report:?}");
    }
    let stored = store.latest_headlines(Some("bitcoin"), 10).await.unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().any(|h| h.url == article));
});
