//! Settings, from three places, each owning its own keys:
//!
//! - the environment (or a `.env` file): `DATABASE_URL`, `DATABASE_POOL_MODE` (parsed by
//!   the store, as for every program of ours), `LEPTOS_SITE_ADDR`, `LEPTOS_SITE_ROOT`,
//!   `TICKERBOARD_SETTINGS`;
//! - `Leptos.toml`, table `[dashboard]`: what the page shows (title, default symbol,
//!   coin per symbol, headline count); table `[server]`: how long a request may take
//!   and how many may run at once ([`ServerSettings`]);
//! - `Cargo.toml`, `[[workspace.metadata.leptos]]`: how cargo-leptos builds the site
//!   (it reaches the server through the `LEPTOS_*` variables cargo-leptos sets, or the
//!   defaults compiled in).

use app::ssr::settings::DashboardSettings;
use std::path::{Path, PathBuf};
use std::time::Duration;
use store::{DatabaseSettings, SettingError};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Database(#[from] SettingError),
}

/// Everything the server needs to start.
#[derive(Debug)]
pub struct Settings {
    /// `url: None`: the zero-setup SQLite file.
    pub database: DatabaseSettings,
    pub dashboard: DashboardSettings,
    pub server: ServerSettings,
}

/// How the server treats its clients and keeps pages: the `[server]` table of
/// `Leptos.toml`. The limits keep one slow or greedy client, or a burst of them, from
/// holding the server; the page cache keeps answers in memory between ingests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerSettings {
    /// A connection must deliver a request's headers within this time after it opens
    /// or after its previous response (idle keep-alive connections included), or it is
    /// closed; a request body must then arrive in full within this time too (however
    /// it trickles in), or it gets 408.
    pub header_read_timeout: Duration,
    /// A request (its body read and the answer computed) must be answered within this
    /// time, or it gets 503.
    pub request_timeout: Duration,
    /// Requests handled at once; one more is answered 503 at once with `Retry-After`
    /// instead of queueing. `/healthz` is outside the count, so a load balancer still
    /// sees a live server.
    pub max_in_flight: usize,
    /// Memory for cached pages and answers (all encodings); 0 turns the cache off.
    pub page_cache_bytes: u64,
    /// How often the server asks the database whether the data changed (a finished
    /// ingest shows within this time).
    pub data_check_interval: Duration,
    /// A client that takes none of a response for this long is cut off: its
    /// connection, its in-flight place and what its answer held (a download's
    /// database query) are released.
    pub send_timeout: Duration,
    /// Connections open at once. Beyond it the server accepts no more until one
    /// closes: new ones wait in the kernel's backlog, and file descriptors never run
    /// out.
    pub max_connections: usize,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(15),
            max_in_flight: 512,
            page_cache_bytes: 64 * 1024 * 1024,
            data_check_interval: Duration::from_secs(10),
            send_timeout: Duration::from_secs(10),
            max_connections: 4096,
        }
    }
}

/// `[server]` as written in the file: whole seconds and a count, each range-checked.
#[derive(serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ServerTable {
    header_read_timeout_secs: u64,
    request_timeout_secs: u64,
    max_in_flight: usize,
    page_cache_mib: u64,
    data_check_secs: u64,
    send_timeout_secs: u64,
    max_connections: usize,
}

impl Default for ServerTable {
    fn default() -> Self {
        let d = ServerSettings::default();
        ServerTable {
            header_read_timeout_secs: d.header_read_timeout.as_secs(),
            request_timeout_secs: d.request_timeout.as_secs(),
            max_in_flight: d.max_in_flight,
            page_cache_mib: d.page_cache_bytes / (1024 * 1024),
            data_check_secs: d.data_check_interval.as_secs(),
            send_timeout_secs: d.send_timeout.as_secs(),
            max_connections: d.max_connections,
        }
    }
}

impl ServerTable {
    fn limits(self) -> Result<ServerSettings, String> {
        let secs = |name: &str, value: u64| {
            if (1..=600).contains(&value) {
                Ok(Duration::from_secs(value))
            } else {
                Err(format!(
                    "[server] {name} = {value}: must be 1 to 600 seconds"
                ))
            }
        };
        if !(1..=100_000).contains(&self.max_in_flight) {
            return Err(format!(
                "[server] max_in_flight = {}: must be 1 to 100000",
                self.max_in_flight
            ));
        }
        if !(1..=100_000).contains(&self.max_connections) {
            return Err(format!(
                "[server] max_connections = {}: must be 1 to 100000",
                self.max_connections
            ));
        }
        if self.page_cache_mib > 16 * 1024 {
            return Err(format!(
                "[server] page_cache_mib = {}: must be 0 (off) to 16384",
                self.page_cache_mib
            ));
        }
        Ok(ServerSettings {
            header_read_timeout: secs("header_read_timeout_secs", self.header_read_timeout_secs)?,
            request_timeout: secs("request_timeout_secs", self.request_timeout_secs)?,
            max_in_flight: self.max_in_flight,
            page_cache_bytes: self.page_cache_mib * 1024 * 1024,
            data_check_interval: secs("data_check_secs", self.data_check_secs)?,
            send_timeout: secs("send_timeout_secs", self.send_timeout_secs)?,
            max_connections: self.max_connections,
        })
    }
}

