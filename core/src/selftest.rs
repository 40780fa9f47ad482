//! Known-answer test of the AES-256-GCM implementation the simulator uses.
//!
//! The playground runs it at start-up and shows the result, so a learner (and
//! the end-to-end test) can see that real cryptography runs in the page.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};

/// Test case 14 of McGrew and Viega, "The Galois/Counter Mode of Operation":
/// a zero 256-bit key, a zero 96-bit IV and sixteen zero bytes of plaintext.
const EXPECTED_CIPHERTEXT: [u8; 16] = [
    0xce, 0xa7, 0x40, 0x3d, 0x4d, 0x60, 0x6b, 0x6e, 0x07, 0x4e, 0xc5, 0xd3, 0xba, 0xf3, 0x9d, 0x18,
];
const EXPECTED_TAG: [u8; 16] = [
    0xd0, 0xd1, 0xc8, 0xa7, 0x99, 0x99, 0x6b, 0xf0, 0x26, 0x5b, 0x98, 0xb5, 0xd4, 0x8a, 0xb9, 0x19,
];

/// What the known-answer test computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AesGcmSelfTest {
    /// The authentication tag computed here.
    pub tag: [u8; 16],
    /// Whether ciphertext and tag equal the published vector.
    pub passed: bool,
}

/// Runs AES-256-GCM on the published test vector and compares the result.
pub fn aes256_gcm_known_answer() -> AesGcmSelfTest {
    let cipher = Aes256Gcm::new(&[0u8; 32].into());
    let mut buffer = [0u8; 16];
    let tag = cipher
        .encrypt_inout_detached(&Nonce::from([0u8; 12]), &[], (&mut buffer[..]).into())
        .map(|t| {
            let mut out = [0u8; 16];
            out.copy_from_slice(&t);
            out
        })
        .unwrap_or([0u8; 16]);
    AesGcmSelfTest {
        tag,
        passed: buffer == EXPECTED_CIPHERTEXT && tag == EXPECTED_TAG,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_vector() {
        let result = aes256_gcm_known_answer();
        assert!(result.passed);
        assert_eq!(result.tag, EXPECTED_TAG);
    }
}
