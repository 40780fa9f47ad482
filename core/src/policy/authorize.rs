//! The decision: a pure function of the question (who, what action, which
//! resource, the request's condition keys, the policies and grants in play)
//! to an [`Authorization`], as AWS combines them for KMS:
//!
//! | | resource has no policy | same account | other account |
//! | --- | --- | --- | --- |
//! | explicit Deny anywhere | deny | deny | deny |
//! | resource policy names the caller (or `*`) | | allow | allow if IAM allows |
//! | resource policy names the caller's account | | allow if IAM allows | allow if IAM allows |
//! | IAM allows | allow | (only with the above) | (only with the above) |
//! | a grant applies | | allow | allow |
//! | nothing allows | deny | deny | deny |
//!
//! The account root is never limited by IAM; in another account only the
//! actions the resource's service lets cross an account boundary can be
//! allowed at all.
//!
//! The decision records a compact trace: for each policy a reference to it
//! and, per statement, which element failed and which condition; for each
//! grant its verdict; and the rule that decided, with the statement or grant
//! that did. Sentences are written only when asked ([`Authorization::view`],
//! [`Authorization::explanation`]): the hot path never formats a string.

use super::condition::RequestContext;
use super::document::{Effect, PolicyDocument};
use super::eval::{PrincipalMatch, StatementResult, Subject};
use super::stored::StoredPolicy;
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::principal::Principal;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde::Serialize;

/// The single rule that decided an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DecidingRule {
    /// An explicit Deny applied: nothing else matters.
    ExplicitDeny,
    /// The resource policy allows the principal itself.
    DirectAllow,
    /// The resource policy delegates to the principal's account and IAM allows.
    DelegatedAllow,
    /// The resource policy allows another account, and that account's IAM allows.
    CrossAccountAllow,
    /// A grant on the key allows the operation.
    Grant,
    /// An identity policy allows an action on a resource without its own policy.
    IdentityAllow,
    /// The grant itself lets the caller retire it (its retiring principal,
    /// its grantee when it allows RetireGrant, or the account that made it).
    GrantRetirement,
    /// Nothing allowed it.
    ImplicitDeny,
}

impl DecidingRule {
    /// The rule in a few words, as a learner reads it.
    pub fn words(self) -> &'static str {
        match self {
            DecidingRule::ExplicitDeny => "explicit deny",
            DecidingRule::DirectAllow => "direct allow",
            DecidingRule::DelegatedAllow => "delegated to IAM, IAM allows",
            DecidingRule::CrossAccountAllow => "cross-account: both sides allow",
            DecidingRule::Grant => "grant",
            DecidingRule::IdentityAllow => "identity policy allows",
            DecidingRule::GrantRetirement => "the grant's own rule for retiring it",
            DecidingRule::ImplicitDeny => "implicit deny: nothing allows",
        }
    }
}

/// Where a policy considered lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicySource {
    /// The key's policy (or a role's trust policy): the resource side.
    Resource,
    /// An identity policy of the caller.
    Identity,
}

/// Which policy a decision considered, as explanations name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyRole {
    /// The key policy of the resource.
    KeyPolicy,
    /// A key policy proposed but not saved (the lockout safety check).
    DraftKeyPolicy,
    /// The trust policy of the role being assumed.
    TrustPolicy,
    /// An inline identity policy of the caller (or of its role); the ARN is
    /// the identity it is attached to.
    Identity(Arc<str>),
}

/// One policy in play: its place and the policy itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Considered {
    /// What the policy is to this decision.
    pub role: PolicyRole,
    /// The policy, shared with its owner (no copy per decision).
    pub policy: Arc<StoredPolicy>,
}

impl Considered {
    pub(super) fn source(&self) -> PolicySource {
        match self.role {
            PolicyRole::Identity(_) => PolicySource::Identity,
            _ => PolicySource::Resource,
        }
    }

    pub(super) fn document(&self) -> &PolicyDocument {
        &self.policy.document
    }
}

/// Why a grant did or did not allow the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantVerdict {
    /// It allows the request.
    Applies,
    /// It is for another principal.
    OtherGrantee,
    /// It does not allow this operation.
    OtherOperations,
    /// It is not effective yet and its token was not presented.
    NotYetEffective(crate::clock::Timestamp),
    /// The request's encryption context is not exactly the constraint's.
    ContextNotEqual(Box<ContextConstraint>),
    /// The request's encryption context lacks pairs of the constraint.
    ContextNotSubset(Box<ContextConstraint>),
    /// CreateGrant through this grant: the new grant allows operations
    /// this one does not.
    ChildWiderOperations,
    /// CreateGrant through this grant: the new grant's constraints are
    /// weaker than this one's.
    ChildWeakerConstraints,
}

