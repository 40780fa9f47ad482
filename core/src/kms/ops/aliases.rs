//! CreateAlias, UpdateAlias, DeleteAlias, ListAliases.

use crate::env::Ctx;
use crate::error::KmsError;
use crate::iam::authz::caller_account;
use crate::ids::{AWS_ALIAS_PREFIX, AliasName, KeyId, KeyReference, alias_arn};
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::authz::Extras;
use crate::kms::call::{Keys, alias_not_found};
use crate::kms::state::{Alias, AliasKey};
use crate::kms::validate::page;
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
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

fn alias_name(caller: &Caller, text: &str) -> Result<AliasKey, KmsError> {
    let name = AliasName::parse(text)?;
    if name.is_aws_reserved() {
        return Err(reserved(&name));
    }
    Ok(AliasKey {
        account: caller_account(caller)?,
        region: caller.region.clone(),
        name,
    })
}

/// The key an existing alias points at.
fn alias_target_of(k: &Keys<'_>, alias: &AliasKey) -> Result<KeyId, KmsError> {
    k.kms
        .aliases
        .get(alias)
        .map(|a| a.target)
        .ok_or_else(|| alias_not_found(&alias.region, &alias.account, &alias.name))
}

/// An alias target: a key id or key ARN, never an alias; never an AWS managed key.
fn alias_target(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    text: &str,
) -> Result<KeyId, KmsError> {
    // The API reference allows only "the key ID or key ARN" as TargetKeyId
    // and does not name the error for an alias; this is the wording of the
    // established emulator (moto, `CreateAlias`), a stated choice.
    if KeyReference::parse(text)?.is_alias() {
        return Err(KmsError::ValidationException(
            "Aliases must refer to keys. Not aliases".into(),
        ));
    }
    let id = k.resolve_key(ctx, caller, text)?;
    let key = k.key(id)?;
    if key.manager == KeyManager::AWS {
        return Err(KmsError::UnsupportedOperationException(format!(
            "{} is an AWS managed key: only AWS can give it an alias.",
            key.arn()
        )));
    }
    Ok(id)
}

fn authorize_alias(
    k: &Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    action: &'static str,
    alias: &AliasKey,
) -> Result<(), KmsError> {
    let arn = alias_arn(&alias.region, &alias.account, &alias.name);
    k.iam
        .decide_in_account(ctx, caller, action, arn.into(), &alias.account)
}

/// `CreateAlias`: needs permission on the alias and on the key.
pub fn create_alias(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &AliasRequest,
) -> Result<Response, KmsError> {
    let alias = alias_name(caller, &r.alias_name)?;
    let target = alias_target(k, ctx, caller, &r.target_key_id)?;
    authorize_alias(k, ctx, caller, "kms:CreateAlias", &alias)?;
    let key = k.authorize_key(ctx, caller, CREATE_ALIAS.action, target, &Extras::default())?;
    if key.account != alias.account {
        return Err(KmsError::ValidationException(format!(
            "The alias {} and the key {} must be in the same account.",
            alias.name,
            key.arn()
        )));
    }
    CREATE_ALIAS.check(key.arn(), key.state)?;
    if k.kms.aliases.contains_key(&alias) {
        return Err(KmsError::AlreadyExistsException(format!(
            "An alias with the name {} already exists",
            alias_arn(&alias.region, &alias.account, &alias.name)
        )));
    }
    let now = ctx.now();
    k.kms.aliases.insert(
        alias,
        Alias {
            target,
            created: now,
            updated: now,
        },
    );
    Ok(Response::Empty(EmptyResponse {}))
}

/// `UpdateAlias`: needs permission on the alias, the old key and the new key.
pub fn update_alias(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &AliasRequest,
) -> Result<Response, KmsError> {
    let alias = alias_name(caller, &r.alias_name)?;
    let old = alias_target_of(k, &alias)?;
    let new = alias_target(k, ctx, caller, &r.target_key_id)?;
    authorize_alias(k, ctx, caller, "kms:UpdateAlias", &alias)?;
    k.checked_key(ctx, caller, &UPDATE_ALIAS_FROM, old, &Extras::default())?;
    let new_key = k.checked_key(ctx, caller, &UPDATE_ALIAS_TO, new, &Extras::default())?;
    if new_key.account != alias.account {
        return Err(KmsError::ValidationException(format!(
            "The alias {} and the key {} must be in the same account.",
            alias.name,
            new_key.arn()
        )));
    }
    let now = ctx.now();
    if let Some(entry) = k.kms.aliases.get_mut(&alias) {
        entry.target = new;
        entry.updated = now;
    }
    Ok(Response::Empty(EmptyResponse {}))
}

/// `DeleteAlias`.
pub fn delete_alias(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &DeleteAliasRequest,
) -> Result<Response, KmsError> {
    let alias = alias_name(caller, &r.alias_name)?;
    let target = alias_target_of(k, &alias)?;
    authorize_alias(k, ctx, caller, "kms:DeleteAlias", &alias)?;
    k.checked_key(ctx, caller, &DELETE_ALIAS, target, &Extras::default())?;
    k.kms.aliases.remove(&alias);
    Ok(Response::Empty(EmptyResponse {}))
}

/// `ListAliases`.
pub fn list_aliases(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListAliasesRequest,
) -> Result<Response, KmsError> {
    let account = caller_account(caller)?;
    let region = caller.region.clone();
    let only = match &r.key_id {
        Some(key_id) => Some(k.key_for(ctx, caller, key_id, &LIST_ALIASES, &Extras::default())?),
        None => {
            k.iam
                .decide_in_account(ctx, caller, "kms:ListAliases", "*".into(), &account)?;
            None
        }
    };
    let mut all: Vec<AliasListEntry> = k
        .kms
        .aliases
        .iter()
        .filter(|(key, a)| {
            key.account == account && key.region == region && only.is_none_or(|id| a.target == id)
        })
        .map(|(key, a)| AliasListEntry {
            alias_name: key.name.to_string(),
            alias_arn: alias_arn(&key.region, &key.account, &key.name),
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
