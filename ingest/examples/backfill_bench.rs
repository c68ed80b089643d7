//! Backfill benchmark: 100 symbols × 5,000 days, the path a `--full` backfill takes
//! after the HTTP answer: parse Alpha Vantage JSON → validate → bulk upsert (one
//! transaction per symbol), into Postgres and into SQLite. Prints rows per second.
//!
//!   bash scripts/bench-backfill.sh            # starts a throwaway Postgres itself
//!   BENCH_SYMBOLS=10 BENCH_DAYS=1000 …        # smaller

use chrono::{Duration, NaiveDate};
use ingest::sources::alphavantage::parse_series;
use ingest::validate;
use std::fmt::Write;
use std::time::Instant;
use store::{Store, StoreOptions, Symbol};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One symbol's `TIME_SERIES_DAILY&outputsize=full` answer, shaped as Alpha Vantage sends it.
fn response(symbol: &str, days: usize, seed: u64) -> String {
    let last = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let mut body = String::with_capacity(days * 160);
    write!(
        body,
        r#"{{"Meta Data": {{"2. Symbol": "{symbol}"}}, "Time Series (Daily)": {{"#
    )
    .unwrap();
    let mut price = 50.0 + (seed % 200) as f64;
    for i in 0..days {
        let date = last - Duration::days(i as i64);
        let wobble = (((seed + i as u64) * 2654435761) % 1000) as f64 / 1000.0 - 0.5;
        let open = price;
        let close = (price * (1.0 + wobble * 0.02)).max(1.0);
        let (high, low) = (open.max(close) * 1.01, open.min(close) * 0.99);
        if i > 0 {
            body.push(',');
        }
        write!(
            body,
            r#""{date}": {{"1. open": "{open:.4}", "2. high": "{high:.4}", "3. low": "{low:.4}", "4. close": "{close:.4}", "5. volume": "{}"}}"#,
            1_000_000 + i * 17
        )
        .unwrap();
        price = close;
    }
    body.push_str("}}");
    body
}

async fn run(label: &str, store: &Store, bodies: &[(Symbol, String)]) {
    let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let (mut parse_s, mut write_s, mut rows) = (0.0, 0.0, 0usize);
    let total = Instant::now();
    for (symbol, body) in bodies {
        let t = Instant::now();
        let parsed = parse_series(body, "Time Series (Daily)", symbol, "USD").expect("parses");
        let checked = validate::bars(parsed.rows, today);
        assert!(checked.rejections.is_empty());
        parse_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let counts = store
            .upsert_bars(&checked.valid, "bench")
            .await
            .expect("writes");
        write_s += t.elapsed().as_secs_f64();
        rows += (counts.inserted + counts.updated + counts.unchanged) as usize;
    }
    let secs = total.elapsed().as_secs_f64();
    println!(
        "{label:<9} {rows:>8} rows in {secs:6.2} s = {:>9.0} rows/s end to end (parse+validate {parse_s:5.2} s, upsert {write_s:5.2} s = {:>9.0} rows/s)",
        rows as f64 / secs,
        rows as f64 / write_s
    );
}

#[tokio::main]
async fn main() {
    let symbols = env_usize("BENCH_SYMBOLS", 100);
    let days = env_usize("BENCH_DAYS", 5000);
    let bodies: Vec<(Symbol, String)> = (0..symbols)
        .map(|i| {
            let s = Symbol::parse(&format!("S{i:03}")).unwrap();
            let body = response(s.as_str(), days, i as u64);
            (s, body)
        })
        .collect();
    println!(
        "backfill: {symbols} symbols × {days} days = {} rows",
        symbols * days
    );

    if let Ok(url) = std::env::var("BENCH_POSTGRES_URL") {
        let store = Store::connect(&url, &StoreOptions::default())
            .await
            .expect("postgres");
        store.migrate().await.unwrap();
        run("postgres", &store, &bodies).await;
        run("postgres", &store, &bodies).await; // replay: every row unchanged
    } else {
        println!("postgres  skipped: set BENCH_POSTGRES_URL (scripts/bench-backfill.sh does)");
    }

    let dir = std::env::temp_dir().join(format!("tickerboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::connect(
        &format!("sqlite://{}", dir.join("bench.db").display()),
        &StoreOptions::default(),
    )
    .await
    .expect("sqlite");
    store.migrate().await.unwrap();
    run("sqlite", &store, &bodies).await;
    run("sqlite", &store, &bodies).await;
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
