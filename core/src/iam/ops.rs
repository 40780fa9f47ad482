//! IAM's and STS's operations: users, roles, inline identity policies, and
//! AssumeRole sessions usable as callers.

use super::api::*;
use super::authz::{caller_account, unknown_account};
use super::state::{Iam, Identity, Role};
use crate::env::Ctx;
use crate::error::{KmsError, validation};
use crate::ids::AccountId;
use crate::policy::{PolicyKind, PolicyRole, Purpose, StoredPolicy, authorize};
use crate::principal::{Caller, Principal};
use crate::request::{EmptyResponse, Response};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;

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
    KmsError::EntityAlreadyExists(format!("{kind} with name {name} already exists."))
}

fn no_such(kind: &str, name: &str) -> KmsError {
    KmsError::NoSuchEntity(format!("The {kind} with name {name} cannot be found."))
}

/// `iam:CreateUser`.
pub fn create_user(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateUserRequest,
) -> Result<Response, KmsError> {
    check_name("userName", &r.user_name)?;
    let account = caller_account(caller)?;
    let principal = Principal::User(account.clone(), r.user_name.clone());
    let arn = principal.arn();
    iam.decide_in_account(ctx, caller, "iam:CreateUser", arn.as_str().into(), &account)?;
    let now = ctx.now();
    let entry = iam
        .accounts
        .get_mut(&account)
        .ok_or_else(|| unknown_account(&account))?;
    if entry.users.contains_key(&r.user_name) {
        return Err(already_exists("User", &r.user_name));
    }
    entry.users.insert(
        r.user_name.clone(),
        Identity {
            arn: arn.as_str().into(),
            created: now,
            policies: BTreeMap::new(),
        },
    );
    Ok(Response::IamEntity(IamEntityResponse {
        user: Some(IamEntity {
            user_name: Some(r.user_name.clone()),
            role_name: None,
            user_id: Some(principal.unique_id()),
            role_id: None,
            arn,
            create_date: now.iso8601(),
        }),
        role: None,
        assumed_role_user: None,
    }))
}

/// `iam:CreateRole`.
pub fn create_role(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateRoleRequest,
) -> Result<Response, KmsError> {
    check_name("roleName", &r.role_name)?;
    let trust_policy =
        StoredPolicy::parse("trust", &r.assume_role_policy_document, PolicyKind::Trust)
            .map_err(KmsError::in_iam_terms)?;
    // IAM's words for a principal that does not exist, as captured from
    // AWS: `MalformedPolicyDocument: Invalid principal in policy:
    // "AWS":"arn:aws:iam::...:role/..."`.
    if let Some((_, value)) = iam.missing_principal(&trust_policy.document) {
        return Err(KmsError::MalformedPolicyDocument(format!(
            "Invalid principal in policy: \"AWS\":\"{value}\""
        )));
    }
    let account = caller_account(caller)?;
    let principal = Principal::Role(account.clone(), r.role_name.clone());
    let arn = principal.arn();
    iam.decide_in_account(ctx, caller, "iam:CreateRole", arn.as_str().into(), &account)?;
    let now = ctx.now();
    let entry = iam
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
                arn: arn.as_str().into(),
                created: now,
                policies: BTreeMap::new(),
            },
            trust_policy: Arc::new(trust_policy),
            sessions: BTreeSet::new(),
        },
    );
    Ok(Response::IamEntity(IamEntityResponse {
        user: None,
        role: Some(IamEntity {
            user_name: None,
            role_name: Some(r.role_name.clone()),
            user_id: None,
            role_id: Some(principal.unique_id()),
            arn,
            create_date: now.iso8601(),
        }),
        assumed_role_user: None,
    }))
}

/// Finds the identity a Put/Delete policy request names.
fn policy_owner(
    iam: &Iam,
    caller: &Caller,
    user: &Option<String>,
    role: &Option<String>,
) -> Result<(AccountId, Principal), KmsError> {
    let account = caller_account(caller)?;
    let entry = iam
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

fn identity_mut<'a>(
    iam: &'a mut Iam,
    account: &AccountId,
    owner: &Principal,
) -> Result<&'a mut Identity, KmsError> {
    let entry = iam
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

