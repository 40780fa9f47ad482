//! KMS behaviours a learner must see, each asserted through `World::call`.

mod common;

use common::*;
use kms_core::audit::{AuditQuery, AuditTrail};
use kms_core::kms::CIPHERTEXT_KEY_INACCESSIBLE;
use kms_core::prelude::*;

fn gdk(key_id: &str, context: &EncryptionContext) -> Request {
    Request::GenerateDataKey(GenerateDataKeyRequest {
        key_id: key_id.into(),
        key_spec: Some(DataKeySpec::AES_256),
        encryption_context: Some(context.clone()),
        ..Default::default()
    })
}

#[test]
fn envelope_round_trip_generate_data_key_then_decrypt() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let context = ctx(&[("aws:rds:db-id", "cluster-1")]);
    let Response::GenerateDataKey(data_key) = ok(&mut world, &caller, gdk(&key.key_id, &context))
    else {
        panic!()
    };
    assert_eq!(data_key.plaintext.len(), 32);
    assert_eq!(data_key.key_id, key.arn, "responses name the key by ARN");
    assert_eq!(base64_prefix(&data_key.ciphertext_blob), "AQICA");
    assert_eq!(
        decrypt(&mut world, &caller, &data_key.ciphertext_blob, &context),
        data_key.plaintext.expose()
    );
    // Two data keys are never the same, and neither are their blobs.
    let Response::GenerateDataKey(other) = ok(&mut world, &caller, gdk(&key.key_id, &context))
    else {
        panic!()
    };
    assert_ne!(other.plaintext, data_key.plaintext);
    assert_ne!(other.ciphertext_blob, data_key.ciphertext_blob);
}

fn base64_prefix(blob: &[u8]) -> String {
    kms_core::base64_blob::encode(blob)[..5].to_string()
}

#[test]
fn decrypt_needs_exactly_the_same_context_in_any_order() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let context = ctx(&[("tenant", "acme"), ("app", "billing")]);
    let blob = encrypt(&mut world, &caller, &key.key_id, b"secret", &context);
    assert_eq!(
        decrypt(
            &mut world,
            &caller,
            &blob,
            &ctx(&[("app", "billing"), ("tenant", "acme")])
        ),
        b"secret"
    );
    for wrong in [
        ctx(&[]),
        ctx(&[("tenant", "acme")]),
        ctx(&[("tenant", "acme"), ("app", "Billing")]),
        ctx(&[("tenant", "acme"), ("app", "billing"), ("extra", "x")]),
    ] {
        let message = err(
            &mut world,
            &caller,
            decrypt_request(&blob, &wrong),
            "InvalidCiphertextException",
        );
        // AWS never says the context was the problem: no message at all.
        assert_eq!(message, "");
    }
}

#[test]
fn length_prefixing_keeps_split_contexts_apart() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let blob = encrypt(&mut world, &caller, &key.key_id, b"x", &ctx(&[("ab", "c")]));
    err(
        &mut world,
        &caller,
        decrypt_request(&blob, &ctx(&[("a", "bc")])),
        "InvalidCiphertextException",
    );
}

#[test]
fn plaintext_limits_are_aws_limits() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    encrypt(&mut world, &caller, &key.key_id, &[7; 4096], &ctx(&[]));
    for size in [0, 4097] {
        err(
            &mut world,
            &caller,
            Request::Encrypt(EncryptRequest {
                key_id: key.key_id.clone(),
                plaintext: SecretBytes::new(vec![1; size]),
                ..Default::default()
            }),
            "ValidationException",
        );
    }
}

