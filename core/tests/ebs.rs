//! EBS: CreateVolume encrypts through KMS as the caller via EC2 (DescribeKey,
//! a grant constrained to the volume, a data key bound to `aws:ebs:id`),
//! refuses asymmetric keys, and leaves the world unchanged when it fails.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn request(action: &str, parameters: Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

fn create_volume(parameters: Value) -> Request {
    request("ec2:CreateVolume", parameters)
}

fn json_of(response: Response) -> Value {
    serde_json::to_value(response).unwrap()
}

#[test]
fn an_encrypted_volume_uses_the_key_through_ec2() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let before = world.audit().recorded();
    let volume = json_of(ok(
        &mut world,
        &caller,
        create_volume(
            json!({"AvailabilityZone": "eu-west-1a", "Size": 20, "Encrypted": true, "KmsKeyId": key.key_id}),
        ),
    ));
    assert_eq!(volume["Encrypted"], true);
    assert_eq!(volume["KmsKeyId"], key.arn.as_str());
    assert_eq!(volume["State"], "creating");
    assert_eq!(volume["Size"], 20);
    let id = volume["VolumeId"].as_str().unwrap().to_string();
    assert!(id.starts_with("vol-") && id.len() == 21, "{id}");

    // Three audited KMS calls, each made by the caller through EC2; the
    // data key is bound to the volume.
    let calls: Vec<Value> = world
        .audit()
        .events()
        .filter(|e| e.sequence >= before)
        .filter(|e| e.event_source == "kms.amazonaws.com")
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    let names: Vec<&str> = calls
        .iter()
        .map(|e| e["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "DescribeKey",
            "CreateGrant",
            "GenerateDataKeyWithoutPlaintext"
        ]
    );
    for call in &calls {
        assert_eq!(
            call["userIdentity"]["invokedBy"], "ec2.amazonaws.com",
            "{call}"
        );
    }
    assert_eq!(
        calls[2]["requestParameters"]["encryptionContext"],
        json!({"aws:ebs:id": id})
    );
    let own = world
        .audit()
        .events()
        .rfind(|e| e.event_name == "CreateVolume")
        .unwrap();
    assert_eq!(own.event_source, "ec2.amazonaws.com");
    // The grant is EBS's, for this volume only.
    let grants = json_of(ok(
        &mut world,
        &caller,
        request("kms:ListGrants", json!({"KeyId": key.key_id})),
    ));
    let grant = &grants["Grants"][0];
    assert_eq!(grant["GranteePrincipal"], "ec2.amazonaws.com");
    assert_eq!(
        grant["Constraints"]["EncryptionContextSubset"],
        json!({"aws:ebs:id": id})
    );

    let listed = json_of(ok(
        &mut world,
        &caller,
        request("ec2:DescribeVolumes", json!({"VolumeIds": [id]})),
    ));
    assert_eq!(listed["Volumes"][0]["State"], "available");
    assert_eq!(listed["Volumes"][0]["KmsKeyId"], key.arn.as_str());
}

#[test]
fn without_a_key_the_aws_managed_key_is_used() {
    let mut world = world();
    let caller = root(PROD);
    let volume = json_of(ok(
        &mut world,
        &caller,
        create_volume(json!({"AvailabilityZone": "eu-west-1b", "Encrypted": true})),
    ));
    let managed = json_of(ok(
        &mut world,
        &caller,
        request("kms:DescribeKey", json!({"KeyId": "alias/aws/ebs"})),
    ));
    assert_eq!(volume["KmsKeyId"], managed["KeyMetadata"]["Arn"]);
    assert_eq!(managed["KeyMetadata"]["KeyManager"], "AWS");
    // Unencrypted volumes call nothing.
    let plain = json_of(ok(
        &mut world,
        &caller,
        create_volume(json!({"AvailabilityZone": "eu-west-1b"})),
    ));
    assert_eq!(plain["Encrypted"], false);
    assert!(plain.get("KmsKeyId").is_none());
}

#[test]
fn an_asymmetric_key_is_refused_and_nothing_changes() {
    let mut world = world();
    let caller = root(PROD);
    let key = match ok(
        &mut world,
        &caller,
        request(
            "kms:CreateKey",
            json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}),
        ),
    ) {
        Response::KeyMetadata(m) => m.key_metadata.unwrap(),
        other => panic!("{other:?}"),
    };
    let before = snapshot(&world);
    let message = err(
        &mut world,
        &caller,
        create_volume(
            json!({"AvailabilityZone": "eu-west-1a", "Encrypted": true, "KmsKeyId": key.arn}),
        ),
        "InvalidParameterValue",
    );
    assert!(
        message.contains("does not support asymmetric KMS keys"),
        "{message}"
    );
    assert!(message.contains("RSA_2048"), "{message}");
    assert_eq!(before.1, snapshot(&world).1, "KMS changed");
    assert!(world.state().ebs.volumes.is_empty());
}

#[test]
fn a_disabled_key_is_ec2s_invalid_state_and_leaves_no_grant() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    ok(
        &mut world,
        &caller,
        request("kms:DisableKey", json!({"KeyId": key.key_id})),
    );
    let before = snapshot(&world);
    let message = err(
        &mut world,
        &caller,
        create_volume(
            json!({"AvailabilityZone": "eu-west-1a", "Encrypted": true, "KmsKeyId": key.key_id}),
        ),
        "InvalidKMSKey.InvalidState",
    );
    assert!(message.contains("is disabled"), "{message}");
    assert_eq!(
        before.1,
        snapshot(&world).1,
        "a grant outlived the failed volume"
    );
    assert!(world.state().ebs.volumes.is_empty());
}

#[test]
fn ec2s_own_refusals() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    err(
        &mut world,
        &caller,
        create_volume(json!({"AvailabilityZone": "eu-west-1a", "KmsKeyId": key.key_id})),
        "InvalidParameterDependency",
    );
    err(
        &mut world,
        &caller,
        create_volume(json!({"AvailabilityZone": "us-east-1a"})),
        "InvalidParameterValue",
    );
    err(
        &mut world,
        &caller,
        create_volume(json!({"AvailabilityZone": "eu-west-1a", "Size": 0})),
        "InvalidParameterValue",
    );
    err(
        &mut world,
        &caller,
        request(
            "ec2:DescribeVolumes",
            json!({"VolumeIds": ["vol-00000000000000000"]}),
        ),
        "InvalidVolume.NotFound",
    );
    // IAM denies with EC2's code; KMS denies with KMS's.
    let nobody = add_user(&mut world, PROD, "Nobody", None);
    let message = err(
        &mut world,
        &nobody,
        create_volume(json!({"AvailabilityZone": "eu-west-1a"})),
        "UnauthorizedOperation",
    );
    assert!(message.contains("ec2:CreateVolume"), "{message}");
    let builder = add_user(
        &mut world,
        PROD,
        "Builder",
        Some(allow(&["ec2:CreateVolume"], "*")),
    );
    let message = err(
        &mut world,
        &builder,
        create_volume(
            json!({"AvailabilityZone": "eu-west-1a", "Encrypted": true, "KmsKeyId": key.key_id}),
        ),
        "AccessDeniedException",
    );
    assert!(message.contains("kms:DescribeKey"), "{message}");
}
