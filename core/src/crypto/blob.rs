//! The ciphertext blob: what `Encrypt` and `GenerateDataKey` return and
//! `Decrypt` takes back. Format version 1, byte by byte:
//!
//! | offset | length | field |
//! | --- | --- | --- |
//! | 0 | 1 | format version, `0x01` |
//! | 1 | 1 | blob type, `0x02`: symmetric ciphertext under a KMS key |
//! | 2 | 1 | key derivation, `0x02`: NIST SP 800-108 counter mode, HMAC-SHA256 |
//! | 3 | 1 | cipher, `0x00`: AES-256-GCM |
//! | 4 | 16 | key id of the KMS key (the UUID's 16 bytes) |
//! | 20 | 4 | backing-key version, big-endian (1 = the key's original material) |
//! | 24 | 16 | KDF nonce: random, makes every call's derived key unique |
//! | 40 | 12 | GCM IV: random |
//! | 52 | n | ciphertext, as long as the plaintext (1 to 4096 bytes) |
//! | 52+n | 16 | GCM authentication tag |
//!
//! The 52-byte header is authenticated: it is the start of the AAD, followed
//! by the canonical encryption context. The first four bytes match real KMS
//! blobs, so our base64 also begins `AQICA`.

use crate::error::KmsError;
use crate::ids::KeyId;
use alloc::string::String;
use alloc::vec::Vec;

/// The fixed first four bytes of a version-1 blob.
pub const MAGIC: [u8; 4] = [0x01, 0x02, 0x02, 0x00];
/// Length of the authenticated header.
pub const HEADER_LEN: usize = 52;
/// Length of the GCM tag.
pub const TAG_LEN: usize = 16;

/// A parsed blob, borrowing the bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiphertextBlob<'a> {
    /// The KMS key that encrypted it.
    pub key_id: KeyId,
    /// Which of the key's backing keys (rotation versions) was used.
    pub backing_version: u32,
    /// The KDF nonce.
    pub kdf_nonce: [u8; 16],
    /// The GCM IV.
    pub iv: [u8; 12],
    /// The authenticated header, bytes 0..52.
    pub header: &'a [u8],
    /// The encrypted bytes.
    pub ciphertext: &'a [u8],
    /// The GCM tag.
    pub tag: [u8; TAG_LEN],
}

/// The error for every malformed, truncated or altered blob and every
/// wrong encryption context. AWS sends it with no message at all (the raw
/// answer is `{"__type":"InvalidCiphertextException"}`; SDKs print
/// "InvalidCiphertextException: null", aws/aws-sdk-java#1323): it never
/// says which part was wrong.
pub fn invalid_ciphertext() -> KmsError {
    KmsError::InvalidCiphertextException(String::new())
}

impl<'a> CiphertextBlob<'a> {
    /// Parses a blob; never panics on any input.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, KmsError> {
        if bytes.len() < HEADER_LEN + 1 + TAG_LEN || bytes[..4] != MAGIC {
            return Err(invalid_ciphertext());
        }
        let (header, rest) = bytes.split_at(HEADER_LEN);
        let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
        let key_id: [u8; 16] = header[4..20].try_into().map_err(|_| invalid_ciphertext())?;
        let version: [u8; 4] = header[20..24]
            .try_into()
            .map_err(|_| invalid_ciphertext())?;
        Ok(Self {
            key_id: KeyId::from_bytes(key_id),
            backing_version: u32::from_be_bytes(version),
            kdf_nonce: header[24..40]
                .try_into()
                .map_err(|_| invalid_ciphertext())?,
            iv: header[40..52]
                .try_into()
                .map_err(|_| invalid_ciphertext())?,
            header,
            ciphertext,
            tag: tag.try_into().map_err(|_| invalid_ciphertext())?,
        })
    }
}

/// Writes a version-1 header.
pub fn write_header(
    key_id: KeyId,
    backing_version: u32,
    kdf_nonce: &[u8; 16],
    iv: &[u8; 12],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN);
    append_header(&mut out, key_id, backing_version, kdf_nonce, iv);
    out
}

