//! The server's reader of an answer (its tests, tools): `serde_json` builds the tree.

use serde_lite::Intermediate;

pub fn tree(text: &str) -> Option<Intermediate> {
    serde_json::from_str(text).ok()
}
