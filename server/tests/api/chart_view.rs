//! Every chart parameter of `/`'s URL: the server renders what it says (the preview,
//! the controls, the ECharts option), and a bad value is a notice, its default and a
//! 4xx, never a 500.

use crate::helpers::{option_of, spawn_demo_app};
use store::on_both_backends;

/// The server's drawing inside the chart box.
fn chart_box(html: &str) -> String {
    html.split(r#"data-testid="price-chart""#)
        .nth(1)
        .and_then(|rest| rest.split(r#"id="price-chart""#).next())
        .expect("the chart box, then the ECharts surface")
        .to_string()
}

fn series_of(option: &serde_json::Value) -> Vec<(String, String)> {
    option["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["type"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

on_both_backends!(candles_averages_and_log_scale_come_from_the_url, |store| {
    let app = spawn_demo_app(store).await;
    let (status, html) = app
        .get("/?symbol=IBM&range=1Y&chart=candles&ma=50,20&scale=log")
        .await;
    assert_eq!(status, 200);
    let drawn = chart_box(&html);
    assert!(drawn.contains("price-pane") && drawn.contains("volume-pane"));
    // A year of trading days (about 250), two a candle at the preview's resolution.
    let candles = drawn.matches("<g class=").count();
    assert!(
        (110..=160).contains(&candles),
        "a year of candles: {candles}"
    );
    assert!(
        drawn.contains(r#"<polyline class="ma0""#) && drawn.contains(r#"<polyline class="ma1""#)
    );
    // The no-JS form shows (and sends) exactly this view.
    assert!(
        html.contains(r#"value="candles" checked"#),
        "candles chosen"
    );
    assert!(html.contains(r#"name="ma" value="20" checked"#));
    assert!(html.contains(r#"name="ma" value="50" checked"#));
    assert!(!html.contains(r#"name="ma" value="200" checked"#));
    assert!(html.contains(r#"name="scale" value="log" checked"#));
    assert!(html.contains(r#"<input type="hidden" name="range" value="1Y""#));

    let (status, json) = app
        .dashboard_api_with("symbol=IBM&chart=candles&ma=20,50&scale=log")
        .await;
    assert_eq!(status, 200, "{json}");
    let option = option_of(&json);
    assert_eq!(
        series_of(&option),
        [
            ("candlestick".into(), "IBM".into()),
            ("bar".into(), "Volume".into()),
            ("line".into(), "MA 20".into()),
            ("line".into(), "MA 50".into()),
            ("bar".into(), "Volume".into()),
        ]
    );
    assert_eq!(option["yAxis"][0]["type"], "log");
    assert_eq!(json["view"]["ma"], serde_json::json!([20, 50]));
    // Each average is a column of the dataset after the close; the candles' open,
    // high, low, volume and falling days' volume follow.
    let rows = option["dataset"]["source"].as_array().unwrap();
    assert!(rows.iter().all(|r| r.as_array().unwrap().len() == 9));
    assert_eq!(json["chart"]["details_at"], 4);
    assert_eq!(
        option["series"][0]["encode"]["y"],
        serde_json::json!([4, 1, 6, 5])
    );
    assert_eq!(option["series"][1]["encode"]["y"], 7);
    assert_eq!(option["series"][3]["encode"]["y"], 3);
    assert!(rows[0][2].is_null(), "no 20-day average on the first day");
    assert!(rows.last().unwrap()[3].is_f64());
});

on_both_backends!(
    a_line_chart_carries_the_close_and_its_tooltip_asks_for_the_rest,
    |store| {
        let app = spawn_demo_app(store).await;
        let (status, json) = app.dashboard_api_with("symbol=IBM&ma=50").await;
        assert_eq!(status, 200, "{json}");
        // The page carries what it draws: the date, the close, the average.
        let rows = option_of(&json)["dataset"]["source"]
            .as_array()
            .unwrap()
            .clone();
        assert!(rows.iter().all(|r| r.as_array().unwrap().len() == 3));
        assert!(json["chart"]["details_at"].is_null());

        // The tooltip's open, high, low and volume: one row per dataset row, the same
        // last day, and the high is the day's highest.
        let (status, details) = app.api("bar_details", "symbol=ibm").await;
        assert_eq!(status, 200, "{details}");
        let days = details["rows"].as_array().unwrap();
        assert_eq!(days.len(), rows.len());
        assert_eq!(details["last"], rows.last().unwrap()[0]);
        for (day, row) in days.iter().zip(&rows) {
            let [open, high, low, volume] = [0, 1, 2, 3].map(|k| day[k].as_f64().unwrap());
            let close = row[1].as_f64().unwrap();
            assert!(
                high >= open.max(close) && low <= open.min(close),
                "{day} {row}"
            );
            assert!(volume >= 0.0);
        }

        let (status, none) = app.api("bar_details", "symbol=NOPE").await;
        assert_eq!(status, 404);
        assert_eq!(none["rows"], serde_json::json!([]));
        let (status, _) = app.api("bar_details", "symbol=%3Cb%3E").await;
        assert_eq!(status, 400);
    }
);

on_both_backends!(
    compare_draws_percent_lines_and_drops_what_it_cannot,
    |store| {
        let app = spawn_demo_app(store).await;
        let (status, html) = app.get("/?symbol=IBM&compare=msft,BTC").await;
        assert_eq!(status, 200);
        let drawn = chart_box(&html);
        for name in [">IBM<", ">MSFT<", ">BTC<"] {
            assert!(drawn.contains(name), "{name} in the legend");
        }
        assert!(drawn.contains(" %</span>"), "the axis reads in %");
        assert_eq!(html.matches(r#"data-testid="compare-chip""#).count(), 2);
        assert!(html.contains(r#"data-testid="compare-hint""#));
        // Each chip's ✕ is a link to the page without it (it works without JavaScript).
        assert!(html.contains(r#"<a href="/?symbol=IBM&amp;compare=BTC""#));
        let (_, json) = app.dashboard_api_with("symbol=IBM&compare=MSFT,BTC").await;
        let option = option_of(&json);
        assert_eq!(
            series_of(&option),
            [
                ("line".into(), "IBM".into()),
                ("line".into(), "MSFT".into()),
                ("line".into(), "BTC".into()),
            ]
        );
        assert_eq!(option["yAxis"]["axisLabel"]["formatter"], "{value} %");

        // Unknown: the same notice the main symbol gets, 404, dropped from the form.
        let (status, html) = app.get("/?symbol=IBM&compare=MSFT,NOPE").await;
        assert_eq!(status, 404);
        assert!(html.contains("There are no prices for NOPE to compare."));
        assert!(html.contains(r#"name="compare" value="MSFT""#));
        // Malformed: 400, and what was typed comes back escaped.
        let (status, html) = app.get("/?symbol=IBM&compare=%3Cb%3E").await;
        assert_eq!(status, 400);
        assert!(html.contains("is not a symbol to compare"));
        assert!(!html.contains("<b>"));
        // More than four: the first four.
        let (status, html) = app.get("/?symbol=IBM&compare=MSFT,TSLA,BTC,ETH,IBM").await;
        assert_eq!(
            status, 200,
            "the main symbol is dropped silently: four remain"
        );
        assert_eq!(html.matches(r#"data-testid="compare-chip""#).count(), 4);
        let (_, json) = app
            .dashboard_api_with("symbol=TSLA&compare=MSFT,IBM,BTC,ETH,AAPL")
            .await;
        assert_eq!(json["view"]["compare"].as_array().unwrap().len(), 4);
        assert!(
            json["notice"].as_str().unwrap().contains("at most 4"),
            "{json}"
        );
    }
);

on_both_backends!(bad_chart_values_get_a_notice_and_the_default, |store| {
    let app = spawn_demo_app(store).await;
    for (query, words) in [
        ("chart=bars", "“bars” is not a chart"),
        ("ma=7,20", "“7” is not a moving average"),
        ("scale=ln", "“ln” is not a scale"),
        ("range=3W", "“3W” is not a range"),
        ("compare=%20%2C%2C", ""),
    ] {
        let (status, html) = app.get(&format!("/?symbol=IBM&{query}")).await;
        if words.is_empty() {
            assert_eq!(status, 200, "an empty list is no list: {query}");
            continue;
        }
        assert_eq!(status, 400, "{query}");
        assert!(html.contains(words), "{query}: {words}");
        // The default is drawn: a close line over every day.
        assert!(
            chart_box(&html).contains(r#"<polyline class="close""#),
            "{query}"
        );
    }
    // The good average of a mixed list stays.
    let (_, html) = app.get("/?symbol=IBM&ma=7,20").await;
    assert!(html.contains(r#"name="ma" value="20" checked"#));
    // The server function says the same.
    let (status, json) = app.dashboard_api_with("symbol=IBM&chart=bars").await;
    assert_eq!(status, 400);
    assert!(json["notice"].as_str().unwrap().contains("is not a chart"));
    assert_eq!(json["view"]["kind"], "Line");
});

on_both_backends!(links_and_forms_keep_the_chart_view, |store| {
    let app = spawn_demo_app(store).await;
    let (_, html) = app
        .get("/?symbol=BTC&news=2&chart=candles&ma=20&range=6M")
        .await;
    // "More headlines" keeps the chart as it is.
    let more = html
        .split(r#"data-testid="news-more""#)
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .unwrap();
    assert!(
        more.starts_with("/?symbol=BTC&amp;news=22&amp;range=6M&amp;chart=candles&amp;ma=20"),
        "{}",
        &more[..more.len().min(200)]
    );
    // So does the headline search (hidden fields in its form).
    let search = html.split(r#"role="search""#).nth(1).unwrap();
    let search = search.split("</form>").next().unwrap();
    for field in [
        r#"name="chart" value="candles""#,
        r#"name="ma" value="20""#,
        r#"name="range" value="6M""#,
    ] {
        assert!(search.contains(field), "{field} in the search form");
    }
});

// #21: however long the URL, the notice (and so the page) stays short.
on_both_backends!(a_url_full_of_bad_values_makes_one_short_notice, |store| {
    let app = spawn_demo_app(store).await;
    let junk = vec!["_"; 10_000].join(",");
    let (status, html) = app
        .get(&format!("/?symbol=IBM&compare={junk}&ma={junk}"))
        .await;
    assert_eq!(status, 400);
    let notice = html
        .split(r#"data-testid="notice""#)
        .nth(1)
        .and_then(|n| n.split("</p>").next())
        .expect("a notice");
    assert!(notice.len() < 1_000, "{} bytes: {notice}", notice.len());
    assert!(
        notice.contains("9997 more are not symbols to compare"),
        "{notice}"
    );
});
