//! The dashboard's HTTP server: settings, pool, router, static files, shutdown.
//!
//! Reading order: [`configuration`] (what can be set, and where), [`startup`] (how the
//! pieces are put together and served), [`page_cache`] (answers from memory between
//! ingests), [`downloads`] (the CSV files).

pub mod configuration;
pub mod downloads;
pub mod page_cache;
pub mod startup;
pub mod telemetry;
