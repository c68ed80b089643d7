//! The dashboard as a Lambda function (#23), without AWS: the real `server` binary as a
//! function's bootstrap under a local Lambda Runtime API (below), answering Function URL
//! events with streamed responses; its database URL read from SSM (moto on loopback),
//! its data in a real Postgres. Asserts what a reader behind CloudFront would get:
//! status codes, headers and bodies, a large CSV arriving in pieces, a 304 from
//! memory, and a 503 panel (never a 500 or a trace) when the database is away.

use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::testing::{fresh_postgres_with_url, TempDir};
use tokio::process::{Child, Command};
use tokio::sync::{oneshot, Notify};

/// One answer as the Function URL would send it on: the prelude's status and headers,
/// the body, and in how many pieces the body reached the Runtime API.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
    pieces: usize,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Default)]
struct Api {
    queue: Mutex<VecDeque<(String, Value)>>,
    arrived: Notify,
    waiting: Mutex<HashMap<String, oneshot::Sender<Result<Answer, String>>>>,
    /// When the bootstrap first asked for an event: the end of its cold start.
    first_next: Mutex<Option<Instant>>,
    init_error: Mutex<Option<String>>,
}

async fn next(State(api): State<Arc<Api>>) -> (HeaderMap, Json<Value>) {
    api.first_next
        .lock()
        .unwrap()
        .get_or_insert_with(Instant::now);
    loop {
        let notified = api.arrived.notified();
        if let Some((id, event)) = api.queue.lock().unwrap().pop_front() {
            let mut headers = HeaderMap::new();
            headers.insert("lambda-runtime-aws-request-id", id.parse().unwrap());
            let deadline = chrono::Utc::now().timestamp_millis() + 30_000;
            headers.insert("lambda-runtime-deadline-ms", deadline.into());
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:dashboard"
                    .parse()
                    .unwrap(),
            );
            return (headers, Json(event));
        }
        notified.await;
    }
}

/// A streamed response: `prelude JSON`, eight NUL bytes, then the body, chunk by chunk.
async fn response(State(api): State<Arc<Api>>, Path(id): Path<String>, request: Request) {
    let streaming = request
        .headers()
        .get("lambda-runtime-function-response-mode")
        .is_some_and(|v| v == "streaming");
    let mut body = request.into_body();
    let (mut bytes, mut pieces) = (Vec::new(), 0);
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.expect("the response's body").into_data() {
            bytes.extend_from_slice(&data);
            pieces += 1;
        }
    }
    let answer = if streaming {
        split_prelude(&bytes, pieces)
    } else {
        Err(format!(
            "a buffered response: {}",
            String::from_utf8_lossy(&bytes)
        ))
    };
    if let Some(tx) = api.waiting.lock().unwrap().remove(&id) {
        let _ = tx.send(answer);
    }
}

fn split_prelude(bytes: &[u8], pieces: usize) -> Result<Answer, String> {
    let at = bytes
        .windows(8)
        .position(|w| w == [0u8; 8])
        .ok_or("no prelude delimiter")?;
    let prelude: Value = serde_json::from_slice(&bytes[..at]).map_err(|e| e.to_string())?;
    let headers = prelude["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let v = match v {
                Value::Array(all) => all
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                v => v.as_str().unwrap_or_default().to_string(),
            };
            (k.to_ascii_lowercase(), v)
        })
        .collect();
    Ok(Answer {
        status: prelude["statusCode"].as_u64().ok_or("no statusCode")? as u16,
        headers,
        body: bytes[at + 8..].to_vec(),
        // The prelude and the delimiter are the first two chunks.
        pieces: pieces.saturating_sub(2),
    })
}

async fn error(State(api): State<Arc<Api>>, Path(id): Path<String>, body: String) {
    if let Some(tx) = api.waiting.lock().unwrap().remove(&id) {
        let _ = tx.send(Err(body));
    }
}

async fn init_error(State(api): State<Arc<Api>>, body: String) {
    *api.init_error.lock().unwrap() = Some(body);
}

/// The `server` binary as a function's bootstrap, and its Runtime API.
struct Function {
    api: Arc<Api>,
    process: Child,
    started: Instant,
    _dir: TempDir,
}

