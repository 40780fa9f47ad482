//! CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant.

use crate::env::Ctx;
use crate::error::{KmsError, validation};
use crate::iam::authz::caller_account;
use crate::ids::KeyId;
use crate::kms::actions::*;
use crate::kms::api::*;
use crate::kms::authz::Extras;
use crate::kms::call::Keys;
use crate::kms::grants::{
    Grant, GrantFacts, MAX_CONSTRAINT_PAIRS, MAX_CONSTRAINT_VALUE, MAX_GRANTS_PER_KEY,
};
use crate::kms::state::KeyGrants;
use crate::kms::validate::{check_grant_tokens, page};
use crate::policy::{GrantCheck, GrantVerdict, Retirer, retirement};
use crate::principal::{Caller, Principal};
use crate::request::{EmptyResponse, Response};
use alloc::format;
use alloc::string::ToString;
use alloc::sync::Arc;
use alloc::vec::Vec;

fn check_grant_principal(field: &str, arn: &str) -> Result<(), KmsError> {
    match Principal::parse(arn) {
        Ok(_) => Ok(()),
        Err(_) => Err(validation(
            field,
            arn,
            "Member must be a principal ARN or an AWS service principal",
        )),
    }
}

/// `CreateGrant`.
pub fn create_grant(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &CreateGrantRequest,
) -> Result<Response, KmsError> {
    check_grant_tokens(&r.grant_tokens)?;
    check_grant_principal("granteePrincipal", &r.grantee_principal)?;
    if let Some(retiring) = &r.retiring_principal {
        check_grant_principal("retiringPrincipal", retiring)?;
    }
    if r.operations.is_empty() {
        return Err(validation(
            "operations",
            "[]",
            "Member must have length greater than or equal to 1",
        ));
    }
    if let Some(bad) = r
        .operations
        .iter()
        .find(|o| !grant_operations().any(|g| g == o.as_str()))
    {
        return Err(validation(
            "operations",
            bad,
            &format!(
                "Member must satisfy enum value set: [{}]",
                grant_operations().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    if let Some(c) = &r.constraints {
        // The API reference: "Each constraint value can include up to 8
        // encryption context pairs. The encryption context value in each
        // constraint cannot exceed 384 characters."
        for (field, map) in [
            ("encryptionContextEquals", &c.encryption_context_equals),
            ("encryptionContextSubset", &c.encryption_context_subset),
        ] {
            let Some(map) = map else { continue };
            if map.len() > MAX_CONSTRAINT_PAIRS {
                return Err(validation(
                    &format!("constraints.{field}"),
                    map.len(),
                    "Map must have at most 8 encryption context pairs",
                ));
            }
            if let Some((key, _)) = map
                .iter()
                .find(|(_, v)| v.chars().count() > MAX_CONSTRAINT_VALUE)
            {
                return Err(validation(
                    &format!("constraints.{field}.{key}"),
                    "…",
                    "Member must have length less than or equal to 384",
                ));
            }
        }
        if c.encryption_context_equals.is_some() && c.encryption_context_subset.is_some() {
            return Err(KmsError::ValidationException(
                "A grant can have EncryptionContextEquals or EncryptionContextSubset, not both."
                    .into(),
            ));
        }
    }
    if r.name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.len() > 256)
    {
        return Err(validation(
            "name",
            r.name.as_deref().unwrap_or(""),
            "Member must have length between 1 and 256",
        ));
    }
    let facts = GrantFacts {
        operations: r.operations.clone(),
        grantee: r.grantee_principal.clone(),
        retiring: r.retiring_principal.clone(),
        constraints: r.constraints.clone(),
    };
    let tokens = r.grant_tokens.clone().unwrap_or_default();
    let extras = Extras {
        grant: Some(&facts),
        grant_tokens: &tokens,
        ..Extras::default()
    };
    let id = k.key_for(ctx, caller, &r.key_id, &CREATE_GRANT, &extras)?;
    let existing = k.kms.grants.get(&id).map(KeyGrants::len).unwrap_or(0);
    if let Some(same) = k
        .kms
        .grants_of(id)
        .iter()
        .filter(|_| r.name.is_some())
        .find(|g| {
            g.name.is_some()
                && g.name.as_deref() == r.name.as_deref()
                && *g.grantee == *r.grantee_principal
                && g.retiring == r.retiring_principal
                && *g.operations == *r.operations
                && g.constraints == r.constraints
        })
    {
        return Ok(Response::CreateGrant(CreateGrantResponse {
            grant_token: same.token.clone(),
            grant_id: same.id.to_string(),
        }));
    }
    if existing >= MAX_GRANTS_PER_KEY {
        return Err(KmsError::LimitExceededException(format!(
            "The key already has {MAX_GRANTS_PER_KEY} grants, the most a key can have."
        )));
    }
    let issuing_account = caller_account(caller)?;
    let id_bytes: [u8; 32] = ctx.random.bytes();
    let token_bytes: [u8; 48] = ctx.random.bytes();
    let grant = Grant {
        id: hex::encode(id_bytes).into(),
        token: format!("AQpA{}", crate::base64_blob::encode(&token_bytes)),
        key: id,
        name: r.name.as_deref().map(Arc::from),
        grantee: r.grantee_principal.as_str().into(),
        retiring: r.retiring_principal.clone(),
        operations: r.operations.clone().into(),
        constraints: r.constraints.clone(),
        issuing_account,
        created: ctx.now(),
    };
    let response = CreateGrantResponse {
        grant_token: grant.token.clone(),
        grant_id: grant.id.to_string(),
    };
    k.kms.grants.entry(id).or_default().push(grant);
    Ok(Response::CreateGrant(response))
}

/// `ListGrants`.
pub fn list_grants(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListGrantsRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &LIST_GRANTS)?;
    let (id, arn) = (key.id, key.arn().clone());
    let all: Vec<GrantListEntry> = k
        .kms
        .grants_of(id)
        .iter()
        .filter(|g| r.grant_id.as_deref().is_none_or(|x| x == &*g.id))
        .filter(|g| {
            r.grantee_principal
                .as_deref()
                .is_none_or(|x| x == &*g.grantee)
        })
        .map(|g| g.entry(&arn))
        .collect();
    let (grants, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 100)?;
    Ok(Response::ListGrants(ListGrantsResponse {
        grants,
        next_marker,
        truncated,
    }))
}

/// `ListRetirableGrants`.
pub fn list_retirable_grants(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListRetirableGrantsRequest,
) -> Result<Response, KmsError> {
    check_grant_principal("retiringPrincipal", &r.retiring_principal)?;
    let account = caller_account(caller)?;
    k.iam
        .decide_in_account(ctx, caller, "kms:ListRetirableGrants", "*".into(), &account)?;
    let mut all = Vec::new();
    for (key_id, grants) in &k.kms.grants {
        let Some(key) = k.kms.keys.get(key_id) else {
            continue;
        };
        all.extend(
            grants
                .iter()
                .filter(|g| g.retiring.as_deref() == Some(&r.retiring_principal))
                .map(|g| g.entry(key.arn())),
        );
    }
    let (grants, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 100)?;
    Ok(Response::ListGrants(ListGrantsResponse {
        grants,
        next_marker,
        truncated,
    }))
}

/// The key and position of a grant, from a token or from KeyId + GrantId.
fn find_grant(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &RetireGrantRequest,
) -> Result<(KeyId, usize), KmsError> {
    match (&r.grant_token, &r.key_id, &r.grant_id) {
        (Some(token), None, None) => k
            .kms
            .grants
            .iter()
            .find_map(|(key, gs)| gs.iter().position(|g| &g.token == token).map(|i| (*key, i)))
            .ok_or_else(|| {
                KmsError::InvalidGrantTokenException("The grant token is not valid.".into())
            }),
        (None, Some(key_id), Some(grant_id)) => {
            RETIRE_GRANT.accepts(key_id)?;
            let key = k.resolve_key(ctx, caller, key_id)?;
            let index = k
                .kms
                .grants_of(key)
                .iter()
                .position(|g| &*g.id == grant_id)
                .ok_or_else(|| {
                    KmsError::InvalidGrantIdException(format!(
                        "Grant {grant_id} does not exist on this key."
                    ))
                })?;
            Ok((key, index))
        }
        _ => Err(KmsError::ValidationException(
            "Specify either GrantToken, or KeyId and GrantId.".into(),
        )),
    }
}

/// `RetireGrant`: decided by the grant itself, not by policies; the
/// decision is recorded like any other.
pub fn retire_grant(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &RetireGrantRequest,
) -> Result<Response, KmsError> {
    let (key, index) = find_grant(k, ctx, caller, r)?;
    let kms_key = k.key(key)?;
    let (key_arn, key_account) = (kms_key.arn().clone(), kms_key.account.clone());
    RETIRE_GRANT.check(&key_arn, kms_key.state)?;
    ctx.record.touch(&key_account, &key_arn);
    let grant = &k.kms.grants_of(key)[index];
    let principal = &caller.principal;
    let who = principal.arn();
    let retirer = if grant.retiring.as_deref() == Some(who.as_str()) {
        Retirer::RetiringPrincipal
    } else if grant.grantee_is(principal, &who)
        && grant.operations.iter().any(|o| o == "RetireGrant")
    {
        Retirer::Grantee
    } else if matches!(principal, Principal::Root(a) if *a == grant.issuing_account) {
        Retirer::IssuingAccount
    } else {
        Retirer::Nobody
    };
    let check = GrantCheck {
        grant_id: grant.id.clone(),
        name: grant.name.clone(),
        grantee: grant.grantee.clone(),
        operations: grant.operations.clone(),
        verdict: if retirer == Retirer::Nobody {
            GrantVerdict::OtherGrantee
        } else {
            GrantVerdict::Applies
        },
    };
    ctx.record.decide(retirement(
        principal.clone(),
        who.into(),
        key_arn,
        key_account,
        retirer,
        check,
    ))?;
    remove_grant(k, key, index);
    Ok(Response::Empty(EmptyResponse {}))
}

/// `RevokeGrant`.
pub fn revoke_grant(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &RevokeGrantRequest,
) -> Result<Response, KmsError> {
    let key = k.key_for(ctx, caller, &r.key_id, &REVOKE_GRANT, &Extras::default())?;
    let index = k
        .kms
        .grants_of(key)
        .iter()
        .position(|g| *g.id == *r.grant_id)
        .ok_or_else(|| {
            KmsError::InvalidGrantIdException(format!(
                "Grant {} does not exist on this key.",
                r.grant_id
            ))
        })?;
    remove_grant(k, key, index);
    Ok(Response::Empty(EmptyResponse {}))
}

fn remove_grant(k: &mut Keys<'_>, key: KeyId, index: usize) {
    if let Some(grants) = k.kms.grants.get_mut(&key) {
        let _ = grants.remove(index);
        if grants.is_empty() {
            k.kms.grants.remove(&key);
        }
    }
}
