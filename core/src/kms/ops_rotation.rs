//! EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
//! RotateKeyOnDemand, ListKeyRotations, and rotation on the virtual clock.

use super::api::responses::*;
use super::api::*;
use super::key::{
    BackingKeyVersion, MAX_ON_DEMAND_ROTATIONS, MAX_ROTATION_DAYS, MIN_ROTATION_DAYS,
    ON_DEMAND_ROTATION_SECONDS, RotationType,
};
use super::page;
use super::state::KeyOperation;
use crate::authz::Extras;
use crate::clock::{DAY, MINUTE, Timestamp};
use crate::crypto::BackingKey;
use crate::error::{KmsError, validation};
use crate::ids::KeyId;
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use crate::world::{CallRecord, Scheduled, World};
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

fn aws_managed_refusal(arn: &str, what: &str) -> KmsError {
    KmsError::UnsupportedOperationException(format!(
        "{arn} is an AWS managed key: AWS rotates it every year and you cannot {what}."
    ))
}

impl World {
    pub(crate) fn enable_key_rotation(
        &mut self,
        caller: &Caller,
        r: &EnableKeyRotationRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let days = r
            .rotation_period_in_days
            .unwrap_or(super::key::DEFAULT_ROTATION_DAYS);
        if !(MIN_ROTATION_DAYS..=MAX_ROTATION_DAYS).contains(&days) {
            return Err(validation(
                "rotationPeriodInDays",
                days,
                "Member must have value between 90 and 2560",
            ));
        }
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::EnableKeyRotation,
            &Extras::default(),
            rec,
        )?;
        let next = self.now.plus(u64::from(days) * DAY);
        let key = self.key_mut(id)?;
        if key.manager == KeyManager::AWS {
            return Err(aws_managed_refusal(&key.arn(), "change its rotation"));
        }
        key.rotation.enabled = true;
        key.rotation.period_days = days;
        key.rotation.next = Some(next);
        self.schedule_at(next, Scheduled::AutomaticRotation(id));
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn disable_key_rotation(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::DisableKeyRotation,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        if key.manager == KeyManager::AWS {
            return Err(aws_managed_refusal(&key.arn(), "change its rotation"));
        }
        key.rotation.enabled = false;
        key.rotation.next = None;
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn get_key_rotation_status(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::GetKeyRotationStatus,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        let enabled = key.rotation.enabled;
        Ok(Response::GetKeyRotationStatus(
            GetKeyRotationStatusResponse {
                key_rotation_enabled: enabled,
                key_id: key.arn(),
                rotation_period_in_days: enabled.then_some(key.rotation.period_days),
                next_rotation_date: key.rotation.next.map(Timestamp::epoch_seconds),
                on_demand_rotation_start_date: key
                    .rotation
                    .on_demand_started
                    .map(Timestamp::epoch_seconds),
            },
        ))
    }

    pub(crate) fn rotate_key_on_demand(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::RotateKeyOnDemand,
            &Extras::default(),
            rec,
        )?;
        let now = self.now;
        let key = self.key_mut(id)?;
        let arn = key.arn();
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
        self.schedule_at(
            now.plus(ON_DEMAND_ROTATION_SECONDS),
            Scheduled::OnDemandRotation(id),
        );
        Ok(Response::KeyId(KeyIdResponse {
            key_id: id.to_string(),
        }))
    }

    pub(crate) fn list_key_rotations(
        &mut self,
        caller: &Caller,
        r: &ListForKeyRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::ListKeyRotations,
            &Extras::default(),
            rec,
        )?;
        let all: Vec<RotationEntry> = self
            .key_mut(id)?
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
        let (rotations, next_marker, truncated) =
            page(all, r.limit, r.marker.as_deref(), 100, 1000)?;
        Ok(Response::ListKeyRotations(ListKeyRotationsResponse {
            rotations,
            next_marker,
            truncated,
        }))
    }

    /// Adds a backing key: new encryptions use it, old ciphertexts keep
    /// decrypting with the version their blob names.
    pub(crate) fn rotate_now(&mut self, id: KeyId, kind: RotationType) {
        let material = BackingKey::new(self.random());
        let now = self.now;
        let Some(key) = self.kms.keys.get_mut(&id) else {
            return;
        };
        match kind {
            RotationType::OnDemand => key.rotation.on_demand_started = None,
            RotationType::Automatic => {
                let next = now.plus(u64::from(key.rotation.period_days) * DAY);
                key.rotation.next = Some(next);
                self.schedule_at(next, Scheduled::AutomaticRotation(id));
            }
        }
        let Some(key) = self.kms.keys.get_mut(&id) else {
            return;
        };
        // KMS does not rotate keys that are disabled or pending deletion; the
        // schedule simply moves on.
        if kind == RotationType::Automatic && key.state != KeyState::Enabled {
            return;
        }
        key.backing_keys.push(BackingKeyVersion {
            material,
            created: now,
            rotation: Some(kind),
        });
        let (account, arn, region) = (key.account.clone(), key.arn(), key.region.to_string());
        self.audit_service_event("RotateKey", &account, arn, region);
    }
}
