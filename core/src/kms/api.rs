//! Request and response shapes of the KMS JSON API, field for field:
//! PascalCase names, base64 binary fields, dates as epoch seconds.

use crate::crypto::context::EncryptionContext;
use crate::secret::SecretBytes;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// Key specs AWS accepts. `SYMMETRIC_DEFAULT`, RSA and ECC keys can be
/// created (see [`crate::kms::spec`]); the others parse so that using them
/// is a clear `UnsupportedOperationException`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(non_camel_case_types, missing_docs)]
pub enum KeySpec {
    #[default]
    SYMMETRIC_DEFAULT,
    RSA_2048,
    RSA_3072,
    RSA_4096,
    ECC_NIST_P256,
    ECC_NIST_P384,
    ECC_NIST_P521,
    ECC_SECG_P256K1,
    HMAC_224,
    HMAC_256,
    HMAC_384,
    HMAC_512,
    SM2,
    ML_DSA_44,
    ML_DSA_65,
    ML_DSA_87,
}

/// What a key is for. Symmetric keys are `ENCRYPT_DECRYPT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(non_camel_case_types, missing_docs)]
pub enum KeyUsage {
    #[default]
    ENCRYPT_DECRYPT,
    SIGN_VERIFY,
    GENERATE_VERIFY_MAC,
    KEY_AGREEMENT,
}

/// The key's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Kept, but refused for cryptographic operations.
    Disabled,
    /// Scheduled for deletion at `DeletionDate`; unusable, can be cancelled.
    PendingDeletion,
}

/// Who manages a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::upper_case_acronyms)]
pub enum KeyManager {
    /// A customer managed key: the account controls policy, rotation, deletion.
    CUSTOMER,
    /// An AWS managed key (`aws/rds`, ...): the service controls it.
    AWS,
}

/// Data key lengths `GenerateDataKey` offers by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[allow(non_camel_case_types, missing_docs)]
pub enum DataKeySpec {
    AES_256,
    AES_128,
}

/// The only encryption algorithm of symmetric keys.
pub const SYMMETRIC_DEFAULT: &str = "SYMMETRIC_DEFAULT";

/// A tag on a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    /// The tag's key.
    pub tag_key: String,
    /// The tag's value.
    pub tag_value: String,
}

/// `DescribeKey`'s and `CreateKey`'s `KeyMetadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct KeyMetadata {
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    pub key_id: String,
    pub arn: String,
    pub creation_date: f64,
    pub enabled: bool,
    pub description: String,
    pub key_usage: KeyUsage,
    pub key_state: KeyState,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deletion_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pending_deletion_window_in_days: Option<u32>,
    pub origin: String,
    pub key_manager: KeyManager,
    pub customer_master_key_spec: KeySpec,
    pub key_spec: KeySpec,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub encryption_algorithms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub signing_algorithms: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub key_agreement_algorithms: Vec<String>,
    pub multi_region: bool,
}

