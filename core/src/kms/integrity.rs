//! Why a Decrypt that KMS allowed still failed: the blob's integrity check.
//! The encryption context is bound to a ciphertext as AAD, so a Decrypt
//! with another context passes authorization and then fails AES-GCM's tag
//! check with `InvalidCiphertextException`, the same error as a corrupt
//! blob: AWS never says which context was expected. CloudTrail does, in
//! the record of the Encrypt or GenerateDataKey that made the blob. This
//! module finds that record the way a learner would, except that it can
//! prove which one it is: the record whose context opens the blob.

use crate::audit::trail::{AuditTrail, Elements};
use crate::crypto::blob::CiphertextBlob;
use crate::crypto::context::EncryptionContext;
use crate::crypto::open;
use crate::error::KmsError;
use crate::kms::state::Kms;
use crate::request::Request;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

/// How many distinct contexts from the trail are tried: the search is
/// bounded whatever the trail holds.
pub const MAX_CANDIDATES: usize = 64;

/// One key of either context, with its value on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextPair {
    /// The context key.
    pub key: String,
    /// Its value in the Decrypt request, if present.
    pub given: Option<String>,
    /// Its value in the context the blob was bound to, if present.
    pub bound: Option<String>,
}

impl ContextPair {
    /// Whether the two sides differ (the pair that broke the check).
    pub fn differs(&self) -> bool {
        self.given != self.bound
    }
}

/// The CloudTrail record of the call that made the blob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BoundAt {
    /// `Encrypt`, `GenerateDataKey`, ...
    pub event_name: &'static str,
    /// Its `eventID`.
    pub event_id: String,
    /// Its `eventTime`.
    pub event_time: String,
    /// Who made the call (an ARN), or the service that made it for them.
    pub caller: String,
    /// The encryption context it recorded.
    pub context: EncryptionContext,
}

/// A Decrypt allowed by policy whose blob did not open under the context
/// it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextMismatch {
    /// The key the blob names.
    pub key_arn: String,
    /// The context the Decrypt gave.
    pub given: EncryptionContext,
    /// Where the bound context was found, if the trail still holds it.
    pub bound: Option<BoundAt>,
    /// Every key of both contexts (only `given`'s when nothing was found).
    pub pairs: Vec<ContextPair>,
}

/// The context a successful blob-making event recorded: its request, as
/// the event keeps it.
fn recorded_context(parameters: Option<&Elements>) -> Option<EncryptionContext> {
    match parameters {
        // A Decrypt opened a blob; it did not bind one.
        Some(Elements::Request(request)) if !matches!(**request, Request::Decrypt(_)) => {
            request.aad_context()
        }
        _ => None,
    }
}

/// If `request` is a Decrypt that failed with `InvalidCiphertextException`
/// after KMS allowed it (`allowed`), the context it gave beside the one the
/// blob was bound to, found in `trail`.
pub fn context_mismatch(
    kms: &Kms,
    trail: &AuditTrail,
    request: &Request,
    error: &KmsError,
    allowed: bool,
) -> Option<ContextMismatch> {
    let Request::Decrypt(r) = request else {
        return None;
    };
    if !allowed || !matches!(error, KmsError::InvalidCiphertextException(_)) {
        return None;
    }
    let blob = CiphertextBlob::parse(&r.ciphertext_blob).ok()?;
    let key = kms.keys.get(&blob.key_id)?;
    let backing = key.backing_key(blob.backing_version)?;
    let given = r.encryption_context.clone().unwrap_or_default();
    let arn: &str = key.arn();
    let mut tried: Vec<Vec<u8>> = Vec::new();
    let bound = trail
        .events()
        .rev()
        .filter(|e| e.error_code.is_none() && e.resources.iter().any(|r| &*r.arn == arn))
        .filter_map(|e| Some((e, recorded_context(e.request_parameters.as_ref())?)))
        .filter(|(_, context)| {
            let canonical = context.canonical();
            let new = !tried.contains(&canonical);
            if new {
                tried.push(canonical);
            }
            new
        })
        .take(MAX_CANDIDATES)
        .find(|(_, context)| open(&blob, backing, context).is_ok())
        .map(|(e, context)| BoundAt {
            event_name: e.event_name,
            event_id: e.event_id.to_string(),
            event_time: e.event_time.to_string(),
            caller: e.user_identity.who(),
            context,
        });
    // Both contexts' keys, in order, once each (a context's keys are sorted).
    let mut keys: Vec<&str> = given.pairs().map(|(k, _)| k).collect();
    for (k, _) in bound.iter().flat_map(|b| b.context.pairs()) {
        if let Err(at) = keys.binary_search(&k) {
            keys.insert(at, k);
        }
    }
    let pairs = keys
        .into_iter()
        .map(|k| ContextPair {
            key: k.to_string(),
            given: given.get(k).map(str::to_string),
            bound: bound
                .as_ref()
                .and_then(|b| b.context.get(k))
                .map(str::to_string),
        })
        .collect();
    Some(ContextMismatch {
        key_arn: arn.to_string(),
        given,
        bound,
        pairs,
    })
}
