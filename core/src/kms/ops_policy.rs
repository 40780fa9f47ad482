//! GetKeyPolicy, PutKeyPolicy (with the policy lockout safety check),
//! ListKeyPolicies.

use super::api::KeyIdRequest;
use super::page;
use super::state::KeyOperation;
use crate::authz::{Extras, Target};
use crate::error::KmsError;
use crate::iam::StoredPolicy;
use crate::ids::AccountId;
use crate::policy::{PolicyDocument, PolicyKind};
use crate::principal::Caller;
use crate::request::{EmptyResponse, KeyPolicyResponse, Response};
use crate::world::{CallRecord, World};
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// The message of the policy lockout safety check.
pub const LOCKOUT_MESSAGE: &str =
    "The new key policy will not allow you to update the key policy in the future.";

/// `PutKeyPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PutKeyPolicyRequest {
    /// The key.
    pub key_id: String,
    /// `default` (the only name a key policy has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// The new policy.
    pub policy: String,
    /// Skips the lockout safety check (almost never a good idea).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass_policy_lockout_safety_check: Option<bool>,
}

/// `ListKeyPolicies`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListKeyPoliciesResponse {
    /// Always `["default"]`.
    pub policy_names: Vec<String>,
    /// Always false.
    pub truncated: bool,
}

fn check_policy_name(name: &Option<String>) -> Result<(), KmsError> {
    match name.as_deref() {
        None | Some("default") => Ok(()),
        Some(other) => Err(KmsError::NotFoundException(alloc::format!(
            "No such policy exists: {other} (a key has one policy, named default)"
        ))),
    }
}

impl World {
    /// Refuses a key policy that would not let the caller change it again.
    pub(crate) fn lockout_check(
        &self,
        caller: &Caller,
        key_arn: &str,
        account: &AccountId,
        policy: &PolicyDocument,
    ) -> Result<(), KmsError> {
        let target = Target::Policy {
            name: String::from("new key policy"),
            arn: key_arn.into(),
            account,
            policy,
        };
        let decision = self.evaluation(caller, "kms:PutKeyPolicy", &target, &Extras::default());
        if decision.allowed {
            Ok(())
        } else {
            Err(KmsError::MalformedPolicyDocumentException(
                LOCKOUT_MESSAGE.into(),
            ))
        }
    }

    pub(crate) fn get_key_policy(
        &mut self,
        caller: &Caller,
        r: &KeyIdRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::GetKeyPolicy,
            &Extras::default(),
            rec,
        )?;
        let policy = self.key_mut(id)?.policy.text.clone();
        Ok(Response::KeyPolicy(KeyPolicyResponse {
            policy,
            policy_name: String::from("default"),
        }))
    }

    pub(crate) fn put_key_policy(
        &mut self,
        caller: &Caller,
        r: &PutKeyPolicyRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_policy_name(&r.policy_name)?;
        let policy = StoredPolicy::parse(&r.policy, PolicyKind::Key)?;
        self.check_principals_exist(&policy.document)?;
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::PutKeyPolicy,
            &Extras::default(),
            rec,
        )?;
        let key = self.key_mut(id)?;
        let (arn, account) = (key.arn(), key.account.clone());
        if r.bypass_policy_lockout_safety_check != Some(true) {
            self.lockout_check(caller, &arn, &account, &policy.document)?;
        }
        self.key_mut(id)?.policy = policy;
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn list_key_policies(
        &mut self,
        caller: &Caller,
        r: &super::api::ListForKeyRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        self.key_for(
            caller,
            &r.key_id,
            KeyOperation::ListKeyPolicies,
            &Extras::default(),
            rec,
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
}
