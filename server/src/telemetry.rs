//! Logging: `RUST_LOG` filters, default `info`. On Lambda, without colour codes (the
//! lines go to CloudWatch as they are).

pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn,aws=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(!crate::lambda::is_lambda())
        .try_init();
}
