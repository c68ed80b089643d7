//! The chart as a picture: `/chart.svg` and `/chart.png` take exactly the parameters `/`
//! takes and answer the server's drawing of that view (`app::chart::ssr::picture`),
//! 1200 × 630, for link previews and to download. A bad parameter is a 400 with the
//! page's notice as a short text, never a broken image. Both are pages to the page
//! cache: computed once per data version and query, answered with an ETag.

use app::home::ssr::{load_picture, DashboardQuery};
use app::ssr::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The two pictures.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chart.svg", get(svg))
        .route("/chart.png", get(png))
}

async fn svg(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    picture(&state, query, false).await
}

async fn png(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    picture(&state, query, true).await
}

/// The picture for the query, as PNG or SVG; otherwise why not, in words.
async fn picture(state: &AppState, query: Option<String>, as_png: bool) -> Response {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let query = DashboardQuery::from_pairs(&pairs);
    let text = |status: StatusCode, why: String| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            why,
        )
            .into_response()
    };
    match load_picture(state, &query).await {
        Ok((Ok(svg), _)) if !as_png => {
            ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
        }
        Ok((Ok(svg), _)) => match app::chart::ssr::picture::picture_png(&svg) {
            Ok(png) => ([(header::CONTENT_TYPE, "image/png")], png).into_response(),
            Err(why) => {
                tracing::error!(%why, "the chart's picture failed");
                text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The picture could not be drawn.".into(),
                )
            }
        },
        Ok((Err(why), status)) => text(status, why),
        Err(_) => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "The database is not available right now.".into(),
        ),
    }
}
