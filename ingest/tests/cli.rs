//! The `ingest` binary as a user runs it: settings from the environment, exit codes,
//! `--json` reports, one line on stderr per failure.

use ingest::testing::Upstream;
use std::process::{Command, Output};
use store::testing::TempDir;

fn ingest(dir: &TempDir, upstream: &Upstream, args: &[&str]) -> Output {
    ingest_logging(dir, upstream, args, "off")
}

/// [`ingest`] with `RUST_LOG` set to `log`.
fn ingest_logging(dir: &TempDir, upstream: &Upstream, args: &[&str], log: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ingest"))
        .args(args)
        .current_dir(&dir.path)
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path.join("cli.db").display()),
        )
        .env("ALPHAVANTAGE_API_KEY", "cli-secret-key")
        .env("ALPHAVANTAGE_URL", upstream.uri())
        .env("UTODAY_URL", upstream.uri())
        .env("OPENWEATHER_URL", upstream.uri())
        .env("RUST_LOG", log)
        .output()
        .expect("run ingest")
}

#[tokio::test]
async fn json_reports_and_exit_codes() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();

    let ok = ingest(&dir, &upstream, &["--json", "prices", "IBM"]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    for key in [
        "source",
        "status",
        "fetched",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "rejections",
        "error",
    ] {
        assert!(report.get(key).is_some(), "report has {key}: {report}");
    }
    assert_eq!(
        (
            report["source"].as_str(),
            report["status"].as_str(),
            report["inserted"].as_u64()
        ),
        (Some("prices"), Some("succeeded"), Some(2))
    );

    // IBM again (nothing new) and TSLA refused: one object per run, exit 1, one stderr line.
    let mixed = ingest(&dir, &upstream, &["--json", "prices", "IBM", "TSLA"]);
    assert_eq!(mixed.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&mixed.stdout);
    let reports: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(
        (
            reports[0]["inserted"].as_u64(),
            reports[0]["unchanged"].as_u64()
        ),
        (Some(0), Some(2))
    );
    assert_eq!(reports[1]["status"], "failed");
    assert!(reports[1]["error"]
        .as_str()
        .unwrap()
        .contains("25 requests per day"));
    let stderr = String::from_utf8_lossy(&mixed.stderr);
    let failures: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("ingest:"))
        .collect();
    assert_eq!(failures.len(), 1, "{stderr}");
    assert!(failures[0].contains("TSLA") && failures[0].contains("25 requests per day"));
    assert!(!stdout.contains("cli-secret-key") && !stderr.contains("cli-secret-key"));

    let runs = ingest(&dir, &upstream, &["runs"]);
    assert_eq!(runs.status.code(), Some(0));
    let listing = String::from_utf8_lossy(&runs.stdout);
    assert_eq!(listing.lines().count(), 3, "{listing}");
    assert!(
        listing.lines().next().unwrap().contains("prices failed"),
        "newest first: {listing}"
    );
}

#[tokio::test]
async fn usage_errors_exit_2_with_one_line() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();
    let bad = ingest(&dir, &upstream, &["prices", "IBM';DROP"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("only letters, digits"));
    let none = ingest(&dir, &upstream, &["news"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(upstream.requests().await == 0);
}

#[tokio::test]
async fn an_unreachable_database_is_one_line_and_exit_1() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();
    let out = Command::new(env!("CARGO_BIN_EXE_ingest"))
        .args(["prices", "IBM"])
        .env("DATABASE_URL", "postgres://u:pw-secret-9@127.0.0.1:1/db")
        .env("ALPHAVANTAGE_URL", upstream.uri())
        .env("RUST_LOG", "off")
        .current_dir(&dir.path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("DATABASE_URL") && !stderr.contains("pw-secret-9"),
        "{stderr}"
    );
    assert!(upstream.requests().await == 0, "no API call is spent");
}

#[tokio::test]
async fn every_numeric_setting_is_range_checked_at_start() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();
    for name in ingest::config::NUMBER_SETTINGS {
        for bad in ["inf", "NaN", "-1", "1e20", "abc", "99999999999999"] {
            let out = Command::new(env!("CARGO_BIN_EXE_ingest"))
                .args(["runs"])
                .current_dir(&dir.path)
                .env(
                    "DATABASE_URL",
                    format!("sqlite://{}", dir.path.join("cli.db").display()),
                )
                .env(name, bad)
                .env("RUST_LOG", "off")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}={bad}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{name}={bad}: {stderr}");
            assert!(
                stderr.contains(name) && stderr.contains("a number from"),
                "{name}={bad}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ingest"))
        .args(["runs"])
        .current_dir(&dir.path)
        .env("UTODAY_TIMEZONE", "Mars/Olympus_Mons")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("UTODAY_TIMEZONE") && stderr.contains("IANA"),
        "{stderr}"
    );
    assert_eq!(upstream.requests().await, 0);
}

