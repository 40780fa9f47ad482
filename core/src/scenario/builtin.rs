//! The built-in scenarios, compiled in from `core/scenarios/*.json`.

use super::{Scenario, ScenarioError};
use alloc::vec::Vec;

/// Every built-in scenario: (id, JSON text), in the order the playground lists them.
pub const SCENARIOS: &[(&str, &str)] = &[(
    "envelope-encryption",
    include_str!("../../scenarios/envelope-encryption.json"),
)];

/// Parses one built-in scenario.
pub fn get(id: &str) -> Result<Scenario, ScenarioError> {
    let (_, text) = SCENARIOS
        .iter()
        .find(|(i, _)| *i == id)
        .ok_or_else(|| ScenarioError(alloc::format!("There is no built-in scenario {id}")))?;
    Scenario::parse(text)
}

/// Parses every built-in scenario.
pub fn all() -> Result<Vec<Scenario>, ScenarioError> {
    SCENARIOS
        .iter()
        .map(|(_, text)| Scenario::parse(text))
        .collect()
}
