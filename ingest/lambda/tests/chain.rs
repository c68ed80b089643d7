//! The daily refresh, run locally: the real function binaries under a local Lambda
//! Runtime API (below), AWS APIs answered by moto on loopback, outside services by
//! recorded responses on loopback, a real Postgres. Fetch is invoked with a Scheduled
//! Event; its response goes to store inside a real Destinations success record; rows,
//! the SNS report (through an SQS subscription) and the S3 export are checked.

use aws_sdk_sns::config::{BehaviorVersion, Credentials, Region};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use ingest::testing::{fixture, json as json_body, refusal_quoting, Upstream};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::testing::create_postgres_database;
use store::{RunStatus, Store, StoreOptions, Symbol};
use tokio::process::{Child, Command};
use tokio::sync::{oneshot, Notify};
use wiremock::matchers::{method, path, query_param};
use wiremock::Mock;

// ---- a local Lambda Runtime API: what the Lambda service offers a function's bootstrap

type Outcome = Result<Value, Value>;

#[derive(Default)]
struct Inner {
    queue: Mutex<VecDeque<(String, Value)>>,
    arrived: Notify,
    waiting: Mutex<HashMap<String, oneshot::Sender<Outcome>>>,
    init_error: Mutex<Option<Value>>,
    /// The time each invocation gets (its deadline header); 120 s unless a test says.
    time_limit: Mutex<Option<Duration>>,
}

/// One function: its Runtime API endpoint and its bootstrap process.
struct Function {
    inner: Arc<Inner>,
    _process: Child,
    name: String,
}

async fn next(State(inner): State<Arc<Inner>>) -> (HeaderMap, Json<Value>) {
    loop {
        let notified = inner.arrived.notified();
        if let Some((id, event)) = inner.queue.lock().unwrap().pop_front() {
            let mut headers = HeaderMap::new();
            headers.insert("lambda-runtime-aws-request-id", id.parse().unwrap());
            let limit = inner
                .time_limit
                .lock()
                .unwrap()
                .unwrap_or(Duration::from_secs(120));
            let deadline = chrono::Utc::now().timestamp_millis() + limit.as_millis() as i64;
            headers.insert(
                "lambda-runtime-deadline-ms",
                deadline.to_string().parse().unwrap(),
            );
            headers.insert(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:local"
                    .parse()
                    .unwrap(),
            );
            return (headers, Json(event));
        }
        notified.await;
    }
}

async fn response(State(inner): State<Arc<Inner>>, Path(id): Path<String>, body: String) {
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    if let Some(tx) = inner.waiting.lock().unwrap().remove(&id) {
        let _ = tx.send(Ok(value));
    }
}

async fn error(State(inner): State<Arc<Inner>>, Path(id): Path<String>, body: String) {
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    if let Some(tx) = inner.waiting.lock().unwrap().remove(&id) {
        let _ = tx.send(Err(value));
    }
}

async fn init_error(State(inner): State<Arc<Inner>>, body: String) {
    *inner.init_error.lock().unwrap() =
        Some(serde_json::from_str(&body).unwrap_or(Value::String(body)));
}

impl Function {
    /// Starts `binary` against a fresh Runtime API, with `env` as its configuration.
    async fn start(binary: &str, name: &str, env: &[(&str, String)]) -> Function {
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let mut command = Command::new(binary);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_LAMBDA_RUNTIME_API", api.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "local")
            .env("RUST_LOG", "warn")
            .kill_on_drop(true);
        for (k, v) in env {
            command.env(k, v);
        }
        let process = command.spawn().expect("start the function's bootstrap");
        Function {
            inner,
            _process: process,
            name: name.to_string(),
        }
    }

    /// Gives each later invocation `limit` (the function's timeout, as Lambda would).
    fn set_time_limit(&self, limit: Duration) {
        *self.inner.time_limit.lock().unwrap() = Some(limit);
    }