impl Function {
    /// The binary under test: the one cargo built for these tests, or the bootstrap of
    /// a built zip (`TICKERBOARD_LAMBDA_BOOTSTRAP`, to measure a release cold start).
    async fn start(env: &[(&str, String)]) -> Function {
        let api = Arc::new(Api::default());
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(api.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let dir = site();
        let binary = std::env::var("TICKERBOARD_LAMBDA_BOOTSTRAP")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_server").to_string());
        let mut command = Command::new(binary);
        command
            .current_dir(&dir.path)
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", "tickerboard-dashboard")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
            .env("LEPTOS_SITE_ROOT", "site")
            .env("LEPTOS_OUTPUT_NAME", "tickerboard")
            .env("RUST_LOG", "warn")
            .kill_on_drop(true);
        for (k, v) in env {
            command.env(k, v);
        }
        let started = Instant::now();
        let process = command.spawn().expect("start the server binary");
        Function {
            api,
            process,
            started,
            _dir: dir,
        }
    }

    /// The time from the process's start to its first request for an event (what
    /// Lambda reports as the init duration), once it has asked.
    async fn init_duration(&self) -> Duration {
        for _ in 0..600 {
            if let Some(at) = *self.api.first_next.lock().unwrap() {
                return at - self.started;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!(
            "the bootstrap never asked for an event; init error: {:?}",
            self.api.init_error.lock().unwrap()
        );
    }

    async fn invoke(&self, event: Value) -> Answer {
        let id = uuid_like();
        let (tx, rx) = oneshot::channel();
        self.api.waiting.lock().unwrap().insert(id.clone(), tx);
        self.api.queue.lock().unwrap().push_back((id, event));
        self.api.arrived.notify_waiters();
        match tokio::time::timeout(Duration::from_secs(60), rx).await {
            Ok(Ok(Ok(answer))) => answer,
            Ok(Ok(Err(error))) => panic!("the function failed: {error}"),
            _ => panic!(
                "no answer; init error: {:?}",
                self.api.init_error.lock().unwrap()
            ),
        }
    }

    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        self.invoke(url_event("GET", path, headers, "")).await
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.process.start_kill();
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    format!(
        "00000000-0000-4000-8000-{:012}",
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// What the zip carries beside `bootstrap`: the site (one hashed `/pkg` file with its
/// brotli copy, as a build leaves them) and no settings file (the defaults).
fn site() -> TempDir {
    let dir = TempDir::new();
    let pkg = dir.path.join("site/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("tickerboard.abc123.js"), "console.log('hi')").unwrap();
    std::fs::write(
        pkg.join("tickerboard.abc123.js.br"),
        b"\x0b\x08\x80console.log('hi')\x03",
    )
    .unwrap();
    std::fs::write(dir.path.join("site/nav-6.min.js"), "/* nav */").unwrap();
    dir
}

/// A Function URL event (payload format 2.0), as Lambda hands it to the function.
fn url_event(method: &str, path_and_query: &str, headers: &[(&str, &str)], body: &str) -> Value {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let host = "abcdefgh.lambda-url.us-east-1.on.aws";
    let mut all = json!({
        "host": host,
        "x-forwarded-proto": "https",
        "x-forwarded-for": "203.0.113.7",
        "user-agent": "test",
    });
    for (k, v) in headers {
        all[*k] = json!(v);
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": all,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": "abcdefgh",
            "domainName": host,
            "domainPrefix": "abcdefgh",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "test"
            },
            "requestId": "req",
            "routeKey": "$default",
            "stage": "$default",
            "time": "02/Dec/2026:22:00:00 +0000",
            "timeEpoch": 1_796_248_800_000u64
        },
        "body": body,
        "isBase64Encoded": false
    })
}

/// The dashboard's database URL as the deployed function gets it: a SecureString in
/// SSM (moto), named by `DASHBOARD_DATABASE_PARAMETER`.
async fn from_ssm(database_url: &str) -> Vec<(&'static str, String)> {
    use aws_sdk_ssm::config::{BehaviorVersion, Credentials, Region};
    let endpoint = std::env::var("TEST_AWS_ENDPOINT_URL").unwrap_or_else(|_| {
        panic!("TEST_AWS_ENDPOINT_URL is not set: run the tests with `bash scripts/test.sh`, which starts moto on loopback")
    });
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "test"))
        .load()
        .await;
    // One name per database (each test's database is new), so runs never collide.
    let database = database_url.rsplit('/').next().unwrap_or_default();
    let name = format!("/tickerboard-test/{database}/dashboard-database-url");
    aws_sdk_ssm::Client::new(&config)
        .put_parameter()
        .name(&name)
        .value(database_url)
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .expect("put the parameter into moto");
    vec![
        ("DASHBOARD_DATABASE_PARAMETER", name),
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
    ]
}

/// 100,000 days of one symbol: a CSV of several MB.
const BIG_DAYS: usize = 100_000;

#[tokio::test]
async fn the_dashboard_answers_function_url_events_with_the_same_pages() {
    let (store, url) = fresh_postgres_with_url().await;
    store::demo::seed(&store).await.unwrap();
    store
        .execute_raw(&format!(
            "INSERT INTO daily_prices (symbol, date, open, high, low, close, volume, source)
             SELECT 'BIG', DATE '1700-01-01' + d, 100 + d % 7, 110 + d % 7, 90 + d % 7,
                    101.25 + d % 7, 1000 + d, 'test'
             FROM generate_series(0, {}) AS d",
            BIG_DAYS - 1
        ))
        .await
        .unwrap();
    // The URL the function reads is the reader role's, made by the README's SQL: the
    // dashboard on Lambda only reads (a migration would fail there).
    let database = store.current_database().await.unwrap();
    let role = format!("reader_{database}");
    store
        .execute_raw(&crate::read_only::readme_reader_role(&role, &database))
        .await
        .unwrap();
    let reader_url = url.replacen("postgres@", &format!("{role}:reader-pw@"), 1);
    let function = Function::start(&from_ssm(&reader_url).await).await;
    let init = function.init_duration().await;
    println!("dashboard bootstrap init duration: {} ms", init.as_millis());

    // The page, as HTML, with every header the HTTP server sends. The first request
    // also opens the pool's first connection.
    let asked = Instant::now();
    let page = function.get("/", &[("accept", "text/html")]).await;
    println!(
        "dashboard first page after the cold start: {} ms",
        asked.elapsed().as_millis()
    );
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page
        .header("content-security-policy")
        .contains("script-src"));
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    assert_eq!(page.header("x-frame-options"), "DENY");
    assert_eq!(
        page.header("cache-control"),
        server::page_cache::SHARED_CACHE_POLICY,
        "CloudFront keeps the page as the HTTP server tells any CDN"
    );
    assert!(
        page.text().contains("<select"),
        "the selector is on the page"
    );
    let etag = page.header("etag").to_string();
    assert!(!etag.is_empty());