#[test]
fn generate_data_key_parameters() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let request = |bytes: Option<u32>, spec: Option<DataKeySpec>| {
        Request::GenerateDataKey(GenerateDataKeyRequest {
            key_id: key.key_id.clone(),
            number_of_bytes: bytes,
            key_spec: spec,
            ..Default::default()
        })
    };
    let Response::GenerateDataKey(k) = ok(
        &mut world,
        &caller,
        request(None, Some(DataKeySpec::AES_128)),
    ) else {
        panic!()
    };
    assert_eq!(k.plaintext.len(), 16);
    let Response::GenerateDataKey(k) = ok(&mut world, &caller, request(Some(1024), None)) else {
        panic!()
    };
    assert_eq!(k.plaintext.len(), 1024);
    let message = err(
        &mut world,
        &caller,
        request(None, None),
        "ValidationException",
    );
    assert_eq!(
        message,
        "Please specify either number of bytes or key spec."
    );
    err(
        &mut world,
        &caller,
        request(Some(32), Some(DataKeySpec::AES_256)),
        "ValidationException",
    );
    err(
        &mut world,
        &caller,
        request(Some(1025), None),
        "ValidationException",
    );
    err(
        &mut world,
        &caller,
        request(Some(0), None),
        "ValidationException",
    );
    let Response::GenerateDataKeyWithoutPlaintext(w) = ok(
        &mut world,
        &caller,
        Request::GenerateDataKeyWithoutPlaintext(GenerateDataKeyRequest {
            key_id: key.key_id.clone(),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(
        decrypt(&mut world, &caller, &w.ciphertext_blob, &ctx(&[])).len(),
        32
    );
}

#[test]
fn decrypt_with_key_id_must_name_the_blob_key() {
    let mut world = world();
    let caller = root(PROD);
    let a = create_key(&mut world, &caller);
    let b = create_key(&mut world, &caller);
    let blob = encrypt(&mut world, &caller, &a.key_id, b"x", &ctx(&[]));
    let with_key = |key_id: &str| {
        Request::Decrypt(DecryptRequest {
            ciphertext_blob: blob.clone(),
            key_id: Some(key_id.into()),
            ..Default::default()
        })
    };
    ok(&mut world, &caller, with_key(&a.arn));
    err(
        &mut world,
        &caller,
        with_key(&b.key_id),
        "IncorrectKeyException",
    );
}

#[test]
fn keys_are_regional() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let blob = encrypt(&mut world, &caller, &key.key_id, b"x", &ctx(&[]));
    let elsewhere = Caller::new(
        Principal::Root(account(PROD)),
        Region::parse("us-east-1").unwrap(),
    );
    let message = err(
        &mut world,
        &elsewhere,
        Request::DescribeKey(key_request(&key.key_id)),
        "NotFoundException",
    );
    assert!(
        message.contains("us-east-1") && message.contains("does not exist"),
        "{message}"
    );
    err(
        &mut world,
        &elsewhere,
        Request::DescribeKey(key_request(&key.arn)),
        "NotFoundException",
    );
    let message = err(
        &mut world,
        &elsewhere,
        decrypt_request(&blob, &ctx(&[])),
        "AccessDeniedException",
    );
    assert_eq!(message, CIPHERTEXT_KEY_INACCESSIBLE);
}

#[test]
fn rotation_keeps_old_material_so_old_ciphertexts_decrypt() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let before = encrypt(&mut world, &caller, &key.key_id, b"v1", &ctx(&[]));
    ok(
        &mut world,
        &caller,
        Request::RotateKeyOnDemand(key_request(&key.key_id)),
    );
    // An on-demand rotation takes a moment; a second request meanwhile conflicts.
    err(
        &mut world,
        &caller,
        Request::RotateKeyOnDemand(key_request(&key.key_id)),
        "ConflictException",
    );
    let status = rotation_status(&mut world, &caller, &key.key_id);
    assert!(status.on_demand_rotation_start_date.is_some());
    world.advance(MINUTE).unwrap();
    let after = encrypt(&mut world, &caller, &key.key_id, b"v2", &ctx(&[]));
    assert_eq!(before[20..24], [0, 0, 0, 1], "first backing key");
    assert_eq!(after[20..24], [0, 0, 0, 2], "rotated backing key");
    assert_eq!(decrypt(&mut world, &caller, &before, &ctx(&[])), b"v1");
    assert_eq!(decrypt(&mut world, &caller, &after, &ctx(&[])), b"v2");

    // Automatic rotation on the virtual clock.
    ok(
        &mut world,
        &caller,
        Request::EnableKeyRotation(EnableKeyRotationRequest {
            key_id: key.key_id.clone(),
            rotation_period_in_days: Some(90),
        }),
    );
    assert_eq!(world.next_event_time(), Some(world.now().plus(90 * DAY)));
    world.advance(90 * DAY).unwrap();
    let list = rotations(&mut world, &caller, &key.key_id);
    let kinds: Vec<&str> = list.iter().map(|r| r.rotation_type.as_str()).collect();
    assert_eq!(kinds, ["ON_DEMAND", "AUTOMATIC"]);
    assert_eq!(decrypt(&mut world, &caller, &before, &ctx(&[])), b"v1");
    for days in [89, 2561] {
        err(
            &mut world,
            &caller,
            Request::EnableKeyRotation(EnableKeyRotationRequest {
                key_id: key.key_id.clone(),
                rotation_period_in_days: Some(days),
            }),
            "ValidationException",
        );
    }
}

