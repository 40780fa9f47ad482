//! IAM policies: the grammar, conditions, and statement evaluation.

pub mod condition;
pub mod document;
pub mod eval;
pub mod glob;

pub use condition::{ConditionTrace, RequestContext};
pub use document::{Effect, PolicyDocument, PolicyKind, Statement};
pub use eval::{PrincipalMatch, StatementTrace, Subject};
