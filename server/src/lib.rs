//! The dashboard's HTTP server: settings, pool, router, static files, shutdown.
//!
//! Reading order: [`configuration`] (what can be set, and where), [`startup`] (how the
//! pieces are put together and served).

pub mod configuration;
pub mod startup;
pub mod telemetry;
