//! KMS's actions, written once. Each row names the API operation, its IAM
//! action and request shape, whether it only reads, a runnable example of
//! its parameters, the handler, and every access it makes to a key: which
//! key states allow that access, whether it may reach a key in another
//! account, whether a grant may allow it, and which forms of KeyId it takes.
//!
//! From this table come the [`crate::Request`] enum, the key-state check,
//! the cross-account and grantable sets, the console's templates and the
//! benchmarks' names.
//!
//! Sources: the KMS API reference (botocore's `kms/2014-11-01` model) for
//! shapes and KeyId forms, the developer guide's key-state table and its
//! pages on cross-account access and grant operations.

use super::api::KeyState;
use crate::error::KmsError;

/// Which states of a key allow an access to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStates {
    /// Enabled only: cryptography and the grants and rotations that need
    /// usable material (a disabled key: `DisabledException`).
    Usable,
    /// Enabled or disabled, not pending deletion.
    NotPendingDeletion,
    /// Any state: reading the key, its policy and grants, cleaning up.
    Any,
    /// Pending deletion only (CancelKeyDeletion).
    PendingDeletion,
}

/// Which forms of KeyId an operation accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIdForms {
    /// Key id, key ARN, alias name or alias ARN.
    KeyOrAlias,
    /// Key id or key ARN only.
    KeyOnly,
}

/// One access an operation makes to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyAccess {
    /// The name the key-state table uses (`UpdateAliasFrom`).
    pub name: &'static str,
    /// The IAM action that authorizes it.
    pub action: &'static str,
    /// Which key states allow it.
    pub states: KeyStates,
    /// Whether a principal of another account may use it (given permission).
    pub cross_account: bool,
    /// Whether a grant may allow it (the grant operation is the action's
    /// name without `kms:`).
    pub grantable: bool,
    /// Which KeyId forms it takes.
    pub forms: KeyIdForms,
}

impl KeyAccess {
    /// The grant operation that allows this access, if a grant may.
    pub fn grant_operation(&self) -> Option<&'static str> {
        self.grantable
            .then(|| self.action.strip_prefix("kms:").unwrap_or(self.action))
    }

    /// Refuses a KeyId in a form this access does not take: an alias name
    /// or alias ARN where the API reference says "Specify the key ID or key
    /// ARN". AWS's documentation does not name the error; the established
    /// emulator (moto's `_validate_cmk_id`) answers `NotFoundException
    /// "Invalid keyId <value>"`, which the simulator follows.
    pub fn accepts(&self, key_id: &str) -> Result<(), KmsError> {
        if self.forms == KeyIdForms::KeyOnly
            && crate::ids::KeyReference::parse(key_id).is_ok_and(|r| r.is_alias())
        {
            return Err(KmsError::NotFoundException(alloc::format!(
                "Invalid keyId {key_id}"
            )));
        }
        Ok(())
    }

    /// Whether `key`'s state allows this access; if not, AWS's error.
    pub fn check(&self, arn: &str, state: KeyState) -> Result<(), KmsError> {
        use KeyState::*;
        match (self.states, state) {
            (KeyStates::PendingDeletion, PendingDeletion) => Ok(()),
            (KeyStates::PendingDeletion, _) => Err(KmsError::KMSInvalidStateException(
                alloc::format!("{arn} is not pending deletion."),
            )),
            (_, Enabled) | (KeyStates::Any, _) | (KeyStates::NotPendingDeletion, Disabled) => {
                Ok(())
            }
            (KeyStates::Usable, Disabled) => Err(KmsError::DisabledException(alloc::format!(
                "{arn} is disabled."
            ))),
            (_, PendingDeletion) => Err(KmsError::KMSInvalidStateException(alloc::format!(
                "{arn} is pending deletion."
            ))),
        }
    }
}

