//! A fuzz harness for the four parsers (Alpha Vantage JSON, U.Today HTML, the RSS
//! feed, OpenWeatherMap JSON), run in the normal suite with a bounded number of cases:
//! arbitrary text, recorded answers with a span replaced by arbitrary text, and token
//! soup built from the pieces each format is made of. A parser may refuse any input;
//! it may not panic or hang.
//!
//! More cases: `PROPTEST_CASES=100000 cargo test -p ingest --release --test fuzz`.

use ingest::sources::alphavantage::parse_series;
use ingest::sources::openweather::parse_current;
use ingest::sources::utoday::{parse_listing, parse_rss};
use ingest::testing::fixture;
use proptest::prelude::*;
use std::time::{Duration, Instant};
use store::Symbol;
use url::Url;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `base` with the bytes from `at` (a fraction of its length) to `at + len` replaced by
/// `insert`, on character boundaries.
fn splice(base: &str, at: f64, len: usize, insert: &str) -> String {
    let mut start = ((base.len() as f64) * at) as usize;
    while !base.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + len).min(base.len());
    while !base.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{insert}{}", &base[..start], &base[end..])
}

/// Text made of `pieces`, `n` of them, as chosen.
fn soup(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(pieces), 0..400).prop_map(|v| v.concat())
}

const JSON_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\"Time Series (Daily)\"",
    "\"Time Series (Digital Currency Daily)\"",
    "\"2024-03-28\"",
    "\"1. open\"",
    "\"2. high\"",
    "\"3. low\"",
    "\"4. close\"",
    "\"5. volume\"",
    "\"1a. open (USD)\"",
    "\"Information\"",
    "\"Note\"",
    "\"Error Message\"",
    "\"12.5\"",
    "\"-1\"",
    "\"NaN\"",
    "\"1e309\"",
    "1e309",
    "null",
    "true",
    "0",
    "-0.0",
    "\"\\u0000\"",
    "\"cod\"",
    "\"404\"",
    "\"main\"",
    "\"temp\"",
    "\"humidity\"",
    "\"dt\"",
    "\"id\"",
    "\"name\"",
    "\"weather\"",
    "9999999999999",
];

const HTML_PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<div class=\"category-item\">",
    "<a class=\"category-item__title-link\" href=\"",
    "https://u.today/x",
    "javascript:alert(1)",
    "//evil",
    "\">",
    "</a>",
    "<div class=\"category-item__title\">",
    "<div class=\"humble--time\">",
    "03/28/2024 - 14:05",
    "13/45/2024 - 99:99",
    "Title",
    "<p>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<table>",
    "<td>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "<",
    ">",
    "\"",
    "'",
    "\u{0}",
    "<br/>",
    "<svg>",
    "<math>",
    "<template>",
    "</template>",
    "<select>",
    "<option>",
];

const XML_PIECES: &[&str] = &[
    "<?xml version=\"1.0\"?>",
    "<rss version=\"2.0\">",
    "</rss>",
    "<channel>",
    "</channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "Bitcoin",
    "<link>",
    "</link>",
    "https://u.today/b",
    "<pubDate>",
    "</pubDate>",
    "Thu, 28 Mar 2024 14:05:00 +0000",
    "Thu, 99 Foo 2024",
    "<category>",
    "</category>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&lt;",
    "&bogus;",
    "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>",
    "&a;",
    "<x>",
    "</x>",
    "<",
    ">",
    "\"",
    "\u{0}",
];

/// Runs `parse` and fails the case if it took longer than a parse ever should here.
fn bounded<T>(what: &str, parse: impl FnOnce() -> T) {
    let clock = Instant::now();
    let _ = parse();
    let took = clock.elapsed();
    assert!(took < Duration::from_secs(2), "{what} took {took:?}");
}

fn read_series(body: &str) {
    let btc = Symbol::parse("BTC").unwrap();
    bounded("Alpha Vantage", || {
        parse_series(body, "Time Series (Daily)", &btc, "USD").ok();
        parse_series(body, "Time Series (Digital Currency Daily)", &btc, "CNY").ok();
    });
}

fn read_listing(body: &str) {
    let page = Url::parse("https://u.today/bitcoin-news").unwrap();
    bounded("U.Today listing", || {
        parse_listing(body, &page, "bitcoin", chrono_tz::UTC)
    });
}

fn read_feed(body: &str) {
    bounded("U.Today RSS", || parse_rss(body, "bitcoin"));
}

fn read_weather(body: &str) {
    bounded("OpenWeatherMap", || {
        for status in [200, 401, 404, 429, 500] {
            let _ = parse_current(status, body);
        }
    });
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text(text in ".{0,2000}") {
        read_series(&text);
        read_listing(&text);
        read_feed(&text);
        read_weather(&text);
    }

    #[test]
    fn recorded_answers_with_a_span_replaced(at in 0.0..1.0f64, len in 0usize..64, insert in ".{0,64}") {
        read_series(&splice(&fixture("alphavantage/time_series_daily_IBM.json"), at, len, &insert));
        read_series(&splice(&fixture("alphavantage/digital_currency_daily_BTC_EUR.json"), at, len, &insert));
        read_listing(&splice(&fixture("utoday/bitcoin-news.html"), at, len, &insert));
        read_feed(&splice(&fixture("utoday/rss.xml"), at, len, &insert));
        read_weather(&splice(&fixture("openweather/current_weather_London_metric.json"), at, len, &insert));
    }

    #[test]
    fn token_soup(json in soup(JSON_PIECES), html in soup(HTML_PIECES), xml in soup(XML_PIECES)) {
        read_series(&json);
        read_weather(&json);
        read_listing(&html);
        read_feed(&xml);
    }
}
