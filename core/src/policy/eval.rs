//! Matching one policy's statements against a request, statement by
//! statement, keeping a trace of every element compared.

use super::condition::{ConditionTrace, RequestContext};
use super::document::{Effect, PolicyDocument, PrincipalElement, Statement};
use super::glob;
use crate::ids::AccountId;
use crate::principal::Principal;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

/// How a statement's `Principal` matched the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PrincipalMatch {
    /// An identity policy: it applies to the identity it is attached to.
    AttachedIdentity,
    /// The statement names the caller itself (or, for a session, its role).
    Named,
    /// `*` (or `NotPrincipal` that does not list the caller).
    Anyone,
    /// The statement names the caller's account (`arn:aws:iam::<acct>:root`
    /// or the bare id): in a key policy this delegates to IAM in that account.
    Account(AccountId),
    /// The statement does not name the caller.
    NoMatch,
}

/// Whether one element matched, and what was compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ElementTrace {
    /// Whether it matched.
    pub matched: bool,
    /// What was compared, in words.
    pub detail: String,
}

/// How one statement fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatementTrace {
    /// `Statement 2 (Sid "Allow use of the key")`.
    pub label: String,
    /// Allow or Deny.
    pub effect: Effect,
    /// How the principal matched.
    pub principal: PrincipalMatch,
    /// The principal comparison, in words.
    pub principal_detail: String,
    /// The action comparison.
    pub action: ElementTrace,
    /// The resource comparison.
    pub resource: ElementTrace,
    /// Each condition.
    pub conditions: Vec<ConditionTrace>,
    /// Whether the statement applies to this request (every element matched).
    pub applies: bool,
}

/// What is being asked, in the terms statements are matched against.
pub struct Subject<'a> {
    /// Who asks.
    pub principal: &'a Principal,
    /// Its ARN (computed once per decision).
    pub principal_arn: &'a str,
    /// The IAM action.
    pub action: &'a str,
    /// The resource ARN (`*` for actions without a resource).
    pub resource: &'a str,
    /// The request's condition keys.
    pub context: &'a RequestContext,
}

fn aws_principal_matches(value: &str, caller: &Principal) -> PrincipalMatch {
    if value == "*" {
        return if matches!(caller, Principal::Service(_)) {
            PrincipalMatch::NoMatch
        } else {
            PrincipalMatch::Anyone
        };
    }
    let account_named = AccountId::parse(value).ok().or_else(|| {
        value
            .strip_prefix("arn:aws:iam::")
            .and_then(|r| r.strip_suffix(":root"))
            .and_then(|a| AccountId::parse(a).ok())
    });
    if let Some(account) = account_named {
        return if caller.account() == Some(&account) {
            PrincipalMatch::Account(account)
        } else {
            PrincipalMatch::NoMatch
        };
    }
    let named = match caller {
        Principal::AssumedRole { account, role, .. } => {
            value == caller.arn() || value == Principal::Role(account.clone(), role.clone()).arn()
        }
        _ => value == caller.arn(),
    };
    if named {
        PrincipalMatch::Named
    } else {
        PrincipalMatch::NoMatch
    }
}

fn principal_element_matches(element: &PrincipalElement, caller: &Principal) -> PrincipalMatch {
    match element {
        PrincipalElement::Anyone => PrincipalMatch::Anyone,
        PrincipalElement::Named { aws, service } => {
            let mut best = PrincipalMatch::NoMatch;
            for value in aws.iter().flat_map(|v| v.items.iter()) {
                match aws_principal_matches(value, caller) {
                    PrincipalMatch::NoMatch => {}
                    // Naming the principal itself beats naming its account.
                    m @ (PrincipalMatch::Named | PrincipalMatch::Anyone) => return m,
                    m => best = m,
                }
            }
            if let Principal::Service(s) = caller
                && service
                    .iter()
                    .flat_map(|v| v.items.iter())
                    .any(|v| v == s.principal())
            {
                return PrincipalMatch::Named;
            }
            best
        }
    }
}

fn describe_principal(m: &PrincipalMatch, caller: &str) -> String {
    match m {
        PrincipalMatch::AttachedIdentity => format!("attached to {caller}"),
        PrincipalMatch::Named => format!("names {caller}"),
        PrincipalMatch::Anyone => String::from("applies to any principal (\"*\")"),
        PrincipalMatch::Account(a) => {
            format!("names account {a}: delegates to IAM policies in that account")
        }
        PrincipalMatch::NoMatch => format!("does not name {caller}"),
    }
}

impl Statement {
    /// Evaluates this statement for `subject`; `identity` is true for an
    /// identity policy (no `Principal` element).
    pub fn evaluate(&self, index: usize, subject: &Subject<'_>, identity: bool) -> StatementTrace {
        let principal = if identity {
            PrincipalMatch::AttachedIdentity
        } else if let Some(p) = &self.principal {
            principal_element_matches(p, subject.principal)
        } else if let Some(np) = &self.not_principal {
            match principal_element_matches(np, subject.principal) {
                PrincipalMatch::NoMatch => PrincipalMatch::Anyone,
                _ => PrincipalMatch::NoMatch,
            }
        } else {
            PrincipalMatch::NoMatch
        };
        let listed = |items: &[String]| items.join(", ");
        let action_hit = self
            .actions
            .items
            .iter()
            .any(|a| glob::matches(a, subject.action, true));
        let action_matched = action_hit != self.not_action;
        let action = ElementTrace {
            matched: action_matched,
            detail: format!(
                "{} {} {}[{}]",
                subject.action,
                if action_hit { "matches" } else { "is not in" },
                if self.not_action { "NotAction " } else { "" },
                listed(&self.actions.items)
            ),
        };
        let resource_hit = self
            .resources
            .items
            .iter()
            .any(|r| glob::matches(r, subject.resource, false));
        let resource_matched = resource_hit != self.not_resource;
        let resource = ElementTrace {
            matched: resource_matched,
            detail: format!(
                "{} {} {}[{}]",
                subject.resource,
                if resource_hit { "matches" } else { "is not in" },
                if self.not_resource {
                    "NotResource "
                } else {
                    ""
                },
                listed(&self.resources.items)
            ),
        };
        let conditions: Vec<ConditionTrace> = self
            .conditions
            .iter()
            .map(|c| c.evaluate(subject.context))
            .collect();
        let applies = principal != PrincipalMatch::NoMatch
            && action_matched
            && resource_matched
            && conditions.iter().all(|c| c.matched);
        StatementTrace {
            label: self.label(index),
            effect: self.effect,
            principal_detail: describe_principal(&principal, subject.principal_arn),
            principal,
            action,
            resource,
            conditions,
            applies,
        }
    }
}

impl PolicyDocument {
    /// Evaluates every statement.
    pub fn evaluate(&self, subject: &Subject<'_>, identity: bool) -> Vec<StatementTrace> {
        self.statements
            .iter()
            .enumerate()
            .map(|(i, s)| s.evaluate(i, subject, identity))
            .collect()
    }
}
