//! Issue 14, class 8 (Parameter Store): PutParameter without Type, and
//! how SSM answers when KMS refuses.
//!
//! Source: SSM API reference, PutParameterRequest.Type: "Specifying a
//! parameter type isn't required when updating a parameter. You must specify
//! a parameter type when creating a parameter." Error text on create: moto's
//! and other emulators' "A parameter type is required when you create a
//! parameter." (ValidationException). An overwrite without Type keeps the
//! type and the key (moto keeps both; AWS documents the type).
//!
//! KMS refusals: botocore's SSM model lists `InvalidKeyId` ("The query key
//! ID isn't valid") for GetParameter and PutParameter; captured AWS output
//! shows a disabled, missing or pending-deletion key answered as
//! `InvalidKeyId: arn:aws:kms:...:key/... is disabled. (Service: AWSKMS;
//! Status Code: 400; Error Code: DisabledException; Request ID: ...; Proxy:
//! null)` (turbot/steampipe-plugin-aws; binxio/aws-ssm-copy#10 for
//! NotFoundException; segmentio/chamber#355 for KMSInvalidStateException).

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn put(world: &mut World, parameters: Value) -> Result<Value, KmsError> {
    let request = Request::from_json(
        &json!({"Action": "ssm:PutParameter", "Parameters": parameters}).to_string(),
    )
    .unwrap();
    world
        .call(root(PROD), request)
        .result
        .map(|r| kms_core::json::to_value(&r).unwrap())
}

fn get(world: &mut World, decrypt: bool) -> Value {
    let request = Request::from_json(
        &json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/pw", "WithDecryption": decrypt}})
            .to_string(),
    )
    .unwrap();
    kms_core::json::to_value(&ok(world, &root(PROD), request)).unwrap()
}

#[test]
fn creating_needs_a_type_and_overwriting_keeps_it() {
    let mut world = world();
    let error = put(&mut world, json!({"Name": "/app/pw", "Value": "first"})).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert_eq!(
        error.message(),
        "A parameter type is required when you create a parameter."
    );

    let key = create_key(&mut world, &root(PROD));
    put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "first", "Type": "SecureString", "KeyId": key.key_id}),
    )
    .unwrap();
    put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "second", "Overwrite": true}),
    )
    .unwrap();

    let hidden = get(&mut world, false);
    assert_eq!(hidden["Parameter"]["Type"], "SecureString", "{hidden}");
    assert_ne!(
        hidden["Parameter"]["Value"], "second",
        "without decryption the value stays ciphertext: {hidden}"
    );
    let shown = get(&mut world, true);
    assert_eq!(shown["Parameter"]["Value"], "second");
    let stored = world
        .state()
        .ssm
        .parameters
        .values()
        .next()
        .unwrap()
        .key_arn
        .clone();
    assert_eq!(
        stored.as_deref(),
        Some(key.arn.as_str()),
        "the customer key is kept"
    );
}

fn kms_request_id(world: &World, event_name: &str) -> String {
    world
        .audit()
        .events()
        .rfind(|e| e.event_name == event_name && e.event_source == "kms.amazonaws.com")
        .and_then(|e| e.request_id)
        .expect("SSM's KMS call is audited")
        .to_string()
}

#[test]
fn a_key_kms_refuses_is_ssm_invalid_key_id_with_kms_error_named() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "s3cret", "Type": "SecureString", "KeyId": key.key_id}),
    )
    .unwrap();
    ok(
        &mut world,
        &root(PROD),
        Request::DisableKey(key_request(&key.key_id)),
    );
    let read = Request::from_json(
        &json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/pw", "WithDecryption": true}})
            .to_string(),
    )
    .unwrap();
    let message = err(&mut world, &root(PROD), read, "InvalidKeyId");
    assert_eq!(
        message,
        format!(
            "{} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException; Request ID: {}; Proxy: null)",
            key.arn,
            kms_request_id(&world, "Decrypt")
        )
    );
    assert!(!message.contains("s3cret"));

    let error = put(
        &mut world,
        json!({"Name": "/app/pw", "Value": "next", "Type": "SecureString", "Overwrite": true}),
    )
    .unwrap_err();
    assert_eq!(error.name(), "InvalidKeyId");
    assert!(
        error.message().ends_with(&format!(
            "Error Code: DisabledException; Request ID: {}; Proxy: null)",
            kms_request_id(&world, "Encrypt")
        )),
        "{error}"
    );
    assert_eq!(
        get(&mut world, false)["Parameter"]["Version"],
        1,
        "nothing was written"
    );

    let missing = format!("arn:aws:kms:{REGION}:{PROD}:key/00000000-0000-0000-0000-000000000000");
    let error = put(
        &mut world,
        json!({"Name": "/app/other", "Value": "x", "Type": "SecureString", "KeyId": missing}),
    )
    .unwrap_err();
    assert_eq!(error.name(), "InvalidKeyId");
    assert!(
        error.message().starts_with(&format!("Key '{missing}' does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException;")),
        "{error}"
    );

    ok(
        &mut world,
        &root(PROD),
        Request::EnableKey(key_request(&key.key_id)),
    );
    ok(
        &mut world,
        &root(PROD),
        Request::from_json(
            &json!({"Action": "kms:ScheduleKeyDeletion", "Parameters": {"KeyId": key.key_id, "PendingWindowInDays": 7}}).to_string(),
        )
        .unwrap(),
    );
    let read = Request::from_json(
        &json!({"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/pw", "WithDecryption": true}})
            .to_string(),
    )
    .unwrap();
    let message = err(&mut world, &root(PROD), read, "InvalidKeyId");
    assert!(
        message.starts_with(&format!("{} is pending deletion", key.arn))
            && message.contains("Error Code: KMSInvalidStateException;"),
        "{message}"
    );
}
