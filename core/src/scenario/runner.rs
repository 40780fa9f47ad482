//! Playing a scenario against a fresh world, step by step.

use super::changes::Watch;
use super::format::*;
use super::load::{MAX_EXPANDED, ScenarioError, expand, fail, parse_duration, parse_seed};
use super::step::StepResult;
use crate::error::KmsError;
use crate::ids::{AccountId, KeyId, Region};
use crate::kms::envelope::Envelope;
use crate::kms::policy_diff::policy_change;
use crate::principal::Caller;
use crate::request::Request;
use crate::world::{World, WorldConfig};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde_json::Value;

/// The seed of built-in scenarios: every learner sees the same bytes.
pub const DEFAULT_SEED: [u8; 32] = *b"kms-playground scenario seed v1\0";

/// A scenario being played.
#[derive(Clone)]
pub struct ScenarioRun {
    scenario: Scenario,
    world: World,
    vars: BTreeMap<String, String>,
    region: Region,
    next: usize,
    results: Vec<StepResult>,
}

impl ScenarioRun {
    /// A fresh world from the scenario's seed, with its accounts and setup done.
    pub fn start(scenario: &Scenario) -> Result<ScenarioRun, ScenarioError> {
        // The one decision of what a valid scenario is, whoever built it.
        scenario.validate()?;
        let seed = match &scenario.seed {
            Some(s) => parse_seed(s)?,
            None => DEFAULT_SEED,
        };
        let region = match &scenario.region {
            Some(region) => Region::parse(region).map_err(|e| fail(format!("Region: {e}")))?,
            None => Region::default(),
        };
        let mut world = World::new(WorldConfig::from_seed(seed));
        let mut vars = BTreeMap::new();
        vars.insert("region".to_string(), region.to_string());
        for a in &scenario.accounts {
            let id = AccountId::parse(&a.id).map_err(|e| fail(format!("Accounts: {e}")))?;
            world
                .add_account(id, &a.name)
                .map_err(|e| fail(format!("Accounts: {e}")))?;
            vars.insert(a.name.clone(), a.id.clone());
        }
        let mut run = ScenarioRun {
            scenario: scenario.clone(),
            world,
            vars,
            region,
            next: 0,
            results: Vec::new(),
        };
        for (i, step) in scenario.setup.iter().enumerate() {
            let result = run.play(step, i);
            if !result.passed {
                return Err(fail(format!(
                    "Setup step {}: {}",
                    i + 1,
                    result.failures.join("; ")
                )));
            }
        }
        Ok(run)
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The Region everything happens in.
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The world as the steps so far left it.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Hands the world over (to continue freely from here).
    pub fn into_world(self) -> World {
        self.world
    }

    /// How many steps have been played.
    pub fn position(&self) -> usize {
        self.next
    }

    /// Whether every step has been played.
    pub fn finished(&self) -> bool {
        self.next >= self.scenario.steps.len()
    }

    /// The results so far.
    pub fn results(&self) -> &[StepResult] {
        &self.results
    }

    /// Plays the next step.
    pub fn step(&mut self) -> Option<&StepResult> {
        let step = self.scenario.steps.get(self.next)?.clone();
        let result = self.play(&step, self.next);
        self.next += 1;
        self.results.push(result);
        self.results.last()
    }

    /// Plays every remaining step.
    pub fn run_to_end(&mut self) -> &[StepResult] {
        while self.step().is_some() {}
        &self.results
    }

    /// `text` with each `${name}` replaced by its value, at most
    /// [`MAX_EXPANDED`] bytes.
    pub(super) fn substitute(&self, text: &str) -> Result<String, String> {
        expand(&self.vars, text, &mut MAX_EXPANDED.clone())
    }

    /// Every string of `value` substituted; the whole result shares one
    /// budget of [`MAX_EXPANDED`] bytes.
    fn substitute_value(&self, value: &Value) -> Result<Value, String> {
        fn walk(
            vars: &BTreeMap<String, String>,
            value: &Value,
            budget: &mut usize,
        ) -> Result<Value, String> {
            Ok(match value {
                Value::String(s) => Value::String(expand(vars, s, budget)?),
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|v| walk(vars, v, budget))
                        .collect::<Result<_, _>>()?,
                ),
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, v)| Ok((expand(vars, k, budget)?, walk(vars, v, budget)?)))
                        .collect::<Result<_, String>>()?,
                ),
                other => other.clone(),
            })
        }
        walk(&self.vars, value, &mut MAX_EXPANDED.clone())
    }

    pub(super) fn account_id(&self, name: &str) -> Option<String> {
        self.scenario
            .accounts
            .iter()
            .find(|a| a.name == name || a.id == name)
            .map(|a| a.id.clone())
    }

    pub(super) fn caller(&self, actor: Option<&Actor>) -> Result<Caller, String> {
        let (text, via) = match actor {
            None => (self.scenario.accounts[0].name.clone(), None),
            Some(Actor::Named(n)) => (self.substitute(n)?, None),
            Some(Actor::Detailed { principal, via }) => (self.substitute(principal)?, via.clone()),
        };
        let arn = if text.starts_with("arn:") || text.ends_with(".amazonaws.com") {
            text.clone()
        } else {
            let (account, rest) = text
                .split_once(':')
                .map_or((text.as_str(), None), |(a, r)| (a, Some(r)));
            let id = self
                .account_id(account)
                .ok_or_else(|| format!("Actor: no account named {account}"))?;
            match rest {
                None => format!("arn:aws:iam::{id}:root"),
                Some(r) if r.starts_with("assumed-role/") => format!("arn:aws:sts::{id}:{r}"),
                Some(r) => format!("arn:aws:iam::{id}:{r}"),
            }
        };
        let caller = Caller::parse(&arn, via.as_deref(), self.region.clone())
            .map_err(|e| format!("Actor: {}", e.message()))?;
        Ok(caller)
    }

    pub(super) fn play(&mut self, step: &Step, index: usize) -> StepResult {
        let mut result = StepResult::new(index, step.narration.clone());
        let mut watch = Watch::start(&self.world);
        if let Some(advance) = &step.advance {
            let moved = match parse_duration(advance) {
                Some(Some(seconds)) => self.world.advance(seconds).map(|()| true),
                Some(None) => self.world.advance_to_next_event(),
                None => Err(KmsError::ValidationException(format!(
                    "Advance \"{advance}\" is not a duration"
                ))),
            };
            match moved {
                Ok(true) => {}
                Ok(false) => result
                    .failures
                    .push("there is no scheduled event to advance to".into()),
                Err(e) => result.failures.push(e.message().to_string()),
            }
            let (interval, changes) = watch.lap(&self.world);
            result.audit_events = interval.events.clone();
            result.interval = Some(interval);
            result.changes = changes;
            result.expected = format!("The clock moves forward ({advance}).");
        }
        if let Some(template) = &step.request {
            self.play_request(step, template, &mut result);
            result.changes.extend(watch.lap(&self.world).1);
        }
        for check in &step.checks {
            if let Err(failure) = self.check(check) {
                result.failures.push(failure);
            }
        }
        result.passed = result.failures.is_empty();
        result
    }

    fn play_request(&mut self, step: &Step, template: &Value, result: &mut StepResult) {
        let sent = match self.substitute_value(template) {
            Ok(sent) => sent,
            Err(e) => {
                result.failures.push(e);
                return;
            }
        };
        result.request = Some(sent.clone());
        let caller = match self.caller(step.actor.as_ref()) {
            Ok(c) => c,
            Err(e) => {
                result.failures.push(e);
                return;
            }
        };
        result.actor = Some(caller.label());
        let request = match serde_json::from_value::<Request>(sent) {
            Ok(r) => r,
            Err(e) => {
                result
                    .failures
                    .push(format!("the request is not valid: {e}"));
                return;
            }
        };
        let shown = Envelope::shows(&request).then(|| request.clone());
        result.policy_change = policy_change(&self.world.state().kms, &request);
        let outcome = self.world.call(caller, request);
        let answer = result.take_outcome(shown.as_ref(), outcome, &self.world);
        let expect = step.expect.clone().unwrap_or_default();
        result.expected = match &expect.error {
            Some(e) => format!("Fails with {e}."),
            None => String::from("Succeeds."),
        };
        match answer {
            Ok(response) => {
                let body = crate::json::to_value(&response).unwrap_or(Value::Null);
                if let Some(e) = &expect.error {
                    result
                        .failures
                        .push(format!("expected {e}, but the request succeeded"));
                }
                for (name, pointer) in &step.save {
                    match body.pointer(pointer) {
                        Some(Value::String(s)) => {
                            self.vars.insert(name.clone(), s.clone());
                        }
                        Some(other) => {
                            self.vars.insert(name.clone(), other.to_string());
                        }
                        None => result
                            .failures
                            .push(format!("Save: the response has nothing at {pointer}")),
                    }
                }
                for (pointer, want) in &expect.response {
                    let want = match self.substitute_value(want) {
                        Ok(want) => want,
                        Err(e) => {
                            result.failures.push(e);
                            continue;
                        }
                    };
                    match body.pointer(pointer) {
                        Some(got) if *got == want => {}
                        got => result.failures.push(format!(
                            "expected {want} at {pointer}, got {}",
                            got.map_or("nothing".into(), Value::to_string)
                        )),
                    }
                }
                if let Some(rows) = &expect.rows {
                    let got: Vec<Vec<String>> = body
                        .pointer("/records")
                        .and_then(Value::as_array)
                        .map(|records| {
                            records
                                .iter()
                                .map(|r| {
                                    r.as_array()
                                        .map(|f| {
                                            f.iter()
                                                .map(|v| {
                                                    v["stringValue"]
                                                        .as_str()
                                                        .unwrap_or("")
                                                        .to_string()
                                                })
                                                .collect()
                                        })
                                        .unwrap_or_default()
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if &got != rows {
                        result
                            .failures
                            .push(format!("expected rows {rows:?}, got {got:?}"));
                    }
                }
                result.response = Some(body);
            }
            Err(error) => {
                match &expect.error {
                    None => result
                        .failures
                        .push(format!("expected success, got {error}")),
                    Some(name) if name != error.name() => result
                        .failures
                        .push(format!("expected {name}, got {error}")),
                    Some(_) => {}
                }
                if let Some(m) = &expect.message {
                    let m = self.substitute(m).unwrap_or_else(|e| e);
                    if error.message() != m {
                        result.failures.push(format!(
                            "expected the message \"{m}\", got \"{}\"",
                            error.message()
                        ));
                    }
                }
                if let Some(part) = &expect.message_contains {
                    let part = self.substitute(part).unwrap_or_else(|e| e);
                    if !error.message().contains(&part) {
                        result.failures.push(format!(
                            "expected the message to contain \"{part}\", got \"{}\"",
                            error.message()
                        ));
                    }
                }
                result.error = Some(error);
            }
        }
        if let Some(rule) = &expect.rule {
            let got = result
                .authorizations
                .last()
                .map(|a| serde_json::to_value(a.rule).unwrap_or(Value::Null));
            if got.as_ref().and_then(Value::as_str) != Some(rule.as_str()) {
                result
                    .failures
                    .push(format!("expected the deciding rule {rule}, got {got:?}"));
            }
        }
    }

    fn check(&self, check: &Check) -> Result<(), String> {
        match check {
            Check::ClusterStatus {
                cluster,
                account,
                equals,
            } => {
                let account = match account {
                    Some(a) => self
                        .account_id(&self.substitute(a)?)
                        .ok_or_else(|| format!("ClusterStatus: no account {a}"))?,
                    None => self.scenario.accounts[0].id.clone(),
                };
                let cluster = self.substitute(cluster)?;
                let found = self
                    .world
                    .state()
                    .rds
                    .clusters
                    .values()
                    .find(|c| {
                        c.id == cluster && c.account.as_str() == account && c.region == self.region
                    })
                    .ok_or_else(|| {
                        format!("ClusterStatus: no cluster {cluster} in account {account}")
                    })?;
                if found.status.as_str() == equals {
                    Ok(())
                } else {
                    Err(format!(
                        "cluster {cluster} is {}, expected {equals}",
                        found.status.as_str()
                    ))
                }
            }
            Check::KeyState { key, equals } => {
                let key = self.substitute(key)?;
                let id_text = key.rsplit('/').next().unwrap_or(&key);
                let id = KeyId::parse(id_text)
                    .ok_or_else(|| format!("KeyState: {key} is not a key id or ARN"))?;
                let state = match self.world.state().kms.keys.get(&id) {
                    Some(k) => serde_json::to_value(k.state)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    None if self.world.state().kms.deleted.contains_key(&id) => "Deleted".into(),
                    None => return Err(format!("KeyState: no key {key}")),
                };
                if state == *equals {
                    Ok(())
                } else {
                    Err(format!("key {key} is {state}, expected {equals}"))
                }
            }
            Check::AuditEvent {
                event_name,
                invoked_by,
                error_code,
                at_least,
            } => {
                let count = self
                    .world
                    .audit()
                    .events()
                    .filter(|e| e.event_name == *event_name)
                    .filter(|e| {
                        invoked_by
                            .as_ref()
                            .is_none_or(|i| e.user_identity.invoked_by == Some(i.as_str()))
                    })
                    .filter(|e| {
                        error_code
                            .as_ref()
                            .is_none_or(|c| e.error_code == Some(c.as_str()))
                    })
                    .count();
                let want = at_least.unwrap_or(1);
                if count >= want {
                    Ok(())
                } else {
                    Err(format!(
                        "expected at least {want} {event_name} event(s) in the trail, found {count}"
                    ))
                }
            }
        }
    }
}
