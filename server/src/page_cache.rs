//! Pages and server-function answers from memory.
//!
//! The data behind the page changes when an ingest runs, about once a day; between two
//! ingests a page is the same for every reader. So an answer is computed once per data
//! version and request, compressed once per encoding (brotli and gzip), and then sent
//! from memory with a weak `ETag`, answering `If-None-Match` with 304.
//!
//! - **When the data changes.** [`Store::data_version`] is read once before any answer
//!   is kept, then every `data_check_interval` (10 s by default) by a background task.
//!   A new version starts a new generation of keys and drops every entry, so a finished
//!   ingest from any process (CLI, Lambda) shows within that interval.
//! - **Words that age.** An entry also lives at most [`MAX_AGE`], so "updated 3 h ago"
//!   is never more than a minute behind.
//! - **Memory.** Entries are weighed by their bytes (all encodings) against
//!   `page_cache_bytes`; the least useful go first. A key is a fixed-size digest of
//!   what the answer depends on: for a page, its path and the query parameters it reads
//!   (`app::query_params`), so unknown parameters and repeats make no new entry.
//! - **One computation.** Concurrent misses for one key wait for a single render.
//! - **Compressed twice.** A miss is answered with brotli at quality 5 (fast); then, one
//!   entry at a time in the background, the entry's brotli is replaced by quality 11
//!   (a third smaller for a page: its chart data), which every later reader gets. An
//!   entry that finds the background busy keeps quality 5.
//! - **Content Security Policy.** A nonce shared by every reader of a cached page is no
//!   secret, so a cached page drops its `nonce` attributes and is sent with the SHA-256
//!   hashes of its inline scripts instead (CSP level 2, as every current browser reads).
//! - **What is cached:** GET pages (not files) and server-function calls, when the
//!   answer is 200, 400 or 404 HTML or JSON. Errors (a database that is down) and
//!   redirects are never kept; while the database is away, a page already in memory is
//!   still served until it ages out.

use crate::limits::caused_by;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use store::Store;

/// The longest an entry is served before it is computed again.
pub const MAX_AGE: Duration = Duration::from_secs(60);

/// What a CDN may do with a cached 200 page: keep it 30 s, then serve it stale for up
/// to 30 s more while it asks us again. Browsers revalidate each time (`max-age=0`),
/// which costs a 304 when nothing changed.
pub const SHARED_CACHE_POLICY: &str = "public, max-age=0, s-maxage=30, stale-while-revalidate=30";

/// The largest answer kept (and at most an eighth of the cache); a larger one is sent,
/// computed for each request, but not cached.
const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

/// The pages in memory and the data generation they belong to.
#[derive(Clone)]
pub struct PageCache {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    entries: moka::future::Cache<Key, Arc<Cached>>,
    generation: AtomicU64,
    /// The largest answer kept.
    max_entry: usize,
    /// The store whose data version the cache follows ([`PageCache::watch`]).
    store: std::sync::OnceLock<Store>,
    /// Whether the watcher has read the data version the kept answers start from:
    /// `None` until its first attempt ends, then whether a read has succeeded. See
    /// [`Inner::keeps_answers`].
    baseline: tokio::sync::watch::Sender<Option<bool>>,
}

impl Inner {
    /// Whether an answer computed now may be kept. Not before the watcher has read the
    /// data version once: an ingest landing after an answer was computed is then
    /// always a change the watcher sees (were its first read to come after that ingest,
    /// the stale answer would stay until it aged out). A request waits for the
    /// watcher's first attempt only; while the database has been away since the start,
    /// answers are computed and not kept, and only the watcher asks again (a request
    /// never waits for a data-version read of its own). Always true without a watcher.
    async fn keeps_answers(&self) -> bool {
        if self.store.get().is_none() {
            return true;
        }
        let mut read = self.baseline.subscribe();
        let keeps = match read.wait_for(Option::is_some).await {
            Ok(known) => *known == Some(true),
            Err(_) => false,
        };
        keeps
    }
}