#[test]
fn on_demand_rotation_is_limited_to_ten() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    for _ in 0..10 {
        ok(
            &mut world,
            &caller,
            Request::RotateKeyOnDemand(key_request(&key.key_id)),
        );
        world.advance(MINUTE).unwrap();
    }
    err(
        &mut world,
        &caller,
        Request::RotateKeyOnDemand(key_request(&key.key_id)),
        "LimitExceededException",
    );
    assert_eq!(
        world.state().kms.keys[&KeyId::parse(&key.key_id).unwrap()]
            .backing_keys
            .len(),
        11
    );
}

#[test]
fn deletion_happens_when_the_clock_passes_the_deletion_date() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let blob = encrypt(&mut world, &caller, &key.key_id, b"gone soon", &ctx(&[]));
    ok(
        &mut world,
        &caller,
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/doomed".into(),
            target_key_id: key.key_id.clone(),
        }),
    );
    // The API model allows 1 to 365 days, in the model's words; KMS allows
    // 7 to 30, in its own.
    for (days, message) in [
        (6, "PendingWindowInDays must be between 7 and 30"),
        (31, "PendingWindowInDays must be between 7 and 30"),
        (
            0,
            "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            366,
            "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365",
        ),
    ] {
        let got = err(
            &mut world,
            &caller,
            Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
                key_id: key.key_id.clone(),
                pending_window_in_days: Some(days),
            }),
            "ValidationException",
        );
        assert_eq!(got, message);
    }
    let Response::ScheduleKeyDeletion(s) = ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key.key_id.clone(),
            pending_window_in_days: Some(7),
        }),
    ) else {
        panic!()
    };
    assert_eq!(s.deletion_date, world.now().plus(7 * DAY).epoch_seconds());
    world.advance(7 * DAY - 1).unwrap();
    ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
    );
    world.advance(1).unwrap();
    let message = err(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
        "NotFoundException",
    );
    assert_eq!(message, format!("Key '{}' does not exist", key.arn));
    err(
        &mut world,
        &caller,
        Request::DescribeKey(key_request("alias/doomed")),
        "NotFoundException",
    );
    // Forever undecryptable.
    assert_eq!(
        err(
            &mut world,
            &caller,
            decrypt_request(&blob, &ctx(&[])),
            "AccessDeniedException"
        ),
        CIPHERTEXT_KEY_INACCESSIBLE
    );
    let deletions: Vec<_> = world
        .audit()
        .events()
        .filter(|e| e.event_name == "DeleteKey")
        .collect();
    assert_eq!(deletions.len(), 1);
    assert_eq!(deletions[0].event_type(), "AwsServiceEvent");
}

#[test]
fn cancelled_deletion_never_fires() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key.key_id.clone(),
            pending_window_in_days: Some(7),
        }),
    );
    ok(
        &mut world,
        &caller,
        Request::CancelKeyDeletion(key_request(&key.key_id)),
    );
    assert_eq!(
        world.next_event_time(),
        None,
        "a stale event is not an event"
    );
    world.advance(30 * DAY).unwrap();
    ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request(&key.key_id)),
    );
}

