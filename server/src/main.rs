//! `server`: serves the dashboard. Everything lives in the library; see `startup.rs`.
//! `server healthcheck` asks a running server's `/healthz` (a container's health check).

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("healthcheck") {
        return healthcheck();
    }
    server::telemetry::init();
    if let Err(err) = server::startup::run_from_env().await {
        // One line naming what is wrong and the setting to fix; never the secret itself.
        eprintln!("tickerboard: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Probes the address the server listens on (`LEPTOS_SITE_ADDR`, as the server reads it).
fn healthcheck() -> ExitCode {
    let listen = leptos::prelude::get_configuration(None)
        .map(|conf| conf.leptos_options.site_addr)
        .unwrap_or_else(|_| ([127, 0, 0, 1], 3000).into());
    let address = server::health::local_address(listen);
    match server::health::probe(address, std::time::Duration::from_secs(3)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("tickerboard healthcheck: {why}");
            ExitCode::FAILURE
        }
    }
}