/// A grant's encryption context constraint beside the request's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextConstraint {
    /// The pairs the grant requires.
    pub wanted: Vec<(String, String)>,
    /// The pairs the request brought.
    pub request: Vec<(String, String)>,
}

/// Why a grant naming the caller, for the operation asked, did not apply:
/// the deciding factor a learner needs first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum GrantBlocker {
    /// It takes effect at this time (eventual consistency); presenting
    /// its grant token works at once.
    NotYetEffective(String),
    /// Its `EncryptionContextEquals` differs from the request's context.
    ContextEquals(ContextConstraint),
    /// Its `EncryptionContextSubset` is not within the request's context.
    ContextSubset(ContextConstraint),
}

/// One grant considered, compactly; [`GrantTrace::detail`] words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantCheck {
    /// The grant id.
    pub grant_id: Arc<str>,
    /// Its name, if any.
    pub name: Option<Arc<str>>,
    /// Its grantee principal.
    pub grantee: Arc<str>,
    /// The operations it allows.
    pub operations: Arc<[String]>,
    /// The verdict.
    pub verdict: GrantVerdict,
}

/// One grant considered, as a learner reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GrantTrace {
    /// The grant id.
    pub grant_id: String,
    /// The grant's name, if any.
    pub name: Option<String>,
    /// Whether it allowed the request.
    pub applies: bool,
    /// Why or why not.
    pub detail: String,
    /// Why a grant that names the caller for this operation did not apply.
    pub blocker: Option<GrantBlocker>,
}

impl GrantCheck {
    pub(super) fn trace(&self, action: &str) -> GrantTrace {
        let label = match &self.name {
            Some(n) => format!("Grant {} (\"{n}\")", self.grant_id),
            None => format!("Grant {}", self.grant_id),
        };
        let why = match &self.verdict {
            GrantVerdict::Applies => String::new(),
            GrantVerdict::OtherGrantee => format!("its grantee is {}", self.grantee),
            GrantVerdict::OtherOperations => {
                format!("it allows {} only", self.operations.join(", "))
            }
            GrantVerdict::NotYetEffective(at) => format!(
                "it becomes effective at {at} (eventual consistency) and its grant token was not presented"
            ),
            GrantVerdict::ContextNotEqual(_) => String::from(
                "the request's encryption context is not exactly EncryptionContextEquals",
            ),
            GrantVerdict::ContextNotSubset(_) => String::from(
                "the request's encryption context lacks pairs of EncryptionContextSubset",
            ),
            GrantVerdict::ChildWiderOperations => format!(
                "a grant created through it may allow only its own operations ({})",
                self.operations.join(", ")
            ),
            GrantVerdict::ChildWeakerConstraints => String::from(
                "a grant created through it must have encryption context constraints at least as strict as its own",
            ),
        };
        GrantTrace {
            grant_id: self.grant_id.to_string(),
            name: self.name.as_deref().map(String::from),
            applies: self.verdict == GrantVerdict::Applies,
            detail: match self.verdict {
                GrantVerdict::Applies => format!("{label} gives {} {action}.", self.grantee),
                _ => format!("{label} does not apply: {why}."),
            },
            blocker: match &self.verdict {
                GrantVerdict::NotYetEffective(at) => {
                    Some(GrantBlocker::NotYetEffective(at.to_string()))
                }
                GrantVerdict::ContextNotEqual(c) => {
                    Some(GrantBlocker::ContextEquals((**c).clone()))
                }
                GrantVerdict::ContextNotSubset(c) => {
                    Some(GrantBlocker::ContextSubset((**c).clone()))
                }
                _ => None,
            },
        }
    }
}

/// What a decision is for, beyond the request's own permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Purpose {
    /// The permission the request needs.
    Request,
    /// The policy lockout safety check: could the caller still change the
    /// key policy if the proposed one were saved?
    LockoutCheck,
}

