//! Grants: delegations of specific operations on one key to one principal,
//! which services such as RDS use for the resources they manage.
//!
//! A new grant takes effect after [`GRANT_PROPAGATION_SECONDS`] on the
//! virtual clock (KMS is eventually consistent); presenting its grant token
//! makes it usable at once.

use super::state::{KeyOperation, check};
use super::{check_grant_tokens, page};
use crate::authz::{Evaluation, Extras, GrantTrace, Target};
use crate::clock::Timestamp;
use crate::crypto::context::EncryptionContext;
use crate::error::{KmsError, validation};
use crate::ids::{AccountId, KeyId};
use crate::principal::{Caller, Principal};
use crate::request::Response;
use crate::world::{CallRecord, World};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// How long a new grant takes to become effective without its token.
pub const GRANT_PROPAGATION_SECONDS: u64 = 3 * 60;
/// AWS's limit of grants per key.
pub const MAX_GRANTS_PER_KEY: usize = 50_000;
/// The most encryption context pairs in one grant constraint.
pub const MAX_CONSTRAINT_PAIRS: usize = 8;
/// The longest encryption context value in a grant constraint.
pub const MAX_CONSTRAINT_VALUE: usize = 384;

/// Operations a grant on a symmetric key can allow.
pub const GRANT_OPERATIONS: &[&str] = &[
    "Decrypt",
    "Encrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "ReEncryptFrom",
    "ReEncryptTo",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
];

/// Encryption context constraints: a grant can require the exact context,
/// or a context that contains given pairs. Keys compare case-insensitively,
/// values case-sensitively.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct GrantConstraints {
    /// The request's context must be exactly this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_equals: Option<BTreeMap<String, String>>,
    /// The request's context must contain these pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_context_subset: Option<BTreeMap<String, String>>,
}

fn lower_keys(map: &BTreeMap<String, String>) -> BTreeMap<String, &str> {
    map.iter()
        .map(|(k, v)| (k.to_lowercase(), v.as_str()))
        .collect()
}

impl GrantConstraints {
    fn allows(&self, context: &EncryptionContext) -> Result<(), String> {
        let request = lower_keys(&context.0);
        if let Some(equals) = &self.encryption_context_equals
            && lower_keys(equals) != request
        {
            return Err(String::from(
                "the request's encryption context is not exactly EncryptionContextEquals",
            ));
        }
        if let Some(subset) = &self.encryption_context_subset
            && !lower_keys(subset)
                .iter()
                .all(|(k, v)| request.get(k) == Some(v))
        {
            return Err(String::from(
                "the request's encryption context lacks pairs of EncryptionContextSubset",
            ));
        }
        Ok(())
    }
}

/// A grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// 64 hex characters.
    pub id: String,
    /// The token that makes it usable before it propagates.
    pub token: String,
    /// The key.
    pub key: KeyId,
    /// An optional name (CreateGrant with the same name and parameters is idempotent).
    pub name: Option<String>,
    /// Who may use it (principal ARN).
    pub grantee: String,
    /// Who may retire it (principal ARN).
    pub retiring: Option<String>,
    /// What it allows.
    pub operations: Vec<String>,
    /// Encryption context constraints.
    pub constraints: Option<GrantConstraints>,
    /// The account of the principal that created it.
    pub issuing_account: AccountId,
    /// When it was created.
    pub created: Timestamp,
}

impl Grant {
    fn grantee_is(&self, principal: &Principal) -> bool {
        match principal {
            Principal::AssumedRole { account, role, .. } => {
                self.grantee == principal.arn()
                    || self.grantee == Principal::Role(account.clone(), role.clone()).arn()
            }
            other => self.grantee == other.arn(),
        }
    }

