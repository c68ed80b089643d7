//! Putting the server together, and nothing else: open the store, build the router
//! from the parts the other modules define, serve until a signal.

use crate::configuration::{ConfigError, ServerSettings, Settings};
use crate::headers::{cache_policy, security_headers};
use crate::limits::{body_deadline, check_server_fn_body, limit_in_flight, MAX_BODY_BYTES};
use crate::page_cache::PageCache;
use crate::serve::{serve, shutdown_signal};
use app::ssr::shell::shell;
use app::ssr::state::AppState;
use app::App;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use store::{Store, StoreError};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Leptos site options: {0}")]
    Leptos(String),
    #[error(transparent)]
    Lambda(#[from] crate::lambda::LambdaError),
    #[error("cannot listen on {addr} (LEPTOS_SITE_ADDR): {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Reads the settings, opens the store, and serves until Ctrl-C or SIGTERM; or, as a
/// Lambda function's bootstrap, through the Lambda Runtime API ([`crate::lambda`]).
pub async fn run_from_env() -> Result<(), StartError> {
    let mut settings = Settings::from_env()?;
    if crate::lambda::is_lambda() {
        settings = crate::lambda::runtime::settings(settings).await?;
    }
    let conf = get_configuration(None).map_err(|e| StartError::Leptos(e.to_string()))?;
    let mut leptos_options = conf.leptos_options;
    // cargo-leptos tells a server it starts that the /pkg names are hashed; started by
    // hand (or by systemd), the server learns it from the hash file the build left
    // beside the binary.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() && hash_file_beside_binary(&leptos_options) {
        leptos_options.hash_files = true;
    }
    let addr = leptos_options.site_addr;
    let store = open_store(&settings).await?;
    let state = AppState {
        leptos_options,
        store: store.clone(),
        settings: Arc::new(settings.dashboard),
    };
    if crate::lambda::is_lambda() {
        let (app, _page_cache) = app(state, &settings.server);
        return Ok(crate::lambda::runtime::run(app).await?);
    }
    let server = within_open_files(settings.server);
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    tracing::info!("serving the dashboard on http://{addr}");
    let (app, _page_cache) = app(state, &server);
    serve(listener, app, &server, shutdown_signal()).await;
    // A connection a download still holds is let go of, at the latest, after this.
    if tokio::time::timeout(server.request_timeout, store.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections still in use at shutdown were dropped");
    }
    tracing::info!("stopped");
    Ok(())
}

fn hash_file_beside_binary(options: &LeptosOptions) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .is_some_and(|path| path.is_file())
}

/// Opens the database named by the settings (or the zero-setup SQLite file, filled with
/// demo data while new) and brings its schema up to date.
pub async fn open_store(settings: &Settings) -> Result<Store, StoreError> {
    let opened = Store::open(&settings.database).await?;
    match &settings.database.url {
        None => tracing::info!(
            file = store::DEFAULT_SQLITE_FILE,
            "DATABASE_URL not set: using the embedded SQLite file"
        ),
        Some(_) => tracing::info!(
            backend = opened.store.backend(),
            pool_mode = ?settings.database.options.pool_mode,
            "connected to DATABASE_URL"
        ),
    }
    if opened.is_new_default {
        store::demo::seed(&opened.store).await?;
    }
    Ok(opened.store)
}

/// File descriptors kept for the database pool, the static files being sent and the
/// rest of the process, beside one per connection.
const SPARE_FILES: u64 = 128;

/// `limits` as this process can hold them: the soft limit on open files raised to the
/// hard one (as Go and nginx do; the usual soft 1,024 would refuse the default
/// `max_connections` long before the machine must), and `max_connections` lowered,
/// with a warning, when even that is too few.
fn within_open_files(limits: ServerSettings) -> ServerSettings {
    let wanted = limits.max_connections as u64 + SPARE_FILES;
    match rlimit::increase_nofile_limit(wanted) {
        Ok(open_files) => {
            let fits = connections_within(limits.max_connections, open_files);
            if fits < limits.max_connections {
                tracing::warn!(
                    max_connections = limits.max_connections,
                    open_files,
                    lowered_to = fits,
                    "[server] max_connections is more than this process may open files \
                     for (raise `ulimit -n`)"
                );
            }
            ServerSettings {
                max_connections: fits,
                ..limits
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the open-file limit failed");
            limits
        }
    }
}

/// The connections that fit in `open_files` with [`SPARE_FILES`] to spare (at least 1).
fn connections_within(max_connections: usize, open_files: u64) -> usize {
    let fit = open_files.saturating_sub(SPARE_FILES).max(1);
    max_connections.min(usize::try_from(fit).unwrap_or(usize::MAX))
}

/// The router over `state` with its page cache, which follows the store's data
/// version (see [`crate::page_cache`]); the cache is returned for a look inside.
pub fn app(state: AppState, server: &ServerSettings) -> (Router, PageCache) {
    let page_cache = PageCache::new(server.page_cache_bytes);
    page_cache.watch(state.store.clone(), server.data_check_interval);
    (router(state, server, page_cache.clone()), page_cache)
}

/// The whole HTTP surface: the Leptos page and server functions, `/healthz`, static
/// files (hashed `/pkg` files cached for a year), compression; pages and answers from
/// memory between ingests (see [`crate::page_cache`]); every request but `/healthz`
/// under the limits (time and how many at once).
fn router(state: AppState, limits: &ServerSettings, page_cache: PageCache) -> Router {
    let routes = generate_route_list(App);
    let site_root = state.leptos_options.site_root.to_string();

    let assets = ServeDir::new(&site_root)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(leptos_fallback(state.clone()));

    let context_state = state.clone();
    let shell_options = state.leptos_options.clone();
    let in_flight = Arc::new(Semaphore::new(limits.max_in_flight));
    let limited = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .merge(crate::downloads::routes())
        .merge(crate::picture::routes())
        .merge(crate::updates::routes())
        .merge(crate::offline::routes())
        .fallback_service(assets)
        .layer(axum::middleware::from_fn(check_server_fn_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            in_flight,
            limit_in_flight,
        ))
        .layer(axum::middleware::from_fn_with_state(
            page_cache,
            crate::page_cache::serve_cached,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            limits.header_read_timeout,
            body_deadline,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(limited)
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Paths that are neither routes nor files render the app's not-found page, as 404.
fn leptos_fallback(state: AppState) -> axum::routing::MethodRouter {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(state.clone()),
        move || shell(options.clone()),
    );
    axum::routing::get(handler).layer(axum::middleware::map_response(
        |mut response: axum::response::Response| async move {
            *response.status_mut() = StatusCode::NOT_FOUND;
            response
        },
    ))
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_fit_in_the_open_file_limit() {
        assert_eq!(connections_within(4096, 1_048_576), 4096);
        assert_eq!(connections_within(4096, 1024), 896, "the usual soft limit");
        assert_eq!(connections_within(4096, 100), 1, "never none");
    }
}
