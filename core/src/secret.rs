//! Secrets as types: plaintexts and data keys ([`SecretBytes`]), SecureString
//! values, SQL statements and the rows they carry ([`SecretString`]).
//!
//! A secret is zeroized when dropped, never shown by `Debug`, and serialized
//! as a newtype named [`crate::json::SECRET`] or [`crate::json::MASKED`]: the
//! API's JSON carries it (as AWS's does), the audit trail's redacting
//! serializer leaves it out or masks it. The base64 copies made while
//! (de)serializing bytes are zeroized too.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes that must not leak: zeroized on drop, redacted in `Debug` and in
/// the audit trail, base64 in the API's JSON.
#[derive(Clone, PartialEq, Eq, Default, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps bytes (the caller's copy should be the only one).
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The secret itself: use it, then let it go.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&[u8]> for SecretBytes {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes(<{} bytes redacted>)", self.0.len())
    }
}

impl Serialize for SecretBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut text = crate::base64_blob::encode(&self.0);
        let result = s.serialize_newtype_struct(crate::json::SECRET, text.as_str());
        text.zeroize();
        result
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut text = String::deserialize(d)?;
        let bytes = crate::base64_blob::decode(&text);
        text.zeroize();
        bytes
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom("not valid base64"))
    }
}

/// Text that must not leak: a SecureString's value, a SQL statement and the
/// rows it writes or reads. Zeroized on drop, redacted in `Debug` and in
/// the audit trail, plain text in the API's JSON.
#[derive(Clone, PartialEq, Eq, Default, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps text (the caller's copy should be the only one).
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The secret itself: use it, then let it go.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretString {
    fn from(text: &str) -> Self {
        Self(text.into())
    }
}

impl AsRef<str> for SecretString {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretString(<{} bytes redacted>)", self.0.len())
    }
}

impl Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(crate::json::MASKED, self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = SecretBytes::new(b"hunter2".to_vec());
        let shown = alloc::format!("{secret:?}");
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("7 bytes"));
        let text = SecretString::from("correct horse");
        let shown = alloc::format!("{text:?}");
        assert!(!shown.contains("horse"), "{shown}");
    }

    #[test]
    fn json_carries_them_as_the_api_does() {
        let bytes = SecretBytes::new(b"hi".to_vec());
        assert_eq!(serde_json::to_string(&bytes).unwrap(), "\"aGk=\"");
        let back: SecretBytes = serde_json::from_str("\"aGk=\"").unwrap();
        assert_eq!(back.expose(), b"hi");
        let text = SecretString::from("v");
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"v\"");
        assert!(serde_json::from_str::<SecretBytes>("\"***\"").is_err());
    }
}
