//! The stories of SCENARIOS.md as data: a documented format a docs author
//! writes by hand, the built-in scenarios, and a runner that plays them.

pub mod builtin;
pub mod challenge;
pub mod changes;
pub mod format;
pub mod load;
pub mod runner;
pub mod step;

pub use format::{Actor, Check, Expectation, Scenario, ScenarioAccount, Step};
pub use load::{ScenarioError, parse_duration};
pub use runner::ScenarioRun;
pub use step::StepResult;
