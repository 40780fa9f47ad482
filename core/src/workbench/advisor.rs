//! The advisor: what in a key policy (or an identity policy) is dangerous,
//! which statements it concerns, why it matters in one sentence, and the
//! policy with the fix applied (the page shows it as a diff to apply).
//!
//! Each finding reads the parsed document, so it sees statements as KMS
//! evaluates them (wildcards, `NotAction`, a single statement written as an
//! object); the fix edits the JSON as written, keeping its order.

use super::{Bench, Draft, Question};
use crate::error::KmsError;
use crate::policy::condition::{BaseOperator, SetQualifier};
use crate::policy::context::{is_modelled, is_pair_key, near_miss};
use crate::policy::document::PrincipalElement;
use crate::policy::glob::Shape;
use crate::policy::variables;
use crate::policy::{Effect, PolicyDocument, PolicyKind, Statement};
use crate::world::World;
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Value, json};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// A key user may also disable the key or schedule its deletion.
    UsersMayDisableOrDelete,
    /// One principal both administers and uses the key.
    NoSeparation,
    /// `kms:*` to a principal other than the account root.
    FullAccessBeyondRoot,
    /// `Principal: "*"` allowed without a condition on the caller's account
    /// or organization.
    OpenToAnyone,
    /// A Deny for everyone that also stops the owning account and the
    /// services it uses (Aurora's background calls).
    DenyStopsServices,
    /// `ForAllValues` on `kms:EncryptionContextKeys`: true for a request
    /// with no encryption context at all.
    ForAllValuesOnEmptyContext,
    /// `kms:CreateGrant` without `kms:GrantIsForAWSResource`.
    GrantsNotOnlyForServices,
    /// Under the policy, its author could not change it again (saving it
    /// needs the lockout check bypassed).
    LocksOutAuthor,
    /// A condition tests a key the simulator never fills in: its answers
    /// here may differ from AWS's.
    UnmodelledKey,
}

