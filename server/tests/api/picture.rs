//! `/chart.png` and `/chart.svg` over real HTTP on both databases: the view the URL
//! names as a picture 1200 × 630 under 150 KB, from memory with an ETag (304 when it
//! has not changed), and a bad parameter a 400 in words, never a broken image.

use crate::helpers::spawn_demo_app;
use store::on_both_backends;

/// A PNG's width and height, from its header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

on_both_backends!(each_view_is_a_picture_from_memory, |store| {
    let app = spawn_demo_app(store).await;
    let url = "/chart.png?symbol=IBM&range=1Y&chart=candles&ind=rsi";
    let first = app.response(url, &[]).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["content-type"], "image/png");
    assert!(
        first.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("s-maxage"),
        "a CDN may keep it as it keeps the page"
    );
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let png = first.bytes().await.unwrap();
    assert_eq!(png_size(&png), (1200, 630));
    assert!(png.len() < 150 * 1024, "{} bytes", png.len());
    // The same view again: the same picture, and a 304 for the ETag it had.
    let again = app.response(url, &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status(), 304);
    // Another view is another picture.
    let line = app.response("/chart.png?symbol=IBM", &[]).await;
    assert_ne!(line.headers()["etag"].to_str().unwrap(), etag);

    let (status, svg) = app.get("/chart.svg?symbol=BTC&range=1M&ind=ema20").await;
    assert_eq!(status, 200);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"")
    );
    assert!(svg.contains(">BTC "), "the title names the symbol");
    assert!(
        svg.contains("<polyline class=\"ema0\""),
        "the view's indicator"
    );
    assert!(svg.contains("class=\"marker\""), "BTC's news markers");
});

on_both_backends!(a_bad_parameter_is_a_400_in_words, |store| {
    let app = spawn_demo_app(store).await;
    for (url, status, words) in [
        ("/chart.png?symbol=%3Cb%3E", 400, "is not a symbol"),
        ("/chart.png?symbol=IBM&range=3W", 400, "is not a range"),
        ("/chart.svg?symbol=IBM&ind=sma9", 400, "is not an indicator"),
        (
            "/chart.png?symbol=NOPE",
            404,
            "There are no prices for NOPE",
        ),
    ] {
        let res = app.response(url, &[]).await;
        assert_eq!(res.status().as_u16(), status, "{url}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain"),
            "{url}: words, not an image"
        );
        let body = res.text().await.unwrap();
        assert!(body.contains(words), "{url}: {body}");
        assert!(body.len() < 300, "short: {body}");
    }
});
