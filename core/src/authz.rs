//! Authorization, as KMS decides it, with the reasons.
//!
//! 1. An explicit `Deny` that applies, in the key policy (or other resource
//!    policy) or in the caller's identity policies, always wins.
//! 2. The key policy is the root of trust. A statement that names the caller
//!    (or `*`) allows directly. A statement that names the caller's account
//!    (`arn:aws:iam::<acct>:root`) delegates to IAM: an identity policy of
//!    the caller must also allow (the account root is never limited by IAM).
//! 3. Across accounts, the key policy must allow the caller's account or the
//!    caller, AND an identity policy in the caller's account must allow; only
//!    AWS's cross-account operations are possible at all.
//! 4. A grant for the caller that covers the operation (and whose constraints
//!    the request meets) allows, once it has propagated or when its grant
//!    token is presented.
//! 5. Otherwise: implicit deny.
//!
//! Every decision is an [`Authorization`] that records each policy and grant
//! considered, statement by statement, and names the one rule that decided.

use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::kms::grants::Grant;
use crate::kms::key::KmsKey;
use crate::policy::{
    Effect, PolicyDocument, PrincipalMatch, RequestContext, StatementTrace, Subject,
};
use crate::principal::{Caller, Principal};
use crate::world::{CallRecord, World};
use alloc::format;
use alloc::string::{String, ToString};
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
    /// Nothing allowed it.
    ImplicitDeny,
}

/// Where a policy considered lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicySource {
    /// The key's policy (or a role's trust policy): the resource side.
    Resource,
    /// An identity policy of the caller.
    Identity,
}

/// One policy considered, statement by statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyTrace {
    /// `key policy of arn:...`, `identity policy "UseKey" of arn:...`.
    pub name: String,
    /// Resource or identity side.
    pub source: PolicySource,
    /// Each statement.
    pub statements: Vec<StatementTrace>,
}

/// One grant considered.
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
}

/// A request condition key and its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextEntry {
    /// The key.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

/// How a denial is worded in the AccessDeniedException.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denial {
    ResourcePolicy,
    IdentityPolicy,
    ExplicitInResource,
    ExplicitInIdentity,
}

/// An authorization decision and everything that went into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Authorization {
    /// The principal's ARN.
    pub principal: String,
    /// The IAM action.
    pub action: String,
    /// The resource ARN (`*` when the action has none).
    pub resource: String,
    /// The decision.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: DecidingRule,
    /// The decision in one sentence.
    pub explanation: String,
    /// The request's condition keys.
    pub request_context: Vec<ContextEntry>,
    /// Every policy considered.
    pub policies: Vec<PolicyTrace>,
    /// Every grant that names the caller, and whether it applied.
    pub grants: Vec<GrantTrace>,
    /// How many grants on the key name other principals (not considered).
    pub other_grants: usize,
    #[serde(skip)]
    denial: Denial,
}

impl Authorization {
    /// Turns a denial into AWS's `AccessDeniedException`.
    pub fn require(&self) -> Result<(), KmsError> {
        if self.allowed {
            return Ok(());
        }
        let why = match self.denial {
            Denial::ExplicitInResource => {
                String::from("with an explicit deny in a resource-based policy")
            }
            Denial::ExplicitInIdentity => {
                String::from("with an explicit deny in an identity-based policy")
            }
            Denial::ResourcePolicy => format!(
                "because no resource-based policy allows the {} action",
                self.action
            ),
            Denial::IdentityPolicy => format!(
                "because no identity-based policy allows the {} action",
                self.action
            ),
        };
        Err(KmsError::AccessDeniedException(format!(
            "User: {} is not authorized to perform: {} on resource: {} {why}",
            self.principal, self.action, self.resource
        )))
    }

    /// The statements that applied, as `(policy name, statement label)`.
    pub fn applied_statements(&self) -> impl Iterator<Item = (&str, &str)> {
        self.policies.iter().flat_map(|p| {
            p.statements
                .iter()
                .filter(|s| s.applies)
                .map(move |s| (p.name.as_str(), s.label.as_str()))
        })
    }
}

/// Operations a principal can perform on a key in another account.
pub const CROSS_ACCOUNT_ACTIONS: &[&str] = &[
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
];

