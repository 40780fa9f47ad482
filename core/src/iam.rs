//! IAM: accounts, users and roles. Enough to name callers now; identity
//! policies, trust policies and AssumeRole arrive with the policy engine.

use crate::clock::Timestamp;
use crate::error::KmsError;
use crate::ids::AccountId;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use serde::{Deserialize, Serialize};

/// One AWS account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// A display name ("production").
    pub name: String,
    /// IAM users by name, with their creation time.
    pub users: BTreeMap<String, Timestamp>,
    /// IAM roles by name, with their creation time.
    pub roles: BTreeMap<String, Timestamp>,
}

/// `iam:CreateUser`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateUserRequest {
    /// 1 to 64 characters of letters, digits and `+=,.@_-`.
    pub user_name: String,
}

/// `iam:CreateRole`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateRoleRequest {
    /// 1 to 64 characters of letters, digits and `+=,.@_-`.
    pub role_name: String,
    /// The trust policy (who may assume the role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assume_role_policy_document: Option<String>,
}

/// The `User` or `Role` returned by `CreateUser` / `CreateRole`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamEntity {
    /// The user or role name.
    #[serde(rename = "UserName", skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The role name.
    #[serde(rename = "RoleName", skip_serializing_if = "Option::is_none")]
    pub role_name: Option<String>,
    /// Its ARN.
    pub arn: String,
    /// ISO 8601 creation time.
    pub create_date: String,
}

/// `{"User": ...}` or `{"Role": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IamEntityResponse {
    /// Set for CreateUser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<IamEntity>,
    /// Set for CreateRole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<IamEntity>,
}

/// Checks an IAM user or role name.
pub fn check_name(field: &str, name: &str) -> Result<(), KmsError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(crate::error::validation(
            field,
            name,
            "Member must satisfy regular expression pattern: [\\w+=,.@-]+ and have length 1 to 64",
        ))
    }
}

/// The IAM error for a duplicate name, as IAM words it.
pub fn already_exists(kind: &str, name: &str) -> KmsError {
    KmsError::EntityAlreadyExistsException(format!("{kind} with name {name} already exists."))
}

/// Whether `account` exists in `accounts`, as an error callers understand.
pub fn unknown_account(account: &AccountId) -> KmsError {
    KmsError::UnrecognizedClientException(format!(
        "The security token included in the request is invalid. (No account {account} exists in this world.)"
    ))
}

/// The two kinds of IAM identity the simulator creates.
#[derive(Clone, Copy)]
enum EntityKind {
    User,
    Role,
}

impl EntityKind {
    fn noun(self) -> &'static str {
        match self {
            EntityKind::User => "User",
            EntityKind::Role => "Role",
        }
    }

    fn names(self, account: &mut Account) -> &mut BTreeMap<String, Timestamp> {
        match self {
            EntityKind::User => &mut account.users,
            EntityKind::Role => &mut account.roles,
        }
    }
}

impl crate::world::World {
    pub(crate) fn create_user(
        &mut self,
        caller: &crate::principal::Caller,
        r: &CreateUserRequest,
        rec: &mut crate::world::CallRecord,
    ) -> Result<crate::request::Response, KmsError> {
        self.create_entity(caller, EntityKind::User, &r.user_name, rec)
    }

    pub(crate) fn create_role(
        &mut self,
        caller: &crate::principal::Caller,
        r: &CreateRoleRequest,
        rec: &mut crate::world::CallRecord,
    ) -> Result<crate::request::Response, KmsError> {
        self.create_entity(caller, EntityKind::Role, &r.role_name, rec)
    }

    fn create_entity(
        &mut self,
        caller: &crate::principal::Caller,
        kind: EntityKind,
        name: &str,
        rec: &mut crate::world::CallRecord,
    ) -> Result<crate::request::Response, KmsError> {
        let (field, action, path) = match kind {
            EntityKind::User => ("userName", "iam:CreateUser", "user"),
            EntityKind::Role => ("roleName", "iam:CreateRole", "role"),
        };
        check_name(field, name)?;
        let account = Self::caller_account(caller)?;
        let arn = format!("arn:aws:iam::{account}:{path}/{name}");
        self.authorize_account(caller, action, arn.clone(), &account, rec)?;
        let now = self.now;
        let entry = self
            .accounts
            .get_mut(&account)
            .ok_or_else(|| unknown_account(&account))?;
        let names = kind.names(entry);
        if names.contains_key(name) {
            return Err(already_exists(kind.noun(), name));
        }
        names.insert(name.into(), now);
        let entity = |user_name, role_name| IamEntity {
            user_name,
            role_name,
            arn,
            create_date: now.iso8601(),
        };
        Ok(crate::request::Response::IamEntity(match kind {
            EntityKind::User => IamEntityResponse {
                user: Some(entity(Some(name.into()), None)),
                role: None,
            },
            EntityKind::Role => IamEntityResponse {
                user: None,
                role: Some(entity(None, Some(name.into()))),
            },
        }))
    }
}
