//! A function's environment, set by the SAM template for each deployed function.
//!
//! | variable | meaning |
//! |---|---|
//! | `TICKERBOARD_JOB` | `prices`, `crypto`, `news` or `weather` (fetch and pipeline) |
//! | `TICKERBOARD_ITEMS` | comma-separated symbols, coins or cities |
//! | `CRYPTO_MARKET` | market for crypto prices, default `USD` |
//! | `REPORT_TOPIC_ARN` | SNS topic for every run report (optional) |
//! | `ALERT_TOPIC_ARN` | SNS topic for failed runs (optional) |
//! | `EXPORT_BUCKET`, `EXPORT_PREFIX` | write each stored batch as CSV to S3 (optional) |
//! | `SSM_PARAMETER_PREFIX` | read `database-url`, `alphavantage-api-key`, `openweather-api-key` as SecureStrings under it |
//!
//! plus the ingest's own settings (`DATABASE_URL`, `DATABASE_POOL_MODE`, the base URLs),
//! which SSM values override.

use ingest::{Job, Settings};
use secrecy::SecretString;
use store::{City, Coin, Symbol};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name}: {message}")]
    Invalid { name: &'static str, message: String },
    #[error("reading SSM parameter {name}: {message}")]
    Ssm { name: String, message: String },
}

/// What kind of job a fetch or pipeline function does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Prices,
    Crypto,
    News,
    Weather,
}

#[derive(Clone, Debug)]
pub struct FunctionConfig {
    pub job: Option<JobKind>,
    pub items: Vec<String>,
    pub crypto_market: String,
    pub report_topic: Option<String>,
    pub alert_topic: Option<String>,
    pub export_bucket: Option<String>,
    pub export_prefix: String,
    pub ssm_prefix: Option<String>,
    /// How many days of bars a fetch function passes on (`FETCH_WINDOW_DAYS`): what a
    /// daily run needs, and small enough for a Destinations record by construction.
    pub window_days: u32,
}

/// `FETCH_WINDOW_DAYS`: 10 days covers a long weekend and a missed day or two.
pub const FETCH_WINDOW_DAYS: ingest::config::NumberSetting<u32> =
    ingest::config::NumberSetting::new("FETCH_WINDOW_DAYS", 10, 1..=3650, " days");

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl FunctionConfig {
    pub fn from_env() -> Result<FunctionConfig, ConfigError> {
        let job = match var("TICKERBOARD_JOB").as_deref() {
            None => None,
            Some("prices") => Some(JobKind::Prices),
            Some("crypto") => Some(JobKind::Crypto),
            Some("news") => Some(JobKind::News),
            Some("weather") => Some(JobKind::Weather),
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "TICKERBOARD_JOB",
                    message: format!("must be prices, crypto, news or weather, not {other:?}"),
                })
            }
        };
        Ok(FunctionConfig {
            job,
            items: var("TICKERBOARD_ITEMS")
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            crypto_market: var("CRYPTO_MARKET")
                .unwrap_or_else(|| "USD".into())
                .to_ascii_uppercase(),
            report_topic: var("REPORT_TOPIC_ARN"),
            alert_topic: var("ALERT_TOPIC_ARN"),
            export_bucket: var("EXPORT_BUCKET"),
            export_prefix: var("EXPORT_PREFIX").unwrap_or_else(|| "tickerboard".into()),
            ssm_prefix: var("SSM_PARAMETER_PREFIX"),
            window_days: FETCH_WINDOW_DAYS
                .from_env()
                .map_err(|e| ConfigError::Invalid {
                    name: FETCH_WINDOW_DAYS.name,
                    message: e.to_string(),
                })?,
        })
    }

    /// The jobs for `items` (the configured ones unless an event overrides them).
    pub fn jobs(&self, items: &[String]) -> Result<Vec<Job>, ConfigError> {
        let kind = self.job.ok_or(ConfigError::Missing("TICKERBOARD_JOB"))?;
        if items.is_empty() {
            return Err(ConfigError::Missing("TICKERBOARD_ITEMS"));
        }
        // Each item is parsed as the domain type it is before any URL is built: an
        // override in an event that names something else is refused, not fetched.
        fn valid<T, E: std::fmt::Display>(
            item: &str,
            parse: impl Fn(&str) -> Result<T, E>,
        ) -> Result<T, ConfigError> {
            parse(item).map_err(|e| ConfigError::Invalid {
                name: "TICKERBOARD_ITEMS",
                message: format!("{item:?}: {e}"),
            })
        }
        let symbol = |s: &String| valid(s, Symbol::parse);
        Ok(match kind {
            JobKind::Prices => items
                .iter()
                .map(|s| {
                    Ok(Job::Prices {
                        symbol: symbol(s)?,
                        full: false,
                    })
                })
                .collect::<Result<_, _>>()?,
            JobKind::Crypto => items
                .iter()
                .map(|s| {
                    Ok(Job::Crypto {
                        symbol: symbol(s)?,
                        market: self.crypto_market.clone(),
                    })
                })
                .collect::<Result<_, _>>()?,
            JobKind::News => items
                .iter()
                .map(|c| {
                    Ok(Job::News {
                        coin: valid(c, Coin::parse)?,
                    })
                })
                .collect::<Result<_, _>>()?,
            JobKind::Weather => vec![Job::Weather {
                cities: items
                    .iter()
                    .map(|c| valid(c, City::parse))
                    .collect::<Result<_, _>>()?,
            }],
        })
    }
}

