//! Explanations, written only when asked: the sentence a decision reads
//! as, and the full view a learner opens (every policy, statement, element,
//! condition with both sides' values, and grant). The decision itself
//! ([`super::authorize`]) records references; this module turns them into
//! words.

use super::authorize::*;
use super::eval::{PrincipalMatch, StatementTrace, Subject};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

/// A request condition key and its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContextEntry {
    /// The key.
    pub key: String,
    /// Its values.
    pub values: Vec<String>,
}

/// One policy considered, statement by statement, as a learner reads it.
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

/// A decision written out in full for a learner: every policy, statement,
/// element, condition (with both sides' values) and grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthorizationView {
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
    /// The rule in a few words, as the page labels the decision.
    pub rule_name: &'static str,
    /// What the decision was for.
    pub purpose: Purpose,
    /// The decision in one sentence.
    pub explanation: String,
    /// For a cross-account decision, each side's answer.
    pub sides: Option<Sides>,
    /// The request's condition keys.
    pub request_context: Vec<ContextEntry>,
    /// Every policy considered.
    pub policies: Vec<PolicyTrace>,
    /// Every grant that names the caller, and whether it applied.
    pub grants: Vec<GrantTrace>,
    /// How many grants on the key name other principals (not considered).
    pub other_grants: usize,
}

impl AuthorizationView {
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

/// A decision serializes as its full view (rendered then).
impl Serialize for Authorization {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.view().serialize(s)
    }
}

impl Authorization {
    fn policy_name(&self, p: &Considered) -> String {
        match &p.role {
            PolicyRole::KeyPolicy => format!("key policy of {}", self.resource),
            PolicyRole::DraftKeyPolicy => String::from("new key policy"),
            PolicyRole::TrustPolicy => format!("trust policy of {}", self.resource),
            PolicyRole::Identity(owner) => {
                format!("identity policy \"{}\" of {owner}", p.policy.name)
            }
        }
    }

    fn statement_name(&self, at: &StatementRef) -> String {
        let p = &self.policies[at.policy];
        format!(
            "{} of the {}",
            p.document().statements[at.statement].label(at.statement),
            self.policy_name(p)
        )
    }

    /// How a resource policy statement lets a caller of another account in:
    /// by naming it (its role, for a session) or its account.
    fn whom_it_names(&self, at: &StatementRef) -> &'static str {
        match self.results[self.policies.start_of(at.policy) + at.statement].principal {
            PrincipalMatch::Named => "names the caller",
            PrincipalMatch::Anyone => "allows any principal",
            _ => "allows the caller's account",
        }
    }

    fn identity_reason(&self, at: &Option<StatementRef>) -> String {
        match at {
            Some(at) => self.statement_name(at),
            None => String::from("the root user (never limited by IAM policies)"),
        }
    }

    /// The deciding rule in a few words. The account root is allowed
    /// without any IAM policy: its label does not say "IAM allows".
    pub fn rule_name(&self) -> &'static str {
        match (&self.reason, self.rule) {
            (Reason::IdentityAllows(None), _) => "the root user: no IAM policy needed",
            (Reason::DelegatedAllow(_, None), _) => {
                "delegated to the account: its root user needs no IAM policy"
            }
            (_, rule) => rule.words(),
        }
    }

    /// The decision in one sentence.
    pub fn explanation(&self) -> String {
        let principal = &self.principal;
        let action = self.action;
        match &self.reason {
            Reason::ExplicitDeny(at) => {
                let statement = &self.policies[at.policy].document().statements[at.statement];
                let because = statement
                    .not_principal_detail(&self.principal_id, principal)
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                format!(
                    "{} explicitly denies {action}{because}: an explicit deny always wins.",
                    self.statement_name(at)
                )
            }
            Reason::IdentityAllows(at) => format!("Allowed by {}.", self.identity_reason(at)),
            Reason::ForeignResourceWithoutPolicy => format!(
                "{} belongs to another account; nothing allows {principal} to use it.",
                self.resource
            ),
            Reason::NoIdentityAllow => {
                format!("No identity policy of {principal} allows {action}.")
            }
            Reason::NotCrossAccount => {
                format!("{action} is not an operation KMS allows on a key in another account.")
            }
            Reason::DirectAllow(at) => {
                format!("{} allows {principal} directly.", self.statement_name(at))
            }
            Reason::DelegatedAllow(at, identity) => format!(
                "{} delegates to IAM in account {}, and {} allows {action}.",
                self.statement_name(at),
                self.resource_account,
                self.identity_reason(identity)
            ),
            Reason::CrossAccountAllow(at, identity) => format!(
                "{} {}, and {} in that account allows {action}: cross-account use needs both.",
                self.statement_name(at),
                self.whom_it_names(at),
                self.identity_reason(identity)
            ),
            Reason::Grant(i) => self.grants[*i].trace(action).detail,
            Reason::Retirement(who) => match who {
                Retirer::RetiringPrincipal => {
                    format!("{principal} is the grant's retiring principal.")
                }
                Retirer::Grantee => {
                    format!("{principal} is the grant's grantee, and the grant allows RetireGrant.")
                }
                Retirer::IssuingAccount => {
                    format!("{principal} is the root of the account that created the grant.")
                }
                Retirer::Nobody => format!(
                    "Only the grant's retiring principal, its grantee (if the grant allows RetireGrant), or the root of the account that created it can retire it; {principal} is none of them."
                ),
            },
            Reason::NothingAllows => format!(
                "No statement of the {} allows {principal} to perform {action}, and no grant does.",
                self.policies
                    .first()
                    .map(|p| self.policy_name(p))
                    .unwrap_or_default()
            ),
            Reason::DelegatedWithoutIdentity(at) => format!(
                "{} delegates to IAM in account {}, but no identity policy of {principal} allows {action}.",
                self.statement_name(at),
                self.resource_account
            ),
            Reason::CrossAccountWithoutIdentity(at) => format!(
                "{} {}, but no identity policy of {principal} in that account allows {action}: cross-account use needs both.",
                self.statement_name(at),
                self.whom_it_names(at)
            ),
        }
    }

    /// The whole decision in words.
    pub fn view(&self) -> AuthorizationView {
        let subject = Subject {
            principal: &self.principal_id,
            principal_arn: &self.principal,
            action: self.action,
            resource: &self.resource,
            context: &self.context,
        };
        let policies = self
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| PolicyTrace {
                name: self.policy_name(p),
                source: p.source(),
                statements: p
                    .document()
                    .statements
                    .iter()
                    .enumerate()
                    .map(|(j, s)| {
                        s.trace(j, &self.results[self.policies.start_of(i) + j], &subject)
                    })
                    .collect(),
            })
            .collect();
        AuthorizationView {
            principal: self.principal.to_string(),
            action: self.action.into(),
            resource: self.resource.to_string(),
            allowed: self.allowed,
            rule: self.rule,
            rule_name: self.rule_name(),
            purpose: self.purpose,
            explanation: self.explanation(),
            sides: self.sides(),
            request_context: self
                .context
                .entries()
                .into_iter()
                .map(|(key, values)| ContextEntry { key, values })
                .collect(),
            policies,
            grants: self.grants.iter().map(|g| g.trace(self.action)).collect(),
            other_grants: self.other_grants,
        }
    }
}