#[test]
fn an_alias_is_repointed_and_old_ciphertexts_still_name_the_old_key() {
    let mut world = world();
    let caller = root(PROD);
    let old = create_key(&mut world, &caller);
    let new = create_key(&mut world, &caller);
    let alias = |target: &str| AliasRequest {
        alias_name: "alias/app-db".into(),
        target_key_id: target.into(),
    };
    ok(
        &mut world,
        &caller,
        Request::CreateAlias(alias(&old.key_id)),
    );
    ok(
        &mut world,
        &caller,
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/app-db-legacy".into(),
            target_key_id: old.key_id.clone(),
        }),
    );
    let before = encrypt(&mut world, &caller, "alias/app-db", b"row", &ctx(&[]));
    ok(&mut world, &caller, Request::UpdateAlias(alias(&new.arn)));
    let after = encrypt(&mut world, &caller, "alias/app-db", b"row", &ctx(&[]));
    let key_of = |blob: &[u8]| KeyId::from_bytes(blob[4..20].try_into().unwrap()).to_string();
    assert_eq!(key_of(&before), old.key_id);
    assert_eq!(key_of(&after), new.key_id);
    let Response::Decrypt(d) = ok(&mut world, &caller, decrypt_request(&before, &ctx(&[]))) else {
        panic!()
    };
    assert_eq!(d.key_id, old.arn);
    err(
        &mut world,
        &caller,
        Request::CreateAlias(alias(&new.key_id)),
        "AlreadyExistsException",
    );
    err(
        &mut world,
        &caller,
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/aws/mine".into(),
            target_key_id: new.key_id.clone(),
        }),
        "InvalidAliasNameException",
    );
    err(
        &mut world,
        &caller,
        Request::CreateAlias(AliasRequest {
            alias_name: "app".into(),
            target_key_id: new.key_id.clone(),
        }),
        "ValidationException",
    );
    err(
        &mut world,
        &caller,
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/x".into(),
            target_key_id: "alias/app-db".into(),
        }),
        "ValidationException",
    );
    // UpdateAlias to a key pending deletion fails; from one succeeds.
    ok(
        &mut world,
        &caller,
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: old.key_id.clone(),
            pending_window_in_days: None,
        }),
    );
    err(
        &mut world,
        &caller,
        Request::UpdateAlias(alias(&old.key_id)),
        "KMSInvalidStateException",
    );
    ok(
        &mut world,
        &caller,
        Request::UpdateAlias(AliasRequest {
            alias_name: "alias/app-db-legacy".into(),
            target_key_id: new.key_id.clone(),
        }),
    );
    let Response::ListAliases(list) = ok(
        &mut world,
        &caller,
        Request::ListAliases(ListAliasesRequest::default()),
    ) else {
        panic!()
    };
    let names: Vec<(&str, bool)> = list
        .aliases
        .iter()
        .map(|a| (a.alias_name.as_str(), a.target_key_id.is_some()))
        .collect();
    assert_eq!(
        names,
        [
            ("alias/app-db", true),
            ("alias/app-db-legacy", true),
            ("alias/aws/ebs", false),
            ("alias/aws/rds", false),
            ("alias/aws/ssm", false)
        ]
    );
    ok(
        &mut world,
        &caller,
        Request::DeleteAlias(DeleteAliasRequest {
            alias_name: "alias/app-db".into(),
        }),
    );
    err(
        &mut world,
        &caller,
        Request::DescribeKey(key_request("alias/app-db")),
        "NotFoundException",
    );
}

#[test]
fn aws_managed_keys_are_used_only_through_their_service() {
    let mut world = world();
    let caller = root(PROD);
    // The root cannot use aws/rds directly; the lazily created key is not kept.
    err(
        &mut world,
        &caller,
        gdk("alias/aws/rds", &ctx(&[])),
        "AccessDeniedException",
    );
    assert!(world.state().kms.keys.is_empty());
    // Through RDS it works, and the key now exists, managed by AWS.
    let via_rds = caller.clone().via(AwsService::Rds);
    let Response::GenerateDataKey(k) = ok(
        &mut world,
        &via_rds,
        gdk("alias/aws/rds", &ctx(&[("aws:rds:db-id", "db-1")])),
    ) else {
        panic!()
    };
    let Response::KeyMetadata(m) = ok(
        &mut world,
        &caller,
        Request::DescribeKey(key_request("alias/aws/rds")),
    ) else {
        panic!()
    };
    let meta = m.key_metadata.unwrap();
    assert_eq!(meta.key_manager, KeyManager::AWS);
    assert_eq!(k.key_id, meta.arn);
    for request in [
        Request::DisableKey(key_request(&meta.key_id)),
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: meta.key_id.clone(),
            pending_window_in_days: None,
        }),
        Request::RotateKeyOnDemand(key_request(&meta.key_id)),
    ] {
        err(&mut world, &caller, request, "AccessDeniedException");
    }
    // SSM cannot use the RDS key.
    err(
        &mut world,
        &caller.clone().via(AwsService::Ssm),
        gdk("alias/aws/rds", &ctx(&[])),
        "AccessDeniedException",
    );
    // The managed key rotates every year by itself.
    let status = rotation_status(&mut world, &caller, &meta.key_id);
    assert!(status.key_rotation_enabled);
}

#[test]
fn the_interim_authorizer_denies_iam_users_without_policies() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    ok(
        &mut world,
        &caller,
        Request::CreateUser(kms_core::iam::CreateUserRequest {
            user_name: "alice".into(),
        }),
    );
    let alice = Caller::new(Principal::User(account(PROD), "alice".into()), region());
    let message = err(
        &mut world,
        &alice,
        Request::DescribeKey(key_request(&key.key_id)),
        "AccessDeniedException",
    );
    assert_eq!(
        message,
        format!(
            "User: arn:aws:iam::{PROD}:user/alice is not authorized to perform: kms:DescribeKey on resource: {} because no identity-based policy allows the kms:DescribeKey action",
            key.arn
        )
    );
    let outcome = world.call(alice, Request::DescribeKey(key_request(&key.key_id)));
    assert_eq!(outcome.authorizations.len(), 1);
    assert!(!outcome.authorizations[0].allowed);
    let bob = Caller::new(Principal::User(account(PROD), "bob".into()), region());
    err(
        &mut world,
        &bob,
        Request::ListKeys(ListKeysRequest::default()),
        "UnrecognizedClientException",
    );
    let stranger = root("999999999999");
    err(
        &mut world,
        &stranger,
        Request::ListKeys(ListKeysRequest::default()),
        "UnrecognizedClientException",
    );
}