    /// What the function told the Runtime API about a failed cold start, once it has.
    async fn init_error_within(&self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < deadline {
            if let Some(error) = self.inner.init_error.lock().unwrap().clone() {
                return Some(error);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Invokes the function and waits for its response or error.
    async fn invoke(&self, event: Value) -> Outcome {
        self.invoke_as(&uuid::Uuid::new_v4().to_string(), event)
            .await
    }

    /// Invokes the function under request id `id` (Lambda retries an invocation
    /// under its id) and waits for its response or error.
    async fn invoke_as(&self, id: &str, event: Value) -> Outcome {
        let id = id.to_string();
        let (tx, rx) = oneshot::channel();
        self.inner.waiting.lock().unwrap().insert(id.clone(), tx);
        self.inner.queue.lock().unwrap().push_back((id, event));
        self.inner.arrived.notify_waiters();
        match tokio::time::timeout(Duration::from_secs(90), rx).await {
            Ok(outcome) => outcome.unwrap(),
            Err(_) => panic!(
                "{} did not answer; init error: {:?}",
                self.name,
                self.inner.init_error.lock().unwrap()
            ),
        }
    }
}

/// The record Lambda Destinations sends OnSuccess, around a function's response.
fn success_record(request: &Value, response: &Value, invoke_count: u32) -> Value {
    json!({
        "version": "1.0",
        "timestamp": chrono::Utc::now().to_rfc3339(),
        "requestContext": {
            "requestId": uuid::Uuid::new_v4().to_string(),
            "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:tickerboard-fetch-prices:$LATEST",
            "condition": "Success",
            "approximateInvokeCount": invoke_count
        },
        "requestPayload": request,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "responsePayload": response
    })
}

fn scheduled_event() -> Value {
    json!({
        "version": "0",
        "id": uuid::Uuid::new_v4().to_string(),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": chrono::Utc::now().to_rfc3339(),
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/tickerboard-prices"],
        "detail": {}
    })
}

// ---- the AWS emulator

struct Aws {
    endpoint: String,
    config: aws_config::SdkConfig,
}

impl Aws {
    async fn new() -> Aws {
        let endpoint = std::env::var("TEST_AWS_ENDPOINT_URL").unwrap_or_else(|_| {
            panic!("TEST_AWS_ENDPOINT_URL is not set: run the tests with `bash scripts/test.sh`, which starts moto on loopback")
        });
        let config = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "test"))
            .load()
            .await;
        Aws { endpoint, config }
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "test".into()),
            ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ]
    }

    /// A topic with an SQS queue subscribed to it, so its messages can be read back.
    /// The report and the alert topic of one test, each with a queue that hears it.
    async fn topics(&self, run: &str) -> [(String, String); 2] {
        [
            self.topic_with_queue(&format!("reports-{run}")).await,
            self.topic_with_queue(&format!("alerts-{run}")).await,
        ]
    }

    async fn topic_with_queue(&self, name: &str) -> (String, String) {
        let sns = aws_sdk_sns::Client::new(&self.config);
        let sqs = aws_sdk_sqs::Client::new(&self.config);
        let topic = sns
            .create_topic()
            .name(name)
            .send()
            .await
            .unwrap()
            .topic_arn
            .unwrap();
        let queue = sqs
            .create_queue()
            .queue_name(name)
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        let arn = sqs
            .get_queue_attributes()
            .queue_url(&queue)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
            .clone();
        sns.subscribe()
            .topic_arn(&topic)
            .protocol("sqs")
            .endpoint(arn)
            .send()
            .await
            .unwrap();
        (topic, queue)
    }

    /// The SNS notifications that reached a queue: (subject, message).
    async fn notifications(&self, queue: &str) -> Vec<(String, String)> {
        let sqs = aws_sdk_sqs::Client::new(&self.config);
        let mut out = Vec::new();
        for _ in 0..3 {
            let got = sqs
                .receive_message()
                .queue_url(queue)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .unwrap();
            for m in got.messages() {
                let envelope: Value = serde_json::from_str(m.body().unwrap()).unwrap();
                out.push((
                    envelope["Subject"].as_str().unwrap_or_default().to_string(),
                    envelope["Message"].as_str().unwrap_or_default().to_string(),
                ));
                sqs.delete_message()
                    .queue_url(queue)
                    .receipt_handle(m.receipt_handle().unwrap())
                    .send()
                    .await
                    .unwrap();
            }
            if !out.is_empty() {
                break;
            }
        }
        out
    }
}