/// Everything one evaluation looks at.
pub struct Evaluation<'a> {
    /// Who asks.
    pub caller: &'a Caller,
    /// The IAM action.
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource_arn: &'a str,
    /// The account that owns the resource.
    pub resource_account: &'a AccountId,
    /// The resource policy (key policy, trust policy), with its name.
    pub resource_policy: Option<(String, &'a PolicyDocument)>,
    /// The caller's identity policies, with their names.
    pub identity_policies: Vec<(String, &'a PolicyDocument)>,
    /// The grants on the key that name the caller.
    pub grants: Vec<&'a Grant>,
    /// How many other grants the key has (for the explanation).
    pub other_grants: usize,
    /// Grant tokens presented with the request.
    pub grant_tokens: &'a [String],
    /// The request's encryption context (for grant constraints).
    pub encryption_context: Option<&'a EncryptionContext>,
    /// The request's condition keys.
    pub context: RequestContext,
    /// The virtual time.
    pub now: Timestamp,
}

/// Decides one request.
pub fn evaluate(e: &Evaluation<'_>) -> Authorization {
    let principal = &e.caller.principal;
    let principal_arn = principal.arn();
    let subject = Subject {
        principal,
        principal_arn: &principal_arn,
        action: e.action,
        resource: e.resource_arn,
        context: &e.context,
    };
    let caller_account = principal.account();
    let same_account = caller_account == Some(e.resource_account);
    let is_root = matches!(principal, Principal::Root(_));

    let mut policies = Vec::new();
    if let Some((name, doc)) = &e.resource_policy {
        policies.push(PolicyTrace {
            name: name.clone(),
            source: PolicySource::Resource,
            statements: doc.evaluate(&subject, false),
        });
    }
    for (name, doc) in &e.identity_policies {
        policies.push(PolicyTrace {
            name: name.clone(),
            source: PolicySource::Identity,
            statements: doc.evaluate(&subject, true),
        });
    }
    let applying = |source: PolicySource, effect: Effect| {
        policies
            .iter()
            .filter(move |p| p.source == source)
            .flat_map(move |p| {
                p.statements
                    .iter()
                    .filter(move |s| s.applies && s.effect == effect)
                    .map(move |s| (p, s))
            })
    };
    let first = |source, effect| {
        applying(source, effect)
            .next()
            .map(|(p, s)| format!("{} of the {}", s.label, p.name))
    };

    let grants: Vec<GrantTrace> = e.grants.iter().map(|g| g.evaluate(e)).collect();
    let context_entries = e
        .context
        .entries()
        .map(|(k, v)| ContextEntry {
            key: k.to_string(),
            values: v.to_vec(),
        })
        .collect();
    let decide = |allowed, rule, explanation: String, denial| Authorization {
        principal: principal.arn(),
        action: e.action.to_string(),
        resource: e.resource_arn.to_string(),
        allowed,
        rule,
        explanation,
        request_context: Vec::new(),
        policies: Vec::new(),
        grants: Vec::new(),
        other_grants: e.other_grants,
        denial,
    };
    let mut result = (|| {
        // 1. Explicit deny.
        if let Some(where_) = first(PolicySource::Resource, Effect::Deny) {
            return decide(
                false,
                DecidingRule::ExplicitDeny,
                format!(
                    "{where_} explicitly denies {}: an explicit deny always wins.",
                    e.action
                ),
                Denial::ExplicitInResource,
            );
        }
        if let Some(where_) = first(PolicySource::Identity, Effect::Deny) {
            return decide(
                false,
                DecidingRule::ExplicitDeny,
                format!(
                    "{where_} explicitly denies {}: an explicit deny always wins.",
                    e.action
                ),
                Denial::ExplicitInIdentity,
            );
        }
        let identity_allow = first(PolicySource::Identity, Effect::Allow);
        let identity_ok = is_root || identity_allow.is_some();
        let identity_reason = || match &identity_allow {
            Some(w) => w.clone(),
            None => String::from("the root user (never limited by IAM policies)"),
        };

        // A resource without its own policy: IAM alone decides.
        let Some((resource_name, _)) = &e.resource_policy else {
            return if same_account && identity_ok {
                decide(
                    true,
                    DecidingRule::IdentityAllow,
                    format!("Allowed by {}.", identity_reason()),
                    Denial::IdentityPolicy,
                )
            } else if !same_account {
                decide(
                    false,
                    DecidingRule::ImplicitDeny,
                    format!(
                        "{} belongs to another account; nothing allows {principal} to use it.",
                        e.resource_arn
                    ),
                    Denial::ResourcePolicy,
                )
            } else {
                decide(
                    false,
                    DecidingRule::ImplicitDeny,
                    format!("No identity policy of {principal} allows {}.", e.action),
                    Denial::IdentityPolicy,
                )
            };
        };

        // 2./3. The resource policy.
        let direct = applying(PolicySource::Resource, Effect::Allow)
            .find(|(_, s)| matches!(s.principal, PrincipalMatch::Named | PrincipalMatch::Anyone))
            .map(|(p, s)| format!("{} of the {}", s.label, p.name));
        let delegated = applying(PolicySource::Resource, Effect::Allow)
            .find(|(_, s)| matches!(s.principal, PrincipalMatch::Account(_)))
            .map(|(p, s)| format!("{} of the {}", s.label, p.name));
        if !same_account
            && !CROSS_ACCOUNT_ACTIONS.contains(&e.action)
            && e.action.starts_with("kms:")
        {
            return decide(
                false,
                DecidingRule::ImplicitDeny,
                format!(
                    "{} is not an operation KMS allows on a key in another account.",
                    e.action
                ),
                Denial::ResourcePolicy,
            );
        }
        if same_account {
            if let Some(d) = &direct {
                return decide(
                    true,
                    DecidingRule::DirectAllow,
                    format!("{d} allows {principal} directly."),
                    Denial::ResourcePolicy,
                );
            }
            if let Some(d) = &delegated
                && identity_ok
            {
                return decide(
                    true,
                    DecidingRule::DelegatedAllow,
                    format!(
                        "{d} delegates to IAM in account {}, and {} allows {}.",
                        e.resource_account,
                        identity_reason(),
                        e.action
                    ),
                    Denial::ResourcePolicy,
                );
            }
        } else if let Some(r) = direct.as_ref().or(delegated.as_ref())
            && identity_ok
        {
            return decide(
                true,
                DecidingRule::CrossAccountAllow,
                format!(
                    "{r} allows the caller's account, and {} in that account allows {}: cross-account use needs both.",
                    identity_reason(),
                    e.action
                ),
                Denial::ResourcePolicy,
            );
        }

        // 4. Grants.
        if let Some(g) = grants.iter().find(|g| g.applies) {
            return decide(
                true,
                DecidingRule::Grant,
                g.detail.clone(),
                Denial::ResourcePolicy,
            );
        }

        // 5. Implicit deny, with the missing half named.
        match (direct.or(delegated), same_account) {
            (None, _) => decide(
                false,
                DecidingRule::ImplicitDeny,
                format!(
                    "No statement of the {resource_name} allows {principal} to perform {}, and no grant does.",
                    e.action
                ),
                Denial::ResourcePolicy,
            ),
            (Some(r), true) => decide(
                false,
                DecidingRule::ImplicitDeny,
                format!(
                    "{r} delegates to IAM in account {}, but no identity policy of {principal} allows {}.",
                    e.resource_account, e.action
                ),
                Denial::IdentityPolicy,
            ),
            (Some(r), false) => decide(
                false,
                DecidingRule::ImplicitDeny,
                format!(
                    "{r} allows the caller's account, but no identity policy of {principal} in that account allows {}: cross-account use needs both.",
                    e.action
                ),
                Denial::IdentityPolicy,
            ),
        }
    })();
    result.request_context = context_entries;
    result.policies = policies;
    result.grants = grants;
    result
}

/// What a request adds to its authorization besides caller, action and target.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// The encryption context of a cryptographic request.
    pub encryption_context: Option<&'a EncryptionContext>,
    /// Grant tokens presented.
    pub grant_tokens: &'a [String],
    /// The facts of a CreateGrant request (for its condition keys).
    pub grant: Option<&'a crate::kms::grants::GrantFacts>,
    /// The alias the request named the key by, if any.
    pub request_alias: Option<&'a str>,
}

