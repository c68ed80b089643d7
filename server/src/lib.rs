//! The dashboard's HTTP server: settings, pool, router, static files, shutdown.
//!
//! Reading order: [`configuration`] (what can be set, and where), [`startup`] (how the
//! pieces are put together: only wiring), [`serve`] (the accept loop and shutdown),
//! [`limits`] (what a request may take), [`headers`] (security and cache headers),
//! [`page_cache`] (answers from memory between ingests), [`downloads`] (the CSV files),
//! [`lambda`] (the same router on AWS Lambda), [`health`] (`server healthcheck`).

pub mod configuration;
pub mod downloads;
pub mod headers;
pub mod health;
pub mod lambda;
pub mod limits;
pub mod offline;
pub mod page_cache;
pub mod picture;
pub mod serve;
pub mod startup;
pub mod telemetry;
pub mod updates;
