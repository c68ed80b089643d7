//! The pool, the migrations and every query, for both backends.
//!
//! Reading order: [`settings`] (what `DATABASE_URL` and friends say), this file (opening,
//! migrating, and [`with_conn!`], the one dispatch every query goes through), `reads`
//! (what the dashboard asks), `runs` (the run record's start and finish), `upserts` (the
//! bulk idempotent writes).
//!
//! SQL that the two dialects agree on is written once, with `$N` binds (SQLite takes
//! them too), and runs through [`with_conn!`]. Only what truly differs is written twice,
//! side by side: the bulk upserts (UNNEST vs a multi-row VALUES list) and how writers of
//! a table are serialised (an advisory lock vs `BEGIN IMMEDIATE`). Values only ever
//! reach SQL as bound parameters.

mod reads;
mod runs;
mod settings;
mod upserts;

pub use reads::RowStream;
pub use runs::{
    RunOutcome, RunStart, ABANDONED_AFTER, MAX_STORED_ERROR_BYTES, MAX_STORED_REJECTIONS,
};
pub use settings::{DatabaseSettings, PoolMode, SettingError, StoreOptions};
pub use upserts::DEMO_SOURCE;

use secrecy::ExposeSecret;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// The SQLite file used when `DATABASE_URL` is not set, relative to the working directory.
pub const DEFAULT_SQLITE_FILE: &str = "tickerboard.db";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The message names the setting, never its value: the URL carries a password.
    #[error("cannot connect to the database given by DATABASE_URL ({backend}): {source}")]
    Connect {
        backend: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("DATABASE_URL is not a postgres:// or sqlite:// URL")]
    UnsupportedUrl,
    #[error("migrating the database schema failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the batch has {0} twice; keys must be unique within a batch")]
    DuplicateKey(String),
    #[error(
        "the database schema is at version {have}, this program needs {want}: run \
         `ingest migrate` with the owner's DATABASE_URL (the dashboard's role only reads)"
    )]
    SchemaBehind { have: i64, want: i64 },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Runs `$body` once with `$conn` a connection of whichever backend the store has: the
/// body is written once and compiled for both (`&mut PgConnection`, `&mut
/// SqliteConnection`), so a query reads as one query.
///
/// Behind a transaction-mode pooler the body runs inside a transaction: sqlx prepares a
/// statement and executes it in two round trips, and only a transaction keeps both on
/// the same server connection. Bodies pass `.persistent(store.persistent())` so no named
/// statement outlives its statement there.
macro_rules! with_conn {
    ($store:expr, |$conn:ident| $body:expr) => {{
        match &$store.pool {
            $crate::db::Pool::Postgres(pool) => {
                if $store.pool_mode == $crate::db::PoolMode::Transaction {
                    let mut tx = pool.begin().await?;
                    let $conn: &mut sqlx::PgConnection = &mut *tx;
                    let out = $body;
                    tx.commit().await?;
                    out
                } else {
                    let mut pooled = pool.acquire().await?;
                    let $conn: &mut sqlx::PgConnection = &mut *pooled;
                    $body
                }
            }
            $crate::db::Pool::Sqlite(pool) => {
                let mut pooled = pool.acquire().await?;
                let $conn: &mut sqlx::SqliteConnection = &mut *pooled;
                $body
            }
        }
    }};
}
pub(crate) use with_conn;

/// A pool of either backend, sized and timed by `options`; its first connection is made
/// now, unless `options.lazy`.
async fn open_pool<DB: sqlx::Database>(
    options: &StoreOptions,
    connect: <DB::Connection as sqlx::Connection>::Options,
) -> std::result::Result<sqlx::Pool<DB>, sqlx::Error> {
    let pool = sqlx::pool::PoolOptions::<DB>::new()
        .max_connections(options.max_connections)
        .acquire_timeout(options.acquire_timeout);
    if options.lazy {
        return Ok(pool.connect_lazy_with(connect));
    }
    pool.connect_with(connect).await
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

/// The database, whichever backend it is. Cheap to clone: it is a pool handle.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) pool_mode: PoolMode,
}

/// What [`Store::open`] found.
pub struct Opened {
    pub store: Store,
    /// True when this is the zero-setup SQLite file and it holds no data yet.
    pub is_new_default: bool,
}