/// KMS's table. Rows: `Variant("iam:Action", Shape, read_only, "example",
/// handler, [CONST = access(...), ...])`. The example's `KEY`, `BLOB`,
/// `ACCOUNT`, `POLICY` stand for values the console fills in from the world.
macro_rules! kms_table {
    ([$($acc:tt)*] $then:ident $($rest:ident)*) => {
        $then! { [$($acc)* Kms {
            CreateKey("kms:CreateKey", crate::kms::api::CreateKeyRequest, false,
                r#"{"Description": "my key"}"#,
                crate::kms::ops::keys::create_key, []),
            DescribeKey("kms:DescribeKey", crate::kms::api::KeyIdRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::keys::describe_key,
                [DESCRIBE_KEY = ("DescribeKey", "kms:DescribeKey", Any, true, true, KeyOrAlias)]),
            ListKeys("kms:ListKeys", crate::kms::api::ListKeysRequest, true,
                r#"{}"#,
                crate::kms::ops::keys::list_keys, []),
            UpdateKeyDescription("kms:UpdateKeyDescription", crate::kms::api::UpdateKeyDescriptionRequest, false,
                r#"{"KeyId": "KEY", "Description": "a better description"}"#,
                crate::kms::ops::keys::update_key_description,
                [UPDATE_KEY_DESCRIPTION = ("UpdateKeyDescription", "kms:UpdateKeyDescription", NotPendingDeletion, false, false, KeyOnly)]),
            EnableKey("kms:EnableKey", crate::kms::api::KeyIdRequest, false,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::keys::enable_key,
                [ENABLE_KEY = ("EnableKey", "kms:EnableKey", NotPendingDeletion, false, false, KeyOnly)]),
            DisableKey("kms:DisableKey", crate::kms::api::KeyIdRequest, false,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::keys::disable_key,
                [DISABLE_KEY = ("DisableKey", "kms:DisableKey", NotPendingDeletion, false, false, KeyOnly)]),
            ScheduleKeyDeletion("kms:ScheduleKeyDeletion", crate::kms::api::ScheduleKeyDeletionRequest, false,
                r#"{"KeyId": "KEY", "PendingWindowInDays": 7}"#,
                crate::kms::ops::keys::schedule_key_deletion,
                [SCHEDULE_KEY_DELETION = ("ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", NotPendingDeletion, false, false, KeyOnly)]),
            CancelKeyDeletion("kms:CancelKeyDeletion", crate::kms::api::KeyIdRequest, false,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::keys::cancel_key_deletion,
                [CANCEL_KEY_DELETION = ("CancelKeyDeletion", "kms:CancelKeyDeletion", PendingDeletion, false, false, KeyOnly)]),
            GetKeyPolicy("kms:GetKeyPolicy", crate::kms::api::GetKeyPolicyRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::policy::get_key_policy,
                [GET_KEY_POLICY = ("GetKeyPolicy", "kms:GetKeyPolicy", Any, false, false, KeyOnly)]),
            PutKeyPolicy("kms:PutKeyPolicy", crate::kms::api::PutKeyPolicyRequest, false,
                r#"{"KeyId": "KEY", "PolicyName": "default", "Policy": "POLICY"}"#,
                crate::kms::ops::policy::put_key_policy,
                [PUT_KEY_POLICY = ("PutKeyPolicy", "kms:PutKeyPolicy", Any, false, false, KeyOnly)]),
            ListKeyPolicies("kms:ListKeyPolicies", crate::kms::api::ListForKeyRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::policy::list_key_policies,
                [LIST_KEY_POLICIES = ("ListKeyPolicies", "kms:ListKeyPolicies", Any, false, false, KeyOnly)]),
            CreateGrant("kms:CreateGrant", crate::kms::api::CreateGrantRequest, false,
                r#"{"KeyId": "KEY", "GranteePrincipal": "arn:aws:iam::ACCOUNT:role/app", "Operations": ["Decrypt"]}"#,
                crate::kms::ops::grants::create_grant,
                [CREATE_GRANT = ("CreateGrant", "kms:CreateGrant", Usable, true, true, KeyOnly)]),
            ListGrants("kms:ListGrants", crate::kms::api::ListGrantsRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::grants::list_grants,
                [LIST_GRANTS = ("ListGrants", "kms:ListGrants", Any, true, false, KeyOnly)]),
            ListRetirableGrants("kms:ListRetirableGrants", crate::kms::api::ListRetirableGrantsRequest, true,
                r#"{"RetiringPrincipal": "arn:aws:iam::ACCOUNT:role/app"}"#,
                crate::kms::ops::grants::list_retirable_grants, []),
            RetireGrant("kms:RetireGrant", crate::kms::api::RetireGrantRequest, false,
                r#"{"KeyId": "KEY", "GrantId": "grant id"}"#,
                crate::kms::ops::grants::retire_grant,
                [RETIRE_GRANT = ("RetireGrant", "kms:RetireGrant", Any, true, true, KeyOnly)]),
            RevokeGrant("kms:RevokeGrant", crate::kms::api::RevokeGrantRequest, false,
                r#"{"KeyId": "KEY", "GrantId": "grant id"}"#,
                crate::kms::ops::grants::revoke_grant,
                [REVOKE_GRANT = ("RevokeGrant", "kms:RevokeGrant", Any, true, false, KeyOnly)]),
            CreateAlias("kms:CreateAlias", crate::kms::api::AliasRequest, false,
                r#"{"AliasName": "alias/my-key", "TargetKeyId": "KEY"}"#,
                crate::kms::ops::aliases::create_alias,
                [CREATE_ALIAS = ("CreateAlias", "kms:CreateAlias", NotPendingDeletion, false, false, KeyOnly)]),
            UpdateAlias("kms:UpdateAlias", crate::kms::api::AliasRequest, false,
                r#"{"AliasName": "alias/my-key", "TargetKeyId": "KEY"}"#,
                crate::kms::ops::aliases::update_alias,
                [UPDATE_ALIAS_FROM = ("UpdateAliasFrom", "kms:UpdateAlias", Any, false, false, KeyOnly),
                 UPDATE_ALIAS_TO = ("UpdateAliasTo", "kms:UpdateAlias", NotPendingDeletion, false, false, KeyOnly)]),
            DeleteAlias("kms:DeleteAlias", crate::kms::api::DeleteAliasRequest, false,
                r#"{"AliasName": "alias/my-key"}"#,
                crate::kms::ops::aliases::delete_alias,
                [DELETE_ALIAS = ("DeleteAlias", "kms:DeleteAlias", Any, false, false, KeyOnly)]),
            ListAliases("kms:ListAliases", crate::kms::api::ListAliasesRequest, true,
                r#"{}"#,
                crate::kms::ops::aliases::list_aliases,
                [LIST_ALIASES = ("ListAliases", "kms:ListAliases", Any, false, false, KeyOnly)]),
            Encrypt("kms:Encrypt", crate::kms::api::EncryptRequest, true,
                r#"{"KeyId": "KEY", "Plaintext": "aGVsbG8sIHdvcmxk", "EncryptionContext": {"purpose": "demo"}}"#,
                crate::kms::ops::crypto::encrypt,
                [ENCRYPT = ("Encrypt", "kms:Encrypt", Usable, true, true, KeyOrAlias)]),
            Decrypt("kms:Decrypt", crate::kms::api::DecryptRequest, true,
                r#"{"CiphertextBlob": "BLOB", "EncryptionContext": {"purpose": "demo"}}"#,
                crate::kms::ops::crypto::decrypt,
                [DECRYPT = ("Decrypt", "kms:Decrypt", Usable, true, true, KeyOrAlias)]),
            ReEncrypt("kms:ReEncrypt", crate::kms::api::ReEncryptRequest, true,
                r#"{"CiphertextBlob": "BLOB", "SourceEncryptionContext": {"purpose": "demo"}, "DestinationKeyId": "KEY"}"#,
                crate::kms::ops::crypto::re_encrypt,
                [REENCRYPT_FROM = ("ReEncryptFrom", "kms:ReEncryptFrom", Usable, true, true, KeyOrAlias),
                 REENCRYPT_TO = ("ReEncryptTo", "kms:ReEncryptTo", Usable, true, true, KeyOrAlias)]),
            GenerateDataKey("kms:GenerateDataKey", crate::kms::api::GenerateDataKeyRequest, true,
                r#"{"KeyId": "KEY", "KeySpec": "AES_256", "EncryptionContext": {"purpose": "demo"}}"#,
                crate::kms::ops::crypto::generate_data_key,
                [GENERATE_DATA_KEY = ("GenerateDataKey", "kms:GenerateDataKey", Usable, true, true, KeyOrAlias)]),
            GenerateDataKeyWithoutPlaintext("kms:GenerateDataKeyWithoutPlaintext", crate::kms::api::GenerateDataKeyRequest, true,
                r#"{"KeyId": "KEY", "KeySpec": "AES_256", "EncryptionContext": {"purpose": "demo"}}"#,
                crate::kms::ops::crypto::generate_data_key_without_plaintext,
                [GENERATE_DATA_KEY_WITHOUT_PLAINTEXT = ("GenerateDataKeyWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", Usable, true, true, KeyOrAlias)]),
            GenerateRandom("kms:GenerateRandom", crate::kms::api::GenerateRandomRequest, true,
                r#"{"NumberOfBytes": 32}"#,
                crate::kms::ops::crypto::generate_random, []),
            EnableKeyRotation("kms:EnableKeyRotation", crate::kms::api::EnableKeyRotationRequest, false,
                r#"{"KeyId": "KEY", "RotationPeriodInDays": 365}"#,
                crate::kms::ops::rotation::enable_key_rotation,
                [ENABLE_KEY_ROTATION = ("EnableKeyRotation", "kms:EnableKeyRotation", Usable, false, false, KeyOnly)]),
            DisableKeyRotation("kms:DisableKeyRotation", crate::kms::api::KeyIdRequest, false,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::rotation::disable_key_rotation,
                [DISABLE_KEY_ROTATION = ("DisableKeyRotation", "kms:DisableKeyRotation", Usable, false, false, KeyOnly)]),
            GetKeyRotationStatus("kms:GetKeyRotationStatus", crate::kms::api::KeyIdRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::rotation::get_key_rotation_status,
                [GET_KEY_ROTATION_STATUS = ("GetKeyRotationStatus", "kms:GetKeyRotationStatus", Any, true, false, KeyOnly)]),
            RotateKeyOnDemand("kms:RotateKeyOnDemand", crate::kms::api::KeyIdRequest, false,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::rotation::rotate_key_on_demand,
                [ROTATE_KEY_ON_DEMAND = ("RotateKeyOnDemand", "kms:RotateKeyOnDemand", Usable, false, false, KeyOnly)]),
            ListKeyRotations("kms:ListKeyRotations", crate::kms::api::ListForKeyRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::rotation::list_key_rotations,
                [LIST_KEY_ROTATIONS = ("ListKeyRotations", "kms:ListKeyRotations", Any, false, false, KeyOnly)]),
            TagResource("kms:TagResource", crate::kms::api::TagResourceRequest, false,
                r#"{"KeyId": "KEY", "Tags": [{"TagKey": "team", "TagValue": "payments"}]}"#,
                crate::kms::ops::tags::tag_resource,
                [TAG_RESOURCE = ("TagResource", "kms:TagResource", NotPendingDeletion, false, false, KeyOnly)]),
            UntagResource("kms:UntagResource", crate::kms::api::UntagResourceRequest, false,
                r#"{"KeyId": "KEY", "TagKeys": ["team"]}"#,
                crate::kms::ops::tags::untag_resource,
                [UNTAG_RESOURCE = ("UntagResource", "kms:UntagResource", NotPendingDeletion, false, false, KeyOnly)]),
            ListResourceTags("kms:ListResourceTags", crate::kms::api::ListForKeyRequest, true,
                r#"{"KeyId": "KEY"}"#,
                crate::kms::ops::tags::list_resource_tags,
                [LIST_RESOURCE_TAGS = ("ListResourceTags", "kms:ListResourceTags", Any, false, false, KeyOnly)]),
        }] $($rest)* }
    };
}
pub(crate) use kms_table;

