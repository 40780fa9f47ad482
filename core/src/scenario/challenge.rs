//! Challenges: a scenario with a goal that the playground checks by itself.
//!
//! A challenge file is a scenario file (its `Accounts`, `Setup` and
//! `Steps` build the starting world) with a `Challenge`:
//!
//! ```json
//! "Challenge": {
//!   "Level": "easy",
//!   "Task": "Let the App role use the key without letting it disable the key.",
//!   "Editable": [{"KeyPolicy": {"Key": "${key}"}}],
//!   "Checks": [
//!     {"Narration": "App can decrypt", "Actor": "production:role/App",
//!      "Request": {"Action": "kms:Encrypt", "Parameters": {"KeyId": "${key}", "Plaintext": "aGk="}}},
//!     {"Narration": "App cannot disable the key", "Actor": "production:role/App",
//!      "Request": {"Action": "kms:DisableKey", "Parameters": {"KeyId": "${key}"}},
//!      "Expect": {"Error": "AccessDeniedException"}}
//!   ],
//!   "Wait": "5m",
//!   "Hints": ["one at a time, mildest first"],
//!   "Solution": ["the text of each editable, in order"]
//! }
//! ```
//!
//! - `Editable` says what the learner may change, each one text: a key's
//!   policy (`{"KeyPolicy": {"Key": ..., "Actor": ...}}`, saved by
//!   `PutKeyPolicy` as `Actor`, default the first account's root, so the
//!   lockout check applies), an identity policy
//!   (`{"IdentityPolicy": {"Principal": "production:role/App", "Name": "inline"}}`,
//!   saved by `iam:PutRolePolicy`/`PutUserPolicy` as its account's root), or
//!   a request (`{"Request": {"Actor": ..., "Start": {...}}}`, the learner
//!   writes the whole `{"Action", "Parameters"}` and it is sent as `Actor`).
//! - `Wait` (optional) moves the clock after the edits, before the checks.
//! - `Checks` are steps, written like the story's: each is replayed on its
//!   own copy of the learner's world and reported with its decisions, so a
//!   failed attempt shows the statement that decided.
//! - `Solution` holds a text per editable that passes every check; the tests
//!   prove it, and prove a plausible wrong attempt fails.

use super::format::{Actor, Editable, Step};
use super::load::{ScenarioError, fail};
use super::runner::ScenarioRun;
use super::step::StepResult;
use crate::principal::Caller;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Value, json};

/// The outcome of an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// Saving each edit, in order (a refused edit ends the attempt).
    pub edits: Vec<StepResult>,
    /// Each check, replayed on its own copy of the learner's world.
    pub checks: Vec<StepResult>,
}

impl Attempt {
    /// Whether every edit was saved and every check passed.
    pub fn passed(&self) -> bool {
        !self.checks.is_empty()
            && self.edits.iter().all(|e| e.passed)
            && self.checks.iter().all(|c| c.passed)
    }
}

