//! `GET /data-version`: the version of the data the pages show (`Store::data_version`,
//! which an ingest changes), as `{"version": "…"}`. Open pages ask it every 30 s with
//! the ETag of its last answer (`public/nav.js`): answered from the page cache, 304 while
//! nothing changed, so a thousand open tabs cost the server a few hundred 304s a minute,
//! and no connection is held open (it works behind a CDN and on Lambda alike).

use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().route("/data-version", get(data_version))
}

async fn data_version(State(state): State<AppState>) -> Response {
    match state.store.data_version().await {
        Ok(version) => (
            [(header::CONTENT_TYPE, "application/json")],
            format!(
                r#"{{"version":"{}"}}"#,
                version.replace('\\', "\\\\").replace('"', "\\\"")
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "data version unavailable");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
