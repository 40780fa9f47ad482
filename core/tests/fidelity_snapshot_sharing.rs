//! Issue 14, class 8a: RDS itself refuses to share a snapshot encrypted
//! with the AWS managed key.
//!
//! Sources: RDS user guide, USER_ShareSnapshot ("You can't share a snapshot
//! that has been encrypted using the default KMS key of the AWS account
//! that shared the snapshot"); Aurora user guide, share-encrypted-snapshot
//! (the same, and the fix: copy under a customer managed key, share the
//! copy). The API reference names no error for it: the simulator answers
//! `InvalidParameterValue` with the wording of AWS's own material
//! ("Sharing snapshots encrypted with the default service key for RDS is
//! currently not supported."); this is a documented choice.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn request(action: &str, parameters: Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

fn share(snapshot: &str, values: &str) -> Request {
    request(
        "rds:ModifyDBClusterSnapshotAttribute",
        json!({"DBClusterSnapshotIdentifier": snapshot, "AttributeName": "restore", values: [STAGING]}),
    )
}

/// The accounts `snapshot` is shared with, as RDS answers a modification
/// that removes an account it was never shared with.
fn shared_with(world: &mut World, snapshot: &str) -> Value {
    let Response::Rds(r) = ok(
        world,
        &root(PROD),
        request(
            "rds:ModifyDBClusterSnapshotAttribute",
            json!({"DBClusterSnapshotIdentifier": snapshot, "AttributeName": "restore", "ValuesToRemove": ["999988887777"]}),
        ),
    ) else {
        panic!()
    };
    let json = serde_json::to_value(r).unwrap();
    json["DBClusterSnapshotAttributesResult"]["DBClusterSnapshotAttributes"][0]["AttributeValues"]
        .clone()
}

/// A production cluster `db` created with `cluster` and its snapshot `nightly`.
fn nightly_snapshot(world: &mut World, cluster: Value) {
    let admin = root(PROD);
    ok(world, &admin, request("rds:CreateDBCluster", cluster));
    ok(
        world,
        &admin,
        request(
            "rds:CreateDBClusterSnapshot",
            json!({"DBClusterIdentifier": "db", "DBClusterSnapshotIdentifier": "nightly"}),
        ),
    );
}

#[test]
fn a_snapshot_under_the_managed_key_cannot_be_shared_but_its_copy_under_a_cmk_can() {
    let mut world = world();
    let admin = root(PROD);
    nightly_snapshot(&mut world, json!({"DBClusterIdentifier": "db"}));
    let message = err(
        &mut world,
        &admin,
        share("nightly", "ValuesToAdd"),
        "InvalidParameterValue",
    );
    assert_eq!(
        message,
        "Sharing snapshots encrypted with the default service key for RDS is currently not supported."
    );
    assert_eq!(
        shared_with(&mut world, "nightly"),
        json!([]),
        "nothing shared"
    );
    // Removing accounts is not sharing.
    ok(&mut world, &admin, share("nightly", "ValuesToRemove"));

    let cmk = create_key(&mut world, &admin);
    ok(
        &mut world,
        &admin,
        request(
            "rds:CopyDBClusterSnapshot",
            json!({"SourceDBClusterSnapshotIdentifier": "nightly", "TargetDBClusterSnapshotIdentifier": "copy", "KmsKeyId": cmk.arn}),
        ),
    );
    ok(&mut world, &admin, share("copy", "ValuesToAdd"));
    assert_eq!(shared_with(&mut world, "copy"), json!([STAGING]));
}

#[test]
fn a_snapshot_of_a_cluster_under_a_cmk_is_shared_directly() {
    let mut world = world();
    let admin = root(PROD);
    let cmk = create_key(&mut world, &admin);
    nightly_snapshot(
        &mut world,
        json!({"DBClusterIdentifier": "db", "KmsKeyId": cmk.key_id}),
    );
    ok(&mut world, &admin, share("nightly", "ValuesToAdd"));
    assert_eq!(shared_with(&mut world, "nightly"), json!([STAGING]));
}