/// Everything an answer depends on besides the data, as a digest: a key's size is
/// fixed whatever the client sends (a URL can be 64 KB long).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    generation: u64,
    method: Method,
    digest: [u8; 32],
}

/// One answer, ready to send in each encoding.
struct Cached {
    status: StatusCode,
    content_type: HeaderValue,
    csp: Option<HeaderValue>,
    etag: HeaderValue,
    cache_control: HeaderValue,
    identity: Bytes,
    /// Quality 5, then quality 11 once the background has made it.
    br: std::sync::RwLock<Bytes>,
    gzip: Bytes,
}

/// Quality-11 brotli is made one entry at a time (~150 ms of one core for a 140 KB
/// page: a flood of new URLs must not take every core), with at most
/// [`MAX_WAITING_BEST`] entries waiting for it; more keep quality 5.
static BEST_TURN: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);
static WAITING_BEST: AtomicU64 = AtomicU64::new(0);
const MAX_WAITING_BEST: u64 = 32;

/// An answer that is not kept (an error, a redirect): sent as it came to every request
/// that waited for it; or one too big to keep, which each request computes again.
struct Uncacheable {
    parts: Box<axum::http::response::Parts>,
    body: Bytes,
    too_big: bool,
}

impl Uncacheable {
    fn new(parts: axum::http::response::Parts, body: Bytes) -> Self {
        Uncacheable {
            parts: Box::new(parts),
            body,
            too_big: false,
        }
    }
}

impl PageCache {
    /// A cache of at most `max_bytes`; 0 turns caching off.
    pub fn new(max_bytes: u64) -> PageCache {
        if max_bytes == 0 {
            return PageCache { inner: None };
        }
        let entries = moka::future::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|_: &Key, entry: &Arc<Cached>| {
                u32::try_from(std::mem::size_of::<Key>() + entry.weight()).unwrap_or(u32::MAX)
            })
            .time_to_live(MAX_AGE)
            .build();
        PageCache {
            inner: Some(Arc::new(Inner {
                entries,
                generation: AtomicU64::new(0),
                max_entry: MAX_ENTRY_BYTES
                    .min(usize::try_from(max_bytes / 8).unwrap_or(usize::MAX)),
                store: std::sync::OnceLock::new(),
                baseline: tokio::sync::watch::Sender::new(None),
            })),
        }
    }

    /// Reads the store's data version every `every` and drops the cached pages when it
    /// changes. The task ends by itself once the cache is gone.
    pub fn watch(&self, store: Store, every: Duration) {
        let Some(inner) = &self.inner else { return };
        let _ = inner.store.set(store.clone());
        let weak = Arc::downgrade(inner);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            // The first tick is at once: the baseline every kept answer starts from.
            let mut seen: Option<String> = None;
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { break };
                match store.data_version().await {
                    Ok(version) if seen.as_ref() != Some(&version) => {
                        if seen.is_some() {
                            inner.generation.fetch_add(1, Ordering::SeqCst);
                            inner.entries.invalidate_all();
                            tracing::info!("the data changed: cached pages dropped");
                        }
                        seen = Some(version);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "checking the data version failed"),
                }
                let known = seen.is_some();
                inner
                    .baseline
                    .send_if_modified(|b| b.replace(known) != Some(known));
            }
        });
    }

    /// Entries and their bytes right now (for tests and the benchmark's note).
    pub async fn usage(&self) -> (u64, u64) {
        match &self.inner {
            Some(inner) => {
                inner.entries.run_pending_tasks().await;
                (inner.entries.entry_count(), inner.entries.weighted_size())
            }
            None => (0, 0),
        }
    }
}

