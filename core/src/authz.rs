//! Authorization: the single seam every operation asks before acting.
//!
//! Until the policy engine lands (issue 4) this applies what a key's default
//! policy means when no IAM policies exist: the key's own account root may do
//! everything (root is never limited by IAM), anyone else is implicitly
//! denied; and what an AWS managed key's policy means: use only through its
//! service by principals of the owning account, metadata reads by the root.

use crate::error::KmsError;
use crate::ids::AccountId;
use crate::kms::api::KeyManager;
use crate::kms::key::KmsKey;
use crate::principal::{Caller, Principal};
use alloc::format;
use alloc::string::String;
use serde::Serialize;

/// The single rule that decided an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DecidingRule {
    /// An explicit Deny matched: nothing else matters.
    ExplicitDeny,
    /// The key policy allows the principal itself.
    DirectAllow,
    /// The key policy delegates to the account (root) and IAM allows.
    DelegatedAllow,
    /// The key policy allows another account and that account's IAM allows.
    CrossAccountAllow,
    /// A grant on the key allows the operation.
    Grant,
    /// Nothing allowed it.
    ImplicitDeny,
}

/// What an authorization decided, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorization {
    /// The principal's ARN.
    pub principal: String,
    /// The IAM action, for example `kms:Decrypt`.
    pub action: String,
    /// The resource ARN (`*` for actions without one).
    pub resource: String,
    /// The decision.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: DecidingRule,
    /// The decision in one sentence, for the learner.
    pub explanation: String,
    /// Whether a denial says "resource-based" (key policy) or "identity-based" (IAM).
    #[serde(skip)]
    denied_by_resource_policy: bool,
}

impl Authorization {
    /// Turns a denial into AWS's `AccessDeniedException`.
    pub fn require(&self) -> Result<(), KmsError> {
        if self.allowed {
            return Ok(());
        }
        let why = match (self.rule, self.denied_by_resource_policy) {
            (DecidingRule::ExplicitDeny, _) => {
                String::from("with an explicit deny in a resource-based policy")
            }
            (_, true) => format!(
                "because no resource-based policy allows the {} action",
                self.action
            ),
            (_, false) => format!(
                "because no identity-based policy allows the {} action",
                self.action
            ),
        };
        Err(KmsError::AccessDeniedException(format!(
            "User: {} is not authorized to perform: {} on resource: {} {why}",
            self.principal, self.action, self.resource
        )))
    }
}

/// What is being accessed.
pub enum Resource<'a> {
    /// A KMS key (its policy is the root of trust).
    Key(&'a KmsKey),
    /// A resource governed by IAM policies alone (an alias, or `*`), owned by `account`.
    Account {
        /// The resource's ARN, or `*`.
        arn: String,
        /// The account that owns it.
        account: &'a AccountId,
    },
}

/// Decides whether `caller` may perform `action` on `resource`.
pub fn authorize(caller: &Caller, action: &str, resource: Resource<'_>) -> Authorization {
    let principal = &caller.principal;
    let is_root_of = |account: &AccountId| matches!(principal, Principal::Root(a) if a == account);
    let (arn, allowed, rule, denied_by_resource_policy, explanation) = match resource {
        Resource::Key(key) if key.manager == KeyManager::AWS => {
            let service = key.managed_by;
            let same_account = principal.account() == Some(&key.account);
            let via_owner = service.is_some() && caller.via_service == service;
            let metadata = ["kms:Describe", "kms:Get", "kms:List"]
                .iter()
                .any(|p| action.starts_with(p))
                || action == "kms:RevokeGrant";
            let use_via_service = matches!(
                action,
                "kms:Encrypt"
                    | "kms:Decrypt"
                    | "kms:ReEncryptFrom"
                    | "kms:ReEncryptTo"
                    | "kms:GenerateDataKey"
                    | "kms:GenerateDataKeyWithoutPlaintext"
                    | "kms:CreateGrant"
                    | "kms:ListGrants"
                    | "kms:DescribeKey"
            );
            if same_account && via_owner && use_via_service {
                (
                    key.arn(),
                    true,
                    DecidingRule::DirectAllow,
                    false,
                    String::from(
                        "The AWS managed key's policy allows principals of its account to use it through its service.",
                    ),
                )
            } else if is_root_of(&key.account) && metadata {
                (
                    key.arn(),
                    true,
                    DecidingRule::DirectAllow,
                    false,
                    String::from(
                        "The AWS managed key's policy lets the account root read the key's metadata.",
                    ),
                )
            } else {
                (
                    key.arn(),
                    false,
                    DecidingRule::ImplicitDeny,
                    true,
                    format!(
                        "AWS managed keys allow use only through their service ({}) by principals of account {}, and their policy cannot be changed.",
                        service.map(|s| s.principal()).unwrap_or("a service"),
                        key.account
                    ),
                )
            }
        }
        Resource::Key(key) => {
            if is_root_of(&key.account) {
                (
                    key.arn(),
                    true,
                    DecidingRule::DelegatedAllow,
                    false,
                    String::from(
                        "The key policy gives the account root kms:*; the root user is never limited by IAM policies.",
                    ),
                )
            } else if principal.account() == Some(&key.account) {
                (
                    key.arn(),
                    false,
                    DecidingRule::ImplicitDeny,
                    false,
                    String::from(
                        "The key policy delegates to IAM in the key's account, and no identity-based policy of this principal allows the action.",
                    ),
                )
            } else {
                (
                    key.arn(),
                    false,
                    DecidingRule::ImplicitDeny,
                    true,
                    String::from(
                        "The principal is in another account, and the key policy does not allow that account.",
                    ),
                )
            }
        }
        Resource::Account { arn, account } => {
            if is_root_of(account) {
                (
                    arn,
                    true,
                    DecidingRule::DelegatedAllow,
                    false,
                    String::from(
                        "The account root may perform every action on its account's resources.",
                    ),
                )
            } else {
                let cross = principal.account() != Some(account);
                (
                    arn,
                    false,
                    DecidingRule::ImplicitDeny,
                    cross,
                    String::from("No identity-based policy of this principal allows the action."),
                )
            }
        }
    };
    Authorization {
        principal: principal.arn(),
        action: action.into(),
        resource: arn,
        allowed,
        rule,
        explanation,
        denied_by_resource_policy,
    }
}
