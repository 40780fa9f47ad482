//! The JSON on the wire is AWS's: field names per operation family compared
//! with the KMS API reference, binary fields in base64.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn fields(value: &Value) -> Vec<String> {
    let mut names: Vec<String> = value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn names(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn requests_parse_from_the_aws_request_bodies() {
    // Bodies as in the KMS API reference examples.
    let encrypt = Request::from_json(&json!({"Action": "kms:Encrypt", "Parameters": {
        "KeyId": "alias/ExampleAlias", "Plaintext": "SGVsbG8=", "EncryptionContext": {"Department": "10-1"}
    }}).to_string()).unwrap();
    let Request::Encrypt(e) = &encrypt else {
        panic!()
    };
    assert_eq!(e.plaintext.expose(), b"Hello");
    let round = serde_json::to_value(&encrypt).unwrap();
    assert_eq!(
        fields(&round["Parameters"]),
        names(&["KeyId", "Plaintext", "EncryptionContext"])
    );
    assert_eq!(round["Parameters"]["Plaintext"], "SGVsbG8=");

    for (action, body) in [
        (
            "kms:CreateKey",
            json!({"Description": "d", "KeyUsage": "ENCRYPT_DECRYPT", "KeySpec": "SYMMETRIC_DEFAULT", "Tags": [{"TagKey": "k", "TagValue": "v"}], "BypassPolicyLockoutSafetyCheck": false}),
        ),
        (
            "kms:Decrypt",
            json!({"CiphertextBlob": "AQICAA==", "KeyId": "k", "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
        ),
        (
            "kms:ReEncrypt",
            json!({"CiphertextBlob": "AQICAA==", "DestinationKeyId": "k", "SourceEncryptionContext": {}, "DestinationEncryptionContext": {"a": "b"}}),
        ),
        (
            "kms:GenerateDataKey",
            json!({"KeyId": "k", "KeySpec": "AES_256", "EncryptionContext": {"a": "b"}}),
        ),
        (
            "kms:ScheduleKeyDeletion",
            json!({"KeyId": "k", "PendingWindowInDays": 7}),
        ),
        (
            "kms:CreateAlias",
            json!({"AliasName": "alias/a", "TargetKeyId": "k"}),
        ),
        (
            "kms:EnableKeyRotation",
            json!({"KeyId": "k", "RotationPeriodInDays": 180}),
        ),
        (
            "kms:TagResource",
            json!({"KeyId": "k", "Tags": [{"TagKey": "k", "TagValue": "v"}]}),
        ),
        ("kms:UntagResource", json!({"KeyId": "k", "TagKeys": ["k"]})),
        (
            "kms:ListAliases",
            json!({"KeyId": "k", "Limit": 10, "Marker": "m"}),
        ),
    ] {
        let text = json!({"Action": action, "Parameters": body}).to_string();
        let parsed = Request::from_json(&text).unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(parsed.action(), action);
        assert_eq!(
            serde_json::to_value(&parsed).unwrap()["Parameters"],
            body,
            "{action} round trip"
        );
    }
}

#[test]
fn requests_parse_whatever_the_order_of_their_members() {
    let parameters_first =
        Request::from_json(r#"{"Parameters":{"KeyId":"alias/x"},"Action":"kms:DisableKey"}"#)
            .unwrap();
    assert_eq!(parameters_first.action(), "kms:DisableKey");
    // Parameters may be left out when every one of them is optional.
    assert_eq!(
        Request::from_json(r#"{"Action":"kms:ListKeys"}"#)
            .unwrap()
            .action(),
        "kms:ListKeys"
    );
}

#[test]
fn malformed_requests_are_validation_errors_naming_the_problem() {
    for (text, needle) in [
        (
            r#"{"Action":"kms:Encrypt","Parameters":{"KeyId":"k"}}"#,
            "Plaintext",
        ),
        (
            r#"{"Action":"kms:Encrypt","Parameters":{"KeyId":"k","Plaintext":"***"}}"#,
            "base64",
        ),
        (
            r#"{"Action":"kms:Encrypt","Parameters":{"KeyId":"k","Plaintext":"AA==","Colour":"red"}}"#,
            "Colour",
        ),
        (
            r#"{"Action":"kms:Teleport","Parameters":{}}"#,
            "kms:Teleport",
        ),
        (
            r#"{"Action":"kms:CreateKey","Parameters":{"KeySpec":"AES_999"}}"#,
            "AES_999",
        ),
        ("not json", "expected"),
        (
            r#"{"Action":"kms:ListKeys","Parameters":{},"Region":"x"}"#,
            "Region",
        ),
        (
            r#"{"Action":"kms:DescribeKey"}"#,
            "kms:DescribeKey: missing field `KeyId`",
        ),
    ] {
        let e = Request::from_json(text).unwrap_err();
        assert_eq!(e.name(), "ValidationException");
        assert!(e.message().contains(needle), "{text}: {e}");
    }
}

#[test]
fn responses_have_the_aws_field_names() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let response = ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
    );
    let value = serde_json::to_value(&response).unwrap();
    assert_eq!(fields(&value), names(&["KeyMetadata"]));
    assert_eq!(
        fields(&value["KeyMetadata"]),
        names(&[
            "AWSAccountId",
            "KeyId",
            "Arn",
            "CreationDate",
            "Enabled",
            "Description",
            "KeyUsage",
            "KeyState",
            "Origin",
            "KeyManager",
            "CustomerMasterKeySpec",
            "KeySpec",
            "EncryptionAlgorithms",
            "MultiRegion",
        ])
    );
    assert_eq!(value["KeyMetadata"]["KeyState"], "Enabled");
    assert_eq!(value["KeyMetadata"]["KeyManager"], "CUSTOMER");
    assert!(value["KeyMetadata"]["CreationDate"].is_f64());

    let response = ok(
        &mut world,
        &caller,
        Request::GenerateDataKey(GenerateDataKeyRequest {
            key_id: key.key_id.clone(),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
    );
    let value = serde_json::to_value(&response).unwrap();
    assert_eq!(
        fields(&value),
        names(&["CiphertextBlob", "Plaintext", "KeyId"])
    );
    assert!(
        value["CiphertextBlob"]
            .as_str()
            .unwrap()
            .starts_with("AQICA")
    );

    let blob = encrypt(&mut world, &caller, &key.key_id, b"x", &ctx(&[]));
    let value =
        serde_json::to_value(ok(&mut world, &caller, decrypt_request(&blob, &ctx(&[])))).unwrap();
    assert_eq!(
        fields(&value),
        names(&["KeyId", "Plaintext", "EncryptionAlgorithm"])
    );

    let value = serde_json::to_value(ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key.key_id.clone(),
            pending_window_in_days: None,
        }),
    ))
    .unwrap();
    assert_eq!(
        fields(&value),
        names(&["KeyId", "DeletionDate", "KeyState", "PendingWindowInDays"])
    );

    let value = serde_json::to_value(ok(
        &mut world,
        &caller,
        Request::ListAliases(ListAliasesRequest::default()),
    ))
    .unwrap();
    assert_eq!(fields(&value), names(&["Aliases", "Truncated"]));
    assert_eq!(
        fields(&value["Aliases"][0]),
        names(&["AliasName", "AliasArn"])
    );

    let other = create_key(&mut world, &caller);
    let value = serde_json::to_value(ok(
        &mut world,
        &caller,
        Request::EnableKey(key_request(&other.key_id)),
    ))
    .unwrap();
    assert_eq!(value, json!({}));

    let e = world
        .call(caller, Request::DescribeKey(key_request("alias/none")))
        .result
        .unwrap_err();
    assert_eq!(
        fields(&serde_json::to_value(&e).unwrap()),
        names(&["__type", "message"])
    );
}
