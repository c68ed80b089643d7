//! Batch checks, in the spirit of a Pandera schema on a DataFrame: every row is checked,
//! each failing row is set aside with its reason, the rest go on. Nothing is dropped
//! silently and nothing invalid is written.

use crate::report::Rejection;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::collections::HashSet;
use store::{DailyBar, Headline, WeatherObservation};

/// Rows that passed, and the rows that did not with their reasons.
#[derive(Debug)]
pub struct Checked<T> {
    pub valid: Vec<T>,
    pub rejections: Vec<Rejection>,
}

impl<T> Checked<T> {
    /// The rejections' reasons, in order.
    pub fn reasons(&self) -> Vec<&str> {
        self.rejections.iter().map(|r| r.reason.as_str()).collect()
    }
}

/// Realistic limits of surface air temperature, °C.
pub const MIN_TEMP_C: f64 = -90.0;
pub const MAX_TEMP_C: f64 = 60.0;

/// How far in the future a timestamp may be before it is called wrong: clocks differ,
/// and U.Today states no time zone.
const CLOCK_SKEW: Duration = Duration::hours(14);

/// Prices: finite and positive; high ≥ max(open, close); low ≤ min(open, close);
/// volume ≥ 0; the date not after `today`; one row per symbol and date.
pub fn bars(rows: Vec<DailyBar>, today: NaiveDate) -> Checked<DailyBar> {
    let mut seen = HashSet::new();
    let mut out = Checked {
        valid: Vec::with_capacity(rows.len()),
        rejections: Vec::new(),
    };
    for bar in rows {
        let key = format!("{} {}", bar.symbol, bar.date);
        let reason = bar_problem(&bar, today).or_else(|| {
            (!seen.insert((bar.symbol.clone(), bar.date)))
                .then(|| "duplicate key in the batch".to_string())
        });
        match reason {
            Some(reason) => out.rejections.push(Rejection::new(key, reason)),
            None => out.valid.push(bar),
        }
    }
    out
}

fn bar_problem(b: &DailyBar, today: NaiveDate) -> Option<String> {
    for (name, v) in [
        ("open", b.open),
        ("high", b.high),
        ("low", b.low),
        ("close", b.close),
    ] {
        if !v.is_finite() || v <= 0.0 {
            return Some(format!("{name} must be a finite positive price, is {v}"));
        }
    }
    if !b.volume.is_finite() || b.volume < 0.0 {
        return Some(format!("volume must be ≥ 0, is {}", b.volume));
    }
    if b.high < b.open.max(b.close) {
        return Some(format!(
            "high {} is below max(open, close) {}",
            b.high,
            b.open.max(b.close)
        ));
    }
    if b.low > b.open.min(b.close) {
        return Some(format!(
            "low {} is above min(open, close) {}",
            b.low,
            b.open.min(b.close)
        ));
    }
    if b.date > today {
        return Some(format!(
            "date {} is in the future (today is {today})",
            b.date
        ));
    }
    None
}

/// Longest article URL we store. Postgres' btree index takes keys up to about 2.7 KB; a
/// real article URL is under 200 characters.
pub const MAX_URL_LEN: usize = 2_000;

/// Query parameters that only say where a reader came from: the same article with or
/// without them is one article.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "ref_src",
];

/// The one URL an article is stored under, its natural key: scheme and host lower-case
/// and the default port dropped (by the URL parser), the fragment and tracking
/// parameters (`utm_*` and the click ids above) dropped, and a trailing slash on the
/// path dropped (`/news/x/` is `/news/x`; the root stays `/`). `None` for what is not
/// an http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let path = url.path().to_string();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
    }
    Some(url.to_string())
}

