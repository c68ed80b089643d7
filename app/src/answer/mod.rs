//! How an answer travels to the browser: JSON, read there by `JSON.parse` into a tree
//! that each answer type's derived `serde_lite` reader takes its values from. The
//! browser's server-function client reads every answer it asks for this way
//! ([`Answer`], the `output` of the server functions the browser calls), and the home
//! island reads the page's first answer the same way ([`read`]).
//!
//! Why not serde's JSON reader: it compiles a reader per answer type (visitors for
//! each struct, option and list), 30.6 KB of the wasm's 140.7 KB brotli. The derived
//! `serde_lite` readers are plain field lookups in one tree type, and the browser's own
//! `JSON.parse` does the parsing (README, "Speed").

// One reader per side, under one name: the browser's (`hydrate.rs`) and the server's.
#[path = "hydrate.rs"]
#[cfg(feature = "hydrate")]
mod parse;
#[path = "plain.rs"]
#[cfg(not(feature = "hydrate"))]
mod parse;

use leptos::server_fn::codec::Post;
use leptos::server_fn::error::ServerFnErrorErr;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde_lite::{Deserialize, Intermediate, Serialize};

/// The encoding of the answers the browser asks for: written by `serde_lite` and
/// `serde_json` on the server, read by [`read`] in the browser.
pub struct AnswerEncoding;

/// A server function's `output` (a POST with a form body, as `PostUrl`).
pub type Answer = Post<AnswerEncoding>;

impl ContentType for AnswerEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for AnswerEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for AnswerEncoding {
    type Error = ServerFnErrorErr;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        let tree = value
            .serialize()
            .map_err(|e| ServerFnErrorErr::Serialization(e.to_string()))?;
        serde_json::to_vec(&tree)
            .map(Bytes::from)
            .map_err(|e| ServerFnErrorErr::Serialization(e.to_string()))
    }
}

impl<T: Deserialize> Decodes<T> for AnswerEncoding {
    type Error = ServerFnErrorErr;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ServerFnErrorErr::Deserialization("not UTF-8".into()))?;
        read(text).ok_or_else(|| ServerFnErrorErr::Deserialization("not the answer".into()))
    }
}

/// An answer's JSON text, read; `None` when it is not JSON or not a `T`.
pub fn read<T: Deserialize>(text: &str) -> Option<T> {
    T::deserialize(&parse::tree(text)?).ok()
}

/// `value` as the browser reads it: the tree `serde_lite` writes (put it in the page
/// with `chart::wire::script_json`).
pub fn tree<T: Serialize>(value: &T) -> Intermediate {
    value.serialize().expect("an answer has only JSON values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde_lite::Serialize, serde_lite::Deserialize)]
    struct Row {
        name: String,
        at: Option<u32>,
        rows: Vec<(f64, i64)>,
    }

    #[test]
    fn an_answer_reads_back_as_written() {
        let row = Row {
            name: "“IBM” </script>".into(),
            at: None,
            rows: vec![(1.5, -2), (3.0, 4)],
        };
        let bytes = AnswerEncoding::encode(&row).unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            r#"{"name":"“IBM” </script>","at":null,"rows":[[1.5,-2],[3.0,4]]}"#
        );
        let back: Row = AnswerEncoding::decode(bytes).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn a_broken_or_foreign_answer_is_an_error() {
        for text in [
            "{",
            r#"{"name":"IBM"}"#,
            r#"{"name":1,"at":null,"rows":[]}"#,
        ] {
            let got: Result<Row, _> = AnswerEncoding::decode(Bytes::from(text));
            assert!(got.is_err(), "{text}");
        }
    }
}