#[test]
fn every_call_is_audited_without_secrets() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let context = ctx(&[(
        "PARAMETER_ARN",
        "arn:aws:ssm:eu-west-1:111122223333:parameter/db-password",
    )]);
    let blob = encrypt(
        &mut world,
        &caller,
        &key.key_id,
        b"correct horse battery staple",
        &context,
    );
    let Response::GenerateDataKey(dk) = ok(
        &mut world,
        &caller.clone().via(AwsService::Ssm),
        gdk(&key.key_id, &context),
    ) else {
        panic!()
    };
    err(
        &mut world,
        &caller,
        decrypt_request(&blob, &ctx(&[])),
        "InvalidCiphertextException",
    );
    assert_eq!(world.audit().recorded(), 4);

    let json = AuditTrail::to_cloudtrail_json(world.audit().events());
    for secret in [
        kms_core::base64_blob::encode(b"correct horse battery staple"),
        kms_core::base64_blob::encode(dk.plaintext.expose()),
    ] {
        assert!(!json.contains(&secret), "a secret reached the trail");
    }
    assert!(
        json.contains("parameter/db-password"),
        "the context is logged in plaintext"
    );
    assert!(json.contains("\"invokedBy\": \"ssm.amazonaws.com\""));
    assert!(json.contains("\"aWSAccountId\""));

    let errors = AuditQuery {
        errors_only: true,
        ..Default::default()
    };
    let failed: Vec<_> = world.audit().query(&errors).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error_code, Some("InvalidCiphertextException"));
    let by_key = AuditQuery {
        key_arn: Some(key.arn.clone()),
        event_name: Some("Encrypt".into()),
        ..Default::default()
    };
    assert_eq!(world.audit().query(&by_key).count(), 1);
    let debug = format!("{:?}", world.audit());
    assert!(!debug.contains("correct horse"));
}

#[test]
fn replaying_the_log_rebuilds_the_same_world_byte_for_byte() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let blob = encrypt(
        &mut world,
        &caller,
        &key.key_id,
        b"same bytes",
        &ctx(&[("k", "v")]),
    );
    ok(
        &mut world,
        &caller,
        Request::RotateKeyOnDemand(key_request(&key.key_id)),
    );
    world.advance(HOUR).unwrap();
    err(
        &mut world,
        &caller,
        Request::DescribeKey(key_request("alias/nope")),
        "NotFoundException",
    );

    let restored = World::import_json(&world.export_json()).unwrap();
    assert_eq!(restored.state().kms, world.state().kms);
    assert_eq!(restored.now(), world.now());
    assert_eq!(restored.audit(), world.audit());
    assert_eq!(restored.log(), world.log());
    // Replaying the log call by call produces the very same ciphertext bytes,
    // and the observer sees every call with its outcome, in order.
    let mut replayed_blob = None;
    let mut observed = Vec::new();
    let mut twin = World::replay_observed(&world.export_log(), |_, entry| {
        if let kms_core::world::Replayed::Call(_, request, outcome) = entry {
            observed.push((request.action(), outcome.result.is_ok()));
            if let Ok(Response::Encrypt(e)) = outcome.result {
                replayed_blob = Some(e.ciphertext_blob);
            }
        }
    })
    .unwrap();
    assert_eq!(
        observed,
        [
            ("kms:CreateKey", true),
            ("kms:Encrypt", true),
            ("kms:RotateKeyOnDemand", true),
            ("kms:DescribeKey", false)
        ]
    );
    assert_eq!(replayed_blob.as_deref(), Some(&blob[..]));
    assert_eq!(
        decrypt(&mut twin, &caller, &blob, &ctx(&[("k", "v")])),
        b"same bytes"
    );
}

