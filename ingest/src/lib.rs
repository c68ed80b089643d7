//! tickerboard's ingest: sources → typed rows → batch validation → idempotent upsert →
//! run record. No Leptos here: this crate is what the Lambda functions are built from.
//!
//! Reading order: [`config`] (settings), [`sources`] (one module per outside service,
//! each turning a response into typed rows or rejections), [`validate`] (the batch
//! checks), [`pipeline`] (a run: fetch, validate, write, record), [`report`] (what a run
//! says about itself).

pub mod config;
pub mod http;
pub mod pipeline;
pub mod report;
pub mod sources;
pub mod validate;

pub use config::Settings;
pub use pipeline::{FetchedBatch, Ingest, Job, Rows};
pub use report::{Rejection, RunReport};
