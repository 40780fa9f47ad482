//! Issue 14, class 7: CloudTrail events as the KMS developer guide's
//! logging pages show them, field by field.
//!
//! Sources (KMS developer guide):
//! - ct-decrypt: "The CloudTrail log entry for a Decrypt operation always
//!   includes the encryptionAlgorithm in the requestParameters even if the
//!   encryption algorithm wasn't specified in the request"; userIdentity of
//!   an IAM user has type, principalId, arn, accountId, accessKeyId,
//!   userName; responseElements null; readOnly true; resources name the key
//!   (the failure example, IncorrectKeyException, keeps them).
//! - ct-encrypt, ct-reencrypt: encryptionAlgorithm, and for ReEncrypt
//!   sourceEncryptionAlgorithm and destinationEncryptionAlgorithm; "the
//!   resources field ... specifies two AWS KMS keys, the source KMS key and
//!   the destination KMS key, in that order".
//! - services-cloudtrail, ct-ec2two: an assumed role's userIdentity has
//!   sessionContext.sessionIssuer {type Role, principalId, arn (the role),
//!   accountId, userName (the role's name)}.
//! - ct-rotatekey: userIdentity {accountId, invokedBy "AWS Internal"},
//!   sourceIPAddress and userAgent "AWS Internal", requestParameters and
//!   responseElements null, no requestID, eventType AwsServiceEvent,
//!   serviceEventDetails {rotationType AUTOMATIC | ON_DEMAND, keyId}.
//! - ct-delete-key: the same shape, without serviceEventDetails.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn request(action: &str, parameters: Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

fn last_event(world: &World, name: &str) -> Value {
    let event = world
        .audit()
        .events()
        .rfind(|e| e.event_name == name)
        .unwrap_or_else(|| panic!("no {name} event"));
    serde_json::to_value(event).unwrap()
}

fn key_resource(key: &KeyMetadata) -> Value {
    json!({"accountId": key.aws_account_id, "type": "AWS::KMS::Key", "ARN": key.arn})
}

#[test]
fn decrypt_names_its_algorithm_and_key_whether_it_succeeds_or_fails() {
    let mut world = world();
    let alice = add_user(&mut world, PROD, "Alice", Some(allow(&["kms:*"], "*")));
    let key = create_key(&mut world, &root(PROD));
    let context = ctx(&[("Department", "Engineering")]);
    let blob = encrypt(&mut world, &alice, &key.key_id, b"secret", &context);
    let encrypt_event = last_event(&world, "Encrypt");
    assert_eq!(
        encrypt_event["requestParameters"]["encryptionAlgorithm"],
        "SYMMETRIC_DEFAULT"
    );
    decrypt(&mut world, &alice, &blob, &context);

    let event = last_event(&world, "Decrypt");
    let identity = &event["userIdentity"];
    assert_eq!(identity["type"], "IAMUser");
    assert_eq!(identity["arn"], format!("arn:aws:iam::{PROD}:user/Alice"));
    assert_eq!(identity["accountId"], PROD);
    assert_eq!(identity["userName"], "Alice");
    let principal_id = identity["principalId"].as_str().unwrap();
    assert!(
        principal_id.starts_with("AIDA") && principal_id.len() == 21,
        "{principal_id}"
    );
    let access_key = identity["accessKeyId"].as_str().unwrap();
    assert!(
        access_key.starts_with("AKIA") && access_key.len() == 20,
        "{access_key}"
    );
    assert_eq!(
        event["requestParameters"],
        json!({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"Department": "Engineering"}}),
        "the algorithm is recorded although the request did not name it; the blob is left out"
    );
    assert_eq!(event["responseElements"], Value::Null);
    assert_eq!(event["readOnly"], true);
    assert_eq!(event["eventType"], "AwsApiCall");
    // What every event says alike, and what a person's call says of its
    // source, in CloudTrail's order of fields.
    assert_eq!(event["eventVersion"], "1.08");
    assert_eq!(event["sourceIPAddress"], "203.0.113.10");
    assert_eq!(event["userAgent"], "kms-playground");
    assert_eq!(event["managementEvent"], true);
    assert_eq!(event["eventCategory"], "Management");
    let fields: Vec<&str> = event
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "eventVersion",
            "userIdentity",
            "eventTime",
            "eventSource",
            "eventName",
            "awsRegion",
            "sourceIPAddress",
            "userAgent",
            "requestParameters",
            "responseElements",
            "requestID",
            "eventID",
            "readOnly",
            "resources",
            "eventType",
            "managementEvent",
            "recipientAccountId",
            "eventCategory",
        ]
    );
    assert!(event["requestID"].is_string());
    assert_eq!(event["resources"], json!([key_resource(&key)]));

    // Failures keep the algorithm and the key: the wrong context, and a
    // caller no policy allows.
    let wrong = ctx(&[("Department", "Sales")]);
    let message = err(
        &mut world,
        &alice,
        decrypt_request(&blob, &wrong),
        "InvalidCiphertextException",
    );
    // AWS answers `{"__type":"InvalidCiphertextException"}`, no message
    // (aws/aws-sdk-java#1323: "InvalidCiphertextException with null message").
    assert_eq!(message, "");
    let failed = last_event(&world, "Decrypt");
    assert_eq!(failed["errorCode"], "InvalidCiphertextException");
    assert!(failed.get("errorMessage").is_none(), "{failed}");
    assert_eq!(
        failed["requestParameters"]["encryptionAlgorithm"],
        "SYMMETRIC_DEFAULT"
    );
    assert_eq!(failed["resources"], json!([key_resource(&key)]));

    let bob = add_user(&mut world, PROD, "Bob", None);
    err(
        &mut world,
        &bob,
        decrypt_request(&blob, &context),
        "AccessDeniedException",
    );
    let denied = last_event(&world, "Decrypt");
    assert_eq!(denied["errorCode"], "AccessDenied");
    assert_eq!(denied["resources"], json!([key_resource(&key)]));
}