/// Appends a version-1 header to `out`.
pub fn append_header(
    out: &mut Vec<u8>,
    key_id: KeyId,
    backing_version: u32,
    kdf_nonce: &[u8; 16],
    iv: &[u8; 12],
) {
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&key_id.to_bytes());
    out.extend_from_slice(&backing_version.to_be_bytes());
    out.extend_from_slice(kdf_nonce);
    out.extend_from_slice(iv);
}

/// One labelled field of a blob: where it lies and what it says. The
/// playground draws the blob with these labels; they follow the table at the
/// top of this module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobField {
    /// The field's name in the table above.
    pub name: &'static str,
    /// Its byte range in the blob.
    pub range: core::ops::Range<usize>,
    /// What its value means here, in words.
    pub meaning: String,
}

/// Labels every field of a blob. A malformed blob is the same
/// `InvalidCiphertextException` that `Decrypt` gives.
pub fn fields(bytes: &[u8]) -> Result<Vec<BlobField>, KmsError> {
    use alloc::format;
    let blob = CiphertextBlob::parse(bytes)?;
    let n = blob.ciphertext.len();
    let field = |name, range, meaning: String| BlobField {
        name,
        range,
        meaning,
    };
    Ok(alloc::vec![
        field("format version", 0..1, "1".into()),
        field(
            "blob type",
            1..2,
            "symmetric ciphertext under a KMS key".into()
        ),
        field(
            "key derivation",
            2..3,
            "NIST SP 800-108 counter mode, HMAC-SHA256".into()
        ),
        field("cipher", 3..4, "AES-256-GCM".into()),
        field("KMS key id", 4..20, format!("{}", blob.key_id)),
        field(
            "backing-key version",
            20..24,
            format!(
                "{} (rotations add versions; old ones still decrypt)",
                blob.backing_version
            ),
        ),
        field(
            "KDF nonce",
            24..40,
            "random: a fresh derived key for this call".into()
        ),
        field("GCM IV", 40..52, "random".into()),
        field(
            "ciphertext",
            HEADER_LEN..HEADER_LEN + n,
            format!("{n} bytes, as long as the plaintext"),
        ),
        field(
            "GCM tag",
            HEADER_LEN + n..bytes.len(),
            "authenticates the header, the encryption context and the ciphertext".into(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_bytes_are_invalid_ciphertext() {
        for bytes in [&[][..], &[1, 2, 2, 0], &[0u8; 69][..]] {
            assert_eq!(
                CiphertextBlob::parse(bytes).unwrap_err().name(),
                "InvalidCiphertextException"
            );
        }
    }

    #[test]
    fn header_fields_round_trip() {
        let key = KeyId::from_random([7; 16]);
        let mut bytes = write_header(key, 3, &[9; 16], &[5; 12]);
        bytes.extend_from_slice(&[0xaa; 4]);
        bytes.extend_from_slice(&[0xbb; TAG_LEN]);
        let blob = CiphertextBlob::parse(&bytes).unwrap();
        assert_eq!(
            (blob.key_id, blob.backing_version, blob.kdf_nonce, blob.iv),
            (key, 3, [9; 16], [5; 12])
        );
        assert_eq!(blob.ciphertext, &[0xaa; 4]);
        assert_eq!(crate::base64_blob::encode(&bytes)[..5], *"AQICA");
    }

    #[test]
    fn fields_label_every_byte_once_in_order() {
        let key = KeyId::from_random([7; 16]);
        let mut bytes = write_header(key, 3, &[9; 16], &[5; 12]);
        bytes.extend_from_slice(&[0xaa; 4]);
        bytes.extend_from_slice(&[0xbb; TAG_LEN]);
        let labelled = fields(&bytes).unwrap();
        let mut next = 0;
        for f in &labelled {
            assert_eq!(
                f.range.start, next,
                "{} starts where the last ended",
                f.name
            );
            next = f.range.end;
        }
        assert_eq!(next, bytes.len());
        assert_eq!(labelled[4].meaning, key.to_string());
        assert!(labelled[5].meaning.starts_with("3 "));
        assert_eq!(labelled[8].range, 52..56);
        assert_eq!(
            fields(&bytes[..60]).unwrap_err().name(),
            "InvalidCiphertextException"
        );
    }
}
