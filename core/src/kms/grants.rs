//! Grants: delegations of specific operations on one key to one principal,
//! which services such as RDS use for the resources they manage.
//!
//! A new grant takes effect after [`GRANT_PROPAGATION_SECONDS`] on the
//! virtual clock (KMS is eventually consistent); presenting its grant token
//! makes it usable at once.

use super::api::{GrantConstraints, GrantListEntry};
use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::ids::{AccountId, KeyId};
use crate::policy::{ContextConstraint, GrantCheck, GrantVerdict};
use crate::principal::Principal;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// How long a new grant takes to become effective without its token.
pub const GRANT_PROPAGATION_SECONDS: u64 = 3 * 60;
/// AWS's limit of grants per key.
pub const MAX_GRANTS_PER_KEY: usize = 50_000;
/// The most encryption context pairs in one grant constraint.
pub const MAX_CONSTRAINT_PAIRS: usize = 8;
/// The longest encryption context value in a grant constraint.
pub const MAX_CONSTRAINT_VALUE: usize = 384;

/// Whether `context` meets `constraints` (keys case-insensitive).
fn constraint_verdict(
    constraints: &GrantConstraints,
    context: &EncryptionContext,
) -> Option<GrantVerdict> {
    let value_of = |key: &str| {
        context
            .pairs()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .last()
            .map(|(_, v)| v)
    };
    // Both sides are kept only when the grant refuses: a learner sees
    // the pairs it wanted beside the pairs the request brought.
    let both = |wanted: &BTreeMap<String, String>| {
        Box::new(ContextConstraint {
            wanted: wanted.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            request: context
                .pairs()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        })
    };
    if let Some(equals) = &constraints.encryption_context_equals {
        let same_size = equals.len() == context.len();
        if !same_size || !equals.iter().all(|(k, v)| value_of(k) == Some(v.as_str())) {
            return Some(GrantVerdict::ContextNotEqual(both(equals)));
        }
    }
    if let Some(subset) = &constraints.encryption_context_subset
        && !subset.iter().all(|(k, v)| value_of(k) == Some(v.as_str()))
    {
        return Some(GrantVerdict::ContextNotSubset(both(subset)));
    }
    None
}

/// Whether a child grant's constraints are "at least as strict" as its
/// parent's (KMS developer guide, "Granting CreateGrant permission": the
/// child "can add pairs to an EncryptionContextSubset constraint in the
/// parent grant, but it cannot remove them", and may turn a Subset into an
/// Equals, "but not the reverse").
fn at_least_as_strict(child: Option<&GrantConstraints>, parent: &GrantConstraints) -> bool {
    let contains = |wide: &alloc::collections::BTreeMap<String, String>,
                    narrow: &alloc::collections::BTreeMap<String, String>| {
        narrow.iter().all(|(k, v)| wide.get(k) == Some(v))
    };
    let Some(child) = child else {
        return false;
    };
    match (
        &parent.encryption_context_equals,
        &parent.encryption_context_subset,
    ) {
        (Some(equals), _) => child.encryption_context_equals.as_ref() == Some(equals),
        (None, Some(subset)) => {
            child
                .encryption_context_equals
                .as_ref()
                .is_some_and(|e| contains(e, subset))
                || child
                    .encryption_context_subset
                    .as_ref()
                    .is_some_and(|c| contains(c, subset))
        }
        (None, None) => true,
    }
}

/// A grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// 64 hex characters.
    pub id: Arc<str>,
    /// The token that makes it usable before it propagates.
    pub token: String,
    /// The key.
    pub key: KeyId,
    /// An optional name (CreateGrant with the same name and parameters is idempotent).
    pub name: Option<Arc<str>>,
    /// Who may use it (principal ARN).
    pub grantee: Arc<str>,
    /// Who may retire it (principal ARN).
    pub retiring: Option<String>,
    /// What it allows.
    pub operations: Arc<[String]>,
    /// Encryption context constraints.
    pub constraints: Option<GrantConstraints>,
    /// The account of the principal that created it.
    pub issuing_account: AccountId,
    /// When it was created.
    pub created: Timestamp,
}

