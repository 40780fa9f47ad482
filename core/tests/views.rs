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
    if let Err(e) = result.take_outcome(shown.as_ref(), outcome, world) {
        result.error = Some(e);
    }
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

#[test]
fn a_wrong_context_decrypt_shows_the_context_bound_at_encryption_from_cloudtrail() {
    let mut world = world();
    let admin = root(PROD);
    let key = create_key(&mut world, &admin);
    // An older blob under another context: the search must find the right record.
    encrypt(
        &mut world,
        &admin,
        &key.key_id,
        b"other",
        &EncryptionContext::from_pairs([("tenant", "globex")]),
    );
    let blob = encrypt(
        &mut world,
        &admin,
        &key.key_id,
        b"hello",
        &EncryptionContext::from_pairs([("tenant", "acme"), ("purpose", "invoice")]),
    );
    let wrong = step(
        &mut world,
        &admin,
        request(
            "kms:Decrypt",
            json!({"CiphertextBlob": kms_core::base64_blob::encode(&blob), "EncryptionContext": {"tenant": "ACME", "purpose": "invoice"}}),
        ),
    );
    assert_eq!(
        wrong.error.as_ref().map(|e| e.name()),
        Some("InvalidCiphertextException")
    );
    assert!(
        wrong.authorizations.last().unwrap().allowed,
        "the permission layer passed"
    );
    let m = wrong
        .context_mismatch
        .expect("the integrity failure is explained");
    assert_eq!(m.key_arn, key.arn.to_string());
    let bound = m
        .bound
        .expect("the Encrypt that made the blob is in the trail");
    assert_eq!(bound.event_name, "Encrypt");
    assert_eq!(bound.context.get("tenant"), Some("acme"));
    let differing: Vec<_> = m
        .pairs
        .iter()
        .filter(|p| p.differs())
        .map(|p| p.key.as_str())
        .collect();
    assert_eq!(differing, ["tenant"]);
    assert!(m.pairs.iter().any(|p| p.key == "purpose" && !p.differs()));

    // A damaged blob: nothing in the trail opens it, and nothing is guessed.
    let mut damaged = blob.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let corrupt = step(
        &mut world,
        &admin,
        request(
            "kms:Decrypt",
            json!({"CiphertextBlob": kms_core::base64_blob::encode(&damaged), "EncryptionContext": {"tenant": "acme", "purpose": "invoice"}}),
        ),
    );
    let m = corrupt.context_mismatch.expect("still two layers");
    assert_eq!(m.bound, None);
    assert!(m.pairs.iter().all(|p| p.bound.is_none()));

    // A denied Decrypt fails at the permission layer: no integrity view.
    let stranger = root(STAGING);
    let denied = step(
        &mut world,
        &stranger,
        request(
            "kms:Decrypt",
            json!({"CiphertextBlob": kms_core::base64_blob::encode(&blob), "EncryptionContext": {"tenant": "acme"}}),
        ),
    );
    assert!(denied.error.is_some());
    assert_eq!(denied.context_mismatch, None);
}

#[test]
fn a_clock_step_lists_what_the_services_did_and_what_changed() {
    use kms_core::scenario::changes::ChangeKind;
    use kms_core::scenario::{ScenarioRun, builtin};
    let scenario = builtin::get("aurora-disable-key").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    run.run_to_end();
    let results = run.results();
    // Step 8 (index 7) disables the key; step 10 (index 9) is the clock step
    // where RDS's background check fails.
    let disable = &results[7];
    assert!(
        disable
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::KeyState
                && c.before.as_deref() == Some("Enabled")
                && c.after.as_deref() == Some("Disabled"))
    );
    let clock = &results[9];
    let interval = clock
        .interval
        .as_ref()
        .expect("a clock step has an interval");
    assert_ne!(interval.from, interval.to);
    let failed_checks = interval
        .events
        .iter()
        .filter_map(|s| run.world().audit().get(*s))
        .filter(|e| e.event_name == "Decrypt" && e.error_code == Some("DisabledException"))
        .count();
    assert!(failed_checks >= 1, "RDS's background Decrypt is listed");
    let status: Vec<_> = results[9..=10]
        .iter()
        .flat_map(|r| &r.changes)
        .filter(|c| c.kind == ChangeKind::ClusterStatus)
        .map(|c| (c.before.clone().unwrap(), c.after.clone().unwrap()))
        .collect();
    assert_eq!(
        status,
        [(
            "available".to_string(),
            "inaccessible-encryption-credentials-recoverable".to_string()
        )]
    );
    // A request step has no interval, and a step that changes nothing lists nothing.
    assert!(results[7].interval.is_none());
    assert!(
        results[4].changes.is_empty(),
        "reading rows changes nothing"
    );
}

