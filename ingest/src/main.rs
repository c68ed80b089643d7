//! `ingest`: the command line. Exit 0 when every run succeeded, 1 when one failed (one
//! line on stderr for each), 2 for a usage or settings error.

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use ingest::report::printable;
use ingest::{Fetcher, Ingest, Job, RunReport, Settings};
use std::io::IsTerminal;
use store::{City, Coin, Store, Symbol};

#[derive(Parser)]
#[command(
    name = "ingest",
    version,
    about = "Fetch prices, headlines and weather into tickerboard's database"
)]
struct Cli {
    /// Print each run's report as one JSON object per line on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Daily stock prices from Alpha Vantage (last 100 days; --full for all history).
    Prices {
        #[arg(required = true, value_parser = parse_symbol)]
        symbols: Vec<Symbol>,
        #[arg(long)]
        full: bool,
    },
    /// Daily crypto prices from Alpha Vantage.
    Crypto {
        #[arg(required = true, value_parser = parse_symbol)]
        symbols: Vec<Symbol>,
        #[arg(long, default_value = "USD")]
        market: String,
    },
    /// Headlines for coins (bitcoin, ethereum) from U.Today.
    News {
        #[arg(required = true, value_parser = Coin::parse)]
        coins: Vec<Coin>,
    },
    /// Current weather for cities from OpenWeatherMap.
    Weather {
        #[arg(required = true, value_parser = City::parse)]
        cities: Vec<City>,
    },
    /// Brings the database schema up to date (run with the owner's DATABASE_URL; every
    /// other command does it too, before its work).
    Migrate,
    /// The most recent runs.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

fn parse_symbol(s: &str) -> Result<Symbol, String> {
    Symbol::parse(s).map_err(|e| e.to_string())
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();

    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => fail(2, &e.to_string()),
    };
    let store = match Store::open(&settings.database).await {
        Ok(opened) => opened.store,
        Err(e) => fail(1, &e.to_string()),
    };
    let ingest = Ingest::new(store);
    let fetcher = Fetcher::new(settings.sources);
    let run = |job: Job| {
        let (ingest, fetcher) = (&ingest, &fetcher);
        async move { ingest.run(fetcher, &job).await }
    };

    let reports = match cli.command {
        Command::Runs { limit } => {
            return list_runs(&ingest, limit, cli.json).await;
        }
        Command::Migrate => {
            println!("the database schema is up to date");
            ingest.store.close().await;
            return;
        }
        Command::Prices { symbols, full } => {
            each(&symbols, "prices", |symbol| {
                run(Job::Prices {
                    symbol: symbol.clone(),
                    full,
                })
            })
            .await
        }
        Command::Crypto { symbols, market } => {
            let market = market.trim().to_ascii_uppercase();
            each(&symbols, "crypto", |symbol| {
                run(Job::Crypto {
                    symbol: symbol.clone(),
                    market: market.clone(),
                })
            })
            .await
        }
        Command::News { coins } => {
            each(&coins, "news", |coin| run(Job::News { coin: coin.clone() })).await
        }
        Command::Weather { cities } => vec![run(Job::Weather { cities }).await],
    };

    let mut failed = false;
    for report in &reports {
        if cli.json {
            println!(
                "{}",
                serde_json::to_string(report).expect("a report serialises")
            );
        } else {
            println!("{}", report.summary());
            for r in report.rejections.iter().take(20) {
                println!("  rejected {}: {}", printable(&r.key), printable(&r.reason));
            }
            if report.rejections.len() > 20 {
                println!(
                    "  … and {} more rejected rows (see --json)",
                    report.rejections.len() - 20
                );
            }
        }
        if !report.succeeded() {
            failed = true;
            eprintln!(
                "ingest: {} {} failed: {}",
                report.source,
                report.parameters,
                printable(report.error.as_deref().unwrap_or("unknown error"))
            );
        }
    }
    ingest.store.close().await;
    std::process::exit(if failed { 1 } else { 0 });
}

/// Runs one job per item, one after the other (the free Alpha Vantage tier allows a few
/// calls a minute), with a progress bar on a terminal and plain lines otherwise.
async fn each<'a, T: std::fmt::Display, F, Fut>(
    items: &'a [T],
    what: &str,
    mut job: F,
) -> Vec<RunReport>
where
    F: FnMut(&'a T) -> Fut,
    Fut: std::future::Future<Output = RunReport>,
{
    let bar = (items.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(items.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {pos}/{len} {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(what.to_string());
        bar
    });
    let mut reports = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(bar) = &bar {
            bar.set_message(item.to_string());
        }
        let report = job(item).await;
        match &bar {
            Some(bar) => bar.inc(1),
            None if items.len() > 1 => eprintln!(
                "[{}/{}] {what} {item}: {}",
                i + 1,
                items.len(),
                report.status.as_str()
            ),
            None => {}
        }
        reports.push(report);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    reports
}

async fn list_runs(ingest: &Ingest, limit: u32, json: bool) {
    match ingest.store.recent_runs(limit).await {
        Ok(runs) => {
            for run in runs {
                if json {
                    println!("{}", serde_json::to_string(&run).expect("a run serialises"));
                } else {
                    println!(
                        "#{} {} {} {} fetched {} inserted {} updated {} unchanged {} rejected {}{}",
                        run.id,
                        run.started_at.format("%Y-%m-%d %H:%M:%S"),
                        run.source,
                        run.status.as_str(),
                        run.counts.fetched,
                        run.counts.inserted,
                        run.counts.updated,
                        run.counts.unchanged,
                        run.counts.rejected,
                        run.error
                            .map(|e| format!(": {}", printable(&e)))
                            .unwrap_or_default()
                    );
                }
            }
        }
        Err(e) => fail(1, &e.to_string()),
    }
}

fn fail(code: i32, message: &str) -> ! {
    eprintln!("ingest: {}", printable(message));
    std::process::exit(code);
}
