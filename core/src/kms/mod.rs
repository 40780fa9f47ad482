//! AWS KMS: keys, aliases, grants, and the operations on them.

pub mod api;
pub mod grants;
pub mod key;
mod ops_aliases;
mod ops_crypto;
mod ops_keys;
pub mod ops_policy;
mod ops_rotation;
pub mod policy_text;
pub mod state;

pub use ops_crypto::{CIPHERTEXT_KEY_INACCESSIBLE, MAX_PLAINTEXT, MAX_RANDOM_BYTES};

use crate::authz::{Extras, Target};
use crate::clock::Timestamp;
use crate::crypto::BackingKey;
use crate::error::{KmsError, validation};
use crate::iam::StoredPolicy;
use crate::ids::{
    AWS_ALIAS_PREFIX, AccountId, AliasName, KeyId, KeyReference, Region, alias_arn, key_arn,
};
use crate::policy::PolicyKind;
use crate::principal::{AwsService, Caller};
use crate::world::{CallRecord, World};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use api::KeyManager;
use grants::Grant;
use key::KmsKey;

/// Where an alias lives: aliases are per account and Region.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AliasKey {
    /// The owning account.
    pub account: AccountId,
    /// The Region.
    pub region: Region,
    /// The alias name.
    pub name: AliasName,
}

/// An alias: a display name that points at exactly one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The key it points at.
    pub target: KeyId,
    /// When it was created.
    pub created: Timestamp,
    /// When it was last re-pointed.
    pub updated: Timestamp,
}

/// A key that was deleted at the end of its waiting period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedKey {
    /// Its ARN.
    pub arn: String,
    /// When it was deleted.
    pub deleted_at: Timestamp,
}

/// KMS's state in every account and Region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kms {
    /// Keys by id (ids are unique across the world).
    pub keys: BTreeMap<KeyId, KmsKey>,
    /// Aliases.
    pub aliases: BTreeMap<AliasKey, Alias>,
    /// Grants by key.
    pub grants: BTreeMap<KeyId, KeyGrants>,
    /// Keys deleted for good: their ciphertexts can never be decrypted again.
    pub deleted: BTreeMap<KeyId, DeletedKey>,
}

impl Kms {
    /// Removes a key, its aliases and grants (deletion, or undoing a failed call).
    pub(crate) fn forget_key(&mut self, id: KeyId) -> Option<KmsKey> {
        self.aliases.retain(|_, a| a.target != id);
        self.grants.remove(&id);
        self.keys.remove(&id)
    }

    /// The aliases pointing at `id`.
    pub fn aliases_of(&self, id: KeyId) -> impl Iterator<Item = &AliasKey> {
        self.aliases
            .iter()
            .filter(move |(_, a)| a.target == id)
            .map(|(k, _)| k)
    }

    /// The grants on `id`, oldest first.
    pub fn grants_of(&self, id: KeyId) -> &[Grant] {
        self.grants
            .get(&id)
            .map(|g| g.list.as_slice())
            .unwrap_or_default()
    }
}

/// A key's grants, oldest first, indexed by grantee: a decision looks only
/// at the grants that name its caller, even among AWS's 50,000 per key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyGrants {
    list: Vec<Grant>,
    by_grantee: BTreeMap<String, Vec<usize>>,
}

impl KeyGrants {
    /// How many grants.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The grants, oldest first.
    pub fn iter(&self) -> core::slice::Iter<'_, Grant> {
        self.list.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn push(&mut self, grant: Grant) {
        self.by_grantee
            .entry(grant.grantee.clone())
            .or_default()
            .push(self.list.len());
        self.list.push(grant);
    }

    pub(crate) fn remove(&mut self, index: usize) -> Grant {
        let grant = self.list.remove(index);
        self.by_grantee.clear();
        for (i, g) in self.list.iter().enumerate() {
            self.by_grantee
                .entry(g.grantee.clone())
                .or_default()
                .push(i);
        }
        grant
    }

    /// The grants whose grantee is one of `arns`.
    pub fn for_grantees<'a>(&'a self, arns: &'a [String]) -> impl Iterator<Item = &'a Grant> + 'a {
        arns.iter()
            .filter_map(|arn| self.by_grantee.get(arn))
            .flatten()
            .map(|&i| &self.list[i])
    }
}

