//! The demo data set: what a fresh machine shows before anything was ingested.
//!
//! It is generated, not downloaded (the dashboard must start with no network), and it
//! is deterministic, so screenshots and tests see the same curves on every machine.
//! Only the zero-setup SQLite file is ever filled with it; the `meta` row
//! `demo = 'true'` makes the page say so.

use crate::db::{Result, RunOutcome, Store, DEMO_SOURCE};
use crate::domain::*;
use crate::types::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};

/// One demo instrument: symbol, first price, yearly drift, daily volatility, trades on weekends.
struct Instrument {
    symbol: &'static str,
    start: f64,
    drift: f64,
    volatility: f64,
    every_day: bool,
    volume: f64,
}

const INSTRUMENTS: &[Instrument] = &[
    Instrument {
        symbol: "AAPL",
        start: 75.0,
        drift: 0.20,
        volatility: 0.017,
        every_day: false,
        volume: 6.0e7,
    },
    Instrument {
        symbol: "IBM",
        start: 120.0,
        drift: 0.08,
        volatility: 0.012,
        every_day: false,
        volume: 4.0e6,
    },
    Instrument {
        symbol: "MSFT",
        start: 160.0,
        drift: 0.18,
        volatility: 0.015,
        every_day: false,
        volume: 2.5e7,
    },
    Instrument {
        symbol: "TSLA",
        start: 60.0,
        drift: 0.30,
        volatility: 0.035,
        every_day: false,
        volume: 9.0e7,
    },
    Instrument {
        symbol: "BTC",
        start: 7200.0,
        drift: 0.45,
        volatility: 0.033,
        every_day: true,
        volume: 3.0e4,
    },
    Instrument {
        symbol: "ETH",
        start: 130.0,
        drift: 0.50,
        volatility: 0.042,
        every_day: true,
        volume: 4.0e5,
    },
];

/// Years of history the demo holds.
pub const DEMO_YEARS: i64 = 5;

/// A small deterministic generator (SplitMix64): demo data needs repeatability, not quality.
struct Noise(u64);

impl Noise {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal: the sum of four uniforms, centred and scaled to unit variance.
    fn next_normal(&mut self) -> f64 {
        let s: f64 = (0..4).map(|_| self.next_unit()).sum();
        (s - 2.0) * (3.0f64).sqrt()
    }
}

