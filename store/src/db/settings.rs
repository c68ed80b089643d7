//! Which database, and how to reach it: parsed in one place for the server, the ingest
//! CLI and the Lambda functions.
//!
//! | variable | meaning |
//! |---|---|
//! | `DATABASE_URL` | `postgres://…` or `sqlite://…`; unset: the zero-setup SQLite file |
//! | `DATABASE_POOL_MODE` | `session` (default) or `transaction` (Supabase's port 6543, PgBouncer) |

use secrecy::SecretString;
use std::str::FromStr;
use std::time::Duration;

/// How connections reach Postgres.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PoolMode {
    /// A direct connection or a session-mode pooler: prepared statements are cached.
    #[default]
    Session,
    /// A transaction-mode pooler (Supabase's port 6543, PgBouncer `pool_mode =
    /// transaction`): consecutive statements may land on different server connections,
    /// so no prepared statement may outlive its statement.
    Transaction,
}

impl FromStr for PoolMode {
    type Err = SettingError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "session" => Ok(PoolMode::Session),
            "transaction" => Ok(PoolMode::Transaction),
            other => Err(SettingError {
                name: "DATABASE_POOL_MODE",
                message: format!("must be 'session' or 'transaction', not {other:?}"),
            }),
        }
    }
}

/// A setting with a value that cannot be used. Names the setting; quotes the value
/// only for settings that are not secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{name} {message}")]
pub struct SettingError {
    pub name: &'static str,
    pub message: String,
}

/// How to open the pool.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub pool_mode: PoolMode,
    pub max_connections: u32,
    /// How long a query waits for a free connection (and a new connection for the server).
    pub acquire_timeout: Duration,
    /// Make no connection at open: the first query connects (and a database that is
    /// away fails that query, not the program's start). The schema is then not checked
    /// at open either. For the dashboard on Lambda, whose pages show the database's
    /// absence as a 503 panel; a cold start must not fail for it.
    pub lazy: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            pool_mode: PoolMode::Session,
            max_connections: 8,
            acquire_timeout: Duration::from_secs(5),
            lazy: false,
        }
    }
}

/// The database settings of any of our programs.
#[derive(Clone, Debug)]
pub struct DatabaseSettings {
    /// `None`: the zero-setup SQLite file. A secret: the URL carries the password.
    pub url: Option<SecretString>,
    pub options: StoreOptions,
    /// Bring the schema up to date at open (the ingest, which owns it), or only check
    /// that it is (the dashboard on Postgres, whose role may only read).
    pub migrate: bool,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: None,
            options: StoreOptions::default(),
            migrate: true,
        }
    }
}

impl DatabaseSettings {
    /// Reads `DATABASE_URL` and `DATABASE_POOL_MODE` from the environment (a `.env`
    /// file, if the program loaded one, included). Blank counts as unset.
    pub fn from_env() -> Result<DatabaseSettings, SettingError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Ok(DatabaseSettings {
            url: var("DATABASE_URL").map(|v| SecretString::from(v.trim().to_string())),
            options: StoreOptions {
                pool_mode: var("DATABASE_POOL_MODE").unwrap_or_default().parse()?,
                ..StoreOptions::default()
            },
            migrate: true,
        })
    }

    /// True for the zero-setup default and any SQLite file: a local file the program
    /// owns, so it may always bring its schema up to date.
    pub fn is_sqlite(&self) -> bool {
        use secrecy::ExposeSecret;
        self.url
            .as_ref()
            .is_none_or(|url| url.expose_secret().starts_with("sqlite:"))
    }

    /// Settings for one URL, as tests and tools name it.
    pub fn for_url(url: &str) -> DatabaseSettings {
        DatabaseSettings {
            url: Some(SecretString::from(url.to_string())),
            ..DatabaseSettings::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_modes_parse_and_a_wrong_one_names_the_setting() {
        assert_eq!("".parse::<PoolMode>().unwrap(), PoolMode::Session);
        assert_eq!(
            " Transaction ".parse::<PoolMode>().unwrap(),
            PoolMode::Transaction
        );
        let err = "statement".parse::<PoolMode>().unwrap_err().to_string();
        assert!(err.starts_with("DATABASE_POOL_MODE "), "{err}");
        assert!(err.contains("'session' or 'transaction'"), "{err}");
    }
}
