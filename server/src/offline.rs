//! The installable app: `/sw.js`, the service worker (`frontend/js/sw.js`) with the
//! names of this build's assets in front of it. A new build has new hashed names, so
//! browsers, which compare the worker's bytes on each visit, install the new worker,
//! which drops the old copies (see the worker's header). The manifest and the icons are
//! files of `public/`.

use app::ssr::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;

/// The worker's code, without its constants.
const WORKER: &str = include_str!("../../frontend/js/sw.js");

pub fn routes() -> Router<AppState> {
    Router::new().route("/sw.js", get(worker))
}

async fn worker(State(state): State<AppState>) -> impl IntoResponse {
    let (version, assets) = assets(&state.leptos_options);
    let list = assets
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let body = format!("const VERSION = {version:?};\nconst ASSETS = [{list}];\n{WORKER}");
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Browsers ask again on each visit anyway; nothing between may keep it.
            (header::CACHE_CONTROL, "no-cache"),
            // A worker runs under its own script's policy: it fetches our pages and
            // files, nothing else (the default for other answers forbids even that).
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; connect-src 'self'; frame-ancestors 'none'",
            ),
        ],
        body,
    )
}

/// The build's version (its hashes, as `hash.txt` has them next to the binary, where
/// Leptos reads them) and the files a page needs, by their paths (not the icons: the
/// browser fetches those itself when it installs the app, and a reader who never does
/// need not download them).
pub fn assets(options: &LeptosOptions) -> (String, Vec<String>) {
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (file, hash) = line.split_once(':')?;
            (file.trim() == kind).then(|| format!(".{}", hash.trim()))
        })
    };
    let name = options.output_name.as_ref();
    let (js, wasm, css) = (
        hash_of("js").unwrap_or_default(),
        hash_of("wasm").unwrap_or_default(),
        hash_of("css").unwrap_or_default(),
    );
    let version = format!("{}{js}{wasm}{css}", env!("CARGO_PKG_VERSION"));
    let assets = [
        format!("/pkg/{name}{js}.js"),
        format!("/pkg/{name}{wasm}.wasm"),
        format!("/pkg/{name}{css}.css"),
        app::ECHARTS_SCRIPT.to_string(),
        app::NAV_SCRIPT.to_string(),
        "/favicon.svg".into(),
        "/manifest.webmanifest".into(),
        "/offline.html".into(),
    ];
    (version, assets.to_vec())
}
