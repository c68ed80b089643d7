//! What the server alone compiles and every page shares: the HTML shell and its
//! Content Security Policy, the state handed to handlers, the settings from
//! `Leptos.toml`, the one status rule for bad parameters, and the SVG charts drawn for
//! the first paint.

pub mod settings;
pub mod shell;
pub mod state;
pub mod status;
pub mod svg;
