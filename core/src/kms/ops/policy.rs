//! GetKeyPolicy, PutKeyPolicy (with the policy lockout safety check),
//! ListKeyPolicies.

use crate::env::Ctx;
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::authz::Extras;
use crate::kms::call::Keys;
use crate::kms::validate::page;
use crate::policy::{PolicyKind, PolicyRole, Purpose, StoredPolicy, authorize};
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use alloc::string::String;
use alloc::sync::Arc;

/// The message of the policy lockout safety check.
pub const LOCKOUT_MESSAGE: &str =
    "The new key policy will not allow you to update the key policy in the future.";

fn check_policy_name(name: &Option<String>) -> Result<(), KmsError> {
    match name.as_deref() {
        None | Some("default") => Ok(()),
        Some(other) => Err(KmsError::NotFoundException(alloc::format!(
            "No such policy exists: {other} (a key has one policy, named default)"
        ))),
    }
}

/// The policy lockout safety check: could `caller` still call
/// PutKeyPolicy if `draft` were the key's policy? The decision is recorded
/// (a learner sees the statement that would lock them out); a denial is
/// AWS's `MalformedPolicyDocumentException`.
pub fn lockout_check(
    k: &Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    key_arn: Arc<str>,
    account: &AccountId,
    draft: Arc<StoredPolicy>,
) -> Result<(), KmsError> {
    let question = k.iam.policy_question(
        caller,
        ctx.clock.iso(),
        "kms:PutKeyPolicy",
        PolicyRole::DraftKeyPolicy,
        draft,
        key_arn,
        account,
        Purpose::LockoutCheck,
    );
    let decision = authorize(question);
    let allowed = decision.allowed;
    ctx.record.authorizations.push(decision);
    if allowed {
        Ok(())
    } else {
        Err(KmsError::MalformedPolicyDocumentException(
            LOCKOUT_MESSAGE.into(),
        ))
    }
}

/// `GetKeyPolicy`.
pub fn get_key_policy(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &GetKeyPolicyRequest,
) -> Result<Response, KmsError> {
    check_policy_name(&r.policy_name)?;
    let policy = k
        .plain_key(ctx, caller, &r.key_id, &GET_KEY_POLICY)?
        .policy
        .text
        .clone();
    Ok(Response::KeyPolicy(KeyPolicyResponse {
        policy,
        policy_name: String::from("default"),
    }))
}

/// `PutKeyPolicy`.
pub fn put_key_policy(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &PutKeyPolicyRequest,
) -> Result<Response, KmsError> {
    check_policy_name(&r.policy_name)?;
    let policy = Arc::new(StoredPolicy::parse("default", &r.policy, PolicyKind::Key)?);
    k.iam.check_principals_exist(&policy.document)?;
    let id = k.key_for(ctx, caller, &r.key_id, &PUT_KEY_POLICY, &Extras::default())?;
    let key = k.key(id)?;
    let (arn, account) = (key.arn().clone(), key.account.clone());
    if r.bypass_policy_lockout_safety_check != Some(true) {
        lockout_check(k, ctx, caller, arn, &account, policy.clone())?;
    }
    k.key_mut(id)?.policy = policy;
    Ok(Response::Empty(EmptyResponse {}))
}

/// `ListKeyPolicies`.
pub fn list_key_policies(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListForKeyRequest,
) -> Result<Response, KmsError> {
    k.key_for(
        ctx,
        caller,
        &r.key_id,
        &LIST_KEY_POLICIES,
        &Extras::default(),
    )?;
    let (policy_names, _, truncated) = page(
        alloc::vec![String::from("default")],
        r.limit,
        r.marker.as_deref(),
        100,
        1000,
    )?;
    Ok(Response::ListKeyPolicies(ListKeyPoliciesResponse {
        policy_names,
        truncated,
    }))
}
