//! The dashboard with a role that may only read, created with exactly the README's
//! SQL: it starts, serves and cannot write. A schema older than the server stops it
//! with one line naming `ingest migrate`.

use crate::helpers::spawn_app;
use app::ssr::settings::DashboardSettings;
use server::configuration::{dashboard_database, ServerSettings, Settings};
use server::startup::open_store;
use store::testing::{create_postgres_database, fresh_postgres_with_url};
use store::{demo, DatabaseSettings, Store};

/// The README's reader-role block, for role `role` on database `database`.
pub fn readme_reader_role(role: &str, database: &str) -> String {
    let readme = include_str!("../../../README.md");
    let after = readme
        .split("<!-- reader-role:")
        .nth(1)
        .expect("the README marks its reader-role block");
    let sql = after
        .split("```sql")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a sql block after the marker");
    sql.replace("tickerboard_reader", role)
        .replace("PASSWORD '…'", "PASSWORD 'reader-pw'")
        .replace("DATABASE postgres", &format!("DATABASE {database}"))
}

fn dashboard_settings(url: &str) -> Settings {
    Settings {
        database: dashboard_database(DatabaseSettings::for_url(url)),
        dashboard: DashboardSettings::default(),
        server: ServerSettings::default(),
    }
}

#[tokio::test]
async fn the_dashboard_serves_with_only_the_readme_grants() {
    let (owner, owner_url) = fresh_postgres_with_url().await;
    demo::seed(&owner).await.unwrap();
    let database = owner.current_database().await.unwrap();
    let role = format!("reader_{database}");
    owner
        .execute_raw(&readme_reader_role(&role, &database))
        .await
        .expect("the README's SQL runs as written");

    let reader_url = owner_url.replacen("postgres@", &format!("{role}:reader-pw@"), 1);
    let store = open_store(&dashboard_settings(&reader_url))
        .await
        .expect("the server starts with the reader role");
    let app = spawn_app(store.clone()).await;
    let (status, html) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"data-testid="news-table""#));
    assert_eq!(app.get("/healthz").await.0, 200);
    assert_eq!(app.dashboard_api("BTC").await.0, 200);

    let bars = store.bars_of("IBM").await;
    let write = store.upsert_bars(&bars[..1], "reader").await;
    let err = write.expect_err("the reader role cannot write").to_string();
    assert!(err.contains("permission denied"), "{err}");
}

#[tokio::test]
async fn a_schema_older_than_the_server_names_ingest_migrate() {
    let empty = create_postgres_database().await;
    let err = open_store(&dashboard_settings(&empty))
        .await
        .expect_err("an unmigrated database stops the server")
        .to_string();
    assert!(err.contains("ingest migrate"), "{err}");
    assert!(err.contains("version 0"), "{err}");

    // The real binary: one line, exit 1; then `ingest migrate` is what it takes.
    let dir = store::testing::TempDir::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&dir.path)
        .env("DATABASE_URL", &empty)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "tickerboard")
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("ingest migrate"), "{stderr}");

    let owner = Store::open(&DatabaseSettings::for_url(&empty))
        .await
        .unwrap();
    owner.store.close().await;
    assert!(open_store(&dashboard_settings(&empty)).await.is_ok());
}