#[test]
fn re_encrypt_records_both_algorithms_and_both_keys_in_order() {
    let mut world = world();
    let source = create_key(&mut world, &root(PROD));
    let destination = create_key(&mut world, &root(PROD));
    let blob = encrypt(&mut world, &root(PROD), &source.key_id, b"x", &ctx(&[]));
    ok(
        &mut world,
        &root(PROD),
        Request::ReEncrypt(ReEncryptRequest {
            ciphertext_blob: blob,
            destination_key_id: destination.key_id.clone(),
            ..Default::default()
        }),
    );
    let event = last_event(&world, "ReEncrypt");
    assert_eq!(
        event["requestParameters"]["sourceEncryptionAlgorithm"],
        "SYMMETRIC_DEFAULT"
    );
    assert_eq!(
        event["requestParameters"]["destinationEncryptionAlgorithm"],
        "SYMMETRIC_DEFAULT"
    );
    assert_eq!(
        event["resources"],
        json!([key_resource(&source), key_resource(&destination)])
    );
    assert_eq!(event["userIdentity"]["type"], "Root");
    assert_eq!(event["userIdentity"]["principalId"], PROD);
}

#[test]
fn an_assumed_role_names_the_role_it_was_issued_from() {
    let mut world = world();
    add_role(
        &mut world,
        PROD,
        "AWSCloudTrail",
        PROD,
        Some(allow(&["kms:*"], "*")),
    );
    let key = create_key(&mut world, &root(PROD));
    let Response::IamEntity(assumed) = ok(
        &mut world,
        &root(PROD),
        request(
            "sts:AssumeRole",
            json!({"RoleArn": format!("arn:aws:iam::{PROD}:role/AWSCloudTrail"), "RoleSessionName": "i-34755b85"}),
        ),
    ) else {
        panic!()
    };
    let assumed = assumed.assumed_role_user.unwrap();
    let session = Caller::new(Principal::parse(&assumed.arn).unwrap(), region());
    ok(&mut world, &session, gdk_request(&key.key_id, &ctx(&[])));

    let identity = last_event(&world, "GenerateDataKey")["userIdentity"].clone();
    assert_eq!(identity["type"], "AssumedRole");
    assert_eq!(
        identity["arn"],
        format!("arn:aws:sts::{PROD}:assumed-role/AWSCloudTrail/i-34755b85")
    );
    let principal_id = identity["principalId"].as_str().unwrap();
    assert_eq!(
        principal_id, assumed.assumed_role_id,
        "CloudTrail's principalId is the AssumedRoleId STS returned"
    );
    let (role_id, session_name) = principal_id.split_once(':').unwrap();
    assert!(
        role_id.starts_with("AROA") && role_id.len() == 21,
        "{role_id}"
    );
    assert_eq!(session_name, "i-34755b85");
    assert!(
        identity["accessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA"),
        "temporary credentials"
    );
    assert_eq!(
        identity["sessionContext"]["sessionIssuer"],
        json!({
            "type": "Role",
            "principalId": role_id,
            "arn": format!("arn:aws:iam::{PROD}:role/AWSCloudTrail"),
            "accountId": PROD,
            "userName": "AWSCloudTrail"
        })
    );
    assert_eq!(
        identity["sessionContext"]["attributes"]["mfaAuthenticated"],
        "false"
    );
}

