//! The CSV downloads: `/prices.csv`, `/headlines.csv`, `/weather.csv`.
//!
//! Each is streamed: rows come from the database one at a time (see
//! `store::RowStream`) and leave as CSV in chunks, so a download of any size costs the
//! server a few kilobytes. RFC 4180 quoting by the `csv` crate. A text cell that a
//! spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) gets a leading `'`; numbers are written as numbers, negative ones
//! included. A bad parameter is a 400 that says which and why.

use app::ssr::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use futures_util::StreamExt;
use serde::Deserialize;
use std::borrow::Cow;
use store::{
    City, Coin, DailyBar, Headline, HeadlineFilter, RowStream, Symbol, WeatherObservation,
};

/// The three downloads.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/prices.csv", get(prices))
        .route("/headlines.csv", get(headlines))
        .route("/weather.csv", get(weather))
}

/// Rows written into one chunk of the response at most.
const ROWS_PER_CHUNK: usize = 512;

/// Why a download is not given: its status and a reason in words.
struct Refusal(StatusCode, String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, self.1).into_response()
    }
}

#[derive(Deserialize)]
struct PricesQuery {
    symbol: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

async fn prices(
    State(state): State<AppState>,
    Query(query): Query<PricesQuery>,
) -> Result<Response, Refusal> {
    let raw = query
        .symbol
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| bad("symbol is required: /prices.csv?symbol=IBM"))?;
    let symbol = Symbol::parse(&raw).map_err(|e| bad(format!("symbol: {e}")))?;
    let from = date(query.from.as_deref(), "from")?;
    let to = date(query.to.as_deref(), "to")?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(bad(format!("from ({from}) is after to ({to})")));
        }
    }
    match state.store.has_symbol(&symbol).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(Refusal(
                StatusCode::NOT_FOUND,
                format!("there are no prices for {symbol}"),
            ))
        }
        Err(e) => return Err(unavailable(e)),
    }
    let mut name = format!("{symbol}-prices");
    if let Some(from) = from {
        name += &format!("-from-{from}");
    }
    if let Some(to) = to {
        name += &format!("-to-{to}");
    }
    let rows = state.store.stream_bars(&symbol, from, to);
    Ok(csv_response(
        &name,
        &["symbol", "date", "open", "high", "low", "close", "volume"],
        rows,
        |w, b: DailyBar| {
            record(
                w,
                [
                    // A symbol may start with '-': it is text like any other.
                    text(b.symbol.as_str()),
                    number(b.date.to_string()),
                    number(b.open.to_string()),
                    number(b.high.to_string()),
                    number(b.low.to_string()),
                    number(b.close.to_string()),
                    number(b.volume.to_string()),
                ],
            )
        },
    ))
}

#[derive(Deserialize)]
struct HeadlinesQuery {
    coin: Option<String>,
    q: Option<String>,
}

async fn headlines(
    State(state): State<AppState>,
    Query(query): Query<HeadlinesQuery>,
) -> Result<Response, Refusal> {
    let coin = match query.coin.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(raw) => Some(Coin::parse(raw).map_err(|e| bad(format!("coin: {e}")))?),
        None => None,
    };
    let search = query
        .q
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if let Some(q) = &search {
        if q.chars().count() > store::MAX_SEARCH_LEN {
            return Err(bad(format!(
                "q: a search has at most {} characters",
                store::MAX_SEARCH_LEN
            )));
        }
    }
    let name = match &coin {
        Some(coin) => format!("{coin}-headlines"),
        None => "headlines".to_string(),
    };
    let filter = HeadlineFilter {
        coin: coin.map(|c| c.as_str().to_string()),
        search,
    };
    let rows = state.store.stream_headlines(&filter);
    Ok(csv_response(
        &name,
        &["published_at", "coin", "title", "url"],
        rows,
        |w, h: Headline| {
            record(
                w,
                [
                    number(h.published_at.to_rfc3339()),
                    text(&h.coin),
                    text(&h.title),
                    text(&h.url),
                ],
            )
        },
    ))
}

#[derive(Deserialize)]
struct WeatherQuery {
    city: Option<String>,
}

