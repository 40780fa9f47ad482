//! Matching one policy's statements against a request. The hot path keeps
//! a compact result per statement (which element failed, which condition);
//! the words a learner reads are written from it only when asked
//! ([`Statement::trace`]).

use super::condition::{ConditionTrace, RequestContext};
use super::document::{Effect, PolicyDocument, PrincipalElement, Statement};
use crate::ids::AccountId;
use crate::principal::Principal;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

/// How a statement's `Principal` matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PrincipalMatch {
    /// An identity policy: it applies to the identity it is attached to.
    AttachedIdentity,
    /// The statement names the caller itself (or, for a session, its role).
    Named,
    /// `*` (or `NotPrincipal` that does not list the caller).
    Anyone,
    /// The statement names the caller's account (`arn:aws:iam::<acct>:root`
    /// or the bare id): in a key policy this delegates to IAM in that account.
    Account,
    /// The statement does not name the caller.
    NoMatch,
}

/// How one statement fared, compactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementResult {
    /// How the principal matched.
    pub principal: PrincipalMatch,
    /// Whether the action is among the statement's actions (before NotAction).
    pub action_hit: bool,
    /// Whether the resource is among its resources (before NotResource).
    pub resource_hit: bool,
    /// The first condition that did not hold, if the statement got that far.
    pub failed_condition: Option<u16>,
    /// Whether the statement applies to the request.
    pub applies: bool,
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

/// How one statement fared, as a learner reads it.
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

fn aws_principal_matches(value: &str, caller: &Principal, caller_arn: &str) -> PrincipalMatch {
    if value == "*" {
        return if matches!(caller, Principal::Service(_)) {
            PrincipalMatch::NoMatch
        } else {
            PrincipalMatch::Anyone
        };
    }
    let account_named = value
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_suffix(":root"))
        .unwrap_or(value);
    if account_named.len() == 12 && account_named.bytes().all(|b| b.is_ascii_digit()) {
        return if caller.account().map(AccountId::as_str) == Some(account_named) {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::NoMatch
        };
    }
    let named = match caller {
        Principal::AssumedRole { account, role, .. } => {
            value == caller_arn || role_arn_is(value, account, role)
        }
        _ => value == caller_arn,
    };
    if named {
        PrincipalMatch::Named
    } else {
        PrincipalMatch::NoMatch
    }
}

/// Whether `value` is `arn:aws:iam::<account>:role/<role>`, without building it.
fn role_arn_is(value: &str, account: &AccountId, role: &str) -> bool {
    value
        .strip_prefix("arn:aws:iam::")
        .and_then(|v| v.strip_prefix(account.as_str()))
        .and_then(|v| v.strip_prefix(":role/"))
        == Some(role)
}

