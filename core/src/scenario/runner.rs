//! Loading scenarios (with errors that name the step and field) and playing
//! them against a fresh world, step by step.

use super::format::*;
use crate::clock::{DAY, HOUR, MINUTE};
use crate::error::KmsError;
use crate::ids::{AccountId, KeyId, Region};
use crate::kms::envelope::Envelope;
use crate::policy::Authorization;
use crate::principal::Caller;
use crate::request::{Request, Response};
use crate::world::{Outcome, World, WorldConfig};
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::Value;

/// The seed of built-in scenarios: every learner sees the same bytes.
pub const DEFAULT_SEED: [u8; 32] = *b"kms-playground scenario seed v1\0";

/// Why a scenario cannot be loaded or started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl core::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail(message: String) -> ScenarioError {
    ScenarioError(message)
}

/// Where a step is: `Setup step 2` or `Step 5`.
fn place(setup: bool, index: usize) -> String {
    if setup {
        format!("Setup step {}", index + 1)
    } else {
        format!("Step {}", index + 1)
    }
}

impl Scenario {
    /// Parses and validates a scenario. Errors name the step and field:
    /// `Step 4: unknown field "Requst"`. Never panics.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let mut value: Value = serde_json::from_str(text)
            .map_err(|e| fail(format!("The scenario is not valid JSON: {e}")))?;
        let mut parse_steps = |field: &str, setup: bool| -> Result<Vec<Step>, ScenarioError> {
            let Some(raw) = value.as_object_mut().and_then(|o| o.remove(field)) else {
                return Ok(Vec::new());
            };
            let Value::Array(items) = raw else {
                return Err(fail(format!("{field} must be a list of steps")));
            };
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    serde_json::from_value::<Step>(v)
                        .map_err(|e| fail(format!("{}: {e}", place(setup, i))))
                })
                .collect()
        };
        let setup = parse_steps("Setup", true)?;
        let steps = parse_steps("Steps", false)?;
        if let Some(o) = value.as_object_mut() {
            o.insert("Steps".into(), Value::Array(Vec::new()));
        }
        let mut scenario: Scenario =
            serde_json::from_value(value).map_err(|e| fail(format!("Scenario: {e}")))?;
        scenario.setup = setup;
        scenario.steps = steps;
        scenario.validate()?;
        Ok(scenario)
    }

    fn validate(&self) -> Result<(), ScenarioError> {
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(fail(format!(
                "Id \"{}\" must be lowercase letters, digits and hyphens",
                self.id
            )));
        }
        if self.accounts.is_empty() {
            return Err(fail(
                "Accounts: a scenario needs at least one account".into(),
            ));
        }
        for (i, a) in self.accounts.iter().enumerate() {
            AccountId::parse(&a.id).map_err(|_| {
                fail(format!(
                    "Accounts: \"{}\" is not a 12-digit account id",
                    a.id
                ))
            })?;
            crate::iam::check_account_name(&a.name)
                .map_err(|e| fail(format!("Accounts: {}", e.message())))?;
            if let Some(same) = self.accounts[..i]
                .iter()
                .find(|b| b.id == a.id || b.name == a.name)
            {
                return Err(fail(format!(
                    "Accounts: \"{}\" ({}) and \"{}\" ({}) share an id or a name; each account needs its own",
                    same.name, same.id, a.name, a.id
                )));
            }
        }
        if let Some(seed) = &self.seed {
            parse_seed(seed)?;
        }
        if let Some(region) = &self.region {
            Region::parse(region)
                .map_err(|_| fail(format!("Region: \"{region}\" is not a Region name")))?;
        }
        if self.steps.is_empty() {
            return Err(fail("Steps: a scenario needs at least one step".into()));
        }
        for (setup, steps) in [(true, &self.setup), (false, &self.steps)] {
            for (i, step) in steps.iter().enumerate() {
                let at = place(setup, i);
                match (&step.request, &step.advance) {
                    (Some(_), Some(_)) => {
                        return Err(fail(format!(
                            "{at}: a step has a Request or an Advance, not both"
                        )));
                    }
                    (None, None) if step.checks.is_empty() => {
                        return Err(fail(format!(
                            "{at}: a step needs a Request, an Advance or Checks"
                        )));
                    }
                    _ => {}
                }
                if let Some(request) = &step.request {
                    // Variables are only known at run time: stand them in with
                    // text that is valid wherever a string (or base64) goes.
                    serde_json::from_value::<Request>(neutralize(request))
                        .map_err(|e| fail(format!("{at}: Request is not valid: {e}")))?;
                }
                if let Some(advance) = &step.advance {
                    parse_duration(advance).ok_or_else(|| fail(format!("{at}: Advance \"{advance}\" is not a duration such as 90s, 10m, 2h, 7d or next")))?;
                }
                if step.expect.is_some() && step.request.is_none() {
                    return Err(fail(format!("{at}: Expect needs a Request")));
                }
                for pointer in step.save.values() {
                    if !pointer.starts_with('/') {
                        return Err(fail(format!(
                            "{at}: Save pointer \"{pointer}\" must start with /"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

fn neutralize(value: &Value) -> Value {
    match value {
        Value::String(s) if s.contains("${") => Value::String("AAAA".into()),
        Value::Array(items) => Value::Array(items.iter().map(neutralize).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), neutralize(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn parse_seed(text: &str) -> Result<[u8; 32], ScenarioError> {
    crate::world::parse_seed(text).map_err(|e| fail(format!("Seed: {}", e.message())))
}

/// The most bytes the strings of one step may expand to once its
/// `${name}` variables are replaced.
pub const MAX_EXPANDED: usize = 1 << 20;

/// Replaces each `${name}` of `text` with its value, in one pass from left
/// to right: a value that itself contains `${...}` is not expanded again
/// (so variables cannot multiply each other). Unknown names stay as
/// written. Refuses to write more than `budget` bytes, and takes what it
/// wrote from the budget.
fn expand(
    vars: &BTreeMap<String, String>,
    text: &str,
    budget: &mut usize,
) -> Result<String, String> {
    let mut out = String::new();
    let mut push = |out: &mut String, piece: &str| {
        *budget = budget.checked_sub(piece.len()).ok_or_else(|| {
            format!(
                "the step's ${{...}} variables expand to more than {MAX_EXPANDED} bytes; the scenario is refused"
            )
        })?;
        out.push_str(piece);
        Ok::<(), String>(())
    };
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let Some(end) = rest[at..].find('}').map(|e| at + e) else {
            break;
        };
        push(&mut out, &rest[..at])?;
        let name = &rest[at + 2..end];
        match vars.get(name) {
            Some(value) => push(&mut out, value)?,
            None => push(&mut out, &rest[at..=end])?,
        }
        rest = &rest[end + 1..];
    }
    push(&mut out, rest)?;
    Ok(out)
}

/// `90s`, `10m`, `2h`, `7d`, `1h30m`; `next` is `None` inside `Some`.
pub fn parse_duration(text: &str) -> Option<Option<u64>> {
    if text == "next" {
        return Some(None);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let n: u64 = number.parse().ok()?;
            number.clear();
            total = total.checked_add(n.checked_mul(match c {
                's' => 1,
                'm' => MINUTE,
                'h' => HOUR,
                'd' => DAY,
                _ => return None,
            })?)?;
        }
    }
    (number.is_empty() && total > 0).then_some(Some(total))
}

/// One step's outcome beside its expectation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StepResult {
    /// The step's index in `Steps`.
    pub index: usize,
    /// The narration.
    pub narration: String,
    /// Who acted, as an ARN (plus the service it went through).
    pub actor: Option<String>,
    /// The request as sent, variables substituted.
    pub request: Option<Value>,
    /// The response body.
    pub response: Option<Value>,
    /// The error, if the request failed.
    pub error: Option<KmsError>,
    /// Every authorization, with its explanation.
    pub authorizations: Vec<Authorization>,
    /// Audit events the step produced.
    pub audit_events: Vec<u64>,
    /// What the step expected, in words.
    pub expected: String,
    /// Whether everything expected happened.
    pub passed: bool,
    /// What did not match.
    pub failures: Vec<String>,
    /// The envelope of a cryptographic call that succeeded, typed (the
    /// request and response above already carry its bytes).
    #[serde(skip)]
    pub envelope: Option<Envelope>,
}

impl StepResult {
    /// An empty result for step `index`.
    pub fn new(index: usize, narration: String) -> Self {
        Self {
            index,
            narration,
            actor: None,
            request: None,
            response: None,
            error: None,
            authorizations: Vec::new(),
            audit_events: Vec::new(),
            expected: String::new(),
            passed: true,
            failures: Vec::new(),
            envelope: None,
        }
    }

    /// Keeps what a call produced (its decisions, its audit events and,
    /// when `sent` is a copy of a cryptographic request, its envelope) and
    /// hands back its result.
    pub fn take_outcome(
        &mut self,
        sent: Option<&Request>,
        outcome: Outcome,
    ) -> Result<Response, KmsError> {
        self.authorizations = outcome.authorizations;
        self.audit_events = outcome.audit_events;
        if let (Some(request), Ok(response)) = (sent, &outcome.result) {
            self.envelope = Envelope::of(request, response);
        }
        outcome.result
    }
}

/// A scenario being played.
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
    fn substitute(&self, text: &str) -> Result<String, String> {
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

    fn account_id(&self, name: &str) -> Option<String> {
        self.scenario
            .accounts
            .iter()
            .find(|a| a.name == name || a.id == name)
            .map(|a| a.id.clone())
    }

    fn caller(&self, actor: Option<&Actor>) -> Result<Caller, String> {
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

    fn play(&mut self, step: &Step, index: usize) -> StepResult {
        let mut result = StepResult::new(index, step.narration.clone());
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
            result.expected = format!("The clock moves forward ({advance}).");
        }
        if let Some(template) = &step.request {
            self.play_request(step, template, &mut result);
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
        let outcome = self.world.call(caller, request);
        let answer = result.take_outcome(shown.as_ref(), outcome);
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