/// Everything one decision looks at.
pub struct Question {
    /// Who asks.
    pub principal: Principal,
    /// Its ARN.
    pub principal_arn: Arc<str>,
    /// The IAM action.
    pub action: &'static str,
    /// The resource ARN, or `*`.
    pub resource: Arc<str>,
    /// The account that owns the resource.
    pub resource_account: AccountId,
    /// The request's condition keys.
    pub context: RequestContext,
    /// The resource's own policy, if it has one.
    pub resource_policy: Option<Considered>,
    /// The caller's identity policies.
    pub identity_policies: Vec<Considered>,
    /// The grants that name the caller, already judged.
    pub grants: Vec<GrantCheck>,
    /// How many other grants the resource has (for the explanation).
    pub other_grants: usize,
    /// Whether the action may be used on a resource of another account
    /// (KMS's table of cross-account operations).
    pub cross_account_allowed: bool,
    /// What the decision is for.
    pub purpose: Purpose,
}

/// Where a statement is: the policy's position in the decision and the
/// statement's position in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRef {
    /// The policy.
    pub policy: usize,
    /// The statement.
    pub statement: usize,
}

/// What decided, with the evidence: the compact form of the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A Deny statement applied (in the resource or an identity policy).
    ExplicitDeny(StatementRef),
    /// No resource policy; IAM allows (a statement, or the caller is root).
    IdentityAllows(Option<StatementRef>),
    /// No resource policy, and the resource is in another account.
    ForeignResourceWithoutPolicy,
    /// No resource policy and no identity policy allows.
    NoIdentityAllow,
    /// The action cannot be used across accounts at all.
    NotCrossAccount,
    /// The resource policy names the caller.
    DirectAllow(StatementRef),
    /// The resource policy names the caller's account and IAM allows.
    DelegatedAllow(StatementRef, Option<StatementRef>),
    /// Another account's resource policy allows and the caller's IAM allows.
    CrossAccountAllow(StatementRef, Option<StatementRef>),
    /// A grant allows.
    Grant(usize),
    /// The grant lets the caller retire it.
    Retirement(Retirer),
    /// Nothing in the resource policy allows, and no grant does.
    NothingAllows,
    /// The resource policy delegates to IAM, and IAM does not allow.
    DelegatedWithoutIdentity(StatementRef),
    /// Another account's policy allows, the caller's IAM does not.
    CrossAccountWithoutIdentity(StatementRef),
}

/// Who may retire a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retirer {
    /// The grant's retiring principal.
    RetiringPrincipal,
    /// Its grantee, since the grant allows RetireGrant.
    Grantee,
    /// The root of the account that created it.
    IssuingAccount,
    /// None of them: refused.
    Nobody,
}

/// The two sides of a cross-account decision: the resource's account and
/// the caller's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Sides {
    /// Whether the resource policy (in the resource's account) allows.
    pub resource_policy: bool,
    /// Whether an identity policy (in the caller's account) allows.
    pub identity_policy: bool,
}

/// An authorization decision and everything that went into it, compactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The principal's ARN.
    pub principal: Arc<str>,
    pub(super) principal_id: Principal,
    /// The IAM action.
    pub action: &'static str,
    /// The resource ARN (`*` when the action has none).
    pub resource: Arc<str>,
    pub(super) resource_account: AccountId,
    /// The decision.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: DecidingRule,
    /// What decided, with the statement or grant that did.
    pub reason: Reason,
    /// What the decision was for.
    pub purpose: Purpose,
    pub(super) context: RequestContext,
    pub(super) policies: Policies,
    /// Each statement's result, policy after policy.
    pub(super) results: Vec<StatementResult>,
    pub(super) grants: Vec<GrantCheck>,
    pub(super) other_grants: usize,
}

/// The policies a decision considers, in order: the resource's own, if it
/// has one, then the caller's identity policies. Kept as the question gave
/// them, so the usual decision (a key policy, no identity policy) needs no
/// list of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Policies {
    resource: Option<Considered>,
    identity: Vec<Considered>,
}

impl Policies {
    pub(super) fn iter(&self) -> impl Iterator<Item = &Considered> {
        self.resource.iter().chain(&self.identity)
    }

    pub(super) fn first(&self) -> Option<&Considered> {
        self.iter().next()
    }

    /// Where policy `i`'s statements start among all the results.
    pub(super) fn start_of(&self, i: usize) -> usize {
        self.iter()
            .take(i)
            .map(|p| p.document().statements.len())
            .sum()
    }
}

impl core::ops::Index<usize> for Policies {
    type Output = Considered;
    fn index(&self, i: usize) -> &Considered {
        match (&self.resource, i) {
            (Some(r), 0) => r,
            (Some(_), i) => &self.identity[i - 1],
            (None, i) => &self.identity[i],
        }
    }
}

