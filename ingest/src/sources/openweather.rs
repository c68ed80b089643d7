//! OpenWeatherMap current weather, `units=metric`. °F is converted by us.
//!
//! `cod` is a number for 200/401/429 but the string `"404"` for an unknown city; older
//! answers lack `timezone` and `cod`.

use super::{Parsed, SourceError};
use crate::http::{excerpt, BodyLimit, Http};
use crate::report::Rejection;
use chrono::DateTime;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use store::{City, WeatherObservation};
use url::Url;

const SERVICE: &str = "OpenWeatherMap";

pub struct OpenWeather<'a> {
    pub http: &'a Http,
    pub base: &'a Url,
    /// The most bytes an answer may have.
    pub limit: BodyLimit,
    pub key: Option<&'a SecretString>,
}

#[derive(Deserialize)]
struct Current {
    id: i64,
    name: String,
    dt: i64,
    main: Main,
    #[serde(default)]
    weather: Vec<Condition>,
}

#[derive(Deserialize)]
struct Main {
    temp: f64,
    humidity: i64,
}

#[derive(Deserialize)]
struct Condition {
    description: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    cod: serde_json::Value,
    #[serde(default)]
    message: String,
}

pub use store::celsius_to_fahrenheit;

impl OpenWeather<'_> {
    /// Current weather for each city, one request each. An unknown city is a rejected
    /// row; a refused key or a rate limit fails the whole run.
    pub async fn current(
        &self,
        cities: &[City],
    ) -> Result<Parsed<WeatherObservation>, SourceError> {
        let key = self
            .key
            .ok_or(SourceError::MissingSetting("OPENWEATHER_API_KEY"))?;
        let mut parsed = Parsed::default();
        for city in cities {
            let mut url =
                self.base
                    .join("data/2.5/weather")
                    .map_err(|e| SourceError::Unexpected {
                        service: SERVICE,
                        detail: format!("OPENWEATHER_URL cannot take a path: {e}"),
                    })?;
            url.query_pairs_mut()
                .append_pair("q", city.as_str())
                .append_pair("appid", key.expose_secret())
                .append_pair("units", "metric");
            let fetched = self.http.get(&url, self.limit).await?;
            match parse_current(fetched.status.as_u16(), &fetched.body) {
                Ok(obs) => parsed.rows.push(obs),
                Err(Answer::UnknownCity(message)) => parsed
                    .rejections
                    .push(Rejection::new(city.as_str(), message)),
                Err(Answer::Fatal(e)) => return Err(e),
            }
        }
        Ok(parsed)
    }
}

/// What one city's answer amounts to when it is not an observation.
pub enum Answer {
    /// A rejected row: the service does not know the city.
    UnknownCity(String),
    /// The whole run fails (a refused key, a rate limit, an unreadable answer).
    Fatal(SourceError),
}

/// Reads one city's answer, given its HTTP status.
pub fn parse_current(status: u16, body: &str) -> Result<WeatherObservation, Answer> {
    let error = serde_json::from_str::<ErrorBody>(body).ok();
    let cod = error.as_ref().and_then(|e| match &e.cod {
        serde_json::Value::Number(n) => n.as_u64().map(|n| n as u16),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let code = match cod {
        Some(c) if c != 200 => c,
        _ => status,
    };
    if code != 200 {
        let message = error
            .map(|e| e.message)
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| excerpt(body));
        return Err(if code == 404 {
            Answer::UnknownCity(format!("{SERVICE}: {message}"))
        } else {
            Answer::Fatal(SourceError::Refused {
                service: SERVICE,
                message: format!("HTTP {code}: {message}"),
            })
        });
    }
    let current: Current = serde_json::from_str(body).map_err(|e| {
        Answer::Fatal(SourceError::Unexpected {
            service: SERVICE,
            detail: format!("{e}: {}", excerpt(body)),
        })
    })?;
    let observed_at = DateTime::from_timestamp(current.dt, 0).ok_or_else(|| {
        Answer::Fatal(SourceError::Unexpected {
            service: SERVICE,
            detail: format!("dt {} is not a time", current.dt),
        })
    })?;
    Ok(WeatherObservation {
        city: current.name,
        city_id: current.id,
        observed_at,
        temp_c: current.main.temp,
        temp_f: celsius_to_fahrenheit(current.main.temp),
        humidity: current.main.humidity,
        description: current
            .weather
            .first()
            .map(|c| c.description.clone())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion() {
        assert_eq!(celsius_to_fahrenheit(0.0), 32.0);
        assert_eq!(celsius_to_fahrenheit(100.0), 212.0);
        assert_eq!(celsius_to_fahrenheit(-40.0), -40.0);
        assert_eq!(celsius_to_fahrenheit(8.94), 48.09);
    }

    #[test]
    fn cod_as_string_or_number_and_old_bodies() {
        match parse_current(404, r#"{"cod":"404","message":"city not found"}"#) {
            Err(Answer::UnknownCity(m)) => assert!(m.contains("city not found")),
            _ => panic!("404 is an unknown city"),
        }
        match parse_current(
            429,
            r#"{"cod":429,"message":"Your account is temporary blocked"}"#,
        ) {
            Err(Answer::Fatal(e)) => assert!(e.to_string().contains("HTTP 429: Your account")),
            _ => panic!("429 fails the run"),
        }
        // An old body: no cod, no timezone.
        let old = r#"{"id":1,"name":"X","dt":1556444155,"main":{"temp":1.5,"humidity":40},"weather":[{"description":"mist"}]}"#;
        let obs = parse_current(200, old).ok().unwrap();
        assert_eq!((obs.city.as_str(), obs.temp_f), ("X", 34.7));
    }
}
