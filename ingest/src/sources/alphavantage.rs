//! Alpha Vantage: `TIME_SERIES_DAILY` for stocks, `DIGITAL_CURRENCY_DAILY` for crypto.
//!
//! Its errors come as HTTP 200 with a body keyed `Error Message`, `Note` or
//! `Information` instead of the series; values are decimal strings.

use super::{Parsed, SourceError};
use crate::http::{excerpt, BodyLimit, Http};
use crate::report::Rejection;
use chrono::NaiveDate;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use store::{DailyBar, Symbol};
use url::Url;

const SERVICE: &str = "Alpha Vantage";
const STOCK_SERIES: &str = "Time Series (Daily)";
const CRYPTO_SERIES: &str = "Time Series (Digital Currency Daily)";
/// Keys Alpha Vantage uses for a refusal instead of data, and whether each means "not
/// now" (the per-minute limit, the daily quota, a premium-only call) rather than "not
/// this call" (an invalid symbol or function).
const REFUSAL_KEYS: &[(&str, bool)] = &[
    ("Error Message", false),
    ("Note", true),
    ("Information", true),
];

pub struct AlphaVantage<'a> {
    pub http: &'a Http,
    pub base: &'a Url,
    /// The most bytes an answer may have.
    pub limit: BodyLimit,
    pub key: Option<&'a SecretString>,
}

impl AlphaVantage<'_> {
    fn url(&self, params: &[(&str, &str)]) -> Result<Url, SourceError> {
        let key = self
            .key
            .ok_or(SourceError::MissingSetting("ALPHAVANTAGE_API_KEY"))?;
        let mut url = self
            .base
            .join("query")
            .map_err(|e| SourceError::Unexpected {
                service: SERVICE,
                detail: format!("ALPHAVANTAGE_URL cannot take a path: {e}"),
            })?;
        url.query_pairs_mut()
            .extend_pairs(params)
            .append_pair("apikey", key.expose_secret());
        Ok(url)
    }

    /// Daily bars of a stock: the last 100 days, or with `full` the whole history.
    pub async fn stock_daily(
        &self,
        symbol: &Symbol,
        full: bool,
    ) -> Result<Parsed<DailyBar>, SourceError> {
        let url = self.url(&[
            ("function", "TIME_SERIES_DAILY"),
            ("symbol", symbol.as_str()),
            ("outputsize", if full { "full" } else { "compact" }),
        ])?;
        let fetched = self.http.get(&url, self.limit).await?;
        check_status(fetched.status, &fetched.body)?;
        parse_series(&fetched.body, STOCK_SERIES, symbol, "USD")
    }

    /// Daily bars of a digital currency in `market` (USD, EUR, …).
    pub async fn crypto_daily(
        &self,
        symbol: &Symbol,
        market: &str,
    ) -> Result<Parsed<DailyBar>, SourceError> {
        let url = self.url(&[
            ("function", "DIGITAL_CURRENCY_DAILY"),
            ("symbol", symbol.as_str()),
            ("market", market),
        ])?;
        let fetched = self.http.get(&url, self.limit).await?;
        check_status(fetched.status, &fetched.body)?;
        parse_series(&fetched.body, CRYPTO_SERIES, symbol, market)
    }
}

fn check_status(status: reqwest::StatusCode, body: &str) -> Result<(), SourceError> {
    if status.is_success() {
        return Ok(());
    }
    Err(SourceError::Unexpected {
        service: SERVICE,
        detail: format!("HTTP {status}: {}", excerpt(body)),
    })
}

/// Reads a daily series from a response body. A refusal body, a body that is not JSON
/// (an HTML error page, a cut-off answer) or one without the series is an error; a day
/// whose values cannot be read is a rejection.
pub fn parse_series(
    body: &str,
    series_key: &str,
    symbol: &Symbol,
    market: &str,
) -> Result<Parsed<DailyBar>, SourceError> {
    let value: Value = serde_json::from_str(body).map_err(|e| {
        let trimmed = body.trim_start();
        let what = if trimmed.starts_with('<') {
            "an HTML page instead of JSON".to_string()
        } else if trimmed.is_empty() {
            "an empty body".to_string()
        } else {
            format!("malformed JSON ({e})")
        };
        SourceError::Unexpected {
            service: SERVICE,
            detail: format!("{what}: {}", excerpt(body)),
        }
    })?;
    let Some(object) = value.as_object() else {
        return Err(SourceError::Unexpected {
            service: SERVICE,
            detail: format!("not a JSON object: {}", excerpt(body)),
        });
    };
    for (key, for_now) in REFUSAL_KEYS {
        if let Some(message) = object.get(*key) {
            let message = message
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| message.to_string());
            let message = format!("{key}: {message}");
            return Err(if *for_now {
                SourceError::RateLimited {
                    service: SERVICE,
                    message,
                }
            } else {
                SourceError::Refused {
                    service: SERVICE,
                    message,
                }
            });
        }
    }
    let Some(series) = object.get(series_key).and_then(Value::as_object) else {
        let keys: Vec<_> = object.keys().map(String::as_str).collect();
        return Err(SourceError::Unexpected {
            service: SERVICE,
            detail: format!("no {series_key:?} in the response (keys: {keys:?})"),
        });
    };

    let mut parsed = Parsed::default();
    for (date, fields) in series {
        let key = format!("{symbol} {date}");
        match read_day(date, fields, market) {
            Ok((date, ohlcv)) => {
                parsed
                    .rows
                    .push(DailyBar::from_ohlcv(symbol.clone(), date, ohlcv))
            }
            Err(reason) => parsed.rejections.push(Rejection::new(key, reason)),
        }
    }
    parsed.rows.sort_by_key(|b| b.date);
    Ok(parsed)
}

