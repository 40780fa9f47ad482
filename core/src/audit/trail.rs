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
use crate::request::Request;
use alloc::borrow::Cow;
use alloc::boxed::Box;
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

/// Request parameters, response elements or service event details, boxed
/// so that an event stays small (a full trail is a ring of tens of
/// thousands of events, and a call writes over the oldest).
#[derive(Debug, Clone, PartialEq)]
pub enum Elements {
    /// Written as JSON when recorded.
    Json(Box<Value>),
    /// A request's parameters, kept as the request without its secrets or
    /// blobs ([`Request::audit_copy`]) and written as CloudTrail JSON
    /// ([`Request::cloudtrail_parameters`]) only when the event is read.
    Request(Box<Request>),
}

impl Elements {
    /// A request's parameters: kept as the request when it has an audit
    /// copy, else written now.
    pub fn of_request(request: &Request) -> Option<Self> {
        match request.audit_copy() {
            Some(copy) => Some(Self::Request(Box::new(copy))),
            None => request.cloudtrail_parameters().map(Self::new),
        }
    }

    /// Keeps `value`.
    pub fn new(value: Value) -> Self {
        Self::Json(Box::new(value))
    }

    /// The elements as JSON.
    pub fn value(&self) -> Cow<'_, Value> {
        match self {
            Self::Json(value) => Cow::Borrowed(value),
            Self::Request(request) => {
                Cow::Owned(request.cloudtrail_parameters().unwrap_or(Value::Null))
            }
        }
    }
}

impl Serialize for Elements {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(s)
    }
}

/// The source address CloudTrail shows for a person's call (a
/// documentation address, RFC 5737).
const PERSON_IP: &str = "203.0.113.10";

/// One CloudTrail event. Its text is written when it is read (shared or
/// static strings, ids as UUIDs, a cryptographic request's parameters as
/// the request itself, see [`Elements`]); what every
/// event says alike (`eventVersion`, `managementEvent`, ...) or what
/// follows from who called (`sourceIPAddress`, `userAgent`, `eventType`)
/// is not stored at all. A call pays little for its event, and a trail
/// of 50,000 events stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    /// Position in the trail, from 0; never reused.
    pub sequence: u64,
    /// The virtual time of the call.
    pub time: Timestamp,
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
    /// The request, without secrets.
    pub request_parameters: Option<Elements>,
    /// The response, without secrets (null for reads and cryptographic operations).
    pub response_elements: Option<Elements>,
    /// The error's exception name, when the call failed.
    pub error_code: Option<&'static str>,
    /// The error's message, when the call failed.
    pub error_message: Option<String>,
    /// A request id (none for what AWS does by itself).
    pub request_id: Option<Uuid>,
    /// This event's id.
    pub event_id: Uuid,
    /// Whether the operation only reads.
    pub read_only: bool,
    /// The keys the call touched.
    pub resources: Vec<AuditResource>,
    /// The account whose trail receives the event.
    pub recipient_account_id: Option<AccountId>,
    /// What AWS did by itself, in detail (`RotateKey`: the rotation type
    /// and the key id).
    pub service_event_details: Option<Elements>,
}

impl AuditEvent {
    /// `AwsApiCall` for requests, `AwsServiceEvent` for what AWS did by
    /// itself (an event with no caller).
    pub fn event_type(&self) -> &'static str {
        if self.user_identity.kind.is_some() {
            "AwsApiCall"
        } else {
            "AwsServiceEvent"
        }
    }

    /// A service's name (or `AWS Internal`), else a documentation address
    /// for people.
    pub fn source_ip_address(&self) -> &'static str {
        self.user_identity.invoked_by.unwrap_or(PERSON_IP)
    }

    /// The client: a service's name (or `AWS Internal`), else the playground.
    pub fn user_agent(&self) -> &'static str {
        self.user_identity.invoked_by.unwrap_or("kms-playground")
    }
}

/// An event as CloudTrail writes it, field by field in CloudTrail's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    event_version: &'static str,
    user_identity: &'a UserIdentity,
    event_time: &'a str,
    event_source: &'static str,
    event_name: &'static str,
    aws_region: &'a Region,
    #[serde(rename = "sourceIPAddress")]
    source_ip_address: &'static str,
    user_agent: &'static str,
    request_parameters: &'a Option<Elements>,
    response_elements: &'a Option<Elements>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: &'a Option<String>,
    #[serde(rename = "requestID", skip_serializing_if = "Option::is_none")]
    request_id: &'a Option<Uuid>,
    #[serde(rename = "eventID")]
    event_id: &'a Uuid,
    read_only: bool,
    resources: &'a [AuditResource],
    event_type: &'static str,
    management_event: bool,
    recipient_account_id: &'a Option<AccountId>,
    event_category: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_event_details: &'a Option<Elements>,
}

