//! The audit trail: one CloudTrail-shaped event for every call, allowed or
//! refused, successful or failed, and for what KMS does by itself (deleting
//! a key at the end of its waiting period, rotating key material).
//!
//! Plaintexts and key material never enter it: request and response
//! elements are built from the request and response with `Plaintext` and
//! `CiphertextBlob` removed, as CloudTrail does. The encryption context does
//! appear, in plaintext: it is not secret, which is why it must never hold
//! secrets.

use crate::clock::Timestamp;
use crate::ids::{AccountId, Region};
use crate::principal::Principal;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// How many events a trail keeps by default before dropping the oldest.
pub const DEFAULT_CAPACITY: usize = 50_000;

/// CloudTrail's `userIdentity`. The event keeps the caller's ARN only; the
/// rest (`principalId`, `accessKeyId`, `userName`, and for a session its
/// `sessionContext.sessionIssuer`, the role it was assumed from) is written
/// from it when the event is read, as in the KMS developer guide's examples
/// (ct-decrypt, services-cloudtrail).
#[derive(Debug, Clone, PartialEq)]
pub struct UserIdentity {
    /// `Root`, `IAMUser`, `AssumedRole`; none for what AWS does by itself.
    pub kind: Option<&'static str>,
    /// The principal's ARN.
    pub arn: Option<Arc<str>>,
    /// The principal's account.
    pub account_id: Option<AccountId>,
    /// The service that made the call on the principal's behalf, or
    /// `AWS Internal` for what AWS does by itself.
    pub invoked_by: Option<&'static str>,
}

impl UserIdentity {
    /// Who a learner should read as the caller: the service that made the
    /// call (`rds.amazonaws.com`, `AWS Internal`), else the principal's ARN.
    pub fn who(&self) -> String {
        self.invoked_by
            .map(String::from)
            .or_else(|| self.arn.as_deref().map(String::from))
            .unwrap_or_default()
    }
}

impl Serialize for UserIdentity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let principal = self.arn.as_deref().and_then(|a| Principal::parse(a).ok());
        let mut m = s.serialize_map(None)?;
        if let Some(kind) = self.kind {
            m.serialize_entry("type", kind)?;
        }
        if let Some(p) = &principal {
            m.serialize_entry("principalId", &p.unique_id())?;
        }
        if let Some(arn) = &self.arn {
            m.serialize_entry("arn", arn)?;
        }
        if let Some(account) = &self.account_id {
            m.serialize_entry("accountId", account)?;
        }
        if let Some(key) = principal.as_ref().and_then(Principal::access_key_id) {
            m.serialize_entry("accessKeyId", &key)?;
        }
        match &principal {
            Some(Principal::User(_, name)) => m.serialize_entry("userName", name)?,
            Some(Principal::AssumedRole { account, role, .. }) => {
                let issuer = Principal::Role(account.clone(), role.clone());
                m.serialize_entry(
                    "sessionContext",
                    &serde_json::json!({
                        "sessionIssuer": {
                            "type": "Role",
                            "principalId": issuer.unique_id(),
                            "arn": issuer.arn(),
                            "accountId": account,
                            "userName": role,
                        },
                        "attributes": {"mfaAuthenticated": "false"},
                    }),
                )?
            }
            _ => {}
        }
        if let Some(by) = self.invoked_by {
            m.serialize_entry("invokedBy", by)?;
        }
        m.end()
    }
}

/// A resource named by an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditResource {
    /// Owner account.
    #[serde(rename = "accountId")]
    pub account_id: AccountId,
    /// `AWS::KMS::Key`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The resource's ARN.
    #[serde(rename = "ARN")]
    pub arn: Arc<str>,
}

impl AuditResource {
    /// A KMS key.
    pub fn key(account_id: AccountId, arn: Arc<str>) -> Self {
        Self {
            account_id,
            kind: "AWS::KMS::Key",
            arn,
        }
    }
}

