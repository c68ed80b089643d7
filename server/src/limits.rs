//! What a request may take: its body's size and time, a server-function call's body
//! read as a form, and how many requests are served at once.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// The largest request body the server reads: a server-function call is a symbol in a
/// form, tens of bytes. Anything larger is answered 413 unread.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// At most `max_in_flight` requests at once: one more is answered 503 at once (with
/// `Retry-After`) instead of waiting in a queue the client cannot see. A request holds
/// its place until its response body has been sent, not only until the headers.
pub async fn limit_in_flight(
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
pub async fn check_server_fn_body(
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
    /// It did not arrive in full by its deadline ([`body_deadline`]): 408.
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
            if caused_by::<PastDeadline>(&e) {
                BodyRefusal::TimedOut
            } else {
                BodyRefusal::TooLarge
            }
        })
}

/// Whether `error`, or an error it wraps, is an `E`: why reading a body stopped (its
/// deadline, a length limit).
pub(crate) fn caused_by<E: std::error::Error + 'static>(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<E>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// Every request's body must arrive in full within `limit` of its headers, however it
/// trickles in (a deadline that a byte now and then does not push back).
pub async fn body_deadline(
    axum::extract::State(limit): axum::extract::State<Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let deadline = Box::pin(tokio::time::sleep(limit));
    next.run(request.map(|body| axum::body::Body::new(DeadlineBody { body, deadline })))
        .await
}

/// Reading a request body past its deadline.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive in time")]
struct PastDeadline;

/// A request body that fails with [`PastDeadline`] once its deadline has passed.
struct DeadlineBody {
    body: axum::body::Body,
    deadline: Pin<Box<Sleep>>,
}

impl http_body::Body for DeadlineBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.body).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(axum::Error::new(PastDeadline)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
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