fn first_applying(
    policies: &Policies,
    results: &[StatementResult],
    source: PolicySource,
    effect: Effect,
    principal: impl Fn(PrincipalMatch) -> bool,
) -> Option<StatementRef> {
    policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.source() == source)
        .find_map(|(i, p)| {
            let start = policies.start_of(i);
            p.document()
                .statements
                .iter()
                .enumerate()
                .find(|(j, s)| {
                    let r = &results[start + j];
                    r.applies && s.effect == effect && principal(r.principal)
                })
                .map(|(j, _)| StatementRef {
                    policy: i,
                    statement: j,
                })
        })
}

/// Decides one question.
pub fn authorize(q: Question) -> Authorization {
    let policies = Policies {
        resource: q.resource_policy,
        identity: q.identity_policies,
    };
    let mut results =
        Vec::with_capacity(policies.iter().map(|p| p.document().statements.len()).sum());
    {
        let subject = Subject {
            principal: &q.principal,
            principal_arn: &q.principal_arn,
            action: q.action,
            resource: &q.resource,
            context: &q.context,
        };
        for p in policies.iter() {
            p.document().evaluate_into(
                &subject,
                p.source() == PolicySource::Identity,
                &mut results,
            );
        }
    }
    let has_resource_policy = policies
        .first()
        .is_some_and(|p| p.source() == PolicySource::Resource);
    let find = |source, effect, principal: &dyn Fn(PrincipalMatch) -> bool| {
        first_applying(&policies, &results, source, effect, principal)
    };
    let any = |_: PrincipalMatch| true;
    let same_account = q.principal.account() == Some(&q.resource_account);
    let is_root = matches!(q.principal, Principal::Root(_));
    let identity_allow = find(PolicySource::Identity, Effect::Allow, &any);
    let identity_ok = is_root || identity_allow.is_some();

    let reason = if let Some(deny) = find(PolicySource::Resource, Effect::Deny, &any)
        .or_else(|| find(PolicySource::Identity, Effect::Deny, &any))
    {
        Reason::ExplicitDeny(deny)
    } else if !has_resource_policy {
        if same_account && identity_ok {
            Reason::IdentityAllows(identity_allow)
        } else if !same_account {
            Reason::ForeignResourceWithoutPolicy
        } else {
            Reason::NoIdentityAllow
        }
    } else {
        let direct = find(PolicySource::Resource, Effect::Allow, &|m| {
            matches!(m, PrincipalMatch::Named | PrincipalMatch::Anyone)
        });
        let delegated = find(PolicySource::Resource, Effect::Allow, &|m| {
            m == PrincipalMatch::Account
        });
        let grant = q
            .grants
            .iter()
            .position(|g| g.verdict == GrantVerdict::Applies);
        if !same_account && !q.cross_account_allowed {
            Reason::NotCrossAccount
        } else if same_account && direct.is_some() {
            Reason::DirectAllow(direct.unwrap_or(StatementRef {
                policy: 0,
                statement: 0,
            }))
        } else if let (true, Some(d), true) = (same_account, delegated, identity_ok) {
            Reason::DelegatedAllow(d, identity_allow)
        } else if let (false, Some(r), true) = (same_account, direct.or(delegated), identity_ok) {
            Reason::CrossAccountAllow(r, identity_allow)
        } else if let Some(g) = grant {
            Reason::Grant(g)
        } else {
            match (direct.or(delegated), same_account) {
                (None, _) => Reason::NothingAllows,
                (Some(r), true) => Reason::DelegatedWithoutIdentity(r),
                (Some(r), false) => Reason::CrossAccountWithoutIdentity(r),
            }
        }
    };
    let (allowed, rule) = match reason {
        Reason::ExplicitDeny(_) => (false, DecidingRule::ExplicitDeny),
        Reason::IdentityAllows(_) => (true, DecidingRule::IdentityAllow),
        Reason::DirectAllow(_) => (true, DecidingRule::DirectAllow),
        Reason::DelegatedAllow(..) => (true, DecidingRule::DelegatedAllow),
        Reason::CrossAccountAllow(..) => (true, DecidingRule::CrossAccountAllow),
        Reason::Grant(_) => (true, DecidingRule::Grant),
        Reason::Retirement(r) => (r != Retirer::Nobody, DecidingRule::GrantRetirement),
        _ => (false, DecidingRule::ImplicitDeny),
    };
    Authorization {
        principal: q.principal_arn,
        principal_id: q.principal,
        action: q.action,
        resource: q.resource,
        resource_account: q.resource_account,
        allowed,
        rule,
        reason,
        purpose: q.purpose,
        context: q.context,
        policies,
        results,
        grants: q.grants,
        other_grants: q.other_grants,
    }
}