    /// Whether the grant allows the request being evaluated, and why.
    pub fn evaluate(&self, e: &Evaluation<'_>) -> GrantTrace {
        let label = match &self.name {
            Some(n) => format!("Grant {} (\"{n}\")", self.id),
            None => format!("Grant {}", self.id),
        };
        let operation = e.action.strip_prefix("kms:").unwrap_or(e.action);
        let verdict: Result<(), String> = (|| {
            if !self.grantee_is(&e.caller.principal) {
                return Err(format!("its grantee is {}", self.grantee));
            }
            if !self.operations.iter().any(|o| o == operation) {
                return Err(format!("it allows {} only", self.operations.join(", ")));
            }
            let effective = self.created.plus(GRANT_PROPAGATION_SECONDS);
            if e.now < effective && !e.grant_tokens.contains(&self.token) {
                return Err(format!(
                    "it becomes effective at {} (eventual consistency) and its grant token was not presented",
                    effective
                ));
            }
            if let Some(c) = &self.constraints {
                c.allows(
                    e.encryption_context
                        .unwrap_or(&EncryptionContext::default()),
                )?;
            }
            Ok(())
        })();
        GrantTrace {
            grant_id: self.id.clone(),
            name: self.name.clone(),
            applies: verdict.is_ok(),
            detail: match verdict {
                Ok(()) => format!("{label} gives {} {}.", self.grantee, e.action),
                Err(why) => format!("{label} does not apply: {why}."),
            },
        }
    }
}

/// The facts of a CreateGrant request that its condition keys expose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantFacts {
    /// `kms:GrantOperations`.
    pub operations: Vec<String>,
    /// `kms:GranteePrincipal`.
    pub grantee: String,
    /// `kms:RetiringPrincipal`.
    pub retiring: Option<String>,
}

