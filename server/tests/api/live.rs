//! The home page's island and its server function, on both databases: the state the
//! page hands the island (its JSON scripts) is the answer `get_dashboard` gives for the same
//! URL, so a change in the browser and a page load show the same thing; the answer
//! carries every part the island shows, and comes from memory once asked.

use crate::helpers::spawn_demo_app;
use app::chart::view::Range;
use app::chart::wire::{ANSWER_ID, PAGE_ID};
use app::home::data::Dashboard;
use store::on_both_backends;

/// What the page hands its island in its JSON script `id`: the answer (`dashboard`),
/// the page's parameters (`page-query`).
fn page_script(html: &str, id: &str) -> serde_json::Value {
    let json = html
        .split(&format!(r#"<script type="application/json" id="{id}">"#))
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap_or_else(|| panic!("the page carries its {id} script"));
    serde_json::from_str(json).expect("the script is JSON")
}

on_both_backends!(
    the_island_starts_from_the_answer_the_server_function_gives,
    |store| {
        let app = spawn_demo_app(store).await;
        let query = "symbol=BTC&range=1Y&chart=candles";
        let (status, html) = app.get(&format!("/?{query}")).await;
        assert_eq!(status, 200);

        let (status, answer) = app.dashboard_api_with(query).await;
        assert_eq!(status, 200);
        assert!(
            answer.get("preview").is_none(),
            "the server's drawing is only in the page"
        );
        let typed: Dashboard = app::answer::read(&answer.to_string()).expect("the island reads it");
        // serde (the server's `Resource`) writes the answer as serde_lite (the wire) does.
        assert_eq!(serde_json::to_value(&typed).unwrap(), answer);
        let chart = typed.chart.clone().expect("the chart's data");
        assert_eq!(chart.range_starts.len(), Range::ALL.len());
        assert_eq!(typed.view.range, Range::OneYear);
        assert_eq!(typed.coin.as_deref(), Some("bitcoin"));
        assert!(!typed.headlines.is_empty());
        assert!(
            typed
                .headlines
                .iter()
                .all(|h| h.link.as_deref().is_some_and(|l| l.contains("/bitcoin/"))),
            "the headlines of the symbol's coin"
        );
        assert_eq!(
            typed.stats.as_ref().map(|s| s.range_returns.len()),
            Some(Range::ALL.len())
        );
        assert!(typed
            .summary
            .as_deref()
            .is_some_and(|s| s.starts_with("BTC: ")));

        // The page hands the island that same answer, once, and its parameters; the
        // island has no props (the WebAssembly reads both scripts with one JSON reader).
        assert_eq!(page_script(&html, ANSWER_ID), answer);
        assert_eq!(
            page_script(&html, PAGE_ID),
            serde_json::json!({ "symbol": "BTC", "q": null, "news": null })
        );
        let island = html
            .split("<leptos-island")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .expect("the island");
        assert!(!island.contains("data-props"), "{island}");
        assert_eq!(
            html.matches(r#""option":"#).count(),
            1,
            "the chart's data once in the page"
        );
    }
);

on_both_backends!(the_server_function_refuses_what_the_page_refuses, |store| {
    let app = spawn_demo_app(store).await;
    // The island loads the page the ordinary way on a refusal, and the page says why.
    let (status, _) = app.dashboard_api_with("symbol=IBM&chart=bars").await;
    assert_eq!(status, 400);
    let (status, html) = app.get("/?symbol=IBM&chart=bars").await;
    assert_eq!(status, 400);
    assert!(html.contains(r#"data-testid="notice""#));
    let (status, _) = app.dashboard_api("ZZZZ").await;
    assert_eq!(status, 404);
});