    // Again with its ETag: 304 from the container's page cache.
    let again = function
        .get("/", &[("accept", "text/html"), ("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // Another symbol, compressed as CloudFront asks.
    let btc = function
        .get("/?symbol=BTC", &[("accept-encoding", "br")])
        .await;
    assert_eq!(btc.status, 200);
    assert_eq!(btc.header("content-encoding"), "br");
    let mut html = Vec::new();
    brotli::BrotliDecompress(&mut btc.body.as_slice(), &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(
        html.contains(r#"<option value="BTC" selected"#),
        "BTC chosen"
    );

    // The server function the selector calls.
    let api = function
        .invoke(url_event(
            "POST",
            "/api/dashboard",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("accept", "application/json"),
            ],
            "symbol=ETH",
        ))
        .await;
    assert_eq!(api.status, 200, "{}", api.text());
    let answer: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(answer["selected"], "ETH", "{answer}");

    // A large CSV, streamed: it leaves in pieces, every row there.
    let csv = function.get("/prices.csv?symbol=BIG", &[]).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.body.len() > 3_000_000, "{} bytes", csv.body.len());
    assert!(csv.pieces > 10, "{} pieces", csv.pieces);
    assert_eq!(
        csv.text().lines().count(),
        BIG_DAYS + 1,
        "a header and each day"
    );

    // A hashed file of the site, precompressed, kept a year.
    let js = function
        .get("/pkg/tickerboard.abc123.js", &[("accept-encoding", "br")])
        .await;
    assert_eq!(js.status, 200);
    assert_eq!(js.header("content-encoding"), "br");
    assert_eq!(
        js.header("cache-control"),
        "public, max-age=31536000, immutable"
    );

    // Nothing there, and a bad parameter: the app's pages say so.
    let missing = function.get("/no-such-page", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "the app's own 404 page");
    let bad = function.get("/?symbol=IBM&compare=%3Cb%3E", &[]).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("is not a symbol to compare"),
        "its notice"
    );
}

#[tokio::test]
async fn a_database_that_is_away_is_a_503_panel_not_a_failed_cold_start() {
    // A port nothing listens on: the cold start must not need the database.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let away = format!("postgres://reader:s3cret-pw@127.0.0.1:{port}/tickerboard");
    let function = Function::start(&[("DATABASE_URL", away)]).await;
    function.init_duration().await;
    let page = function.get("/", &[]).await;
    assert_eq!(page.status, 503, "{}", page.text());
    let text = page.text();
    assert!(text.contains("<html"), "the page with its panel");
    for leak in ["s3cret-pw", "panicked", "RUST_BACKTRACE", "src/"] {
        assert!(!text.contains(leak), "{leak} in the answer");
    }
}

#[tokio::test]
async fn without_a_database_setting_the_cold_start_says_what_to_set() {
    let function = Function::start(&[]).await;
    let status = tokio::time::timeout(Duration::from_secs(30), async {
        let mut process = function;
        let status = process.process.wait().await.unwrap();
        let said = process.api.first_next.lock().unwrap().is_some();
        (status, said)
    })
    .await
    .expect("the bootstrap exits");
    assert!(!status.0.success());
    assert!(!status.1, "it never asked for an event");
}
