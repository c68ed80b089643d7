//! The single-function pipeline: fetch and store in one invocation.

use ingest::{Fetcher, Ingest};
use ingest_lambda::config::Role;
use ingest_lambda::handlers::{self, Deps};
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;
use store::Store;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    handlers::init_tracing();
    let (deps, settings, ingest) = handlers::cold_start(async {
        let (deps, settings) = Deps::from_env(Role::Pipeline).await?;
        let store = Store::open(&settings.database).await?.store;
        Ok((deps, settings, Ingest::new(store)))
    })
    .await;
    let fetcher = Fetcher::new(settings.sources);
    let (deps, fetcher, ingest) = (&deps, &fetcher, &ingest);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handlers::pipeline(
            deps,
            fetcher,
            ingest,
            &event.payload,
            event.context.deadline(),
        )
        .await
    }))
    .await
}
