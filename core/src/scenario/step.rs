//! One played step, as the page shows it: the request as sent, the
//! response or error, every decision, the audit events, the envelope of a
//! cryptographic call, and what was expected.

use super::changes::{Change, Interval};
use crate::error::KmsError;
use crate::kms::envelope::Envelope;
use crate::kms::integrity::{ContextMismatch, context_mismatch};
use crate::kms::policy_diff::PolicyChange;
use crate::policy::Authorization;
use crate::request::{Request, Response};
use crate::world::Outcome;
use crate::world::World;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::Value;

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
    /// A Decrypt allowed by policy that failed the integrity check: the
    /// context it gave beside the one the blob was bound to.
    pub context_mismatch: Option<ContextMismatch>,
    /// A PutKeyPolicy: the policy it replaces against the new one (read
    /// before the call; shown whether the call succeeds or not).
    pub policy_change: Option<PolicyChange>,
    /// A clock step: the interval and the events recorded in it.
    pub interval: Option<Interval>,
    /// What the step changed (key states, cluster statuses, ...).
    pub changes: Vec<Change>,
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
            context_mismatch: None,
            policy_change: None,
            interval: None,
            changes: Vec::new(),
        }
    }

    /// Keeps what a call produced (its decisions, its audit events and,
    /// when `sent` is a copy of a cryptographic request, its envelope, or
    /// why a Decrypt KMS allowed still failed) and hands back its result.
    /// `world` is the world the call left.
    pub fn take_outcome(
        &mut self,
        sent: Option<&Request>,
        outcome: Outcome,
        world: &World,
    ) -> Result<Response, KmsError> {
        self.authorizations = outcome.authorizations;
        self.audit_events = outcome.audit_events;
        match (sent, &outcome.result) {
            (Some(request), Ok(response)) => self.envelope = Envelope::of(request, response),
            (Some(request), Err(error)) => {
                let allowed = self.authorizations.last().is_some_and(|a| a.allowed);
                let state = world.state();
                self.context_mismatch =
                    context_mismatch(&state.kms, world.audit(), request, error, allowed);
            }
            (None, _) => {}
        }
        outcome.result
    }
}
