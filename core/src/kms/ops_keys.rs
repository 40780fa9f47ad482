//! CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey,
//! DisableKey, ScheduleKeyDeletion, CancelKeyDeletion, GetKeyPolicy, and tags.

use super::api::responses::*;
use super::api::*;
use super::key::KmsKey;
use super::state::{KeyOperation, check};
use super::{DeletedKey, check_grant_tokens, page, policy_text};
use crate::authz::Extras;
use crate::clock::DAY;
use crate::crypto::BackingKey;
use crate::error::{KmsError, validation};
use crate::iam::StoredPolicy;
use crate::ids::KeyId;
use crate::policy::PolicyKind;
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use crate::world::{CallRecord, Scheduled, World};
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

const MAX_DESCRIPTION: usize = 8192;
const MAX_TAGS: usize = 50;

fn check_description(description: &str) -> Result<(), KmsError> {
    if description.len() > MAX_DESCRIPTION {
        return Err(validation(
            "description",
            "…",
            "Member must have length less than or equal to 8192",
        ));
    }
    Ok(())
}

fn check_tags(tags: &[Tag]) -> Result<(), KmsError> {
    for tag in tags {
        if tag.tag_key.is_empty() || tag.tag_key.len() > 128 {
            return Err(KmsError::TagException(format!(
                "Tag key '{}' must be 1 to 128 characters.",
                tag.tag_key
            )));
        }
        if tag.tag_value.len() > 256 {
            return Err(KmsError::TagException(format!(
                "The value of tag '{}' must be at most 256 characters.",
                tag.tag_key
            )));
        }
        if tag.tag_key.starts_with("aws:") {
            return Err(KmsError::TagException(format!(
                "Tag key '{}' uses the reserved prefix aws:.",
                tag.tag_key
            )));
        }
    }
    Ok(())
}

impl World {
    pub(crate) fn create_key(
        &mut self,
        caller: &Caller,
        r: &CreateKeyRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account = Self::caller_account(caller)?;
        let spec = r.key_spec.unwrap_or_default();
        if spec != KeySpec::SYMMETRIC_DEFAULT {
            return Err(KmsError::UnsupportedOperationException(format!(
                "KeySpec {spec:?} is a real KMS key spec, but this simulator implements only SYMMETRIC_DEFAULT (AES-256-GCM) keys. EBS, RDS and Parameter Store accept only symmetric keys."
            )));
        }
        if r.key_usage.unwrap_or_default() != KeyUsage::ENCRYPT_DECRYPT {
            return Err(validation(
                "keyUsage",
                format!("{:?}", r.key_usage.unwrap_or_default()),
                "SYMMETRIC_DEFAULT keys support only ENCRYPT_DECRYPT",
            ));
        }
        if let Some(origin) = r.origin.as_deref().filter(|o| *o != "AWS_KMS") {
            return Err(KmsError::UnsupportedOperationException(format!(
                "Origin {origin} is not simulated: keys here always have KMS-generated material (AWS_KMS)."
            )));
        }
        if r.multi_region == Some(true) {
            return Err(KmsError::UnsupportedOperationException(
                "Multi-Region keys are not simulated: every key here exists in one Region only."
                    .into(),
            ));
        }
        let description = r.description.clone().unwrap_or_default();
        check_description(&description)?;
        let tags = r.tags.clone().unwrap_or_default();
        check_tags(&tags)?;
        let policy = match &r.policy {
            Some(text) => {
                let policy = StoredPolicy::parse(text, PolicyKind::Key)?;
                self.check_principals_exist(&policy.document)?;
                policy
            }
            None => {
                StoredPolicy::parse(&policy_text::default_key_policy(&account), PolicyKind::Key)?
            }
        };
        self.authorize_account(caller, "kms:CreateKey", "*".into(), &account, rec)?;

        let id = KeyId::from_random(self.random());
        if r.policy.is_some() && r.bypass_policy_lockout_safety_check != Some(true) {
            self.lockout_check(
                caller,
                &crate::ids::key_arn(&caller.region, &account, id),
                &account,
                &policy.document,
            )?;
        }
        let material = BackingKey::new(self.random());
        let mut key = KmsKey::new(
            id,
            account,
            caller.region.clone(),
            description,
            KeyManager::CUSTOMER,
            None,
            policy,
            material,
            self.now,
        );
        key.tags = tags.into_iter().map(|t| (t.tag_key, t.tag_value)).collect();
        rec.touch(&key.account, key.arn());
        let metadata = key.metadata();
        self.kms.keys.insert(id, key);
        Ok(Response::KeyMetadata(KeyMetadataResponse {
            key_metadata: Some(metadata),
        }))
    }

    /// Resolves, authorizes and state-checks a key for one operation.
    pub(crate) fn key_for(
        &mut self,
        caller: &Caller,
        key_id: &str,
        operation: KeyOperation,
        extras: &Extras<'_>,
        rec: &mut CallRecord,
    ) -> Result<KeyId, KmsError> {
        let id = self.resolve_key(caller, key_id, rec)?;
        let alias = super::request_alias(key_id);
        let extras = Extras {
            request_alias: alias.as_deref(),
            ..*extras
        };
        let key = self.authorize_key(caller, operation.action(), id, &extras, rec)?;
        check(key, operation)?;
        Ok(id)
    }

