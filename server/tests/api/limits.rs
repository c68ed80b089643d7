//! A server that holds: slow clients are cut off, slow answers end, and a burst beyond
//! the in-flight limit is told 503 at once while `/healthz` keeps answering.

use crate::helpers::{header, spawn_app_with, spawn_demo_app_with};
use server::configuration::ServerSettings;
use sqlx::Connection;
use std::time::{Duration, Instant};
use store::testing::{fresh_postgres_with_url, fresh_sqlite};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The limits under test, with the page cache off: every request does its work.
fn limits(header_read: u64, request: u64, max_in_flight: usize) -> ServerSettings {
    ServerSettings {
        header_read_timeout: Duration::from_millis(header_read),
        request_timeout: Duration::from_millis(request),
        max_in_flight,
        page_cache_bytes: 0,
        ..ServerSettings::default()
    }
}

/// Opens a raw connection to the app and writes `bytes` (perhaps half a request).
async fn send_raw(base: &str, bytes: &str) -> TcpStream {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes.as_bytes()).await.unwrap();
    stream
}

/// Everything the server writes until it closes the connection, or `None` if it is
/// still open after `wait`.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let read = tokio::time::timeout(wait, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn connections_that_never_finish_their_headers_are_closed() {
    let (store, _dir) = fresh_sqlite().await;
    let app = spawn_app_with(store, limits(500, 10_000, 64)).await;

    let started = Instant::now();
    let mut silent = send_raw(&app.base, "").await;
    let mut half_sent = send_raw(&app.base, "GET / HTTP/1.1\r\nHost: tickerboard\r\n").await;
    for stream in [&mut silent, &mut half_sent] {
        let closed = read_until_closed(stream, Duration::from_secs(5)).await;
        assert!(
            closed.is_some(),
            "a stalled connection is still open after 5 s"
        );
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(400),
        "closed too soon: {elapsed:?}"
    );

    // The server itself is fine.
    assert_eq!(app.get("/healthz").await.0, 200);
}

