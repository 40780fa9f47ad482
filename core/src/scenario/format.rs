//! The scenario format: what a docs author writes by hand (JSON).
//!
//! ```json
//! {
//!   "Id": "aurora-disable-key", "Title": "...", "Story": "S5", "Summary": "...",
//!   "Accounts": [{"Id": "111122223333", "Name": "production"}],
//!   "Setup": [ steps run before the story starts, not shown step by step ],
//!   "Steps": [
//!     {"Narration": "Markdown for the learner",
//!      "Actor": "production",                       // root; or "production:user/alice", "production:role/App",
//!                                                    // a full ARN, or {"Principal": ..., "Via": "rds.amazonaws.com"}
//!      "Request": {"Action": "kms:CreateKey", "Parameters": {}},
//!      "Save": {"cmk": "/KeyMetadata/Arn"},          // JSON pointers into the response
//!      "Expect": {"Error": "DisabledException", "MessageContains": "is disabled"}},
//!     {"Narration": "...", "Advance": "10m"},        // s, m, h, d; or "next" for the next scheduled event
//!     {"Narration": "...", "Checks": [{"ClusterStatus": {"Cluster": "app-db", "Equals": "available"}}]}
//!   ],
//!   "Recap": "Markdown shown once the last step is played: what to remember"
//! }
//! ```
//!
//! Strings may use `${name}`: every account name (its id), `region`, and
//! whatever earlier steps saved.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Scenario {
    /// A stable identifier used in links (`aurora-disable-key`).
    pub id: String,
    /// The title.
    pub title: String,
    /// The story of SCENARIOS.md it tells (`S5`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// One paragraph for the list of scenarios.
    pub summary: String,
    /// 64 hex characters; the default gives every learner the same world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// The Region everything happens in (default `eu-west-1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The accounts.
    pub accounts: Vec<ScenarioAccount>,
    /// Steps run before the story starts (users, roles, policies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub setup: Vec<Step>,
    /// The story, step by step.
    pub steps: Vec<Step>,
    /// What to remember, shown when the last step has been played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recap: Option<String>,
}

/// An account of the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ScenarioAccount {
    /// The 12-digit id.
    pub id: String,
    /// Its name; `${name}` stands for the id.
    pub name: String,
}

/// Who makes a step's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Actor {
    /// `production` (its root), `production:user/alice`, `production:role/App`,
    /// `production:assumed-role/App/session`, or a full ARN.
    Named(String),
    /// A principal calling through a service.
    Detailed {
        /// As in the short form.
        #[serde(rename = "Principal")]
        principal: String,
        /// The service principal calling on its behalf (`rds.amazonaws.com`).
        #[serde(rename = "Via", default, skip_serializing_if = "Option::is_none")]
        via: Option<String>,
    },
}

/// One step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Step {
    /// Markdown for the learner: what happens and which AWS concept it shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub narration: String,
    /// Who acts (default: the first account's root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// The request, `{"Action": ..., "Parameters": ...}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Value>,
    /// Moves the clock: `90s`, `10m`, `2h`, `7d`, `1h30m`, or `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<String>,
    /// Saves values of the response for later steps: name → JSON pointer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub save: BTreeMap<String, String>,
    /// What must happen (default: success).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
    /// Checks on the world after the step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

/// What a request must produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Expectation {
    /// The AWS exception name; absent means success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exact error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// A part of the error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_contains: Option<String>,
    /// Values in the response: JSON pointer → value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response: BTreeMap<String, Value>,
    /// The rows a query returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<Vec<String>>>,
    /// The rule that decided the last authorization (`ExplicitDeny`, `Grant`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// A check on the world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Check {
    /// A cluster's status.
    ClusterStatus {
        /// The cluster identifier.
        #[serde(rename = "Cluster")]
        cluster: String,
        /// Its account (default: the first).
        #[serde(rename = "Account", default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
        /// The expected status.
        #[serde(rename = "Equals")]
        equals: String,
    },
    /// A key's state (`Enabled`, `Disabled`, `PendingDeletion`, `Deleted`).
    KeyState {
        /// Any key id or ARN.
        #[serde(rename = "Key")]
        key: String,
        /// The expected state.
        #[serde(rename = "Equals")]
        equals: String,
    },
    /// Audit events present in the trail.
    AuditEvent {
        /// The event name (`Decrypt`).
        #[serde(rename = "EventName")]
        event_name: String,
        /// `invokedBy` (`rds.amazonaws.com`), if it must match.
        #[serde(rename = "InvokedBy", default, skip_serializing_if = "Option::is_none")]
        invoked_by: Option<String>,
        /// The error code, if it must match (`AccessDenied`).
        #[serde(rename = "ErrorCode", default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        /// At least this many such events (default 1).
        #[serde(rename = "AtLeast", default, skip_serializing_if = "Option::is_none")]
        at_least: Option<usize>,
    },
}
