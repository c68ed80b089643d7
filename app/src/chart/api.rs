//! The chart's own server function: the days' details a line chart's tooltip asks for.

use crate::chart::wire::BarDetails;
use crate::error::AppError;
use leptos::prelude::*;

/// The open, high, low and volume of every day of `symbol`, oldest first (the chart's
/// dataset's days): what a line chart's page leaves out until its tooltip shows. 400
/// for a malformed symbol, 404 (and no rows) for one without prices.
///
/// Reachable as `POST /api/bar_details` with a form body `symbol=IBM`; the browser
/// calls it with `fetch` and reads the answer with `JSON.parse` (see
/// `chart/hydrate/tooltip.rs`).
#[server(endpoint = "bar_details")]
pub async fn get_bar_details(symbol: String) -> Result<BarDetails, AppError> {
    use crate::chart::ssr::option::bar_details;
    use crate::ssr::state::AppState;
    use crate::ssr::status::{respond, unavailable};
    use axum::http::StatusCode;
    use store::Symbol;
    let state = expect_context::<AppState>();
    let loaded = match Symbol::parse(symbol.trim()) {
        Err(_) => Ok((bar_details(&[]), StatusCode::BAD_REQUEST)),
        Ok(symbol) => state
            .store
            .daily_bars(&symbol, None, None)
            .await
            .map_err(unavailable)
            .map(|bars| {
                let status = if bars.is_empty() {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::OK
                };
                (bar_details(&bars), status)
            }),
    };
    respond(loaded)
}
