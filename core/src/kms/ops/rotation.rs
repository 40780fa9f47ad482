//! EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
//! RotateKeyOnDemand, ListKeyRotations.

use crate::clock::{DAY, MINUTE, Timestamp};
use crate::env::Ctx;
use crate::error::{KmsError, validation};
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::call::Keys;
use crate::kms::key::{
    DEFAULT_ROTATION_DAYS, MAX_ON_DEMAND_ROTATIONS, MAX_ROTATION_DAYS, MIN_ROTATION_DAYS,
    ON_DEMAND_ROTATION_SECONDS,
};
use crate::kms::timer::Timer;
use crate::kms::validate::page;
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

fn aws_managed_refusal(arn: &str, what: &str) -> KmsError {
    KmsError::UnsupportedOperationException(format!(
        "{arn} is an AWS managed key: AWS rotates it every year and you cannot {what}."
    ))
}

/// `EnableKeyRotation`.
pub fn enable_key_rotation(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &EnableKeyRotationRequest,
) -> Result<Response, KmsError> {
    let days = r.rotation_period_in_days.unwrap_or(DEFAULT_ROTATION_DAYS);
    if !(MIN_ROTATION_DAYS..=MAX_ROTATION_DAYS).contains(&days) {
        return Err(validation(
            "rotationPeriodInDays",
            days,
            "Member must have value between 90 and 2560",
        ));
    }
    let key = k.plain_key(ctx, caller, &r.key_id, &ENABLE_KEY_ROTATION)?;
    let (id, next) = (key.id, ctx.now().plus(u64::from(days) * DAY));
    if key.manager == KeyManager::AWS {
        return Err(aws_managed_refusal(key.arn(), "change its rotation"));
    }
    key.rotation.enabled = true;
    key.rotation.period_days = days;
    key.rotation.next = Some(next);
    ctx.timers.at(next, Timer::AutomaticRotation(id));
    Ok(Response::Empty(EmptyResponse {}))
}

/// `DisableKeyRotation`.
pub fn disable_key_rotation(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &DISABLE_KEY_ROTATION)?;
    if key.manager == KeyManager::AWS {
        return Err(aws_managed_refusal(key.arn(), "change its rotation"));
    }
    key.rotation.enabled = false;
    key.rotation.next = None;
    Ok(Response::Empty(EmptyResponse {}))
}

/// `GetKeyRotationStatus`.
pub fn get_key_rotation_status(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &GET_KEY_ROTATION_STATUS)?;
    // API reference, GetKeyRotationStatus: "While a KMS key is pending
    // deletion, its key rotation status is false and KMS does not rotate the
    // key material. If you cancel the deletion, the original key rotation
    // status returns to true." The stored setting is kept for that.
    let enabled = key.rotation.enabled && key.state != KeyState::PendingDeletion;
    Ok(Response::GetKeyRotationStatus(
        GetKeyRotationStatusResponse {
            key_rotation_enabled: enabled,
            key_id: key.arn().to_string(),
            rotation_period_in_days: enabled.then_some(key.rotation.period_days),
            next_rotation_date: key
                .rotation
                .next
                .filter(|_| enabled)
                .map(Timestamp::epoch_seconds),
            on_demand_rotation_start_date: key
                .rotation
                .on_demand_started
                .map(Timestamp::epoch_seconds),
        },
    ))
}

/// `RotateKeyOnDemand`.
pub fn rotate_key_on_demand(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &KeyIdRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &ROTATE_KEY_ON_DEMAND)?;
    let (id, now) = (key.id, ctx.now());
    let arn = key.arn().clone();
    if key.manager == KeyManager::AWS {
        return Err(aws_managed_refusal(&arn, "rotate it on demand"));
    }
    if key.rotation.on_demand_started.is_some() {
        return Err(KmsError::ConflictException(format!(
            "An on-demand rotation of {arn} is already in progress."
        )));
    }
    if key
        .rotation
        .next
        .is_some_and(|next| next.since(now) <= 20 * MINUTE)
    {
        return Err(KmsError::ConflictException(
            "The request was rejected because an automatic rotation of this key is currently in progress or scheduled to begin within the next 20 minutes."
                .into(),
        ));
    }
    if key.on_demand_rotations() >= MAX_ON_DEMAND_ROTATIONS {
        return Err(KmsError::LimitExceededException(format!(
            "{arn} has had {MAX_ON_DEMAND_ROTATIONS} on-demand rotations, the most a key can have."
        )));
    }
    key.rotation.on_demand_started = Some(now);
    ctx.timers.at(
        now.plus(ON_DEMAND_ROTATION_SECONDS),
        Timer::OnDemandRotation(id),
    );
    Ok(Response::KeyId(KeyIdResponse {
        key_id: id.to_string(),
    }))
}

/// `ListKeyRotations`.
pub fn list_key_rotations(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListForKeyRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &LIST_KEY_ROTATIONS)?;
    let id = key.id;
    let all: Vec<RotationEntry> = key
        .backing_keys
        .iter()
        .filter_map(|v| {
            v.rotation.map(|kind| RotationEntry {
                key_id: id.to_string(),
                rotation_date: v.created.epoch_seconds(),
                rotation_type: kind.as_str().into(),
            })
        })
        .collect();
    let (rotations, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 100, 1000)?;
    Ok(Response::ListKeyRotations(ListKeyRotationsResponse {
        rotations,
        next_marker,
        truncated,
    }))
}
