//! Real cryptography, as KMS does it in principle.
//!
//! A KMS key owns one or more 256-bit *backing keys*, one per rotation; they
//! never leave the world. `Encrypt` draws a random 16-byte KDF nonce and
//! derives a one-time AES-256 key with NIST SP 800-108 in counter mode, PRF
//! HMAC-SHA256:
//!
//! `K = HMAC-SHA256(backing key, [1]₃₂ ‖ "kms-playground/v1 data key" ‖ 0x00 ‖ key id ‖ nonce ‖ [256]₃₂)`
//!
//! then seals the plaintext with AES-256-GCM under `K`, a random 96-bit IV,
//! and AAD = blob header ‖ canonical encryption context (see [`blob`] and
//! [`context`]). Any change to any byte of the blob, to the context, or to the
//! key fails the GCM tag check: `InvalidCiphertextException`.

pub mod blob;
pub mod context;
pub mod data;

use crate::error::KmsError;
use crate::ids::KeyId;
use crate::secret::SecretBytes;
use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{AeadInOut, KeyInit};
use alloc::vec::Vec;
use blob::{CiphertextBlob, HEADER_LEN, TAG_LEN, append_header, invalid_ciphertext};
use context::EncryptionContext;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

const KDF_LABEL: &[u8] = b"kms-playground/v1 data key";

/// One version of a KMS key's secret material. Zeroized when dropped; its
/// `Debug` shows only the version.
#[derive(Clone)]
pub struct BackingKey {
    material: Zeroizing<[u8; 32]>,
    /// HMAC keyed with the material, its inner and outer pads already
    /// absorbed: each derivation clones it instead of hashing them again
    /// (two of five SHA-256 blocks). Zeroized on drop too.
    keyed: Hmac<Sha256>,
}

impl BackingKey {
    /// Wraps 32 bytes drawn from the world's CSPRNG.
    pub fn new(material: [u8; 32]) -> Self {
        let keyed = <Hmac<Sha256> as KeyInit>::new_from_slice(&material)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Self {
            material: Zeroizing::new(material),
            keyed,
        }
    }
}

impl core::fmt::Debug for BackingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BackingKey(<redacted>)")
    }
}

impl PartialEq for BackingKey {
    fn eq(&self, other: &Self) -> bool {
        *self.material == *other.material
    }
}
impl Eq for BackingKey {}

/// NIST SP 800-108 KDF in counter mode with HMAC-SHA256, one 256-bit block.
fn derive_key(backing: &BackingKey, key_id: KeyId, nonce: &[u8; 16]) -> Zeroizing<[u8; 32]> {
    let mut mac = backing.keyed.clone();
    mac.update(&1u32.to_be_bytes());
    mac.update(KDF_LABEL);
    mac.update(&[0]);
    mac.update(&key_id.to_bytes());
    mac.update(nonce);
    mac.update(&256u32.to_be_bytes());
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    out
}

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(key.into())
}

/// Randomness one `seal` call needs, drawn by the caller from the world's CSPRNG.
pub struct SealRandomness {
    /// The KDF nonce.
    pub kdf_nonce: [u8; 16],
    /// The GCM IV.
    pub iv: [u8; 12],
}

/// Encrypts `plaintext` under one backing key of `key_id`, binding `context`.
pub fn seal(
    key_id: KeyId,
    backing_version: u32,
    backing: &BackingKey,
    random: &SealRandomness,
    context: &EncryptionContext,
    plaintext: &[u8],
) -> Vec<u8> {
    let derived = derive_key(backing, key_id, &random.kdf_nonce);
    // One allocation: the AAD (header ‖ context) is written where the
    // ciphertext will go, sealed against, then the context is cut out.
    let context_len = context.canonical_len();
    let mut out = Vec::with_capacity(HEADER_LEN + context_len + plaintext.len() + TAG_LEN);
    append_header(
        &mut out,
        key_id,
        backing_version,
        &random.kdf_nonce,
        &random.iv,
    );
    context.write_canonical(&mut out);
    let aad_len = out.len();
    out.extend_from_slice(plaintext);
    let (aad, buffer) = out.split_at_mut(aad_len);
    let tag = cipher(&derived)
        .encrypt_inout_detached(&random.iv.into(), aad, buffer.into())
        .unwrap_or_else(|_| {
            unreachable!("plaintexts are at most 4096 bytes, far below GCM's limit")
        });
    out.drain(HEADER_LEN..aad_len);
    out.extend_from_slice(&tag);
    out
}

