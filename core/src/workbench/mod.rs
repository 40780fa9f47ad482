//! The policy workbench: "what if" questions about the world, answered by
//! the same evaluation every request goes through, and nothing is changed.
//!
//! - [`Bench::ask`]: could this principal perform this KMS action on this
//!   key, with this encryption context? The full [`Authorization`] (its
//!   trace renders on demand) and whether the key's state would then refuse
//!   the call anyway.
//! - A [`Draft`]: a key policy or an identity policy that is not saved. The
//!   bench applies it to a copy of the world with the very request that
//!   would save it (`PutKeyPolicy`, `iam:PutRolePolicy`, `iam:PutUserPolicy`,
//!   made by the owning account's root), so a draft is refused exactly as
//!   saving it would be, and the world itself never sees it.
//! - [`Bench::matrix`]: every principal of the world against every KMS
//!   action on one key, each cell with its deciding rule;
//!   [`what_an_edit_opens`]: the cells a draft changes, like Access
//!   Analyzer's CheckNoNewAccess, explained per cell.

pub mod advisor;

use crate::crypto::context::EncryptionContext;
use crate::error::KmsError;
use crate::ids::{KeyId, Region};
use crate::kms::actions::KEY_ACCESSES;
use crate::kms::call::locate_key;
use crate::policy::context::is_modelled;
use crate::policy::eval::PrincipalMatch;
use crate::policy::explain::AuthorizationView;
use crate::policy::{Authorization, DecidingRule};
use crate::principal::{Caller, Principal};
use crate::request::Request;
use crate::world::World;
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// A policy proposed and not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draft {
    /// A new key policy for a key (id, ARN or alias).
    KeyPolicy {
        /// The key.
        key: String,
        /// The policy document (JSON).
        policy: String,
    },
    /// An inline identity policy of a user or role, new or replacing the
    /// one of that name.
    IdentityPolicy {
        /// The user's or role's ARN.
        identity: String,
        /// The policy's name.
        name: String,
        /// The policy document (JSON).
        policy: String,
    },
}

impl Draft {
    /// The request that would save it, and who makes it: the owning
    /// account's root (for a key policy, without the lockout check: a
    /// draft that would lock its author out is still worth evaluating).
    fn saving(&self, world: &World) -> Result<(Caller, Request), KmsError> {
        let (account, json, region) = match self {
            Draft::KeyPolicy { key, policy } => {
                let id = find_key(world, key)?;
                let key = &world.state().kms.keys[&id];
                let json = serde_json::json!({
                    "Action": "kms:PutKeyPolicy",
                    "Parameters": {
                        "KeyId": key.arn().to_string(),
                        "Policy": policy,
                        "BypassPolicyLockoutSafetyCheck": true,
                    },
                });
                (key.account.clone(), json, key.region.clone())
            }
            Draft::IdentityPolicy {
                identity,
                name,
                policy,
            } => {
                let (account, action, field, owner) = match Principal::parse(identity)? {
                    Principal::User(account, user) => {
                        (account, "iam:PutUserPolicy", "UserName", user)
                    }
                    Principal::Role(account, role) => {
                        (account, "iam:PutRolePolicy", "RoleName", role)
                    }
                    other => {
                        return Err(KmsError::ValidationException(alloc::format!(
                            "Only users and roles have identity policies, and {other} is neither."
                        )));
                    }
                };
                let json = serde_json::json!({
                    "Action": action,
                    "Parameters": {
                        field: owner.to_string(),
                        "PolicyName": name,
                        "PolicyDocument": policy,
                    },
                });
                // IAM is global.
                (account, json, Region::default())
            }
        };
        let request = Request::from_json(&json.to_string())?;
        Ok((Caller::new(Principal::Root(account), region), request))
    }
}

/// A "what if" question.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    /// The principal's ARN (`arn:aws:iam::111122223333:role/app`).
    pub principal: &'a str,
    /// The service it calls through (`rds.amazonaws.com`), if any.
    pub via: Option<&'a str>,
    /// The KMS action (`kms:Decrypt`).
    pub action: &'a str,
    /// The key: id, ARN, alias name or alias ARN.
    pub key: &'a str,
    /// The request's encryption context, if any.
    pub encryption_context: Option<&'a EncryptionContext>,
}

