//! Errors with the exact AWS exception names.
//!
//! Every failure the simulator reports is one of these variants; the variant
//! name is the AWS exception name (what the SDKs call the error code) and the
//! payload is the message. They serialize as AWS's JSON error body:
//! `{"__type": "DisabledException", "message": "arn:... is disabled."}`.

use alloc::string::String;
use core::fmt;
use serde::{Deserialize, Serialize};

macro_rules! aws_errors {
    (@code $name:ident) => { stringify!($name) };
    (@code $name:ident $code:literal) => { $code };
    ($( $(#[$doc:meta])* $name:ident $(= $code:literal)? ),+ $(,)?) => {
        /// An AWS error: the variant is the exception name (or the code
        /// written beside it, for EC2's dotted codes), the string its message.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "__type", content = "message")]
        #[allow(clippy::enum_variant_names)]
        pub enum KmsError {
            $( $(#[$doc])* $(#[serde(rename = $code)])? $name(String), )+
        }

        impl KmsError {
            /// The AWS exception name, for example `NotFoundException`.
            pub fn name(&self) -> &'static str {
                match self { $( KmsError::$name(_) => aws_errors!(@code $name $($code)?), )+ }
            }

            /// The human-readable message, as AWS words it.
            pub fn message(&self) -> &str {
                match self { $( KmsError::$name(m) => m, )+ }
            }
        }
    };
}

aws_errors! {
    /// The caller is not allowed to do this (policy evaluation denied it).
    AccessDeniedException,
    /// STS's denial (AssumeRole): code `AccessDenied`, as captured from
    /// AWS ("An error occurred (AccessDenied) when calling the AssumeRole
    /// operation: User: ... is not authorized to perform: sts:AssumeRole on
    /// resource: ..."), with no reason clause.
    AccessDenied,
    /// The resource (alias, user, ...) already exists.
    AlreadyExistsException,
    /// The request conflicts with work in progress (for example an on-demand rotation).
    ConflictException,
    /// The KMS key is disabled.
    DisabledException,
    /// Decrypt or ReEncrypt named a key other than the one that encrypted the blob.
    IncorrectKeyException,
    /// The alias name is not valid.
    InvalidAliasNameException,
    /// The ARN is not valid.
    InvalidArnException,
    /// The ciphertext blob, its encryption context or its key do not match.
    InvalidCiphertextException,
    /// The grant id is not valid.
    InvalidGrantIdException,
    /// The grant token is not valid.
    InvalidGrantTokenException,
    /// The key's usage does not allow this operation.
    InvalidKeyUsageException,
    /// The pagination marker is not valid.
    InvalidMarkerException,
    /// The key is not in a state that allows this operation.
    KMSInvalidStateException,
    /// A quota was exceeded.
    LimitExceededException,
    /// The policy document is not valid.
    MalformedPolicyDocumentException,
    /// The resource does not exist.
    NotFoundException,
    /// A tag is not valid.
    TagException,
    /// The operation is not supported for this key (or by this simulator, which says so).
    UnsupportedOperationException,
    /// The caller's identity is unknown.
    UnrecognizedClientException,
    /// A parameter failed validation.
    ValidationException,
    /// IAM: the entity already exists. IAM's codes carry no `Exception`
    /// suffix (botocore's IAM model: `EntityAlreadyExists`, `NoSuchEntity`,
    /// `MalformedPolicyDocument`, `LimitExceeded`).
    EntityAlreadyExists,
    /// IAM: the entity does not exist.
    NoSuchEntity,
    /// IAM: the policy document is not valid.
    MalformedPolicyDocument,
    /// IAM: a quota was exceeded.
    LimitExceeded,
    /// RDS: the KMS key cannot be used (missing, not enabled, or not allowed).
    KMSKeyNotAccessibleFault,
    /// RDS: a cluster with this identifier exists.
    DBClusterAlreadyExistsFault,
    /// RDS: no such cluster.
    DBClusterNotFoundFault,
    /// RDS: a snapshot with this identifier exists.
    DBClusterSnapshotAlreadyExistsFault,
    /// RDS: no such snapshot (or not shared with the caller's account).
    DBClusterSnapshotNotFoundFault,
    /// RDS: the cluster's state does not allow this.
    InvalidDBClusterStateFault,
    /// RDS: a parameter is not valid.
    InvalidParameterValue,
    /// RDS: parameters that cannot go together.
    InvalidParameterCombination,
    /// RDS Data API: the database cannot answer.
    DatabaseUnavailableException,
    /// RDS Data API: the SQL is not valid.
    BadRequestException,
    /// SSM: no such parameter.
    ParameterNotFound,
    /// SSM: the parameter exists and Overwrite was not set.
    ParameterAlreadyExists,
    /// SSM: the KMS key id is not valid.
    InvalidKeyId,
    /// EC2: the caller is not allowed to do this (EC2's access denial).
    UnauthorizedOperation,
    /// EC2: a parameter needs another one (KmsKeyId needs Encrypted).
    InvalidParameterDependency,
    /// EC2: no such volume.
    InvalidVolumeNotFound = "InvalidVolume.NotFound",
    /// EC2: the KMS key cannot be used (missing, not enabled, or not allowed).
    InvalidKmsKeyInvalidState = "InvalidKMSKey.InvalidState",
}

/// `Name: message`, or the name alone for an error AWS sends without a
/// message (InvalidCiphertextException).
impl fmt::Display for KmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            "" => f.write_str(self.name()),
            message => write!(f, "{}: {message}", self.name()),
        }
    }
}

impl core::error::Error for KmsError {}

impl KmsError {
    /// The same error in IAM's codes, which have no `Exception` suffix:
    /// policy parsing and quotas are shared with KMS, the codes are not.
    pub fn in_iam_terms(self) -> KmsError {
        match self {
            KmsError::MalformedPolicyDocumentException(m) => KmsError::MalformedPolicyDocument(m),
            KmsError::LimitExceededException(m) => KmsError::LimitExceeded(m),
            other => other,
        }
    }
}

/// A `ValidationException` in AWS's wording for one failed constraint.
pub fn validation(field: &str, value: impl fmt::Display, constraint: &str) -> KmsError {
    KmsError::ValidationException(alloc::format!(
        "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
    ))
}

/// AWS's validation error for a sensitive member (a plaintext, a
/// ciphertext, a parameter value): the value is never echoed, as in AWS's
/// "1 validation error detected: Value at 'plaintext' failed to satisfy
/// constraint: Member must have length less than or equal to 4096".
pub fn sensitive_validation(field: &str, constraint: &str) -> KmsError {
    KmsError::ValidationException(alloc::format!(
        "1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}"
    ))
}

/// Checks a sensitive member's length against `min..=max` with AWS's wording
/// for whichever bound it breaks.
pub fn check_sensitive_length(
    field: &str,
    len: usize,
    min: usize,
    max: usize,
) -> Result<(), KmsError> {
    if len < min {
        Err(sensitive_validation(
            field,
            &alloc::format!("Member must have length greater than or equal to {min}"),
        ))
    } else if len > max {
        Err(sensitive_validation(
            field,
            &alloc::format!("Member must have length less than or equal to {max}"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_the_aws_error_body() {
        let e = KmsError::DisabledException(
            "arn:aws:kms:us-east-1:111122223333:key/k is disabled.".into(),
        );
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"__type":"DisabledException","message":"arn:aws:kms:us-east-1:111122223333:key/k is disabled."}"#
        );
        assert_eq!(e.name(), "DisabledException");
        let back: KmsError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
    }
}
