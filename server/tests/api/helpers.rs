//! One way to start the app for a test: [`spawn_app`] serves a store on a random
//! loopback port with the real router, as the binary does.

use app::ssr::settings::DashboardSettings;
use app::ssr::state::AppState;
use leptos::prelude::LeptosOptions;
use server::configuration::ServerSettings;
use server::page_cache::PageCache;
use std::cell::RefCell;
use std::sync::{Arc, LazyLock, Weak};
use store::testing::TempDir;
use store::{demo, Store};
use tokio::net::TcpListener;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// A running app and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub page_cache: PageCache,
    _site: Arc<TempDir>,
    _turn: Arc<OwnedMutexGuard<()>>,
}

/// The apps of different tests take turns: each test runs on a tokio runtime of its
/// own, and Leptos' rendering on several runtimes at once in one process has left a
/// request waiting forever now and then (seen since `/weather` and `/runs` came; not
/// seen with the one runtime the binary has, at 64 concurrent uncached requests). The
/// apps of one test share its turn.
static TURNS: LazyLock<Arc<Mutex<()>>> = LazyLock::new(Arc::default);

thread_local! {
    static HELD: RefCell<Weak<OwnedMutexGuard<()>>> = const { RefCell::new(Weak::new()) };
}

/// This test's turn: the one it holds already, or the next one.
async fn turn() -> Arc<OwnedMutexGuard<()>> {
    if let Some(held) = HELD.with(|h| h.borrow().upgrade()) {
        return held;
    }
    let guard = Arc::new(TURNS.clone().lock_owned().await);
    HELD.with(|h| *h.borrow_mut() = Arc::downgrade(&guard));
    guard
}

impl TestApp {
    /// GETs a path; the status and the body.
    pub async fn get(&self, path_and_query: &str) -> (u16, String) {
        let res = self.response(path_and_query, &[]).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// GETs a path until its page satisfies `ready` (the page cache picks up a data
    /// change within its check interval) or 5 s have passed; the last answer.
    pub async fn get_when(
        &self,
        path_and_query: &str,
        ready: impl Fn(&str) -> bool,
    ) -> (u16, String) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let (status, body) = self.get(path_and_query).await;
            if ready(&body) || std::time::Instant::now() > deadline {
                return (status, body);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// GETs a path with request headers; the whole response.
    pub async fn response(
        &self,
        path_and_query: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path_and_query}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// Calls the dashboard's server function as the page does.
    pub async fn dashboard_api(&self, symbol: &str) -> (u16, serde_json::Value) {
        self.dashboard_api_with(&format!("symbol={symbol}")).await
    }

    /// Calls the dashboard's server function with a whole form body.
    pub async fn dashboard_api_with(&self, body: &str) -> (u16, serde_json::Value) {
        self.api("dashboard", body).await
    }

    /// `POST /api/{endpoint}` with a form body, as the page's server functions call it.
    pub async fn api(&self, endpoint: &str, body: &str) -> (u16, serde_json::Value) {
        let res = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }
}

impl TestApp {
    /// The folder the app serves its static files from.
    pub fn site(&self) -> &std::path::Path {
        &self._site.path
    }
}

/// A response header's value, or "" when it is absent.
pub fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Serves `store` on a random loopback port, as the real binary does, with a small
/// built site: one hashed /pkg file (and its brotli copy) and one plain asset. The
/// settings are the defaults, but for a data check every 100 ms instead of 10 s, so a
/// test sees a new ingest on the page without waiting.
pub async fn spawn_app(store: Store) -> TestApp {
    spawn_app_with(store, test_settings()).await
}

/// The settings [`spawn_app`] uses.
pub fn test_settings() -> ServerSettings {
    ServerSettings {
        data_check_interval: std::time::Duration::from_millis(100),
        ..ServerSettings::default()
    }
}

/// [`spawn_app`] with other time and concurrency limits.
pub async fn spawn_app_with(store: Store, limits: ServerSettings) -> TestApp {
    spawn_configured(store, limits, DashboardSettings::default()).await
}

/// [`spawn_app`] with other limits and `[dashboard]` settings.
pub async fn spawn_configured(
    store: Store,
    limits: ServerSettings,
    dashboard: DashboardSettings,
) -> TestApp {
    let turn = turn().await;
    let site = Arc::new(TempDir::new());
    std::fs::create_dir_all(site.path.join("pkg")).unwrap();
    std::fs::write(
        site.path.join("pkg/tickerboard.abc123.js"),
        "console.log('hi')",
    )
    .unwrap();
    std::fs::write(
        site.path.join("pkg/tickerboard.abc123.js.br"),
        b"\x0b\x08\x80console.log('hi')\x03",
    )
    .unwrap();
    std::fs::write(site.path.join("favicon.svg"), "<svg/>").unwrap();
    let leptos_options = LeptosOptions::builder()
        .output_name("tickerboard")
        .site_root(site.path.display().to_string())
        .build();
    let state = AppState {
        leptos_options,
        store: store.clone(),
        settings: Arc::new(dashboard),
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let kept = site.clone();
    let (app, page_cache) = server::startup::app(state, &limits);
    tokio::spawn(async move {
        let _site = kept;
        server::serve::serve(listener, app, &limits, std::future::pending()).await;
    });
    TestApp {
        base: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        store,
        page_cache,
        _site: site,
        _turn: turn,
    }
}

/// [`spawn_app`] over `store` filled with the demo data set.
pub async fn spawn_demo_app(store: Store) -> TestApp {
    spawn_demo_app_with(store, test_settings()).await
}

/// [`spawn_demo_app`] with other limits.
pub async fn spawn_demo_app_with(store: Store, limits: ServerSettings) -> TestApp {
    demo::seed(&store).await.unwrap();
    spawn_app_with(store, limits).await
}

/// The ECharts option of a `get_dashboard` answer (it travels as its JSON text).
pub fn option_of(json: &serde_json::Value) -> serde_json::Value {
    let text = json["chart"]["option"]
        .as_str()
        .expect("the option comes as its JSON text");
    let option: serde_json::Value = serde_json::from_str(text).expect("the option is JSON");
    assert!(option.is_object(), "{option}");
    option
}
