//! The fetch function: EventBridge schedule or `{}` → fetched batches, returned for the
//! OnSuccess destination (the store function).

use ingest_lambda::config::Role;
use ingest_lambda::handlers::{self, Deps};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    ingest_lambda::handlers::init_tracing();
    let deps = Deps::from_env(Role::Fetch).await?;
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handlers::fetch(deps, &event.payload).await
    }))
    .await
}
