//! One HTTP client for every source: a user agent naming the project, a timeout, and
//! retries only for failures a retry can fix (timeouts, refused connections, 5xx).
//! An answer the service meant (a 4xx, a rate-limit body) is never retried: with 25
//! Alpha Vantage calls a day, a retry storm would spend them all.
//!
//! A broken or hostile upstream cannot bloat or misdirect us: a body is read as it
//! streams in and refused past its source's byte limit, and redirects are followed
//! only within the host that was asked (a few hops at most).

use backon::{ExponentialBuilder, Retryable};
use std::time::Duration;
use url::Url;

pub const USER_AGENT: &str = concat!(
    "tickerboard-ingest/",
    env!("CARGO_PKG_VERSION"),
    " (daily prices and headlines dashboard; polite: a few requests a day)"
);

/// Query parameters that carry secrets; they are masked wherever a URL is shown.
const SECRET_PARAMS: &[&str] = &["apikey", "appid", "api_key", "key", "token"];

/// Redirects followed at most, all within the host that was asked.
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url} did not answer within {timeout:?}")]
    Timeout { url: String, timeout: Duration },
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error(
        "{url} answered more than {limit} bytes, the limit {setting} sets; \
         raise {setting} if the service's answers have grown"
    )]
    TooLarge {
        url: String,
        limit: u64,
        setting: &'static str,
    },
    #[error("{url} redirected elsewhere ({reason}); only redirects within the service's own host are followed")]
    Redirected { url: String, reason: String },
}

/// The most bytes a source's answer may have, and the setting that raises it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimit {
    pub bytes: u64,
    pub setting: &'static str,
}

/// Why a redirect was not followed (its text ends up in [`FetchError::Redirected`]).
#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("to another host, {0}")]
    OtherHost(String),
    #[error("more than {MAX_REDIRECTS} times")]
    TooMany,
}

/// Follows a redirect only to the host the first request went to.
fn same_host_only(attempt: reqwest::redirect::Attempt<'_>) -> reqwest::redirect::Action {
    let asked = attempt.previous().first().and_then(|u| u.host_str());
    let target = attempt.url().host_str().unwrap_or_default().to_string();
    if attempt.previous().len() > MAX_REDIRECTS {
        attempt.error(RedirectRefused::TooMany)
    } else if asked == Some(target.as_str()) {
        attempt.follow()
    } else {
        attempt.error(RedirectRefused::OtherHost(target))
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Fetched {
    pub status: reqwest::StatusCode,
    pub content_type: String,
    pub body: String,
}

#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    timeout: Duration,
    retries: usize,
    retry_delay: Duration,
}

impl Http {
    pub fn new(timeout: Duration, retries: usize, retry_delay: Duration) -> Http {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::custom(same_host_only))
            .build()
            .expect("a client with a timeout and a user agent builds");
        Http {
            client,
            timeout,
            retries,
            retry_delay,
        }
    }

    /// GETs `url`, reading at most `limit` bytes of the answer. Transport failures and
    /// 5xx answers are retried with exponential backoff; anything else is returned as
    /// it came.
    pub async fn get(&self, url: &Url, limit: BodyLimit) -> Result<Fetched, FetchError> {
        let shown = redact(url);
        let attempt = || async {
            let mut response = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| self.transport_error(&shown, e))?;
            let status = response.status();
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            let too_large = || {
                Attempt::Failed(FetchError::TooLarge {
                    url: shown.clone(),
                    limit: limit.bytes,
                    setting: limit.setting,
                })
            };
            if response.content_length().is_some_and(|n| n > limit.bytes) {
                return Err(too_large());
            }
            // Chunk by chunk, so an endless or oversized answer stops at the limit
            // instead of filling memory.
            let mut bytes = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| self.transport_error(&shown, e))?
            {
                if (bytes.len() + chunk.len()) as u64 > limit.bytes {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            let body = String::from_utf8_lossy(&bytes).into_owned();
            if status.is_server_error() {
                return Err(Attempt::ServerError(Fetched {
                    status,
                    content_type,
                    body,
                }));
            }
            Ok(Fetched {
                status,
                content_type,
                body,
            })
        };
        let result = attempt
            .retry(
                ExponentialBuilder::default()
                    .with_min_delay(self.retry_delay)
                    .with_max_times(self.retries),
            )
            .when(|e: &Attempt| e.retryable())
            .notify(|e: &Attempt, wait: Duration| {
                tracing::warn!(url = %shown, error = %e, ?wait, "request failed, retrying");
            })
            .await;
        match result {
            Ok(fetched) => Ok(fetched),
            // The last answer was a 5xx: give it to the source, which words the error.
            Err(Attempt::ServerError(fetched)) => Ok(fetched),
            Err(Attempt::Failed(e)) => Err(e),
        }
    }

    fn transport_error(&self, shown: &str, e: reqwest::Error) -> Attempt {
        // without_url: reqwest's message would otherwise print the URL with its key.
        let e = e.without_url();
        Attempt::Failed(if e.is_redirect() {
            FetchError::Redirected {
                url: shown.to_string(),
                reason: std::error::Error::source(&e)
                    .map(ToString::to_string)
                    .unwrap_or_else(|| e.to_string()),
            }
        } else if e.is_timeout() {
            FetchError::Timeout {
                url: shown.to_string(),
                timeout: self.timeout,
            }
        } else {
            FetchError::Unreachable {
                url: shown.to_string(),
                reason: error_chain(&e),
            }
        })
    }
}

