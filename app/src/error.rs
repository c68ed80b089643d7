//! What can go wrong loading a page, as every page's server function answers it. The
//! HTTP status of a page with bad parameters is decided in one place on the server:
//! [`crate::ssr::status`].

use crate::answer::AnswerEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use serde_lite::{Deserialize as LiteDeserialize, Serialize as LiteSerialize};

/// What can go wrong loading a page; the message is shown to the user as it is.
/// Internal details (SQL errors, hosts) are logged on the server, never sent.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Serialize,
    Deserialize,
    thiserror::Error,
    LiteSerialize,
    LiteDeserialize,
)]
pub enum AppError {
    #[error("The database is not reachable right now. This page recovers by itself as soon as it is back.")]
    DatabaseUnavailable,
    #[error("Something went wrong talking to the server: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = AnswerEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}