#[tokio::test]
async fn coins_and_cities_are_checked_before_any_url_is_built() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();
    for args in [
        &["news", "//evil.example/x"][..],
        &["news", "bitcoin/../../rss"],
        &["weather", "London&appid=stolen"],
    ] {
        let out = ingest(&dir, &upstream, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("only letters"), "{args:?}: {stderr}");
    }
    assert_eq!(upstream.requests().await, 0, "no request was made");
}

/// Alpha Vantage's daily-limit answer quotes the caller's key: it appears in no output
/// and nowhere in the database.
#[tokio::test]
async fn a_refusal_quoting_the_key_leaks_it_nowhere() {
    let upstream = Upstream::start().await;
    let refusal = ingest::testing::refusal_quoting("cli-secret-key");
    upstream
        .alphavantage("MSFT", ingest::testing::json(refusal))
        .await;
    let dir = TempDir::new();
    let outputs = [
        ingest(&dir, &upstream, &["prices", "MSFT"]),
        ingest(&dir, &upstream, &["--json", "prices", "MSFT"]),
        ingest(&dir, &upstream, &["runs"]),
        ingest(&dir, &upstream, &["--json", "runs"]),
    ];
    let mut seen = String::new();
    for out in &outputs {
        seen.push_str(&String::from_utf8_lossy(&out.stdout));
        seen.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(seen.contains("25 requests per day"), "{seen}");
    assert!(seen.contains("your API key as *** and"), "{seen}");
    assert!(!seen.contains("cli-secret-key"), "{seen}");
    // Every byte of the database file and its write-ahead log.
    for file in ["cli.db", "cli.db-wal"] {
        let bytes = std::fs::read(dir.path.join(file)).unwrap_or_default();
        let found = bytes
            .windows("cli-secret-key".len())
            .any(|w| w == b"cli-secret-key");
        assert!(!found, "the key is in {file}");
    }
}

// #21: an upstream's error text reaches the terminal without its control characters.
#[tokio::test]
async fn upstream_escape_sequences_never_reach_the_terminal() {
    let upstream = Upstream::start().await;
    upstream
        .alphavantage(
            "EVIL",
            ingest::testing::json(
                r#"{"Information": "limit \u001b[2J\u001b]0;owned\u0007 reached"}"#,
            ),
        )
        .await;
    let dir = TempDir::new();
    let out = ingest(&dir, &upstream, &["prices", "EVIL"]);
    assert_eq!(out.status.code(), Some(1));
    for (name, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !text.contains(&0x1b) && !text.contains(&0x07),
            "{name} holds control bytes: {:?}",
            String::from_utf8_lossy(text)
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(r"\u{1b}[2J"), "shown, not obeyed: {stderr}");
}

// #21: the API key travels in Alpha Vantage's query string; at RUST_LOG=debug the HTTP
// stack logs whole URLs. The key never shows.
#[tokio::test]
async fn the_api_key_is_in_no_log_line_even_at_debug() {
    let upstream = Upstream::with_recorded_answers().await;
    let dir = TempDir::new();
    let out = ingest_logging(&dir, &upstream, &["prices", "IBM", "TSLA"], "trace");
    let logged = String::from_utf8_lossy(&out.stderr);
    assert!(logged.lines().count() > 5, "it logged: {logged}");
    assert!(!logged.contains("cli-secret-key"), "{logged}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("cli-secret-key"));
}
