//! Every request the world accepts, and every response, as one enum each.
//!
//! In JSON a request is `{"Action": "kms:Encrypt", "Parameters": {...}}`:
//! the action is the IAM action name (what policies match) and the
//! parameters are exactly the body the AWS API takes. The variants come
//! from the services' action tables (`kms::actions`, `iam::actions`,
//! `services::rds::actions`, `services::ssm::actions`), written once.

use crate::iam::actions::iam_table;
use crate::iam::api::IamEntityResponse;
use crate::kms::actions::kms_table;
use crate::kms::api::responses::*;
use crate::services::ebs::actions::ebs_table;
use crate::services::ebs::api::EbsResponse;
use crate::services::rds::actions::rds_table;
use crate::services::rds::api::RdsResponse;
use crate::services::ssm::actions::ssm_table;
use crate::services::ssm::api::SsmResponse;
use alloc::string::String;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The service that handles a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Service {
    /// AWS Key Management Service.
    Kms,
    /// IAM and STS.
    Iam,
    /// Amazon RDS and its Data API.
    Rds,
    /// Systems Manager Parameter Store.
    Ssm,
    /// Amazon EBS, through the EC2 API.
    Ebs,
}

macro_rules! define_requests {
    ([$( $service:ident { $( $variant:ident($action:literal, $shape:ty, $ro:literal, $example:literal, $handler:path, [$($keys:tt)*]) ),* $(,)? } )*]) => {
        /// A request to one of the simulated AWS APIs.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "Action", content = "Parameters")]
        #[allow(missing_docs)]
        pub enum Request {
            $( $( #[serde(rename = $action)] $variant($shape), )* )*
        }

        impl Request {
            /// Builds a request from its action and its parameters. Each
            /// parameter type is deserialized from a `Value` only: serde's
            /// derived adjacently tagged enum compiled every request type a
            /// second time for buffered input (about 60 KB of wasm).
            fn from_parts(action: &str, parameters: Value) -> Result<Self, String> {
                let named = |e: serde_json::Error| alloc::format!("{action}: {e}");
                match action {
                    $( $( $action => serde_json::from_value(parameters).map(Request::$variant).map_err(named), )* )*
                    _ => Err(alloc::format!(
                        "unknown action `{action}`; the playground knows {}",
                        Request::ACTIONS.join(", ")
                    )),
                }
            }

            /// The IAM action, for example `kms:Encrypt`.
            pub fn action(&self) -> &'static str {
                match self { $( $( Request::$variant(_) => $action, )* )* }
            }

            /// Whether the operation only reads (CloudTrail's `readOnly`).
            pub fn read_only(&self) -> bool {
                match self { $( $( Request::$variant(_) => $ro, )* )* }
            }

            /// CloudTrail's `requestParameters`: the parameters with every
            /// secret and ciphertext blob left out (see [`crate::json`]).
            pub fn cloudtrail_parameters(&self) -> Option<Value> {
                let mut parameters = match self { $( $( Request::$variant(r) => crate::json::to_cloudtrail_value(r).ok(), )* )* };
                if let Some(Value::Object(map)) = &mut parameters {
                    self.algorithm_defaults(map);
                }
                parameters
            }

            /// The service that handles it.
            pub fn owner(&self) -> Service {
                match self { $( $( Request::$variant(_) => Service::$service, )* )* }
            }

            /// Every action the world knows, in the order the UI lists them.
            pub const ACTIONS: &'static [&'static str] = &[ $( $( $action, )* )* ];

            /// A runnable example of an action's parameters (JSON), with
            /// `KEY`, `BLOB`, `ACCOUNT`, `POLICY` and `TRUST` standing for
            /// values to fill in from the world.
            pub fn example(action: &str) -> Option<&'static str> {
                match action {
                    $( $( $action => Some($example), )* )*
                    _ => None,
                }
            }
        }
    };
}

kms_table!([] iam_table rds_table ssm_table ebs_table define_requests);

