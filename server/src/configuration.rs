//! Settings, from three places, each owning its own keys:
//!
//! - the environment (or a `.env` file): `DATABASE_URL`, `DATABASE_POOL_MODE` (parsed by
//!   the store, as for every program of ours), `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`,
//!   `TICKERBOARD_SETTINGS`;
//! - `Leptos.toml`, table `[dashboard]`: what the page shows (title, default symbol,
//!   coin per symbol, headline count);
//! - `Cargo.toml`, `[[workspace.metadata.leptos]]`: how cargo-leptos builds the site
//!   (it reaches the server through the `LEPTOS_*` variables cargo-leptos sets, or the
//!   defaults compiled in).

use app::settings::DashboardSettings;
use std::path::{Path, PathBuf};
use std::time::Duration;
use store::{DatabaseSettings, SettingError};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Database(#[from] SettingError),
}

/// Everything the server needs to start.
#[derive(Debug)]
pub struct Settings {
    /// `url: None`: the zero-setup SQLite file.
    pub database: DatabaseSettings,
    pub dashboard: DashboardSettings,
}

impl Settings {
    /// Reads `.env` (if present), the environment, and the dashboard settings file.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let _ = dotenvy::dotenv();
        let database = dashboard_database(DatabaseSettings::from_env()?);
        let path = std::env::var("TICKERBOARD_SETTINGS").unwrap_or_else(|_| "Leptos.toml".into());
        let dashboard = read_dashboard_settings(Path::new(&path))?;
        Ok(Settings {
            database,
            dashboard,
        })
    }
}
/// How the dashboard opens `database`. A page view waits at most 3 s for a connection,
/// then shows the error panel. The dashboard only reads: on Postgres its role may not
/// create tables, so it checks the schema and leaves migrating to the ingest (`ingest
/// migrate`); a SQLite file is the dashboard's own, and a fresh one needs its schema.
pub fn dashboard_database(mut database: DatabaseSettings) -> DatabaseSettings {
    database.options.acquire_timeout = Duration::from_secs(3);
    database.migrate = database.is_sqlite();
    database
}

/// The `[dashboard]` table of `path`. A missing file means the defaults; a file that is
/// there but wrong is an error, so a typo never silently falls back.
pub fn read_dashboard_settings(path: &Path) -> Result<DashboardSettings, ConfigError> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        dashboard: DashboardSettings,
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), "settings file not found, using defaults");
            return Ok(DashboardSettings::default());
        }
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let file: File = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: e.message().to_string(),
    })?;
    Ok(file.dashboard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_settings_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
        let s = read_dashboard_settings(&path).expect("Leptos.toml parses");
        assert_eq!(s.coin_for("BTC"), Some("bitcoin"));
        assert!(!s.title.is_empty());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = std::env::temp_dir().join(format!("tb-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.toml");
        std::fs::write(&path, "[dashboard]\ntitel = \"x\"\n").unwrap();
        let err = read_dashboard_settings(&path).unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
    }
}
