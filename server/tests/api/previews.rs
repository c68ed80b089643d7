//! Link previews over real HTTP: every page's head carries its Open Graph and Twitter
//! tags; the absolute URLs come from `public_url` only (never from the request's
//! `Host`), and without it the page has no absolute picture or URL. And what open pages
//! ask to update themselves: `/data-version`, 304 until an ingest changes it.

use crate::helpers::{spawn_configured, test_settings};
use app::ssr::settings::DashboardSettings;
use store::{demo, on_both_backends};

/// The `content` of the meta tag whose `property` or `name` is `key`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html
        .find(&format!(r#"property="{key}""#))
        .or_else(|| html.find(&format!(r#"name="{key}""#)))?;
    let start = html[..at].rfind("<meta")?;
    let tag = &html[start..start + html[start..].find('>')?];
    let content = &tag[tag.find("content=\"")? + 9..];
    Some(&content[..content.find('"')?])
}

on_both_backends!(pages_carry_previews_with_the_public_url_only, |store| {
    demo::seed(&store).await.unwrap();
    let dashboard = DashboardSettings {
        public_url: Some("https://tb.example.com".into()),
        ..DashboardSettings::default()
    };
    let app = spawn_configured(store, test_settings(), dashboard).await;
    let page = app
        .response("/?symbol=IBM&range=1Y&ind=rsi", &[("Host", "evil.example")])
        .await
        .text()
        .await
        .unwrap();
    let title = meta(&page, "og:title").expect("og:title");
    assert!(
        title.starts_with("IBM ") && title.ends_with(" %"),
        "{title}"
    );
    assert!(
        title.contains('▲') || title.contains('▼') || title.contains('–') || title.contains('→'),
        "{title}"
    );
    assert_eq!(
        meta(&page, "og:image"),
        Some("https://tb.example.com/chart.png?symbol=IBM&amp;range=1Y&amp;ind=rsi")
    );
    assert_eq!(
        meta(&page, "og:url"),
        Some("https://tb.example.com/?symbol=IBM&amp;range=1Y&amp;ind=rsi")
    );
    assert_eq!(meta(&page, "twitter:card"), Some("summary_large_image"));
    assert!(meta(&page, "og:description").is_some_and(|d| d.contains("IBM")));
    assert!(
        !page.contains("evil.example"),
        "no client's Host in the page"
    );
    assert!(page.contains(r#"data-testid="download-png""#));
    for (path, words) in [
        ("/weather", "Weather"),
        ("/runs", "Runs"),
        ("/markets", "Markets"),
    ] {
        let (_, html) = app.get(path).await;
        assert!(
            meta(&html, "og:title").is_some_and(|t| t.starts_with(words)),
            "{path}"
        );
        assert_eq!(
            meta(&html, "og:image"),
            Some("https://tb.example.com/chart.png"),
            "{path}"
        );
        assert!(
            meta(&html, "og:url")
                .is_some_and(|u| u.starts_with(&format!("https://tb.example.com{path}"))),
            "{path}"
        );
    }
});

on_both_backends!(without_a_public_url_there_is_no_absolute_address, |store| {
    demo::seed(&store).await.unwrap();
    let app = spawn_configured(store, test_settings(), DashboardSettings::default()).await;
    let (_, page) = app.get("/?symbol=BTC").await;
    assert!(meta(&page, "og:title").is_some_and(|t| t.starts_with("BTC ")));
    assert_eq!(meta(&page, "og:image"), None);
    assert_eq!(meta(&page, "og:url"), None);
    assert_eq!(meta(&page, "twitter:card"), Some("summary_large_image"));
});

on_both_backends!(
    the_data_version_is_304_until_an_ingest_changes_it,
    |store| {
        demo::seed(&store).await.unwrap();
        let app = spawn_configured(store, test_settings(), DashboardSettings::default()).await;
        let first = app.response("/data-version", &[]).await;
        assert_eq!(first.status(), 200);
        assert_eq!(first.headers()["content-type"], "application/json");
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        let body = first.text().await.unwrap();
        assert!(body.starts_with(r#"{"version":""#), "{body}");
        let again = app
            .response("/data-version", &[("If-None-Match", &etag)])
            .await;
        assert_eq!(again.status(), 304, "nothing changed: from memory, no body");
        // An ingest starts a run: the version changes within the server's data check.
        app.store
            .start_run("prices", "{}", chrono::Utc::now())
            .await
            .unwrap();
        let (_, changed) = app.get_when("/data-version", |b| b != body).await;
        assert_ne!(changed, body, "the new version");
    }
);

on_both_backends!(
    the_worker_names_this_builds_assets_and_may_fetch_only_ours,
    |store| {
        let app = spawn_configured(store, test_settings(), DashboardSettings::default()).await;
        let res = app.response("/sw.js", &[]).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
        assert_eq!(res.headers()["cache-control"], "no-cache");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("connect-src 'self'") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        let body = res.text().await.unwrap();
        assert!(body.starts_with("const VERSION = \""), "{}", &body[..80]);
        for asset in [
            "/pkg/tickerboard",
            "/offline.html",
            "/manifest.webmanifest",
            app::NAV_SCRIPT,
        ] {
            assert!(
                body.contains(&format!("\"{asset}")),
                "{asset} in the worker's list"
            );
        }
        assert!(
            body.contains("self.addEventListener('fetch'"),
            "the worker itself follows"
        );
    }
);