impl Concern {
    /// The finding in a few words, for a heading.
    pub fn title(self) -> &'static str {
        match self {
            Concern::UsersMayDisableOrDelete => "Key users may disable or delete the key",
            Concern::NoSeparation => "Administrators and users are not separated",
            Concern::FullAccessBeyondRoot => "kms:* for a principal other than the account root",
            Concern::OpenToAnyone => "Open to any AWS account",
            Concern::DenyStopsServices => "A Deny that also stops the account's services",
            Concern::ForAllValuesOnEmptyContext => {
                "ForAllValues is true for a request without context"
            }
            Concern::GrantsNotOnlyForServices => "Grants not limited to AWS services",
            Concern::LocksOutAuthor => "Its author could not change it again",
            Concern::UnmodelledKey => "A condition key the simulator does not model",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What it is about.
    pub concern: Concern,
    /// The labels of the statements concerned (`Statement 3 (Sid: ...)`).
    pub statements: Vec<String>,
    /// Why it matters, in one sentence.
    pub why: Cow<'static, str>,
    /// The policy with the fix applied (pretty JSON), when one can be
    /// written without guessing the author's intent.
    pub fix: Option<String>,
}

/// What key users need: the console's "Allow use of the key".
const USER_ACTIONS: [&str; 5] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/// What key administrators need: the console's "Allow access for Key
/// Administrators", without `kms:Disable*`.
const ADMIN_ACTIONS: [&str; 13] = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

const USE: [&str; 3] = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"];
const DESTROY: [&str; 2] = ["kms:DisableKey", "kms:ScheduleKeyDeletion"];
const ACCOUNT_KEYS: [&str; 4] = [
    "kms:calleraccount",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:sourceaccount",
];
const SERVICE_KEYS: [&str; 4] = [
    "kms:viaservice",
    "aws:principalisawsservice",
    "aws:calledvia",
    "aws:viaawsservice",
];

fn covers(s: &Statement, action: &str) -> bool {
    s.missing.is_none() && s.actions.any_matches(action, true) != s.not_action
}

fn allows(s: &Statement, action: &str) -> bool {
    s.effect == Effect::Allow && covers(s, action)
}

/// The AWS principals a statement names (`*` for anyone).
fn principals(s: &Statement) -> Vec<&str> {
    match &s.principal {
        Some(PrincipalElement::Anyone) => vec!["*"],
        Some(PrincipalElement::Named { aws: Some(v), .. }) => {
            v.items.iter().map(String::as_str).collect()
        }
        _ => Vec::new(),
    }
}

fn is_root(p: &str) -> bool {
    p.ends_with(":root") || (p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn to_someone_not_root(s: &Statement) -> bool {
    principals(s).iter().any(|p| !is_root(p))
}

fn to_anyone(s: &Statement) -> bool {
    principals(s).contains(&"*")
}

fn has_key(s: &Statement, keys: &[&str]) -> bool {
    s.conditions
        .iter()
        .any(|c| keys.iter().any(|k| c.key.eq_ignore_ascii_case(k)))
}

/// The account the policy's root statements name, for a fix that needs it.
fn account_of(document: &PolicyDocument) -> Option<String> {
    document
        .statements
        .iter()
        .flat_map(principals)
        .find(|p| is_root(p) && p.len() > 12)
        .and_then(|p| p.split(':').nth(4))
        .map(String::from)
}

/// The document's statements as written, to edit.
struct Written(Value);

impl Written {
    fn parse(text: &str) -> Option<Self> {
        let mut value: Value = serde_json::from_str(text).ok()?;
        // A single statement may be written as an object.
        if let Some(s) = value.get_mut("Statement").filter(|s| s.is_object()) {
            *s = Value::Array(vec![s.take()]);
        }
        value.get("Statement")?.as_array()?;
        Some(Self(value))
    }

    /// The policy with `edit` applied to statement `i`, pretty-printed.
    fn fixed(&self, i: usize, edit: impl Fn(&mut Value)) -> Option<String> {
        self.fixed_all(&[i], edit)
    }

    /// The policy with `edit` applied to each statement of `indices`.
    fn fixed_all(&self, indices: &[usize], edit: impl Fn(&mut Value)) -> Option<String> {
        let mut copy = self.0.clone();
        for &i in indices {
            edit(copy.get_mut("Statement")?.get_mut(i)?);
        }
        serde_json::to_string_pretty(&copy).ok()
    }

    /// The policy with `statement` inserted first.
    fn with_first(&self, statement: Value) -> Option<String> {
        let mut copy = self.0.clone();
        copy.get_mut("Statement")?
            .as_array_mut()?
            .insert(0, statement);
        serde_json::to_string_pretty(&copy).ok()
    }
}

fn add_condition(statement: &mut Value, operator: &str, key: &str, value: Value) {
    let Some(object) = statement.as_object_mut() else {
        return;
    };
    let block = object.entry("Condition").or_insert_with(|| json!({}));
    if let Some(block) = block.as_object_mut() {
        let entry = block.entry(operator).or_insert_with(|| json!({}));
        if let Some(entry) = entry.as_object_mut() {
            entry.insert(key.into(), value);
        }
    }
}

fn set_actions(statement: &mut Value, actions: &[&str]) {
    if let Some(object) = statement.as_object_mut() {
        object.remove("NotAction");
        object.insert("Action".into(), json!(actions));
    }
}

/// Removes the written actions that cover any of `actions`; when a
/// wildcard such as `kms:*` covers them, the statement's actions become
/// `instead`.
fn drop_actions(statement: &mut Value, actions: &[&str], instead: &[&str]) {
    let items: Vec<String> = match statement.get("Action") {
        Some(Value::String(a)) => vec![a.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => return set_actions(statement, instead),
    };
    // A broad wildcard (`kms:*`, `kms:Schedule*`) cannot be narrowed by
    // removing it without taking other actions away: the statement gets
    // `instead`. `kms:Disable*` covers only disabling, so it just goes.
    let hit = |item: &str| {
        actions
            .iter()
            .any(|a| crate::policy::glob::matches(item, a, true))
    };
    if items
        .iter()
        .any(|i| hit(i) && i.contains('*') && !i.starts_with("kms:Disable"))
    {
        return set_actions(statement, instead);
    }
    let kept: Vec<&str> = items
        .iter()
        .map(String::as_str)
        .filter(|i| !hit(i))
        .collect();
    set_actions(statement, &kept);
}

/// Advises on `text`, a key policy or an identity policy.
pub fn advise(text: &str, kind: PolicyKind) -> Result<Vec<Finding>, KmsError> {
    let document = PolicyDocument::parse(text, kind)?;
    let written = Written::parse(text);
    let fix = |i: usize, edit: &dyn Fn(&mut Value)| written.as_ref().and_then(|w| w.fixed(i, edit));
    let account = account_of(&document);
    let mut findings = Vec::new();
    let mut found = |concern, i: usize, why: &'static str, fix| {
        findings.push(Finding {
            concern,
            statements: vec![document.statements[i].label(i)],
            why: why.into(),
            fix,
        })
    };
    let key_policy = kind == PolicyKind::Key;
    for (i, s) in document.statements.iter().enumerate() {
        let named = !key_policy || to_someone_not_root(s);
        let uses = USE.iter().any(|a| allows(s, a));
        if named && uses && DESTROY.iter().any(|a| allows(s, a)) {
            found(
                Concern::UsersMayDisableOrDelete,
                i,
                "Whoever uses the key can also disable it or schedule its deletion: one mistake under a running database breaks it (the Aurora story).",
                fix(i, &|s| drop_actions(s, &DESTROY, &USER_ACTIONS)),
            );
        }
        if named && uses && allows(s, "kms:PutKeyPolicy") {
            found(
                Concern::NoSeparation,
                i,
                "The same principals administer and use the key: give administrators and users separate statements, so neither can do the other's work.",
                fix(i, &|s| set_actions(s, &USER_ACTIONS)),
            );
        }
        let star = s.effect == Effect::Allow
            && !s.not_action
            && s.actions.items.iter().any(|a| a == "kms:*" || a == "*");
        if key_policy && star && to_someone_not_root(s) {
            found(
                Concern::FullAccessBeyondRoot,
                i,
                "kms:* gives this principal every operation, present and future, including PutKeyPolicy and ScheduleKeyDeletion; only the account root's delegation statement should hold it.",
                fix(i, &|s| set_actions(s, &ADMIN_ACTIONS)),
            );
        }
        if s.effect == Effect::Allow && to_anyone(s) && !has_key(s, &ACCOUNT_KEYS) {
            found(
                Concern::OpenToAnyone,
                i,
                "Principal \"*\" without a condition on kms:CallerAccount or aws:PrincipalOrgID lets any AWS account in the world use the key.",
                account.as_ref().and_then(|a| {
                    fix(i, &|s| {
                        add_condition(s, "StringEquals", "kms:CallerAccount", json!(a))
                    })
                }),
            );
        }
        if s.effect == Effect::Deny
            && to_anyone(s)
            && ["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"]
                .iter()
                .any(|a| covers(s, a))
            && !has_key(s, &ACCOUNT_KEYS)
            && !has_key(s, &SERVICE_KEYS)
        {
            found(
                Concern::DenyStopsServices,
                i,
                "This Deny applies to the owning account too, and to the services that use the key for it (Aurora's background Decrypt): an explicit deny always wins.",
                // AWS's data-perimeter pattern: deny other accounts, but not
                // a service principal working for this one.
                account.as_ref().and_then(|a| {
                    fix(i, &|s| {
                        add_condition(s, "StringNotEquals", "kms:CallerAccount", json!(a));
                        add_condition(
                            s,
                            "BoolIfExists",
                            "aws:PrincipalIsAWSService",
                            json!("false"),
                        );
                    })
                }),
            );
        }
        let for_all = s.conditions.iter().any(|c| {
            c.operator.set == Some(SetQualifier::ForAllValues)
                && c.key.eq_ignore_ascii_case("kms:EncryptionContextKeys")
        });
        // Another condition of the statement that an empty context fails
        // closes the trap: a Null "false" guard, or a plain test of a
        // context pair (`Null` on kms:EncryptionContext:tenant too).
        let context_required = s.conditions.iter().any(|c| {
            let on_context =
                c.key.eq_ignore_ascii_case("kms:EncryptionContextKeys") || is_pair_key(&c.key);
            let op = c.operator;
            on_context
                && if op.base == BaseOperator::Null {
                    c.values
                        .items
                        .iter()
                        .all(|v| v.eq_ignore_ascii_case("false"))
                } else {
                    op.base.positive().is_none()
                        && !op.if_exists
                        && op.set != Some(SetQualifier::ForAllValues)
                }
        });
        if s.effect == Effect::Allow && for_all && !context_required {
            found(
                Concern::ForAllValuesOnEmptyContext,
                i,
                "ForAllValues is true when the request has no encryption context at all, so this statement also allows calls without one.",
                fix(i, &|s| {
                    add_condition(s, "Null", "kms:EncryptionContextKeys", json!("false"))
                }),
            );
        }
        // Named outright, or given to key users: the console's default
        // administrators statement reaches CreateGrant only through
        // kms:Create*, as AWS writes it.
        let names_grants = s
            .actions
            .items
            .iter()
            .any(|a| a.eq_ignore_ascii_case("kms:CreateGrant"));
        if named
            && allows(s, "kms:CreateGrant")
            && (names_grants || uses)
            && !has_key(s, &["kms:grantisforawsresource"])
        {
            let only_grants = !s.not_action
                && s.actions.items.iter().all(|a| {
                    ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]
                        .iter()
                        .any(|g| g.eq_ignore_ascii_case(a))
                });
            found(
                Concern::GrantsNotOnlyForServices,
                i,
                "A grant is a permission of its own: without kms:GrantIsForAWSResource this principal can give the key's use to anyone, outside the key policy's sight.",
                only_grants
                    .then(|| {
                        fix(i, &|s| {
                            add_condition(s, "Bool", "kms:GrantIsForAWSResource", json!("true"))
                        })
                    })
                    .flatten(),
            );
        }
    }
    across_statements(&document, written.as_ref(), key_policy, &mut findings);
    unmodelled_keys(&document, &mut findings);
    Ok(findings)
}

/// One finding per condition key the simulator never fills in (KMS
/// accepts every global key; a pasted real-world policy often tests
/// `aws:PrincipalOrgID` or `aws:SourceIp`), naming the statements.
fn unmodelled_keys(document: &PolicyDocument, findings: &mut Vec<Finding>) {
    let mut keys: Vec<(&str, Vec<String>)> = Vec::new();
    for (i, s) in document.statements.iter().enumerate() {
        // The keys its conditions test, and those its policy variables
        // read (`${aws:PrincipalTag/team}` in a resource or a value).
        let templates = core::iter::once(&s.resources)
            .chain(s.conditions.iter().map(|c| &c.values))
            .flat_map(|v| v.items.iter().zip(&v.shapes))
            .filter(|(_, shape)| **shape == Shape::Template)
            .flat_map(|(text, _)| variables::keys(text));
        let read = s.conditions.iter().map(|c| c.key.as_str()).chain(templates);
        for key in read.filter(|k| !is_modelled(k)) {
            let label = s.label(i);
            match keys.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                Some((_, labels)) if labels.contains(&label) => {}
                Some((_, labels)) => labels.push(label),
                None => keys.push((key, vec![label])),
            }
        }
    }
    for (key, statements) in keys {
        let meant = near_miss(key)
            .map(|m| alloc::format!(" Did you mean {m}?"))
            .unwrap_or_default();
        findings.push(Finding {
            concern: Concern::UnmodelledKey,
            statements,
            why: alloc::format!(
                "No request in the simulator has {key}: a condition on it is judged as if the key were absent, and a policy variable reading it matches nothing; in AWS a request may have it, and the answer may differ.{meant}"
            )
            .into(),
            fix: None,
        });
    }
}

/// The same findings when one principal gets the dangerous combination
/// from several statements (a user named both in "Allow use of the key"
/// and in "Allow access for Key Administrators").
fn across_statements(
    document: &PolicyDocument,
    written: Option<&Written>,
    key_policy: bool,
    findings: &mut Vec<Finding>,
) {
    let statements = &document.statements;
    // Each principal (the identity itself for an identity policy) and the
    // Allow statements that name it.
    let mut named: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        if s.effect != Effect::Allow {
            continue;
        }
        let whom = if key_policy {
            principals(s)
        } else {
            vec!["(the identity)"]
        };
        for p in whom.into_iter().filter(|p| *p != "*" && !is_root(p)) {
            match named.iter_mut().find(|(q, _)| *q == p) {
                Some((_, list)) => list.push(i),
                None => named.push((p, vec![i])),
            }
        }
    }
    let pick = |list: &[usize], test: &dyn Fn(&Statement) -> bool| -> Vec<usize> {
        list.iter()
            .copied()
            .filter(|&i| test(&statements[i]))
            .collect()
    };
    for (_, list) in named.iter().filter(|(_, list)| list.len() > 1) {
        let users = pick(list, &|s| USE.iter().any(|a| allows(s, a)));
        if users.is_empty() {
            continue;
        }
        let destroyers = pick(list, &|s| DESTROY.iter().any(|a| allows(s, a)));
        let admins = pick(list, &|s| allows(s, "kms:PutKeyPolicy"));
        let granters = pick(list, &|s| {
            allows(s, "kms:CreateGrant") && !has_key(s, &["kms:grantisforawsresource"])
        });
        let mut found = |concern, others: &[usize], why: &'static str, fix: Option<String>| {
            // One statement holding both is the finding of that statement.
            if others.is_empty() || others.iter().any(|i| users.contains(i)) {
                return;
            }
            let mut concerned: Vec<usize> = users.iter().chain(others).copied().collect();
            concerned.sort_unstable();
            let labels: Vec<String> = concerned.iter().map(|&i| statements[i].label(i)).collect();
            if findings
                .iter()
                .any(|f| f.concern == concern && f.statements == labels)
            {
                return;
            }
            findings.push(Finding {
                concern,
                statements: labels,
                why: why.into(),
                fix,
            });
        };
        found(
            Concern::UsersMayDisableOrDelete,
            &destroyers,
            "This principal uses the key and, through another statement, may also disable it or schedule its deletion: one mistake under a running database breaks it (the Aurora story).",
            written.and_then(|w| {
                w.fixed_all(&destroyers, |s| drop_actions(s, &DESTROY, &ADMIN_ACTIONS))
            }),
        );
        found(
            Concern::NoSeparation,
            &admins,
            "This principal is named both as a key user and as a key administrator: give the two roles to different principals, so neither can do the other's work.",
            None,
        );
        found(
            Concern::GrantsNotOnlyForServices,
            &granters,
            "This key user may also call CreateGrant without kms:GrantIsForAWSResource (kms:Create* covers it), so it can hand the key's use to anyone, outside the key policy's sight.",
            None,
        );
    }
}

