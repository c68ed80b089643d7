//! How a page's data travels from the server's HTML into the WebAssembly.
//!
//! Leptos' resources read the data the server wrote into the page with
//! `serde_json::from_str`, and server functions read their answers with
//! `serde_json::from_slice`: two readers, and the WebAssembly carried every data type's
//! JSON reading twice (a twelfth of its code). [`SliceJson`] reads the page's data with
//! `from_slice` too, so one copy serves both.

use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, written as Leptos' default codec writes it and read by the server functions'
/// own reader. Use with `Resource::new_with_options` (see [`resource`]).
pub struct SliceJson;

impl<T: Serialize> Encoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, Self::Error> {
        serde_json::to_string(val)
    }
}

impl<T: DeserializeOwned> Decoder<T> for SliceJson {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, Self::Error> {
        serde_json::from_slice(val.as_bytes())
    }
}

/// A page's resource: `Resource::new` with [`SliceJson`].
#[track_caller]
pub fn resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> leptos::prelude::Resource<T, SliceJson>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    leptos::prelude::Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes() {
        let value = (String::from("“IBM” <b>"), vec![1.5, -2.0], Some(3u32));
        let text = <SliceJson as Encoder<_>>::encode(&value).unwrap();
        let back: (String, Vec<f64>, Option<u32>) = SliceJson::decode(&text).unwrap();
        assert_eq!(back, value);
        assert!(<SliceJson as Decoder<u32>>::decode("\"x\"").is_err());
    }
}
