//! Settings from the environment (or `.env`): the database (parsed by the store, as
//! for every program of ours), and the sources: API keys and the base URLs of the
//! outside services, which tests point at a server on loopback.

use secrecy::SecretString;
use std::time::Duration;
use store::{DatabaseSettings, SettingError};
use url::Url;

pub const DEFAULT_ALPHAVANTAGE_URL: &str = "https://www.alphavantage.co";
pub const DEFAULT_UTODAY_URL: &str = "https://u.today";
pub const DEFAULT_OPENWEATHER_URL: &str = "https://api.openweathermap.org";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not a valid URL: {reason}")]
    BadUrl { name: &'static str, reason: String },
    #[error("{name} must be {expected}, not {value:?}")]
    BadValue {
        name: &'static str,
        expected: &'static str,
        value: String,
    },
    #[error(transparent)]
    Database(#[from] SettingError),
}

/// Everything the ingest CLI (and the Lambda pipeline) is configured with.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `url: None`: the same zero-setup SQLite file the dashboard uses.
    pub database: DatabaseSettings,
    pub sources: SourceSettings,
}

/// What fetching needs, and nothing of the database: the fetch Lambda has only this.
#[derive(Clone, Debug)]
pub struct SourceSettings {
    pub alphavantage_key: Option<SecretString>,
    pub openweather_key: Option<SecretString>,
    pub alphavantage_url: Url,
    pub utoday_url: Url,
    pub openweather_url: Url,
    /// Per request, connect included.
    pub http_timeout: Duration,
    /// Extra attempts for a request that failed in a way a retry can fix.
    pub http_retries: usize,
    /// First pause between attempts; doubles each time.
    pub retry_delay: Duration,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            alphavantage_key: None,
            openweather_key: None,
            alphavantage_url: Url::parse(DEFAULT_ALPHAVANTAGE_URL).expect("valid"),
            utoday_url: Url::parse(DEFAULT_UTODAY_URL).expect("valid"),
            openweather_url: Url::parse(DEFAULT_OPENWEATHER_URL).expect("valid"),
            http_timeout: Duration::from_secs(20),
            http_retries: 2,
            retry_delay: Duration::from_secs(2),
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    /// Reads `.env` (if present) and the environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let _ = dotenvy::dotenv();
        Ok(Settings {
            database: DatabaseSettings::from_env()?,
            sources: SourceSettings::from_env()?,
        })
    }
}

impl SourceSettings {
    /// Reads the keys, base URLs and HTTP settings from the environment.
    pub fn from_env() -> Result<SourceSettings, ConfigError> {
        let url = |name: &'static str, default: &str| -> Result<Url, ConfigError> {
            let raw = var(name).unwrap_or_else(|| default.to_string());
            Url::parse(raw.trim()).map_err(|e| ConfigError::BadUrl {
                name,
                reason: e.to_string(),
            })
        };
        let defaults = SourceSettings::default();
        let http_timeout = match var("INGEST_HTTP_TIMEOUT_SECS") {
            None => defaults.http_timeout,
            Some(v) => {
                Duration::from_secs_f64(v.trim().parse::<f64>().ok().filter(|s| *s > 0.0).ok_or(
                    ConfigError::BadValue {
                        name: "INGEST_HTTP_TIMEOUT_SECS",
                        expected: "a positive number of seconds",
                        value: v.clone(),
                    },
                )?)
            }
        };
        Ok(SourceSettings {
            alphavantage_key: var("ALPHAVANTAGE_API_KEY").map(SecretString::from),
            openweather_key: var("OPENWEATHER_API_KEY").map(SecretString::from),
            alphavantage_url: url("ALPHAVANTAGE_URL", DEFAULT_ALPHAVANTAGE_URL)?,
            utoday_url: url("UTODAY_URL", DEFAULT_UTODAY_URL)?,
            openweather_url: url("OPENWEATHER_URL", DEFAULT_OPENWEATHER_URL)?,
            http_timeout,
            ..defaults
        })
    }
}
