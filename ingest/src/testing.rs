//! The test kit for this crate and the ones above it (the Lambda functions, the
//! server): recorded responses, and the outside services replaced at the network
//! boundary by a real HTTP server on loopback (wiremock), reached through the base-URL
//! settings. Behind the `testing` feature: never in a release build.

use crate::config::SourceSettings;
use crate::fetch::Fetcher;
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// The keys [`Upstream::sources`] configures; tests grep every output for them.
pub const AV_KEY: &str = "test-av-key-5ecret";
pub const OWM_KEY: &str = "test-owm-key-5ecret";

/// A response body: a recorded real one from `shared/fixtures` (beside the repository,
/// or `TICKERBOARD_SHARED_FIXTURES`), or one of ours from `ingest/tests/fixtures`.
/// `name` is relative, e.g. `alphavantage/time_series_daily_IBM.json`.
pub fn fixture(name: &str) -> String {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var("TICKERBOARD_SHARED_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| crate_dir.join("../../shared/fixtures"));
    let ours = crate_dir.join("tests/fixtures");
    for dir in [&shared, &ours] {
        if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
            return text;
        }
    }
    panic!(
        "fixture {name} is in neither {} nor {}: the recorded responses live in shared/fixtures \
         beside the repository (or set TICKERBOARD_SHARED_FIXTURES)",
        shared.display(),
        ours.display()
    );
}

/// Alpha Vantage's daily-limit answer, which quotes the caller's `key` back.
pub fn refusal_quoting(key: &str) -> String {
    fixture("alphavantage/error_information_quotes_key.json").replace("{APIKEY}", key)
}

/// A 200 with a JSON body.
pub fn json(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "application/json")
}

/// A 200 with an HTML page.
pub fn html(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "text/html; charset=utf-8")
}

/// A 200 with an RSS feed.
pub fn rss(body: impl Into<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "application/rss+xml")
}

/// Alpha Vantage, U.Today and OpenWeatherMap, as one server on loopback.
pub struct Upstream {
    pub server: MockServer,
}

impl Upstream {
    pub async fn start() -> Upstream {
        Upstream {
            server: MockServer::start().await,
        }
    }

    /// `http://127.0.0.1:PORT`
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Source settings that reach this server, with [`AV_KEY`] and [`OWM_KEY`], short
    /// timeouts and one quick retry.
    pub fn sources(&self) -> SourceSettings {
        let base = Url::parse(&self.server.uri()).expect("the mock server's URI parses");
        SourceSettings {
            alphavantage_key: Some(SecretString::from(AV_KEY)),
            openweather_key: Some(SecretString::from(OWM_KEY)),
            alphavantage_url: base.clone(),
            utoday_url: base.clone(),
            openweather_url: base,
            http_timeout: Duration::from_millis(1500),
            http_retries: 1,
            retry_delay: Duration::from_millis(10),
            // Tests that are not about pacing should not wait for it.
            alphavantage_interval: Duration::ZERO,
            ..SourceSettings::default()
        }
    }

    /// A fetcher with [`Upstream::sources`].
    pub fn fetcher(&self) -> Fetcher {
        Fetcher::new(self.sources())
    }

    /// Alpha Vantage answers `response` to any query for `symbol`.
    pub async fn alphavantage(&self, symbol: &str, response: ResponseTemplate) {
        let request = Mock::given(path("/query")).and(query_param("symbol", symbol));
        self.answer(request, response).await;
    }

    /// A web page (U.Today's listing, its RSS feed) answers `response` at `at`.
    pub async fn page(&self, at: &str, response: ResponseTemplate) {
        self.answer(Mock::given(path(at)), response).await;
    }

    /// OpenWeatherMap answers `response` for `city`.
    pub async fn weather(&self, city: &str, response: ResponseTemplate) {
        let request = Mock::given(path("/data/2.5/weather")).and(query_param("q", city));
        self.answer(request, response).await;
    }

    /// GETs that `request` matches are answered with `response`.
    async fn answer(&self, request: MockBuilder, response: ResponseTemplate) {
        request
            .and(method("GET"))
            .respond_with(response)
            .mount(&self.server)
            .await;
    }

    /// The recorded answers most tests want: IBM's daily series, BTC in euros, Alpha
    /// Vantage's daily-limit refusal for TSLA, U.Today's bitcoin listing, London's weather.
    pub async fn with_recorded_answers() -> Upstream {
        let upstream = Upstream::start().await;
        let recorded = [
            ("IBM", "alphavantage/time_series_daily_IBM.json"),
            ("BTC", "alphavantage/digital_currency_daily_BTC_EUR.json"),
            ("TSLA", "alphavantage/error_information_rate_limit.json"),
        ];
        for (symbol, file) in recorded {
            upstream.alphavantage(symbol, json(fixture(file))).await;
        }
        upstream
            .page("/bitcoin-news", html(fixture("utoday/bitcoin-news.html")))
            .await;
        upstream
            .weather(
                "London",
                json(fixture("openweather/current_weather_London_metric.json")),
            )
            .await;
        upstream
    }

    /// How many requests the server has received.
    pub async fn requests(&self) -> usize {
        self.server
            .received_requests()
            .await
            .map_or(0, |requests| requests.len())
    }
}