aws_shapes! {
    /// `CreateGrant`.
    CreateGrantRequest {
        /// The key.
        key_id: String,
        /// Who may use the grant.
        grantee_principal: String,
        /// Who may retire it.
        #[serde(default, skip_serializing_if = "Option::is_none")] retiring_principal: Option<String>,
        /// What it allows.
        operations: Vec<String>,
        /// Encryption context constraints.
        #[serde(default, skip_serializing_if = "Option::is_none")] constraints: Option<GrantConstraints>,
        /// Grant tokens.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_tokens: Option<Vec<String>>,
        /// A name; the same name and parameters return the same grant.
        #[serde(default, skip_serializing_if = "Option::is_none")] name: Option<String>,
    }
    /// `CreateGrant`'s response.
    CreateGrantResponse {
        /// Presenting it makes the grant usable before it propagates.
        grant_token: String,
        /// The grant's id.
        grant_id: String,
    }
    /// `ListGrants`.
    ListGrantsRequest {
        /// The key.
        key_id: String,
        /// Only this grant.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_id: Option<String>,
        /// Only grants for this grantee.
        #[serde(default, skip_serializing_if = "Option::is_none")] grantee_principal: Option<String>,
        /// 1 to 100, default 50.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous NextMarker.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `ListRetirableGrants`.
    ListRetirableGrantsRequest {
        /// The retiring principal.
        retiring_principal: String,
        /// 1 to 100, default 50.
        #[serde(default, skip_serializing_if = "Option::is_none")] limit: Option<u32>,
        /// From a previous NextMarker.
        #[serde(default, skip_serializing_if = "Option::is_none")] marker: Option<String>,
    }
    /// `ListGrants` and `ListRetirableGrants` responses.
    ListGrantsResponse {
        /// The grants.
        grants: Vec<GrantListEntry>,
        /// Where the next page starts.
        #[serde(default, skip_serializing_if = "Option::is_none")] next_marker: Option<String>,
        /// Whether there is a next page.
        truncated: bool,
    }
    /// `RetireGrant`.
    RetireGrantRequest {
        /// The grant's token, or KeyId + GrantId.
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_token: Option<String>,
        /// The key (with GrantId).
        #[serde(default, skip_serializing_if = "Option::is_none")] key_id: Option<String>,
        /// The grant (with KeyId).
        #[serde(default, skip_serializing_if = "Option::is_none")] grant_id: Option<String>,
    }
    /// `RevokeGrant`.
    RevokeGrantRequest {
        /// The key.
        key_id: String,
        /// The grant.
        grant_id: String,
    }
}

/// One grant as `ListGrants` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(missing_docs)]
pub struct GrantListEntry {
    pub key_id: String,
    pub grant_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub creation_date: u64,
    pub grantee_principal: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retiring_principal: Option<String>,
    pub issuing_account: String,
    pub operations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<GrantConstraints>,
}

impl Grant {
    fn entry(&self, key_arn: &str) -> GrantListEntry {
        GrantListEntry {
            key_id: key_arn.into(),
            grant_id: self.id.clone(),
            name: self.name.clone(),
            creation_date: self.created.0,
            grantee_principal: self.grantee.clone(),
            retiring_principal: self.retiring.clone(),
            issuing_account: self.issuing_account.root_arn(),
            operations: self.operations.clone(),
            constraints: self.constraints.clone(),
        }
    }
}

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

impl World {
    pub(crate) fn create_grant(
        &mut self,
        caller: &Caller,
        r: &CreateGrantRequest,
        rec: &mut CallRecord,
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
            .find(|o| !GRANT_OPERATIONS.contains(&o.as_str()))
        {
            return Err(validation(
                "operations",
                bad,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    GRANT_OPERATIONS.join(", ")
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
                return Err(KmsError::ValidationException("A grant can have EncryptionContextEquals or EncryptionContextSubset, not both.".into()));
            }
            if let Some(op) = r
                .operations
                .iter()
                .find(|o| matches!(o.as_str(), "DescribeKey" | "RetireGrant"))
            {
                return Err(KmsError::ValidationException(format!(
                    "Grant constraints are not allowed with the {op} operation, which takes no encryption context."
                )));
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
        };
        let tokens = r.grant_tokens.clone().unwrap_or_default();
        let extras = Extras {
            grant: Some(&facts),
            grant_tokens: &tokens,
            ..Extras::default()
        };
        let id = self.key_for(caller, &r.key_id, KeyOperation::CreateGrant, &extras, rec)?;
        let existing = self
            .kms
            .grants
            .get(&id)
            .map(super::KeyGrants::len)
            .unwrap_or(0);
        if let Some(same) = self
            .kms
            .grants_of(id)
            .iter()
            .filter(|_| r.name.is_some())
            .find(|g| {
                g.name.is_some()
                    && g.name == r.name
                    && g.grantee == r.grantee_principal
                    && g.retiring == r.retiring_principal
                    && g.operations == r.operations
                    && g.constraints == r.constraints
            })
        {
            return Ok(Response::CreateGrant(CreateGrantResponse {
                grant_token: same.token.clone(),
                grant_id: same.id.clone(),
            }));
        }
        if existing >= MAX_GRANTS_PER_KEY {
            return Err(KmsError::LimitExceededException(format!(
                "The key already has {MAX_GRANTS_PER_KEY} grants, the most a key can have."
            )));
        }
        let issuing_account = Self::caller_account(caller)?;
        let id_bytes: [u8; 32] = self.random();
        let token_bytes: [u8; 48] = self.random();
        let grant = Grant {
            id: id_bytes.iter().map(|b| format!("{b:02x}")).collect(),
            token: format!("AQpA{}", crate::base64_blob::encode(&token_bytes)),
            key: id,
            name: r.name.clone(),
            grantee: r.grantee_principal.clone(),
            retiring: r.retiring_principal.clone(),
            operations: r.operations.clone(),
            constraints: r.constraints.clone(),
            issuing_account,
            created: self.now,
        };
        let response = CreateGrantResponse {
            grant_token: grant.token.clone(),
            grant_id: grant.id.clone(),
        };
        self.kms.grants.entry(id).or_default().push(grant);
        Ok(Response::CreateGrant(response))
    }

    pub(crate) fn list_grants(
        &mut self,
        caller: &Caller,
        r: &ListGrantsRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let id = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::ListGrants,
            &Extras::default(),
            rec,
        )?;
        let arn = self.key_mut(id)?.arn();
        let all: Vec<GrantListEntry> = self
            .kms
            .grants_of(id)
            .iter()
            .filter(|g| r.grant_id.as_ref().is_none_or(|x| *x == g.id))
            .filter(|g| r.grantee_principal.as_ref().is_none_or(|x| *x == g.grantee))
            .map(|g| g.entry(&arn))
            .collect();
        let (grants, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 100)?;
        Ok(Response::ListGrants(ListGrantsResponse {
            grants,
            next_marker,
            truncated,
        }))
    }

    pub(crate) fn list_retirable_grants(
        &mut self,
        caller: &Caller,
        r: &ListRetirableGrantsRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        check_grant_principal("retiringPrincipal", &r.retiring_principal)?;
        let account = Self::caller_account(caller)?;
        self.authorize(
            caller,
            "kms:ListRetirableGrants",
            Target::Account {
                arn: "*".into(),
                account: &account,
            },
            &Extras::default(),
            rec,
        )?;
        let mut all = Vec::new();
        for (key_id, grants) in &self.kms.grants {
            let Some(key) = self.kms.keys.get(key_id) else {
                continue;
            };
            let arn = key.arn();
            all.extend(
                grants
                    .iter()
                    .filter(|g| g.retiring.as_deref() == Some(&r.retiring_principal))
                    .map(|g| g.entry(&arn)),
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
        &mut self,
        caller: &Caller,
        r: &RetireGrantRequest,
        rec: &mut CallRecord,
    ) -> Result<(KeyId, usize), KmsError> {
        match (&r.grant_token, &r.key_id, &r.grant_id) {
            (Some(token), None, None) => self
                .kms
                .grants
                .iter()
                .find_map(|(k, gs)| gs.iter().position(|g| &g.token == token).map(|i| (*k, i)))
                .ok_or_else(|| {
                    KmsError::InvalidGrantTokenException("The grant token is not valid.".into())
                }),
            (None, Some(key_id), Some(grant_id)) => {
                let key = self.resolve_key(caller, key_id, rec)?;
                let index = self
                    .kms
                    .grants_of(key)
                    .iter()
                    .position(|g| &g.id == grant_id)
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

    pub(crate) fn retire_grant(
        &mut self,
        caller: &Caller,
        r: &RetireGrantRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let (key, index) = self.find_grant(caller, r, rec)?;
        let kms_key = self.key_mut(key)?;
        let (key_arn, key_account) = (kms_key.arn(), kms_key.account.clone());
        check(kms_key, KeyOperation::RetireGrant)?;
        rec.touch(&key_account, key_arn.clone());
        let grant = &self.kms.grants_of(key)[index];
        // Retiring is decided by the grant itself, not by policies.
        let principal = &caller.principal;
        let who = principal.arn();
        let allowed = grant.retiring.as_deref() == Some(who.as_str())
            || (grant.grantee_is(principal) && grant.operations.iter().any(|o| o == "RetireGrant"))
            || matches!(principal, Principal::Root(a) if *a == grant.issuing_account);
        if !allowed {
            return Err(KmsError::AccessDeniedException(format!(
                "User: {who} is not authorized to perform: kms:RetireGrant on resource: {key_arn}: only the grant's retiring principal, its grantee (if the grant allows RetireGrant), or the root of the account that created it can retire it."
            )));
        }
        self.remove_grant(key, index);
        Ok(Response::Empty(Default::default()))
    }

    pub(crate) fn revoke_grant(
        &mut self,
        caller: &Caller,
        r: &RevokeGrantRequest,
        rec: &mut CallRecord,
    ) -> Result<Response, KmsError> {
        let key = self.key_for(
            caller,
            &r.key_id,
            KeyOperation::RevokeGrant,
            &Extras::default(),
            rec,
        )?;
        let index = self
            .kms
            .grants_of(key)
            .iter()
            .position(|g| g.id == r.grant_id)
            .ok_or_else(|| {
                KmsError::InvalidGrantIdException(format!(
                    "Grant {} does not exist on this key.",
                    r.grant_id
                ))
            })?;
        self.remove_grant(key, index);
        Ok(Response::Empty(Default::default()))
    }

    fn remove_grant(&mut self, key: KeyId, index: usize) {
        if let Some(grants) = self.kms.grants.get_mut(&key) {
            let _ = grants.remove(index);
            if grants.is_empty() {
                self.kms.grants.remove(&key);
            }
        }
    }
}