fn put_identity_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &PutIdentityPolicyRequest,
    action: &'static str,
) -> Result<Response, KmsError> {
    check_name("policyName", &r.policy_name)?;
    let (account, owner) = policy_owner(iam, caller, &r.user_name, &r.role_name)?;
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
    let others: usize = identity_mut(iam, &account, &owner)?
        .policies
        .iter()
        .filter(|(n, _)| **n != r.policy_name)
        .map(|(_, p)| policy_size(&p.text))
        .sum();
    if others + policy_size(&r.policy_document) > limit {
        return Err(KmsError::LimitExceeded(format!(
            "Maximum policy size of {limit} bytes exceeded for {kind} {name}"
        )));
    }
    let policy = StoredPolicy::parse(&r.policy_name, &r.policy_document, PolicyKind::Identity)
        .map_err(KmsError::in_iam_terms)?;
    iam.decide_in_account(ctx, caller, action, owner.arn().into(), &account)?;
    identity_mut(iam, &account, &owner)?
        .policies
        .insert(r.policy_name.clone(), Arc::new(policy));
    Ok(Response::Empty(EmptyResponse {}))
}

/// `iam:PutUserPolicy`.
pub fn put_user_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &PutIdentityPolicyRequest,
) -> Result<Response, KmsError> {
    put_identity_policy(iam, ctx, caller, r, "iam:PutUserPolicy")
}

/// `iam:PutRolePolicy`.
pub fn put_role_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &PutIdentityPolicyRequest,
) -> Result<Response, KmsError> {
    put_identity_policy(iam, ctx, caller, r, "iam:PutRolePolicy")
}

fn delete_identity_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DeleteIdentityPolicyRequest,
    action: &'static str,
) -> Result<Response, KmsError> {
    let (account, owner) = policy_owner(iam, caller, &r.user_name, &r.role_name)?;
    iam.decide_in_account(ctx, caller, action, owner.arn().into(), &account)?;
    let identity = identity_mut(iam, &account, &owner)?;
    if identity.policies.remove(&r.policy_name).is_none() {
        return Err(KmsError::NoSuchEntity(format!(
            "The policy with name {} cannot be found.",
            r.policy_name
        )));
    }
    Ok(Response::Empty(EmptyResponse {}))
}

/// `iam:DeleteUserPolicy`.
pub fn delete_user_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DeleteIdentityPolicyRequest,
) -> Result<Response, KmsError> {
    delete_identity_policy(iam, ctx, caller, r, "iam:DeleteUserPolicy")
}

/// `iam:DeleteRolePolicy`.
pub fn delete_role_policy(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DeleteIdentityPolicyRequest,
) -> Result<Response, KmsError> {
    delete_identity_policy(iam, ctx, caller, r, "iam:DeleteRolePolicy")
}

/// `sts:AssumeRole`.
pub fn assume_role(
    iam: &mut Iam,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &AssumeRoleRequest,
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
        KmsError::AccessDenied(format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller.principal, r.role_arn
        ))
    };
    let trust = iam
        .accounts
        .get(&account)
        .and_then(|a| a.roles.get(&role))
        .map(|r| r.trust_policy.clone())
        .ok_or_else(not_authorized)?;
    let question = iam.policy_question(
        caller,
        ctx.clock.iso(),
        "sts:AssumeRole",
        PolicyRole::TrustPolicy,
        trust,
        r.role_arn.as_str().into(),
        &account,
        Purpose::Request,
    );
    // The decision (with its trace) is kept; STS words the refusal itself.
    ctx.record
        .decide(authorize(question))
        .map_err(|_| not_authorized())?;
    let session = r.role_session_name.clone();
    if let Some(entry) = iam
        .accounts
        .get_mut(&account)
        .and_then(|a| a.roles.get_mut(&role))
    {
        entry.sessions.insert(session.clone());
    }
    let principal = Principal::AssumedRole {
        account,
        role,
        session,
    };
    Ok(Response::IamEntity(IamEntityResponse {
        user: None,
        role: None,
        assumed_role_user: Some(AssumedRoleUser {
            assumed_role_id: principal.unique_id(),
            arn: principal.arn(),
        }),
    }))
}