#[test]
fn hostile_logs_are_refused_with_a_reason() {
    for (text, needle) in [
        ("", "not a playground log"),
        (
            "{\"Format\":2,\"CoreVersion\":\"9\",\"Seed\":\"00\",\"Start\":0,\"Entries\":[]}",
            "format 2",
        ),
        (
            "{\"Format\":1,\"CoreVersion\":\"0\",\"Seed\":\"zz\",\"Start\":0,\"Entries\":[]}",
            "Seed",
        ),
        // A sign is not a hexadecimal digit (a hand-written reader once
        // took `+f` for 0x0f).
        (
            "{\"Format\":1,\"CoreVersion\":\"0\",\"Seed\":\"+f00000000000000000000000000000000000000000000000000000000000000\",\"Start\":0,\"Entries\":[]}",
            "64 hexadecimal",
        ),
        (
            "{\"Format\":1,\"CoreVersion\":\"0\",\"Seed\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"Start\":0,\"Entries\":[{\"Entry\":\"AddAccount\",\"AccountId\":\"12\",\"Name\":\"x\"}]}",
            "not a playground log",
        ),
        (
            "{\"Format\":1,\"CoreVersion\":\"0\",\"Seed\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"Start\":0,\"Entries\":[{\"Entry\":\"AddAccount\",\"AccountId\":\"111122223333\",\"Name\":\"x\"},{\"Entry\":\"AddAccount\",\"AccountId\":\"111122223333\",\"Name\":\"x\"}]}",
            "Log entry 1",
        ),
    ] {
        let e = World::import_json(text).unwrap_err();
        assert_eq!(e.name(), "ValidationException");
        assert!(e.message().contains(needle), "{text}: {e}");
    }
}

#[test]
fn failed_requests_change_nothing_but_the_trail_and_the_log() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let blob = encrypt(&mut world, &caller, &key.key_id, b"x", &ctx(&[]));
    let before = snapshot(&world);
    let bad: Vec<Request> = vec![
        Request::DescribeKey(key_request("not-a-key")),
        Request::Encrypt(EncryptRequest {
            key_id: key.key_id.clone(),
            plaintext: SecretBytes::new(vec![0; 5000]),
            ..Default::default()
        }),
        decrypt_request(&blob, &ctx(&[("wrong", "context")])),
        decrypt_request(&blob[..30], &ctx(&[])),
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key.key_id.clone(),
            pending_window_in_days: Some(31),
        }),
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/aws/x".into(),
            target_key_id: key.key_id.clone(),
        }),
        Request::CreateKey(CreateKeyRequest {
            key_spec: Some(KeySpec::RSA_2048),
            ..Default::default()
        }),
        Request::CreateKey(CreateKeyRequest {
            policy: Some("{not json".into()),
            ..Default::default()
        }),
        Request::GenerateRandom(GenerateRandomRequest {
            number_of_bytes: Some(2000),
        }),
        gdk("alias/aws/ssm", &ctx(&[])),
    ];
    let trail_before = world.audit().recorded();
    for request in bad {
        assert!(
            world.call(caller.clone(), request.clone()).result.is_err(),
            "{request:?}"
        );
        assert_eq!(
            snapshot(&world),
            before,
            "{} changed the world",
            request.action()
        );
    }
    assert_eq!(world.audit().recorded(), trail_before + 10);
}

#[test]
fn unsupported_key_specs_say_so_clearly() {
    let mut world = world();
    let message = err(
        &mut world,
        &root(PROD),
        Request::CreateKey(CreateKeyRequest {
            key_spec: Some(KeySpec::HMAC_256),
            key_usage: Some(KeyUsage::GENERATE_VERIFY_MAC),
            ..Default::default()
        }),
        "UnsupportedOperationException",
    );
    assert!(
        message.contains("HMAC_256") && message.contains("SYMMETRIC_DEFAULT"),
        "{message}"
    );
}

