//! What the playground shows is computed in the core, typed: the envelope
//! of a cryptographic call, who can act in an account, whether a cluster
//! is cut off from its key. The page renders these; it never re-reads JSON.

mod common;

use common::*;
use kms_core::kms::envelope::{Envelope, EnvelopeCall};
use kms_core::prelude::*;
use kms_core::scenario::StepResult;
use kms_core::services::rds::state::ClusterStatus;
use serde_json::json;

fn request(action: &str, parameters: serde_json::Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

/// Sends `request` the way a story step does, and returns the step's result.
fn step(world: &mut World, caller: &Caller, request: Request) -> StepResult {
    let mut result = StepResult::new(0, String::new());
    let shown = Envelope::shows(&request).then(|| request.clone());
    let outcome = world.call(caller.clone(), request);
    let _ = result.take_outcome(shown.as_ref(), outcome);
    result
}

#[test]
fn every_cryptographic_call_has_its_envelope() {
    let mut world = world();
    let admin = root(PROD);
    let first = create_key(&mut world, &admin);
    let second = create_key(&mut world, &admin);
    let order = EncryptionContext::from_pairs([("order", "42")]);

    let made = step(
        &mut world,
        &admin,
        request(
            "kms:GenerateDataKey",
            json!({"KeyId": first.key_id, "KeySpec": "AES_256", "EncryptionContext": {"order": "42"}}),
        ),
    );
    let made = made.envelope.expect("GenerateDataKey has an envelope");
    assert_eq!(made.call, EnvelopeCall::GenerateDataKey);
    assert!(made.is_data_key());
    assert_eq!(made.key_arn, first.arn);
    assert_eq!(made.backing_version, 1);
    assert_eq!(made.context, order);
    assert_eq!(made.plaintext.as_ref().map(|p| p.len()), Some(32));
    assert_eq!(
        made.fields.first().map(|f| f.range.start),
        Some(0),
        "the fields cover the blob from its first byte"
    );
    let blob = made.blob.clone();

    let opened = step(
        &mut world,
        &admin,
        request(
            "kms:Decrypt",
            json!({"CiphertextBlob": kms_core::base64_blob::encode(&blob), "EncryptionContext": {"order": "42"}}),
        ),
    )
    .envelope
    .expect("Decrypt has an envelope");
    assert_eq!(opened.call, EnvelopeCall::Decrypt);
    assert_eq!(opened.blob, blob, "Decrypt shows the blob it read");
    assert_eq!(
        opened.plaintext, made.plaintext,
        "and the data key it recovered"
    );

    let moved = step(
        &mut world,
        &admin,
        request(
            "kms:ReEncrypt",
            json!({
                "CiphertextBlob": kms_core::base64_blob::encode(&blob),
                "SourceEncryptionContext": {"order": "42"},
                "DestinationKeyId": second.key_id,
                "DestinationEncryptionContext": {"order": "43"},
            }),
        ),
    )
    .envelope
    .expect("ReEncrypt has an envelope");
    assert_eq!(moved.call, EnvelopeCall::ReEncrypt);
    assert_eq!(moved.source_key_arn.as_deref(), Some(first.arn.as_str()));
    assert_eq!(moved.key_arn, second.arn);
    assert_eq!(moved.source_context, Some(order));
    assert_eq!(
        moved.context,
        EncryptionContext::from_pairs([("order", "43")])
    );
    assert_eq!(moved.plaintext, None, "ReEncrypt never shows a plaintext");
    assert_ne!(moved.blob, blob);
}

#[test]
fn a_failed_or_non_cryptographic_call_has_no_envelope() {
    let mut world = world();
    let admin = root(PROD);
    let key = create_key(&mut world, &admin);
    let blob = encrypt(
        &mut world,
        &admin,
        &key.key_id,
        b"hello",
        &EncryptionContext::from_pairs([("order", "42")]),
    );
    let wrong = step(
        &mut world,
        &admin,
        request(
            "kms:Decrypt",
            json!({"CiphertextBlob": kms_core::base64_blob::encode(&blob), "EncryptionContext": {"order": "43"}}),
        ),
    );
    assert_eq!(wrong.envelope, None);
    let describe = request("kms:DescribeKey", json!({"KeyId": key.key_id}));
    assert!(!Envelope::shows(&describe));
    assert_eq!(step(&mut world, &admin, describe).envelope, None);
}

#[test]
fn an_account_lists_everyone_who_can_act_in_it() {
    let mut world = world();
    add_user(&mut world, PROD, "alice", None);
    add_role(&mut world, PROD, "app", PROD, None);
    ok(
        &mut world,
        &root(PROD),
        request(
            "sts:AssumeRole",
            json!({"RoleArn": format!("arn:aws:iam::{PROD}:role/app"), "RoleSessionName": "batch"}),
        ),
    );
    let id = account(PROD);
    let principals = world.state().iam.accounts[&id].principals(&id);
    let shown: Vec<(String, String)> = principals
        .iter()
        .map(|p| (p.arn(), p.name_in_account()))
        .collect();
    assert_eq!(
        shown,
        [
            (format!("arn:aws:iam::{PROD}:root"), "root".to_string()),
            (
                format!("arn:aws:iam::{PROD}:user/alice"),
                "user/alice".to_string()
            ),
            (
                format!("arn:aws:iam::{PROD}:role/app"),
                "role/app".to_string()
            ),
            (
                format!("arn:aws:sts::{PROD}:assumed-role/app/batch"),
                "assumed-role/app/batch".to_string()
            ),
        ]
    );
}

#[test]
fn a_cluster_is_cut_off_exactly_in_the_inaccessible_states() {
    use ClusterStatus::*;
    for (status, cut_off) in [
        (Available, false),
        (Starting, false),
        (InaccessibleRecoverable, true),
        (Inaccessible, true),
    ] {
        assert_eq!(status.is_inaccessible(), cut_off, "{}", status.as_str());
        assert_eq!(
            status.as_str().starts_with("inaccessible"),
            cut_off,
            "the name AWS gives agrees"
        );
    }
}