/// IBM answers only with the key the functions read from SSM; TSLA gets the daily-limit
/// refusal, quoting that key; London's weather.
async fn outside_services() -> Upstream {
    let upstream = Upstream::start().await;
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("symbol", "IBM"))
        .and(query_param("apikey", "chain-av-key"))
        .respond_with(json_body(fixture(
            "alphavantage/time_series_daily_IBM.json",
        )))
        .mount(&upstream.server)
        .await;
    // The daily-limit answer that quotes the caller's key back.
    let refusal = refusal_quoting("chain-av-key");
    upstream.alphavantage("TSLA", json_body(refusal)).await;
    let london = fixture("openweather/current_weather_London_metric.json");
    upstream.weather("London", json_body(london)).await;
    upstream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_then_store_through_a_destinations_record() {
    let aws = Aws::new().await;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let [(report_topic, report_queue), (alert_topic, alert_queue)] = aws.topics(&run).await;
    let bucket = format!("exports-{run}");
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&aws.config)
            .force_path_style(true)
            .build(),
    );
    s3.create_bucket().bucket(&bucket).send().await.unwrap();

    // Secrets live in SSM as SecureStrings, as in the template.
    let database_url = create_postgres_database().await;
    let prefix = format!("/tickerboard-{run}/");
    let ssm = aws_sdk_ssm::Client::new(&aws.config);
    for (name, value) in [
        ("database-url", database_url.as_str()),
        ("alphavantage-api-key", "chain-av-key"),
        ("openweather-api-key", "chain-owm-key"),
    ] {
        ssm.put_parameter()
            .name(format!("{prefix}{name}"))
            .value(value)
            .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
            .send()
            .await
            .unwrap();
    }

    let services = outside_services().await;
    let mut common = aws.env();
    common.extend([
        ("SSM_PARAMETER_PREFIX", prefix.clone()),
        ("DATABASE_POOL_MODE", "session".into()),
        ("ALPHAVANTAGE_URL", services.uri()),
        ("OPENWEATHER_URL", services.uri()),
        ("INGEST_HTTP_TIMEOUT_SECS", "5".into()),
    ]);
    let with = |extra: &[(&'static str, String)]| {
        let mut env = common.clone();
        env.extend_from_slice(extra);
        env
    };

    let fetcher = |job: &'static str, items: &'static str| {
        let env = with(&[
            ("TICKERBOARD_JOB", job.into()),
            ("TICKERBOARD_ITEMS", items.into()),
        ]);
        async move {
            let name = format!("tickerboard-fetch-{job}");
            Function::start(env!("CARGO_BIN_EXE_fetch"), &name, &env).await
        }
    };
    let storer = |job: &'static str, extra: &[(&'static str, String)]| {
        let env = with(extra);
        async move {
            let name = format!("tickerboard-store-{job}");
            Function::start(env!("CARGO_BIN_EXE_store"), &name, &env).await
        }
    };
    let fetch_prices = fetcher("prices", "IBM").await;
    let store_prices = storer(
        "prices",
        &[
            ("REPORT_TOPIC_ARN", report_topic.clone()),
            ("ALERT_TOPIC_ARN", alert_topic.clone()),
        ],
    )
    .await;

    // EventBridge → fetch.
    let schedule = scheduled_event();
    let fetched = fetch_prices
        .invoke(schedule.clone())
        .await
        .expect("fetch succeeds");
    assert_eq!(fetched["batches"].as_array().unwrap().len(), 1, "{fetched}");
    assert!(
        !fetched.to_string().contains("chain-av-key"),
        "no key in the payload"
    );

    // Destinations → store, inside the success record. First against a database that
    // refuses the write (a trigger): the invocation fails, so Lambda retries it (and,
    // after its retries, the OnFailure destination alerts); nothing is written.
    let record = success_record(&schedule, &fetched, 1);
    let owner = database(&database_url).await;
    owner.migrate().await.unwrap();
    owner
        .execute_raw(
            "CREATE FUNCTION refuse_writes() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'the disk is full (a test)'; END $$; \
             CREATE TRIGGER refuse_writes BEFORE INSERT OR UPDATE ON daily_prices \
             FOR EACH ROW EXECUTE FUNCTION refuse_writes();",
        )
        .await
        .unwrap();
    let request = uuid::Uuid::new_v4().to_string();
    let refused = store_prices
        .invoke_as(&request, record.clone())
        .await
        .expect_err("a failed write fails the invocation");
    assert_eq!(refused["errorType"], "Database", "{refused}");
    assert!(refused["errorMessage"]
        .as_str()
        .unwrap()
        .contains("the disk is full"));
    assert!(
        owner.bars_of("IBM").await.is_empty(),
        "nothing half-written"
    );
    owner
        .execute_raw("DROP TRIGGER refuse_writes ON daily_prices")
        .await
        .unwrap();

    // Lambda's retry of the same invocation stores every row, once (the refused
    // attempt's run stays recorded, failed).
    let stored = store_prices
        .invoke_as(&request, record.clone())
        .await
        .expect("store succeeds");
    let report = &stored["reports"][0];
    assert_eq!(
        (report["status"].as_str(), report["inserted"].as_u64()),
        (Some("succeeded"), Some(2)),
        "{stored}"
    );

    let db = database(&database_url).await;
    let bars = db
        .daily_bars(&Symbol::parse("IBM").unwrap(), None, None)
        .await
        .unwrap();
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[1].close, 121.79);

    // Two reports: the refused write, then the retry's success; one alert, for the first.
    let reports = aws.notifications(&report_queue).await;
    assert_eq!(reports.len(), 2, "{reports:?}");
    assert_eq!(reports[0].0, "tickerboard: 1 of 1 runs FAILED (prices)");
    assert!(
        reports[0].1.contains("the disk is full"),
        "{}",
        reports[0].1
    );
    assert_eq!(reports[1].0, "tickerboard: prices succeeded (1 runs)");
    assert!(
        reports[1]
            .1
            .contains("fetched 2, inserted 2, updated 0, unchanged 0, rejected 0"),
        "{}",
        reports[1].1
    );
    assert!(reports[1].1.contains("table: daily_prices") && reports[1].1.contains("duration:"));
    let alerts = aws.notifications(&alert_queue).await;
    assert_eq!(
        alerts.len(),
        1,
        "one alert, for the refused write: {alerts:?}"
    );
    assert!(alerts[0].1.contains("the disk is full"));

    // Retried once more under the same id (its answer lost, say): its run succeeded
    // already, so the replay records, writes and mails nothing.
    let runs_before = db.recent_runs(100).await.unwrap();
    let replayed = store_prices
        .invoke_as(&request, record.clone())
        .await
        .expect("a replay succeeds");
    let replay = &replayed["reports"][0];
    assert_eq!(replay["replayed"], true, "{replayed}");
    assert_eq!(replay["status"], "succeeded", "{replayed}");
    assert_eq!(replay["run_id"], report["run_id"], "the run that did it");
    assert_eq!(
        db.recent_runs(100).await.unwrap(),
        runs_before,
        "no run row"
    );
    let mails = aws.notifications(&report_queue).await;
    assert!(mails.is_empty(), "no mail: {mails:?}");
    assert_eq!(
        runs_before
            .iter()
            .filter(|r| r.status == RunStatus::Failed)
            .count(),
        1,
        "the refused attempt stays recorded: {runs_before:?}"
    );

    // A Lambda retry of the same record changes no row.
    let retried = store_prices
        .invoke(success_record(&schedule, &fetched, 2))
        .await
        .expect("retry succeeds");
    assert_eq!(
        (
            retried["reports"][0]["inserted"].as_u64(),
            retried["reports"][0]["unchanged"].as_u64()
        ),
        (Some(0), Some(2))
    );
    assert_eq!(
        db.daily_bars(&Symbol::parse("IBM").unwrap(), None, None)
            .await
            .unwrap()
            .len(),
        2
    );

    // A failure record writes nothing and says why.
    let runs_before = db.recent_runs(100).await.unwrap().len();
    let mut failure = record.clone();
    failure["requestContext"]["condition"] = json!("RetriesExhausted");
    failure["responseContext"]["functionError"] = json!("Unhandled");
    failure["responsePayload"] = json!({"errorType": "FetchFailed", "errorMessage": "every fetch failed: prices: Alpha Vantage refused"});
    let refused = store_prices
        .invoke(failure)
        .await
        .expect_err("a failure record is an error");
    assert_eq!(refused["errorType"], "UpstreamFailed", "{refused}");
    assert!(refused["errorMessage"]
        .as_str()
        .unwrap()
        .contains("Alpha Vantage refused"));
    let refused = store_prices
        .invoke(json!({"hello": "world"}))
        .await
        .expect_err("a stranger is an error");
    assert_eq!(refused["errorType"], "UnrecognisedEvent");
    assert_eq!(
        db.recent_runs(100).await.unwrap().len(),
        runs_before,
        "nothing written"
    );

    // A fetch refused for now (the daily quota) succeeds with the refusal listed: the
    // store function records it and alerts; Lambda does not retry it for nothing.
    let refused = fetch_prices
        .invoke(json!({"symbols": ["TSLA"]}))
        .await
        .expect("a quota refusal is a reported outcome");
    assert!(
        refused["batches"].as_array().unwrap().is_empty(),
        "{refused}"
    );
    assert!(refused["failures"][0]["error"]
        .as_str()
        .unwrap()
        .contains("25 requests per day"));
    assert!(!refused.to_string().contains("chain-av-key"));
    let recorded = store_prices
        .invoke(success_record(&json!({}), &refused, 1))
        .await
        .expect("the store function records the refusal");
    assert_eq!(recorded["reports"][0]["status"], "failed", "{recorded}");

    // A fetch whose every job fails in a way a retry could mend is a function error
    // (Lambda retries, then OnFailure).
    let failed = fetch_prices
        .invoke(json!({"symbols": ["ZZZZ"]}))
        .await
        .expect_err("fetch fails");
    assert_eq!(failed["errorType"], "FetchFailed");
    assert!(!failed.to_string().contains("chain-av-key"));

    // Weather, with the CSV export for Athena.
    let fetch_weather = fetcher("weather", "London").await;
    let store_weather = storer(
        "weather",
        &[
            ("REPORT_TOPIC_ARN", report_topic.clone()),
            ("EXPORT_BUCKET", bucket.clone()),
            ("EXPORT_PREFIX", "exports".into()),
        ],
    )
    .await;
    let fetched = fetch_weather
        .invoke(json!({}))
        .await
        .expect("weather fetch");
    let stored = store_weather
        .invoke(success_record(&json!({}), &fetched, 1))
        .await
        .expect("weather store");
    assert_eq!(
        stored["reports"][0]["inserted"].as_u64(),
        Some(1),
        "{stored}"
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let listed = s3
        .list_objects_v2()
        .bucket(&bucket)
        .prefix(format!("exports/source=weather/date={today}/"))
        .send()
        .await
        .unwrap();
    let keys: Vec<String> = listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    let object = s3
        .get_object()
        .bucket(&bucket)
        .key(&keys[0])
        .send()
        .await
        .unwrap();
    let csv = String::from_utf8(object.body.collect().await.unwrap().to_vec()).unwrap();
    assert_eq!(
        csv,
        "city,city_id,observed_at,temp_c,temp_f,humidity,description\nLondon,2643743,2019-04-28T09:35:55Z,8.94,48.09,90,overcast clouds\n"
    );
    let weather_reports = aws.notifications(&report_queue).await;
    assert!(
        weather_reports
            .iter()
            .any(|(s, m)| s.contains("weather") && m.contains("table: weather_observations")),
        "{weather_reports:?}"
    );
}