impl ScenarioRun {
    /// The text the editor of the challenge's editable `index` starts
    /// from: the key's or identity's policy as the world holds it (pretty
    /// JSON; empty if the identity has none yet), or the starting request.
    pub fn editable_text(&self, index: usize) -> Option<String> {
        let editable = self.scenario().challenge.as_ref()?.editable.get(index)?;
        let pretty = |text: &str| {
            serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| text.to_string())
        };
        let state = self.world().state();
        match editable {
            Editable::KeyPolicy { key, .. } => {
                let key = self.substitute(key).ok()?;
                let owner = self.caller(None).ok()?;
                let id = crate::kms::call::locate_key(&state.kms, &owner, &key).ok()?;
                Some(pretty(&state.kms.keys.get(&id)?.policy.text))
            }
            Editable::IdentityPolicy { principal, name } => {
                let caller = self.caller(Some(&Actor::Named(principal.clone()))).ok()?;
                let account = state.iam.accounts.get(caller.principal.account()?)?;
                let holder = match &caller.principal {
                    crate::principal::Principal::User(_, user) => {
                        account.users.get(user.as_str())?
                    }
                    crate::principal::Principal::Role(_, role) => {
                        &account.roles.get(role.as_str())?.identity
                    }
                    _ => return None,
                };
                Some(
                    holder
                        .policies
                        .get(name)
                        .map_or_else(String::new, |p| pretty(&p.text)),
                )
            }
            Editable::Request { start, .. } => Some(pretty(&start.to_string())),
        }
    }

    /// Plays an attempt: saves each text of `texts` (one per editable, in
    /// order) on a copy of this run's world through the request that saves
    /// it, then replays each check on its own copy of that world. A refused
    /// edit ends the attempt (its result says why); this run is unchanged.
    pub fn attempt(&self, texts: &[String]) -> Result<Attempt, ScenarioError> {
        let challenge = self
            .scenario()
            .challenge
            .clone()
            .ok_or_else(|| fail("This scenario has no challenge.".into()))?;
        if texts.len() != challenge.editable.len() {
            return Err(fail(format!(
                "The attempt has {} texts for {} editables.",
                texts.len(),
                challenge.editable.len()
            )));
        }
        let mut run = self.clone();
        let mut edits = Vec::new();
        for (index, (editable, text)) in challenge.editable.iter().zip(texts).enumerate() {
            let result = match run.edit_step(editable, text) {
                Ok(step) => run.play(&step, index),
                Err(failure) => {
                    let mut result = StepResult::new(index, editable.label());
                    result.failures = vec![failure];
                    result.passed = false;
                    result
                }
            };
            let saved = result.passed;
            edits.push(result);
            if !saved {
                return Ok(Attempt {
                    edits,
                    checks: Vec::new(),
                });
            }
        }
        if let Some(wait) = &challenge.wait {
            let step = Step {
                advance: Some(wait.clone()),
                ..Step::default()
            };
            let waited = run.play(&step, edits.len());
            if !waited.passed {
                edits.push(waited);
                return Ok(Attempt {
                    edits,
                    checks: Vec::new(),
                });
            }
        }
        let checks = challenge
            .checks
            .iter()
            .enumerate()
            .map(|(index, step)| run.clone().play(step, index))
            .collect();
        Ok(Attempt { edits, checks })
    }

    /// The step that saves `text` as `editable`.
    fn edit_step(&self, editable: &Editable, text: &str) -> Result<Step, String> {
        let narration = format!("Saving {}", editable.label());
        let (actor, request) = match editable {
            Editable::KeyPolicy { key, actor } => (
                actor.clone(),
                json!({"Action": "kms:PutKeyPolicy",
                       "Parameters": {"KeyId": key, "PolicyName": "default", "Policy": text}}),
            ),
            Editable::IdentityPolicy { principal, name } => {
                let caller: Caller = self.caller(Some(&Actor::Named(principal.clone())))?;
                let account = caller
                    .principal
                    .account()
                    .ok_or_else(|| format!("{principal} has no account"))?
                    .to_string();
                let (action, field, owner) = match &caller.principal {
                    crate::principal::Principal::User(_, user) => {
                        ("iam:PutUserPolicy", "UserName", user.to_string())
                    }
                    crate::principal::Principal::Role(_, role) => {
                        ("iam:PutRolePolicy", "RoleName", role.to_string())
                    }
                    _ => return Err(format!("{principal} is neither a user nor a role")),
                };
                (
                    Some(Actor::Named(account)),
                    json!({"Action": action,
                           "Parameters": {field: owner, "PolicyName": name, "PolicyDocument": text}}),
                )
            }
            Editable::Request { actor, .. } => (
                actor.clone(),
                serde_json::from_str::<Value>(text)
                    .map_err(|e| format!("The request is not JSON: {e}"))?,
            ),
        };
        Ok(Step {
            narration,
            actor,
            request: Some(request),
            ..Step::default()
        })
    }
}