impl Request {
    /// The family the console files `action` under: KMS's keys, crypto,
    /// key policies, grants, aliases and rotation, then each other service.
    pub fn family(action: &str) -> &'static str {
        let Some((service, operation)) = action.split_once(':') else {
            return "Other";
        };
        match service {
            "kms" => match operation {
                "Encrypt" | "Decrypt" | "ReEncrypt" | "GenerateRandom" => "KMS: cryptography",
                o if o.starts_with("GenerateDataKey") => "KMS: cryptography",
                o if o.contains("KeyPolic") => "KMS: key policies",
                o if o.contains("Grant") => "KMS: grants",
                o if o.contains("Alias") => "KMS: aliases",
                o if o.contains("Rotat") => "KMS: rotation",
                _ => "KMS: keys",
            },
            "rds" | "rds-data" => "RDS",
            "ssm" => "SSM Parameter Store",
            "ec2" => "EBS",
            "iam" | "sts" => "IAM and STS",
            _ => "Other",
        }
    }

    /// The encryption context a cryptographic request uses as AAD: the one
    /// the blob it makes is bound to (Encrypt, GenerateDataKey*,
    /// ReEncrypt's destination) or the one it opens a blob with (Decrypt).
    /// No context is the empty one; `None` for any other request.
    pub fn aad_context(&self) -> Option<crate::crypto::context::EncryptionContext> {
        let context = match self {
            Request::Encrypt(r) => &r.encryption_context,
            Request::GenerateDataKey(r) | Request::GenerateDataKeyWithoutPlaintext(r) => {
                &r.encryption_context
            }
            Request::Decrypt(r) => &r.encryption_context,
            Request::ReEncrypt(r) => &r.destination_encryption_context,
            _ => return None,
        };
        Some(context.clone().unwrap_or_default())
    }

    /// The request as an audit event keeps it until the event is read
    /// ([`crate::audit::Elements`]): for the cryptographic requests, made
    /// by the million, a copy without its plaintext or ciphertext blob,
    /// which CloudTrail leaves out anyway, so its `requestParameters` are
    /// written only when asked. `None` for the others, whose parameters
    /// are recorded as JSON at once.
    pub fn audit_copy(&self) -> Option<Request> {
        if !matches!(
            self,
            Request::GenerateDataKey(_)
                | Request::GenerateDataKeyWithoutPlaintext(_)
                | Request::Encrypt(_)
                | Request::Decrypt(_)
                | Request::ReEncrypt(_)
        ) {
            return None;
        }
        let mut copy = self.clone();
        match &mut copy {
            // The copied plaintext is zeroed as it is dropped.
            Request::Encrypt(r) => r.plaintext = crate::secret::SecretBytes::default(),
            Request::Decrypt(r) => r.ciphertext_blob = alloc::vec::Vec::new(),
            Request::ReEncrypt(r) => r.ciphertext_blob = alloc::vec::Vec::new(),
            _ => {}
        }
        Some(copy)
    }

    /// "The CloudTrail log entry for a Decrypt operation always includes the
    /// encryptionAlgorithm in the requestParameters even if the encryption
    /// algorithm wasn't specified in the request" (KMS developer guide,
    /// ct-decrypt); the Encrypt and ReEncrypt examples show the same
    /// (ct-encrypt, ct-reencrypt: both source and destination algorithms).
    fn algorithm_defaults(&self, parameters: &mut serde_json::Map<String, Value>) {
        let fields: &[&str] = match self {
            Request::Encrypt(_) | Request::Decrypt(_) => &["encryptionAlgorithm"],
            Request::ReEncrypt(_) => &[
                "sourceEncryptionAlgorithm",
                "destinationEncryptionAlgorithm",
            ],
            _ => &[],
        };
        for field in fields {
            parameters
                .entry(*field)
                .or_insert_with(|| Value::from(crate::kms::api::SYMMETRIC_DEFAULT));
        }
    }
}

impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            #[serde(rename = "Action")]
            action: String,
            #[serde(rename = "Parameters", default = "no_parameters")]
            parameters: Value,
        }
        fn no_parameters() -> Value {
            Value::Object(serde_json::Map::new())
        }
        let raw = Raw::deserialize(deserializer)?;
        Request::from_parts(&raw.action, raw.parameters).map_err(serde::de::Error::custom)
    }
}

impl Request {
    /// The service prefix of the action (`kms`, `iam`).
    pub fn service(&self) -> &'static str {
        self.action().split(':').next().unwrap_or("")
    }

    /// Whether a service (RDS, SSM, EBS) handles it by calling KMS on the
    /// caller's behalf (the RDS Data API calls nothing: its cluster already
    /// holds its data key).
    pub fn is_service(&self) -> bool {
        matches!(self.service(), "rds" | "ssm" | "ec2")
    }

    /// The operation name without prefix (`Encrypt`), CloudTrail's `eventName`.
    pub fn operation(&self) -> &'static str {
        self.action().split(':').nth(1).unwrap_or("")
    }

    /// Parses a request from its JSON form. Unknown actions, unknown or
    /// missing fields and wrong types are a `ValidationException` naming them.
    pub fn from_json(text: &str) -> Result<Self, crate::error::KmsError> {
        // Through `Value`, like scenario files: one deserializer for every
        // request type in the wasm instead of two (21 KB gzipped, measured).
        serde_json::from_str::<serde_json::Value>(text)
            .and_then(serde_json::from_value)
            .map_err(|e| {
                crate::error::KmsError::ValidationException(alloc::format!(
                    "The request is not valid: {e}"
                ))
            })
    }
}

/// A successful response body, serialized exactly as AWS returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(missing_docs)]
pub enum Response {
    KeyMetadata(KeyMetadataResponse),
    ListKeys(ListKeysResponse),
    ScheduleKeyDeletion(ScheduleKeyDeletionResponse),
    KeyId(KeyIdResponse),
    KeyPolicy(KeyPolicyResponse),
    ListKeyPolicies(ListKeyPoliciesResponse),
    CreateGrant(crate::kms::api::CreateGrantResponse),
    ListGrants(crate::kms::api::ListGrantsResponse),
    ListAliases(ListAliasesResponse),
    Encrypt(EncryptResponse),
    Decrypt(DecryptResponse),
    ReEncrypt(ReEncryptResponse),
    GenerateDataKey(GenerateDataKeyResponse),
    GenerateDataKeyWithoutPlaintext(GenerateDataKeyWithoutPlaintextResponse),
    GenerateRandom(GenerateRandomResponse),
    GetKeyRotationStatus(GetKeyRotationStatusResponse),
    ListKeyRotations(ListKeyRotationsResponse),
    ListResourceTags(ListResourceTagsResponse),
    IamEntity(IamEntityResponse),
    Rds(RdsResponse),
    Ssm(SsmResponse),
    Ebs(EbsResponse),
    /// Operations that return an empty body (`EnableKey`, `CreateAlias`, ...).
    Empty(EmptyResponse),
}

/// `{}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct EmptyResponse {}