impl Store {
    /// Connects to the database the settings name, or to [`DEFAULT_SQLITE_FILE`] when
    /// they name none, and brings the schema up to date. The one way the server, the
    /// ingest CLI and the Lambda functions open their database.
    pub async fn open(settings: &DatabaseSettings) -> Result<Opened> {
        let (store, default) = match &settings.url {
            Some(url) => (
                Store::connect(url.expose_secret(), &settings.options).await?,
                false,
            ),
            None => {
                let url = format!("sqlite://{DEFAULT_SQLITE_FILE}");
                (Store::connect(&url, &settings.options).await?, true)
            }
        };
        if settings.migrate {
            store.migrate().await?;
        } else if !settings.options.lazy {
            store.check_schema().await?;
        }
        let is_new_default = default && store.is_empty().await?;
        Ok(Opened {
            store,
            is_new_default,
        })
    }

    /// Connects without migrating. The first connection is made here (unless
    /// `options.lazy`), so a wrong URL or a server that is down fails now, not at the
    /// first page view.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let connect_error = |source| StoreError::Connect {
                backend: "postgres",
                source,
            };
            let mut connect = PgConnectOptions::from_str(url).map_err(connect_error)?;
            if options.pool_mode == PoolMode::Transaction {
                connect = connect.statement_cache_capacity(0);
            }
            Ok(Store {
                pool: Pool::Postgres(open_pool(options, connect).await.map_err(connect_error)?),
                pool_mode: options.pool_mode,
            })
        } else if url.starts_with("sqlite:") {
            let connect_error = |source| StoreError::Connect {
                backend: "sqlite",
                source,
            };
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            Ok(Store {
                pool: Pool::Sqlite(open_pool(options, connect).await.map_err(connect_error)?),
                pool_mode: PoolMode::Session,
            })
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// Applies the migrations not yet applied; safe to run at every start.
    ///
    /// Behind a transaction-mode pooler the migrator's session advisory lock would stay
    /// with whichever server connection took it, so it is not taken there: each
    /// migration still runs in its own transaction, and `CREATE … IF NOT EXISTS` keeps
    /// two racing starts harmless.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Postgres(pool) => {
                let mut migrator = self.migrator();
                if self.pool_mode == PoolMode::Session {
                    migrator.run(pool).await?
                } else {
                    // One transaction pins one server connection; the migrator's own
                    // (named) statements are dropped before it goes back to the pool.
                    migrator.set_locking(false);
                    let mut tx = pool.begin().await?;
                    migrator.run(&mut *tx).await?;
                    sqlx::raw_sql("DEALLOCATE ALL").execute(&mut *tx).await?;
                    tx.commit().await?;
                }
            }
            Pool::Sqlite(pool) => self.migrator().run(pool).await?,
        }
        Ok(())
    }

    /// The migrations this build carries, for its backend.
    fn migrator(&self) -> sqlx::migrate::Migrator {
        match &self.pool {
            Pool::Postgres(_) => sqlx::migrate!("./migrations/postgres"),
            Pool::Sqlite(_) => sqlx::migrate!("./migrations/sqlite"),
        }
    }

    /// Fails unless every migration this build carries has been applied: what a
    /// program that may not migrate (the read-only dashboard) checks at start.
    pub async fn check_schema(&self) -> Result<()> {
        let want = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        let applied: std::result::Result<Option<i64>, sqlx::Error> = async {
            Ok(with_conn!(self, |conn| sqlx::query_scalar(
                "SELECT MAX(version) FROM _sqlx_migrations WHERE success"
            )
            .persistent(self.persistent())
            .fetch_one(&mut *conn)
            .await?))
        }
        .await;
        let have = match applied {
            Ok(version) => version.unwrap_or(0),
            // No migrations table: nothing was ever applied.
            Err(sqlx::Error::Database(e)) if e.message().contains("_sqlx_migrations") => 0,
            Err(e) => return Err(e.into()),
        };
        if have < want {
            return Err(StoreError::SchemaBehind { have, want });
        }
        Ok(())
    }

    /// Whether statements may be cached as named prepared statements (not behind a
    /// transaction-mode pooler, where another client may own the name on the server).
    pub(crate) fn persistent(&self) -> bool {
        self.pool_mode == PoolMode::Session
    }

    pub fn backend(&self) -> &'static str {
        match &self.pool {
            Pool::Postgres(_) => "postgres",
            Pool::Sqlite(_) => "sqlite",
        }
    }

    /// Closes every connection; waits for queries in flight.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Postgres(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
        }
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        with_conn!(self, |conn| sqlx::query("SELECT 1")
            .persistent(self.persistent())
            .execute(&mut *conn)
            .await?
            .rows_affected());
        Ok(())
    }
}
