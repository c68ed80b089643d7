//! The same server on AWS Lambda, behind a Function URL (and CloudFront).
//!
//! One binary, two ways to run: when the Lambda Runtime API is in the environment
//! (`AWS_LAMBDA_RUNTIME_API`), `server` hands the very router it serves over HTTP to
//! `lambda_http`, which turns each Function URL event into a request and streams the
//! answer back (response streaming: a CSV download leaves in pieces, as it is read).
//! Same pages, headers, page cache (per container) and request limits; what belongs to
//! a listening socket (connection caps, header and send timers) is the Function URL's
//! and CloudFront's business there.
//!
//! `lambda_http` rather than the Lambda Web Adapter: the adapter is a second program
//! (a layer or an extension) that proxies to a local port, so a cold start waits for
//! two processes and the zip needs a download from outside the crates we pin; here the
//! runtime is a crate in `Cargo.lock`, and the local Runtime API tests run the exact
//! binary that is deployed.
//!
//! The runtime and the SSM client are the `lambda` feature, which
//! `scripts/build-lambdas.sh` builds the zip with; the default build (command 1, the
//! container image) leaves them out: 16 MB less binary and a shorter first build. Such
//! a binary started by Lambda says so and exits.

#[cfg(feature = "lambda")]
pub mod runtime;
#[cfg(not(feature = "lambda"))]
#[path = "without_runtime.rs"]
pub mod runtime;

/// Set by the Lambda service in every function's environment.
const RUNTIME_API: &str = "AWS_LAMBDA_RUNTIME_API";

/// The SSM parameter (a SecureString) holding the dashboard's database URL: the
/// read-only role's, with `sslmode=verify-full`.
pub const DATABASE_PARAMETER: &str = "DASHBOARD_DATABASE_PARAMETER";

/// What stops the function's start, in one line (never a secret).
#[derive(Debug, thiserror::Error)]
#[error("on Lambda: {0}")]
pub struct LambdaError(pub(crate) String);

/// True when this process is a Lambda function's bootstrap.
pub fn is_lambda() -> bool {
    std::env::var_os(RUNTIME_API).is_some()
}
