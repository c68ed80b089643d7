//! The real binary's memory under a flood of distinct URLs and headers (#21): the page
//! cache holds what its setting says, whatever clients send.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use store::testing::TempDir;

/// The cache's cap in this test, and what the process may grow by besides it (the
/// runtime's buffers, the allocator's arenas, Leptos' first renders).
const CAP_MIB: u64 = 16;
const OVERHEAD_MIB: u64 = 48;
/// What the flood sends, and how many requests at once.
const FLOOD_BYTES: usize = 100 * 1024 * 1024;
const AT_ONCE: usize = 8;

/// The server binary on the demo SQLite file in a folder of its own, its cache capped.
struct Server {
    child: Child,
    base: String,
    _dir: TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        let dir = TempDir::new();
        std::fs::write(
            dir.path.join("Leptos.toml"),
            format!("[server]\npage_cache_mib = {CAP_MIB}\n"),
        )
        .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .current_dir(&dir.path)
            .env_remove("DATABASE_URL")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "tickerboard")
            .env("RUST_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run the server binary");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// Its resident memory in MiB, from `/proc`.
    fn rss_mib(&self) -> u64 {
        let status = std::fs::File::open(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib: u64 = BufReader::new(status)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("VmRSS:")
                    .map(|v| v.trim().trim_end_matches("kB").trim().parse().unwrap())
            })
            .expect("VmRSS in /proc/<pid>/status");
        kib / 1024
    }
}

/// Letters from a counter, so every URL is new.
fn noise(seed: usize, len: usize) -> String {
    let mut x = seed as u64 ^ 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

#[tokio::test]
async fn a_flood_of_distinct_urls_and_headers_stays_within_the_cache_cap() {
    let server = Server::start();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .map_or(true, |r| !r.status().is_success())
    {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Every page once, so Leptos and the allocator have settled before the baseline.
    for path in ["/", "/?symbol=MSFT&range=1Y&ma=20", "/weather", "/runs"] {
        let res = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        res.bytes().await.unwrap();
    }
    let before = server.rss_mib();

    // Each request: a 32 KB unknown parameter and a 16 KB header, all new; one in ten
    // also a new search (a page of its own, a real entry of ~100 KB).
    let per_request = 48 * 1024;
    let requests = FLOOD_BYTES / per_request;
    let started = Instant::now();
    let mut sent = 0usize;
    let mut pages = 0usize;
    for wave in (0..requests).collect::<Vec<_>>().chunks(AT_ONCE) {
        let calls = wave.iter().map(|&i| {
            let search = if i % 10 == 0 {
                format!("&q={}", noise(i, 8))
            } else {
                String::new()
            };
            let url = format!(
                "{}/?symbol=IBM{search}&x{i}={}",
                server.base,
                noise(i, 32 * 1024)
            );
            let junk = noise(i + 1, 16 * 1024);
            sent += url.len() + junk.len();
            client.get(url).header("x-junk", junk).send()
        });
        for res in futures_util::future::join_all(calls).await {
            let res = res.unwrap();
            assert!(
                matches!(res.status().as_u16(), 200 | 400),
                "{}",
                res.status()
            );
            res.bytes().await.unwrap();
            pages += 1;
        }
    }
    let after = server.rss_mib();
    println!(
        "{pages} requests, {} MB of URLs and headers in {:.0} s: RSS {before} MiB before, \
         {after} MiB after (cap {CAP_MIB} MiB)",
        sent / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    assert!(sent >= FLOOD_BYTES, "{sent} bytes sent");
    assert!(
        after <= before + CAP_MIB + OVERHEAD_MIB,
        "RSS grew from {before} to {after} MiB: more than the cap of {CAP_MIB} MiB plus \
         {OVERHEAD_MIB} MiB"
    );
    // The server still answers, from memory or not.
    let res = client
        .get(format!("{}/?symbol=IBM", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
