//! Fresh databases for tests: a new Postgres database with a random name on the test
//! server, or a new SQLite file in a temporary directory. Real servers, real files.

use crate::db::{Store, StoreOptions};
use std::path::PathBuf;

/// The Postgres server tests create their databases on. `scripts/test.sh` starts a
/// throwaway one and sets this; run the tests through it.
pub fn test_server_url() -> String {
    std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_DATABASE_URL is not set: run the tests with `bash scripts/test.sh`, which \
             starts a throwaway Postgres, or point it at a server where you may create databases"
        )
    })
}

/// Replaces the database name in a postgres URL.
pub fn with_database(server_url: &str, database: &str) -> String {
    let (base, query) = match server_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (server_url, None),
    };
    // postgres://user@host:port/db → keep everything up to the path.
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let root = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{database}?{q}"),
        None => format!("{root}/{database}"),
    }
}

/// Creates an empty database with a random name and returns its URL.
pub async fn create_postgres_database() -> String {
    use sqlx::Connection;
    let server = test_server_url();
    let name = format!("tb_test_{}", uuid_like());
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    admin.close().await.ok();
    with_database(&server, &name)
}

/// A migrated store on a new Postgres database.
pub async fn fresh_postgres() -> Store {
    let url = create_postgres_database().await;
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .expect("connect to test database");
    store.migrate().await.expect("migrate");
    store
}

/// A migrated store on a new SQLite file; keep the directory alive as long as the store.
pub async fn fresh_sqlite() -> (Store, TempDir) {
    let dir = TempDir::new();
    let url = format!("sqlite://{}", dir.path.join("test.db").display());
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate");
    (store, dir)
}

/// A directory removed when dropped.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("tickerboard-{}", uuid_like()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir { path }
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn uuid_like() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The URL of `database_url`'s database behind the test PgBouncer (transaction mode),
/// which `scripts/throwaway-postgres.sh` starts beside the server.
pub fn through_pgbouncer(database_url: &str) -> String {
    let bouncer = std::env::var("TEST_PGBOUNCER_URL").unwrap_or_else(|_| {
        panic!(
            "TEST_PGBOUNCER_URL is not set: run the tests with `bash scripts/test.sh`, which \
             starts PgBouncer in transaction mode in front of the throwaway Postgres"
        )
    });
    let name = database_url
        .split('?')
        .next()
        .and_then(|u| u.rsplit('/').next())
        .expect("a database name");
    with_database(&bouncer, name)
}

/// A response body for tests: a recorded real one from `shared/fixtures` (beside the
/// repository, or `TICKERBOARD_SHARED_FIXTURES`), or one of ours from
/// `ingest/tests/fixtures`. `name` is relative, e.g. `alphavantage/time_series_daily_IBM.json`.
pub fn fixture(name: &str) -> String {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = std::env::var("TICKERBOARD_SHARED_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace.join("../shared/fixtures"));
    let ours = workspace.join("ingest/tests/fixtures");
    for dir in [&shared, &ours] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            return text;
        }
    }
    panic!(
        "fixture {name} is in neither {} nor {}: the recorded responses live in shared/fixtures \
         beside the repository (or set TICKERBOARD_SHARED_FIXTURES)",
        shared.display(),
        ours.display()
    );
}
