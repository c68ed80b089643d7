//! One module per outside service. Each turns the service's answer into typed rows,
//! setting aside the rows it cannot read (with their reasons), or fails with the
//! service's own words.

pub mod alphavantage;
pub mod openweather;
pub mod utoday;

use crate::http::{FetchError, Secrets};
use crate::report::Rejection;

/// Rows read from a source, and the ones it could not read.
#[derive(Debug)]
pub struct Parsed<T> {
    pub rows: Vec<T>,
    pub rejections: Vec<Rejection>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            rows: Vec::new(),
            rejections: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The service said no, in its own words (Alpha Vantage's `Information`, an
    /// OpenWeatherMap `message`).
    #[error("{service} refused: {message}")]
    Refused {
        service: &'static str,
        message: String,
    },
    /// The service will not answer now: its rate limit, its daily quota or the plan
    /// (Alpha Vantage's `Note` and `Information`). Asking again today spends more of
    /// the quota for nothing, so this is never retried.
    #[error("{service} refused for now (rate limit, daily quota or plan): {message}")]
    RateLimited {
        service: &'static str,
        message: String,
    },
    /// The answer is not what the service documents.
    #[error("{service} answered something unexpected: {detail}")]
    Unexpected {
        service: &'static str,
        detail: String,
    },
    /// A setting the source needs is missing.
    #[error("{0} is not set")]
    MissingSetting(&'static str),
    /// A page that used to have rows has none: its layout probably changed.
    #[error("{0}")]
    NothingFound(String),
}

impl SourceError {
    /// A refusal for now (quota, rate, plan): trying again today will not help.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, SourceError::RateLimited { .. })
    }

    /// The same error with every secret cut out of the words it carries.
    pub fn scrubbed(self, secrets: &Secrets) -> SourceError {
        match self {
            SourceError::Fetch(e) => SourceError::Fetch(e.scrubbed(secrets)),
            SourceError::Refused { service, message } => SourceError::Refused {
                service,
                message: secrets.scrub(&message),
            },
            SourceError::RateLimited { service, message } => SourceError::RateLimited {
                service,
                message: secrets.scrub(&message),
            },
            SourceError::Unexpected { service, detail } => SourceError::Unexpected {
                service,
                detail: secrets.scrub(&detail),
            },
            SourceError::NothingFound(what) => SourceError::NothingFound(secrets.scrub(&what)),
            missing @ SourceError::MissingSetting(_) => missing,
        }
    }
}

impl FetchError {
    fn scrubbed(self, secrets: &Secrets) -> FetchError {
        match self {
            FetchError::Timeout { url, timeout } => FetchError::Timeout {
                url: secrets.scrub(&url),
                timeout,
            },
            FetchError::Unreachable { url, reason } => FetchError::Unreachable {
                url: secrets.scrub(&url),
                reason: secrets.scrub(&reason),
            },
            FetchError::TooLarge {
                url,
                limit,
                setting,
            } => FetchError::TooLarge {
                url: secrets.scrub(&url),
                limit,
                setting,
            },
            FetchError::Redirected { url, reason } => FetchError::Redirected {
                url: secrets.scrub(&url),
                reason: secrets.scrub(&reason),
            },
        }
    }
}
