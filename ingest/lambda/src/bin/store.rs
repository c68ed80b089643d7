//! The store function: a fetch output, directly or as a Lambda Destinations record →
//! validated, upserted, recorded, reported.

use ingest_lambda::config::Role;
use ingest_lambda::handlers::{self, Deps};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    ingest_lambda::handlers::init_tracing();
    let deps = Deps::from_env(Role::Store).await?;
    let store = ingest::pipeline::open_store(&deps.settings).await?;
    let (deps, store) = (&deps, &store);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handlers::store(deps, store, event.payload).await
    }))
    .await
}