    pub(crate) fn key_mut(&mut self, id: KeyId) -> Result<&mut KmsKey, KmsError> {
        self.kms
            .keys
            .get_mut(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))
    }

    pub(crate) fn describe_key(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_grant_tokens(&r.grant_tokens)?;
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::DescribeKey,
            &Extras::default(),
            rec,
        )?;
        let metadata = self.key_mut(id)?.metadata();
        Ok(Response::KeyMetadata(KeyMetadataResponse {
            key_metadata: Some(metadata),
        }))
    }

    pub(crate) fn list_keys(
        &mut self,
        caller: &Caller,
        r: &ListKeysRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account = Self::caller_account(caller)?;
        self.authorize_account(caller, "kms:ListKeys", "*".into(), &account, rec)?;
        let all: Vec<KeyListEntry> = self
            .kms
            .keys
            .values()
            .filter(|k| k.account == account && k.region == caller.region)
            .map(|k| KeyListEntry {
                key_id: k.id.to_string(),
                key_arn: k.arn(),
            })
            .collect();
        let (keys, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 100, 1000)?;
        Ok(Response::ListKeys(ListKeysResponse {
            keys,
            next_marker,
            truncated,
        }))
    }

    pub(crate) fn update_key_description(
        &mut self,
        caller: &Caller,
        r: &UpdateKeyDescriptionRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_description(&r.description)?;
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::UpdateKeyDescription,
            &Extras::default(),
            rec,
        )?;
        self.key_mut(id)?.description = r.description.clone();
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn enable_key(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::EnableKey,
            &Extras::default(),
            rec,
        )?;
        self.key_mut(id)?.state = KeyState::Enabled;
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn disable_key(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::DisableKey,
            &Extras::default(),
            rec,
        )?;
        self.key_mut(id)?.state = KeyState::Disabled;
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn schedule_key_deletion(
        &mut self,
        caller: &Caller,
        r: &ScheduleKeyDeletionRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let days = r.pending_window_in_days.unwrap_or(30);
        if !(7..=30).contains(&days) {
            return Err(validation(
                "pendingWindowInDays",
                days,
                "Member must have value between 7 and 30",
            ));
        }
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::ScheduleKeyDeletion,
            &Extras::default(),
            rec,
        )?;
        let deletion_date = self.now.plus(u64::from(days) * DAY);
        let key = self.key_mut(id)?;
        key.state = KeyState::PendingDeletion;
        key.deletion_date = Some(deletion_date);
        key.pending_window_days = Some(days);
        let arn = key.arn();
        self.schedule_at(deletion_date, Scheduled::DeleteKey(id));
        Ok(Response::ScheduleKeyDeletion(ScheduleKeyDeletionResponse {
            key_id: arn,
            deletion_date: deletion_date.epoch_seconds(),
            key_state: Some(KeyState::PendingDeletion),
            pending_window_in_days: days,
        }))
    }

    pub(crate) fn cancel_key_deletion(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::CancelKeyDeletion,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        // A cancelled deletion leaves the key disabled: enabling it is a separate decision.
        key.state = KeyState::Disabled;
        key.deletion_date = None;
        key.pending_window_days = None;
        Ok(Response::KeyId(KeyIdResponse { key_id: key.arn() }))
    }

    /// The end of a waiting period: the key and its aliases are gone, and
    /// every ciphertext under it can never be decrypted again.
    pub(crate) fn delete_key_now(&mut self, id: KeyId) {
        let Some(key) = self.kms.forget_key(id) else {
            return;
        };
        let arn = key.arn();
        self.kms.deleted.insert(
            id,
            DeletedKey {
                arn: arn.clone(),
                deleted_at: self.now,
            },
        );
        self.audit_service_event("DeleteKey", &key.account, arn, key.region.to_string());
    }

    pub(crate) fn tag_resource(
        &mut self,
        caller: &Caller,
        r: &TagResourceRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_tags(&r.tags)?;
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::TagResource,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        let mut tags = key.tags.clone();
        tags.extend(
            r.tags
                .iter()
                .map(|t| (t.tag_key.clone(), t.tag_value.clone())),
        );
        if tags.len() > MAX_TAGS {
            return Err(KmsError::LimitExceededException(format!(
                "A key can have at most {MAX_TAGS} tags."
            )));
        }
        key.tags = tags;
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn untag_resource(
        &mut self,
        caller: &Caller,
        r: &UntagResourceRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::UntagResource,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        for k in &r.tag_keys {
            key.tags.remove(k);
        }
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn list_resource_tags(
        &mut self,
        caller: &Caller,
        r: &ListForKeyRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::ListResourceTags,
            &Extras::default(),
            rec,
        )?;
        let all: Vec<Tag> = self
            .key_mut(id)?
            .tags
            .iter()
            .map(|(k, v)| Tag {
                tag_key: k.clone(),
                tag_value: v.clone(),
            })
            .collect();
        let (tags, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 50)?;
        Ok(Response::ListResourceTags(ListResourceTagsResponse {
            tags,
            next_marker,
            truncated,
        }))
    }
}