/// What a request brings to a grant's judgement.
pub struct GrantRequest<'a> {
    /// The caller.
    pub principal: &'a Principal,
    /// Its ARN.
    pub principal_arn: &'a str,
    /// The grant operation asked for (`Decrypt`).
    pub operation: &'a str,
    /// The virtual time.
    pub now: Timestamp,
    /// Grant tokens presented.
    pub grant_tokens: &'a [String],
    /// The request's encryption context.
    pub encryption_context: Option<&'a EncryptionContext>,
    /// For CreateGrant: the grant it would create.
    pub child: Option<&'a GrantFacts>,
}

impl Grant {
    /// Whether `principal` is the grantee (a session of a role counts as the role).
    pub fn grantee_is(&self, principal: &Principal, principal_arn: &str) -> bool {
        match principal {
            Principal::AssumedRole { account, role, .. } => {
                *self.grantee == *principal_arn
                    || self
                        .grantee
                        .strip_prefix("arn:aws:iam::")
                        .and_then(|g| g.strip_prefix(account.as_str()))
                        .and_then(|g| g.strip_prefix(":role/"))
                        == Some(role.as_str())
            }
            _ => *self.grantee == *principal_arn,
        }
    }

    /// Whether the grant allows the request, compactly.
    pub fn check(&self, r: &GrantRequest<'_>) -> GrantCheck {
        let verdict = if !self.grantee_is(r.principal, r.principal_arn) {
            GrantVerdict::OtherGrantee
        } else if !self.operations.iter().any(|o| o == r.operation) {
            GrantVerdict::OtherOperations
        } else if r.now < self.effective() && !r.grant_tokens.contains(&self.token) {
            GrantVerdict::NotYetEffective(self.effective())
        } else if matches!(r.operation, "DescribeKey" | "RetireGrant") {
            // "The encryption context constraint is ignored for DescribeKey
            // and RetireGrant operations" (developer guide, create-grant-overview).
            GrantVerdict::Applies
        } else if let (Some(child), "CreateGrant") = (r.child, r.operation) {
            // A grantee holding CreateGrant through a grant "can only create
            // grants that allow some or all of the operations in the parent
            // grant" with constraints "at least as strict" (same page).
            if !child.operations.iter().all(|o| self.operations.contains(o)) {
                GrantVerdict::ChildWiderOperations
            } else if self
                .constraints
                .as_ref()
                .is_some_and(|p| !at_least_as_strict(child.constraints.as_ref(), p))
            {
                GrantVerdict::ChildWeakerConstraints
            } else {
                GrantVerdict::Applies
            }
        } else {
            self.constraints
                .as_ref()
                .and_then(|c| {
                    constraint_verdict(
                        c,
                        r.encryption_context
                            .unwrap_or(&EncryptionContext::default()),
                    )
                })
                .unwrap_or(GrantVerdict::Applies)
        };
        GrantCheck {
            grant_id: self.id.clone(),
            name: self.name.clone(),
            grantee: self.grantee.clone(),
            operations: self.operations.clone(),
            verdict,
        }
    }

    /// When the grant takes effect without its token.
    pub fn effective(&self) -> Timestamp {
        self.created.plus(GRANT_PROPAGATION_SECONDS)
    }

    /// The grant as `ListGrants` shows it.
    pub fn entry(&self, key_arn: &str) -> GrantListEntry {
        GrantListEntry {
            key_id: key_arn.into(),
            grant_id: self.id.to_string(),
            name: self.name.as_deref().map(String::from),
            creation_date: self.created.0,
            grantee_principal: self.grantee.to_string(),
            retiring_principal: self.retiring.clone(),
            issuing_account: self.issuing_account.root_arn(),
            operations: self.operations.to_vec(),
            constraints: self.constraints.clone(),
        }
    }
}

/// The facts of a CreateGrant request that its condition keys expose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantFacts {
    /// `kms:GrantOperations`.
    pub operations: Vec<String>,
    /// `kms:GranteePrincipal`.
    pub grantee: String,
    /// `kms:RetiringPrincipal`.
    pub retiring: Option<String>,
    /// The constraints the new grant would carry.
    pub constraints: Option<GrantConstraints>,
}