/// Headlines: a non-empty title, an http(s) URL of at most [`MAX_URL_LEN`] characters,
/// a time not in the future, one row per article. Each valid headline leaves with its
/// canonical URL ([`canonical_url`]), so the same article reached two ways is one row.
pub fn headlines(rows: Vec<Headline>, now: DateTime<Utc>) -> Checked<Headline> {
    let mut seen = HashSet::new();
    let mut out = Checked {
        valid: Vec::with_capacity(rows.len()),
        rejections: Vec::new(),
    };
    for mut h in rows {
        let key = if h.url.is_empty() {
            h.title.clone()
        } else {
            h.url.chars().take(200).collect()
        };
        let canonical = canonical_url(&h.url).filter(|_| h.has_web_url());
        let reason = if h.title.trim().is_empty() {
            Some("empty title".to_string())
        } else if canonical.is_none() {
            Some(format!(
                "not an http(s) URL: {:?}",
                h.url.chars().take(200).collect::<String>()
            ))
        } else if canonical.as_ref().is_some_and(|u| u.len() > MAX_URL_LEN) {
            Some(format!(
                "the URL has {} characters, more than the {MAX_URL_LEN} an article URL may have",
                h.url.len()
            ))
        } else if h.published_at > now + CLOCK_SKEW {
            Some(format!("published_at {} is in the future", h.published_at))
        } else if !seen.insert(canonical.clone()) {
            Some("duplicate headline (same URL) in the batch".to_string())
        } else {
            h.url = canonical.unwrap_or_default();
            None
        };
        match reason {
            Some(reason) => out.rejections.push(Rejection::new(key, reason)),
            None => out.valid.push(h),
        }
    }
    out
}

/// Weather: −90…60 °C, °F consistent with °C, humidity 0…100, a time not in the
/// future, one row per city and time.
pub fn weather(rows: Vec<WeatherObservation>, now: DateTime<Utc>) -> Checked<WeatherObservation> {
    let mut seen = HashSet::new();
    let mut out = Checked {
        valid: Vec::with_capacity(rows.len()),
        rejections: Vec::new(),
    };
    for w in rows {
        let key = format!("{} {}", w.city, w.observed_at.to_rfc3339());
        let reason = if !w.temp_c.is_finite() || !(MIN_TEMP_C..=MAX_TEMP_C).contains(&w.temp_c) {
            Some(format!(
                "temperature {} °C is outside {MIN_TEMP_C}…{MAX_TEMP_C} °C",
                w.temp_c
            ))
        } else if (w.temp_f - (w.temp_c * 9.0 / 5.0 + 32.0)).abs() > 0.01 {
            Some(format!("{} °F does not match {} °C", w.temp_f, w.temp_c))
        } else if !(0..=100).contains(&w.humidity) {
            Some(format!("humidity {}% is outside 0…100", w.humidity))
        } else if w.observed_at > now + Duration::minutes(10) {
            Some(format!("observed_at {} is in the future", w.observed_at))
        } else if w.city.trim().is_empty() {
            Some("empty city name".to_string())
        } else if !seen.insert((w.city.clone(), w.observed_at)) {
            Some("duplicate key in the batch".to_string())
        } else {
            None
        };
        match reason {
            Some(reason) => out.rejections.push(Rejection::new(key, reason)),
            None => out.valid.push(w),
        }
    }
    out
}

