//! IAM's state: accounts, their users and roles, with inline identity
//! policies and role trust policies, and the sessions started with
//! AssumeRole.

use crate::clock::Timestamp;
use crate::ids::AccountId;
use crate::policy::StoredPolicy;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::sync::Arc;

/// An IAM user or the identity side of a role.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// When it was created.
    pub created: Timestamp,
    /// Inline identity policies by name.
    pub policies: BTreeMap<String, Arc<StoredPolicy>>,
}

/// An IAM role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Its identity policies.
    pub identity: Identity,
    /// Who may assume it.
    pub trust_policy: Arc<StoredPolicy>,
    /// Names of the sessions started with AssumeRole.
    pub sessions: BTreeSet<String>,
}

/// One AWS account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// A display name ("production").
    pub name: String,
    /// IAM users by name.
    pub users: BTreeMap<String, Identity>,
    /// IAM roles by name.
    pub roles: BTreeMap<String, Role>,
}

/// Every account of the world.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Iam {
    /// Accounts by id.
    pub accounts: BTreeMap<AccountId, Account>,
}
