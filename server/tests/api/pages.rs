//! `/weather`, `/runs`, the navigation, the headline search and staleness, over real
//! HTTP on both databases. The pages are read as the server sends them (no script runs),
//! so everything checked here is what a reader without JavaScript gets.

use crate::helpers::{spawn_app, spawn_demo_app};
use chrono::{Duration, TimeZone, Utc};
use store::{
    celsius_to_fahrenheit, on_both_backends, Headline, Rejection, RunCounts, RunOutcome, RunStatus,
    Store, WeatherObservation,
};

/// The attributes of the navigation link to `href`.
fn nav_link<'a>(html: &'a str, href: &str) -> &'a str {
    let nav = html
        .split(r#"class="site-nav">"#)
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("a navigation");
    nav.split("<a ")
        .find(|a| a.contains(&format!(r#"href="{href}""#)))
        .unwrap_or_else(|| panic!("no link to {href} in {nav}"))
}

/// Records a finished run of `source`.
async fn record_run(
    store: &Store,
    source: &str,
    started: chrono::DateTime<Utc>,
    status: RunStatus,
    error: Option<&str>,
    rejections: Vec<Rejection>,
) {
    let id = store
        .start_run(source, r#"{"symbols":["IBM"]}"#, started)
        .await
        .unwrap();
    let outcome = RunOutcome {
        finished_at: started + Duration::milliseconds(3_240),
        status,
        counts: RunCounts {
            fetched: 12,
            inserted: 9,
            updated: 1,
            unchanged: 0,
            rejected: rejections.len() as u64,
        },
        error: error.map(str::to_string),
        rejections,
    };
    store.finish_run(id, &outcome).await.unwrap();
}

on_both_backends!(
    every_page_has_the_navigation_with_the_current_page_marked,
    |store| {
        let app = spawn_demo_app(store).await;
        for (path, current) in [
            ("/", "/"),
            ("/?symbol=BTC", "/"),
            ("/weather", "/weather"),
            ("/runs?status=failed", "/runs"),
        ] {
            let (status, html) = app.get(path).await;
            assert_eq!(status, 200, "{path}");
            for href in ["/", "/weather", "/runs"] {
                let marked = nav_link(&html, href).contains(r#"aria-current="page""#);
                assert_eq!(marked, href == current, "{path}: the link to {href}");
            }
        }
        // The freshness line links each source to its runs.
        let (_, html) = app.get("/").await;
        assert!(html.contains(r#"href="/runs?source=prices""#), "{html}");
        assert!(html.contains(r#"href="/runs?source=weather""#));
    }
);

on_both_backends!(weather_page_shows_each_city_in_either_unit, |store| {
    let app = spawn_demo_app(store).await;
    let latest = app.store.latest_weather().await.unwrap();
    let (status, html) = app.get("/weather").await;
    assert_eq!(status, 200);
    let table = html
        .split(r#"data-testid="weather-table""#)
        .nth(1)
        .expect("the table");
    for w in &latest {
        assert!(
            table.contains(&format!(r#"data-city="{}""#, w.city)),
            "{}",
            w.city
        );
        assert!(table.contains(&format!("{:.1} °C", w.temp_c)));
        assert!(table.contains(&format!("{:.1} °F", w.temp_f)));
        assert!(table.contains(&format!(
            r#"<time datetime="{}""#,
            w.observed_at.to_rfc3339()
        )));
    }
    // The demo's newest reading is at the last 3-hour mark: "just now" in its first
    // minute (a run at 15:00:30 UTC failed on "ago"), "… ago" after.
    assert!(
        table.contains("ago</time>") || table.contains("just now</time>"),
        "observed time in words"
    );
    // The first city's history is drawn, in °C, with its summary.
    let first = &latest[0].city;
    let chart = html.split(r#"data-testid="weather-chart""#).nth(1).unwrap();
    assert!(chart.contains(r#"<polyline class="temp""#));
    assert!(chart.contains(&format!("{first} (°C)")));
    assert!(html.contains(&format!(r#"<option value="{first}" selected"#)));
    assert!(
        html.contains(r#"href="/weather.csv?city="#),
        "the download link"
    );
    assert!(html.contains(r#"data-testid="download-csv""#));

    // Another city in °F: the URL says so and the page follows.
    let (status, html) = app.get("/weather?city=Troms%C3%B8&unit=f").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<option value="Tromsø" selected"#));
    assert!(html.contains("Tromsø (°F)"));
    let tromso = latest.iter().find(|w| w.city == "Tromsø").unwrap();
    let first_temp = html
        .split(r#"data-city="Tromsø""#)
        .nth(1)
        .and_then(|row| row.split(r#"data-testid="temp""#).nth(1))
        .and_then(|cell| cell.split('>').nth(1))
        .and_then(|text| text.split('<').next())
        .unwrap();
    assert_eq!(first_temp, format!("{:.1} °F", tromso.temp_f));
    // The toggle leads back to °C for the same city; the city links keep °F.
    assert!(
        html.contains(r#"href="/weather?city=Troms%C3%B8&amp;unit=c""#),
        "{html}"
    );
    assert!(html.contains(r#"href="/weather?city=London&amp;unit=f""#));
});

on_both_backends!(weather_bad_parameters_get_a_notice_never_a_500, |store| {
    let app = spawn_demo_app(store).await;
    for (path, status, says) in [
        ("/weather?unit=kelvin", 400, "is not a unit"),
        ("/weather?city=a/b", 400, "is not a city"),
        (
            "/weather?city=Atlantis",
            404,
            "There is no weather for Atlantis",
        ),
    ] {
        let (got, html) = app.get(path).await;
        assert_eq!(got, status, "{path}");
        assert!(html.contains(says), "{path}");
        assert!(
            html.contains(r#"data-testid="weather-table""#),
            "{path}: the table is still there"
        );
    }
});

on_both_backends!(weather_page_says_how_to_fill_it_when_empty, |store| {
    let app = spawn_app(store).await;
    let (status, html) = app.get("/weather").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="weather-empty""#));
    assert!(html.contains("ingest -- weather London Paris"));
    assert!(!html.contains(r#"data-testid="weather-chart""#));
});

on_both_backends!(weather_history_is_the_stored_one, |store| {
    let at = |h: i64| Utc.with_ymd_and_hms(2024, 1, 5, 0, 0, 0).unwrap() + Duration::hours(h);
    let rows: Vec<WeatherObservation> = (0..6)
        .map(|h| WeatherObservation {
            city: "Oslo".into(),
            city_id: 1,
            observed_at: at(h),
            temp_c: -5.0 + h as f64,
            temp_f: celsius_to_fahrenheit(-5.0 + h as f64),
            humidity: 70,
            description: "snow".into(),
        })
        .collect();
    store.upsert_weather(&rows, "test").await.unwrap();
    let app = spawn_app(store).await;
    let (_, html) = app.get("/weather?city=Oslo").await;
    assert!(
        html.contains("Oslo: 6 observations from 2024-01-05 00:00 to 2024-01-05 05:00 UTC; lowest -5.0 °C, highest 0.0 °C, latest 0.0 °C."),
        "{html}"
    );
    let points = html
        .split(r#"<polyline class="temp" points=""#)
        .nth(1)
        .and_then(|p| p.split('"').next())
        .unwrap();
    assert_eq!(points.split(' ').count(), 6, "one point per observation");
});

on_both_backends!(runs_page_lists_filters_and_pages, |store| {
    let t0 = Utc::now() - Duration::hours(2);
    for i in 0..30 {
        record_run(
            &store,
            "prices",
            t0 - Duration::hours(i),
            RunStatus::Succeeded,
            None,
            vec![],
        )
        .await;
    }
    record_run(
        &store,
        "weather",
        t0 + Duration::minutes(1),
        RunStatus::Failed,
        Some("OpenWeatherMap answered 401: invalid API key"),
        vec![],
    )
    .await;
    record_run(
        &store,
        "news",
        t0 + Duration::minutes(2),
        RunStatus::Succeeded,
        None,
        vec![Rejection::new("https://u.today/x", "the title is empty")],
    )
    .await;
    let app = spawn_app(store).await;

    let (status, html) = app.get("/runs").await;
    assert_eq!(status, 200);
    let table = html.split(r#"data-testid="runs-table""#).nth(1).unwrap();
    assert_eq!(table.matches("<tr data-run=").count(), 25, "a page of runs");
    let first = table.split("<tr data-run=").nth(1).unwrap();
    assert!(first.contains(">news<"), "newest first: {first}");
    assert!(first.contains("3.2 s"), "the duration");
    assert!(
        first.contains("12 fetched")
            && first.contains("9 inserted")
            && first.contains("1 rejected")
    );
    assert!(first.contains(r#"data-testid="rejections""#));
    assert!(first.contains("https://u.today/x") && first.contains("the title is empty"));
    assert!(table.contains("OpenWeatherMap answered 401: invalid API key"));
    assert!(html.contains(r#"href="/runs?page=2""#), "an older page");
    assert!(!html.contains(r#"data-testid="runs-newer""#));

    let (_, html) = app.get("/runs?page=2").await;
    assert_eq!(html.matches("<tr data-run=").count(), 7);
    assert!(
        html.contains(r#"data-testid="runs-newer""#)
            && !html.contains(r#"data-testid="runs-older""#)
    );

    let (status, html) = app.get("/runs?status=failed").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<tr data-run=").count(), 1);
    assert!(html.contains(r#"<option value="failed" selected"#));
    let (_, html) = app.get("/runs?source=news&status=succeeded").await;
    assert_eq!(html.matches("<tr data-run=").count(), 1);
    let (_, html) = app.get("/runs?source=weather&status=succeeded").await;
    assert!(html.contains("No runs match this filter."));

    for (path, says) in [
        ("/runs?status=exploded", "is not a status"),
        ("/runs?source=nope", "There are no runs from"),
        ("/runs?page=0", "is not a page number"),
        ("/runs?page=x", "is not a page number"),
    ] {
        let (got, html) = app.get(path).await;
        assert_eq!(got, 400, "{path}");
        assert!(html.contains(says), "{path}");
        assert_eq!(
            html.matches("<tr data-run=").count(),
            25,
            "{path}: the default view"
        );
    }
});

on_both_backends!(
    a_source_late_for_its_schedule_is_flagged_stale_on_both_pages,
    |store| {
        let now = Utc::now();
        for (source, hours_ago, status, error) in [
            ("prices", 2, RunStatus::Succeeded, None),
            ("news", 50, RunStatus::Succeeded, None),
            ("weather", 1, RunStatus::Failed, Some("boom")),
        ] {
            let started = now - Duration::hours(hours_ago);
            record_run(&store, source, started, status, error, vec![]).await;
        }
        let app = spawn_app(store).await;
        for path in ["/", "/runs"] {
            let (_, html) = app.get(path).await;
            let freshness = html
                .split(r#"data-testid="freshness""#)
                .nth(1)
                .and_then(|f| f.split("</p>").next())
                .unwrap();
            let part = |source: &str| {
                freshness
                    .split("<a ")
                    .find(|a| a.contains(&format!(r#"data-source="{source}""#)))
                    .unwrap_or_else(|| panic!("{path}: no {source} in {freshness}"))
                    .to_string()
            };
            assert!(!part("prices").contains("stale"), "{path}");
            assert!(part("news").contains(r#"class="stale""#), "{path}");
            assert!(part("news").contains("stale: last success 2 d ago, expected within 36 h"));
            assert!(part("weather").contains("stale: never succeeded"), "{path}");
            assert!(part("weather").contains("last run failed"));
        }
    }
);

on_both_backends!(headlines_are_searched_on_the_server_and_paged, |store| {
    let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
    let rows: Vec<Headline> = (0..45)
        .map(|i| Headline {
            url: format!("https://u.today/{i}"),
            coin: "bitcoin".into(),
            published_at: at - Duration::hours(i),
            title: if i % 3 == 0 {
                format!("ETF flows {i}: 100% up")
            } else {
                format!("Miners story {i}")
            },
        })
        .collect();
    store.upsert_headlines(&rows, "test").await.unwrap();
    store
        .upsert_bars(
            &[store::DailyBar::from_ohlcv(
                store::Symbol::parse("BTC").unwrap(),
                chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
                [1.0, 2.0, 0.5, 1.5, 10.0],
            )],
            "test",
        )
        .await
        .unwrap();
    let app = spawn_app(store).await;
    let rows_of = |html: &str| {
        html.split(r#"data-testid="news-table""#)
            .nth(1)
            .unwrap()
            .matches("<time")
            .count()
    };

    let (_, html) = app.get("/?symbol=BTC").await;
    assert_eq!(rows_of(&html), 20);
    assert!(html.contains(r#"data-testid="news-search""#));
    assert!(html.contains(r#"href="/?symbol=BTC&amp;news=40""#), "more");
    let (_, html) = app.get("/?symbol=BTC&news=40").await;
    assert_eq!(rows_of(&html), 40);
    let (_, html) = app.get("/?symbol=BTC&news=60").await;
    assert_eq!(rows_of(&html), 45);
    assert!(!html.contains(r#"data-testid="news-more""#), "nothing more");

    let (_, html) = app.get("/?symbol=BTC&q=etf").await;
    assert_eq!(rows_of(&html), 15, "case-insensitive");
    assert!(html.contains(r#"value="etf""#), "the box keeps the search");
    assert!(html.contains(r#"href="/headlines.csv?coin=bitcoin&amp;q=etf""#));
    let (_, html) = app.get("/?symbol=BTC&q=100%25").await;
    assert_eq!(rows_of(&html), 15, "% is literal");
    let (_, html) = app.get("/?symbol=BTC&q=1%25").await;
    assert_eq!(rows_of(&html), 0);
    let (status, html) = app.get("/?symbol=BTC&q=%25%25%25_").await;
    assert_eq!(status, 200);
    assert!(html.contains("No headlines match “%%%_”."), "{html}");
    // An overlong search is cut, not refused.
    let long = "x".repeat(500);
    let (status, html) = app.get(&format!("/?symbol=BTC&q={long}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(r#"value="{}""#, "x".repeat(store::MAX_SEARCH_LEN))));
});

// One status rule on every page (app/src/ssr/status.rs): a malformed parameter is 400,
// one that names nothing there 404, and when a URL has both, 400 wins; each keeps its
// notice, in the order the page reads its parameters.
on_both_backends!(
    a_malformed_parameter_wins_over_a_missing_one_on_every_page,
    |store| {
        let app = spawn_demo_app(store).await;
        for (path, status, says) in [
            ("/?symbol=NOPE", 404, vec!["There are no prices for NOPE"]),
            (
                "/?symbol=NOPE&range=3W",
                400,
                vec!["There are no prices for NOPE", "“3W” is not a range"],
            ),
            (
                "/?range=3W&compare=NOPE",
                400,
                vec!["“3W” is not a range", "no prices for NOPE to compare"],
            ),
            (
                "/weather?city=Atlantis",
                404,
                vec!["no weather for Atlantis"],
            ),
            (
                "/weather?unit=k&city=Atlantis",
                400,
                vec!["“k” is not a unit", "no weather for Atlantis"],
            ),
            (
                "/runs?source=nope&status=late&page=0",
                400,
                vec![
                    "no runs from “nope”",
                    "“late” is not a status",
                    "“0” is not a page",
                ],
            ),
        ] {
            let (got, html) = app.get(path).await;
            assert_eq!(got, status, "{path}");
            let notice = html
                .split(r#"data-testid="notice""#)
                .nth(1)
                .and_then(|n| n.split("</p>").next())
                .unwrap_or_else(|| panic!("{path}: no notice"));
            let mut from = 0;
            for words in says {
                let at = notice[from..]
                    .find(words)
                    .unwrap_or_else(|| panic!("{path}: “{words}” in order in {notice}"));
                from += at + words.len();
            }
        }
        let (got, html) = app.get("/no/such/page").await;
        assert_eq!(got, 404);
        assert!(html.contains("Page not found") && html.contains("<main"));
    }
);

// #21: what an upstream wrote is kept only so far: a run's error at most 4 KiB, its first
// 200 rejected rows (each key and reason cut), the count whole; `/runs` says how many
// more were not kept, and its page stays small.
on_both_backends!(a_run_keeps_upstream_text_only_so_far, |store| {
    let started = Utc::now() - Duration::minutes(5);
    let rejections: Vec<Rejection> = (0..5_000)
        .map(|i| Rejection::new(format!("IBM day {i}"), "é".repeat(3_000)))
        .collect();
    record_run(
        &store,
        "prices",
        started,
        RunStatus::Failed,
        Some(&"x".repeat(1_000_000)),
        rejections,
    )
    .await;
    let run = store.recent_runs(1).await.unwrap().remove(0);
    let error = run.error.unwrap();
    assert!(
        error.len() <= store::MAX_STORED_ERROR_BYTES + 40,
        "{} bytes",
        error.len()
    );
    assert!(error.ends_with("more bytes)"), "it says it was cut");
    assert_eq!(run.counts.rejected, 5_000, "the count is whole");
    assert_eq!(run.rejections.len(), store::MAX_STORED_REJECTIONS);
    assert!(run.rejections.iter().all(|r| r.reason.len() < 400));

    let app = spawn_app(store).await;
    let (status, html) = app.get("/runs").await;
    assert_eq!(status, 200);
    assert!(html.contains("5000 rejected rows"), "the whole count");
    assert!(html.contains("… and 4800 more, not kept"));
    assert!(html.len() < 200_000, "{} bytes", html.len());
});
