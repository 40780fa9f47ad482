//! IAM policies: the grammar, conditions, statement matching, and the pure
//! decision that combines policies and grants ([`authorize`]).

pub mod authorize;
pub mod condition;
pub mod document;
pub mod eval;
pub mod glob;
pub mod stored;

pub use authorize::{
    Authorization, AuthorizationView, Considered, DecidingRule, GrantCheck, GrantVerdict,
    PolicyRole, PolicySource, Purpose, Question, Reason, Retirer, authorize, retirement,
};
pub use condition::{ConditionTrace, RequestContext};
pub use document::{Effect, PolicyDocument, PolicyKind, Statement};
pub use eval::{PrincipalMatch, StatementResult, StatementTrace, Subject};
pub use stored::StoredPolicy;