/// The middleware: answers from memory when it can, otherwise computes the answer once
/// (for every request that asks for it meanwhile) and keeps it.
pub async fn serve_cached(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    let Some(inner) = cache.inner.clone() else {
        return next.run(request).await;
    };
    if !is_cacheable_request(&request) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let body = match crate::limits::read_body(body).await {
        Ok(body) => body,
        Err(refusal) => return refusal.into_response(),
    };
    let is_post = parts.method == Method::POST;
    if !inner.keeps_answers().await {
        return next.run(Request::from_parts(parts, Body::from(body))).await;
    }
    // A HEAD is answered from (or makes) the GET's entry; hyper sends no body for it.
    if parts.method == Method::HEAD {
        parts.method = Method::GET;
    }
    let key = Key::of(&parts, &body, inner.generation.load(Ordering::SeqCst));
    let accept_encoding = parts.headers.remove(header::ACCEPT_ENCODING);
    let if_none_match = parts.headers.remove(header::IF_NONE_MATCH);
    let again = (parts.clone(), body.clone(), next.clone());
    let request = Request::from_parts(parts, Body::from(body));

    match inner
        .entries
        .try_get_with(key, compute(next, request, inner.max_entry))
        .await
    {
        Ok(entry) => entry.respond(
            accept_encoding.as_ref(),
            (!is_post).then_some(if_none_match).flatten().as_ref(),
        ),
        Err(uncached) if uncached.too_big => {
            let (parts, body, next) = again;
            next.run(Request::from_parts(parts, Body::from(body))).await
        }
        Err(uncached) => {
            Response::from_parts(*uncached.parts.clone(), Body::from(uncached.body.clone()))
        }
    }
}

impl Key {
    /// The key of a request: what its answer depends on. A page depends on its path
    /// and the query parameters it reads ([`page_query`]); a server function on its
    /// whole URL, its body and how it asks to be answered.
    fn of(parts: &axum::http::request::Parts, body: &Bytes, generation: u64) -> Key {
        let mut digest = Framed(Sha256::new());
        digest.part(parts.uri.path().as_bytes());
        if parts.method == Method::POST {
            // A plain form (no JavaScript) posting to a server function is answered
            // with a redirect back to the page it came from; the page's own calls ask
            // for JSON, and their answer does not depend on where they came from.
            let header = |name| {
                parts
                    .headers
                    .get(name)
                    .map_or(&[][..], HeaderValue::as_bytes)
            };
            let accept = header(header::ACCEPT);
            let wants_json = accept.windows(4).any(|w| w == b"json");
            digest.part(parts.uri.query().unwrap_or("").as_bytes());
            digest.part(accept);
            digest.part(header(header::CONTENT_TYPE));
            digest.part(if wants_json {
                b""
            } else {
                header(header::REFERER)
            });
            digest.part(body);
        } else {
            // A page is the same HTML whatever the `Accept` (a browser's own load and
            // nav.js's fetch share one entry).
            for (name, values) in page_query(parts.uri.path(), parts.uri.query()) {
                digest.part(name.as_bytes());
                for value in values {
                    digest.part(value.as_bytes());
                }
            }
        }
        Key {
            generation,
            method: parts.method.clone(),
            digest: digest.0.finalize().into(),
        }
    }
}

/// A digest of parts, each length-prefixed, so no two lists of parts run together.
struct Framed(Sha256);

impl Framed {
    fn part(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
}

/// The query as the page at `path` reads it (`app::query_params`), in the order the
/// app lists its parameters: of each, the last value, or every value in order for one
/// that repeats; decoded as the router decodes them. Any other parameter is left out.
fn page_query(path: &str, query: Option<&str>) -> Vec<(&'static str, Vec<String>)> {
    let pairs: Vec<_> = url::form_urlencoded::parse(query.unwrap_or("").as_bytes()).collect();
    app::query_params(path)
        .iter()
        .filter_map(|&(name, repeats)| {
            let mut values: Vec<String> = pairs
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.to_string())
                .collect();
            if !repeats {
                values.drain(..values.len().saturating_sub(1));
            }
            (!values.is_empty()).then_some((name, values))
        })
        .collect()
}