async fn weather(
    State(state): State<AppState>,
    Query(query): Query<WeatherQuery>,
) -> Result<Response, Refusal> {
    let city = match query.city.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(raw) => Some(City::parse(raw).map_err(|e| bad(format!("city: {e}")))?),
        None => None,
    };
    let name = match &city {
        Some(city) => format!("{city}-weather"),
        None => "weather".to_string(),
    };
    let rows = state.store.stream_weather(city.as_ref());
    Ok(csv_response(
        &name,
        &[
            "city",
            "city_id",
            "observed_at",
            "temp_c",
            "temp_f",
            "humidity",
            "description",
        ],
        rows,
        |w, o: WeatherObservation| {
            record(
                w,
                [
                    text(&o.city),
                    number(o.city_id.to_string()),
                    number(o.observed_at.to_rfc3339()),
                    number(o.temp_c.to_string()),
                    number(o.temp_f.to_string()),
                    number(o.humidity.to_string()),
                    text(&o.description),
                ],
            )
        },
    ))
}

/// A parameter the download cannot use: 400 with the reason.
fn bad(message: impl Into<String>) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, message.into())
}

fn unavailable(e: store::StoreError) -> Refusal {
    tracing::error!(error = %e, "download query failed");
    Refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        "the database is not reachable right now".into(),
    )
}

/// An optional `YYYY-MM-DD` parameter.
fn date(raw: Option<&str>, name: &str) -> Result<Option<NaiveDate>, Refusal> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                bad(format!(
                    "{name}: expected a date like 2024-03-28, got {s:?}"
                ))
            }),
    }
}

/// A cell of ours (a number, a date, a time): written as it is.
fn number(value: String) -> Cow<'static, str> {
    Cow::Owned(value)
}

/// Writes one row of cells.
fn record<const N: usize>(w: &mut csv::Writer<Vec<u8>>, cells: [Cow<str>; N]) -> csv::Result<()> {
    w.write_record(cells.iter().map(|c| c.as_bytes()))
}

/// A text cell as a spreadsheet may safely open it: one that would start a formula gets
/// a leading `'` (OWASP's advice for CSV injection).
pub fn text(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// `rows` as a streamed CSV attachment named `name.csv`, with a header line. A database
/// failure part-way ends the body with an error, so the client sees a broken download,
/// never a short file that looks whole.
fn csv_response<T: Send + 'static>(
    name: &str,
    columns: &'static [&'static str],
    rows: RowStream<T>,
    write: fn(&mut csv::Writer<Vec<u8>>, T) -> csv::Result<()>,
) -> Response {
    let mut header_line = csv::Writer::from_writer(Vec::new());
    let head = header_line
        .write_record(columns)
        .map_err(std::io::Error::other)
        .and_then(|()| {
            header_line
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))
        });
    let head = futures_util::stream::once(async move { head.map(Bytes::from) });
    let body = rows.ready_chunks(ROWS_PER_CHUNK).map(move |chunk| {
        let mut w = csv::Writer::from_writer(Vec::with_capacity(chunk.len() * 64));
        for row in chunk {
            let row = row.map_err(|e| {
                tracing::error!(error = %e, "a download failed part-way");
                std::io::Error::other("the database failed part-way")
            })?;
            write(&mut w, row).map_err(std::io::Error::other)?;
        }
        w.into_inner()
            .map(Bytes::from)
            .map_err(|e| std::io::Error::other(e.to_string()))
    });
    let mut response = Body::from_stream(head.chain(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&attachment(name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `attachment` with the file name twice: ASCII for every client, and UTF-8 (RFC 6266)
/// for those that read it, so `Tromsø-weather.csv` keeps its letters.
fn attachment(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let utf8 = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}.csv\"; filename*=UTF-8''{utf8}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_kept() {
        for risky in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\ry"] {
            assert_eq!(text(risky), format!("'{risky}"), "{risky:?}");
        }
        for plain in ["Bitcoin", "", "1+1", "a=b", "'quoted"] {
            assert_eq!(text(plain), plain);
        }
    }

    #[test]
    fn file_names_survive_any_city() {
        assert_eq!(
            attachment("Tromsø-weather"),
            "attachment; filename=\"Troms_-weather.csv\"; filename*=UTF-8''Troms%C3%B8%2Dweather.csv"
        );
        assert!(HeaderValue::from_str(&attachment("New York-weather")).is_ok());
    }
}