/// A connection of the test's own to the database the functions write to.
async fn database(url: &str) -> Store {
    Store::connect(url, &StoreOptions::default()).await.unwrap()
}

/// The status of each run a store or pipeline function reported.
fn statuses(out: &Value) -> Vec<&str> {
    out["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

/// A prices pipeline function's environment: the emulator, the database, the services.
fn pipeline_env(
    aws: &Aws,
    database_url: &str,
    services: &Upstream,
    items: &str,
) -> Vec<(&'static str, String)> {
    let mut env = aws.env();
    env.extend([
        ("DATABASE_URL", database_url.to_string()),
        ("ALPHAVANTAGE_API_KEY", "chain-av-key".into()),
        ("ALPHAVANTAGE_URL", services.uri()),
        ("TICKERBOARD_JOB", "prices".into()),
        ("TICKERBOARD_ITEMS", items.into()),
    ]);
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_single_function_pipeline_alerts_on_failure() {
    let aws = Aws::new().await;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let [(report_topic, _), (alert_topic, alert_queue)] = aws.topics(&format!("p-{run}")).await;
    let database_url = create_postgres_database().await;
    let services = outside_services().await;
    let mut env = pipeline_env(&aws, &database_url, &services, "IBM,TSLA");
    env.extend([
        ("REPORT_TOPIC_ARN", report_topic),
        ("ALERT_TOPIC_ARN", alert_topic),
    ]);
    let pipeline = Function::start(env!("CARGO_BIN_EXE_pipeline"), "pipeline-prices", &env).await;
    let out = pipeline
        .invoke(scheduled_event())
        .await
        .expect("IBM succeeds, so the invocation does");
    assert_eq!(statuses(&out), vec!["succeeded", "failed"], "{out}");
    let alerts = aws.notifications(&alert_queue).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].0, "tickerboard: 1 of 2 runs FAILED (prices)");
    assert!(alerts[0].1.contains("25 requests per day"));
    assert!(
        alerts[0].1.contains("your API key as *** and"),
        "{}",
        alerts[0].1
    );
    let db = database(&database_url).await;
    let runs = db.recent_runs(10).await.unwrap();
    assert_eq!(runs.len(), 2);
    // The key the refusal quoted is nowhere: not in the answer, the alert, the runs.
    let everything = format!("{out} {alerts:?} {runs:?}");
    assert!(!everything.contains("chain-av-key"), "{everything}");
    assert!(runs.iter().any(|r| r.status == store::RunStatus::Failed
        && r.error.as_deref().unwrap_or("").contains("25 requests")));
}

/// A quota refusal is a reported outcome, not a failed invocation (Lambda would retry it
/// twice for the same refusal): the pipeline records the jobs this invocation asked for
/// (a manual override), calls Alpha Vantage once, and succeeds with the failures
/// listed. A failure a retry could mend still fails the invocation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quota_refusal_spends_one_call_and_is_reported_not_retried() {
    let aws = Aws::new().await;
    let database_url = create_postgres_database().await;
    let services = outside_services().await;
    let env = pipeline_env(&aws, &database_url, &services, "IBM,MSFT");
    let pipeline = Function::start(env!("CARGO_BIN_EXE_pipeline"), "pipeline-asked", &env).await;
    let out = pipeline
        .invoke(json!({ "symbols": ["TSLA", "AAPL"] }))
        .await
        .expect("a refusal for now is reported, and the invocation succeeds");
    assert_eq!(
        services.requests().await,
        1,
        "TSLA's refusal spends one call; AAPL is not attempted"
    );
    assert_eq!(statuses(&out), vec!["failed", "failed"], "{out}");
    let db = database(&database_url).await;
    let runs = db.recent_runs(10).await.unwrap();
    assert_eq!(runs.len(), 2, "one run per job asked for: {runs:?}");
    let by_symbol = |symbol: &str| {
        runs.iter()
            .find(|r| serde_json::from_str::<Value>(&r.parameters).unwrap()["symbol"] == symbol)
            .unwrap_or_else(|| panic!("a run for {symbol}: {runs:?}"))
    };
    let tsla = by_symbol("TSLA");
    assert_eq!(tsla.status, store::RunStatus::Failed);
    assert!(tsla
        .error
        .as_deref()
        .unwrap_or("")
        .contains("25 requests per day"));
    let aapl = by_symbol("AAPL");
    assert!(
        aapl.error
            .as_deref()
            .unwrap_or("")
            .starts_with("not attempted"),
        "{aapl:?}"
    );

    // A symbol the service answers 404 for: a retry could help, so the invocation fails.
    let error = pipeline
        .invoke(json!({ "symbols": ["ZZZZ"] }))
        .await
        .expect_err("every fetch failed in a way worth retrying");
    assert_eq!(error["errorType"], "FetchFailed", "{error}");
}

