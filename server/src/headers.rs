//! The headers every response carries: security headers and the cache policy.

use axum::http::{header, HeaderValue};

/// What every response carries. The page's own Content Security Policy (with its
/// nonce) comes with the HTML (see `app::content_security_policy`); anything else that
/// might be opened as a document gets one that allows nothing.
pub async fn security_headers(
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

/// `/nav-6.min.js`, `/echarts-5.6.0-4.min.js`: a script of `public/` whose name ends in
/// its version.
fn is_versioned_script(path: &str) -> bool {
    let Some(name) = path
        .strip_prefix('/')
        .and_then(|n| n.strip_suffix(".min.js"))
    else {
        return false;
    };
    match name.split_once('-') {
        Some((stem, version)) => {
            !stem.is_empty()
                && !stem.contains('/')
                && version.starts_with(|c: char| c.is_ascii_digit())
                && version
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        }
        None => false,
    }
}

/// What browsers and CDNs may cache: hashed `/pkg` files and the vendored scripts for a
/// year (their names change with their content: a hash, or a number raised with each
/// change, `frontend/js/build.mjs`), other static files for a day; pages served from the
/// page cache say so themselves; everything else (errors, uncached answers) not at all.
/// A static file's answer varies by `Accept-Encoding`.
pub async fn cache_policy(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path();
    let is_pkg = path.starts_with("/pkg/") || is_versioned_script(path);
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
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // A static file may be sent precompressed (`.br`, `.gz`): a cache between us and
    // the reader must keep one copy per encoding.
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"));
    if is_file && !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_scripts_are_versioned_by_name() {
        assert!(is_versioned_script("/nav-6.min.js"));
        assert!(is_versioned_script("/echarts-5.6.0-4.min.js"));
        for other in [
            "/nav.min.js",
            "/nav-x.min.js",
            "/a/nav-6.min.js",
            "/nav-3.js",
            "/favicon.svg",
            "/-3.min.js",
        ] {
            assert!(!is_versioned_script(other), "{other}");
        }
    }
}
