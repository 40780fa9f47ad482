//! Every request the world accepts, and every response, as one enum each.
//!
//! In JSON a request is `{"Action": "kms:Encrypt", "Parameters": {...}}`:
//! the action is the IAM action name (what policies match) and the
//! parameters are exactly the body the AWS API takes.

use crate::iam::{
    AssumeRoleRequest, CreateRoleRequest, CreateUserRequest, DeleteIdentityPolicyRequest,
    IamEntityResponse, PutIdentityPolicyRequest,
};
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::grants::{
    CreateGrantRequest, CreateGrantResponse, ListGrantsRequest, ListGrantsResponse,
    ListRetirableGrantsRequest, RetireGrantRequest, RevokeGrantRequest,
};
use crate::kms::ops_policy::{ListKeyPoliciesResponse, PutKeyPolicyRequest};
use crate::services::rds::api::*;
use crate::services::ssm::{
    DeleteParameterRequest, GetParameterRequest, GetParametersRequest, PutParameterRequest,
    SsmResponse,
};
use alloc::string::String;
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! requests {
    ($( $variant:ident($action:literal, $ty:ty, read_only = $ro:literal) ),+ $(,)?) => {
        /// A request to one of the simulated AWS APIs.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(tag = "Action", content = "Parameters")]
        #[allow(missing_docs)]
        pub enum Request {
            $( #[serde(rename = $action)] $variant($ty), )+
        }

        impl Request {
            /// Builds a request from its action and its parameters. Each
            /// parameter type is deserialized from a `Value` only: serde's
            /// derived adjacently tagged enum compiled every request type a
            /// second time for buffered input (about 60 KB of wasm).
            fn from_parts(action: &str, parameters: Value) -> Result<Self, String> {
                let named = |e: serde_json::Error| alloc::format!("{action}: {e}");
                match action {
                    $( $action => serde_json::from_value(parameters).map(Request::$variant).map_err(named), )+
                    _ => Err(alloc::format!(
                        "unknown action `{action}`; the playground knows {}",
                        Request::ACTIONS.join(", ")
                    )),
                }
            }

            /// The IAM action, for example `kms:Encrypt`.
            pub fn action(&self) -> &'static str {
                match self { $( Request::$variant(_) => $action, )+ }
            }

            /// Whether the operation only reads (CloudTrail's `readOnly`).
            pub fn read_only(&self) -> bool {
                match self { $( Request::$variant(_) => $ro, )+ }
            }

            /// Every action the world knows, in the order the UI lists them.
            pub const ACTIONS: &'static [&'static str] = &[ $( $action, )+ ];
        }
    };
}

