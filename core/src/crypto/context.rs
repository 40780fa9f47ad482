//! The encryption context: non-secret key/value pairs bound to a ciphertext
//! as additional authenticated data.
//!
//! Canonical form (what is authenticated): a big-endian `u32` pair count,
//! then for every pair in ascending UTF-8 byte order of the keys, the key and
//! the value each as a big-endian `u32` byte length followed by the bytes.
//! Because every string carries its length, `{"ab":"c"}` and `{"a":"bc"}`
//! serialize differently and can never be confused with each other.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// An encryption context. Pair order is irrelevant: it is a map, and the
/// canonical form sorts it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EncryptionContext(pub BTreeMap<String, String>);

impl EncryptionContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// A context from pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many pairs.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The value of one key, exactly (keys are case-sensitive here).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The pairs in canonical order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The length of the canonical serialization.
    pub fn canonical_len(&self) -> usize {
        4 + self
            .0
            .iter()
            .map(|(k, v)| 8 + k.len() + v.len())
            .sum::<usize>()
    }

    /// Appends the canonical, length-prefixed serialization to `out`.
    pub fn write_canonical(&self, out: &mut Vec<u8>) {
        // BTreeMap<String, _> iterates in byte order of the UTF-8 keys.
        out.extend_from_slice(&(self.0.len() as u32).to_be_bytes());
        for (k, v) in &self.0 {
            for s in [k, v] {
                out.extend_from_slice(&(s.len() as u32).to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    /// The canonical serialization alone.
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_canonical(&mut out);
        out
    }
}

impl From<Option<EncryptionContext>> for EncryptionContext {
    fn from(c: Option<EncryptionContext>) -> Self {
        c.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keys_and_values_never_collide() {
        let a = EncryptionContext::from_pairs([("ab", "c")]);
        let b = EncryptionContext::from_pairs([("a", "bc")]);
        assert_ne!(a.canonical(), b.canonical());
        let c = EncryptionContext::from_pairs([("a", "b"), ("c", "d")]);
        let d = EncryptionContext::from_pairs([("a", "bcd")]);
        assert_ne!(c.canonical(), d.canonical());
    }

    #[test]
    fn order_of_pairs_does_not_matter() {
        let a = EncryptionContext::from_pairs([("tenant", "acme"), ("app", "billing")]);
        let b = EncryptionContext::from_pairs([("app", "billing"), ("tenant", "acme")]);
        assert_eq!(a.canonical(), b.canonical());
    }

    #[test]
    fn canonical_bytes_are_as_documented() {
        let c = EncryptionContext::from_pairs([("b", "2"), ("a", "1")]);
        assert_eq!(
            c.canonical(),
            [
                0, 0, 0, 2, 0, 0, 0, 1, b'a', 0, 0, 0, 1, b'1', 0, 0, 0, 1, b'b', 0, 0, 0, 1, b'2'
            ]
        );
        assert_eq!(c.canonical_len(), c.canonical().len());
    }
}
