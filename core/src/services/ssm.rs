//! AWS Systems Manager Parameter Store. A SecureString is encrypted by SSM
//! calling KMS `Encrypt` as the caller, through SSM, with the encryption
//! context `{"PARAMETER_ARN": <parameter ARN>}`; reading it with decryption
//! calls `Decrypt` the same way. Without decryption, anyone allowed to read
//! the parameter gets the base64 ciphertext blob.

use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::error::KmsError;
use crate::ids::{AccountId, Region};
use crate::kms::api::{DecryptRequest, EncryptRequest};
use crate::principal::{AwsService, Caller};
use crate::request::{Request, Response};
use crate::secret::{SecretBytes, SecretString};
use crate::world::{CallRecord, World};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
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

fn check_name(name: &str) -> Result<(), KmsError> {
    let ok = !name.is_empty()
        && name.len() <= 2048
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-/".contains(&b))
        && !name
            .to_ascii_lowercase()
            .trim_start_matches('/')
            .starts_with("aws")
        && !name
            .to_ascii_lowercase()
            .trim_start_matches('/')
            .starts_with("ssm");
    if ok {
        Ok(())
    } else {
        Err(KmsError::ValidationException(format!(
            "Parameter name {name} is not valid: use letters, digits, and _.-/ ; names cannot begin with aws or ssm."
        )))
    }
}

impl World {
    fn ssm_caller(caller: &Caller) -> Caller {
        caller.clone().via(AwsService::Ssm)
    }

    pub(crate) fn put_parameter(
        &mut self,
        caller: &Caller,
        r: &PutParameterRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_name(&r.name)?;
        let kind = r.kind.unwrap_or(ParameterType::String);
        if r.value.is_empty() || r.value.len() > 4096 {
            return Err(crate::error::validation(
                "value",
                "[sensitive]",
                "Member must have length between 1 and 4096",
            ));
        }
        if r.key_id.is_some() && kind != ParameterType::SecureString {
            return Err(KmsError::ValidationException(
                "KeyId is only valid for SecureString parameters.".into(),
            ));
        }
        let account = Self::caller_account(caller)?;
        let region = caller.region.clone();
        let arn = parameter_arn(&region, &account, &r.name);
        self.authorize_account(caller, "ssm:PutParameter", arn.clone(), &account, rec)?;
        let slot = (account, region, r.name.clone());
        let previous = self.services.ssm.parameters.get(&slot).map(|p| p.version);
        if previous.is_some() && r.overwrite != Some(true) {
            return Err(KmsError::ParameterAlreadyExists(
                "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.".into(),
            ));
        }
        let (stored, key_arn) = if kind == ParameterType::SecureString {
            let key_id = r.key_id.clone().unwrap_or_else(|| "alias/aws/ssm".into());
            let encrypted = self.nested(
                Self::ssm_caller(caller),
                Request::Encrypt(EncryptRequest {
                    key_id: key_id.clone(),
                    plaintext: SecretBytes::from(r.value.expose().as_bytes()),
                    encryption_context: Some(EncryptionContext::from_pairs([(
                        "PARAMETER_ARN",
                        arn.as_str(),
                    )])),
                    ..Default::default()
                }),
                rec,
            );
            match encrypted {
                Ok(Response::Encrypt(e)) => (e.ciphertext_blob, Some(e.key_id)),
                Err(KmsError::NotFoundException(m)) => return Err(KmsError::InvalidKeyId(m)),
                Err(e) => return Err(e),
                Ok(_) => return Err(KmsError::InvalidKeyId(key_id)),
            }
        } else {
            (r.value.expose().as_bytes().to_vec(), None)
        };
        let version = previous.unwrap_or(0) + 1;
        self.services.ssm.parameters.insert(
            slot,
            Parameter {
                name: r.name.clone(),
                kind,
                stored,
                key_arn,
                version,
                modified: self.now,
            },
        );
        Ok(Response::Ssm(SsmResponse::Put {
            version,
            tier: "Standard".into(),
        }))
    }

    fn read_parameter(
        &mut self,
        caller: &Caller,
        name: &str,
        decrypt: bool,
        rec: &mut CallRecord,
    ) -> Result<Option<ParameterView>, KmsError> {
        let account = Self::caller_account(caller)?;
        let region = caller.region.clone();
        let arn = parameter_arn(&region, &account, name);
        self.authorize_account(caller, "ssm:GetParameter", arn.clone(), &account, rec)?;
        let Some(p) = self
            .services
            .ssm
            .parameters
            .get(&(account, region, name.to_string()))
            .cloned()
        else {
            return Ok(None);
        };
        let value = match (p.kind, decrypt) {
            (ParameterType::SecureString, true) => {
                let decrypted = self.nested(
                    Self::ssm_caller(caller),
                    Request::Decrypt(DecryptRequest {
                        ciphertext_blob: p.stored.clone(),
                        encryption_context: Some(EncryptionContext::from_pairs([(
                            "PARAMETER_ARN",
                            arn.as_str(),
                        )])),
                        ..Default::default()
                    }),
                    rec,
                )?;
                match decrypted {
                    Response::Decrypt(d) => SecretString::new(
                        String::from_utf8_lossy(d.plaintext.expose()).into_owned(),
                    ),
                    _ => {
                        return Err(KmsError::AccessDeniedException(
                            crate::kms::CIPHERTEXT_KEY_INACCESSIBLE.into(),
                        ));
                    }
                }
            }
            (ParameterType::SecureString, false) => {
                SecretString::new(crate::base64_blob::encode(&p.stored))
            }
            _ => SecretString::new(String::from_utf8_lossy(&p.stored).into_owned()),
        };
        Ok(Some(ParameterView {
            name: p.name,
            kind: p.kind,
            value,
            version: p.version,
            arn,
            last_modified_date: p.modified.epoch_seconds(),
            data_type: "text".into(),
        }))
    }

    pub(crate) fn get_parameter(
        &mut self,
        caller: &Caller,
        r: &GetParameterRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let parameter = self
            .read_parameter(caller, &r.name, r.with_decryption == Some(true), rec)?
            .ok_or_else(|| {
                KmsError::ParameterNotFound(format!("Parameter {} not found.", r.name))
            })?;
        Ok(Response::Ssm(SsmResponse::One { parameter }))
    }

    pub(crate) fn get_parameters(
        &mut self,
        caller: &Caller,
        r: &GetParametersRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        if r.names.is_empty() || r.names.len() > 10 {
            return Err(crate::error::validation(
                "names",
                r.names.len(),
                "Member must have length between 1 and 10",
            ));
        }
        let mut parameters = Vec::new();
        let mut invalid_parameters = Vec::new();
        for name in &r.names {
            match self.read_parameter(caller, name, r.with_decryption == Some(true), rec)? {
                Some(p) => parameters.push(p),
                None => invalid_parameters.push(name.clone()),
            }
        }
        Ok(Response::Ssm(SsmResponse::Many {
            parameters,
            invalid_parameters,
        }))
    }

    pub(crate) fn delete_parameter(
        &mut self,
        caller: &Caller,
        r: &DeleteParameterRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account = Self::caller_account(caller)?;
        let region = caller.region.clone();
        self.authorize_account(
            caller,
            "ssm:DeleteParameter",
            parameter_arn(&region, &account, &r.name),
            &account,
            rec,
        )?;
        self.services
            .ssm
            .parameters
            .remove(&(account, region, r.name.clone()))
            .map(|_| Response::Empty(Default::default()))
            .ok_or_else(|| KmsError::ParameterNotFound(format!("Parameter {} not found.", r.name)))
    }
}
