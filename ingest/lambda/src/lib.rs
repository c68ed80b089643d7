//! The ingest as AWS Lambda functions.
//!
//! - `fetch` (one deployment per job kind: prices, crypto, news, weather): triggered by
//!   an EventBridge schedule or a manual `{}`; fetches and returns a [`FetchOutput`].
//!   No database access is needed to fetch.
//! - `store`: the fetch function's Lambda Destination (OnSuccess). Accepts the output
//!   directly or wrapped in the Destinations record, validates, upserts, records the
//!   runs, sends the run report to SNS and, when configured, the batch as CSV to S3.
//! - `pipeline`: both in one function, for those who want fewer moving parts.
//!
//! Reading order: [`events`] (what arrives, told apart by shape), [`config`] (the
//! environment), [`handlers`] (what each function does), [`notify`] (the SNS report),
//! [`export`] (CSV to S3).

pub mod config;
pub mod events;
pub mod export;
pub mod handlers;
pub mod notify;

pub use events::{FetchFailure, FetchOutput};
