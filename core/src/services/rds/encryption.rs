//! What RDS asks KMS, always as the caller through RDS (so the key policy
//! sees `kms:ViaService`) or as its own service principal: attach a key to
//! a new cluster (DescribeKey, then a grant for the cluster's lifetime),
//! and move a data key to another key without exposing it (ReEncrypt).

use super::call::rds_caller;
use super::state::Storage;
use crate::crypto::context::EncryptionContext;
use crate::env::{Ctx, KmsCalls, nested, nested_outcome};
use crate::error::KmsError;
use crate::ids::KeyId;
use crate::kms::api::{CreateGrantRequest, KeyIdRequest, ReEncryptRequest};
use crate::principal::{AwsService, Caller};
use crate::request::{Request, Response};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// What RDS's grants allow.
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "DescribeKey",
    "RetireGrant",
];

/// RDS's error for a key it cannot use.
pub fn not_accessible(arn: &str) -> KmsError {
    KmsError::KMSKeyNotAccessibleFault(format!(
        "The specified KMS key [{arn}] does not exist, is not enabled or you do not have permissions to access it."
    ))
}

/// RDS's error for a snapshot whose key it cannot use.
pub fn source_not_accessible(arn: &str) -> KmsError {
    KmsError::KMSKeyNotAccessibleFault(format!(
        "The source snapshot KMS key [{arn}] does not exist, is not enabled or you do not have permissions to access it."
    ))
}

/// The encryption context of a cluster's data key.
pub fn data_key_context(resource_id: &str) -> EncryptionContext {
    EncryptionContext::from_pairs([("aws:rds:db-id", resource_id)])
}

/// What RDS does with a key before using it for a new cluster: DescribeKey
/// and CreateGrant as the caller, through RDS. Returns the key, its ARN and
/// the grant. `alias/aws/rds` creates the account's AWS managed key on
/// first use, as AWS does.
pub fn attach_key(
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    key_id: &str,
    cluster_arn: &str,
    resource_id: &str,
) -> Result<(KeyId, String, String), KmsError> {
    let via = rds_caller(caller, cluster_arn.into());
    let described = nested(
        kms,
        ctx,
        via.clone(),
        Request::DescribeKey(KeyIdRequest {
            key_id: key_id.into(),
            grant_tokens: None,
        }),
    );
    let metadata = match described {
        Ok(Response::KeyMetadata(m)) => m.key_metadata.ok_or_else(|| not_accessible(key_id))?,
        _ => return Err(not_accessible(key_id)),
    };
    let grant = nested(
        kms,
        ctx,
        via,
        Request::CreateGrant(CreateGrantRequest {
            key_id: metadata.arn.clone(),
            grantee_principal: AwsService::Rds.principal().into(),
            retiring_principal: Some(AwsService::Rds.principal().into()),
            operations: GRANT_OPERATIONS.iter().map(|s| s.to_string()).collect(),
            name: Some(resource_id.into()),
            ..Default::default()
        }),
    );
    let grant_id = match grant {
        Ok(Response::CreateGrant(g)) => g.grant_id,
        _ => return Err(not_accessible(&metadata.arn)),
    };
    let key = KeyId::parse(&metadata.key_id).ok_or_else(|| not_accessible(&metadata.arn))?;
    Ok((key, metadata.arn, grant_id))
}

/// Re-encrypts a data key under another key (or context) with ReEncrypt,
/// as the caller through RDS: the plaintext never leaves KMS. Returns the
/// new blob and the ARN of the key it is under.
pub fn rewrap(
    kms: &mut dyn KmsCalls,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    storage: &Storage,
    destination: &str,
    context: EncryptionContext,
    source_arn: String,
) -> Result<(Vec<u8>, String), KmsError> {
    let outcome = nested_outcome(
        kms,
        ctx,
        rds_caller(caller, source_arn),
        Request::ReEncrypt(ReEncryptRequest {
            ciphertext_blob: storage.encrypted_data_key.clone(),
            source_encryption_context: Some(storage.data_key_context.clone()),
            destination_key_id: destination.into(),
            destination_encryption_context: Some(context),
            ..Default::default()
        }),
    );
    // The source side failed unless KMS had already moved on to the destination.
    let reached_destination = outcome
        .authorizations
        .iter()
        .any(|a| a.action == "kms:ReEncryptTo");
    match outcome.result {
        Ok(Response::ReEncrypt(r)) => Ok((r.ciphertext_blob, r.key_id)),
        _ if !reached_destination => Err(source_not_accessible(&storage.key_arn)),
        _ => Err(not_accessible(destination)),
    }
}