fn read_day(date: &str, fields: &Value, market: &str) -> Result<(NaiveDate, [f64; 5]), String> {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|e| format!("date {date:?} does not parse: {e}"))?;
    let fields = fields.as_object().ok_or("the day is not an object")?;
    let mut values = [0.0; 5];
    for (i, name) in ["open", "high", "low", "close", "volume"]
        .into_iter()
        .enumerate()
    {
        let raw = field(fields, i + 1, name, market).ok_or_else(|| format!("no {name} value"))?;
        values[i] = raw
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("{name} {raw:?} is not a number"))?;
    }
    Ok((date, values))
}

/// Finds a value under the key layouts Alpha Vantage has used: `"1. open"` (stocks and
/// current crypto), `"1a. open (EUR)"` (old crypto, in the market asked for), or
/// `"1b. open (USD)"` (old crypto, USD column).
fn field<'v>(
    fields: &'v Map<String, Value>,
    n: usize,
    name: &str,
    market: &str,
) -> Option<&'v str> {
    let candidates = [
        format!("{n}. {name}"),
        format!("{n}a. {name} ({market})"),
        format!("{n}b. {name} ({market})"),
        format!("{n}b. {name} (USD)"),
        format!("{n}. {name} ({market})"),
        format!("{n}. {name} (USD)"),
    ];
    candidates
        .iter()
        .find_map(|k| fields.get(k))
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ibm() -> Symbol {
        Symbol::parse("IBM").unwrap()
    }

    #[test]
    fn old_crypto_layout_reads_the_market_columns() {
        let body = r#"{"Meta Data": {}, "Time Series (Digital Currency Daily)": {
            "2022-01-02": {"1a. open (CNY)": "300000.0", "1b. open (USD)": "47000.5",
                           "2a. high (CNY)": "310000.0", "2b. high (USD)": "47900.0",
                           "3a. low (CNY)": "290000.0", "3b. low (USD)": "46600.0",
                           "4a. close (CNY)": "305000.0", "4b. close (USD)": "47300.1",
                           "5. volume": "27.5", "6. market cap (USD)": "27.5"}}}"#;
        let usd = parse_series(body, CRYPTO_SERIES, &Symbol::parse("BTC").unwrap(), "USD").unwrap();
        assert_eq!(usd.rows[0].open, 47000.5);
        assert_eq!(usd.rows[0].close, 47300.1);
        assert_eq!(usd.rows[0].volume, 27.5);
        let cny = parse_series(body, CRYPTO_SERIES, &Symbol::parse("BTC").unwrap(), "CNY").unwrap();
        assert_eq!(cny.rows[0].open, 300000.0);
    }

    #[test]
    fn refusals_carry_the_api_words_and_say_whether_they_are_for_now() {
        for (key, for_now) in REFUSAL_KEYS {
            let body = format!(r#"{{"{key}": "the words"}}"#);
            let err = parse_series(&body, STOCK_SERIES, &ibm(), "USD").unwrap_err();
            assert_eq!(err.is_rate_limited(), *for_now, "{key}");
            let err = err.to_string();
            assert!(err.contains("the words") && err.contains(key), "{err}");
        }
    }

    #[test]
    fn html_and_broken_json_are_named() {
        let err = parse_series(
            "<html><body>502 Bad Gateway</body></html>",
            STOCK_SERIES,
            &ibm(),
            "USD",
        )
        .unwrap_err();
        assert!(err.to_string().contains("HTML page"), "{err}");
        let err = parse_series(
            r#"{"Time Series (Daily)": {"2024-01-02": {"1. open""#,
            STOCK_SERIES,
            &ibm(),
            "USD",
        )
        .unwrap_err();
        assert!(err.to_string().contains("malformed JSON"), "{err}");
        let err = parse_series(r#"{"Meta Data": {}}"#, STOCK_SERIES, &ibm(), "USD").unwrap_err();
        assert!(
            err.to_string().contains("no \"Time Series (Daily)\""),
            "{err}"
        );
    }

    #[test]
    fn unreadable_days_are_rejected_not_fatal() {
        let body = r#"{"Time Series (Daily)": {
            "2024-01-02": {"1. open": "1.0", "2. high": "2.0", "3. low": "0.5", "4. close": "1.5", "5. volume": "10"},
            "2024-01-03": {"1. open": "n/a", "2. high": "2.0", "3. low": "0.5", "4. close": "1.5", "5. volume": "10"},
            "not-a-date": {"1. open": "1.0", "2. high": "2.0", "3. low": "0.5", "4. close": "1.5", "5. volume": "10"}}}"#;
        let parsed = parse_series(body, STOCK_SERIES, &ibm(), "USD").unwrap();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rejections.len(), 2);
        assert!(parsed
            .rejections
            .iter()
            .any(|r| r.reason.contains("\"n/a\" is not a number")));
    }
}