/// GET (and HEAD) pages (paths that do not name a file, and the chart's pictures,
/// which read a page's parameters) and server-function calls.
fn is_cacheable_request(request: &Request) -> bool {
    let path = request.uri().path();
    match *request.method() {
        Method::GET | Method::HEAD => {
            let page = !path.starts_with("/pkg/")
                && !path
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.contains('.'));
            page || !app::query_params(path).is_empty()
        }
        Method::POST => path.starts_with("/api/"),
        _ => false,
    }
}

/// Runs the request and turns a keepable answer into an entry.
async fn compute(
    next: Next,
    request: Request,
    max_entry: usize,
) -> Result<Arc<Cached>, Uncacheable> {
    let (parts, body) = next.run(request).await.into_parts();
    let body = match read_answer(body, max_entry).await {
        Ok(body) => body,
        Err(Some(failed)) => return Err(failed),
        Err(None) => {
            return Err(Uncacheable {
                too_big: true,
                ..Uncacheable::new(parts, Bytes::new())
            })
        }
    };
    let Some((content_type, is_html)) = keepable(&parts) else {
        return Err(Uncacheable::new(parts, body));
    };
    let csp = parts.headers.get(header::CONTENT_SECURITY_POLICY).cloned();
    let (identity, csp) = match (is_html, csp) {
        (true, Some(csp)) => match with_script_hashes(&body, &csp) {
            Some((html, csp)) => (Bytes::from(html), Some(csp)),
            None => return Err(Uncacheable::new(parts, body)),
        },
        (_, csp) => (body, csp),
    };
    // Pages and the chart's pictures may be shared by a CDN; JSON and refusals not.
    let is_picture = content_type.as_bytes().starts_with(b"image/");
    let cache_control = HeaderValue::from_static(
        if parts.status == StatusCode::OK && (is_html || is_picture) {
            SHARED_CACHE_POLICY
        } else {
            "no-cache"
        },
    );
    let to_compress = identity.clone();
    let (br, gzip) = tokio::task::spawn_blocking(move || compress(&to_compress))
        .await
        .expect("compressing does not panic");
    let entry = Arc::new(Cached {
        status: parts.status,
        content_type,
        csp,
        etag: etag_of(&identity),
        cache_control,
        identity,
        br: std::sync::RwLock::new(br),
        gzip,
    });
    recompress_at_best(entry.clone());
    Ok(entry)
}

/// The answer's body, read whole (at most `max` bytes): `Err(None)` when it is
/// larger, a 500 to send when reading it failed.
async fn read_answer(body: Body, max: usize) -> Result<Bytes, Option<Uncacheable>> {
    match axum::body::to_bytes(body, max).await {
        Ok(body) => Ok(body),
        Err(e) if caused_by::<http_body_util::LengthLimitError>(&e) => Err(None),
        Err(e) => {
            tracing::error!(error = %e, "reading an answer to cache failed");
            let (parts, body) = (StatusCode::INTERNAL_SERVER_ERROR, "the answer failed")
                .into_response()
                .into_parts();
            let body = axum::body::to_bytes(body, 1024).await.unwrap_or_default();
            Err(Some(Uncacheable::new(parts, body)))
        }
    }
}

/// The content type of an answer that may be kept, and whether it is HTML: a page, a
/// server function's JSON or a chart's picture (with its refusal in text), 200 or a
/// reader's mistake (400, 404), no cookie, not compressed yet.
fn keepable(parts: &axum::http::response::Parts) -> Option<(HeaderValue, bool)> {
    let content_type = parts.headers.get(header::CONTENT_TYPE)?;
    let is_html = content_type.as_bytes().starts_with(b"text/html");
    let kept = [
        &b"application/json"[..],
        b"image/png",
        b"image/svg+xml",
        b"text/plain",
    ]
    .iter()
    .any(|t| content_type.as_bytes().starts_with(t));
    let keepable = matches!(
        parts.status,
        StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND
    ) && (is_html || kept)
        && !parts.headers.contains_key(header::SET_COOKIE)
        && !parts.headers.contains_key(header::CONTENT_ENCODING);
    keepable.then(|| (content_type.clone(), is_html))
}

