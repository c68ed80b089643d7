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

/// Headlines: a non-empty title, an http(s) URL, a time not in the future, one row per URL.
pub fn headlines(rows: Vec<Headline>, now: DateTime<Utc>) -> Checked<Headline> {
    let mut seen = HashSet::new();
    let mut out = Checked {
        valid: Vec::with_capacity(rows.len()),
        rejections: Vec::new(),
    };
    for h in rows {
        let key = if h.url.is_empty() {
            h.title.clone()
        } else {
            h.url.clone()
        };
        let reason = if h.title.trim().is_empty() {
            Some("empty title".to_string())
        } else if !h.has_web_url() {
            Some(format!("not an http(s) URL: {:?}", h.url))
        } else if h.published_at > now + CLOCK_SKEW {
            Some(format!("published_at {} is in the future", h.published_at))
        } else if !seen.insert(h.url.clone()) {
            Some("duplicate headline (same URL) in the batch".to_string())
        } else {
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
        let reasons: Vec<_> = checked
            .rejections
            .iter()
            .map(|r| r.reason.as_str())
            .collect();
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
        let reasons: Vec<_> = checked
            .rejections
            .iter()
            .map(|r| r.reason.as_str())
            .collect();
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