fn principal_element_matches(
    element: &PrincipalElement,
    caller: &Principal,
    caller_arn: &str,
) -> PrincipalMatch {
    match element {
        PrincipalElement::Anyone => PrincipalMatch::Anyone,
        PrincipalElement::Named { aws, service } => {
            let mut best = PrincipalMatch::NoMatch;
            for value in aws.iter().flat_map(|v| v.items.iter()) {
                match aws_principal_matches(value, caller, caller_arn) {
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

/// One identity a request carries: the caller, the role it is a session
/// of, the account it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Caller,
    Role,
    Account,
}

/// The first identity in the caller's chain that a `NotPrincipal` element
/// does not list, or `None` when every one is listed (the caller is exempt).
///
/// AWS evaluates a request against the caller and the identities it acts
/// through (IAM User Guide, reference_policies_elements_notprincipal): "When
/// you use NotPrincipal with Deny, you must also specify the account ARN of
/// the not-denied principal. Otherwise, the policy might deny access to the
/// entire account containing the principal"; for an assumed-role session
/// the guide's example lists the session, the role and the account, and
/// "if the NotPrincipal element was missing the ARN of the role, the effect
/// of the policy might be to explicitly deny access to the role". The guide
/// says "might"; the simulator takes the strict reading it recommends
/// writing for: a caller is exempt only when every link is listed.
fn unlisted_link(element: &PrincipalElement, caller: &Principal, caller_arn: &str) -> Option<Link> {
    let PrincipalElement::Named { aws, service } = element else {
        return None;
    };
    let values = || aws.iter().flat_map(|v| v.items.iter());
    let account = match caller {
        Principal::Service(s) => {
            let listed = service
                .iter()
                .flat_map(|v| v.items.iter())
                .any(|v| v == s.principal());
            return (!listed).then_some(Link::Caller);
        }
        other => other.account()?,
    };
    if values().any(|v| v == "*") {
        return None;
    }
    let names_account = |v: &String| {
        let bare = v
            .strip_prefix("arn:aws:iam::")
            .and_then(|r| r.strip_suffix(":root"))
            .unwrap_or(v);
        bare == account.as_str()
    };
    if !matches!(caller, Principal::Root(_)) && !values().any(|v| v == caller_arn) {
        return Some(Link::Caller);
    }
    if let Principal::AssumedRole { role, .. } = caller
        && !values().any(|v| role_arn_is(v, account, role))
    {
        return Some(Link::Role);
    }
    (!values().any(names_account)).then_some(Link::Account)
}

/// The `NotPrincipal` comparison, in words.
fn describe_not_principal(
    element: &PrincipalElement,
    caller: &Principal,
    caller_arn: &str,
) -> String {
    let account = caller.account().map(AccountId::as_str).unwrap_or_default();
    match unlisted_link(element, caller, caller_arn) {
        None => format!(
            "NotPrincipal lists {caller_arn} and every identity it acts through: the statement does not apply to it"
        ),
        Some(link) => {
            let missing = match (link, caller) {
                (Link::Role, Principal::AssumedRole { role, .. }) => {
                    format!("its role arn:aws:iam::{account}:role/{role}")
                }
                (Link::Account, _) => format!("its account arn:aws:iam::{account}:root"),
                _ => format!("{caller_arn} itself"),
            };
            format!(
                "NotPrincipal does not list {missing}, so the statement applies to {caller_arn} \
                 (a caller is exempt only when NotPrincipal lists it, its role and its account)"
            )
        }
    }
}

fn describe_principal(m: PrincipalMatch, caller: &Principal, caller_arn: &str) -> String {
    match m {
        PrincipalMatch::AttachedIdentity => format!("attached to {caller_arn}"),
        PrincipalMatch::Named => format!("names {caller_arn}"),
        PrincipalMatch::Anyone => String::from("applies to any principal (\"*\")"),
        PrincipalMatch::Account => format!(
            "names account {}: delegates to IAM policies in that account",
            caller.account().map(AccountId::as_str).unwrap_or_default()
        ),
        PrincipalMatch::NoMatch => format!("does not name {caller_arn}"),
    }
}

impl Statement {
    /// How this statement's `NotPrincipal` treats the caller, in words
    /// (`None` when it has no `NotPrincipal`).
    pub fn not_principal_detail(&self, caller: &Principal, caller_arn: &str) -> Option<String> {
        match (&self.principal, &self.not_principal) {
            (None, Some(np)) => Some(describe_not_principal(np, caller, caller_arn)),
            _ => None,
        }
    }

    /// Evaluates this statement for `subject`; `identity` is true for an
    /// identity policy (no `Principal` element). Stops at the first element
    /// that fails: the rest can be shown later, by [`Statement::trace`].
    pub fn evaluate(&self, subject: &Subject<'_>, identity: bool) -> StatementResult {
        let principal = if identity {
            PrincipalMatch::AttachedIdentity
        } else if let Some(p) = &self.principal {
            principal_element_matches(p, subject.principal, subject.principal_arn)
        } else if let Some(np) = &self.not_principal {
            match unlisted_link(np, subject.principal, subject.principal_arn) {
                Some(_) => PrincipalMatch::Anyone,
                None => PrincipalMatch::NoMatch,
            }
        } else {
            PrincipalMatch::NoMatch
        };
        let action_hit = self.actions.any_matches(subject.action, true);
        let resource_hit = self
            .resources
            .any_matches_in(subject.resource, false, subject.context);
        let mut result = StatementResult {
            principal,
            action_hit,
            resource_hit,
            failed_condition: None,
            applies: false,
        };
        if principal == PrincipalMatch::NoMatch
            || action_hit == self.not_action
            || resource_hit == self.not_resource
        {
            return result;
        }
        result.failed_condition = self
            .conditions
            .iter()
            .position(|c| !c.evaluate(subject.context).matched)
            .map(|i| i as u16);
        result.applies = result.failed_condition.is_none();
        result
    }

    /// The statement's result in words, every element and condition shown.
    pub fn trace(
        &self,
        index: usize,
        result: &StatementResult,
        subject: &Subject<'_>,
    ) -> StatementTrace {
        let action = self.element_trace(
            "Action",
            subject.action,
            result.action_hit,
            self.not_action,
            &self.actions,
        );
        let resource = self.element_trace(
            "Resource",
            subject.resource,
            result.resource_hit,
            self.not_resource,
            &self.resources,
        );
        StatementTrace {
            label: self.label(index),
            effect: self.effect,
            principal: result.principal,
            principal_detail: self
                .not_principal_detail(subject.principal, subject.principal_arn)
                .unwrap_or_else(|| {
                    describe_principal(result.principal, subject.principal, subject.principal_arn)
                }),
            action,
            resource,
            conditions: self
                .conditions
                .iter()
                .map(|c| c.trace(c.evaluate(subject.context), subject.context))
                .collect(),
            applies: result.applies,
        }
    }

    /// One element (`Action` or `Resource`) compared with the request.
    fn element_trace(
        &self,
        element: &str,
        requested: &str,
        hit: bool,
        inverted: bool,
        values: &super::values::Values,
    ) -> ElementTrace {
        if self.missing.is_some() && values.items.is_empty() {
            return ElementTrace {
                matched: false,
                detail: format!(
                    "the statement has no {element} element: KMS accepts such a key policy (only the console reports it), and the statement never applies"
                ),
            };
        }
        ElementTrace {
            matched: hit != inverted,
            detail: format!(
                "{requested} {} {}[{}]",
                if hit { "matches" } else { "is not in" },
                if inverted {
                    if element == "Action" {
                        "NotAction "
                    } else {
                        "NotResource "
                    }
                } else {
                    ""
                },
                values.items.join(", ")
            ),
        }
    }
}

impl PolicyDocument {
    /// Evaluates every statement, appending the results to `out`.
    pub fn evaluate_into(
        &self,
        subject: &Subject<'_>,
        identity: bool,
        out: &mut Vec<StatementResult>,
    ) {
        out.extend(
            self.statements
                .iter()
                .map(|s| s.evaluate(subject, identity)),
        );
    }

    /// Evaluates every statement.
    pub fn evaluate(&self, subject: &Subject<'_>, identity: bool) -> Vec<StatementResult> {
        let mut out = Vec::with_capacity(self.statements.len());
        self.evaluate_into(subject, identity, &mut out);
        out
    }
}
