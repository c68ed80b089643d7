//! Text in and out of URLs and HTML, the same on both sides: a query value encoded, a
//! link written, a piece of the reader's input echoed back, a string made safe for HTML.

/// `path?key=value&…` with the values encoded, leaving out the absent and empty ones.
pub fn href(path: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", encode(v)))
        })
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A query value for a URL: what `encodeURIComponent` leaves alone stays (and the
/// comma of a list), the rest is percent-encoded as UTF-8 (no URL crate in the
/// browser's bundle for this).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'(),".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A URL parameter as given: trimmed, `None` when absent or blank.
pub fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// Longest piece of rejected input echoed back to the reader.
const ECHO_LIMIT: usize = 24;

/// A short, single-line copy of user input, safe to show back.
pub fn echo(raw: &str) -> String {
    let flat: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > ECHO_LIMIT {
        format!("{}…", flat.chars().take(ECHO_LIMIT).collect::<String>())
    } else {
        flat
    }
}

/// `text` safe inside HTML text and inside a quoted attribute value.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_their_values_and_leave_out_the_empty_ones() {
        assert_eq!(
            href(
                "/",
                &[
                    ("symbol", Some("BRK.B")),
                    ("q", Some("a&b c")),
                    ("news", None),
                    ("x", Some(""))
                ]
            ),
            "/?symbol=BRK.B&q=a%26b%20c"
        );
        assert_eq!(href("/runs", &[]), "/runs");
        assert_eq!(encode("é,1"), "%C3%A9,1");
    }

    #[test]
    fn input_is_echoed_short_on_one_line_and_escaped_for_html() {
        assert_eq!(echo("a\nb"), "a b");
        assert_eq!(echo(&"x".repeat(30)), format!("{}…", "x".repeat(24)));
        assert_eq!(
            escape(r#"<a href="x">&</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(given(Some("  ")), None);
        assert_eq!(given(Some(" IBM ")), Some("IBM"));
    }
}
