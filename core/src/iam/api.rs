//! IAM and STS request and response shapes.

use alloc::string::String;
use serde::Serialize;

aws_shapes! {
    /// `iam:CreateUser`.
    CreateUserRequest {
        /// 1 to 64 characters of letters, digits and `+=,.@_-`.
        user_name: String,
    }
    /// `iam:CreateRole`.
    CreateRoleRequest {
        /// 1 to 64 characters of letters, digits and `+=,.@_-`.
        role_name: String,
        /// The trust policy: who may assume the role.
        assume_role_policy_document: String,
    }
    /// `iam:PutUserPolicy` and `iam:PutRolePolicy` (one of the names is set).
    PutIdentityPolicyRequest {
        /// The user (PutUserPolicy).
        #[serde(default, skip_serializing_if = "Option::is_none")] user_name: Option<String>,
        /// The role (PutRolePolicy).
        #[serde(default, skip_serializing_if = "Option::is_none")] role_name: Option<String>,
        /// The policy's name.
        policy_name: String,
        /// The identity policy (no Principal element).
        policy_document: String,
    }
    /// `iam:DeleteUserPolicy` and `iam:DeleteRolePolicy`.
    DeleteIdentityPolicyRequest {
        /// The user (DeleteUserPolicy).
        #[serde(default, skip_serializing_if = "Option::is_none")] user_name: Option<String>,
        /// The role (DeleteRolePolicy).
        #[serde(default, skip_serializing_if = "Option::is_none")] role_name: Option<String>,
        /// The policy's name.
        policy_name: String,
    }
    /// `sts:AssumeRole`.
    AssumeRoleRequest {
        /// The role's ARN.
        role_arn: String,
        /// 2 to 64 characters naming the session.
        role_session_name: String,
    }
}

/// The `User` or `Role` returned by `CreateUser` / `CreateRole`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamEntity {
    /// The user's name (CreateUser).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The role's name (CreateRole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// The user's unique id (`AIDA...`, CreateUser).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The role's unique id (`AROA...`, CreateRole).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
    /// Its ARN.
    pub arn: String,
    /// ISO 8601 creation time.
    pub create_date: String,
}

/// `{"User": ...}`, `{"Role": ...}` or, for AssumeRole, `{"AssumedRoleUser": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamEntityResponse {
    /// Set for CreateUser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<IamEntity>,
    /// Set for CreateRole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<IamEntity>,
    /// Set for AssumeRole: the session's ARN, usable as a caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed_role_user: Option<AssumedRoleUser>,
}

/// The session AssumeRole started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssumedRoleUser {
    /// `<role id>:<session>` (`AROA...:batch`).
    pub assumed_role_id: String,
    /// `arn:aws:sts::<acct>:assumed-role/<role>/<session>`.
    pub arn: String,
}
