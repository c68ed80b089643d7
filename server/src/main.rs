//! `server`: serves the dashboard. Everything lives in the library; see `startup.rs`.

#[tokio::main]
async fn main() {
    server::telemetry::init();
    if let Err(err) = server::startup::run_from_env().await {
        // One line naming what is wrong and the setting to fix; never the secret itself.
        eprintln!("tickerboard: {err}");
        std::process::exit(1);
    }
}
