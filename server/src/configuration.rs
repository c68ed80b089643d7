//! Settings, from three places, each owning its own keys:
//!
//! - the environment (or a `.env` file): `DATABASE_URL`, `DATABASE_POOL_MODE`,
//!   `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`, `TICKERBOARD_SETTINGS`;
//! - `Leptos.toml`, table `[dashboard]`: what the page shows (title, default symbol,
//!   coin per symbol, headline count);
//! - `Cargo.toml`, `[[workspace.metadata.leptos]]`: how cargo-leptos builds the site
//!   (it reaches the server through the `LEPTOS_*` variables cargo-leptos sets, or the
//!   defaults compiled in).

use app::settings::DashboardSettings;
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
use store::PoolMode;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{0}")]
    Env(String),
}

/// Everything the server needs to start.
#[derive(Debug)]
pub struct Settings {
    /// `None`: the zero-setup SQLite file.
    pub database_url: Option<SecretString>,
    pub pool_mode: PoolMode,
    pub dashboard: DashboardSettings,
}

impl Settings {
    /// Reads `.env` (if present), the environment, and the dashboard settings file.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let _ = dotenvy::dotenv();
        let database_url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(SecretString::from);
        let pool_mode = std::env::var("DATABASE_POOL_MODE")
            .unwrap_or_default()
            .parse()
            .map_err(ConfigError::Env)?;
        let path = std::env::var("TICKERBOARD_SETTINGS").unwrap_or_else(|_| "Leptos.toml".into());
        let dashboard = read_dashboard_settings(Path::new(&path))?;
        Ok(Settings {
            database_url,
            pool_mode,
            dashboard,
        })
    }

    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_ref().map(|s| s.expose_secret())
    }
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
