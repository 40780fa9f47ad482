//! CreateAlias, UpdateAlias, DeleteAlias, ListAliases.

use super::api::KeyManager;
use super::api::responses::*;
use super::api::*;
use super::state::{KeyOperation, check};
use super::{Alias, AliasKey, alias_not_found, page};
use crate::authz::Extras;
use crate::error::KmsError;
use crate::ids::{AWS_ALIAS_PREFIX, AliasName, KeyId, KeyReference, alias_arn};
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use crate::world::{CallRecord, World};
use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

/// The managed-key aliases AWS lists in every account and Region, whether or
/// not the key exists yet.
const PREDEFINED: [&str; 3] = ["alias/aws/ebs", "alias/aws/rds", "alias/aws/ssm"];

fn reserved(name: &AliasName) -> KmsError {
    KmsError::InvalidAliasNameException(format!(
        "{name} is not allowed: alias names that begin with {AWS_ALIAS_PREFIX} are reserved for AWS managed keys."
    ))
}

impl World {
    fn alias_name(&self, caller: &Caller, text: &str) -> Result<AliasKey, KmsError> {
        let name = AliasName::parse(text)?;
        if name.is_aws_reserved() {
            return Err(reserved(&name));
        }
        Ok(AliasKey {
            account: Self::caller_account(caller)?,
            region: caller.region.clone(),
            name,
        })
    }

    /// The key an existing alias points at.
    fn alias_target_of(&self, alias: &AliasKey) -> Result<KeyId, KmsError> {
        self.kms
            .aliases
            .get(alias)
            .map(|a| a.target)
            .ok_or_else(|| alias_not_found(&alias.region, &alias.account, &alias.name))
    }

    /// An alias target: a key id or key ARN, never an alias; never an AWS managed key.
    fn alias_target(
        &mut self,
        caller: &Caller,
        text: &str,
        rec: &mut CallRecord,
    ) -> Result<KeyId, KmsError> {
        if KeyReference::parse(text)?.is_alias() {
            return Err(KmsError::ValidationException(format!(
                "TargetKeyId {text} is an alias: an alias must point at a key id or key ARN, not at another alias."
            )));
        }
        let id = self.resolve_key(caller, text, rec)?;
        let key = self.key_mut(id)?;
        if key.manager == KeyManager::AWS {
            return Err(KmsError::UnsupportedOperationException(format!(
                "{} is an AWS managed key: only AWS can give it an alias.",
                key.arn()
            )));
        }
        Ok(id)
    }

    fn authorize_alias(
        &self,
        caller: &Caller,
        action: &str,
        alias: &AliasKey,
        rec: &mut CallRecord,
    ) -> Result<(), KmsError> {
        let arn = alias_arn(&alias.region, &alias.account, &alias.name);
        self.authorize_account(caller, action, arn, &alias.account, rec)
    }