#[tokio::test]
async fn a_body_that_stalls_gets_408() {
    let (store, _dir) = fresh_sqlite().await;
    let app = spawn_demo_app_with(store, limits(500, 10_000, 64)).await;
    let mut stream = send_raw(
        &app.base,
        "POST /api/dashboard HTTP/1.1\r\nHost: tickerboard\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nsymbol=",
    )
    .await;
    let answer = read_until_closed(&mut stream, Duration::from_secs(5))
        .await
        .expect("the server answers a stalled body");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn an_answer_that_takes_too_long_gets_503_and_the_server_recovers() {
    let (store, url) = fresh_postgres_with_url().await;
    let app = spawn_demo_app_with(store, limits(5_000, 1_000, 64)).await;
    assert_eq!(app.get("/?symbol=IBM").await.0, 200);

    // Another session holds the prices table: every page read waits on it.
    let mut locker = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE daily_prices IN ACCESS EXCLUSIVE MODE")
        .execute(&mut locker)
        .await
        .unwrap();
    let started = Instant::now();
    let (status, body) = tokio::time::timeout(Duration::from_secs(10), app.get("/?symbol=IBM"))
        .await
        .expect("a blocked page is answered, not left hanging");
    let elapsed = started.elapsed();
    assert_eq!(status, 503, "{body}");
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
    assert_eq!(app.get("/healthz").await.0, 200, "/healthz needs no table");

    sqlx::raw_sql("ROLLBACK")
        .execute(&mut locker)
        .await
        .unwrap();
    let (status, body) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn beyond_the_in_flight_limit_answers_503_at_once_and_healthz_still_answers() {
    let (store, _dir) = fresh_sqlite().await;
    let app = spawn_demo_app_with(store, limits(5_000, 10_000, 1)).await;

    // One request in flight: a server-function call whose body is still arriving.
    let mut first = send_raw(
        &app.base,
        "POST /api/dashboard HTTP/1.1\r\nHost: tickerboard\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\nsymbol",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let busy = app.response("/?symbol=IBM", &[]).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "503 must not queue"
    );
    assert_eq!(busy.status().as_u16(), 503);
    assert_eq!(header(&busy, "retry-after"), "1");
    assert_eq!(
        app.get("/healthz").await.0,
        200,
        "/healthz is outside the limit"
    );

    // The first request completes normally, and its place is free again.
    first.write_all(b"=IBM").await.unwrap();
    let answer = read_until_closed(&mut first, Duration::from_secs(5))
        .await
        .expect("the first request is answered");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (status, body) = app.get("/?symbol=IBM").await;
    assert_eq!(status, 200, "{body}");
}

// #21: every connection's life is bounded, whatever the client does.

#[tokio::test]
async fn a_body_dripped_past_its_deadline_gets_408_with_the_page_cache_on() {
    let (store, _dir) = fresh_sqlite().await;
    let settings = ServerSettings {
        header_read_timeout: Duration::from_millis(600),
        ..ServerSettings::default()
    };
    assert!(settings.page_cache_bytes > 0, "the path the binary serves");
    let app = spawn_demo_app_with(store, settings).await;
    let mut stream = send_raw(
        &app.base,
        "POST /api/dashboard HTTP/1.1\r\nHost: tickerboard\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
    )
    .await;
    // A byte every 150 ms: each comes well within 600 ms of the one before, but the
    // body as a whole does not.
    let started = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        let mut seen = Vec::new();
        loop {
            let _ = stream.write_all(b"x").await;
            tokio::select! {
                read = stream.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return seen,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                },
                () = tokio::time::sleep(Duration::from_millis(150)) => {}
            }
        }
    })
    .await
    .expect("a dripped body is cut off, not read for ever");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_reads_nothing_is_cut_and_its_place_freed() {
    let (store, _dir) = fresh_sqlite().await;
    let settings = ServerSettings {
        send_timeout: Duration::from_millis(500),
        ..limits(5_000, 60_000, 1)
    };
    let app = spawn_demo_app_with(store, settings).await;
    // More than the kernel buffers on both sides of a loopback connection.
    std::fs::write(app.site().join("big.bin"), vec![7u8; 48 * 1024 * 1024]).unwrap();
    let addr = app.base.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stalled = socket.connect(addr).await.unwrap();
    stalled
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: tickerboard\r\n\r\n")
        .await
        .unwrap();
    // It holds the one in-flight place while its answer waits to be sent.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/?symbol=IBM").await.0, 503, "the place is taken");
    // Cut after the send deadline: the place is free again.
    let started = Instant::now();
    loop {
        let (status, _) = app.get("/?symbol=IBM").await;
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "a client that reads nothing still holds its place"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Its connection is closed: what it reads now ends.
    let mut buf = vec![0u8; 1 << 20];
    let drained = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stalled.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(drained.is_ok(), "the stalled connection was closed");
}

#[tokio::test]
async fn beyond_the_connection_cap_a_client_waits_until_one_closes() {
    let (store, _dir) = fresh_sqlite().await;
    let settings = ServerSettings {
        max_connections: 2,
        ..limits(10_000, 10_000, 64)
    };
    let app = spawn_app_with(store, settings).await;
    let idle_a = send_raw(&app.base, "").await;
    let _idle_b = send_raw(&app.base, "").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = send_raw(
        &app.base,
        "GET /healthz HTTP/1.1\r\nHost: tickerboard\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        read_until_closed(&mut third, Duration::from_millis(500))
            .await
            .is_none(),
        "a third connection is not served while two are open"
    );
    drop(idle_a);
    let answer = read_until_closed(&mut third, Duration::from_secs(3))
        .await
        .expect("served once a place is free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn readers_that_read_nothing_of_a_large_csv_pin_neither_the_pool_nor_the_server() {
    let (store, _dir) = fresh_sqlite().await;
    // 40,000 days of one symbol: a CSV of about 2.5 MB.
    let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let bars: Vec<store::DailyBar> = (0..40_000)
        .map(|i| {
            store::DailyBar::from_ohlcv(
                store::Symbol::parse("BIG").unwrap(),
                first + chrono::Duration::days(i),
                [10.0, 12.0, 9.0, 11.0, 123_456.0],
            )
        })
        .collect();
    store.upsert_bars(&bars, "test").await.unwrap();
    let small: Vec<store::DailyBar> = bars[..30]
        .iter()
        .map(|b| store::DailyBar {
            symbol: store::Symbol::parse("IBM").unwrap(),
            ..b.clone()
        })
        .collect();
    store.upsert_bars(&small, "test").await.unwrap();
    let settings = ServerSettings {
        send_timeout: Duration::from_secs(2),
        page_cache_bytes: 0,
        ..ServerSettings::default()
    };
    let app = spawn_app_with(store, settings).await;
    let addr = app.base.trim_start_matches("http://").parse().unwrap();
    let mut readers = Vec::new();
    for _ in 0..20 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut stream = socket.connect(addr).await.unwrap();
        stream
            .write_all(b"GET /prices.csv?symbol=BIG HTTP/1.1\r\nHost: tickerboard\r\n\r\n")
            .await
            .unwrap();
        readers.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for path in ["/healthz", "/?symbol=IBM"] {
        let started = Instant::now();
        let (status, _) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{path} took {:?} beside 20 stalled downloads",
            started.elapsed()
        );
    }
    // The whole pool is free: as many database pings at once as it has connections.
    let started = Instant::now();
    let pings = futures_util::future::join_all((0..8).map(|_| app.get("/healthz"))).await;
    assert!(pings.iter().all(|(status, _)| *status == 200), "{pings:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    drop(readers);
}

// #21: shutdown ends within its time even while clients hold connections: one stalls
// its body, one reads nothing of a large answer, one never sends its headers.
#[tokio::test]
async fn shutdown_ends_in_time_whatever_the_clients_do() {
    use app::ssr::settings::DashboardSettings;
    use app::ssr::state::AppState;
    use leptos::prelude::LeptosOptions;
    let (store, _dir) = fresh_sqlite().await;
    store::demo::seed(&store).await.unwrap();
    let site = store::testing::TempDir::new();
    std::fs::write(site.path.join("big.bin"), vec![7u8; 48 * 1024 * 1024]).unwrap();
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("tickerboard")
            .site_root(site.path.display().to_string())
            .build(),
        store,
        settings: std::sync::Arc::new(DashboardSettings::default()),
    };
    let settings = ServerSettings {
        send_timeout: Duration::from_secs(60),
        ..limits(60_000, 1_000, 64)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (app, _cache) = server::startup::app(state, &settings);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = tokio::spawn(async move {
        server::serve::serve(listener, app, &settings, async {
            let _ = stopped.await;
        })
        .await
    });
    let _silent = send_raw(&base, "").await;
    let _dripping = send_raw(
        &base,
        "POST /api/dashboard HTTP/1.1\r\nHost: tickerboard\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nsym",
    )
    .await;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut reader = socket
        .connect(base.trim_start_matches("http://").parse().unwrap())
        .await
        .unwrap();
    reader
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: tickerboard\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("serve returns within its shutdown time")
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}
