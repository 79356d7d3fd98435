//! How the pages' server functions send their answers: JSON, as the
//! default codec does, but read back with `serde_json::from_str`.
//!
//! Why not the default: it reads answers with `from_slice`, while a
//! resource's data embedded in the server-rendered page is read with
//! `from_str`. serde_json's reader is generic over its input, so every
//! type a page loads had its whole decoder compiled twice into the
//! browser bundle, once per reader. One reader keeps one copy.

use leptos::server_fn::codec::{Encoding, Post};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON text (the wire format is the same as the default `Json`).
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// The output encoding every page's server function declares
/// (`#[server(output = crate::model::json_codec::Json)]`).
pub type Json = Post<JsonText>;

// `Encoding` is what the server function macro asks of an output codec.
const _: fn() = || {
    fn is_encoding<E: Encoding>() {}
    is_encoding::<Json>();
};
