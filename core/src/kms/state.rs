//! KMS's state in every account and Region: keys, aliases, grants, and the
//! keys deleted for good.

use super::grants::Grant;
use super::key::KmsKey;
use crate::clock::Timestamp;
use crate::ids::{AccountId, AliasName, KeyId, Region};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

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
    pub arn: Arc<str>,
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
    pub fn grants_of(&self, id: KeyId) -> &[Arc<Grant>] {
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
    list: Vec<Arc<Grant>>,
    by_grantee: BTreeMap<Arc<str>, Vec<usize>>,
}

impl KeyGrants {
    /// How many grants.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The grants, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Grant> {
        self.list.iter().map(|g| &**g)
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
        self.list.push(Arc::new(grant));
    }

    pub(crate) fn remove(&mut self, index: usize) -> Arc<Grant> {
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
    pub fn for_grantees<'a>(
        &'a self,
        arns: &'a [&'a str],
    ) -> impl Iterator<Item = &'a Arc<Grant>> + 'a {
        arns.iter()
            .filter_map(|arn| self.by_grantee.get(*arn))
            .flatten()
            .map(|&i| &self.list[i])
    }
}
