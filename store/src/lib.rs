//! tickerboard's storage layer: one schema on Postgres and SQLite.
//!
//! The parsed values in [`domain`] and the row types in [`types`] compile everywhere,
//! the wasm build included. The `db` feature adds [`Store`], which owns the connection
//! pool, the migrations and every query, so neither the dashboard nor the ingest crate
//! writes SQL of its own.

pub mod domain;
pub mod types;
pub use domain::*;
pub use types::*;

#[cfg(feature = "db")]
mod db;
#[cfg(feature = "db")]
pub mod demo;
#[cfg(feature = "db")]
pub use db::*;
#[cfg(feature = "testing")]
pub mod testing;