#[cfg(test)]
mod canonical_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_article_one_url() {
        let same = [
            "https://u.today/bitcoin-etf",
            "HTTPS://U.Today/bitcoin-etf",
            "https://u.today/bitcoin-etf/",
            "https://u.today:443/bitcoin-etf#comments",
            "https://u.today/bitcoin-etf?utm_source=x&utm_medium=rss",
            "https://u.today/bitcoin-etf?fbclid=abc",
        ];
        for raw in same {
            assert_eq!(
                canonical_url(raw).as_deref(),
                Some("https://u.today/bitcoin-etf"),
                "{raw}"
            );
        }
        assert_eq!(
            canonical_url("https://u.today/search?q=btc&utm_campaign=y").as_deref(),
            Some("https://u.today/search?q=btc"),
            "other parameters stay"
        );
        assert_eq!(
            canonical_url("https://u.today/").as_deref(),
            Some("https://u.today/")
        );
        assert_eq!(canonical_url("javascript:alert(1)"), None);
    }

    #[test]
    fn awkward_urls_are_rejected_or_folded_with_reasons() {
        let at = Utc.with_ymd_and_hms(2024, 3, 28, 12, 0, 0).unwrap();
        let h = |url: String| Headline {
            url,
            coin: "bitcoin".into(),
            published_at: at,
            title: "T".into(),
        };
        let long = format!("https://u.today/{}", "a".repeat(3_000));
        let checked = headlines(
            vec![
                h("https://u.today/x?utm_source=rss".into()),
                h("https://u.today/x/".into()),
                h(long),
                h("https://u.today/y#top".into()),
            ],
            at,
        );
        let urls: Vec<_> = checked.valid.iter().map(|h| h.url.as_str()).collect();
        assert_eq!(urls, ["https://u.today/x", "https://u.today/y"]);
        let reasons = checked.reasons();
        assert!(
            reasons.iter().any(|r| r.starts_with("duplicate")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.contains("more than the 2000")),
            "{reasons:?}"
        );
        assert!(checked.rejections.iter().all(|r| r.key.len() <= 200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use store::Symbol;

    fn bar(open: f64, high: f64, low: f64, close: f64, volume: f64, day: u32) -> DailyBar {
        DailyBar {
            symbol: Symbol::parse("IBM").unwrap(),
            date: NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
            open,
            high,
            low,
            close,
            volume,
        }
    }

    #[test]
    fn bars_are_checked_row_by_row_with_reasons() {
        let today = NaiveDate::from_ymd_opt(2024, 3, 20).unwrap();
        let checked = bars(
            vec![
                bar(10.0, 11.0, 9.0, 10.5, 100.0, 1),     // fine
                bar(10.0, 10.2, 9.0, 10.5, 100.0, 2),     // high below close
                bar(10.0, 11.0, 10.1, 10.5, 100.0, 3),    // low above open
                bar(-1.0, 11.0, 9.0, 10.5, 100.0, 4),     // negative
                bar(f64::NAN, 11.0, 9.0, 10.5, 100.0, 5), // NaN
                bar(10.0, 11.0, 9.0, 10.5, -5.0, 6),      // volume
                bar(10.0, 11.0, 9.0, 10.5, 100.0, 25),    // future
                bar(10.0, 11.0, 9.0, 10.5, 100.0, 1),     // duplicate
                bar(10.0, 10.5, 10.0, 10.5, 0.0, 7),      // edges are fine
            ],
            today,
        );
        assert_eq!(checked.valid.len(), 2);
        let reasons = checked.reasons();
        assert!(reasons[0].starts_with("high 10.2 is below"), "{reasons:?}");
        assert!(reasons[1].starts_with("low 10.1 is above"));
        assert!(reasons[2].starts_with("open must be a finite positive price"));
        assert!(reasons[3].contains("NaN"));
        assert!(reasons[4].starts_with("volume"));
        assert!(reasons[5].contains("in the future"));
        assert_eq!(reasons[6], "duplicate key in the batch");
        assert_eq!(checked.rejections[0].key, "IBM 2024-03-02");
    }

    #[test]
    fn headlines_need_title_web_url_and_a_past_time() {
        let now = Utc.with_ymd_and_hms(2024, 3, 20, 12, 0, 0).unwrap();
        let h = |url: &str, title: &str, hours: i64| Headline {
            url: url.into(),
            coin: "bitcoin".into(),
            published_at: now + Duration::hours(hours),
            title: title.into(),
        };
        let checked = headlines(
            vec![
                h("https://u.today/a", "A", -1),
                h("https://u.today/b", "  ", -1),
                h("javascript:alert(1)", "C", -1),
                h("https://u.today/d", "D", 48),
                h("https://u.today/a", "A again", -2),
            ],
            now,
        );
        assert_eq!(checked.valid.len(), 1);
        let reasons = checked.reasons();
        assert_eq!(reasons[0], "empty title");
        assert!(reasons[1].starts_with("not an http(s) URL"));
        assert!(reasons[2].contains("future"));
        assert!(reasons[3].starts_with("duplicate"));
    }

    #[test]
    fn weather_ranges() {
        let now = Utc.with_ymd_and_hms(2024, 3, 20, 12, 0, 0).unwrap();
        let w = |city: &str, c: f64, humidity: i64| WeatherObservation {
            city: city.into(),
            city_id: 1,
            observed_at: now - Duration::minutes(5),
            temp_c: c,
            temp_f: c * 9.0 / 5.0 + 32.0,
            humidity,
            description: "clear".into(),
        };
        let checked = weather(
            vec![
                w("A", 20.0, 50),
                w("B", 75.0, 50),
                w("C", 10.0, 101),
                w("D", -95.0, 3),
            ],
            now,
        );
        assert_eq!(checked.valid.len(), 1);
        assert_eq!(checked.rejections.len(), 3);
        assert!(checked.rejections[0].reason.contains("outside -90…60 °C"));
    }
}