/// A decision taken by a grant's own rule (RetireGrant): who may retire it.
pub fn retirement(
    principal: Principal,
    principal_arn: Arc<str>,
    resource: Arc<str>,
    resource_account: AccountId,
    retirer: Retirer,
    grant: GrantCheck,
) -> Authorization {
    Authorization {
        principal: principal_arn,
        principal_id: principal,
        action: "kms:RetireGrant",
        resource,
        resource_account,
        allowed: retirer != Retirer::Nobody,
        rule: DecidingRule::GrantRetirement,
        reason: Reason::Retirement(retirer),
        purpose: Purpose::Request,
        context: RequestContext::default(),
        policies: Policies::default(),
        results: Vec::new(),
        grants: alloc::vec![grant],
        other_grants: 0,
    }
}

impl Authorization {
    /// Whether a denial is for want of a condition: nothing denied it
    /// explicitly, and an Allow statement names the caller and covers the
    /// action and resource, but one of its conditions did not hold (a call
    /// through a service, with an encryption context, would be allowed).
    pub fn allowed_on_conditions(&self) -> bool {
        let statements = self.policies.iter().flat_map(|p| &p.document().statements);
        !self.allowed
            && self.rule != DecidingRule::ExplicitDeny
            && statements
                .zip(&self.results)
                .any(|(s, r)| s.effect == Effect::Allow && r.failed_condition.is_some())
    }

    /// Turns a denial into AWS's `AccessDeniedException`.
    pub fn require(&self) -> Result<(), KmsError> {
        if self.allowed {
            return Ok(());
        }
        let why = match &self.reason {
            Reason::ExplicitDeny(at)
                if self.policies[at.policy].source() == PolicySource::Resource =>
            {
                String::from("with an explicit deny in a resource-based policy")
            }
            Reason::ExplicitDeny(_) => {
                String::from("with an explicit deny in an identity-based policy")
            }
            Reason::NoIdentityAllow
            | Reason::DelegatedWithoutIdentity(_)
            | Reason::CrossAccountWithoutIdentity(_) => format!(
                "because no identity-based policy allows the {} action",
                self.action
            ),
            Reason::Retirement(_) => {
                return Err(KmsError::AccessDeniedException(format!(
                    "User: {} is not authorized to perform: kms:RetireGrant on resource: {}: only the grant's retiring principal, its grantee (if the grant allows RetireGrant), or the root of the account that created it can retire it.",
                    self.principal, self.resource
                )));
            }
            _ => format!(
                "because no resource-based policy allows the {} action",
                self.action
            ),
        };
        Err(KmsError::AccessDeniedException(format!(
            "User: {} is not authorized to perform: {} on resource: {} {why}",
            self.principal, self.action, self.resource
        )))
    }

    /// The request's condition keys.
    pub fn context(&self) -> &RequestContext {
        &self.context
    }

    /// Whether a policy considered tests the time (`aws:CurrentTime`): then
    /// the same question can be answered otherwise later, with no change.
    pub fn tests_time(&self) -> bool {
        self.policies.iter().any(|p| p.document().tests_time())
    }

    /// For a decision on another account's resource, what each side said.
    pub fn sides(&self) -> Option<Sides> {
        let foreign = self.principal_id.account() != Some(&self.resource_account);
        if !foreign || matches!(self.reason, Reason::Retirement(_)) {
            return None;
        }
        let identity_policy = matches!(self.principal_id, Principal::Root(_))
            || self.policies.iter().enumerate().any(|(i, p)| {
                p.source() == PolicySource::Identity
                    && p.document().statements.iter().enumerate().any(|(j, s)| {
                        s.effect == Effect::Allow
                            && self.results[self.policies.start_of(i) + j].applies
                    })
            });
        let resource_policy = matches!(
            self.reason,
            Reason::CrossAccountAllow(..) | Reason::CrossAccountWithoutIdentity(_)
        );
        Some(Sides {
            resource_policy,
            identity_policy,
        })
    }
}
