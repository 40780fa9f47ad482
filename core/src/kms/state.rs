//! AWS's table of which operations a key's state allows, and the exact
//! errors when it does not.

use super::api::KeyState;
use super::key::KmsKey;
use crate::error::KmsError;
use alloc::format;

macro_rules! key_operations {
    ($( $(#[$doc:meta])* $op:ident => $action:literal ),+ $(,)?) => {
        /// Every operation that uses an existing key, as the state table lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum KeyOperation { $( $(#[$doc])* $op ),+ }

        impl KeyOperation {
            /// Every operation, for table-driven tests and the UI.
            pub const ALL: [KeyOperation; [$(stringify!($op)),+].len()] = [$(KeyOperation::$op),+];

            /// The IAM action that authorizes the operation.
            pub fn action(self) -> &'static str {
                match self { $(KeyOperation::$op => $action),+ }
            }
        }
    };
}

key_operations! {
    CancelKeyDeletion => "kms:CancelKeyDeletion",
    CreateAlias => "kms:CreateAlias",
    CreateGrant => "kms:CreateGrant",
    Decrypt => "kms:Decrypt",
    DeleteAlias => "kms:DeleteAlias",
    DescribeKey => "kms:DescribeKey",
    DisableKey => "kms:DisableKey",
    DisableKeyRotation => "kms:DisableKeyRotation",
    EnableKey => "kms:EnableKey",
    EnableKeyRotation => "kms:EnableKeyRotation",
    Encrypt => "kms:Encrypt",
    GenerateDataKey => "kms:GenerateDataKey",
    GenerateDataKeyWithoutPlaintext => "kms:GenerateDataKeyWithoutPlaintext",
    GetKeyPolicy => "kms:GetKeyPolicy",
    GetKeyRotationStatus => "kms:GetKeyRotationStatus",
    ListAliases => "kms:ListAliases",
    ListGrants => "kms:ListGrants",
    ListKeyPolicies => "kms:ListKeyPolicies",
    ListKeyRotations => "kms:ListKeyRotations",
    ListResourceTags => "kms:ListResourceTags",
    PutKeyPolicy => "kms:PutKeyPolicy",
    /// ReEncrypt, on the key that encrypted the blob.
    ReEncryptFrom => "kms:ReEncryptFrom",
    /// ReEncrypt, on the destination key.
    ReEncryptTo => "kms:ReEncryptTo",
    RetireGrant => "kms:RetireGrant",
    RevokeGrant => "kms:RevokeGrant",
    RotateKeyOnDemand => "kms:RotateKeyOnDemand",
    ScheduleKeyDeletion => "kms:ScheduleKeyDeletion",
    TagResource => "kms:TagResource",
    UntagResource => "kms:UntagResource",
    /// UpdateAlias, on the key the alias pointed to.
    UpdateAliasFrom => "kms:UpdateAlias",
    /// UpdateAlias, on the key it will point to.
    UpdateAliasTo => "kms:UpdateAlias",
    UpdateKeyDescription => "kms:UpdateKeyDescription",
}

impl KeyOperation {
    /// Cryptographic operations and the others a disabled key refuses.
    fn refused_when_disabled(self) -> bool {
        use KeyOperation::*;
        matches!(
            self,
            CreateGrant
                | Decrypt
                | Encrypt
                | GenerateDataKey
                | GenerateDataKeyWithoutPlaintext
                | ReEncryptFrom
                | ReEncryptTo
                | EnableKeyRotation
                | DisableKeyRotation
                | RotateKeyOnDemand
        )
    }

    /// What a key pending deletion still allows: reading it, its policy and
    /// grants, removing aliases and grants, and cancelling the deletion.
    fn allowed_when_pending_deletion(self) -> bool {
        use KeyOperation::*;
        matches!(
            self,
            CancelKeyDeletion
                | DeleteAlias
                | DescribeKey
                | GetKeyPolicy
                | GetKeyRotationStatus
                | ListAliases
                | ListGrants
                | ListKeyPolicies
                | ListKeyRotations
                | ListResourceTags
                | PutKeyPolicy
                | RetireGrant
                | RevokeGrant
                | UpdateAliasFrom
        )
    }
}

/// Whether `key`'s state allows `operation`; if not, AWS's error.
pub fn check(key: &KmsKey, operation: KeyOperation) -> Result<(), KmsError> {
    match key.state {
        _ if operation == KeyOperation::CancelKeyDeletion
            && key.state != KeyState::PendingDeletion =>
        {
            Err(KmsError::KMSInvalidStateException(format!(
                "{} is not pending deletion.",
                key.arn()
            )))
        }
        KeyState::Enabled => Ok(()),
        KeyState::Disabled if operation.refused_when_disabled() => Err(
            KmsError::DisabledException(format!("{} is disabled.", key.arn())),
        ),
        KeyState::Disabled => Ok(()),
        KeyState::PendingDeletion if operation.allowed_when_pending_deletion() => Ok(()),
        KeyState::PendingDeletion => Err(KmsError::KMSInvalidStateException(format!(
            "{} is pending deletion.",
            key.arn()
        ))),
    }
}