impl Settings {
    /// Reads `.env` (if present), the environment, and the dashboard settings file.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let _ = dotenvy::dotenv();
        let database = dashboard_database(DatabaseSettings::from_env()?);
        let path = std::env::var("TICKERBOARD_SETTINGS").unwrap_or_else(|_| "Leptos.toml".into());
        let (mut dashboard, server) = read_settings_file(Path::new(&path))?;
        if let Some(url) = std::env::var("TICKERBOARD_PUBLIC_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        {
            dashboard.public_url =
                Some(public_url(&url).map_err(|message| ConfigError::Invalid {
                    path: "TICKERBOARD_PUBLIC_URL".into(),
                    message,
                })?);
        }
        Ok(Settings {
            database,
            dashboard,
            server,
        })
    }
}
/// How the dashboard opens `database`. A page view waits at most 3 s for a connection,
/// then shows the error panel. The dashboard only reads: on Postgres its role may not
/// create tables, so it checks the schema and leaves migrating to the ingest (`ingest
/// migrate`); a SQLite file is the dashboard's own, and a fresh one needs its schema.
pub fn dashboard_database(mut database: DatabaseSettings) -> DatabaseSettings {
    database.options.acquire_timeout = Duration::from_secs(3);
    database.migrate = database.is_sqlite();
    database
}

/// The `[dashboard]` and `[server]` tables of `path`. A missing file means the
/// defaults; a file that is there but wrong is an error, so a typo never silently falls
/// back.
pub fn read_settings_file(path: &Path) -> Result<(DashboardSettings, ServerSettings), ConfigError> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        dashboard: DashboardSettings,
        #[serde(default)]
        server: ServerTable,
    }
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!(path = %path.display(), "settings file not found, using defaults");
            return Ok(Default::default());
        }
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let mut file: File = toml::from_str(&text).map_err(|e| invalid(e.message().to_string()))?;
    if let Some(url) = file.dashboard.public_url.take() {
        file.dashboard.public_url = Some(public_url(&url).map_err(invalid)?);
    }
    Ok((file.dashboard, file.server.limits().map_err(invalid)?))
}

/// The public base URL as link previews use it: absolute http(s), no query or
/// fragment, without its trailing slash; otherwise why not.
pub fn public_url(raw: &str) -> Result<String, String> {
    let why = |what: &str| {
        format!(
            "public_url {what}: give the dashboard's address, e.g. https://tickerboard.example.com"
        )
    };
    let url = url::Url::parse(raw.trim()).map_err(|e| why(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(why("must be an http(s) address with a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(why("must not carry a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_is_an_absolute_address_without_its_slash() {
        assert_eq!(
            public_url("https://tickerboard.example.com/").unwrap(),
            "https://tickerboard.example.com"
        );
        assert_eq!(
            public_url(" http://a.b:8080/dash/ ").unwrap(),
            "http://a.b:8080/dash"
        );
        for bad in [
            "tickerboard.example.com",
            "ftp://a.b",
            "https://a.b/?x=1",
            "https://a.b/#top",
            "",
        ] {
            let why = public_url(bad).unwrap_err();
            assert!(why.contains("e.g. https://"), "{bad}: {why}");
        }
    }
    use store::testing::TempDir;

    #[test]
    fn repository_settings_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
        let (s, limits) = read_settings_file(&path).expect("Leptos.toml parses");
        assert_eq!(s.coin_for("BTC"), Some("bitcoin"));
        assert!(!s.title.is_empty());
        assert_eq!(s.stale_after_hours("weather"), 36);
        assert_eq!(s.stale_after_hours("a source it does not list"), 36);
        assert!(limits.max_in_flight >= 256, "{limits:?}");
    }

    #[test]
    fn server_limits_are_range_checked() {
        let dir = TempDir::new();
        let path = dir.path.join("limits.toml");
        std::fs::write(&path, "[server]\nrequest_timeout_secs = 0\n").unwrap();
        let err = read_settings_file(&path).unwrap_err().to_string();
        assert!(err.contains("request_timeout_secs = 0"), "{err}");
        std::fs::write(&path, "[server]\nmax_in_flight = 8\n").unwrap();
        let (_, limits) = read_settings_file(&path).unwrap();
        assert_eq!(limits.max_in_flight, 8);
        assert_eq!(
            limits.request_timeout,
            ServerSettings::default().request_timeout
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = TempDir::new();
        let path = dir.path.join("bad.toml");
        std::fs::write(&path, "[dashboard]\ntitel = \"x\"\n").unwrap();
        let err = read_settings_file(&path).unwrap_err().to_string();
        assert!(err.contains("titel"), "{err}");
        std::fs::write(&path, "[server]\nmax_inflight = 3\n").unwrap();
        let err = read_settings_file(&path).unwrap_err().to_string();
        assert!(err.contains("max_inflight"), "{err}");
    }
}