#[test]
fn what_kms_does_by_itself_is_recorded_as_aws_internal() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    ok(
        &mut world,
        &root(PROD),
        request("kms:EnableKeyRotation", json!({"KeyId": key.key_id})),
    );
    world.advance(366 * 86_400).unwrap();
    let rotation = last_event(&world, "RotateKey");
    let expected_shell = |name: &str| {
        json!({
            "userIdentity": {"accountId": PROD, "invokedBy": "AWS Internal"},
            "eventSource": "kms.amazonaws.com",
            "eventName": name,
            "sourceIPAddress": "AWS Internal",
            "userAgent": "AWS Internal",
            "requestParameters": null,
            "responseElements": null,
            "readOnly": false,
            "resources": [key_resource(&key)],
            "eventType": "AwsServiceEvent",
            "recipientAccountId": PROD,
            "eventCategory": "Management",
        })
    };
    let check = |event: &Value, name: &str| {
        for (field, value) in expected_shell(name).as_object().unwrap() {
            assert_eq!(&event[field], value, "{name}.{field}");
        }
        assert!(event.get("requestID").is_none(), "{name} has no request id");
    };
    check(&rotation, "RotateKey");
    assert_eq!(
        rotation["serviceEventDetails"],
        json!({"rotationType": "AUTOMATIC", "keyId": key.key_id})
    );

    ok(
        &mut world,
        &root(PROD),
        request("kms:RotateKeyOnDemand", json!({"KeyId": key.key_id})),
    );
    world.advance(3_600).unwrap();
    let on_demand = last_event(&world, "RotateKey");
    check(&on_demand, "RotateKey");
    assert_eq!(
        on_demand["serviceEventDetails"]["rotationType"],
        "ON_DEMAND"
    );

    ok(
        &mut world,
        &root(PROD),
        request(
            "kms:ScheduleKeyDeletion",
            json!({"KeyId": key.key_id, "PendingWindowInDays": 7}),
        ),
    );
    world.advance(8 * 86_400).unwrap();
    let deletion = last_event(&world, "DeleteKey");
    check(&deletion, "DeleteKey");
    assert!(deletion.get("serviceEventDetails").is_none());
}

/// An event keeps a cryptographic request as a copy without its plaintext
/// or blob, and writes its parameters only when read: CloudTrail writes the
/// same parameters from the copy as from the request, and the copy holds
/// neither the secret nor the blob.
#[test]
fn an_audit_copy_writes_the_same_parameters_and_holds_no_secret() {
    use kms_core::kms::api::{
        DataKeySpec, DecryptRequest, EncryptRequest, GenerateDataKeyRequest, ReEncryptRequest,
    };
    use kms_core::secret::SecretBytes;
    let context = Some(EncryptionContext::from_pairs([("tenant", "acme")]));
    let tokens = Some(vec!["grant-token".to_string()]);
    let secret = b"the plaintext".to_vec();
    let blob = vec![0xA5; 96];
    let data_key = GenerateDataKeyRequest {
        key_id: "alias/app".into(),
        encryption_context: context.clone(),
        number_of_bytes: None,
        key_spec: Some(DataKeySpec::AES_256),
        grant_tokens: tokens.clone(),
    };
    let requests = [
        Request::Encrypt(EncryptRequest {
            key_id: "alias/app".into(),
            plaintext: SecretBytes::new(secret.clone()),
            encryption_context: context.clone(),
            grant_tokens: tokens.clone(),
            encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
        }),
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: blob.clone(),
            encryption_context: context.clone(),
            grant_tokens: tokens.clone(),
            key_id: Some("alias/app".into()),
            encryption_algorithm: None,
        }),
        Request::ReEncrypt(ReEncryptRequest {
            ciphertext_blob: blob.clone(),
            source_encryption_context: context.clone(),
            source_key_id: Some("alias/app".into()),
            destination_key_id: "alias/other".into(),
            destination_encryption_context: Some(EncryptionContext::from_pairs([("t", "b")])),
            source_encryption_algorithm: None,
            destination_encryption_algorithm: Some("SYMMETRIC_DEFAULT".into()),
            grant_tokens: tokens.clone(),
        }),
        Request::GenerateDataKey(data_key.clone()),
        Request::GenerateDataKeyWithoutPlaintext(data_key),
    ];
    let hidden = [
        kms_core::base64_blob::encode(&secret),
        kms_core::base64_blob::encode(&blob),
    ];
    for request in requests {
        let copy = request
            .audit_copy()
            .expect("a cryptographic request has a copy");
        assert_eq!(
            copy.cloudtrail_parameters(),
            request.cloudtrail_parameters(),
            "{}",
            request.action()
        );
        let everything = serde_json::to_string(&copy).unwrap();
        for h in &hidden {
            assert!(!everything.contains(h.as_str()), "{everything}");
        }
    }
    // Other requests are written as JSON when recorded.
    assert!(
        Request::ListKeys(kms_core::kms::api::ListKeysRequest::default())
            .audit_copy()
            .is_none()
    );
}
