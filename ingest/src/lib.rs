//! tickerboard's ingest: sources → typed rows → batch validation → idempotent upsert →
//! run record. No Leptos here: this crate is what the Lambda functions are built from.
//!
//! Reading order: [`config`] (settings), [`sources`] (one module per outside service,
//! each turning a response into typed rows or rejections), [`fetch`] (jobs, and the
//! [`Fetcher`] that turns one into a batch, no database needed), [`validate`] (the
//! batch checks), [`pipeline`] (a run: validate, write, record), [`report`] (what a run
//! says about itself). [`testing`] is the test kit of this crate and the crates above it.

pub mod config;
pub mod fetch;
pub mod http;
pub mod pipeline;
pub mod report;
pub mod sources;
#[cfg(feature = "testing")]
pub mod testing;
pub mod validate;

pub use config::{Settings, SourceSettings};
pub use fetch::{FetchedBatch, Fetcher, Job, Rows};
pub use pipeline::Ingest;
pub use report::{Rejection, RunReport};