#[test]
fn a_grant_that_names_the_caller_says_what_kept_it_from_applying() {
    use kms_core::policy::GrantBlocker;
    use kms_core::scenario::{ScenarioRun, builtin};
    let scenario = builtin::get("grant-constraints").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    run.run_to_end();
    let blockers = |i: usize| -> Vec<GrantBlocker> {
        run.results()[i]
            .authorizations
            .iter()
            .flat_map(|a| a.view().grants)
            .filter_map(|g| g.blocker)
            .collect()
    };
    assert!(matches!(
        blockers(3).as_slice(),
        [GrantBlocker::NotYetEffective(_)]
    ));
    match blockers(8).as_slice() {
        [GrantBlocker::ContextEquals(c)] => {
            assert_eq!(c.wanted, [("tenant".to_string(), "acme".to_string())]);
            assert_eq!(c.request, [("tenant".to_string(), "globex".to_string())]);
        }
        other => panic!("expected the EncryptionContextEquals constraint, got {other:?}"),
    }
    assert!(
        blockers(6).is_empty(),
        "a grant that applies has nothing in its way"
    );
}

#[test]
fn a_put_key_policy_shows_the_policy_it_replaces() {
    use kms_core::kms::policy_diff::DiffLine;
    use kms_core::scenario::{ScenarioRun, builtin};
    let scenario = builtin::get("key-policies").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let results = run.run_to_end();
    let put = results
        .iter()
        .find(|r| {
            r.request
                .as_ref()
                .is_some_and(|q| q["Action"] == "kms:PutKeyPolicy")
        })
        .expect("the story replaces a key policy");
    let change = put.policy_change.as_ref().expect("its change is shown");
    let added: Vec<&str> = change
        .lines
        .iter()
        .filter_map(|l| match l {
            DiffLine::Added(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert!(added.iter().any(|l| l.contains("Deny")), "{added:?}");
    assert!(change.lines.iter().any(|l| matches!(l, DiffLine::Same(_))));
    // Other requests have no policy change.
    assert!(results.iter().filter(|r| r.policy_change.is_some()).count() < results.len());
}

#[test]
fn every_action_has_a_family_for_the_console() {
    use kms_core::Request;
    for action in Request::ACTIONS {
        assert_ne!(Request::family(action), "Other", "{action}");
    }
    assert_eq!(
        Request::family("kms:GenerateDataKeyWithoutPlaintext"),
        "KMS: cryptography"
    );
    assert_eq!(Request::family("kms:PutKeyPolicy"), "KMS: key policies");
    assert_eq!(Request::family("kms:ListRetirableGrants"), "KMS: grants");
    assert_eq!(Request::family("kms:RotateKeyOnDemand"), "KMS: rotation");
    assert_eq!(Request::family("kms:DisableKey"), "KMS: keys");
    assert_eq!(Request::family("rds-data:ExecuteStatement"), "RDS");
}

/// A cross-account explanation says how the key policy let the caller in:
/// S7's statement names staging's role, not staging's account.
#[test]
fn a_cross_account_explanation_says_whom_the_key_policy_names() {
    use kms_core::scenario::{ScenarioRun, builtin};
    let scenario = builtin::get("cross-account-snapshot").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let results = run.run_to_end();
    let refused = results[8]
        .authorizations
        .iter()
        .find(|a| !a.allowed)
        .expect("step 9 is refused by staging's IAM");
    let sentence = refused.explanation();
    assert!(sentence.contains("names the caller,"), "{sentence}");
    assert!(!sentence.contains("caller's account"), "{sentence}");
}
