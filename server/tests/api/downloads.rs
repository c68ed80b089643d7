//! The CSV downloads over real HTTP, on both databases: what a spreadsheet or a CSV
//! parser reads back, the file names, formula injection, and bad parameters.

use crate::helpers::{header, spawn_app, spawn_demo_app, TestApp};
use chrono::{TimeZone, Utc};
use store::{celsius_to_fahrenheit, on_both_backends, Headline, WeatherObservation};

/// GETs a download; the response and its rows parsed as CSV (the header first).
async fn download(app: &TestApp, path: &str) -> (reqwest::Response, Vec<Vec<String>>) {
    let res = app.response(path, &[]).await;
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.bytes().await.unwrap();
    let rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_ref())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    // The status and headers again, as a response (the body has been read).
    let mut kept = axum::http::Response::new(String::new());
    *kept.status_mut() = status;
    *kept.headers_mut() = headers;
    (reqwest::Response::from(kept), rows)
}

on_both_backends!(prices_csv_is_every_bar_streamed, |store| {
    let app = spawn_demo_app(store).await;
    let ibm = app.store.bars_of("IBM").await;
    let (res, rows) = download(&app, "/prices.csv?symbol=ibm").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "text/csv; charset=utf-8");
    assert!(
        header(&res, "content-disposition").starts_with("attachment; filename=\"IBM-prices.csv\""),
        "{}",
        header(&res, "content-disposition")
    );
    // Streamed: the size is not known when the headers go out.
    assert_eq!(
        header(&res, "content-length"),
        "",
        "streamed, not built whole"
    );
    assert_eq!(header(&res, "cache-control"), "no-cache");
    assert_eq!(
        rows[0],
        ["symbol", "date", "open", "high", "low", "close", "volume"]
    );
    assert_eq!(rows.len(), ibm.len() + 1, "a header and every bar");
    let last = ibm.last().unwrap();
    assert_eq!(
        rows.last().unwrap(),
        &[
            "IBM".to_string(),
            last.date.to_string(),
            last.open.to_string(),
            last.high.to_string(),
            last.low.to_string(),
            last.close.to_string(),
            last.volume.to_string()
        ]
    );

    // A window of dates, both ends included.
    let (from, to) = (ibm[10].date, ibm[14].date);
    let (res, rows) = download(&app, &format!("/prices.csv?symbol=IBM&from={from}&to={to}")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1][1], from.to_string());
    assert_eq!(rows[5][1], to.to_string());
    assert!(header(&res, "content-disposition")
        .contains(&format!("IBM-prices-from-{from}-to-{to}.csv")));

    // Compressed for clients that ask, still streamed.
    let res = app
        .response("/prices.csv?symbol=IBM", &[("accept-encoding", "br")])
        .await;
    assert_eq!(header(&res, "content-encoding"), "br");
});

on_both_backends!(headlines_csv_round_trips_and_defuses_formulas, |store| {
    let at = |h: u32| Utc.with_ymd_and_hms(2024, 5, 1, h, 0, 0).unwrap();
    let tricky = r#"Bitcoin, "the king", falls; analysts: "hold""#;
    let formula = r#"=HYPERLINK("https://evil.example","click")"#;
    let rows = vec![
        Headline {
            url: "https://u.today/a".into(),
            coin: "bitcoin".into(),
            published_at: at(3),
            title: tricky.into(),
        },
        Headline {
            url: "https://u.today/b".into(),
            coin: "bitcoin".into(),
            published_at: at(2),
            title: formula.into(),
        },
        Headline {
            url: "https://u.today/c".into(),
            coin: "ethereum".into(),
            published_at: at(1),
            title: "+ETH gains\nsecond line".into(),
        },
    ];
    app_store_upsert(&store, &rows).await;
    let app = spawn_app(store).await;

    let (res, csv) = download(&app, "/headlines.csv").await;
    assert_eq!(res.status(), 200);
    assert!(header(&res, "content-disposition").contains("filename=\"headlines.csv\""));
    assert_eq!(csv[0], ["published_at", "coin", "title", "url"]);
    assert_eq!(csv.len(), 4, "{csv:?}");
    assert_eq!(csv[1][2], tricky, "commas and quotes round-trip");
    assert_eq!(csv[1][0], at(3).to_rfc3339());
    assert_eq!(csv[2][2], format!("'{formula}"), "a formula is made text");
    assert_eq!(
        csv[3][2], "'+ETH gains\nsecond line",
        "a line break survives"
    );

    let (_, csv) = download(&app, "/headlines.csv?coin=Bitcoin&q=KING").await;
    assert_eq!(csv.len(), 2, "{csv:?}");
    assert_eq!(csv[1][3], "https://u.today/a");
    let (res, _) = download(&app, "/headlines.csv?coin=bitcoin").await;
    assert!(header(&res, "content-disposition").contains("bitcoin-headlines.csv"));
    let (_, csv) = download(&app, "/headlines.csv?q=nothing-like-this").await;
    assert_eq!(csv.len(), 1, "only the header");
});

