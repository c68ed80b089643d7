//! Fresh databases for tests: a new Postgres database with a random name on the test
//! server, or a new SQLite file in a temporary directory. Real servers, real files.
//! Also [`on_both_backends!`], and the store methods only tests call.

use crate::db::{with_conn, Result, Store, StoreOptions};
use std::path::PathBuf;

/// Declares one test per backend from one async body taking a migrated, empty `Store`:
/// `on_both_backends!(name, |store| { … })` gives `name::sqlite` and `name::postgres`.
/// The calling crate needs `tokio` (with `macros`) among its dev-dependencies.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn check($store: $crate::Store) $body

            #[tokio::test]
            async fn sqlite() {
                let (store, _dir) = $crate::testing::fresh_sqlite().await;
                check(store).await;
            }

            #[tokio::test]
            async fn postgres() {
                check($crate::testing::fresh_postgres().await).await;
            }
        }
    };
}

impl Store {
    /// Runs SQL as written, for tests that arrange faults (a failing trigger, a dropped table).
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        with_conn!(self, |conn| sqlx::raw_sql(sql)
            .execute(&mut *conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Every bar of `symbol`, oldest first.
    pub async fn bars_of(&self, symbol: &str) -> Vec<crate::DailyBar> {
        let symbol = crate::Symbol::parse(symbol).expect("a valid symbol");
        self.daily_bars(&symbol, None, None)
            .await
            .expect("read the bars")
    }

    /// Whether this connection to Postgres is encrypted (`pg_stat_ssl`); false on SQLite.
    pub async fn is_encrypted(&self) -> Result<bool> {
        Ok(match self.backend() {
            "postgres" => with_conn!(self, |conn| sqlx::query_scalar(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
            )
            .persistent(self.persistent())
            .fetch_one(&mut *conn)
            .await?),
            _ => false,
        })
    }

    /// The database's name (Postgres) or `main` (SQLite).
    pub async fn current_database(&self) -> Result<String> {
        Ok(match self.backend() {
            "postgres" => with_conn!(self, |conn| sqlx::query_scalar("SELECT current_database()")
                .persistent(self.persistent())
                .fetch_one(&mut *conn)
                .await?),
            _ => "main".to_string(),
        })
    }
}

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
    fresh_postgres_with_url().await.0
}

/// [`fresh_postgres`] and its URL, for a test that also connects by itself (to lock a
/// table, to grant a role).
pub async fn fresh_postgres_with_url() -> (Store, String) {
    let url = create_postgres_database().await;
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .expect("connect to test database");
    store.migrate().await.expect("migrate");
    (store, url)
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
