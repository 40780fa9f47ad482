//! The built-in scenarios, compiled in from `core/scenarios/<id>.json`.

use super::{Scenario, ScenarioError};
use alloc::vec::Vec;

macro_rules! scenarios {
    ($($id:literal),+ $(,)?) => {
        /// Every built-in scenario: (id, JSON text), in the order the playground lists them.
        pub const SCENARIOS: &[(&str, &str)] = &[
            $(($id, include_str!(concat!("../../scenarios/", $id, ".json")))),+
        ];
    };
}

scenarios!(
    "envelope-encryption",
    "encryption-context",
    "aliases",
    "rotation-and-deletion",
    "key-policies",
    "policy-lockout",
    "grant-constraints",
    "aurora-disable-key",
    "snapshot-second-key",
    "cross-account-snapshot",
    "parameter-store",
);

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
