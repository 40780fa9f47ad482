//! Parameter Store's request and response shapes.

use super::state::ParameterType;
use crate::secret::SecretString;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

aws_shapes! {
    /// `ssm:PutParameter`.
    PutParameterRequest {
        /// The name.
        name: String,
        /// The value (a SecureString's plaintext travels in the request, as
        /// in AWS; a secret type, so it never reaches the audit trail).
        value: SecretString,
        /// `String`, `StringList` or `SecureString`.
        #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")] kind: Option<ParameterType>,
        /// For a SecureString: any key-id form; default `alias/aws/ssm`.
        #[serde(default, skip_serializing_if = "Option::is_none")] key_id: Option<String>,
        /// Replace an existing value.
        #[serde(default, skip_serializing_if = "Option::is_none")] overwrite: Option<bool>,
        /// A description.
        #[serde(default, skip_serializing_if = "Option::is_none")] description: Option<String>,
    }
    /// `ssm:GetParameter`.
    GetParameterRequest {
        /// The name.
        name: String,
        /// Decrypt a SecureString (needs kms:Decrypt on its key).
        #[serde(default, skip_serializing_if = "Option::is_none")] with_decryption: Option<bool>,
    }
    /// `ssm:GetParameters`.
    GetParametersRequest {
        /// The names.
        names: Vec<String>,
        /// Decrypt SecureStrings.
        #[serde(default, skip_serializing_if = "Option::is_none")] with_decryption: Option<bool>,
    }
    /// `ssm:DeleteParameter`.
    DeleteParameterRequest {
        /// The name.
        name: String,
    }
}

/// A parameter as GetParameter returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct ParameterView {
    pub name: String,
    #[serde(rename = "Type")]
    pub kind: ParameterType,
    pub value: SecretString,
    pub version: u64,
    #[serde(rename = "ARN")]
    pub arn: String,
    pub last_modified_date: f64,
    pub data_type: String,
}

/// SSM responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(missing_docs)]
pub enum SsmResponse {
    Put {
        #[serde(rename = "Version")]
        version: u64,
        #[serde(rename = "Tier")]
        tier: String,
    },
    One {
        #[serde(rename = "Parameter")]
        parameter: ParameterView,
    },
    Many {
        #[serde(rename = "Parameters")]
        parameters: Vec<ParameterView>,
        #[serde(rename = "InvalidParameters")]
        invalid_parameters: Vec<String>,
    },
}
