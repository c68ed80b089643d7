//! Settings from the environment (or `.env`): the database (parsed by the store, as
//! for every program of ours), and the sources: API keys and the base URLs of the
//! outside services, which tests point at a server on loopback.

use crate::http::BodyLimit;
use secrecy::SecretString;
use std::fmt::Display;
use std::ops::RangeInclusive;
use std::str::FromStr;
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
    #[error("{name} must be a number from {range}, not {value:?}")]
    OutOfRange {
        name: &'static str,
        range: String,
        value: String,
    },
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
    /// The most bytes an answer of each service may have: each default is the largest
    /// real answer (a full-history series, a listing page, the RSS feed, one city's
    /// weather) several times over.
    pub alphavantage_max_bytes: u64,
    pub utoday_max_bytes: u64,
    pub openweather_max_bytes: u64,
    /// How long reading one HTML page or feed may take before the run fails.
    pub parse_budget: Duration,
    /// The zone U.Today's listing times are in (they state none): `UTODAY_TIMEZONE`.
    pub utoday_timezone: chrono_tz::Tz,
    /// The least time between two Alpha Vantage calls: its free tier limits requests
    /// per second as well as per day.
    pub alphavantage_interval: Duration,
}

/// The numeric settings: name, default, accepted range, unit. Each is checked at start.
pub const HTTP_TIMEOUT_SECS: NumberSetting<f64> =
    NumberSetting::new("INGEST_HTTP_TIMEOUT_SECS", 20.0, 0.1..=300.0, " seconds");
pub const HTTP_RETRIES: NumberSetting<u64> =
    NumberSetting::new("INGEST_HTTP_RETRIES", 2, 0..=5, " retries");
pub const RETRY_DELAY_SECS: NumberSetting<f64> =
    NumberSetting::new("INGEST_RETRY_DELAY_SECS", 2.0, 0.0..=60.0, " seconds");
pub const ALPHAVANTAGE_MIN_INTERVAL_SECS: NumberSetting<f64> = NumberSetting::new(
    "ALPHAVANTAGE_MIN_INTERVAL_SECS",
    1.1,
    0.0..=60.0,
    " seconds",
);
pub const PARSE_BUDGET_SECS: NumberSetting<f64> =
    NumberSetting::new("INGEST_PARSE_BUDGET_SECS", 10.0, 0.1..=300.0, " seconds");
pub const ALPHAVANTAGE_MAX_BYTES: NumberSetting<u64> = NumberSetting::new(
    "ALPHAVANTAGE_MAX_BYTES",
    32 << 20,
    1024..=(1 << 30),
    " bytes",
);
pub const UTODAY_MAX_BYTES: NumberSetting<u64> =
    NumberSetting::new("UTODAY_MAX_BYTES", 8 << 20, 1024..=(1 << 30), " bytes");
pub const OPENWEATHER_MAX_BYTES: NumberSetting<u64> = NumberSetting::new(
    "OPENWEATHER_MAX_BYTES",
    256 << 10,
    1024..=(1 << 30),
    " bytes",
);

/// A number read from the environment, checked against its range before it is used, so
/// a bad value is one clear line at start and never a panic later (`inf`, `NaN`,
/// `1e20` seconds and negative counts included).
pub struct NumberSetting<T: 'static> {
    pub name: &'static str,
    pub default: T,
    pub range: RangeInclusive<T>,
    pub unit: &'static str,
}

impl<T: Copy + PartialOrd + FromStr + Display> NumberSetting<T> {
    pub const fn new(
        name: &'static str,
        default: T,
        range: RangeInclusive<T>,
        unit: &'static str,
    ) -> Self {
        NumberSetting {
            name,
            default,
            range,
            unit,
        }
    }

