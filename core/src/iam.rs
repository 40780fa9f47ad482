//! IAM and STS: accounts, users and roles with inline identity policies,
//! role trust policies, and AssumeRole sessions usable as callers.

use crate::authz::Target;
use crate::clock::Timestamp;
use crate::error::{KmsError, validation};
use crate::ids::AccountId;
use crate::policy::{PolicyDocument, PolicyKind};
use crate::principal::{Caller, Principal};
use crate::request::Response;
use crate::world::{CallRecord, World};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

/// A policy document as written, with its parsed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPolicy {
    /// The JSON text, as the author wrote it.
    pub text: String,
    /// The parsed document.
    pub document: PolicyDocument,
}

impl StoredPolicy {
    /// Parses `text` as a policy of `kind`.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Self, KmsError> {
        Ok(Self {
            text: text.into(),
            document: PolicyDocument::parse(text, kind)?,
        })
    }
}

/// An IAM user or the identity side of a role.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// When it was created.
    pub created: Timestamp,
    /// Inline identity policies by name.
    pub policies: BTreeMap<String, StoredPolicy>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Its identity policies.
    pub identity: Identity,
    /// Who may assume it.
    pub trust_policy: StoredPolicy,
    /// Names of the sessions started with AssumeRole.
    pub sessions: BTreeSet<String>,
}

/// One AWS account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// A display name ("production").
    pub name: String,
    /// IAM users by name.
    pub users: BTreeMap<String, Identity>,
    /// IAM roles by name.
    pub roles: BTreeMap<String, Role>,
}

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
    /// `<role>:<session>`.
    pub assumed_role_id: String,
    /// `arn:aws:sts::<acct>:assumed-role/<role>/<session>`.
    pub arn: String,
}

