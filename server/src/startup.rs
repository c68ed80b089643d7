//! Putting the server together: open the store, build the router, serve until a signal.

use crate::configuration::{ConfigError, ServerSettings, Settings};
use crate::page_cache::PageCache;
use app::state::AppState;
use app::{shell, App};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use store::{Store, StoreError};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Leptos site options: {0}")]
    Leptos(String),
    #[error("cannot listen on {addr} (LEPTOS_SITE_ADDR): {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

/// Reads the settings, opens the store, and serves until Ctrl-C or SIGTERM.
pub async fn run_from_env() -> Result<(), StartError> {
    let settings = Settings::from_env()?;
    let conf = get_configuration(None).map_err(|e| StartError::Leptos(e.to_string()))?;
    let mut leptos_options = conf.leptos_options;
    // cargo-leptos tells a server it starts that the /pkg names are hashed; started by
    // hand (or by systemd), the server learns it from the hash file the build left
    // beside the binary.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() && hash_file_beside_binary(&leptos_options) {
        leptos_options.hash_files = true;
    }
    let addr = leptos_options.site_addr;
    let server = settings.server;

    let store = open_store(&settings).await?;
    let state = AppState {
        leptos_options,
        store: store.clone(),
        settings: Arc::new(settings.dashboard),
    };
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })?;
    tracing::info!("serving the dashboard on http://{addr}");
    let (app, _page_cache) = app(state, &server);
    serve(listener, app, &server, shutdown_signal()).await;
    store.close().await;
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

/// Serves `app` on `listener` until `shutdown` completes, then lets the requests under
/// way finish (at most `request_timeout` more).
///
/// Not `axum::serve`: that one gives hyper no timer, so a client that opens a
/// connection and sends its headers slowly (or never) holds it forever. Here every
/// HTTP/1.1 connection must deliver each request's headers within
/// `limits.header_read_timeout`, idle keep-alive connections included.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &ServerSettings,
    shutdown: impl Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let service = TowerToHyperService::new(app.map_request(
        |request: axum::http::Request<hyper::body::Incoming>| request.map(axum::body::Body::new),
    ));
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = http.serve_connection(TokioIo::new(stream), service.clone());
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.request_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open at shutdown were cut");
    }
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
        .layer(RequestBodyTimeoutLayer::new(limits.header_read_timeout));
    Router::new()
        .route("/healthz", get(healthz))
        .merge(limited)
        .layer(axum::middleware::from_fn(cache_policy))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The largest request body the server reads: a server-function call is a symbol in a
/// form, tens of bytes. Anything larger is answered 413 unread.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What every response carries. The page's own Content Security Policy (with its
/// nonce) comes with the HTML (see `app::content_security_policy`); anything else that
/// might be opened as a document gets one that allows nothing.
async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    response
}

/// At most `max_in_flight` requests at once: one more is answered 503 at once (with
/// `Retry-After`) instead of waiting in a queue the client cannot see. A request holds
/// its place until its response body has been sent, not only until the headers.
async fn limit_in_flight(
    axum::extract::State(in_flight): axum::extract::State<Arc<Semaphore>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let Ok(permit) = in_flight.try_acquire_owned() else {
        let mut busy = (
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is busy: try again in a moment",
        )
            .into_response();
        busy.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return busy;
    };
    next.run(request).await.map(|body| {
        axum::body::Body::new(Held {
            body,
            _place: permit,
        })
    })
}

/// A response body holding its request's in-flight place until it is dropped (sent in
/// full or cut off); its size is the inner body's, so `Content-Length` stays.
struct Held {
    body: axum::body::Body,
    _place: tokio::sync::OwnedSemaphorePermit,
}

impl http_body::Body for Held {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::pin::Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// A server-function call whose body is not a readable form (not UTF-8, not
/// `key=value` pairs) gets a 400 that says so, instead of reaching the function.
async fn check_server_fn_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() != axum::http::Method::POST || !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body).await {
        Ok(bytes) => bytes,
        Err(refusal) => return refusal.into_response(),
    };
    let readable = body_is_readable(&bytes, parts.headers.get(header::CONTENT_TYPE));
    if !readable {
        return (
            StatusCode::BAD_REQUEST,
            "the request body is not a form this server reads (UTF-8 key=value pairs)",
        )
            .into_response();
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// Why a request body was not read.
#[derive(Debug)]
pub(crate) enum BodyRefusal {
    /// It stalled longer than the header-read timeout: 408.
    TimedOut,
    /// It is larger than [`MAX_BODY_BYTES`]: 413.
    TooLarge,
}

impl IntoResponse for BodyRefusal {
    fn into_response(self) -> axum::response::Response {
        match self {
            BodyRefusal::TimedOut => (
                StatusCode::REQUEST_TIMEOUT,
                "the request body did not arrive in time".to_string(),
            ),
            BodyRefusal::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            ),
        }
        .into_response()
    }
}

/// A request body read whole (at most [`MAX_BODY_BYTES`]).
pub(crate) async fn read_body(body: axum::body::Body) -> Result<axum::body::Bytes, BodyRefusal> {
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|e| {
            if is_timeout(&e) {
                BodyRefusal::TimedOut
            } else {
                BodyRefusal::TooLarge
            }
        })
}

/// Whether reading a body failed because `RequestBodyTimeoutLayer` ran out of time.
fn is_timeout(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// A form body must be UTF-8 that decodes to UTF-8 pairs, a JSON body UTF-8; other
/// content types pass through (the server function answers for them).
fn body_is_readable(bytes: &[u8], content_type: Option<&HeaderValue>) -> bool {
    let content_type = content_type.and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("application/x-www-form-urlencoded") {
        std::str::from_utf8(bytes).is_ok()
            && url::form_urlencoded::parse(bytes)
                .all(|(k, v)| !k.contains('\u{FFFD}') && !v.contains('\u{FFFD}'))
    } else if content_type.starts_with("application/json") {
        std::str::from_utf8(bytes).is_ok()
    } else {
        true
    }
}

/// What browsers and CDNs may cache: hashed `/pkg` files for a year (their names
/// change with their content), other static files for a day; pages served from the
/// page cache say so themselves; everything else (errors, uncached answers) not at all.
async fn cache_policy(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let is_pkg = path.starts_with("/pkg/");
    let is_file = !path.starts_with("/api/")
        && path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if response.headers().contains_key(header::CACHE_CONTROL) {
        // The page cache decided (see `page_cache::SHARED_CACHE_POLICY`).
        return response;
    }
    let policy = if !response.status().is_success() || is_html || !is_file {
        "no-cache"
    } else if is_pkg {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Paths that are neither routes nor files render the app's not-found page.
fn leptos_fallback(state: AppState) -> axum::routing::MethodRouter {
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || provide_context(state.clone()),
        move || shell(options.clone()),
    );
    axum::routing::get(handler)
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

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
