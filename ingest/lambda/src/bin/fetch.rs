//! The fetch function: EventBridge schedule or `{}` → fetched batches, returned for the
//! OnSuccess destination (the store function).

use ingest::Fetcher;
use ingest_lambda::config::Role;
use ingest_lambda::handlers::{self, Deps};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    handlers::init_tracing();
    let (deps, settings) =
        handlers::cold_start(async { Ok(Deps::from_env(Role::Fetch).await?) }).await;
    // Built once: the container reuses its HTTP connections from invocation to invocation.
    let fetcher = Fetcher::new(settings.sources);
    let (deps, fetcher) = (&deps, &fetcher);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handlers::fetch(deps, fetcher, &event.payload, event.context.deadline()).await
    }))
    .await
}