fn create_asymmetric(
    world: &mut World,
    spec: KeySpec,
    usage: Option<KeyUsage>,
) -> Result<KeyMetadata, KmsError> {
    let outcome = world.call(
        root(PROD),
        Request::CreateKey(CreateKeyRequest {
            key_spec: Some(spec),
            key_usage: usage,
            ..Default::default()
        }),
    );
    match outcome.result? {
        Response::KeyMetadata(m) => Ok(m.key_metadata.unwrap()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn asymmetric_keys_exist_with_the_usages_their_spec_allows() {
    let mut world = world();
    // KeyUsage is required for every key but a symmetric one, and must
    // suit the spec.
    let error = create_asymmetric(&mut world, KeySpec::ECC_NIST_P256, None).unwrap_err();
    assert_eq!(error.name(), "ValidationException", "{error}");
    let error = create_asymmetric(
        &mut world,
        KeySpec::ECC_NIST_P256,
        Some(KeyUsage::ENCRYPT_DECRYPT),
    )
    .unwrap_err();
    assert_eq!(error.name(), "ValidationException", "{error}");
    assert!(error.message().contains("SIGN_VERIFY"), "{error}");

    let signing =
        create_asymmetric(&mut world, KeySpec::RSA_2048, Some(KeyUsage::SIGN_VERIFY)).unwrap();
    let json = serde_json::to_value(&signing).unwrap();
    assert_eq!(json["KeySpec"], "RSA_2048");
    assert_eq!(json["KeyUsage"], "SIGN_VERIFY");
    assert!(json.get("EncryptionAlgorithms").is_none(), "{json}");
    assert_eq!(json["SigningAlgorithms"][0], "RSASSA_PSS_SHA_256");
    let encrypting = create_asymmetric(
        &mut world,
        KeySpec::RSA_3072,
        Some(KeyUsage::ENCRYPT_DECRYPT),
    )
    .unwrap();
    assert_eq!(
        encrypting.encryption_algorithms,
        ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    );
    let agreeing = create_asymmetric(
        &mut world,
        KeySpec::ECC_NIST_P384,
        Some(KeyUsage::KEY_AGREEMENT),
    )
    .unwrap();
    assert_eq!(agreeing.key_agreement_algorithms, ["ECDH"]);

    let caller = root(PROD);
    // No data keys, no encryption with a signing key, no rotation.
    err(
        &mut world,
        &caller,
        Request::GenerateDataKey(GenerateDataKeyRequest {
            key_id: signing.key_id.clone(),
            key_spec: Some(DataKeySpec::AES_256),
            ..Default::default()
        }),
        "InvalidKeyUsageException",
    );
    err(
        &mut world,
        &caller,
        Request::Encrypt(EncryptRequest {
            key_id: signing.key_id.clone(),
            plaintext: SecretBytes::from(&b"x"[..]),
            ..Default::default()
        }),
        "InvalidKeyUsageException",
    );
    err(
        &mut world,
        &caller,
        Request::EnableKeyRotation(EnableKeyRotationRequest {
            key_id: signing.key_id.clone(),
            rotation_period_in_days: None,
        }),
        "UnsupportedOperationException",
    );
    // RSA encryption is real KMS, but not simulated: it says so.
    let message = err(
        &mut world,
        &caller,
        Request::Encrypt(EncryptRequest {
            key_id: encrypting.key_id.clone(),
            plaintext: SecretBytes::from(&b"x"[..]),
            ..Default::default()
        }),
        "UnsupportedOperationException",
    );
    assert!(message.contains("does not implement"), "{message}");
    // Everything that is not cryptography works as for any key.
    ok(
        &mut world,
        &caller,
        Request::DisableKey(KeyIdRequest {
            key_id: signing.key_id.clone(),
            grant_tokens: None,
        }),
    );
}

#[test]
fn list_keys_pages_like_aws() {
    let mut world = world();
    let caller = root(PROD);
    for _ in 0..3 {
        create_key(&mut world, &caller);
    }
    let list = |world: &mut World, marker: Option<String>| match ok(
        world,
        &caller,
        Request::ListKeys(ListKeysRequest {
            limit: Some(2),
            marker,
        }),
    ) {
        Response::ListKeys(l) => l,
        other => panic!("{other:?}"),
    };
    let first = list(&mut world, None);
    assert_eq!((first.keys.len(), first.truncated), (2, true));
    let second = list(&mut world, first.next_marker);
    assert_eq!(
        (second.keys.len(), second.truncated, second.next_marker),
        (1, false, None)
    );
    err(
        &mut world,
        &caller,
        Request::ListKeys(ListKeysRequest {
            limit: None,
            marker: Some("banana".into()),
        }),
        "InvalidMarkerException",
    );
    err(
        &mut world,
        &caller,
        Request::ListKeys(ListKeysRequest {
            limit: Some(0),
            marker: None,
        }),
        "ValidationException",
    );
}

#[test]
fn iam_users_and_roles_are_named_callers() {
    use kms_core::iam::{CreateRoleRequest, CreateUserRequest};
    let mut world = world();
    let caller = root(PROD);
    let user = |name: &str| {
        Request::CreateUser(CreateUserRequest {
            user_name: name.into(),
        })
    };
    let role = |name: &str| {
        Request::CreateRole(CreateRoleRequest {
            role_name: name.into(),
            assume_role_policy_document: format!(
                r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Principal":{{"AWS":"{PROD}"}},"Action":"sts:AssumeRole"}}}}"#
            ),
        })
    };
    let Response::IamEntity(created) = ok(&mut world, &caller, user("alice")) else {
        panic!()
    };
    assert_eq!(
        created.user.unwrap().arn,
        format!("arn:aws:iam::{PROD}:user/alice")
    );
    let message = err(&mut world, &caller, user("alice"), "EntityAlreadyExists");
    assert_eq!(message, "User with name alice already exists.");
    err(
        &mut world,
        &caller,
        user("not a name"),
        "ValidationException",
    );
    ok(&mut world, &caller, role("alice"));
    err(&mut world, &caller, role("alice"), "EntityAlreadyExists");
    // Only principals that exist can call.
    let role_caller = Caller::new(Principal::Role(account(PROD), "alice".into()), region());
    err(
        &mut world,
        &role_caller,
        Request::ListKeys(ListKeysRequest::default()),
        "AccessDeniedException",
    );
    let ghost = Caller::new(Principal::Role(account(PROD), "ghost".into()), region());
    err(
        &mut world,
        &ghost,
        Request::ListKeys(ListKeysRequest::default()),
        "UnrecognizedClientException",
    );
    // IAM events come from iam.amazonaws.com.
    assert!(
        world
            .audit()
            .events()
            .any(|e| e.event_source == "iam.amazonaws.com" && e.event_name == "CreateRole")
    );
}

#[test]
fn get_key_policy_takes_the_optional_policy_name_default() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let get = |name: &str| {
        Request::from_json(
            &serde_json::json!({"Action": "kms:GetKeyPolicy", "Parameters": {"KeyId": key.key_id, "PolicyName": name}})
                .to_string(),
        )
        .unwrap()
    };
    ok(&mut world, &caller, get("default"));
    err(&mut world, &caller, get("other"), "NotFoundException");
}

/// `kms:KeySpec` and `kms:KeyUsage` are the key's own: an IAM policy that
/// allows only signing keys opens the RSA signing key and not a symmetric
/// one (the simulator once said SYMMETRIC_DEFAULT for every key).
#[test]
fn key_spec_and_key_usage_conditions_read_the_key() {
    let mut world = world();
    let signing =
        create_asymmetric(&mut world, KeySpec::RSA_2048, Some(KeyUsage::SIGN_VERIFY)).unwrap();
    let symmetric = create_key(&mut world, &root(PROD));
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"kms:KeySpec": "RSA_2048", "kms:KeyUsage": "SIGN_VERIFY"}}
        }]
    });
    let signer = add_user(&mut world, PROD, "Signer", Some(policy));
    let describe = |key: &str| {
        Request::DescribeKey(kms_core::kms::api::KeyIdRequest {
            key_id: key.into(),
            ..Default::default()
        })
    };
    ok(&mut world, &signer, describe(&signing.key_id));
    err(
        &mut world,
        &signer,
        describe(&symmetric.key_id),
        "AccessDeniedException",
    );
}

