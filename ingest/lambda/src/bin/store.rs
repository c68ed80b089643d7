//! The store function: a fetch output, directly or as a Lambda Destinations record →
//! validated, upserted, recorded, reported.

use ingest::Ingest;
use ingest_lambda::config::Role;
use ingest_lambda::handlers::{self, Deps};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;
use store::Store;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    handlers::init_tracing();
    // Opened once per container: the pool outlives the invocation.
    let (deps, ingest) = handlers::cold_start(async {
        let (deps, settings) = Deps::from_env(Role::Store).await?;
        let store = Store::open(&settings.database).await?.store;
        Ok((deps, Ingest::new(store)))
    })
    .await;
    let (deps, ingest) = (&deps, &ingest);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handlers::store(deps, ingest, event.payload, &event.context.request_id).await
    }))
    .await
}
