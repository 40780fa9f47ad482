//! Serde helpers: binary fields travel as standard base64 strings, as in the
//! KMS JSON API (`CiphertextBlob`, `Plaintext`).

use alloc::string::String;
use alloc::vec::Vec;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Encodes bytes as standard base64.
pub fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard base64.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

/// `#[serde(with = "base64_blob")]` for `Vec<u8>` fields.
pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&encode(bytes))
}

/// `#[serde(with = "base64_blob")]` for `Vec<u8>` fields.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(d)?;
    decode(&text).ok_or_else(|| serde::de::Error::custom("not valid base64"))
}

/// The same for `Option<Vec<u8>>` fields.
pub mod option {
    use alloc::vec::Vec;

    /// Serializes `Some(bytes)` as base64, `None` as nothing.
    pub fn serialize<S: serde::Serializer>(
        bytes: &Option<Vec<u8>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => super::serialize(b, s),
            None => s.serialize_none(),
        }
    }

    /// Deserializes an optional base64 string.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let text = <Option<alloc::string::String> as serde::Deserialize>::deserialize(d)?;
        text.map(|t| super::decode(&t).ok_or_else(|| serde::de::Error::custom("not valid base64")))
            .transpose()
    }
}
