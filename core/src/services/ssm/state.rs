//! Parameter Store's state: parameters by account, Region and name.

use crate::clock::Timestamp;
use crate::ids::{AccountId, Region};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParameterType {
    /// Plain text.
    String,
    /// Comma-separated values.
    StringList,
    /// Encrypted under a KMS key.
    SecureString,
}

/// A stored parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// Its name (`/app/db-password`).
    pub name: String,
    /// Its type.
    pub kind: ParameterType,
    /// The value; for a SecureString, the ciphertext blob.
    pub stored: Vec<u8>,
    /// The key's ARN, for a SecureString.
    pub key_arn: Option<String>,
    /// Increments with each overwrite.
    pub version: u64,
    /// When it was last written.
    pub modified: Timestamp,
}

/// Parameters by account, Region and name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ssm {
    /// The parameters.
    pub parameters: BTreeMap<(AccountId, Region, String), Parameter>,
}

/// A parameter's ARN: the name without its leading slash after `parameter/`.
pub fn parameter_arn(region: &Region, account: &AccountId, name: &str) -> String {
    format!(
        "arn:aws:ssm:{region}:{account}:parameter/{}",
        name.trim_start_matches('/')
    )
}
