//! Encrypting *data* with a data key, outside KMS: the second half of
//! envelope encryption. `GenerateDataKey` hands out a plaintext data key; the
//! application seals its data with it, stores the result beside the encrypted
//! data key, and drops the plaintext key.
//!
//! Format: 12-byte random IV ‖ AES-256-GCM ciphertext ‖ 16-byte tag.

use crate::secret::SecretBytes;
use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{AeadInOut, KeyInit};
use alloc::vec::Vec;

/// Why local data decryption failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataError {
    /// The data key is not 32 bytes (AES-256).
    KeyLength,
    /// The sealed data was altered, truncated, or the key or AAD differ.
    Authentication,
}

impl core::fmt::Display for DataError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            DataError::KeyLength => "a data key for AES-256-GCM must be 32 bytes",
            DataError::Authentication => {
                "the data was altered, or the key or AAD are not the ones used to seal it"
            }
        })
    }
}

/// A data key ready to seal and open data.
pub struct DataCipher(Aes256Gcm);

impl DataCipher {
    /// Uses a 32-byte plaintext data key.
    pub fn new(data_key: &SecretBytes) -> Result<Self, DataError> {
        Aes256Gcm::new_from_slice(data_key.expose())
            .map(Self)
            .map_err(|_| DataError::KeyLength)
    }

    /// Seals `data` with a caller-supplied random `iv` (never reuse one per key).
    pub fn seal(&self, iv: [u8; 12], aad: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + data.len() + 16);
        out.extend_from_slice(&iv);
        out.extend_from_slice(data);
        let tag = self
            .0
            .encrypt_inout_detached(&iv.into(), aad, (&mut out[12..]).into())
            .unwrap_or_else(|_| unreachable!("GCM accepts up to 64 GiB per message"));
        out.extend_from_slice(&tag);
        out
    }

    /// Encrypts `buffer` in place and returns the tag: for large data, no
    /// copy and no allocation. Store `iv ‖ buffer ‖ tag` to use [`DataCipher::open`].
    pub fn seal_in_place(&self, iv: [u8; 12], aad: &[u8], buffer: &mut [u8]) -> [u8; 16] {
        let tag = self
            .0
            .encrypt_inout_detached(&iv.into(), aad, buffer.into())
            .unwrap_or_else(|_| unreachable!("GCM accepts up to 64 GiB per message"));
        let mut out = [0u8; 16];
        out.copy_from_slice(&tag);
        out
    }

    /// Opens what [`DataCipher::seal`] produced.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<SecretBytes, DataError> {
        if sealed.len() < 12 + 16 {
            return Err(DataError::Authentication);
        }
        let (iv, rest) = sealed.split_at(12);
        let (body, tag) = rest.split_at(rest.len() - 16);
        let iv: [u8; 12] = iv.try_into().map_err(|_| DataError::Authentication)?;
        let tag: [u8; 16] = tag.try_into().map_err(|_| DataError::Authentication)?;
        let mut buffer = body.to_vec();
        let result =
            self.0
                .decrypt_inout_detached(&iv.into(), aad, (&mut buffer[..]).into(), &tag.into());
        let plaintext = SecretBytes::new(buffer);
        result
            .map(|()| plaintext)
            .map_err(|_| DataError::Authentication)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_tamper() {
        let key = SecretBytes::new(alloc::vec![7; 32]);
        let cipher = DataCipher::new(&key).unwrap();
        let sealed = cipher.seal([1; 12], b"row:1", b"Alice");
        assert_eq!(cipher.open(b"row:1", &sealed).unwrap().expose(), b"Alice");
        assert_eq!(
            cipher.open(b"row:2", &sealed).unwrap_err(),
            DataError::Authentication
        );
        let mut bad = sealed.clone();
        bad[13] ^= 1;
        assert!(cipher.open(b"row:1", &bad).is_err());
        assert!(cipher.open(b"", &sealed[..10]).is_err());
        assert_eq!(
            DataCipher::new(&SecretBytes::new(alloc::vec![0; 16])).err(),
            Some(DataError::KeyLength)
        );
        // In place: the same bytes as seal, without the copy.
        let mut buffer = *b"Alice";
        let tag = cipher.seal_in_place([1; 12], b"row:1", &mut buffer);
        let mut stored = alloc::vec::Vec::from([1u8; 12]);
        stored.extend_from_slice(&buffer);
        stored.extend_from_slice(&tag);
        assert_eq!(stored, sealed);
    }
}