/// The answer to a [`Question`].
#[derive(Debug, Clone)]
pub struct Answer {
    /// The decision, with everything it considered.
    pub authorization: Authorization,
    /// The error the key's state would answer after an allowed decision
    /// (`DisabledException` for cryptography with a disabled key).
    pub key_state: Option<KmsError>,
}

/// What may make AWS answer otherwise: each statement that names the
/// caller and covers the action and resource, but tests a condition key
/// the simulator never fills in (`aws:PrincipalOrgID`), judged here as
/// absent. One sentence per statement, for the answer's headline.
pub fn caveats(view: &AuthorizationView) -> Vec<String> {
    let mut said = Vec::new();
    for policy in &view.policies {
        for s in &policy.statements {
            if s.principal == PrincipalMatch::NoMatch || !s.action.matched || !s.resource.matched {
                continue;
            }
            let mut keys: Vec<&str> = Vec::new();
            for c in s.conditions.iter().filter(|c| !is_modelled(&c.key)) {
                if !keys.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                    keys.push(&c.key);
                }
            }
            if !keys.is_empty() {
                said.push(alloc::format!(
                    "{} of the {} tests {}, which no request in the simulator has: in AWS the request may have it, and the answer may differ.",
                    s.label,
                    policy.name,
                    keys.join(" and ")
                ));
            }
        }
    }
    said
}

/// The world to ask, as it is or with a draft applied to a copy.
#[derive(Debug)]
pub struct Bench<'w> {
    world: Cow<'w, World>,
}

impl<'w> Bench<'w> {
    /// The world as it is.
    pub fn new(world: &'w World) -> Self {
        Self {
            world: Cow::Borrowed(world),
        }
    }

    /// The world as it would be with `draft` saved; the error saving it
    /// would answer if it cannot be.
    pub fn with_draft(world: &'w World, draft: &Draft) -> Result<Self, KmsError> {
        let (caller, request) = draft.saving(world)?;
        let mut copy = world.clone();
        copy.call(caller, request).result?;
        Ok(Self {
            world: Cow::Owned(copy),
        })
    }

    /// Answers `q`; a principal, action or key that does not exist is the
    /// error a request would get.
    pub fn ask(&self, q: &Question<'_>) -> Result<Answer, KmsError> {
        let world = &*self.world;
        let caller = Caller::parse(q.principal, q.via, region_for(world, q.key))?;
        world.state().iam.check_caller(&caller)?;
        let authorization = world.simulate(&caller, q.action, q.key, q.encryption_context)?;
        let key_state = if authorization.allowed {
            self.state_error(&caller, q.action, q.key)
        } else {
            None
        };
        Ok(Answer {
            authorization,
            key_state,
        })
    }

    fn state_error(&self, caller: &Caller, action: &str, key: &str) -> Option<KmsError> {
        let kms = &self.world.state().kms;
        let key = kms.keys.get(&locate_key(kms, caller, key).ok()?)?;
        let access = KEY_ACCESSES
            .iter()
            .find(|a| a.action.eq_ignore_ascii_case(action))?;
        access
            .check(key.arn(), key.state)
            .and_then(|()| key.check_use(access.action))
            .err()
    }

    /// Every principal of the world (roots, users, roles) against every KMS
    /// action on `key`, with `encryption_context` in each request.
    pub fn matrix(
        &self,
        key: &str,
        encryption_context: Option<&EncryptionContext>,
    ) -> Result<Matrix, KmsError> {
        let world = &*self.world;
        let kms = &world.state().kms;
        let principals: Vec<Principal> = world
            .state()
            .iam
            .accounts
            .iter()
            .flat_map(|(id, account)| account.principals(id))
            .filter(|p| !matches!(p, Principal::AssumedRole { .. }))
            .collect();
        let id = find_key(world, key)?;
        let region = region_for(world, key);
        let key_arn = kms.keys[&id].arn().to_string();
        let actions = matrix_actions();
        let mut cells = Vec::with_capacity(principals.len() * actions.len());
        for principal in &principals {
            let caller = Caller::new(principal.clone(), region.clone());
            for action in &actions {
                let a = world.simulate(&caller, action, &key_arn, encryption_context)?;
                cells.push(Cell {
                    allowed: a.allowed,
                    rule: a.rule,
                    conditional: a.allowed_on_conditions(),
                });
            }
        }
        Ok(Matrix {
            key_arn,
            principals: principals.iter().map(Principal::arn).collect(),
            actions,
            cells,
        })
    }
}