/// A store function whose database cannot be reached at its cold start tells the
/// Runtime API what failed (so the failed invocation and the OnFailure alert say so),
/// without the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_cold_start_says_what_failed_and_no_secret() {
    let aws = Aws::new().await;
    let mut env = aws.env();
    env.extend([
        (
            "DATABASE_URL",
            "postgres://owner:cold-start-secret@127.0.0.1:1/prices".to_string(),
        ),
        ("TICKERBOARD_JOB", "prices".into()),
    ]);
    let store = Function::start(env!("CARGO_BIN_EXE_store"), "store-cold", &env).await;
    let error = store
        .init_error_within(Duration::from_secs(30))
        .await
        .expect("the cold start's failure is reported");
    assert_eq!(error["errorType"], "ColdStartFailed", "{error}");
    let message = error["errorMessage"].as_str().unwrap();
    assert!(message.contains("DATABASE_URL"), "{message}");
    assert!(!error.to_string().contains("cold-start-secret"), "{error}");
}

/// An Alpha Vantage answer in a recorded answer's layout, its series extended to `days`
/// days back from its newest day (the recorded fixtures hold a few days; a real
/// `DIGITAL_CURRENCY_DAILY` answer holds the whole history), for `code`.
fn extended(file: &str, series_key: &str, days: i64, code: (&str, &str)) -> String {
    let mut answer: Value = serde_json::from_str(&fixture(file)).unwrap();
    let series = answer[series_key].as_object().unwrap();
    let (newest, sample) = series
        .iter()
        .max_by_key(|(date, _)| date.to_string())
        .map(|(date, day)| (date.clone(), day.clone()))
        .unwrap();
    let newest = chrono::NaiveDate::parse_from_str(&newest, "%Y-%m-%d").unwrap();
    let long: serde_json::Map<String, Value> = (0..days)
        .map(|back| {
            let date = newest - chrono::Duration::days(back);
            (date.to_string(), sample.clone())
        })
        .collect();
    answer[series_key] = Value::Object(long);
    answer.to_string().replace(code.0, code.1)
}