/// A weak ETag from the identity body's digest.
fn etag_of(identity: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(identity);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("W/\"{hex}\"")).expect("hex is a valid header")
}

/// Compresses `entry` again at brotli's best in the background, one entry at a time,
/// and keeps the result when it is smaller; skipped when too many wait already.
fn recompress_at_best(entry: Arc<Cached>) {
    // A place in the queue, given back however the wait ends (a runtime shutting down
    // drops the task mid-wait).
    struct Waiting;
    impl Drop for Waiting {
        fn drop(&mut self) {
            WAITING_BEST.fetch_sub(1, Ordering::SeqCst);
        }
    }
    let waiting = Waiting;
    if WAITING_BEST.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING_BEST {
        return;
    }
    tokio::spawn(async move {
        let turn = BEST_TURN.acquire().await;
        drop(waiting);
        let compressed = tokio::task::spawn_blocking(move || {
            let best = brotli_at(&entry.identity, 11);
            let mut br = entry.br.write().unwrap_or_else(|e| e.into_inner());
            if best.len() < br.len() {
                *br = best;
            }
        });
        let _ = compressed.await;
        drop(turn);
    });
}

/// The page with its `nonce` attributes removed, and its policy with the hashes of its
/// inline scripts in place of the nonce. `None` when the policy has no nonce to replace
/// (then the page is not cached, to be safe).
fn with_script_hashes(html: &[u8], csp: &HeaderValue) -> Option<(String, HeaderValue)> {
    let policy = csp.to_str().ok()?;
    let nonce = policy
        .split("'nonce-")
        .nth(1)?
        .split('\'')
        .next()
        .filter(|n| !n.is_empty())?;
    // Leptos also writes the nonce as the `crossorigin` value of its preload links,
    // where any unknown value means "anonymous": say so, so no copy of it remains.
    let html = std::str::from_utf8(html)
        .ok()?
        .replace(&format!(" nonce=\"{nonce}\""), "")
        .replace(
            &format!(" crossorigin=\"{nonce}\""),
            " crossorigin=\"anonymous\"",
        );
    let document = scraper::Html::parse_document(&html);
    // Data blocks (`type="application/json"`, the chart's data) never run: no hash.
    let inline = scraper::Selector::parse(r#"script:not([src]):not([type="application/json"])"#)
        .expect("a valid selector");
    let mut hashes: Vec<String> = document
        .select(&inline)
        .map(|script| {
            let text: String = script.text().collect();
            let digest = Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    let policy = policy.replace(&format!("'nonce-{nonce}'"), &hashes.join(" "));
    Some((html, HeaderValue::from_str(&policy).ok()?))
}

/// Brotli at quality 5 (a miss waits for it: a few milliseconds) and gzip.
fn compress(identity: &[u8]) -> (Bytes, Bytes) {
    let br = brotli_at(identity, 5);
    let mut gzip = flate2::write::GzEncoder::new(
        Vec::with_capacity(identity.len() / 3),
        flate2::Compression::default(),
    );
    gzip.write_all(identity).expect("writing to memory");
    let gzip = gzip.finish().expect("writing to memory");
    (br, Bytes::from(gzip))
}

/// Brotli at `quality` (0–11), its window just large enough for the answer (2^16 to
/// 2^22 bytes: the encoder's memory grows with it, and a larger window gains nothing).
fn brotli_at(identity: &[u8], quality: u32) -> Bytes {
    let window = identity
        .len()
        .next_power_of_two()
        .trailing_zeros()
        .clamp(16, 22);
    let mut br = Vec::with_capacity(identity.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 64 * 1024, quality, window);
        writer.write_all(identity).expect("writing to memory");
    }
    Bytes::from(br)
}

impl Cached {
    fn weight(&self) -> usize {
        // The quality-5 brotli: the quality-11 one that replaces it is never larger.
        let br = self.br.read().unwrap_or_else(|e| e.into_inner()).len();
        self.identity.len() + br + self.gzip.len() + 512
    }

    fn respond(
        &self,
        accept_encoding: Option<&HeaderValue>,
        if_none_match: Option<&HeaderValue>,
    ) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(csp) = &self.csp {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
        }
        if if_none_match.is_some_and(|tags| matches_etag(tags, &self.etag)) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        let (body, coding) = if accepts(accept_encoding, "br") {
            let br = self.br.read().unwrap_or_else(|e| e.into_inner()).clone();
            (br, Some("br"))
        } else if accepts(accept_encoding, "gzip") {
            (self.gzip.clone(), Some("gzip"))
        } else {
            (self.identity.clone(), None)
        };
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        if let Some(coding) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        (self.status, headers, body).into_response()
    }
}

/// `If-None-Match` by weak comparison: any listed tag (or `*`) equal to ours.
fn matches_etag(tags: &HeaderValue, etag: &HeaderValue) -> bool {
    let ours = etag.to_str().unwrap_or("").trim_start_matches("W/");
    tags.to_str().unwrap_or("").split(',').any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.trim_start_matches("W/") == ours
    })
}

