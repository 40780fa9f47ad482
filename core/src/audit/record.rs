//! Writing events: one builder for a call (made by a principal, perhaps
//! through a service) and one for what a service does by itself.
//!
//! Request and response elements are the request and response with every
//! secret left out by type ([`crate::json::to_redacted_value`]) and
//! ciphertext blobs left out as CloudTrail does; the encryption context
//! stays, in plaintext: it is not secret, which is why it must never hold
//! secrets.

use super::trail::{AuditEvent, AuditResource, AuditTrail, Elements, UserIdentity};
use crate::env::{CallRecord, Clock, Randomness};
use crate::error::KmsError;
use crate::ids::{AccountId, Region};
use crate::json::to_cloudtrail_value;
use crate::principal::Caller;
use crate::request::{Request, Response};
use alloc::string::ToString;
use alloc::sync::Arc;
use serde_json::Value;

/// Records one call; returns its sequence number.
pub fn call(
    trail: &mut AuditTrail,
    clock: &Clock,
    random: &mut Randomness,
    caller: &Caller,
    request: &Request,
    result: &Result<Response, KmsError>,
    record: &mut CallRecord,
) -> u64 {
    // Redacted by type: no secret (plaintext, SecureString value, SQL and
    // its rows) can enter the trail, whatever its field is called.
    let request_parameters = Elements::of_request(request);
    let response_elements = match result {
        Ok(response) if !request.read_only() => {
            to_cloudtrail_value(response).ok().map(Elements::new)
        }
        _ => None,
    };
    let (error_code, error_message) = match result {
        // CloudTrail records KMS denials as `AccessDenied`, other errors by exception name.
        Err(KmsError::AccessDeniedException(m)) => (Some("AccessDenied"), Some(m.clone())),
        // An error AWS sends without a message has no errorMessage.
        Err(e) => (
            Some(e.name()),
            Some(e.message().to_string()).filter(|m| !m.is_empty()),
        ),
        Ok(_) => (None, None),
    };
    let caller_account = caller.principal.account().cloned();
    let recipient = record
        .resources
        .first()
        .map(|r| r.account_id.clone())
        .or_else(|| caller_account.clone());
    let via = caller.via_service.map(|s| s.principal());
    let event_source = match request.service() {
        "iam" => "iam.amazonaws.com",
        "sts" => "sts.amazonaws.com",
        "rds" => "rds.amazonaws.com",
        "rds-data" => "rds-data.amazonaws.com",
        "ssm" => "ssm.amazonaws.com",
        "ec2" => "ec2.amazonaws.com",
        _ => "kms.amazonaws.com",
    };
    // IAM is a global service: its events are recorded in us-east-1.
    let region = if request.service() == "iam" {
        Region::parse("us-east-1").unwrap_or_else(|_| caller.region.clone())
    } else {
        caller.region.clone()
    };
    let event = AuditEvent {
        sequence: 0,
        time: clock.now(),
        user_identity: UserIdentity {
            kind: Some(caller.principal.identity_type()),
            arn: Some(record.caller_arn(&caller.principal)),
            account_id: caller_account,
            invoked_by: via,
        },
        event_time: clock.iso().clone(),
        event_source,
        event_name: request.operation(),
        aws_region: region,
        request_parameters,
        response_elements,
        error_code,
        error_message,
        request_id: Some(random.uuid()),
        event_id: random.uuid(),
        read_only: request.read_only(),
        resources: core::mem::take(&mut record.resources),
        recipient_account_id: recipient,
        service_event_details: None,
    };
    trail.push(event)
}

/// Records what KMS did by itself to a key (deleting or rotating it), as
/// the KMS developer guide's examples show it (ct-delete-key,
/// ct-rotatekey): no caller but the account, "AWS Internal" as the source,
/// no request id, and for a rotation its `serviceEventDetails`.
pub fn service_event(
    trail: &mut AuditTrail,
    clock: &Clock,
    random: &mut Randomness,
    name: &'static str,
    key: (&AccountId, &Arc<str>, &Region),
    details: Option<Value>,
) -> u64 {
    let (account, key_arn, region) = key;
    let event = AuditEvent {
        sequence: 0,
        time: clock.now(),
        user_identity: UserIdentity {
            kind: None,
            arn: None,
            account_id: Some(account.clone()),
            invoked_by: Some(AWS_INTERNAL),
        },
        event_time: clock.iso().clone(),
        event_source: "kms.amazonaws.com",
        event_name: name,
        aws_region: region.clone(),
        request_parameters: None,
        response_elements: None,
        error_code: None,
        error_message: None,
        request_id: None,
        event_id: random.uuid(),
        read_only: false,
        resources: alloc::vec![AuditResource::key(account.clone(), key_arn.clone())],
        recipient_account_id: Some(account.clone()),
        service_event_details: details.map(Elements::new),
    };
    trail.push(event)
}

/// Who CloudTrail says acted when AWS acts by itself.
pub const AWS_INTERNAL: &str = "AWS Internal";