fn key_not_found(region: &Region, account: &AccountId, key: KeyId) -> KmsError {
    KmsError::NotFoundException(format!(
        "Key '{}' does not exist",
        key_arn(region, account, key)
    ))
}

pub(crate) fn alias_not_found(region: &Region, account: &AccountId, alias: &AliasName) -> KmsError {
    KmsError::NotFoundException(format!(
        "Alias {} is not found.",
        alias_arn(region, account, alias)
    ))
}

/// Checks optional grant tokens: at most 10, each 1 to 8192 characters.
pub(crate) fn check_grant_tokens(tokens: &Option<Vec<String>>) -> Result<(), KmsError> {
    let tokens = tokens.as_deref().unwrap_or_default();
    if tokens.len() > 10 {
        return Err(validation(
            "grantTokens",
            tokens.len(),
            "Member must have length less than or equal to 10",
        ));
    }
    if let Some(bad) = tokens.iter().find(|t| t.is_empty() || t.len() > 8192) {
        return Err(validation(
            "grantTokens",
            bad,
            "Member must have length between 1 and 8192",
        ));
    }
    Ok(())
}

/// One page of `items`, with AWS's Limit/Marker/NextMarker/Truncated rules.
pub(crate) fn page<T>(
    items: Vec<T>,
    limit: Option<u32>,
    marker: Option<&str>,
    default: u32,
    max: u32,
) -> Result<(Vec<T>, Option<String>, bool), KmsError> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(validation(
            "limit",
            limit,
            &format!("Member must have value between 1 and {max}"),
        ));
    }
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|&s| s <= items.len())
            .ok_or_else(|| KmsError::InvalidMarkerException(format!("Invalid marker {m}")))?,
    };
    let end = start.saturating_add(limit as usize).min(items.len());
    let truncated = end < items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
    Ok((page, truncated.then(|| end.to_string()), truncated))
}

/// Where a `KeyId` parameter leads.
enum Located {
    Key(KeyId),
    /// An AWS managed key that AWS would create on this first reference.
    ManagedNotYetCreated(AccountId, Region, AwsService),
}

impl World {
    fn locate(&self, caller: &Caller, text: &str) -> Result<Located, KmsError> {
        let reference = KeyReference::parse(text)?;
        let own = caller
            .principal
            .account()
            .cloned()
            .ok_or_else(|| KmsError::NotFoundException(format!("Invalid keyId {text}")))?;
        let region = caller.region.clone();
        let (account, alias) = match reference {
            KeyReference::KeyId(id) => return self.find_key(&region, &own, id).map(Located::Key),
            KeyReference::KeyArn {
                region: r,
                account,
                key,
            } => {
                if r != region {
                    return Err(key_not_found(&r, &account, key));
                }
                return self.find_key(&region, &account, key).map(Located::Key);
            }
            KeyReference::AliasName(alias) => (own.clone(), alias),
            KeyReference::AliasArn {
                region: r,
                account,
                alias,
            } => {
                if r != region {
                    return Err(alias_not_found(&r, &account, &alias));
                }
                (account, alias)
            }
        };
        let alias_key = AliasKey {
            account: account.clone(),
            region: region.clone(),
            name: alias.clone(),
        };
        if let Some(found) = self.kms.aliases.get(&alias_key) {
            return Ok(Located::Key(found.target));
        }
        match alias
            .as_str()
            .strip_prefix(AWS_ALIAS_PREFIX)
            .and_then(AwsService::from_managed_alias)
        {
            Some(service) if account == own => {
                Ok(Located::ManagedNotYetCreated(account, region, service))
            }
            _ => Err(alias_not_found(&region, &account, &alias)),
        }
    }

    /// The key a `KeyId` parameter names, without creating anything.
    pub(crate) fn locate_key(&self, caller: &Caller, text: &str) -> Result<KeyId, KmsError> {
        match self.locate(caller, text)? {
            Located::Key(id) => Ok(id),
            Located::ManagedNotYetCreated(account, region, service) => {
                Err(KmsError::NotFoundException(format!(
                    "The AWS managed key aws/{} of account {account} in {region} does not exist yet; AWS creates it on first use.",
                    service.name()
                )))
            }
        }
    }

