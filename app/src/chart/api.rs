//! The chart's own server function: the days' details a line chart's tooltip asks for.

use crate::answer::Answer;
use crate::chart::wire::BarDetails;
use crate::error::AppError;
use leptos::prelude::*;

/// The open, high, low and volume of every day of `symbol`, oldest first (the chart's
/// dataset's days): what a line chart's page leaves out until its tooltip shows. 400
/// for a malformed symbol, 404 (and no rows) for one without prices.
///
/// Reachable as `POST /api/bar_details` with a form body `symbol=IBM`; the tooltip
/// asks it through the server-function client (see `chart/hydrate/tooltip.rs`).
#[server(endpoint = "bar_details", output = Answer)]
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

/// The most headlines a marker's day lists.
pub const DAY_HEADLINES: u32 = 20;

/// `coin`'s headlines on `day` (`2026-11-27`, UTC), newest first, at most
/// [`DAY_HEADLINES`]: what a news marker lists when it is hovered or tapped. 400 for a
/// malformed day or coin.
///
/// Reachable as `POST /api/day_headlines` with a form body `coin=bitcoin&day=2026-11-27`.
#[server(endpoint = "day_headlines", output = Answer)]
pub async fn get_day_headlines(
    coin: String,
    day: String,
) -> Result<Vec<crate::chart::wire::DayHeadline>, AppError> {
    use crate::chart::wire::DayHeadline;
    use crate::ssr::state::AppState;
    use crate::ssr::status::{respond, unavailable};
    use axum::http::StatusCode;
    let state = expect_context::<AppState>();
    let well_formed = !coin.is_empty()
        && coin.len() <= 40
        && coin.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let loaded = match (well_formed, day.trim().parse::<chrono::NaiveDate>()) {
        (true, Ok(day)) => state
            .store
            .headlines_on(&coin, day, DAY_HEADLINES)
            .await
            .map_err(unavailable)
            .map(|headlines| {
                let rows = headlines
                    .iter()
                    .map(|h| DayHeadline {
                        title: h.title.clone(),
                        link: h.has_web_url().then(|| h.url.clone()),
                        time: h.published_at.format("%H:%M").to_string(),
                    })
                    .collect();
                (rows, StatusCode::OK)
            }),
        _ => Ok((Vec::new(), StatusCode::BAD_REQUEST)),
    };
    respond(loaded)
}
