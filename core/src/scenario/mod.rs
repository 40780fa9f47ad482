//! The stories of SCENARIOS.md as data: a documented format a docs author
//! writes by hand, the built-in scenarios, and a runner that plays them.

pub mod builtin;
pub mod format;
pub mod runner;

pub use format::{Actor, Check, Expectation, Scenario, ScenarioAccount, Step};
pub use runner::{ScenarioError, ScenarioRun, StepResult};