aws_shapes! {
    /// `CreateKey`.
    CreateKeyRequest {
        /// The key policy (JSON); absent means the default key policy.
        #[serde(default, skip_serializing_if = "Option::is_none")] policy: Option<String>,
        /// A description.
        #[serde(default, skip_serializing_if = "Option::is_none")] description: Option<String>,
        /// `ENCRYPT_DECRYPT` (default).
        #[serde(default, skip_serializing_if = "Option::is_none")] key_usage: Option<KeyUsage>,
        /// `SYMMETRIC_DEFAULT` (default).
        #[serde(default, skip_serializing_if = "Option::is_none")] key_spec: Option<KeySpec>,
        /// `AWS_KMS` (default) is the only origin simulated.
        #[serde(default, skip_serializing_if = "Option::is_none")] origin: Option<String>,
        /// Skips the policy lockout safety check.
        #[serde(default, skip_serializing_if = "Option::is_none")] bypass_policy_lockout_safety_check: Option<bool>,
        /// Tags.
        #[serde(default, skip_serializing_if = "Option::is_none")] tags: Option<Vec<Tag>>,
        /// Multi-Region keys are not simulated.
        #[serde(default, skip_serializing_if = "Option::is_none")] multi_region: Option<bool>,
    }
    /// Requests naming only a key: `DescribeKey`, `EnableKey`, `DisableKey`,
    /// `CancelKeyDeletion`, `DisableKeyRotation`, `GetKeyRotationStatus`,
    /// `RotateKeyOnDemand`.
    KeyIdRequest {
        /// Any accepted key-id form.
        key_id: String,
        /// Grant tokens (accepted where AWS accepts them).
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
    }
    /// `GetKeyPolicy`.
    GetKeyPolicyRequest {
        /// The key id or key ARN.
        key_id: String,
        /// `default`, the only name a key policy has (optional).
        #[serde(default, skip_serializing_if = "Option::is_none")] policy_name: Option<String>,
    }
    /// `ListKeys`.
    ListKeysRequest {
        /// 1 to 1000, default 100.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous `NextMarker`.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `UpdateKeyDescription`.
    UpdateKeyDescriptionRequest {
        /// The key.
        key_id: String,
        /// The new description.
        description: String,
    }
    /// `ScheduleKeyDeletion`.
    ScheduleKeyDeletionRequest {
        /// The key.
        key_id: String,
        /// 7 to 30, default 30.
        #[serde(default, skip_serializing_if = "Option::is_none")] pending_window_in_days: Option<u32>,
    }
    /// `CreateAlias` and `UpdateAlias`.
    AliasRequest {
        /// `alias/...`.
        alias_name: String,
        /// A key id or key ARN (never an alias).
        target_key_id: String,
    }
    /// `DeleteAlias`.
    DeleteAliasRequest {
        /// `alias/...`.
        alias_name: String,
    }
    /// `ListAliases`.
    ListAliasesRequest {
        /// Only the aliases of this key.
        #[serde(default, skip_serializing_if = "Option::is_none")] key_id: Option<String>,
        /// 1 to 100, default 50.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous `NextMarker`.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `Encrypt`.
    EncryptRequest {
        /// The key.
        key_id: String,
        /// 1 to 4096 bytes, base64 in JSON.
        plaintext: SecretBytes,
        /// Bound to the ciphertext as AAD.
        #[serde(default, skip_serializing_if = "Option::is_none")] encryption_context: Option<EncryptionContext>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
        /// `SYMMETRIC_DEFAULT`.
        #[serde(default, skip_serializing_if = "Option::is_none")] encryption_algorithm: Option<String>,
    }
    /// `Decrypt`.
    DecryptRequest {
        /// The blob, base64 in JSON.
        #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
        /// Must equal the context used to encrypt.
        #[serde(default, skip_serializing_if = "Option::is_none")] encryption_context: Option<EncryptionContext>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
        /// Optional for symmetric keys; must name the key in the blob.
        #[serde(default, skip_serializing_if = "Option::is_none")] key_id: Option<String>,
        /// `SYMMETRIC_DEFAULT`.
        #[serde(default, skip_serializing_if = "Option::is_none")] encryption_algorithm: Option<String>,
    }
    /// `ReEncrypt`.
    ReEncryptRequest {
        /// The blob to move.
        #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
        /// The context it was encrypted with.
        #[serde(default, skip_serializing_if = "Option::is_none")] source_encryption_context: Option<EncryptionContext>,
        /// Optional; must name the key in the blob.
        #[serde(default, skip_serializing_if = "Option::is_none")] source_key_id: Option<String>,
        /// The key to encrypt under.
        destination_key_id: String,
        /// The context to bind now.
        #[serde(default, skip_serializing_if = "Option::is_none")] destination_encryption_context: Option<EncryptionContext>,
        /// `SYMMETRIC_DEFAULT`.
        #[serde(default, skip_serializing_if = "Option::is_none")] source_encryption_algorithm: Option<String>,
        /// `SYMMETRIC_DEFAULT`.
        #[serde(default, skip_serializing_if = "Option::is_none")] destination_encryption_algorithm: Option<String>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
    }
    /// `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`.
    GenerateDataKeyRequest {
        /// The key that encrypts the data key.
        key_id: String,
        /// Bound to the encrypted data key.
        #[serde(default, skip_serializing_if = "Option::is_none")] encryption_context: Option<EncryptionContext>,
        /// 1 to 1024; or use `KeySpec`.
        #[serde(default, skip_serializing_if = "Option::is_none")] number_of_bytes: Option<u32>,
        /// `AES_256` or `AES_128`; or use `NumberOfBytes`.
        #[serde(default, skip_serializing_if = "Option::is_none")] key_spec: Option<DataKeySpec>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
    }
    /// `GenerateRandom`.
    GenerateRandomRequest {
        /// 1 to 1024.
        #[serde(default, skip_serializing_if = "Option::is_none")] number_of_bytes: Option<u32>,
    }
    /// `EnableKeyRotation`.
    EnableKeyRotationRequest {
        /// The key.
        key_id: String,
        /// 90 to 2560, default 365.
        #[serde(default, skip_serializing_if = "Option::is_none")] rotation_period_in_days: Option<u32>,
    }
    /// `ListKeyRotations` and `ListResourceTags`.
    ListForKeyRequest {
        /// The key.
        key_id: String,
        /// 1 to 1000 (ListKeyRotations) or 1 to 50 (ListResourceTags).
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous `NextMarker`.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `TagResource`.
    TagResourceRequest {
        /// The key.
        key_id: String,
        /// Tags to add or overwrite.
        tags: Vec<Tag>,
    }
    /// `UntagResource`.
    UntagResourceRequest {
        /// The key.
        key_id: String,
        /// Tag keys to remove.
        tag_keys: Vec<String>,
    }
}

/// Encryption context constraints: a grant can require the exact context,
/// or a context that contains given pairs. Keys compare case-insensitively,
/// values case-sensitively.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GrantConstraints {
    /// The request's context must be exactly this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
    /// The request's context must contain these pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
}

aws_shapes! {
    /// `CreateGrant`.
    CreateGrantRequest {
        /// The key.
        key_id: String,
        /// Who may use the grant.
        grantee_principal: String,
        /// Who may retire it.
        #[serde(default, skip_serializing_if = "Option::is_none")] retiring_principal: Option<String>,
        /// What it allows.
        operations: Vec<String>,
        /// Encryption context constraints.
        #[serde(default, skip_serializing_if = "Option::is_none")] constraints: Option<GrantConstraints>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
        /// A name; the same name and parameters return the same grant.
        #[serde(default, skip_serializing_if = "Option::is_none")] name: Option<String>,
    }
    /// `CreateGrant`'s response.
    CreateGrantResponse {
        /// Presenting it makes the grant usable before it propagates.
        grant_token: String,
        /// The grant's id.
        grant_id: String,
    }
    /// `ListGrants`.
    ListGrantsRequest {
        /// The key.
        key_id: String,
        /// Only this grant.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_id: Option<String>,
        /// Only grants for this grantee.
        #[serde(default, skip_serializing_if = "Option::is_none")] grantee_principal: Option<String>,
        /// 1 to 100, default 50.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous NextMarker.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `ListRetirableGrants`.
    ListRetirableGrantsRequest {
        /// The retiring principal.
        retiring_principal: String,
        /// 1 to 100, default 50.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous NextMarker.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `ListGrants` and `ListRetirableGrants` responses.
    ListGrantsResponse {
        /// The grants.
        grants: Vec<GrantListEntry>,
        /// Where the next page starts.
        #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
        /// Whether there is a next page.
        truncated: bool,
    }
    /// `RetireGrant`.
    RetireGrantRequest {
        /// The grant's token, or KeyId + GrantId.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_token: Option<String>,
        /// The key (with GrantId).
        #[serde(default, skip_serializing_if = "Option::is_none")] key_id: Option<String>,
        /// The grant (with KeyId).
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_id: Option<String>,
    }
    /// `RevokeGrant`.
    RevokeGrantRequest {
        /// The key.
        key_id: String,
        /// The grant.
        grant_id: String,
    }
}

/// One grant as `ListGrants` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct GrantListEntry {
    pub key_id: String,
    pub grant_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub creation_date: u64,
    pub grantee_principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring_principal: Option<String>,
    pub issuing_account: String,
    pub operations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<GrantConstraints>,
}

/// `PutKeyPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutKeyPolicyRequest {
    /// The key.
    pub key_id: String,
    /// `default` (the only name a key policy has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// The new policy.
    pub policy: String,
    /// Skips the lockout safety check (almost never a good idea).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass_policy_lockout_safety_check: Option<bool>,
}

/// Responses, each exactly the JSON body AWS returns.
#[allow(missing_docs)]
pub mod responses {
    use super::*;

    aws_shapes! {
        /// `CreateKey`, `DescribeKey`.
        KeyMetadataResponse { key_metadata: Option<KeyMetadata> }
        /// `ListKeys`.
        ListKeysResponse {
            keys: Vec<KeyListEntry>,
            #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
            truncated: bool,
        }
        /// One key of `ListKeys`.
        KeyListEntry { key_id: String, key_arn: String }
        /// `ScheduleKeyDeletion`.
        ScheduleKeyDeletionResponse {
            key_id: String,
            deletion_date: f64,
            key_state: Option<KeyState>,
            pending_window_in_days: u32,
        }
        /// Responses carrying only the key: `CancelKeyDeletion`, `RotateKeyOnDemand`.
        KeyIdResponse { key_id: String }
        /// `ListAliases`.
        ListAliasesResponse {
            aliases: Vec<AliasListEntry>,
            #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
            truncated: bool,
        }
        /// One alias of `ListAliases`.
        AliasListEntry {
            alias_name: String,
            alias_arn: String,
            #[serde(default, skip_serializing_if = "Option::is_none")] target_key_id: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")] creation_date: Option<f64>,
            #[serde(default, skip_serializing_if = "Option::is_none")] last_updated_date: Option<f64>,
        }
        /// `Encrypt`.
        EncryptResponse {
            #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
            key_id: String,
            encryption_algorithm: String,
        }
        /// `Decrypt`.
        DecryptResponse {
            key_id: String,
            plaintext: SecretBytes,
            encryption_algorithm: String,
        }
        /// `ReEncrypt`.
        ReEncryptResponse {
            #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
            source_key_id: String,
            key_id: String,
            source_encryption_algorithm: String,
            destination_encryption_algorithm: String,
        }
        /// `GenerateDataKey`.
        GenerateDataKeyResponse {
            #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
            plaintext: SecretBytes,
            key_id: String,
        }
        /// `GenerateDataKeyWithoutPlaintext`.
        GenerateDataKeyWithoutPlaintextResponse {
            #[serde(with = "crate::base64_blob")] ciphertext_blob: Vec<u8>,
            key_id: String,
        }
        /// `GenerateRandom`.
        GenerateRandomResponse { plaintext: SecretBytes }
        /// `GetKeyRotationStatus`.
        GetKeyRotationStatusResponse {
            key_rotation_enabled: bool,
            key_id: String,
            #[serde(default, skip_serializing_if = "Option::is_none")] rotation_period_in_days: Option<u32>,
            #[serde(default, skip_serializing_if = "Option::is_none")] next_rotation_date: Option<f64>,
            #[serde(default, skip_serializing_if = "Option::is_none")] on_demand_rotation_start_date: Option<f64>,
        }
        /// `ListKeyRotations`.
        ListKeyRotationsResponse {
            rotations: Vec<RotationEntry>,
            #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
            truncated: bool,
        }
        /// One rotation of `ListKeyRotations`.
        RotationEntry { key_id: String, rotation_date: f64, rotation_type: String }
        /// `ListKeyPolicies`.
        ListKeyPoliciesResponse { policy_names: Vec<String>, truncated: bool }
        /// `GetKeyPolicy`.
        KeyPolicyResponse { policy: String, policy_name: String }
        /// `ListResourceTags`.
        ListResourceTagsResponse {
            tags: Vec<Tag>,
            #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
            truncated: bool,
        }
    }
}