/// What is being accessed.
pub enum Target<'a> {
    /// A KMS key: its policy is the root of trust; its grants count.
    Key(&'a KmsKey),
    /// A resource with its own policy and no grants: a role's trust policy
    /// (AssumeRole), or a key policy being proposed (the lockout check).
    Policy {
        /// How explanations name the policy (`trust policy of ...`).
        name: String,
        /// The resource ARN.
        arn: String,
        /// Its account.
        account: &'a AccountId,
        /// The policy.
        policy: &'a PolicyDocument,
    },
    /// A resource governed by IAM policies alone (an alias, a user, or `*`).
    Account {
        /// Its ARN, or `*`.
        arn: String,
        /// The account that owns it.
        account: &'a AccountId,
    },
}

impl World {
    /// The condition keys of a request.
    pub(crate) fn request_context(
        &self,
        caller: &Caller,
        key: Option<&KmsKey>,
        extras: &Extras<'_>,
    ) -> RequestContext {
        let mut c = RequestContext::default();
        let principal = &caller.principal;
        if let Some(account) = principal.account() {
            c.set("kms:CallerAccount", account.as_str());
            c.set("aws:PrincipalAccount", account.as_str());
        }
        let principal_arn = match principal {
            Principal::AssumedRole { account, role, .. } => {
                Principal::Role(account.clone(), role.clone()).arn()
            }
            other => other.arn(),
        };
        c.set("aws:PrincipalArn", principal_arn);
        c.set("aws:CurrentTime", self.now_iso.clone());
        if let Some(service) = caller.via_service {
            c.set(
                "kms:ViaService",
                service.via_service_endpoint(&caller.region),
            );
        }
        if let Some(source) = &caller.source_arn {
            c.set("aws:SourceArn", source.clone());
            if let Some(account) = source.split(':').nth(4).filter(|a| !a.is_empty()) {
                c.set("aws:SourceAccount", account);
            }
        }
        if let Some(key) = key {
            c.set("kms:KeySpec", "SYMMETRIC_DEFAULT");
            c.set("kms:KeyUsage", "ENCRYPT_DECRYPT");
            c.set("kms:KeyOrigin", "AWS_KMS");
            let aliases: Vec<String> = self
                .kms
                .aliases_of(key.id)
                .map(|a| a.name.to_string())
                .collect();
            if !aliases.is_empty() {
                c.set_all("kms:ResourceAliases", aliases);
            }
        }
        if let Some(alias) = extras.request_alias {
            c.set("kms:RequestAlias", alias);
        }
        if let Some(context) = extras.encryption_context
            && !context.is_empty()
        {
            for (k, v) in context.pairs() {
                c.set(&format!("kms:EncryptionContext:{k}"), v);
                c.add("kms:EncryptionContextKeys", k);
            }
        }
        if let Some(grant) = extras.grant {
            c.set_all("kms:GrantOperations", grant.operations.clone());
            c.set("kms:GranteePrincipal", grant.grantee.clone());
            if let Some(r) = &grant.retiring {
                c.set("kms:RetiringPrincipal", r.clone());
            }
            c.set(
                "kms:GrantIsForAWSResource",
                if caller.via_service.is_some() {
                    "true"
                } else {
                    "false"
                },
            );
        }
        c
    }