/// The largest Destinations records the template's jobs can produce (its default
/// symbols; crypto answers with 12 years of days, stocks with 100) stay far under the
/// asynchronous payload limit (256 KB): the fetch function passes on the last
/// `FETCH_WINDOW_DAYS` only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_largest_destinations_record_fits_by_construction() {
    const LIMIT: usize = 256 * 1024;
    let aws = Aws::new().await;
    let upstream = Upstream::start().await;
    let crypto_days = 12 * 365;
    for code in ["BTC", "ETH"] {
        let body = extended(
            "alphavantage/digital_currency_daily_BTC_EUR.json",
            "Time Series (Digital Currency Daily)",
            crypto_days,
            ("\"BTC\"", &format!("\"{code}\"")),
        );
        upstream.alphavantage(code, json_body(body)).await;
    }
    for symbol in ["IBM", "TSLA", "AAPL", "MSFT"] {
        let body = extended(
            "alphavantage/time_series_daily_IBM.json",
            "Time Series (Daily)",
            100,
            ("\"IBM\"", &format!("\"{symbol}\"")),
        );
        upstream.alphavantage(symbol, json_body(body)).await;
    }
    for (job, items) in [("crypto", "BTC,ETH"), ("prices", "IBM,TSLA,AAPL,MSFT")] {
        let mut env = aws.env();
        env.extend([
            ("ALPHAVANTAGE_API_KEY", "chain-av-key".to_string()),
            ("ALPHAVANTAGE_URL", upstream.uri()),
            ("ALPHAVANTAGE_MIN_INTERVAL_SECS", "0".into()),
            ("CRYPTO_MARKET", "EUR".into()),
            ("TICKERBOARD_JOB", job.into()),
            ("TICKERBOARD_ITEMS", items.into()),
        ]);
        let fetch = Function::start(env!("CARGO_BIN_EXE_fetch"), job, &env).await;
        let schedule = scheduled_event();
        let fetched = fetch
            .invoke(schedule.clone())
            .await
            .expect("fetch succeeds");
        let batches = fetched["batches"].as_array().unwrap();
        assert_eq!(batches.len(), items.split(',').count(), "{job}: {fetched}");
        for batch in batches {
            let bars = batch["rows"]["items"].as_array().unwrap();
            assert_eq!(bars.len(), 10, "{job}: the last FETCH_WINDOW_DAYS only");
        }
        let record = serde_json::to_vec(&success_record(&schedule, &fetched, 1)).unwrap();
        assert!(
            record.len() * 8 < LIMIT,
            "{job}: the record is {} bytes, the limit {LIMIT}",
            record.len()
        );
    }
}