requests! {
    CreateKey("kms:CreateKey", CreateKeyRequest, read_only = false),
    DescribeKey("kms:DescribeKey", KeyIdRequest, read_only = true),
    ListKeys("kms:ListKeys", ListKeysRequest, read_only = true),
    UpdateKeyDescription("kms:UpdateKeyDescription", UpdateKeyDescriptionRequest, read_only = false),
    EnableKey("kms:EnableKey", KeyIdRequest, read_only = false),
    DisableKey("kms:DisableKey", KeyIdRequest, read_only = false),
    ScheduleKeyDeletion("kms:ScheduleKeyDeletion", ScheduleKeyDeletionRequest, read_only = false),
    CancelKeyDeletion("kms:CancelKeyDeletion", KeyIdRequest, read_only = false),
    GetKeyPolicy("kms:GetKeyPolicy", KeyIdRequest, read_only = true),
    PutKeyPolicy("kms:PutKeyPolicy", PutKeyPolicyRequest, read_only = false),
    ListKeyPolicies("kms:ListKeyPolicies", ListForKeyRequest, read_only = true),
    CreateGrant("kms:CreateGrant", CreateGrantRequest, read_only = false),
    ListGrants("kms:ListGrants", ListGrantsRequest, read_only = true),
    ListRetirableGrants("kms:ListRetirableGrants", ListRetirableGrantsRequest, read_only = true),
    RetireGrant("kms:RetireGrant", RetireGrantRequest, read_only = false),
    RevokeGrant("kms:RevokeGrant", RevokeGrantRequest, read_only = false),
    CreateAlias("kms:CreateAlias", AliasRequest, read_only = false),
    UpdateAlias("kms:UpdateAlias", AliasRequest, read_only = false),
    DeleteAlias("kms:DeleteAlias", DeleteAliasRequest, read_only = false),
    ListAliases("kms:ListAliases", ListAliasesRequest, read_only = true),
    Encrypt("kms:Encrypt", EncryptRequest, read_only = true),
    Decrypt("kms:Decrypt", DecryptRequest, read_only = true),
    ReEncrypt("kms:ReEncrypt", ReEncryptRequest, read_only = true),
    GenerateDataKey("kms:GenerateDataKey", GenerateDataKeyRequest, read_only = true),
    GenerateDataKeyWithoutPlaintext("kms:GenerateDataKeyWithoutPlaintext", GenerateDataKeyRequest, read_only = true),
    GenerateRandom("kms:GenerateRandom", GenerateRandomRequest, read_only = true),
    EnableKeyRotation("kms:EnableKeyRotation", EnableKeyRotationRequest, read_only = false),
    DisableKeyRotation("kms:DisableKeyRotation", KeyIdRequest, read_only = false),
    GetKeyRotationStatus("kms:GetKeyRotationStatus", KeyIdRequest, read_only = true),
    RotateKeyOnDemand("kms:RotateKeyOnDemand", KeyIdRequest, read_only = false),
    ListKeyRotations("kms:ListKeyRotations", ListForKeyRequest, read_only = true),
    TagResource("kms:TagResource", TagResourceRequest, read_only = false),
    UntagResource("kms:UntagResource", UntagResourceRequest, read_only = false),
    ListResourceTags("kms:ListResourceTags", ListForKeyRequest, read_only = true),
    CreateUser("iam:CreateUser", CreateUserRequest, read_only = false),
    CreateRole("iam:CreateRole", CreateRoleRequest, read_only = false),
    PutUserPolicy("iam:PutUserPolicy", PutIdentityPolicyRequest, read_only = false),
    PutRolePolicy("iam:PutRolePolicy", PutIdentityPolicyRequest, read_only = false),
    DeleteUserPolicy("iam:DeleteUserPolicy", DeleteIdentityPolicyRequest, read_only = false),
    DeleteRolePolicy("iam:DeleteRolePolicy", DeleteIdentityPolicyRequest, read_only = false),
    AssumeRole("sts:AssumeRole", AssumeRoleRequest, read_only = false),
    CreateDBCluster("rds:CreateDBCluster", CreateDBClusterRequest, read_only = false),
    DescribeDBClusters("rds:DescribeDBClusters", DescribeDBClustersRequest, read_only = true),
    CreateDBClusterSnapshot("rds:CreateDBClusterSnapshot", CreateDBClusterSnapshotRequest, read_only = false),
    CopyDBClusterSnapshot("rds:CopyDBClusterSnapshot", CopyDBClusterSnapshotRequest, read_only = false),
    RestoreDBClusterFromSnapshot("rds:RestoreDBClusterFromSnapshot", RestoreDBClusterFromSnapshotRequest, read_only = false),
    ModifyDBClusterSnapshotAttribute("rds:ModifyDBClusterSnapshotAttribute", ModifyDBClusterSnapshotAttributeRequest, read_only = false),
    DescribeDBClusterSnapshots("rds:DescribeDBClusterSnapshots", DescribeDBClusterSnapshotsRequest, read_only = true),
    ExecuteStatement("rds-data:ExecuteStatement", ExecuteStatementRequest, read_only = false),
    PutParameter("ssm:PutParameter", PutParameterRequest, read_only = false),
    GetParameter("ssm:GetParameter", GetParameterRequest, read_only = true),
    GetParameters("ssm:GetParameters", GetParametersRequest, read_only = true),
    DeleteParameter("ssm:DeleteParameter", DeleteParameterRequest, read_only = false),
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

    /// Whether a service (RDS, SSM) handles it by calling KMS on the
    /// caller's behalf (the RDS Data API calls nothing: its cluster already
    /// holds its data key).
    pub fn is_service(&self) -> bool {
        matches!(self.service(), "rds" | "ssm")
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
    CreateGrant(CreateGrantResponse),
    ListGrants(ListGrantsResponse),
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
    /// Operations that return an empty body (`EnableKey`, `CreateAlias`, ...).
    Empty(EmptyResponse),
}

/// `{}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct EmptyResponse {}

/// `GetKeyPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeyPolicyResponse {
    /// The policy document.
    pub policy: alloc::string::String,
    /// Always `default`.
    pub policy_name: alloc::string::String,
}