/// Declares each key access as a constant, and the list of them all.
macro_rules! key_accesses {
    ([Kms { $( $variant:ident($action:literal, $shape:ty, $ro:literal, $example:literal, $handler:path,
        [ $( $name:ident = ($label:literal, $iam:literal, $states:ident, $cross:literal, $grant:literal, $forms:ident) ),* ]) ),* $(,)? }]) => {
        $( $(
            #[doc = concat!("`", $iam, "` as ", stringify!($variant), " makes it (", $label, ").")]
            pub const $name: KeyAccess = KeyAccess {
                name: $label,
                action: $iam,
                states: KeyStates::$states,
                cross_account: $cross,
                grantable: $grant,
                forms: KeyIdForms::$forms,
            };
        )* )*

        /// Every access an operation makes to a key, in table order.
        pub const KEY_ACCESSES: &[KeyAccess] = &[ $( $( $name, )* )* ];
    };
}

kms_table!([] key_accesses);

/// The KMS actions on no particular key: IAM policies allow them with
/// `"Resource": "*"`, and no key policy applies (the KMS developer guide,
/// "Specifying KMS keys in IAM policy statements": CreateKey,
/// GenerateRandom, ListAliases, ListKeys). `ListAliases` takes an optional
/// `KeyId` to filter by, which is not a resource.
pub const ACCOUNT_ACTIONS: [&str; 4] = [
    "kms:CreateKey",
    "kms:GenerateRandom",
    "kms:ListAliases",
    "kms:ListKeys",
];

/// The action each grant decides for itself, not the key policy or IAM
/// policies ("The grant determines who can retire it", the KMS developer
/// guide, "Retiring and revoking grants"): its retiring principal, its
/// grantee if it allows RetireGrant, and the account that created it.
pub const DECIDED_BY_THE_GRANT: &str = "kms:RetireGrant";

/// The IAM actions that may reach a key in another account.
pub fn cross_account_actions() -> impl Iterator<Item = &'static str> {
    KEY_ACCESSES
        .iter()
        .filter(|a| a.cross_account)
        .map(|a| a.action)
}

/// Whether `action` may reach a key in another account.
pub fn is_cross_account(action: &str) -> bool {
    cross_account_actions().any(|a| a == action)
}

/// AWS's `GrantOperation` enum, in the API reference's order (it names
/// operations of asymmetric and HMAC keys too).
pub const AWS_GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
];

/// The operations a grant on a symmetric key may allow (the grantable
/// accesses of the table), in AWS's enum order.
pub fn grant_operations() -> impl Iterator<Item = &'static str> {
    AWS_GRANT_OPERATIONS.iter().copied().filter(|op| {
        KEY_ACCESSES
            .iter()
            .any(|a| a.grant_operation() == Some(*op))
    })
}
