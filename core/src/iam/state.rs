//! IAM's state: accounts, their users and roles, with inline identity
//! policies and role trust policies, and the sessions started with
//! AssumeRole.

use crate::clock::Timestamp;
use crate::ids::AccountId;
use crate::policy::StoredPolicy;
use crate::principal::Principal;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

/// An IAM user or the identity side of a role.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// Its ARN, written once when IAM created it (decisions share it).
    pub arn: Arc<str>,
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

impl Account {
    /// Everyone who can act in account `id`: the root user, each user, each
    /// role and each session of a role, in that order.
    pub fn principals(&self, id: &AccountId) -> Vec<Principal> {
        let mut all = Vec::with_capacity(1 + self.users.len() + self.roles.len());
        all.push(Principal::Root(id.clone()));
        all.extend(
            self.users
                .keys()
                .map(|u| Principal::User(id.clone(), u.clone())),
        );
        for (name, role) in &self.roles {
            all.push(Principal::Role(id.clone(), name.clone()));
            all.extend(role.sessions.iter().map(|s| Principal::AssumedRole {
                account: id.clone(),
                role: name.clone(),
                session: s.clone(),
            }));
        }
        all
    }
}

/// Every account of the world.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Iam {
    /// Accounts by id.
    pub accounts: BTreeMap<AccountId, Account>,
}
