//! Issue 14, class 5: what a key pending deletion reports.
//!
//! Source: the KMS API reference (botocore `kms/2014-11-01`):
//! - GetKeyRotationStatus: "While a KMS key is pending deletion, its key
//!   rotation status is false and KMS does not rotate the key material. If
//!   you cancel the deletion, the original key rotation status returns to
//!   true." (allowed in every key state: developer guide `key-state.md`);
//! - KeyMetadata.DeletionDate: "present only when the KMS key is scheduled
//!   for deletion"; KeyMetadata.PendingDeletionWindowInDays: "present only
//!   when the KeyState of the KMS key is PendingReplicaDeletion" (multi-Region
//!   keys); KeyMetadata.Enabled: "When KeyState is Enabled this value is
//!   true, otherwise it is false".
//!
//! Choice (not documented): while pending deletion, NextRotationDate is
//! omitted with the status false; RotationPeriodInDays likewise.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn call(world: &mut World, action: &str, parameters: Value) -> Value {
    let request =
        Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string())
            .unwrap();
    let response = ok(world, &root(PROD), request);
    kms_core::json::to_value(&response).unwrap()
}

#[test]
fn a_key_pending_deletion_reports_rotation_off_and_its_deletion_date_only() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let id = json!({"KeyId": key.key_id});
    call(&mut world, "kms:EnableKeyRotation", id.clone());

    let before = call(&mut world, "kms:GetKeyRotationStatus", id.clone());
    assert_eq!(before["KeyRotationEnabled"], true);
    assert!(before.get("NextRotationDate").is_some());

    call(
        &mut world,
        "kms:ScheduleKeyDeletion",
        json!({"KeyId": key.key_id, "PendingWindowInDays": 7}),
    );
    let pending = call(&mut world, "kms:GetKeyRotationStatus", id.clone());
    assert_eq!(pending["KeyRotationEnabled"], false, "{pending}");
    assert_eq!(pending.get("NextRotationDate"), None, "{pending}");
    assert_eq!(pending.get("RotationPeriodInDays"), None, "{pending}");

    let described = call(&mut world, "kms:DescribeKey", id.clone());
    let metadata = &described["KeyMetadata"];
    assert_eq!(metadata["KeyState"], "PendingDeletion");
    assert_eq!(metadata["Enabled"], false);
    assert!(metadata["DeletionDate"].is_number(), "{metadata}");
    assert_eq!(
        metadata.get("PendingDeletionWindowInDays"),
        None,
        "single-Region keys show DeletionDate only: {metadata}"
    );

    call(&mut world, "kms:CancelKeyDeletion", id.clone());
    let restored = call(&mut world, "kms:GetKeyRotationStatus", id.clone());
    assert_eq!(
        restored["KeyRotationEnabled"], true,
        "cancelling restores the original status: {restored}"
    );
    let described = call(&mut world, "kms:DescribeKey", id);
    assert_eq!(described["KeyMetadata"]["KeyState"], "Disabled");
    assert_eq!(described["KeyMetadata"].get("DeletionDate"), None);
}