/// The key `text` names (id, ARN, or an alias of any account, looked up
/// as that account's root would).
fn find_key(world: &World, text: &str) -> Result<KeyId, KmsError> {
    let kms = &world.state().kms;
    let mut error = None;
    for account in world.state().iam.accounts.keys() {
        let root = Caller::new(Principal::Root(account.clone()), region_for(world, text));
        match locate_key(kms, &root, text) {
            Ok(id) => return Ok(id),
            Err(e) => error = error.or(Some(e)),
        }
    }
    Err(error.unwrap_or_else(|| KmsError::NotFoundException("The world has no account.".into())))
}

/// The Region a question about `key` is asked in: its ARN's, else the
/// Region the world's keys are in (where its scenario ran), else the
/// default. KMS is regional: a caller in another Region cannot reach the key.
fn region_for(world: &World, key: &str) -> Region {
    key.strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(2))
        .and_then(|region| Region::parse(region).ok())
        .or_else(|| {
            world
                .state()
                .kms
                .keys
                .values()
                .next()
                .map(|k| k.region.clone())
        })
        .unwrap_or_default()
}

/// The KMS actions on a key that policies decide, each once, in the order
/// of KMS's table (not `ListAliases`: it names no key, and only IAM
/// policies allow it; not `RetireGrant`: each grant decides it).
pub fn matrix_actions() -> Vec<&'static str> {
    let mut actions: Vec<&'static str> = Vec::new();
    for access in KEY_ACCESSES {
        if !actions.contains(&access.action)
            && !crate::kms::actions::ACCOUNT_ACTIONS.contains(&access.action)
            && access.action != crate::kms::actions::DECIDED_BY_THE_GRANT
        {
            actions.push(access.action);
        }
    }
    actions
}

/// One cell of a [`Matrix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Whether the principal may perform the action.
    pub allowed: bool,
    /// The rule that decided.
    pub rule: DecidingRule,
    /// Denied as asked (a direct call, the matrix's context), but an
    /// Allow statement for it has conditions that another request could
    /// meet: through a service, with an encryption context.
    pub conditional: bool,
}

/// Principals × actions on one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// The key's ARN.
    pub key_arn: String,
    /// The rows: principals' ARNs.
    pub principals: Vec<String>,
    /// The columns: KMS actions.
    pub actions: Vec<&'static str>,
    /// Row-major: `cells[row * actions.len() + column]`.
    pub cells: Vec<Cell>,
}

impl Matrix {
    /// The cell of `principal` (its ARN) and `action`.
    pub fn cell(&self, principal: &str, action: &str) -> Option<Cell> {
        let row = self.principals.iter().position(|p| p == principal)?;
        let column = self.actions.iter().position(|a| *a == action)?;
        self.cells.get(row * self.actions.len() + column).copied()
    }
}

/// A cell a draft changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The principal's ARN.
    pub principal: String,
    /// The KMS action.
    pub action: &'static str,
    /// The cell as the world is.
    pub before: Cell,
    /// The cell with the draft saved.
    pub after: Cell,
}

impl Change {
    /// Whether the draft opens this access (denied before, allowed after).
    pub fn opens(&self) -> bool {
        !self.before.allowed && self.after.allowed
    }
}

/// Every cell of `key`'s matrix whose decision `draft` changes: what an
/// edit opens (denied → allowed) and closes, before it is saved.
pub fn what_an_edit_opens(
    world: &World,
    key: &str,
    draft: &Draft,
    encryption_context: Option<&EncryptionContext>,
) -> Result<Vec<Change>, KmsError> {
    let before = Bench::new(world).matrix(key, encryption_context)?;
    let after = Bench::with_draft(world, draft)?.matrix(key, encryption_context)?;
    let columns = before.actions.len();
    Ok(before
        .cells
        .iter()
        .zip(&after.cells)
        .enumerate()
        .filter(|(_, (b, a))| b.allowed != a.allowed)
        .map(|(i, (b, a))| Change {
            principal: before.principals[i / columns].clone(),
            action: before.actions[i % columns],
            before: *b,
            after: *a,
        })
        .collect())
}
