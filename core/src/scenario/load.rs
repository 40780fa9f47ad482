//! Loading a scenario: parsing, the one check of what a valid scenario is
//! (errors name the step and field), its durations and its `${name}`
//! variables, expanded once and within a stated size.

use super::format::*;
use crate::clock::{DAY, HOUR, MINUTE};
use crate::ids::{AccountId, Region};
use crate::request::Request;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

/// Why a scenario cannot be loaded or started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub String);

impl core::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What [`Scenario::parse`] says of a challenge file (it has a
/// `Challenge`): the story player does not read challenges, the policy
/// workbench does ([`super::challenge::ChallengeFile::parse`]).
const CHALLENGE_FILE: &str =
    "This is a challenge file (it has a \"Challenge\"): the policy workbench opens it";

impl ScenarioError {
    /// Whether the text was a challenge file rather than a broken
    /// scenario, so the playground can send it to the workbench.
    pub fn is_challenge_file(&self) -> bool {
        self.0 == CHALLENGE_FILE
    }
}

pub(super) fn fail(message: String) -> ScenarioError {
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
        if value.get("Challenge").is_some() {
            return Err(fail(CHALLENGE_FILE.into()));
        }
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

    pub(super) fn validate(&self) -> Result<(), ScenarioError> {
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
        if self.steps.is_empty() && self.setup.is_empty() {
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

pub(super) fn parse_seed(text: &str) -> Result<[u8; 32], ScenarioError> {
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
pub(super) fn expand(
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
