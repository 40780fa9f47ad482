//! CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey,
//! DisableKey, ScheduleKeyDeletion, CancelKeyDeletion.

use super::policy::lockout_check;
use crate::clock::DAY;
use crate::crypto::BackingKey;
use crate::env::Ctx;
use crate::error::{KmsError, validation};
use crate::iam::authz::caller_account;
use crate::ids::KeyId;
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::authz::set_key_properties;
use crate::kms::call::Keys;
use crate::kms::key::KmsKey;
use crate::kms::policy_text;
use crate::kms::timer::Timer;
use crate::kms::validate::{check_description, check_grant_tokens, check_tags, page};
use crate::policy::{PolicyKind, StoredPolicy};
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use alloc::format;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// `CreateKey`.
pub fn create_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateKeyRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    let spec = r.key_spec.unwrap_or_default();
    let usage = crate::kms::spec::check_create(spec, r.key_usage)?;
    if let Some(origin) = r.origin.as_deref().filter(|o| *o != "AWS_KMS") {
        return Err(KmsError::UnsupportedOperationException(format!(
            "Origin {origin} is not simulated: keys here always have KMS-generated material (AWS_KMS)."
        )));
    }
    if r.multi_region == Some(true) {
        return Err(KmsError::UnsupportedOperationException(
            "Multi-Region keys are not simulated: every key here exists in one Region only.".into(),
        ));
    }
    let description = r.description.clone().unwrap_or_default();
    check_description(&description)?;
    let tags = r.tags.clone().unwrap_or_default();
    check_tags(&tags)?;
    let policy = match &r.policy {
        Some(text) => {
            let policy = StoredPolicy::parse("default", text, PolicyKind::Key)?;
            k.iam.check_principals_exist(&policy.document)?;
            policy
        }
        None => StoredPolicy::parse(
            "default",
            &policy_text::default_key_policy(&account),
            PolicyKind::Key,
        )?,
    };
    let policy = Arc::new(policy);
    // An IAM policy may test the key asked for (KMS developer guide: for
    // CreateKey, kms:KeySpec, kms:KeyUsage and kms:KeyOrigin are the
    // request's values).
    let mut question = k.iam.account_question(
        caller,
        ctx.clock.iso(),
        "kms:CreateKey",
        "*".into(),
        &account,
    );
    set_key_properties(&mut question.context, spec, usage);
    ctx.record.decide(crate::policy::authorize(question))?;

    let id = KeyId::from_random(ctx.random.bytes());
    if r.policy.is_some() && r.bypass_policy_lockout_safety_check != Some(true) {
        lockout_check(
            k,
            ctx,
            caller,
            crate::ids::key_arn(&caller.region, &account, id).into(),
            &account,
            policy.clone(),
        )?;
    }
    let material = BackingKey::new(ctx.random.bytes());
    let mut key = KmsKey::new(
        id,
        account,
        caller.region.clone(),
        description,
        KeyManager::CUSTOMER,
        None,
        policy,
        material,
        ctx.now(),
    );
    key.tags = tags.into_iter().map(|t| (t.tag_key, t.tag_value)).collect();
    (key.spec, key.usage) = (spec, usage);
    ctx.record.touch(&key.account, key.arn());
    let metadata = key.metadata();
    k.kms.keys.insert(id, key);
    Ok(Response::KeyMetadata(KeyMetadataResponse {
        key_metadata: Some(metadata),
    }))
}

/// `DescribeKey`.
pub fn describe_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    let metadata = k
        .plain_key(ctx, caller, &r.key_id, &DESCRIBE_KEY)?
        .metadata();
    Ok(Response::KeyMetadata(KeyMetadataResponse {
        key_metadata: Some(metadata),
    }))
}

/// `ListKeys`.
pub fn list_keys(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListKeysRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    k.iam
        .decide_in_account(ctx, caller, "kms:ListKeys", "*".into(), &account)?;
    let all: Vec<KeyListEntry> = k
        .kms
        .keys
        .values()
        .filter(|key| key.account == account && key.region == caller.region)
        .map(|key| KeyListEntry {
            key_id: key.id.to_string(),
            key_arn: key.arn().to_string(),
        })
        .collect();
    let (keys, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 100, 1000)?;
    Ok(Response::ListKeys(ListKeysResponse {
        keys,
        next_marker,
        truncated,
    }))
}

/// `UpdateKeyDescription`.
pub fn update_key_description(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &UpdateKeyDescriptionRequest,
) -> Result<Response, KmsError> {
    check_description(&r.description)?;
    k.plain_key(ctx, caller, &r.key_id, &UPDATE_KEY_DESCRIPTION)?
        .description = r.description.clone();
    Ok(Response::Empty(EmptyResponse {}))
}

/// `EnableKey`.
pub fn enable_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &ENABLE_KEY)?;
    key.state = KeyState::Enabled;
    let id = key.id;
    crate::kms::clock::resume_rotation(k.kms, ctx, id);
    Ok(Response::Empty(EmptyResponse {}))
}

/// `DisableKey`.
pub fn disable_key(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    k.plain_key(ctx, caller, &r.key_id, &DISABLE_KEY)?.state = KeyState::Disabled;
    Ok(Response::Empty(EmptyResponse {}))
}

/// `ScheduleKeyDeletion`.
pub fn schedule_key_deletion(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ScheduleKeyDeletionRequest,
) -> Result<Response, KmsError> {
    let days = r.pending_window_in_days.unwrap_or(30);
    // The API model allows 1 to 365 days; KMS itself then allows 7 to 30,
    // in its own words (a real reply: "PendingWindowInDays must be between
    // 7 and 30").
    if days < 1 {
        return Err(validation(
            "pendingWindowInDays",
            days,
            "Member must have value greater than or equal to 1",
        ));
    }
    if days > 365 {
        return Err(validation(
            "pendingWindowInDays",
            days,
            "Member must have value less than or equal to 365",
        ));
    }
    if !(7..=30).contains(&days) {
        return Err(KmsError::ValidationException(
            "PendingWindowInDays must be between 7 and 30".into(),
        ));
    }
    let key = k.plain_key(ctx, caller, &r.key_id, &SCHEDULE_KEY_DELETION)?;
    let (id, deletion_date) = (key.id, ctx.now().plus(u64::from(days) * DAY));
    key.state = KeyState::PendingDeletion;
    key.deletion_date = Some(deletion_date);
    let arn = key.arn().to_string();
    ctx.timers.at(deletion_date, Timer::DeleteKey(id));
    Ok(Response::ScheduleKeyDeletion(ScheduleKeyDeletionResponse {
        key_id: arn,
        deletion_date: deletion_date.epoch_seconds(),
        key_state: Some(KeyState::PendingDeletion),
        pending_window_in_days: days,
    }))
}

/// `CancelKeyDeletion`.
pub fn cancel_key_deletion(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &CANCEL_KEY_DELETION)?;
    // A cancelled deletion leaves the key disabled: enabling it is a separate decision.
    key.state = KeyState::Disabled;
    key.deletion_date = None;
    Ok(Response::KeyId(KeyIdResponse {
        key_id: key.arn().to_string(),
    }))
}