#[derive(Debug, thiserror::Error)]
enum Attempt {
    #[error("{0}")]
    Failed(FetchError),
    #[error("HTTP {}", .0.status)]
    ServerError(Fetched),
}

impl Attempt {
    fn retryable(&self) -> bool {
        matches!(
            self,
            Attempt::ServerError(_)
                | Attempt::Failed(FetchError::Timeout { .. })
                | Attempt::Failed(FetchError::Unreachable { .. })
        )
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// `url` with the values of secret query parameters replaced by `***`.
pub fn redact(url: &Url) -> String {
    if url.query().is_none() {
        return url.to_string();
    }
    let mut shown = url.clone();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
            (
                k.into_owned(),
                if secret { "***".into() } else { v.into_owned() },
            )
        })
        .collect();
    shown.query_pairs_mut().clear().extend_pairs(pairs);
    shown.to_string().replace("%2A%2A%2A", "***")
}

/// The secret values a program is configured with (API keys), to cut out of any text
/// an upstream sends back before it becomes an error, a log line, a run record, a
/// report or a notification: Alpha Vantage's daily-limit answer quotes the caller's key.
#[derive(Clone, Default)]
pub struct Secrets {
    /// Each secret as it was configured and as it looks percent-encoded in a URL.
    values: Vec<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} values)", self.values.len())
    }
}

impl Secrets {
    /// Secrets shorter than four characters are not scrubbed: they would cut ordinary
    /// words out of every message, and no real key is that short.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a secrecy::SecretString>) -> Secrets {
        use secrecy::ExposeSecret;
        let mut values = Vec::new();
        for secret in secrets {
            let raw = secret.expose_secret().trim();
            if raw.chars().count() < 4 {
                continue;
            }
            let encoded: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
            values.push(raw.to_string());
            if encoded != raw {
                values.push(encoded);
            }
        }
        // Longest first, so a key that contains another is cut whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        Secrets { values }
    }

    /// `text` with every secret replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for value in &self.values {
            if text.contains(value.as_str()) {
                text = text.replace(value.as_str(), "***");
            }
        }
        text
    }
}

/// A short excerpt of a body for an error message: one line, at most 160 characters.
pub fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 160 {
        format!("{}…", flat.chars().take(160).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_urls_are_masked() {
        let url = Url::parse(
            "https://x.test/query?function=TIME_SERIES_DAILY&symbol=IBM&apikey=SECRET123",
        )
        .unwrap();
        let shown = redact(&url);
        assert!(!shown.contains("SECRET123"), "{shown}");
        assert!(
            shown.contains("apikey=***") && shown.contains("symbol=IBM"),
            "{shown}"
        );
        let url =
            Url::parse("https://x.test/data/2.5/weather?q=London&appid=abc&units=metric").unwrap();
        assert!(!redact(&url).contains("abc"));
    }

    #[test]
    fn secrets_are_cut_out_of_upstream_text() {
        let key = secrecy::SecretString::from("AB12+cd/34");
        let short = secrecy::SecretString::from("x");
        let secrets = Secrets::new([&key, &short]);
        let said = "We have detected your API key as AB12+cd/34 and our standard API rate \
                    limit is 25 requests per day (url: ?apikey=AB12%2Bcd%2F34)";
        let scrubbed = secrets.scrub(said);
        assert!(!scrubbed.contains("AB12"), "{scrubbed}");
        assert!(scrubbed.contains("your API key as *** and") && scrubbed.contains("apikey=***"));
        assert_eq!(secrets.scrub("x marks the spot"), "x marks the spot");
        assert!(!format!("{secrets:?}").contains("AB12"));
    }

    #[test]
    fn excerpts_are_short_and_flat() {
        let long = "a\n b ".repeat(200);
        let e = excerpt(&long);
        assert!(e.chars().count() <= 161 && !e.contains('\n'));
    }
}
