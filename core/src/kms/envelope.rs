//! The envelope of one cryptographic call, typed, as the playground draws
//! it: which KMS key (and backing-key version) the blob is under, the data
//! key or plaintext, the blob and its fields, and the encryption context
//! bound to it as AAD. Worked out here from the typed request and response,
//! so the page never re-reads JSON to guess which action yields a blob.

use crate::crypto::blob::{self, BlobField, CiphertextBlob};
use crate::crypto::context::EncryptionContext;
use crate::request::{Request, Response};
use crate::secret::SecretBytes;
use alloc::string::String;
use alloc::vec::Vec;

/// Which call an envelope shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeCall {
    /// A data key, in plaintext and encrypted.
    GenerateDataKey,
    /// A data key, encrypted only.
    GenerateDataKeyWithoutPlaintext,
    /// The caller's plaintext, encrypted.
    Encrypt,
    /// A blob opened back into its plaintext.
    Decrypt,
    /// A blob moved from one key (and context) to another.
    ReEncrypt,
}

/// The envelope of one successful cryptographic call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The call.
    pub call: EnvelopeCall,
    /// The ARN of the KMS key the blob is under (the destination key of a
    /// ReEncrypt).
    pub key_arn: String,
    /// ReEncrypt: the key the blob was under before.
    pub source_key_arn: Option<String>,
    /// The backing-key version that sealed the blob (read from the blob).
    pub backing_version: u32,
    /// The data key (GenerateDataKey), the plaintext encrypted (Encrypt) or
    /// recovered (Decrypt); none for the other calls.
    pub plaintext: Option<SecretBytes>,
    /// The blob: made by the call, or read by Decrypt.
    pub blob: Vec<u8>,
    /// The encryption context bound to `blob` as AAD (the destination
    /// context of a ReEncrypt).
    pub context: EncryptionContext,
    /// ReEncrypt: the context the blob was bound to before.
    pub source_context: Option<EncryptionContext>,
    /// The blob's fields, in the simulator's own format.
    pub fields: Vec<BlobField>,
}

impl Envelope {
    /// Whether `request` is a call an envelope shows (worth keeping a copy
    /// of before it is sent).
    pub fn shows(request: &Request) -> bool {
        // The cryptographic calls: those that bind or open with a context.
        request.aad_context().is_some()
    }

    /// The envelope of `request` answered by `response`, if it is a
    /// cryptographic call that succeeded.
    pub fn of(request: &Request, response: &Response) -> Option<Envelope> {
        let bound = request.aad_context()?;
        let (call, key_arn, source_key_arn, plaintext, blob, source_context) =
            match (request, response) {
                (Request::GenerateDataKey(_), Response::GenerateDataKey(s)) => (
                    EnvelopeCall::GenerateDataKey,
                    &s.key_id,
                    None,
                    Some(s.plaintext.clone()),
                    &s.ciphertext_blob,
                    None,
                ),
                (
                    Request::GenerateDataKeyWithoutPlaintext(_),
                    Response::GenerateDataKeyWithoutPlaintext(s),
                ) => (
                    EnvelopeCall::GenerateDataKeyWithoutPlaintext,
                    &s.key_id,
                    None,
                    None,
                    &s.ciphertext_blob,
                    None,
                ),
                (Request::Encrypt(r), Response::Encrypt(s)) => (
                    EnvelopeCall::Encrypt,
                    &s.key_id,
                    None,
                    Some(r.plaintext.clone()),
                    &s.ciphertext_blob,
                    None,
                ),
                (Request::Decrypt(r), Response::Decrypt(s)) => (
                    EnvelopeCall::Decrypt,
                    &s.key_id,
                    None,
                    Some(s.plaintext.clone()),
                    &r.ciphertext_blob,
                    None,
                ),
                (Request::ReEncrypt(r), Response::ReEncrypt(s)) => (
                    EnvelopeCall::ReEncrypt,
                    &s.key_id,
                    Some(s.source_key_id.clone()),
                    None,
                    &s.ciphertext_blob,
                    Some(r.source_encryption_context.clone().unwrap_or_default()),
                ),
                _ => return None,
            };
        let backing_version = CiphertextBlob::parse(blob).ok()?.backing_version;
        Some(Envelope {
            call,
            key_arn: key_arn.clone(),
            source_key_arn,
            backing_version,
            plaintext,
            blob: blob.clone(),
            context: bound,
            source_context,
            fields: blob::fields(blob).ok()?,
        })
    }

    /// The plaintext data key a GenerateDataKey returned: what an
    /// application encrypts its data with.
    pub fn plaintext_data_key(&self) -> Option<&SecretBytes> {
        self.plaintext
            .as_ref()
            .filter(|_| self.call == EnvelopeCall::GenerateDataKey)
    }

    /// Whether the call made a data key (its plaintext, if any, is the key
    /// the application encrypts its data with).
    pub fn is_data_key(&self) -> bool {
        matches!(
            self.call,
            EnvelopeCall::GenerateDataKey | EnvelopeCall::GenerateDataKeyWithoutPlaintext
        )
    }
}
