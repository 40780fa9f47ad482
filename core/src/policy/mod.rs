//! IAM policies: the grammar, conditions, statement matching, and the pure
//! decision that combines policies and grants ([`authorize`]).

pub mod authorize;
pub mod condition;
pub mod context;
pub mod document;
pub mod eval;
pub mod explain;
pub mod glob;
pub mod stored;
pub mod values;
pub mod variables;

pub use authorize::{
    Authorization, Considered, ContextConstraint, DecidingRule, GrantBlocker, GrantCheck,
    GrantTrace, GrantVerdict, PolicyRole, PolicySource, Purpose, Question, Reason, Retirer,
    authorize, retirement,
};
pub use condition::{ConditionTrace, RequestContext};
pub use document::{Effect, PolicyDocument, PolicyKind, Statement};
pub use eval::{PrincipalMatch, StatementResult, StatementTrace, Subject};
pub use explain::{AuthorizationView, ContextEntry, PolicyTrace};
pub use stored::StoredPolicy;