async fn app_store_upsert(store: &store::Store, rows: &[Headline]) {
    store.upsert_headlines(rows, "test").await.unwrap();
}

on_both_backends!(weather_csv_keeps_numbers_numbers, |store| {
    let at = |h: u32| Utc.with_ymd_and_hms(2024, 1, 5, h, 0, 0).unwrap();
    let obs = |city: &str, h: u32, c: f64, description: &str| WeatherObservation {
        city: city.into(),
        city_id: 7,
        observed_at: at(h),
        temp_c: c,
        temp_f: celsius_to_fahrenheit(c),
        humidity: 80,
        description: description.into(),
    };
    store
        .upsert_weather(
            &[
                obs("Tromsø", 3, -12.5, "-light snow"),
                obs("Tromsø", 6, -11.0, "snow"),
                obs("London", 3, 4.0, "mist"),
            ],
            "test",
        )
        .await
        .unwrap();
    let app = spawn_app(store).await;
    let (res, csv) = download(&app, "/weather.csv").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        csv[0],
        [
            "city",
            "city_id",
            "observed_at",
            "temp_c",
            "temp_f",
            "humidity",
            "description"
        ]
    );
    assert_eq!(csv.len(), 4);
    let tromso = &csv[2];
    assert_eq!(tromso[0], "Tromsø");
    assert_eq!(tromso[3], "-12.5", "a negative temperature stays a number");
    assert_eq!(tromso[4], celsius_to_fahrenheit(-12.5).to_string());
    assert_eq!(
        tromso[6], "'-light snow",
        "text starting with - is made text"
    );

    let (res, csv) = download(&app, "/weather.csv?city=Troms%C3%B8").await;
    assert_eq!(csv.len(), 3);
    assert!(
        header(&res, "content-disposition").contains("filename*=UTF-8''Troms%C3%B8%2Dweather.csv"),
        "{}",
        header(&res, "content-disposition")
    );
});

on_both_backends!(bad_download_parameters_get_400_with_a_reason, |store| {
    let app = spawn_demo_app(store).await;
    for (path, status, says) in [
        ("/prices.csv", 400, "symbol is required"),
        ("/prices.csv?symbol=", 400, "symbol is required"),
        ("/prices.csv?symbol=IBM%27;DROP", 400, "symbol:"),
        (
            "/prices.csv?symbol=IBM&from=2024-13-01",
            400,
            "from: expected a date",
        ),
        (
            "/prices.csv?symbol=IBM&to=yesterday",
            400,
            "to: expected a date",
        ),
        (
            "/prices.csv?symbol=IBM&from=2024-02-01&to=2024-01-01",
            400,
            "is after",
        ),
        ("/prices.csv?symbol=NOPE", 404, "no prices for NOPE"),
        ("/headlines.csv?coin=//evil", 400, "coin:"),
        ("/weather.csv?city=a/b", 400, "city:"),
    ] {
        let (got, body) = app.get(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(says), "{path}: {body}");
    }
    let long = "x".repeat(store::MAX_SEARCH_LEN + 1);
    let (got, body) = app.get(&format!("/headlines.csv?q={long}")).await;
    assert_eq!((got, body.contains("at most")), (400, true), "{body}");
});