    /// The environment's value, or the default when unset or blank.
    pub fn from_env(&self) -> Result<T, ConfigError> {
        let Some(raw) = var(self.name) else {
            return Ok(self.default);
        };
        match raw.trim().parse::<T>() {
            Ok(n) if self.range.contains(&n) => Ok(n),
            _ => Err(ConfigError::OutOfRange {
                name: self.name,
                range: format!(
                    "{} to {}{}",
                    self.range.start(),
                    self.range.end(),
                    self.unit
                ),
                value: raw,
            }),
        }
    }
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            alphavantage_key: None,
            openweather_key: None,
            alphavantage_url: Url::parse(DEFAULT_ALPHAVANTAGE_URL).expect("valid"),
            utoday_url: Url::parse(DEFAULT_UTODAY_URL).expect("valid"),
            openweather_url: Url::parse(DEFAULT_OPENWEATHER_URL).expect("valid"),
            http_timeout: Duration::from_secs_f64(HTTP_TIMEOUT_SECS.default),
            http_retries: HTTP_RETRIES.default as usize,
            retry_delay: Duration::from_secs_f64(RETRY_DELAY_SECS.default),
            alphavantage_max_bytes: ALPHAVANTAGE_MAX_BYTES.default,
            utoday_max_bytes: UTODAY_MAX_BYTES.default,
            openweather_max_bytes: OPENWEATHER_MAX_BYTES.default,
            parse_budget: Duration::from_secs_f64(PARSE_BUDGET_SECS.default),
            utoday_timezone: chrono_tz::UTC,
            alphavantage_interval: Duration::from_secs_f64(ALPHAVANTAGE_MIN_INTERVAL_SECS.default),
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
        let seconds = |setting: &NumberSetting<f64>| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs_f64(setting.from_env()?))
        };
        Ok(SourceSettings {
            http_timeout: seconds(&HTTP_TIMEOUT_SECS)?,
            http_retries: HTTP_RETRIES.from_env()? as usize,
            retry_delay: seconds(&RETRY_DELAY_SECS)?,
            parse_budget: seconds(&PARSE_BUDGET_SECS)?,
            alphavantage_interval: seconds(&ALPHAVANTAGE_MIN_INTERVAL_SECS)?,
            alphavantage_max_bytes: ALPHAVANTAGE_MAX_BYTES.from_env()?,
            utoday_max_bytes: UTODAY_MAX_BYTES.from_env()?,
            openweather_max_bytes: OPENWEATHER_MAX_BYTES.from_env()?,
            utoday_timezone: match var("UTODAY_TIMEZONE") {
                None => chrono_tz::UTC,
                Some(zone) => zone.trim().parse().map_err(|_| ConfigError::BadValue {
                    name: "UTODAY_TIMEZONE",
                    expected: "an IANA time zone such as UTC or Europe/Kyiv",
                    value: zone,
                })?,
            },
            alphavantage_key: var("ALPHAVANTAGE_API_KEY").map(SecretString::from),
            openweather_key: var("OPENWEATHER_API_KEY").map(SecretString::from),
            alphavantage_url: url("ALPHAVANTAGE_URL", DEFAULT_ALPHAVANTAGE_URL)?,
            utoday_url: url("UTODAY_URL", DEFAULT_UTODAY_URL)?,
            openweather_url: url("OPENWEATHER_URL", DEFAULT_OPENWEATHER_URL)?,
        })
    }

    pub fn alphavantage_limit(&self) -> BodyLimit {
        BodyLimit {
            bytes: self.alphavantage_max_bytes,
            setting: ALPHAVANTAGE_MAX_BYTES.name,
        }
    }

    pub fn utoday_limit(&self) -> BodyLimit {
        BodyLimit {
            bytes: self.utoday_max_bytes,
            setting: UTODAY_MAX_BYTES.name,
        }
    }

    pub fn openweather_limit(&self) -> BodyLimit {
        BodyLimit {
            bytes: self.openweather_max_bytes,
            setting: OPENWEATHER_MAX_BYTES.name,
        }
    }
}

/// Every numeric setting's name, for the tests that try a bad value of each.
pub const NUMBER_SETTINGS: &[&str] = &[
    HTTP_TIMEOUT_SECS.name,
    HTTP_RETRIES.name,
    RETRY_DELAY_SECS.name,
    PARSE_BUDGET_SECS.name,
    ALPHAVANTAGE_MIN_INTERVAL_SECS.name,
    ALPHAVANTAGE_MAX_BYTES.name,
    UTODAY_MAX_BYTES.name,
    OPENWEATHER_MAX_BYTES.name,
];
