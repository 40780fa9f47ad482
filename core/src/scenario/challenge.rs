//! Challenges: a scenario with a goal that the playground checks by itself.
//!
//! A challenge file is a scenario file (its `Accounts`, `Setup` and
//! `Steps` build the starting world; `Steps` may be empty) with a
//! `Challenge` ([`ChallengeFile::parse`]):
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

use super::format::{Actor, Scenario, Step};
use super::load::{ScenarioError, fail, parse_duration};
use super::runner::ScenarioRun;
use super::step::StepResult;
use crate::principal::Caller;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A challenge's goal and what the learner may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Challenge {
    /// `easy`, `medium` or `hard`.
    pub level: String,
    /// The task, in a sentence.
    pub task: String,
    /// What the learner may change, each one text.
    pub editable: Vec<Editable>,
    /// How long the clock moves after the edits, before the checks (`5m`:
    /// a new grant takes effect a few minutes after CreateGrant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<String>,
    /// What must happen once the learner's changes are saved.
    pub checks: Vec<Step>,
    /// Hints, mildest first, shown one at a time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// A text per editable that passes every check.
    pub solution: Vec<String>,
}

/// One thing the learner may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Editable {
    /// A key's policy, saved by `PutKeyPolicy`.
    KeyPolicy {
        /// The key (any form, `${name}` allowed).
        #[serde(rename = "Key")]
        key: String,
        /// Who saves it (default: the first account's root).
        #[serde(rename = "Actor", default, skip_serializing_if = "Option::is_none")]
        actor: Option<Actor>,
    },
    /// A user's or role's inline policy, saved by its account's root.
    IdentityPolicy {
        /// `production:role/App`, `production:user/alice` or an ARN.
        #[serde(rename = "Principal")]
        principal: String,
        /// The inline policy's name.
        #[serde(rename = "Name")]
        name: String,
    },
    /// A request the learner writes whole.
    Request {
        /// Who sends it (default: the first account's root).
        #[serde(rename = "Actor", default, skip_serializing_if = "Option::is_none")]
        actor: Option<Actor>,
        /// The request the editor starts from.
        #[serde(rename = "Start")]
        start: Value,
    },
}

impl Editable {
    /// What the learner changes, in a few words.
    pub fn label(&self) -> String {
        match self {
            Editable::KeyPolicy { key, .. } => alloc::format!("the key policy of {key}"),
            Editable::IdentityPolicy { principal, name } => {
                alloc::format!("the identity policy {name} of {principal}")
            }
            Editable::Request { .. } => "the request".into(),
        }
    }
}

/// A challenge file: the scenario that builds the starting world (its
/// `Setup` and `Steps`), and its `Challenge`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengeFile {
    /// The starting world, and the challenge's title and summary.
    pub scenario: Scenario,
    /// The goal.
    pub challenge: Challenge,
}

impl ChallengeFile {
    /// Parses and validates a challenge file; errors name the field. The
    /// playground's story player reads only scenarios (a challenge file
    /// is refused there, with its `Challenge` field named), so the
    /// challenge format costs nothing on its first load.
    pub fn parse(text: &str) -> Result<ChallengeFile, ScenarioError> {
        let mut value: Value = serde_json::from_str(text)
            .map_err(|e| fail(format!("The challenge is not valid JSON: {e}")))?;
        let raw = value
            .as_object_mut()
            .and_then(|o| o.remove("Challenge"))
            .ok_or_else(|| fail("A challenge file needs a \"Challenge\"".into()))?;
        let challenge: Challenge =
            serde_json::from_value(raw).map_err(|e| fail(format!("Challenge: {e}")))?;
        let scenario = Scenario::parse(&value.to_string())?;
        if challenge.editable.is_empty() || challenge.checks.is_empty() {
            return Err(fail(
                "Challenge: it needs at least one Editable and one Check".into(),
            ));
        }
        if challenge.solution.len() != challenge.editable.len() {
            return Err(fail(format!(
                "Challenge: Solution has {} texts for {} editables; it needs one each",
                challenge.solution.len(),
                challenge.editable.len()
            )));
        }
        if let Some(wait) = &challenge.wait {
            parse_duration(wait).ok_or_else(|| {
                fail(format!(
                    "Challenge: Wait \"{wait}\" is not a duration such as 5m"
                ))
            })?;
        }
        // The checks are steps: the one check of what a valid step is.
        let mut as_steps = scenario.clone();
        as_steps.steps = challenge.checks.clone();
        as_steps
            .validate()
            .map_err(|e| fail(format!("Challenge checks: {}", e.0)))?;
        Ok(ChallengeFile {
            scenario,
            challenge,
        })
    }

    /// The run the learner starts from.
    pub fn start(&self) -> Result<ScenarioRun, ScenarioError> {
        ScenarioRun::start(&self.scenario)
    }
}

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
    /// `text` with this run's `${name}` variables (accounts, saved ids)
    /// replaced, as a learner should read it: a task, a label, a solution.
    pub fn expand(&self, text: &str) -> String {
        self.substitute(text).unwrap_or_else(|_| text.to_string())
    }

    /// The text the editor of the challenge's editable `index` starts
    /// from: the key's or identity's policy as the world holds it (pretty
    /// JSON; empty if the identity has none yet), or the starting request.
    pub fn editable_text(&self, challenge: &Challenge, index: usize) -> Option<String> {
        let editable = challenge.editable.get(index)?;
        let pretty = crate::kms::policy_text::pretty_text;
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
            // With its variables' values, as for the policies: a learner
            // edits the real blob, not `${blob}`.
            Editable::Request { start, .. } => Some(self.expand(&pretty(&start.to_string()))),
        }
    }

    /// Plays an attempt: saves each text of `texts` (one per editable, in
    /// order) on a copy of this run's world through the request that saves
    /// it, then replays each check on its own copy of that world. A refused
    /// edit ends the attempt (its result says why); this run is unchanged.
    pub fn attempt(
        &self,
        challenge: &Challenge,
        texts: &[String],
    ) -> Result<Attempt, ScenarioError> {
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
        let narration = match editable {
            Editable::Request { .. } => format!("Sending {}", editable.label()),
            _ => format!("Saving {}", editable.label()),
        };
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