/// With a slow service and little time, the fetch function starts only the jobs whose
/// worst case (here: one 1 s attempt, and 2 s kept to hand over) fits before the
/// deadline; it returns what it fetched and reports the rest as not attempted, instead
/// of being cut off by Lambda with everything lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_that_would_outrun_the_deadline_are_not_started() {
    let aws = Aws::new().await;
    let upstream = Upstream::start().await;
    let symbols = ["IBM", "TSLA", "AAPL", "MSFT"];
    for symbol in symbols {
        let body = fixture("alphavantage/time_series_daily_IBM.json")
            .replace("\"IBM\"", &format!("\"{symbol}\""));
        let slow = json_body(body).set_delay(Duration::from_millis(800));
        upstream.alphavantage(symbol, slow).await;
    }
    let mut env = aws.env();
    env.extend([
        ("ALPHAVANTAGE_API_KEY", "chain-av-key".to_string()),
        ("ALPHAVANTAGE_URL", upstream.uri()),
        ("ALPHAVANTAGE_MIN_INTERVAL_SECS", "0".into()),
        ("INGEST_HTTP_TIMEOUT_SECS", "1".into()),
        ("INGEST_HTTP_RETRIES", "0".into()),
        ("TICKERBOARD_JOB", "prices".into()),
        ("TICKERBOARD_ITEMS", symbols.join(",")),
    ]);
    let fetch = Function::start(env!("CARGO_BIN_EXE_fetch"), "fetch-hurried", &env).await;
    let limit = Duration::from_millis(4500);
    fetch.set_time_limit(limit);
    let started = std::time::Instant::now();
    let out = fetch
        .invoke(scheduled_event())
        .await
        .expect("what finished is returned");
    assert!(started.elapsed() < limit, "answered before the deadline");
    let called = upstream.requests().await;
    assert!(
        (1..symbols.len()).contains(&called),
        "{called} calls: {out}"
    );
    assert_eq!(out["batches"].as_array().unwrap().len(), called, "{out}");
    let failures = out["failures"].as_array().unwrap();
    assert_eq!(failures.len(), symbols.len() - called, "{out}");
    for failure in failures {
        let error = failure["error"].as_str().unwrap();
        assert!(
            error.starts_with("not attempted:") && error.contains("of the invocation were left"),
            "{error}"
        );
    }
}

