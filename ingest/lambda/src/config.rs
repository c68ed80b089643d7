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
use store::Symbol;

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
}

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
        })
    }

    /// The jobs for `items` (the configured ones unless an event overrides them).
    pub fn jobs(&self, items: &[String]) -> Result<Vec<Job>, ConfigError> {
        let kind = self.job.ok_or(ConfigError::Missing("TICKERBOARD_JOB"))?;
        if items.is_empty() {
            return Err(ConfigError::Missing("TICKERBOARD_ITEMS"));
        }
        let symbol = |s: &String| {
            Symbol::parse(s).map_err(|e| ConfigError::Invalid {
                name: "TICKERBOARD_ITEMS",
                message: format!("{s:?}: {e}"),
            })
        };
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
                .map(|c| Job::News {
                    coin: c.to_ascii_lowercase(),
                })
                .collect(),
            JobKind::Weather => vec![Job::Weather {
                cities: items.to_vec(),
            }],
        })
    }
}

/// The ingest settings from the environment, with secrets from SSM Parameter Store
/// (SecureString, decrypted) when `SSM_PARAMETER_PREFIX` is set.
pub async fn ingest_settings(
    config: &FunctionConfig,
    aws: &aws_config::SdkConfig,
) -> Result<Settings, ConfigError> {
    let mut settings = Settings::from_env().map_err(|e| ConfigError::Invalid {
        name: "environment",
        message: e.to_string(),
    })?;
    let Some(prefix) = &config.ssm_prefix else {
        return Ok(settings);
    };
    let ssm = aws_sdk_ssm::Client::new(aws);
    let names = [
        "database-url",
        "alphavantage-api-key",
        "openweather-api-key",
    ]
    .map(|n| format!("{prefix}{n}"));
    let answer = ssm
        .get_parameters()
        .set_names(Some(names.to_vec()))
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
            Some("database-url") => settings.database_url = secret,
            Some("alphavantage-api-key") => settings.alphavantage_key = secret,
            Some("openweather-api-key") => settings.openweather_key = secret,
            _ => {}
        }
    }
    if settings.database_url.is_none() {
        return Err(ConfigError::Ssm {
            name: format!("{prefix}database-url"),
            message: "not found".into(),
        });
    }
    Ok(settings)
}
