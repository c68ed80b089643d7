//! Built without the `lambda` feature: this binary cannot serve the Lambda Runtime API,
//! and says so at once rather than serving nothing.

use super::LambdaError;
use crate::configuration::Settings;
use axum::Router;

fn not_built() -> LambdaError {
    LambdaError(
        "this server binary was built without the `lambda` feature \
         (scripts/build-lambdas.sh builds the dashboard's zip with it)"
            .into(),
    )
}

/// Refuses: the binary has no Lambda runtime.
pub async fn settings(_: Settings) -> Result<Settings, LambdaError> {
    Err(not_built())
}

/// Refuses: the binary has no Lambda runtime.
pub async fn run(_: Router) -> Result<(), LambdaError> {
    Err(not_built())
}