    /// Finds the key a `KeyId` parameter names, in the caller's Region.
    /// Referencing `alias/aws/rds`, `alias/aws/ssm` or `alias/aws/ebs` in
    /// the caller's own account creates that AWS managed key if it does not
    /// exist yet, as AWS does on first use.
    pub(crate) fn resolve_key(
        &mut self,
        caller: &Caller,
        text: &str,
        rec: &mut CallRecord,
    ) -> Result<KeyId, KmsError> {
        match self.locate(caller, text)? {
            Located::Key(id) => Ok(id),
            Located::ManagedNotYetCreated(account, region, service) => {
                let id = self.ensure_managed_key(&account, &region, service);
                rec.created_managed_key = Some(id);
                Ok(id)
            }
        }
    }

    fn find_key(&self, region: &Region, account: &AccountId, id: KeyId) -> Result<KeyId, KmsError> {
        match self.kms.keys.get(&id) {
            Some(k) if &k.account == account && &k.region == region => Ok(id),
            _ => Err(key_not_found(region, account, id)),
        }
    }

    /// The AWS managed key of `service` in `account` and `region`, created on
    /// first use (services call this when no key is chosen).
    pub fn ensure_managed_key(
        &mut self,
        account: &AccountId,
        region: &Region,
        service: AwsService,
    ) -> KeyId {
        let name = AliasName::parse(&format!("{AWS_ALIAS_PREFIX}{}", service.name()))
            .unwrap_or_else(|_| unreachable!("managed alias names are valid"));
        let alias_key = AliasKey {
            account: account.clone(),
            region: region.clone(),
            name,
        };
        if let Some(alias) = self.kms.aliases.get(&alias_key) {
            return alias.target;
        }
        let id = KeyId::from_random(self.random());
        let material = BackingKey::new(self.random());
        let text = policy_text::aws_managed(account, region, service);
        let policy = StoredPolicy::parse(&text, PolicyKind::Key)
            .unwrap_or_else(|e| unreachable!("the managed key policy is valid: {e}"));
        let key = KmsKey::new(
            id,
            account.clone(),
            region.clone(),
            format!(
                "Default key that protects my {} when no other key is defined",
                managed_subject(service)
            ),
            KeyManager::AWS,
            Some(service),
            policy,
            material,
            self.now,
        );
        if let Some(next) = key.rotation.next {
            self.schedule_at(next, crate::world::Scheduled::AutomaticRotation(id));
        }
        self.kms.keys.insert(id, key);
        self.kms.aliases.insert(
            alias_key,
            Alias {
                target: id,
                created: self.now,
                updated: self.now,
            },
        );
        id
    }

    /// Authorizes `action` on key `id`; records the decision and the key.
    pub(crate) fn authorize_key(
        &self,
        caller: &Caller,
        action: &str,
        id: KeyId,
        extras: &Extras<'_>,
        rec: &mut CallRecord,
    ) -> Result<&KmsKey, KmsError> {
        let key = self
            .kms
            .keys
            .get(&id)
            .ok_or_else(|| KmsError::NotFoundException(format!("Key {id} does not exist")))?;
        self.authorize(caller, action, Target::Key(key), extras, rec)?;
        Ok(key)
    }

    /// Authorizes an action on a resource without a key policy.
    pub(crate) fn authorize_account(
        &self,
        caller: &Caller,
        action: &str,
        arn: String,
        account: &AccountId,
        rec: &mut CallRecord,
    ) -> Result<(), KmsError> {
        self.authorize(
            caller,
            action,
            Target::Account { arn, account },
            &Extras::default(),
            rec,
        )
    }

    /// The caller's own account (KMS calls need one).
    pub(crate) fn caller_account(caller: &Caller) -> Result<AccountId, KmsError> {
        caller.principal.account().cloned().ok_or_else(|| {
            KmsError::UnsupportedOperationException(format!(
                "{} cannot call KMS on its own behalf in the simulator; services call for a principal.",
                caller.principal
            ))
        })
    }
}

/// The alias a `KeyId` parameter names the key by, for `kms:RequestAlias`.
pub(crate) fn request_alias(key_id: &str) -> Option<String> {
    match KeyReference::parse(key_id).ok()? {
        KeyReference::AliasName(a) | KeyReference::AliasArn { alias: a, .. } => Some(a.to_string()),
        _ => None,
    }
}

fn managed_subject(service: AwsService) -> &'static str {
    match service {
        AwsService::Rds => "RDS database volumes",
        AwsService::Ssm => "SSM parameters",
        AwsService::Ebs => "EBS volumes",
        AwsService::Kms => "data",
    }
}