/// Decrypts a parsed blob with the backing key it names.
pub fn open(
    blob: &CiphertextBlob<'_>,
    backing: &BackingKey,
    context: &EncryptionContext,
) -> Result<SecretBytes, KmsError> {
    let derived = derive_key(backing, blob.key_id, &blob.kdf_nonce);
    // One allocation, as in `seal`: AAD then ciphertext, opened in place;
    // the AAD is cut off the front and the rest is the plaintext.
    let aad_len = HEADER_LEN + context.canonical_len();
    let mut buffer = Vec::with_capacity(aad_len + blob.ciphertext.len());
    buffer.extend_from_slice(blob.header);
    context.write_canonical(&mut buffer);
    buffer.extend_from_slice(blob.ciphertext);
    let (aad, inout) = buffer.split_at_mut(aad_len);
    let result = cipher(&derived).decrypt_inout_detached(
        &blob.iv.into(),
        aad,
        inout.into(),
        &blob.tag.into(),
    );
    buffer.drain(..aad_len);
    // Owned as a secret before the verdict: zeroized on every path.
    let plaintext = SecretBytes::new(buffer);
    result.map(|()| plaintext).map_err(|_| invalid_ciphertext())
}

/// Bytes of overhead a blob adds to its plaintext.
pub const BLOB_OVERHEAD: usize = HEADER_LEN + TAG_LEN;

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (KeyId, BackingKey, SealRandomness, EncryptionContext) {
        (
            KeyId::from_random([1; 16]),
            BackingKey::new([2; 32]),
            SealRandomness {
                kdf_nonce: [3; 16],
                iv: [4; 12],
            },
            EncryptionContext::from_pairs([("purpose", "test")]),
        )
    }

    #[test]
    fn seal_then_open_round_trips() {
        let (key, backing, random, ctx) = fixture();
        let blob = seal(key, 1, &backing, &random, &ctx, b"attack at dawn");
        assert_eq!(blob.len(), 14 + BLOB_OVERHEAD);
        let parsed = CiphertextBlob::parse(&blob).unwrap();
        assert_eq!(
            open(&parsed, &backing, &ctx).unwrap().expose(),
            b"attack at dawn"
        );
    }

    #[test]
    fn every_single_byte_change_is_rejected() {
        let (key, backing, random, ctx) = fixture();
        let blob = seal(key, 1, &backing, &random, &ctx, b"attack at dawn");
        for i in 0..blob.len() {
            for flip in [0x01u8, 0x80] {
                let mut bad = blob.clone();
                bad[i] ^= flip;
                let result = CiphertextBlob::parse(&bad).and_then(|p| open(&p, &backing, &ctx));
                assert_eq!(
                    result.unwrap_err().name(),
                    "InvalidCiphertextException",
                    "byte {i}"
                );
            }
        }
    }

    #[test]
    fn another_context_or_backing_key_is_rejected() {
        let (key, backing, random, ctx) = fixture();
        let blob = seal(key, 1, &backing, &random, &ctx, b"x");
        let parsed = CiphertextBlob::parse(&blob).unwrap();
        let other = EncryptionContext::from_pairs([("purpose", "Test")]);
        assert!(open(&parsed, &backing, &other).is_err());
        assert!(open(&parsed, &backing, &EncryptionContext::new()).is_err());
        assert!(open(&parsed, &BackingKey::new([9; 32]), &ctx).is_err());
    }

    #[test]
    fn debug_hides_key_material() {
        let shown = alloc::format!("{:?}", BackingKey::new([0x41; 32]));
        assert!(!shown.contains("65") && !shown.contains("41"));
    }
}
