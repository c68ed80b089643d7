//! Logging: `RUST_LOG` filters, default `info`. Colours only on a terminal (never on
//! Lambda, whose lines go to CloudWatch as they are, nor in a container's log).

pub fn init() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn,aws=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal() && !crate::lambda::is_lambda())
        .try_init();
}