/// Which function this is: it decides which SSM parameters (names under
/// `SSM_PARAMETER_PREFIX`) are read. Each function's role may read only those, so a
/// fetch function never sees the database URL and the store function no API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Fetch,
    Store,
    Pipeline,
}

impl FunctionConfig {
    /// The SSM parameter names this function reads.
    pub fn secret_names(&self, role: Role) -> Vec<&'static str> {
        let key = match self.job {
            Some(JobKind::Prices) | Some(JobKind::Crypto) => Some("alphavantage-api-key"),
            Some(JobKind::Weather) => Some("openweather-api-key"),
            Some(JobKind::News) | None => None,
        };
        match role {
            Role::Fetch => key.into_iter().collect(),
            Role::Store => vec!["database-url"],
            Role::Pipeline => std::iter::once("database-url").chain(key).collect(),
        }
    }
}

/// The ingest settings from the environment, with secrets from SSM Parameter Store
/// (SecureString, decrypted) when `SSM_PARAMETER_PREFIX` is set.
pub async fn ingest_settings(
    config: &FunctionConfig,
    aws: &aws_config::SdkConfig,
    role: Role,
) -> Result<Settings, ConfigError> {
    let mut settings = Settings::from_env().map_err(|e| ConfigError::Invalid {
        name: "environment",
        message: e.to_string(),
    })?;
    let wanted = config.secret_names(role);
    if let Some(prefix) = config.ssm_prefix.as_ref().filter(|_| !wanted.is_empty()) {
        let ssm = aws_sdk_ssm::Client::new(aws);
        let names: Vec<String> = wanted.iter().map(|n| format!("{prefix}{n}")).collect();
        let answer = ssm
            .get_parameters()
            .set_names(Some(names))
            .with_decryption(true)
            .send()
            .await
            .map_err(|e| ConfigError::Ssm {
                name: format!("{prefix}*"),
                message: aws_sdk_ssm::error::DisplayErrorContext(e).to_string(),
            })?;
        for parameter in answer.parameters() {
            let (Some(name), Some(value)) = (parameter.name(), parameter.value()) else {
                continue;
            };
            let secret = Some(SecretString::from(value.to_string()));
            match name.strip_prefix(prefix.as_str()) {
                Some("database-url") => settings.database.url = secret,
                Some("alphavantage-api-key") => settings.sources.alphavantage_key = secret,
                Some("openweather-api-key") => settings.sources.openweather_key = secret,
                _ => {}
            }
        }
    }
    // A Lambda's working directory is read-only: the zero-setup SQLite default is no
    // default there.
    if role != Role::Fetch && settings.database.url.is_none() {
        return Err(match &config.ssm_prefix {
            Some(prefix) => ConfigError::Ssm {
                name: format!("{prefix}database-url"),
                message: "not found".into(),
            },
            None => ConfigError::Missing(
                "DATABASE_URL (or SSM_PARAMETER_PREFIX with a database-url parameter)",
            ),
        });
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(job: Option<JobKind>) -> FunctionConfig {
        FunctionConfig {
            job,
            items: vec!["IBM".into()],
            crypto_market: "USD".into(),
            report_topic: None,
            alert_topic: None,
            export_bucket: None,
            export_prefix: "x".into(),
            ssm_prefix: Some("/tickerboard/".into()),
            window_days: 10,
        }
    }

    #[test]
    fn each_function_reads_only_its_secrets() {
        assert_eq!(
            config(Some(JobKind::Prices)).secret_names(Role::Fetch),
            vec!["alphavantage-api-key"]
        );
        assert_eq!(
            config(Some(JobKind::Weather)).secret_names(Role::Fetch),
            vec!["openweather-api-key"]
        );
        assert!(config(Some(JobKind::News))
            .secret_names(Role::Fetch)
            .is_empty());
        assert_eq!(config(None).secret_names(Role::Store), vec!["database-url"]);
        assert_eq!(
            config(Some(JobKind::Prices)).secret_names(Role::Pipeline),
            vec!["database-url", "alphavantage-api-key"]
        );
    }

    #[test]
    fn jobs_from_items() {
        let jobs = config(Some(JobKind::Prices))
            .jobs(&["ibm".into(), "TSLA".into()])
            .unwrap();
        assert_eq!(jobs.len(), 2);
        assert!(config(Some(JobKind::Prices))
            .jobs(&["IBM';--".into()])
            .is_err());
        assert!(config(None).jobs(&["IBM".into()]).is_err());
        assert!(config(Some(JobKind::Prices)).jobs(&[]).is_err());
        let weather = config(Some(JobKind::Weather))
            .jobs(&["London".into(), "Paris".into()])
            .unwrap();
        assert_eq!(weather.len(), 1, "one weather run for all cities");
        let news = |items: &[&str]| {
            let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
            config(Some(JobKind::News)).jobs(&items)
        };
        assert!(news(&["Bitcoin"]).is_ok());
        let refused = news(&["//evil.example/x"]).unwrap_err().to_string();
        assert!(refused.contains("TICKERBOARD_ITEMS"), "{refused}");
        assert!(config(Some(JobKind::Weather))
            .jobs(&["London&appid=x".into()])
            .is_err());
    }
}