    /// The evaluation of `action` by `caller` on `target`, without side effects.
    pub(crate) fn evaluation(
        &self,
        caller: &Caller,
        action: &str,
        target: &Target<'_>,
        extras: &Extras<'_>,
    ) -> Authorization {
        let identity_policies = caller
            .principal
            .account()
            .and_then(|a| self.accounts.get(a))
            .map(|a| a.identity_policies(&caller.principal))
            .unwrap_or_default();
        let (resource_arn, resource_account, resource_policy, grants, key) = match target {
            Target::Key(key) => (
                key.arn(),
                &key.account,
                Some((format!("key policy of {}", key.arn()), &key.policy.document)),
                self.kms.grants.get(&key.id),
                Some(*key),
            ),
            Target::Policy {
                name,
                arn,
                account,
                policy,
            } => (
                arn.clone(),
                *account,
                Some((name.clone(), *policy)),
                None,
                None,
            ),
            Target::Account { arn, account } => (arn.clone(), *account, None, None, None),
        };
        // Only grants naming the caller (or, for a session, its role) can apply.
        let mut grantees = alloc::vec![caller.principal.arn()];
        if let Principal::AssumedRole { account, role, .. } = &caller.principal {
            grantees.push(Principal::Role(account.clone(), role.clone()).arn());
        }
        let candidates: Vec<&Grant> = grants
            .map(|g| g.for_grantees(&grantees).collect())
            .unwrap_or_default();
        let other_grants = grants.map_or(0, |g| g.len()) - candidates.len();
        evaluate(&Evaluation {
            caller,
            action,
            resource_arn: &resource_arn,
            resource_account,
            resource_policy,
            identity_policies,
            grants: candidates,
            other_grants,
            grant_tokens: extras.grant_tokens,
            encryption_context: extras.encryption_context,
            context: self.request_context(caller, key, extras),
            now: self.now,
        })
    }

    /// Authorizes, records the decision (and the key as a resource of the call).
    pub(crate) fn authorize(
        &self,
        caller: &Caller,
        action: &str,
        target: Target<'_>,
        extras: &Extras<'_>,
        rec: &mut CallRecord,
    ) -> Result<(), KmsError> {
        if let Target::Key(key) = &target {
            rec.touch(&key.account, key.arn());
        }
        let decision = self.evaluation(caller, action, &target, extras);
        let verdict = decision.require();
        rec.authorizations.push(decision);
        verdict
    }

    /// Dry run, like AWS's policy simulator: could `caller` perform `action`
    /// on the key `key_id` names, with this encryption context? Nothing is
    /// executed, audited or logged.
    pub fn simulate(
        &self,
        caller: &Caller,
        action: &str,
        key_id: &str,
        encryption_context: Option<&EncryptionContext>,
    ) -> Result<Authorization, KmsError> {
        let id = self.locate_key(caller, key_id)?;
        let key = self
            .kms
            .keys
            .get(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))?;
        let alias = crate::ids::KeyReference::parse(key_id)
            .ok()
            .filter(|r| r.is_alias())
            .map(|_| key_id);
        let extras = Extras {
            encryption_context,
            request_alias: alias,
            ..Extras::default()
        };
        Ok(self.evaluation(caller, action, &Target::Key(key), &extras))
    }
}