/// KMS does not rotate a disabled key; enabled again after its rotation
/// fell due, the key rotates at once and every period from then (KMS API
/// reference, GetKeyRotationStatus: "When you re-enable the KMS key,
/// rotation resumes. If the key material in the re-enabled KMS key hasn't
/// been rotated in one year, KMS rotates it immediately").
#[test]
fn a_key_enabled_again_after_a_missed_rotation_rotates_at_once() {
    let mut world = world();
    let caller = root(PROD);
    let key = create_key(&mut world, &caller);
    let rotations = |world: &mut World| rotations(world, &caller, &key.key_id).len();
    ok(
        &mut world,
        &caller,
        Request::EnableKeyRotation(EnableKeyRotationRequest {
            key_id: key.key_id.clone(),
            rotation_period_in_days: Some(365),
        }),
    );
    ok(
        &mut world,
        &caller,
        Request::DisableKey(key_request(&key.key_id)),
    );
    world.advance(400 * DAY).unwrap();
    assert_eq!(rotations(&mut world), 0, "a disabled key does not rotate");
    ok(
        &mut world,
        &caller,
        Request::EnableKey(key_request(&key.key_id)),
    );
    assert_eq!(rotations(&mut world), 1, "rotated when enabled again");
    let status = rotation_status(&mut world, &caller, &key.key_id);
    assert_eq!(
        status.next_rotation_date,
        Some(world.now().plus(365 * DAY).epoch_seconds()),
        "every period from the rotation on enabling"
    );
    // Disabled and enabled again before the next date: nothing is due.
    ok(
        &mut world,
        &caller,
        Request::DisableKey(key_request(&key.key_id)),
    );
    world.advance(100 * DAY).unwrap();
    ok(
        &mut world,
        &caller,
        Request::EnableKey(key_request(&key.key_id)),
    );
    assert_eq!(rotations(&mut world), 1);
    world.advance(265 * DAY).unwrap();
    assert_eq!(rotations(&mut world), 2, "the schedule went on");
}
