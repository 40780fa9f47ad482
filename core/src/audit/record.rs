//! Writing events: one builder for a call (made by a principal, perhaps
//! through a service) and one for what a service does by itself.
//!
//! Request and response elements are the request and response with every
//! secret left out by type ([`crate::json::to_redacted_value`]) and
//! ciphertext blobs left out as CloudTrail does; the encryption context
//! stays, in plaintext: it is not secret, which is why it must never hold
//! secrets.

use super::trail::{AuditEvent, AuditResource, AuditTrail, UserIdentity, cloudtrail_shape};
use crate::env::{CallRecord, Clock, Randomness};
use crate::error::KmsError;
use crate::ids::AccountId;
use crate::principal::Caller;
use crate::request::{Request, Response};
use alloc::string::{String, ToString};
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
    record: &CallRecord,
) -> u64 {
    // Redacted by type: no secret (plaintext, SecureString value, SQL and
    // its rows) can enter the trail, whatever its field is called.
    let request_parameters = crate::json::to_redacted_value(request)
        .ok()
        .and_then(|mut v| v.get_mut("Parameters").map(Value::take))
        .map(cloudtrail_shape);
    let response_elements = match result {
        Ok(response) if !request.read_only() => crate::json::to_redacted_value(response)
            .ok()
            .map(cloudtrail_shape),
        _ => None,
    };
    let (error_code, error_message) = match result {
        // CloudTrail records KMS denials as `AccessDenied`, other errors by exception name.
        Err(KmsError::AccessDeniedException(m)) => {
            (Some("AccessDenied".to_string()), Some(m.clone()))
        }
        Err(e) => (Some(e.name().to_string()), Some(e.message().to_string())),
        Ok(_) => (None, None),
    };
    let caller_account = caller.principal.account().map(ToString::to_string);
    let recipient = record
        .resources
        .first()
        .map(|(a, _)| a.to_string())
        .or_else(|| caller_account.clone())
        .unwrap_or_default();
    let via = caller.via_service.map(|s| s.principal().to_string());
    let (event_source, region) = match request.service() {
        "iam" => ("iam.amazonaws.com", String::from("us-east-1")),
        "sts" => ("sts.amazonaws.com", caller.region.to_string()),
        "rds" => ("rds.amazonaws.com", caller.region.to_string()),
        "rds-data" => ("rds-data.amazonaws.com", caller.region.to_string()),
        "ssm" => ("ssm.amazonaws.com", caller.region.to_string()),
        _ => ("kms.amazonaws.com", caller.region.to_string()),
    };
    let event = AuditEvent {
        sequence: 0,
        time: clock.now(),
        event_version: "1.08",
        user_identity: UserIdentity {
            kind: caller.principal.identity_type().into(),
            arn: Some(caller.principal.arn()),
            account_id: caller_account,
            invoked_by: via.clone(),
        },
        event_time: clock.iso().to_string(),
        event_source: event_source.into(),
        event_name: request.operation().into(),
        aws_region: region,
        source_ip_address: via.clone().unwrap_or_else(|| "203.0.113.10".into()),
        user_agent: via.unwrap_or_else(|| "kms-playground".into()),
        request_parameters,
        response_elements,
        error_code,
        error_message,
        request_id: random.uuid().to_string(),
        event_id: random.uuid().to_string(),
        read_only: request.read_only(),
        resources: record
            .resources
            .iter()
            .map(|(account, arn)| AuditResource {
                account_id: account.to_string(),
                kind: "AWS::KMS::Key".into(),
                arn: arn.to_string(),
            })
            .collect(),
        event_type: "AwsApiCall",
        management_event: true,
        recipient_account_id: recipient,
        event_category: "Management",
    };
    trail.push(event)
}

/// Records what KMS did by itself to a key (deleting or rotating it).
pub fn service_event(
    trail: &mut AuditTrail,
    clock: &Clock,
    random: &mut Randomness,
    name: &str,
    account: &AccountId,
    key_arn: &Arc<str>,
    region: String,
) -> u64 {
    let event = AuditEvent {
        sequence: 0,
        time: clock.now(),
        event_version: "1.08",
        user_identity: UserIdentity {
            kind: "AWSService".into(),
            arn: None,
            account_id: Some(account.to_string()),
            invoked_by: Some("kms.amazonaws.com".into()),
        },
        event_time: clock.iso().to_string(),
        event_source: "kms.amazonaws.com".into(),
        event_name: name.into(),
        aws_region: region,
        source_ip_address: "kms.amazonaws.com".into(),
        user_agent: "kms.amazonaws.com".into(),
        request_parameters: None,
        response_elements: None,
        error_code: None,
        error_message: None,
        request_id: random.uuid().to_string(),
        event_id: random.uuid().to_string(),
        read_only: false,
        resources: alloc::vec![AuditResource {
            account_id: account.to_string(),
            kind: "AWS::KMS::Key".into(),
            arn: key_arn.to_string(),
        }],
        event_type: "AwsServiceEvent",
        management_event: true,
        recipient_account_id: account.to_string(),
        event_category: "Management",
    };
    trail.push(event)
}