    pub(crate) fn create_alias(
        &mut self,
        caller: &Caller,
        r: &AliasRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let alias = self.alias_name(caller, &r.alias_name)?;
        let target = self.alias_target(caller, &r.target_key_id, rec)?;
        // CreateAlias needs permission on the alias and on the key.
        self.authorize_alias(caller, "kms:CreateAlias", &alias, rec)?;
        let key = self.authorize_key(
            caller,
            KeyOperation::CreateAlias.action(),
            target,
            &Extras::default(),
            rec,
        )?;
        if key.account != alias.account {
            return Err(KmsError::ValidationException(format!(
                "The alias {} and the key {} must be in the same account.",
                alias.name,
                key.arn()
            )));
        }
        check(key, KeyOperation::CreateAlias)?;
        if self.kms.aliases.contains_key(&alias) {
            return Err(KmsError::AlreadyExistsException(format!(
                "An alias with the name {} already exists",
                alias_arn(&alias.region, &alias.account, &alias.name)
            )));
        }
        self.kms.aliases.insert(
            alias,
            Alias {
                target,
                created: self.now,
                updated: self.now,
            },
        );
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn update_alias(
        &mut self,
        caller: &Caller,
        r: &AliasRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let alias = self.alias_name(caller, &r.alias_name)?;
        let old = self.alias_target_of(&alias)?;
        let new = self.alias_target(caller, &r.target_key_id, rec)?;
        // UpdateAlias needs permission on the alias, the old key and the new key.
        self.authorize_alias(caller, "kms:UpdateAlias", &alias, rec)?;
        let old_key = self.authorize_key(
            caller,
            KeyOperation::UpdateAliasFrom.action(),
            old,
            &Extras::default(),
            rec,
        )?;
        check(old_key, KeyOperation::UpdateAliasFrom)?;
        let new_key = self.authorize_key(
            caller,
            KeyOperation::UpdateAliasTo.action(),
            new,
            &Extras::default(),
            rec,
        )?;
        check(new_key, KeyOperation::UpdateAliasTo)?;
        if new_key.account != alias.account {
            return Err(KmsError::ValidationException(format!(
                "The alias {} and the key {} must be in the same account.",
                alias.name,
                new_key.arn()
            )));
        }
        let now = self.now;
        if let Some(entry) = self.kms.aliases.get_mut(&alias) {
            entry.target = new;
            entry.updated = now;
        }
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn delete_alias(
        &mut self,
        caller: &Caller,
        r: &DeleteAliasRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let alias = self.alias_name(caller, &r.alias_name)?;
        let target = self.alias_target_of(&alias)?;
        self.authorize_alias(caller, "kms:DeleteAlias", &alias, rec)?;
        let key = self.authorize_key(
            caller,
            KeyOperation::DeleteAlias.action(),
            target,
            &Extras::default(),
            rec,
        )?;
        check(key, KeyOperation::DeleteAlias)?;
        self.kms.aliases.remove(&alias);
        Ok(Response::Empty(EmptyResponse {}))
    }

    pub(crate) fn list_aliases(
        &mut self,
        caller: &Caller,
        r: &ListAliasesRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let account = Self::caller_account(caller)?;
        let region = caller.region.clone();
        let only = match &r.key_id {
            Some(k) => {
                let id = self.resolve_key(caller, k, rec)?;
                let key = self.authorize_key(
                    caller,
                    KeyOperation::ListAliases.action(),
                    id,
                    &Extras::default(),
                    rec,
                )?;
                check(key, KeyOperation::ListAliases)?;
                Some(id)
            }
            None => {
                self.authorize_account(caller, "kms:ListAliases", "*".into(), &account, rec)?;
                None
            }
        };
        let mut all: Vec<AliasListEntry> = self
            .kms
            .aliases
            .iter()
            .filter(|(k, a)| {
                k.account == account && k.region == region && only.is_none_or(|id| a.target == id)
            })
            .map(|(k, a)| AliasListEntry {
                alias_name: k.name.to_string(),
                alias_arn: alias_arn(&k.region, &k.account, &k.name),
                target_key_id: Some(a.target.to_string()),
                creation_date: Some(a.created.epoch_seconds()),
                last_updated_date: Some(a.updated.epoch_seconds()),
            })
            .collect();
        if only.is_none() {
            for name in PREDEFINED {
                if !all.iter().any(|a| a.alias_name == name) {
                    let parsed = AliasName::parse(name)
                        .map_err(|_| KmsError::ValidationException(name.into()))?;
                    all.push(AliasListEntry {
                        alias_name: name.into(),
                        alias_arn: alias_arn(&region, &account, &parsed),
                        target_key_id: None,
                        creation_date: None,
                        last_updated_date: None,
                    });
                }
            }
            all.sort_by(|a, b| a.alias_name.cmp(&b.alias_name));
        }
        let (aliases, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 100)?;
        Ok(Response::ListAliases(ListAliasesResponse {
            aliases,
            next_marker,
            truncated,
        }))
    }
}