/// A backfill (`"full": true`) goes through the pipeline function, which stores the
/// whole history directly; the fetch function refuses it (it would not fit a
/// Destinations record).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backfill_goes_through_the_pipeline_not_a_record() {
    let aws = Aws::new().await;
    let database_url = create_postgres_database().await;
    let upstream = Upstream::start().await;
    let history = extended(
        "alphavantage/time_series_daily_IBM.json",
        "Time Series (Daily)",
        3000,
        ("\"IBM\"", "\"IBM\""),
    );
    Mock::given(method("GET"))
        .and(path("/query"))
        .and(query_param("symbol", "IBM"))
        .and(query_param("outputsize", "full"))
        .respond_with(json_body(history))
        .mount(&upstream.server)
        .await;
    let mut env = pipeline_env(&aws, &database_url, &upstream, "IBM");
    env.push(("ALPHAVANTAGE_MIN_INTERVAL_SECS", "0".into()));
    let pipeline = Function::start(env!("CARGO_BIN_EXE_pipeline"), "pipeline-backfill", &env).await;
    let out = pipeline
        .invoke(json!({ "symbols": ["IBM"], "full": true }))
        .await
        .expect("the backfill is stored");
    assert_eq!(out["reports"][0]["inserted"].as_u64(), Some(3000), "{out}");

    let mut env = aws.env();
    env.extend([
        ("ALPHAVANTAGE_API_KEY", "chain-av-key".to_string()),
        ("ALPHAVANTAGE_URL", upstream.uri()),
        ("TICKERBOARD_JOB", "prices".into()),
        ("TICKERBOARD_ITEMS", "IBM".into()),
    ]);
    let fetch = Function::start(env!("CARGO_BIN_EXE_fetch"), "fetch-backfill", &env).await;
    let refused = fetch
        .invoke(json!({ "symbols": ["IBM"], "full": true }))
        .await
        .expect_err("the fetch function takes no backfill");
    assert_eq!(refused["errorType"], "UnrecognisedEvent", "{refused}");
    assert!(refused["errorMessage"]
        .as_str()
        .unwrap()
        .contains("pipeline"));
}

// #21: the alert goes out even when the report cannot (it used to be sent after the
// report, and skipped when the report failed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alert_goes_out_even_when_the_report_cannot() {
    let aws = Aws::new().await;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let (alert_topic, alert_queue) = aws.topic_with_queue(&format!("alone-{run}")).await;
    let missing = format!("arn:aws:sns:us-east-1:123456789012:no-such-topic-{run}");
    let mut failed = ingest::RunReport::new("prices", json!({ "symbol": "TSLA" }));
    failed.error = Some("Alpha Vantage refused".into());
    let sns = aws_sdk_sns::Client::new(&aws.config);
    let outcome = ingest_lambda::notify::publish(
        &sns,
        Some(&missing),
        Some(&alert_topic),
        "tickerboard-store-prices",
        &[failed],
    )
    .await;
    let error = outcome.expect_err("the report topic does not exist");
    assert!(error.contains("no-such-topic"), "{error}");
    let alerts = aws.notifications(&alert_queue).await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].0.contains("FAILED") && alerts[0].1.contains("Alpha Vantage refused"));
}