/// Whether `Accept-Encoding` lists `coding` without `q=0`.
fn accepts(accept_encoding: Option<&HeaderValue>, coding: &str) -> bool {
    let Some(value) = accept_encoding.and_then(|v| v.to_str().ok()) else {
        return false;
    };
    value.split(',').any(|item| {
        let mut pieces = item.split(';').map(str::trim);
        let name_matches = pieces
            .next()
            .is_some_and(|name| name.eq_ignore_ascii_case(coding));
        let refused = pieces.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name_matches && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert!(accepts(Some(&v("gzip, deflate, br")), "br"));
        assert!(accepts(Some(&v("br;q=0.5")), "br"));
        assert!(!accepts(Some(&v("br;q=0, gzip")), "br"));
        assert!(accepts(Some(&v("br;q=0, gzip")), "gzip"));
        assert!(!accepts(Some(&v("identity")), "gzip"));
        assert!(!accepts(None, "gzip"));
    }

    #[test]
    fn etags_compare_weakly() {
        let ours = HeaderValue::from_static("W/\"abc\"");
        assert!(matches_etag(&HeaderValue::from_static("W/\"abc\""), &ours));
        assert!(matches_etag(
            &HeaderValue::from_static("\"x\", \"abc\""),
            &ours
        ));
        assert!(matches_etag(&HeaderValue::from_static("*"), &ours));
        assert!(!matches_etag(&HeaderValue::from_static("W/\"abd\""), &ours));
    }

    #[test]
    fn inline_scripts_are_hashed_and_nonces_removed() {
        let html = br#"<html><head><script nonce="n0nce">a()</script><script src="/x.js" nonce="n0nce"></script></head><body><script type="module" nonce="n0nce">b()</script></body></html>"#;
        let csp = HeaderValue::from_static("script-src 'self' 'nonce-n0nce'; object-src 'none'");
        let (page, policy) = with_script_hashes(html, &csp).unwrap();
        assert!(!page.contains("n0nce"), "{page}");
        let policy = policy.to_str().unwrap();
        let hash = |s: &str| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s))
            )
        };
        assert!(policy.contains(&hash("a()")), "{policy}");
        assert!(policy.contains(&hash("b()")), "{policy}");
        assert!(!policy.contains("nonce"), "{policy}");
        assert!(policy.ends_with("; object-src 'none'"), "{policy}");
    }
}