/// Daily bars for every demo instrument, ending at `today`.
pub fn bars(today: NaiveDate) -> Vec<DailyBar> {
    let first = today - Duration::days(365 * DEMO_YEARS);
    let mut out = Vec::new();
    for (i, inst) in INSTRUMENTS.iter().enumerate() {
        let symbol = Symbol::parse(inst.symbol).expect("demo symbols are valid");
        let mut noise = Noise(0xC0FF_EE00 + i as u64);
        let mut price = inst.start;
        let mut day = first;
        while day <= today {
            let trading = inst.every_day || !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if trading {
                let days_per_year = if inst.every_day { 365.0 } else { 252.0 };
                // Log-normal-ish: subtracting half the variance keeps the median path
                // on the stated drift instead of compounding volatility into it.
                let daily_drift =
                    inst.drift / days_per_year - inst.volatility * inst.volatility / 2.0;
                let open = price * (1.0 + inst.volatility * 0.3 * noise.next_normal());
                let close = open * (1.0 + daily_drift + inst.volatility * noise.next_normal());
                let high = open.max(close) * (1.0 + inst.volatility * 0.5 * noise.next_unit());
                let low = open.min(close) * (1.0 - inst.volatility * 0.5 * noise.next_unit());
                let volume = (inst.volume * (0.6 + 0.8 * noise.next_unit())).round();
                out.push(DailyBar {
                    symbol: symbol.clone(),
                    date: day,
                    open: round2(open),
                    high: round2(high),
                    low: round2(low),
                    close: round2(close),
                    volume,
                });
                price = close;
            }
            day += Duration::days(1);
        }
    }
    out
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

const HEADLINES: &[(&str, &str)] = &[
    (
        "bitcoin",
        "Bitcoin holds above key support as ETF inflows continue",
    ),
    (
        "bitcoin",
        "Analysts split on whether Bitcoin's rally has room to run",
    ),
    (
        "bitcoin",
        "Bitcoin hash rate sets a new record after difficulty adjustment",
    ),
    (
        "bitcoin",
        "Long-term Bitcoin holders add to positions, on-chain data shows",
    ),
    ("bitcoin", "Bitcoin volatility falls to a multi-month low"),
    ("bitcoin", "Miners move coins to exchanges as fees spike"),
    (
        "bitcoin",
        "What the halving cycle says about Bitcoin's next quarter",
    ),
    (
        "bitcoin",
        "Bitcoin options open interest climbs ahead of expiry",
    ),
    ("ethereum", "Ethereum gas fees drop to yearly lows"),
    ("ethereum", "Staking deposits on Ethereum keep rising"),
    (
        "ethereum",
        "Ethereum developers set a date for the next upgrade",
    ),
    (
        "ethereum",
        "Layer-2 activity on Ethereum doubles in a month",
    ),
    (
        "ethereum",
        "ETH/BTC ratio tests a level not seen since spring",
    ),
    (
        "ethereum",
        "Ethereum validators vote on a gas limit increase",
    ),
];

/// Demo headlines, spread over the days before `now`.
pub fn headlines(now: DateTime<Utc>) -> Vec<Headline> {
    HEADLINES
        .iter()
        .enumerate()
        .map(|(i, (coin, title))| Headline {
            url: format!("https://example.com/tickerboard-demo/{coin}/{}", i + 1),
            coin: (*coin).to_string(),
            published_at: now - Duration::hours(5 + 19 * i as i64),
            title: (*title).to_string(),
        })
        .collect()
}

/// Demo cities: name, OpenWeatherMap id, mean °C, daily swing °C.
const CITIES: &[(&str, i64, f64, f64)] = &[
    ("London", 2_643_743, 9.0, 4.0),
    ("New York", 5_128_581, 7.0, 5.0),
    ("Singapore", 1_880_252, 27.5, 3.0),
    ("Sydney", 2_147_714, 21.0, 5.0),
    ("Tromsø", 3_133_880, -3.0, 2.5),
];

/// Days of weather the demo holds, one observation every three hours.
pub const DEMO_WEATHER_DAYS: i64 = 14;

/// Demo weather: every three hours for [`DEMO_WEATHER_DAYS`] up to `now`, per city, with
/// a daily cycle and some noise. °F is derived from °C as the ingest derives it.
pub fn weather(now: DateTime<Utc>) -> Vec<WeatherObservation> {
    let last = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        + Duration::hours(i64::from(now.hour() / 3 * 3));
    let steps = DEMO_WEATHER_DAYS * 8;
    let mut out = Vec::new();
    for (i, (city, id, mean, swing)) in CITIES.iter().enumerate() {
        let mut noise = Noise(0xBEEF_0000 + i as u64);
        for k in (0..steps).rev() {
            let at = last - Duration::hours(3 * k);
            let hour = f64::from(at.hour());
            // Warmest mid-afternoon, coldest before dawn (UTC, close enough for a demo).
            let cycle = ((hour - 9.0) / 24.0 * std::f64::consts::TAU).sin();
            let temp_c = round1(mean + swing * cycle + 1.5 * noise.next_normal());
            let humidity = (70.0 - 15.0 * cycle + 8.0 * noise.next_normal()).clamp(15.0, 100.0);
            let description = match noise.next_unit() {
                x if x < 0.45 => "clear sky",
                x if x < 0.75 => "scattered clouds",
                x if x < 0.9 => "overcast clouds",
                _ if temp_c < 0.0 => "light snow",
                _ => "light rain",
            };
            out.push(WeatherObservation {
                city: (*city).to_string(),
                city_id: *id,
                observed_at: at,
                temp_c,
                temp_f: celsius_to_fahrenheit(temp_c),
                humidity: humidity.round() as i64,
                description: description.to_string(),
            });
        }
    }
    out
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Fills `store` with the demo data set and marks it as demo. Recorded as runs, so the
/// freshness line has something to say.
///
/// The demo flag is set first: a seed interrupted half-way leaves a database that says
/// it holds demo data, never one that looks real.
pub async fn seed(store: &Store) -> Result<()> {
    store.set_meta("demo", "true").await?;
    let now = Utc::now();
    let started = now;
    let bars = bars(now.date_naive());
    let bar_counts = store.upsert_bars(&bars, DEMO_SOURCE).await?;
    let headlines = headlines(now);
    let news_counts = store.upsert_headlines(&headlines, DEMO_SOURCE).await?;
    let weather = weather(now);
    let weather_counts = store.upsert_weather(&weather, DEMO_SOURCE).await?;
    for (source, offered, written) in [
        ("prices", bars.len(), bar_counts),
        ("news", headlines.len(), news_counts),
        ("weather", weather.len(), weather_counts),
    ] {
        let id = store.start_run(source, r#"{"demo":true}"#, started).await?;
        let mut counts = RunCounts {
            fetched: offered as u64,
            ..RunCounts::default()
        };
        counts.add_written(written);
        let outcome = RunOutcome {
            finished_at: Utc::now(),
            status: RunStatus::Succeeded,
            counts,
            error: None,
            rejections: Vec::new(),
        };
        store.finish_run(id, &outcome).await?;
    }
    tracing::info!(
        bars = bars.len(),
        headlines = headlines.len(),
        weather = weather.len(),
        "filled the new SQLite file with demo data"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_bars_are_consistent_and_deterministic() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let a = bars(today);
        assert_eq!(a, bars(today));
        assert!(a.len() > 4 * 5 * 250, "years of bars for several symbols");
        for b in &a {
            assert!(b.high >= b.open.max(b.close) - 0.01, "{b:?}");
            assert!(b.low <= b.open.min(b.close) + 0.01, "{b:?}");
            assert!(b.low > 0.0 && b.volume >= 0.0, "{b:?}");
            assert!(b.date <= today);
        }
        assert!(a
            .iter()
            .any(|b| b.symbol.as_str() == "BTC" && b.date.weekday() == Weekday::Sun));
        assert!(!a
            .iter()
            .any(|b| b.symbol.as_str() == "IBM" && b.date.weekday() == Weekday::Sun));
    }
}
