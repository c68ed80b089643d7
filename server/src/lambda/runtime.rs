//! The Lambda runtime (feature `lambda`): the settings with the database URL from SSM,
//! and the router served through the Runtime API.

use super::{LambdaError, DATABASE_PARAMETER};
use crate::configuration::{dashboard_database, Settings};
use axum::Router;
use secrecy::SecretString;
use tower::ServiceExt;

/// The settings as a Lambda function uses them: the database URL from SSM when
/// [`DATABASE_PARAMETER`] names one; the pool small and lazy (one request at a time per
/// container, and a database that is away shows as the pages' 503 panel, never as a
/// failed cold start).
pub async fn settings(mut settings: Settings) -> Result<Settings, LambdaError> {
    if let Some(name) = std::env::var(DATABASE_PARAMETER)
        .ok()
        .filter(|n| !n.trim().is_empty())
    {
        settings.database.url = Some(read_parameter(name.trim()).await?);
    }
    if settings.database.url.is_none() {
        // The working directory is read-only: no zero-setup SQLite file here.
        return Err(LambdaError(format!(
            "no database: set {DATABASE_PARAMETER} (an SSM SecureString) or DATABASE_URL"
        )));
    }
    // The dashboard's rule again, now that the URL is known: a Postgres URL (the reader
    // role) is never migrated, only read.
    settings.database = dashboard_database(settings.database);
    settings.database.options.max_connections = 2;
    settings.database.options.lazy = true;
    Ok(settings)
}

/// One SecureString, decrypted. The error names the parameter, never its value.
/// (`GetParameters`, as every function of the stack asks, so one permission serves.)
async fn read_parameter(name: &str) -> Result<SecretString, LambdaError> {
    let aws = aws_config::load_from_env().await;
    let answer = aws_sdk_ssm::Client::new(&aws)
        .get_parameters()
        .names(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| {
            LambdaError(format!(
                "reading SSM parameter {name}: {}",
                aws_sdk_ssm::error::DisplayErrorContext(e)
            ))
        })?;
    answer
        .parameters()
        .iter()
        .find_map(|p| p.value())
        .map(|v| SecretString::from(v.trim().to_string()))
        .ok_or_else(|| LambdaError(format!("SSM parameter {name} not found")))
}

/// Serves the router through the Lambda Runtime API until the container is retired.
/// A frozen container's page cache cannot hear of an ingest while frozen; an entry's
/// life ([`crate::page_cache::MAX_AGE`], on a clock that runs on while frozen) still
/// bounds what it may serve, as the data check does between requests.
pub async fn run(app: Router) -> Result<(), LambdaError> {
    let service =
        app.map_request(|request: lambda_http::Request| request.map(axum::body::Body::new));
    tracing::info!("serving the dashboard through the Lambda Runtime API");
    lambda_http::run_with_streaming_response(service)
        .await
        .map_err(|e| LambdaError(e.to_string()))
}