impl Serialize for AuditEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Record {
            event_version: "1.08",
            user_identity: &self.user_identity,
            event_time: &self.event_time,
            event_source: self.event_source,
            event_name: self.event_name,
            aws_region: &self.aws_region,
            source_ip_address: self.source_ip_address(),
            user_agent: self.user_agent(),
            request_parameters: &self.request_parameters,
            response_elements: &self.response_elements,
            error_code: self.error_code,
            error_message: &self.error_message,
            request_id: &self.request_id,
            event_id: &self.event_id,
            read_only: self.read_only,
            resources: &self.resources,
            event_type: self.event_type(),
            management_event: true,
            recipient_account_id: &self.recipient_account_id,
            event_category: "Management",
            service_event_details: &self.service_event_details,
        }
        .serialize(s)
    }
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
/// long a world runs. Once full it is a ring: a new event takes the oldest
/// one's place, nothing moves.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditTrail {
    /// The events; once `capacity` are kept, the oldest is at `oldest`.
    events: Vec<AuditEvent>,
    oldest: usize,
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
            events: Vec::new(),
            oldest: 0,
            capacity: capacity.max(1),
            next_sequence: 0,
        }
    }

    /// Appends an event, giving it the next sequence number.
    pub fn push(&mut self, mut event: AuditEvent) -> u64 {
        event.sequence = self.next_sequence;
        self.next_sequence += 1;
        if self.events.len() < self.capacity {
            self.events.push(event);
        } else if let Some(slot) = self.events.get_mut(self.oldest) {
            *slot = event;
            self.oldest = (self.oldest + 1) % self.events.len();
        }
        self.next_sequence - 1
    }

    /// Events still kept, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &AuditEvent> {
        let (newer, older) = self.events.split_at(self.oldest);
        older.iter().chain(newer)
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
        let first = self.events.get(self.oldest)?.sequence;
        let offset = usize::try_from(sequence.checked_sub(first)?).ok()?;
        if offset >= self.events.len() {
            return None;
        }
        self.events.get((self.oldest + offset) % self.events.len())
    }

    /// The events passing `query`, oldest first.
    pub fn query<'a>(&'a self, query: &'a AuditQuery) -> impl Iterator<Item = &'a AuditEvent> + 'a {
        self.events().filter(move |e| query.matches(e))
    }

    /// Events as a CloudTrail log file: `{"Records": [...]}`.
    pub fn to_cloudtrail_json<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> String {
        let records: Vec<&AuditEvent> = events.into_iter().collect();
        serde_json::to_string_pretty(&serde_json::json!({ "Records": records }))
            .unwrap_or_else(|_| String::from("{\"Records\":[]}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &'static str) -> AuditEvent {
        AuditEvent {
            sequence: 0,
            time: Timestamp::default(),
            user_identity: UserIdentity {
                kind: None,
                arn: None,
                account_id: None,
                invoked_by: Some("AWS Internal"),
            },
            event_time: Arc::from("2026-01-01T00:00:00Z"),
            event_source: "kms.amazonaws.com",
            event_name: name,
            aws_region: Region::default(),
            request_parameters: None,
            response_elements: None,
            error_code: None,
            error_message: None,
            request_id: None,
            event_id: Uuid::nil(),
            read_only: false,
            resources: Vec::new(),
            recipient_account_id: None,
            service_event_details: None,
        }
    }

    const NAMES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];

    #[test]
    fn a_full_trail_keeps_the_newest_events_in_order() {
        let mut trail = AuditTrail::with_capacity(3);
        for (i, name) in NAMES.iter().enumerate() {
            assert_eq!(trail.push(event(name)), i as u64);
        }
        let kept: Vec<(u64, &str)> = trail.events().map(|e| (e.sequence, e.event_name)).collect();
        assert_eq!(kept, [(4, "e"), (5, "f"), (6, "g")]);
        let newest_first: Vec<&str> = trail.events().rev().map(|e| e.event_name).collect();
        assert_eq!(newest_first, ["g", "f", "e"]);
        assert_eq!((trail.recorded(), trail.dropped()), (7, 4));
        assert!(trail.get(3).is_none());
        assert_eq!(trail.get(4).map(|e| e.event_name), Some("e"));
        assert_eq!(trail.get(6).map(|e| e.event_name), Some("g"));
        assert!(trail.get(7).is_none());
    }
}
