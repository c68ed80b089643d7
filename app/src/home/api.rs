//! The home page's server function.

// `get_dashboard` takes one argument per URL parameter, so its form body is the page's
// query as it is; the server-function macro writes more functions with the same
// arguments (on both sides), which an attribute on the function does not reach.
#![allow(clippy::too_many_arguments)]

use crate::answer::Answer;
use crate::error::AppError;
use crate::home::data::Dashboard;
use leptos::prelude::*;

/// Loads the dashboard for the page's URL parameters.
///
/// Also reachable as `POST /api/dashboard` with a form body `symbol=IBM` (and `q`,
/// `news`, `range`, `chart`, `ma`, `compare`, `scale`, `ind`, `markers`).
#[server(endpoint = "dashboard", output = Answer)]
pub async fn get_dashboard(
    symbol: Option<String>,
    q: Option<String>,
    news: Option<String>,
    range: Option<String>,
    chart: Option<String>,
    ma: Option<String>,
    compare: Option<String>,
    scale: Option<String>,
    ind: Option<String>,
    markers: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::chart::view::ChartParams;
    use crate::home::ssr::{self, DashboardQuery};
    use crate::ssr::state::AppState;
    use crate::ssr::status::respond;
    let state = expect_context::<AppState>();
    let query = DashboardQuery {
        symbol,
        q,
        news,
        chart: ChartParams {
            range,
            chart,
            ma,
            compare,
            scale,
            ind,
            markers,
        },
    };
    respond(ssr::load_dashboard(&state, &query).await)
}