/// [`advise`] for a key policy about to replace `key`'s (or already its
/// policy), written by `author` (an ARN): also whether, under it, the
/// author could no longer change it.
pub fn advise_key_policy(
    world: &World,
    key: &str,
    author: &str,
    text: &str,
) -> Result<Vec<Finding>, KmsError> {
    let mut findings = advise(text, PolicyKind::Key)?;
    let draft = Draft::KeyPolicy {
        key: key.into(),
        policy: text.into(),
    };
    // The key's own policy is asked of the world as it is: saving it again
    // would need the very permission in question, and a key already
    // locked against its author (built with the check bypassed) is the
    // case this finding exists for.
    let saved =
        super::find_key(world, key).is_ok_and(|id| world.state().kms.keys[&id].policy.text == text);
    let bench = if saved {
        Bench::new(world)
    } else {
        Bench::with_draft(world, &draft)?
    };
    let answer = bench.ask(&Question {
        principal: author,
        via: None,
        action: "kms:PutKeyPolicy",
        key,
        encryption_context: None,
    })?;
    if !answer.authorization.allowed {
        let account = author.split(':').nth(4).unwrap_or_default();
        let delegation = json!({
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": alloc::format!("arn:aws:iam::{account}:root")},
            "Action": "kms:*",
            "Resource": "*"
        });
        findings.push(Finding {
            concern: Concern::LocksOutAuthor,
            statements: Vec::new(),
            why: Cow::Borrowed("Under this policy its author could no longer call PutKeyPolicy: KMS refuses to save it (the policy lockout safety check), and with the check bypassed the key could only be recovered by AWS Support."),
            fix: Written::parse(text).and_then(|w| w.with_first(delegation)),
        });
    }
    Ok(findings)
}

/// What each finding is about, in order.
pub fn concerns(findings: &[Finding]) -> Vec<Concern> {
    findings.iter().map(|f| f.concern).collect()
}
