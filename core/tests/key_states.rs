//! AWS's key state table, every operation × every state, in one table.

mod common;

use common::*;
use kms_core::kms::actions::{KEY_ACCESSES, KeyAccess};
use kms_core::prelude::*;

/// What AWS's table says, written out independently of the implementation:
/// `None` = allowed, `Some((exception, message suffix))` = refused.
fn expected(op: &KeyAccess, state: KeyState) -> Option<(&'static str, &'static str)> {
    const DISABLED: Option<(&str, &str)> = Some(("DisabledException", "is disabled."));
    const PENDING: Option<(&str, &str)> =
        Some(("KMSInvalidStateException", "is pending deletion."));
    const NOT_PENDING: Option<(&str, &str)> =
        Some(("KMSInvalidStateException", "is not pending deletion."));
    let row: [Option<(&str, &str)>; 3] = match op.name {
        //                                   Enabled       Disabled   PendingDeletion
        "CancelKeyDeletion" => [NOT_PENDING, NOT_PENDING, None],
        "CreateAlias" => [None, None, PENDING],
        "CreateGrant" => [None, DISABLED, PENDING],
        "Decrypt" => [None, DISABLED, PENDING],
        "DeleteAlias" => [None, None, None],
        "DescribeKey" => [None, None, None],
        "DisableKey" => [None, None, PENDING],
        "DisableKeyRotation" => [None, DISABLED, PENDING],
        "EnableKey" => [None, None, PENDING],
        "EnableKeyRotation" => [None, DISABLED, PENDING],
        "Encrypt" => [None, DISABLED, PENDING],
        "GenerateDataKey" => [None, DISABLED, PENDING],
        "GenerateDataKeyWithoutPlaintext" => [None, DISABLED, PENDING],
        "GetKeyPolicy" => [None, None, None],
        "GetKeyRotationStatus" => [None, None, None],
        "ListAliases" => [None, None, None],
        "ListGrants" => [None, None, None],
        "ListKeyPolicies" => [None, None, None],
        "ListKeyRotations" => [None, None, None],
        "ListResourceTags" => [None, None, None],
        "PutKeyPolicy" => [None, None, None],
        "ReEncryptFrom" => [None, DISABLED, PENDING],
        "ReEncryptTo" => [None, DISABLED, PENDING],
        "RetireGrant" => [None, None, None],
        "RevokeGrant" => [None, None, None],
        "RotateKeyOnDemand" => [None, DISABLED, PENDING],
        "ScheduleKeyDeletion" => [None, None, PENDING],
        "TagResource" => [None, None, PENDING],
        "UntagResource" => [None, None, PENDING],
        "UpdateAliasFrom" => [None, None, None],
        "UpdateAliasTo" => [None, None, PENDING],
        "UpdateKeyDescription" => [None, None, PENDING],
        other => panic!("the table has no row for {other}"),
    };
    row[match state {
        KeyState::Enabled => 0,
        KeyState::Disabled => 1,
        KeyState::PendingDeletion => 2,
    }]
}

#[test]
fn every_operation_in_every_state_matches_the_aws_table() {
    let mut world = world();
    let caller = root(PROD);
    let enabled = create_key(&mut world, &caller);
    let disabled = create_key(&mut world, &caller);
    let pending = create_key(&mut world, &caller);
    ok(
        &mut world,
        &caller,
        Request::DisableKey(key_request(&disabled.key_id)),
    );
    ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: pending.key_id.clone(),
            pending_window_in_days: Some(7),
        }),
    );
    let mut checked = 0;
    for (meta, state) in [
        (&enabled, KeyState::Enabled),
        (&disabled, KeyState::Disabled),
        (&pending, KeyState::PendingDeletion),
    ] {
        let key = &world.state().kms.keys[&KeyId::parse(&meta.key_id).unwrap()];
        assert_eq!(key.state, state);
        for op in KEY_ACCESSES {
            match (op.check(key.arn(), key.state), expected(op, state)) {
                (Ok(()), None) => {}
                (Err(e), Some((name, suffix))) => {
                    assert_eq!(e.name(), name, "{} on a {state:?} key", op.name);
                    assert_eq!(
                        e.message(),
                        format!("{} {suffix}", meta.arn),
                        "{} on a {state:?} key",
                        op.name
                    );
                }
                (got, want) => panic!(
                    "{} on a {state:?} key: got {got:?}, AWS says {want:?}",
                    op.name
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 96);
}

/// The operations really consult the table (a sample through `World::call`).
#[test]
fn operations_enforce_the_table_through_the_api() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    ok(
        &mut world,
        &caller,
        Request::DisableKey(key_request(&key.key_id)),
    );
    let message = err(
        &mut world,
        &caller,
        Request::Encrypt(EncryptRequest {
            key_id: key.key_id.clone(),
            plaintext: SecretBytes::new(b"x".to_vec()),
            ..Default::default()
        }),
        "DisabledException",
    );
    assert_eq!(message, format!("{} is disabled.", key.arn));
    err(
        &mut world,
        &caller,
        Request::CancelKeyDeletion(key_request(&key.key_id)),
        "KMSInvalidStateException",
    );
    ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key.key_id.clone(),
            pending_window_in_days: None,
        }),
    );
    let message = err(
        &mut world,
        &caller,
        Request::GenerateDataKey(GenerateDataKeyRequest {
            key_id: key.key_id.clone(),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
        "KMSInvalidStateException",
    );
    assert_eq!(message, format!("{} is pending deletion.", key.arn));
    err(
        &mut world,
        &caller,
        Request::EnableKey(key_request(&key.key_id)),
        "KMSInvalidStateException",
    );
    ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
    );
    // Cancelling leaves the key Disabled.
    ok(
        &mut world,
        &caller,
        Request::CancelKeyDeletion(key_request(&key.key_id)),
    );
    let Response::KeyMetadata(m) = ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
    ) else {
        panic!()
    };
    assert_eq!(m.key_metadata.unwrap().key_state, KeyState::Disabled);
}