/// Checks an IAM user, role or session name.
pub fn check_name(field: &str, name: &str) -> Result<(), KmsError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(validation(
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

fn no_such(kind: &str, name: &str) -> KmsError {
    KmsError::NoSuchEntityException(format!("The {kind} with name {name} cannot be found."))
}

/// IAM's quota on all inline policies of one user, in characters other
/// than white space.
pub const MAX_USER_INLINE_POLICIES: usize = 2_048;
/// IAM's quota on all inline policies of one role, likewise.
pub const MAX_ROLE_INLINE_POLICIES: usize = 10_240;

/// A policy's size as IAM counts it against its quotas: white space is free.
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The longest account name (a display name such as "production").
pub const MAX_ACCOUNT_NAME: usize = 50;

/// Checks an account's display name: 1 to 50 letters, digits, spaces and
/// `_.-`. Scenario files use names in actors (`production:role/App`) and
/// as `${production}`, so a name cannot hold `:`, `$` or braces.
pub fn check_account_name(name: &str) -> Result<(), KmsError> {
    if name.chars().count() > MAX_ACCOUNT_NAME {
        return Err(validation(
            "name",
            name.chars().take(MAX_ACCOUNT_NAME).collect::<String>() + "…",
            "Member must have length less than or equal to 50",
        ));
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.-".contains(c))
    {
        return Err(validation(
            "name",
            name,
            "Member must be 1 to 50 letters, digits, spaces, '_', '.' or '-'",
        ));
    }
    Ok(())
}

/// The error for a caller whose account is not in the world.
pub fn unknown_account(account: &AccountId) -> KmsError {
    KmsError::UnrecognizedClientException(format!(
        "The security token included in the request is invalid. (No account {account} exists in this world.)"
    ))
}

impl Account {
    /// The identity policies that apply to `principal` of this account.
    pub fn identity_policies(&self, principal: &Principal) -> Vec<(String, &PolicyDocument)> {
        let (owner, identity) = match principal {
            Principal::User(_, name) => (principal.arn(), self.users.get(name)),
            Principal::Role(a, name)
            | Principal::AssumedRole {
                account: a,
                role: name,
                ..
            } => (
                Principal::Role(a.clone(), name.clone()).arn(),
                self.roles.get(name).map(|r| &r.identity),
            ),
            Principal::Root(_) | Principal::Service(_) => return Vec::new(),
        };
        identity
            .map(|i| {
                i.policies
                    .iter()
                    .map(|(name, p)| {
                        (
                            format!("identity policy \"{name}\" of {owner}"),
                            &p.document,
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether `principal` (of this account) exists.
    pub fn has(&self, principal: &Principal) -> bool {
        match principal {
            Principal::User(_, name) => self.users.contains_key(name),
            Principal::Role(_, name) => self.roles.contains_key(name),
            Principal::AssumedRole { role, session, .. } => self
                .roles
                .get(role)
                .is_some_and(|r| r.sessions.contains(session)),
            Principal::Root(_) | Principal::Service(_) => true,
        }
    }
}

impl World {
    pub(crate) fn create_user(
        &mut self,
        caller: &Caller,
        r: &CreateUserRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_name("userName", &r.user_name)?;
        let account = Self::caller_account(caller)?;
        let arn = Principal::User(account.clone(), r.user_name.clone()).arn();
        self.authorize_account(caller, "iam:CreateUser", arn.clone(), &account, rec)?;
        let now = self.now;
        let entry = self
            .accounts
            .get_mut(&account)
            .ok_or_else(|| unknown_account(&account))?;
        if entry.users.contains_key(&r.user_name) {
            return Err(already_exists("User", &r.user_name));
        }
        entry.users.insert(
            r.user_name.clone(),
            Identity {
                created: now,
                policies: BTreeMap::new(),
            },
        );
        Ok(Response::IamEntity(IamEntityResponse {
            user: Some(IamEntity {
                user_name: Some(r.user_name.clone()),
                role_name: None,
                arn,
                create_date: now.iso8601(),
            }),
            role: None,
            assumed_role_user: None,
        }))
    }

    pub(crate) fn create_role(
        &mut self,
        caller: &Caller,
        r: &CreateRoleRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_name("roleName", &r.role_name)?;
        let trust_policy = StoredPolicy::parse(&r.assume_role_policy_document, PolicyKind::Trust)?;
        self.check_principals_exist(&trust_policy.document)?;
        let account = Self::caller_account(caller)?;
        let arn = Principal::Role(account.clone(), r.role_name.clone()).arn();
        self.authorize_account(caller, "iam:CreateRole", arn.clone(), &account, rec)?;
        let now = self.now;
        let entry = self
            .accounts
            .get_mut(&account)
            .ok_or_else(|| unknown_account(&account))?;
        if entry.roles.contains_key(&r.role_name) {
            return Err(already_exists("Role", &r.role_name));
        }
        entry.roles.insert(
            r.role_name.clone(),
            Role {
                identity: Identity {
                    created: now,
                    policies: BTreeMap::new(),
                },
                trust_policy,
                sessions: BTreeSet::new(),
            },
        );
        Ok(Response::IamEntity(IamEntityResponse {
            user: None,
            role: Some(IamEntity {
                user_name: None,
                role_name: Some(r.role_name.clone()),
                arn,
                create_date: now.iso8601(),
            }),
            assumed_role_user: None,
        }))
    }

    /// Finds the identity a Put/Delete policy request names; returns its ARN.
    fn policy_owner(
        &self,
        caller: &Caller,
        user: &Option<String>,
        role: &Option<String>,
    ) -> Result<(AccountId, Principal), KmsError> {
        let account = Self::caller_account(caller)?;
        let entry = self
            .accounts
            .get(&account)
            .ok_or_else(|| unknown_account(&account))?;
        match (user, role) {
            (Some(u), None) if entry.users.contains_key(u) => {
                Ok((account.clone(), Principal::User(account, u.clone())))
            }
            (Some(u), None) => Err(no_such("user", u)),
            (None, Some(r)) if entry.roles.contains_key(r) => {
                Ok((account.clone(), Principal::Role(account, r.clone())))
            }
            (None, Some(r)) => Err(no_such("role", r)),
            _ => Err(KmsError::ValidationException(
                "Name exactly one of UserName and RoleName.".into(),
            )),
        }
    }

    fn identity_mut(
        &mut self,
        account: &AccountId,
        owner: &Principal,
    ) -> Result<&mut Identity, KmsError> {
        let entry = self
            .accounts
            .get_mut(account)
            .ok_or_else(|| unknown_account(account))?;
        match owner {
            Principal::User(_, u) => entry.users.get_mut(u).ok_or_else(|| no_such("user", u)),
            Principal::Role(_, r) => entry
                .roles
                .get_mut(r)
                .map(|r| &mut r.identity)
                .ok_or_else(|| no_such("role", r)),
            _ => Err(KmsError::ValidationException(
                "Only users and roles have identity policies.".into(),
            )),
        }
    }

    pub(crate) fn put_identity_policy(
        &mut self,
        caller: &Caller,
        r: &PutIdentityPolicyRequest,
        action: &str,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_name("policyName", &r.policy_name)?;
        let (account, owner) = self.policy_owner(caller, &r.user_name, &r.role_name)?;
        // IAM's quota is on all of an identity's inline policies together,
        // so no user or role carries more policy text than a decision can
        // read quickly. Checked before parsing: the text's size is the rule.
        let (kind, name, limit) = match &owner {
            Principal::User(_, n) => ("user", n, MAX_USER_INLINE_POLICIES),
            Principal::Role(_, n) => ("role", n, MAX_ROLE_INLINE_POLICIES),
            _ => {
                return Err(KmsError::ValidationException(
                    "Only users and roles have identity policies.".into(),
                ));
            }
        };
        let others: usize = self
            .identity_mut(&account, &owner)?
            .policies
            .iter()
            .filter(|(n, _)| **n != r.policy_name)
            .map(|(_, p)| policy_size(&p.text))
            .sum();
        if others + policy_size(&r.policy_document) > limit {
            return Err(KmsError::LimitExceededException(format!(
                "Maximum policy size of {limit} bytes exceeded for {kind} {name}"
            )));
        }
        let policy = StoredPolicy::parse(&r.policy_document, PolicyKind::Identity)?;
        self.authorize_account(caller, action, owner.arn(), &account, rec)?;
        self.identity_mut(&account, &owner)?
            .policies
            .insert(r.policy_name.clone(), policy);
        Ok(Response::Empty(Default::default()))
    }

    pub(crate) fn delete_identity_policy(
        &mut self,
        caller: &Caller,
        r: &DeleteIdentityPolicyRequest,
        action: &str,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let (account, owner) = self.policy_owner(caller, &r.user_name, &r.role_name)?;
        self.authorize_account(caller, action, owner.arn(), &account, rec)?;
        let identity = self.identity_mut(&account, &owner)?;
        if identity.policies.remove(&r.policy_name).is_none() {
            return Err(KmsError::NoSuchEntityException(format!(
                "The policy with name {} cannot be found.",
                r.policy_name
            )));
        }
        Ok(Response::Empty(Default::default()))
    }

    pub(crate) fn assume_role(
        &mut self,
        caller: &Caller,
        r: &AssumeRoleRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        if r.role_session_name.len() < 2 {
            return Err(validation(
                "roleSessionName",
                &r.role_session_name,
                "Member must have length greater than or equal to 2",
            ));
        }
        check_name("roleSessionName", &r.role_session_name)?;
        let Ok(Principal::Role(account, role)) = Principal::parse(&r.role_arn) else {
            return Err(validation(
                "roleArn",
                &r.role_arn,
                "Member must be a role ARN: arn:aws:iam::<account>:role/<name>",
            ));
        };
        let not_authorized = || {
            KmsError::AccessDeniedException(format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
                caller.principal, r.role_arn
            ))
        };
        let trust = self
            .accounts
            .get(&account)
            .and_then(|a| a.roles.get(&role))
            .map(|r| &r.trust_policy.document)
            .ok_or_else(not_authorized)?;
        self.authorize(
            caller,
            "sts:AssumeRole",
            Target::Policy {
                name: format!("trust policy of {}", r.role_arn),
                arn: r.role_arn.clone(),
                account: &account,
                policy: trust,
            },
            &Default::default(),
            rec,
        )?;
        let session = r.role_session_name.clone();
        if let Some(entry) = self
            .accounts
            .get_mut(&account)
            .and_then(|a| a.roles.get_mut(&role))
        {
            entry.sessions.insert(session.clone());
        }
        let arn = Principal::AssumedRole {
            account,
            role: role.clone(),
            session: session.clone(),
        }
        .arn();
        Ok(Response::IamEntity(IamEntityResponse {
            user: None,
            role: None,
            assumed_role_user: Some(AssumedRoleUser {
                assumed_role_id: format!("{role}:{session}"),
                arn,
            }),
        }))
    }

    /// Policies may only name users and roles that exist (AWS resolves them
    /// to unique ids when the policy is saved).
    pub(crate) fn check_principals_exist(&self, document: &PolicyDocument) -> Result<(), KmsError> {
        use crate::policy::document::PrincipalElement;
        for (i, statement) in document.statements.iter().enumerate() {
            for element in [&statement.principal, &statement.not_principal]
                .into_iter()
                .flatten()
            {
                let PrincipalElement::Named {
                    aws: Some(values), ..
                } = element
                else {
                    continue;
                };
                for value in &values.items {
                    if value == "*" || AccountId::parse(value).is_ok() {
                        continue;
                    }
                    let missing = match Principal::parse(value) {
                        Ok(Principal::Root(_)) => false,
                        Ok(p @ (Principal::User(..) | Principal::Role(..))) => !p
                            .account()
                            .and_then(|a| self.accounts.get(a))
                            .is_some_and(|a| a.has(&p)),
                        Ok(Principal::AssumedRole { .. }) => false,
                        _ => true,
                    };
                    if missing {
                        return Err(KmsError::MalformedPolicyDocumentException(format!(
                            "Policy contains a statement with one or more invalid principals. ({}: {value} does not exist)",
                            statement.label(i)
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}