/// One CloudTrail event. Its text is written when it is read (shared or
/// static strings, ids as UUIDs): a call pays little for its event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Position in the trail, from 0; never reused.
    #[serde(skip)]
    pub sequence: u64,
    /// The virtual time of the call.
    #[serde(skip)]
    pub time: Timestamp,
    /// `1.08`.
    pub event_version: &'static str,
    /// Who called.
    pub user_identity: UserIdentity,
    /// ISO 8601 time.
    pub event_time: Arc<str>,
    /// `kms.amazonaws.com`, `iam.amazonaws.com`, ...
    pub event_source: &'static str,
    /// The operation, for example `Decrypt`.
    pub event_name: &'static str,
    /// The Region called.
    pub aws_region: Region,
    /// A service's name, or a documentation IP for people.
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: &'static str,
    /// The client.
    pub user_agent: &'static str,
    /// The request, without secrets.
    pub request_parameters: Option<Value>,
    /// The response, without secrets (null for reads and cryptographic operations).
    pub response_elements: Option<Value>,
    /// The error's exception name, when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<&'static str>,
    /// The error's message, when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// A request id (none for what AWS does by itself).
    #[serde(rename = "requestID", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<Uuid>,
    /// This event's id.
    #[serde(rename = "eventID")]
    pub event_id: Uuid,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// The keys the call touched.
    pub resources: Vec<AuditResource>,
    /// `AwsApiCall` for requests, `AwsServiceEvent` for what AWS did by itself.
    pub event_type: &'static str,
    /// Always true here.
    pub management_event: bool,
    /// The account whose trail receives the event.
    pub recipient_account_id: Option<AccountId>,
    /// `Management`.
    pub event_category: &'static str,
    /// What AWS did by itself, in detail (`RotateKey`: the rotation type
    /// and the key id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_event_details: Option<Value>,
}

/// A filter over the trail; every field set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Events naming this key ARN among their resources.
    pub key_arn: Option<String>,
    /// Events by this principal ARN.
    pub principal_arn: Option<String>,
    /// Events with this name (`Decrypt`).
    pub event_name: Option<String>,
    /// Only failed calls.
    pub errors_only: bool,
}

impl AuditQuery {
    /// Whether `event` passes the filter.
    pub fn matches(&self, event: &AuditEvent) -> bool {
        self.key_arn
            .as_ref()
            .is_none_or(|k| event.resources.iter().any(|r| *r.arn == **k))
            && self
                .principal_arn
                .as_ref()
                .is_none_or(|p| event.user_identity.arn.as_deref() == Some(p.as_str()))
            && self
                .event_name
                .as_ref()
                .is_none_or(|n| event.event_name == n)
            && (!self.errors_only || event.error_code.is_some())
    }
}

/// The trail: the most recent events, at most `capacity` of them. Older
/// events are dropped (and counted) so that memory stays bounded however
/// long a world runs.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditTrail {
    events: VecDeque<AuditEvent>,
    capacity: usize,
    next_sequence: u64,
}

impl Default for AuditTrail {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl AuditTrail {
    /// A trail keeping at most `capacity` events (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            events: VecDeque::new(),
            capacity: capacity.max(1),
            next_sequence: 0,
        }
    }

    /// Appends an event, giving it the next sequence number.
    pub fn push(&mut self, mut event: AuditEvent) -> u64 {
        event.sequence = self.next_sequence;
        self.next_sequence += 1;
        if self.events.len() == self.capacity {
            self.events.pop_front();
        }
        self.events.push_back(event);
        self.next_sequence - 1
    }

    /// Events still kept, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &AuditEvent> {
        self.events.iter()
    }

    /// How many events were ever recorded.
    pub fn recorded(&self) -> u64 {
        self.next_sequence
    }

    /// How many of the oldest events were dropped to respect the capacity.
    pub fn dropped(&self) -> u64 {
        self.next_sequence - self.events.len() as u64
    }

    /// The event with sequence number `sequence`, if still kept.
    pub fn get(&self, sequence: u64) -> Option<&AuditEvent> {
        let first = self.events.front()?.sequence;
        self.events
            .get(usize::try_from(sequence.checked_sub(first)?).ok()?)
    }

    /// The events passing `query`, oldest first.
    pub fn query<'a>(&'a self, query: &'a AuditQuery) -> impl Iterator<Item = &'a AuditEvent> + 'a {
        self.events.iter().filter(move |e| query.matches(e))
    }

    /// Events as a CloudTrail log file: `{"Records": [...]}`.
    pub fn to_cloudtrail_json<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> String {
        let records: Vec<&AuditEvent> = events.into_iter().collect();
        serde_json::to_string_pretty(&serde_json::json!({ "Records": records }))
            .unwrap_or_else(|_| String::from("{\"Records\":[]}"))
    }
}
