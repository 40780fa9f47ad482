//! The IAM policy grammar, parsed from JSON into typed documents.
//!
//! Parsing is strict where AWS is strict and names the offending element:
//! `Statement 2 (Sid "Allow use"): unknown element "Actions"`. Every error is a
//! `MalformedPolicyDocumentException`.

use super::condition::{Condition, SetQualifier};
use super::context::{is_pair_key, strip_prefix_ignoring_case};
use super::glob::Shape;
pub use super::values::{Values, statement_label};
use super::values::{malformed_policy, parse_values};
use crate::error::KmsError;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Map, Value};

/// What kind of policy a document is; the rules for `Principal` differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// A key policy: every statement names a principal.
    Key,
    /// A role trust policy: every statement names a principal.
    Trust,
    /// An IAM identity policy: statements never name a principal.
    Identity,
}

impl PolicyKind {
    fn max_bytes(self) -> usize {
        match self {
            PolicyKind::Key => 32 * 1024,
            // IAM counts a trust policy without white space and answers
            // LimitExceeded ("Cannot exceed quota for ACLSizePerRole:
            // 2048"); that check measured +93 B of the page's first load,
            // so the raw length is checked, as a malformed document.
            PolicyKind::Trust => 2048,
            // IAM's document limit; the quota on a user's or role's inline
            // policies together (crate::iam) is what binds first.
            PolicyKind::Identity => 128 * 1024,
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Effect {
    /// Grants what the statement matches.
    Allow,
    /// Refuses what the statement matches; always wins.
    Deny,
}

/// A `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalElement {
    /// `"*"`: everyone.
    Anyone,
    /// `{"AWS": ..., "Service": ...}`.
    Named {
        /// AWS principals: `*`, account ids, root, user, role, assumed-role ARNs.
        aws: Option<Values>,
        /// Service principals such as `rds.amazonaws.com`.
        service: Option<Values>,
    },
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement's id, if it has one.
    pub sid: Option<String>,
    /// Allow or Deny.
    pub effect: Effect,
    /// Who it applies to (key and trust policies).
    pub principal: Option<PrincipalElement>,
    /// Who it does not apply to.
    pub not_principal: Option<PrincipalElement>,
    /// The actions, or (when `not_action`) the actions it does not cover.
    pub actions: Values,
    /// Whether the actions were written as `NotAction`.
    pub not_action: bool,
    /// The resources, or (when `not_resource`) the resources it does not cover.
    pub resources: Values,
    /// Whether the resources were written as `NotResource`.
    pub not_resource: bool,
    /// A role trust policy names no resource (it applies to its role):
    /// `resources` is then `*`, implied, and not written back.
    pub resource_implied: bool,
    /// Conditions, all of which must hold.
    pub conditions: Vec<Condition>,
    /// A key policy statement written without `Action` or `Resource` (the
    /// element named): KMS accepts it and it never applies.
    pub missing: Option<&'static str>,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// `2012-10-17` (or the older `2008-10-17`).
    pub version: Option<String>,
    /// The policy's id.
    pub id: Option<String>,
    /// The statements, in order.
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as a single object.
    pub single_statement: bool,
}

fn principal(label: &str, element: &str, value: &Value) -> Result<PrincipalElement, KmsError> {
    match value {
        Value::String(s) if s == "*" => Ok(PrincipalElement::Anyone),
        Value::Object(map) => {
            let mut aws = None;
            let mut service = None;
            for (kind, v) in map {
                match kind.as_str() {
                    "AWS" => aws = Some(parse_values(label, &format!("{element}.AWS"), v)?),
                    "Service" => {
                        service = Some(parse_values(label, &format!("{element}.Service"), v)?)
                    }
                    "Federated" | "CanonicalUser" => {
                        return Err(malformed_policy(format!(
                            "{label}: {element} type \"{kind}\" is valid in AWS but not simulated here; use \"AWS\" or \"Service\""
                        )));
                    }
                    other => {
                        return Err(malformed_policy(format!(
                            "{label}: unknown principal type \"{other}\" in {element}"
                        )));
                    }
                }
            }
            if aws.is_none() && service.is_none() {
                return Err(malformed_policy(format!(
                    "{label}: {element} names no principal"
                )));
            }
            Ok(PrincipalElement::Named { aws, service })
        }
        _ => Err(malformed_policy(format!(
            "{label}: {element} must be \"*\" or an object such as {{\"AWS\": ...}}"
        ))),
    }
}

impl PolicyDocument {
    /// Parses and validates a policy of `kind`.
    pub fn parse(text: &str, kind: PolicyKind) -> Result<Self, KmsError> {
        if text.len() > kind.max_bytes() {
            let message = format!(
                "The policy is {} bytes; the limit for this kind of policy is {} bytes.",
                text.len(),
                kind.max_bytes()
            );
            // KMS answers an oversize key policy with LimitExceededException.
            return Err(match kind {
                PolicyKind::Key => KmsError::LimitExceededException(message),
                _ => malformed_policy(message),
            });
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| malformed_policy(format!("The policy is not valid JSON: {e}")))?;
        let Value::Object(top) = value else {
            return Err(malformed_policy("The policy must be a JSON object.".into()));
        };
        let mut version = None;
        let mut id = None;
        let mut statement = None;
        for (k, v) in &top {
            match k.as_str() {
                "Version" => match v.as_str() {
                    Some(s @ ("2012-10-17" | "2008-10-17")) => version = Some(s.to_string()),
                    _ => {
                        return Err(malformed_policy(format!(
                            "Version must be \"2012-10-17\" (found {v})"
                        )));
                    }
                },
                "Id" => {
                    id = Some(
                        v.as_str()
                            .ok_or_else(|| malformed_policy("Id must be a string".into()))?
                            .to_string(),
                    )
                }
                "Statement" => statement = Some(v),
                other => {
                    return Err(malformed_policy(format!(
                        "Unknown element \"{other}\" at the top of the policy"
                    )));
                }
            }
        }
        let (items, single_statement) = match statement {
            Some(Value::Array(items)) if !items.is_empty() => {
                (items.iter().collect::<Vec<_>>(), false)
            }
            Some(o @ Value::Object(_)) => (vec![o], true),
            Some(_) => {
                return Err(malformed_policy(
                    "Statement must be an object or a non-empty list of objects".into(),
                ));
            }
            None => return Err(malformed_policy("The policy has no Statement".into())),
        };
        let mut statements = items
            .into_iter()
            .enumerate()
            .map(|(i, s)| Statement::parse(i, s, kind))
            .collect::<Result<Vec<_>, _>>()?;
        if kind == PolicyKind::Key {
            check_key_policy_conditions(&statements)?;
        }
        // Policy variables are read in the current version only.
        if version.as_deref() == Some("2012-10-17") {
            for s in &mut statements {
                s.resources.mark_variables();
                s.conditions.iter_mut().for_each(Condition::mark_variables);
            }
        }
        Ok(Self {
            version,
            id,
            statements,
            single_statement,
        })
    }

    /// Whether a condition tests the time (`aws:CurrentTime`): then the
    /// same request can be answered differently later without any change.
    pub fn tests_time(&self) -> bool {
        self.statements
            .iter()
            .flat_map(|s| &s.conditions)
            .any(|c| c.key.eq_ignore_ascii_case("aws:CurrentTime"))
    }

    /// The document as JSON equivalent to what was parsed.
    pub fn to_json(&self) -> Value {
        let mut top = Map::new();
        if let Some(v) = &self.version {
            top.insert("Version".into(), Value::String(v.clone()));
        }
        if let Some(id) = &self.id {
            top.insert("Id".into(), Value::String(id.clone()));
        }
        let statements: Vec<Value> = self.statements.iter().map(Statement::to_json).collect();
        top.insert(
            "Statement".into(),
            if self.single_statement && statements.len() == 1 {
                statements.into_iter().next().unwrap_or(Value::Null)
            } else {
                Value::Array(statements)
            },
        );
        Value::Object(top)
    }
}

/// What KMS refuses in a key policy's conditions:
/// - `ForAllValues` with a single-valued key, an encryption context pair or
///   a request tag (KMS developer guide, "kms:EncryptionContext:context-key",
///   which quotes the message);
/// - the keys KMS supports in IAM policies only: a key policy applies to one
///   key, so its tags and aliases are not for it to test (the guide's ABAC
///   table: `aws:ResourceTag/*` and `kms:ResourceAliases`, "IAM policy
///   only"). That wording is what KMS was seen answering; AWS does not
///   document it.
fn check_key_policy_conditions(statements: &[Statement]) -> Result<(), KmsError> {
    let prefixed = |key: &str, prefix: &str| strip_prefix_ignoring_case(key, prefix).is_some();
    let mut found: Vec<&str> = Vec::new();
    for c in statements.iter().flat_map(|s| &s.conditions) {
        let key = c.key.as_str();
        if c.operator.set == Some(SetQualifier::ForAllValues) {
            let what = if is_pair_key(key) {
                "encryption context"
            } else if prefixed(key, "aws:RequestTag/") {
                "tag"
            } else {
                ""
            };
            if !what.is_empty() {
                return Err(malformed_policy(format!(
                    "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified {what} or with an unspecified {what}. To fix, remove ForAllValues."
                )));
            }
        }
        let iam_only =
            key.eq_ignore_ascii_case("kms:ResourceAliases") || prefixed(key, "aws:ResourceTag/");
        if iam_only && !found.iter().any(|f| f.eq_ignore_ascii_case(key)) {
            found.push(key);
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    Err(malformed_policy(format!(
        "These condition keys are not permitted in a key policy: {}",
        found.join(", ")
    )))
}

impl Statement {
    fn parse(index: usize, value: &Value, kind: PolicyKind) -> Result<Self, KmsError> {
        let Value::Object(map) = value else {
            return Err(malformed_policy(format!(
                "{}: a statement must be a JSON object",
                statement_label(index, None)
            )));
        };
        let sid = match map.get("Sid") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                return Err(malformed_policy(format!(
                    "{}: Sid must be a string",
                    statement_label(index, None)
                )));
            }
        };
        let label = statement_label(index, sid.as_deref());
        let mut effect = None;
        let mut principal_el = None;
        let mut not_principal = None;
        let mut actions = None;
        let mut resources = None;
        let mut conditions = Vec::new();
        for (k, v) in map {
            match k.as_str() {
                "Sid" => {}
                "Effect" => {
                    effect = Some(match v.as_str() {
                        Some("Allow") => Effect::Allow,
                        Some("Deny") => Effect::Deny,
                        _ => {
                            return Err(malformed_policy(format!(
                                "{label}: Effect must be \"Allow\" or \"Deny\" (found {v})"
                            )));
                        }
                    })
                }
                "Principal" => principal_el = Some(principal(&label, "Principal", v)?),
                "NotPrincipal" => not_principal = Some(principal(&label, "NotPrincipal", v)?),
                "Action" | "NotAction" => {
                    if actions.is_some() {
                        return Err(malformed_policy(format!(
                            "{label}: use either Action or NotAction, not both"
                        )));
                    }
                    actions = Some((parse_values(&label, k, v)?, k == "NotAction"));
                }
                "Resource" | "NotResource" => {
                    if resources.is_some() {
                        return Err(malformed_policy(format!(
                            "{label}: use either Resource or NotResource, not both"
                        )));
                    }
                    resources = Some((parse_values(&label, k, v)?, k == "NotResource"));
                }
                "Condition" => conditions = Condition::parse_block(&label, v)?,
                other => {
                    return Err(malformed_policy(format!(
                        "{label}: unknown element \"{other}\""
                    )));
                }
            }
        }
        let effect = effect.ok_or_else(|| malformed_policy(format!("{label}: missing Effect")))?;
        // "If either of the required Resource or Action elements are
        // missing from a key policy statement, the policy statement has no
        // effect. When a key policy statement is missing one of these
        // elements, the KMS console correctly reports an error, but the
        // PutKeyPolicy API request succeeds" (KMS API reference,
        // PutKeyPolicy, Policy). IAM policies must have both.
        let nothing = || Values {
            items: Vec::new(),
            was_list: true,
            shapes: Vec::new(),
        };
        let mut missing = None;
        let (actions, not_action) = match actions {
            Some(a) => a,
            None if kind == PolicyKind::Key => {
                missing = Some("Action");
                (nothing(), false)
            }
            None => {
                return Err(malformed_policy(format!(
                    "Policy statement must contain actions. ({label}: missing Action)"
                )));
            }
        };
        for action in &actions.items {
            if action != "*" && !action.contains(':') {
                return Err(malformed_policy(format!(
                    "{label}: action \"{action}\" must look like service:Action, for example kms:Decrypt"
                )));
            }
        }
        // IAM user guide, role trust policies: "You cannot specify a
        // resource. Remove the Resource or NotResource element" (Access
        // Analyzer's check), nor NotPrincipal ("You cannot use the
        // NotPrincipal element in an IAM identity-based policy or in an IAM
        // role trust policy"). IAM's wire text, captured from CreateRole:
        // "Has prohibited field Resource".
        let resource_implied = kind == PolicyKind::Trust;
        if resource_implied {
            let prohibited = match (&resources, &not_principal) {
                (Some((_, false)), _) => Some("Resource"),
                (Some((_, true)), _) => Some("NotResource"),
                (None, Some(_)) => Some("NotPrincipal"),
                (None, None) => None,
            };
            if let Some(field) = prohibited {
                return Err(malformed_policy(format!("Has prohibited field {field}")));
            }
        }
        let (resources, not_resource) = match resources {
            Some(r) => r,
            None if resource_implied => (
                Values {
                    items: vec!["*".into()],
                    was_list: false,
                    shapes: vec![Shape::of("*")],
                },
                false,
            ),
            None if kind == PolicyKind::Key => {
                missing = missing.or(Some("Resource"));
                (nothing(), false)
            }
            // IAM's words (as emulators that check against AWS report
            // them), then which statement.
            None => {
                return Err(malformed_policy(format!(
                    "Policy statement must contain resources. ({label}: missing Resource)"
                )));
            }
        };
        let names_principal = principal_el.is_some() || not_principal.is_some();
        match kind {
            // KMS's words, captured from AWS: "Policy contains a statement
            // with no principal."
            PolicyKind::Key if !names_principal => {
                return Err(malformed_policy(format!(
                    "Policy contains a statement with no principal. ({label}: every statement of a key policy names one)"
                )));
            }
            // IAM documents no text for a trust policy without Principal;
            // "Missing required field Principal" is what IAM-family
            // validators answer for resource policies (a choice).
            PolicyKind::Trust if !names_principal => {
                return Err(malformed_policy(format!(
                    "Missing required field Principal. ({label}: a trust policy names who may assume the role)"
                )));
            }
            PolicyKind::Identity if names_principal => {
                // IAM's words, captured from AWS: "Policy document should
                // not specify a principal."
                return Err(malformed_policy(format!(
                    "Policy document should not specify a principal. ({label}: an identity policy applies to the user or role it is attached to)"
                )));
            }
            _ => {}
        }
        Ok(Self {
            sid,
            effect,
            principal: principal_el,
            not_principal,
            actions,
            not_action,
            resources,
            not_resource,
            resource_implied,
            conditions,
            missing,
        })
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(sid) = &self.sid {
            m.insert("Sid".into(), Value::String(sid.clone()));
        }
        m.insert(
            "Effect".into(),
            Value::String(match self.effect {
                Effect::Allow => "Allow".into(),
                Effect::Deny => "Deny".into(),
            }),
        );
        let principal_json = |p: &PrincipalElement| match p {
            PrincipalElement::Anyone => Value::String("*".into()),
            PrincipalElement::Named { aws, service } => {
                let mut o = Map::new();
                if let Some(a) = aws {
                    o.insert("AWS".into(), a.to_json());
                }
                if let Some(s) = service {
                    o.insert("Service".into(), s.to_json());
                }
                Value::Object(o)
            }
        };
        if let Some(p) = &self.principal {
            m.insert("Principal".into(), principal_json(p));
        }
        if let Some(p) = &self.not_principal {
            m.insert("NotPrincipal".into(), principal_json(p));
        }
        // An element a key policy left out stays left out.
        let written = |v: &Values| self.missing.is_none() || !v.items.is_empty();
        if written(&self.actions) {
            m.insert(
                if self.not_action {
                    "NotAction"
                } else {
                    "Action"
                }
                .into(),
                self.actions.to_json(),
            );
        }
        if !self.resource_implied && written(&self.resources) {
            m.insert(
                if self.not_resource {
                    "NotResource"
                } else {
                    "Resource"
                }
                .into(),
                self.resources.to_json(),
            );
        }
        if !self.conditions.is_empty() {
            let mut block: Map<String, Value> = Map::new();
            for c in &self.conditions {
                let entry = block
                    .entry(c.operator.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = entry {
                    keys.insert(c.key.clone(), c.values.to_json());
                }
            }
            m.insert("Condition".into(), Value::Object(block));
        }
        Value::Object(m)
    }

    /// The label used in errors and explanations.
    pub fn label(&self, index: usize) -> String {
        statement_label(index, self.sid.as_deref())
    }
}
