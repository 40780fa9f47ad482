//! Secrets never leak: a marker planted in every secret-bearing field of
//! every request kind, sent by allowed and refused callers, successful and
//! failing, never reaches an audit event, a CloudTrail download, `Debug`
//! output or an error message, in any of the forms it could take (as sent,
//! base64, hex). Plaintexts KMS makes (data keys, random bytes) are traced
//! the same way.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use kms_core::audit::AuditTrail;
use kms_core::prelude::*;
use kms_core::services::rds::api::{CreateDBClusterRequest, ExecuteStatementRequest};
use kms_core::services::ssm::{
    GetParameterRequest, GetParametersRequest, ParameterType, PutParameterRequest,
};
use proptest::prelude::*;

/// Request kinds whose shape has a secret field, and where it is.
const SECRET_BEARING: &[(&str, &str)] = &[
    ("kms:Encrypt", "Plaintext (request)"),
    ("kms:Decrypt", "Plaintext (response)"),
    ("kms:GenerateDataKey", "Plaintext (response)"),
    ("kms:GenerateRandom", "Plaintext (response)"),
    ("ssm:PutParameter", "Value (request)"),
    ("ssm:GetParameter", "Value (response)"),
    ("ssm:GetParameters", "Value (response)"),
    (
        "rds-data:ExecuteStatement",
        "sql (request), records and psqlOutput (response)",
    ),
];

/// Request kinds that carry no secret: keys, policies, names, blobs.
const NO_SECRET: &[&str] = &[
    "kms:CreateKey",
    "kms:DescribeKey",
    "kms:ListKeys",
    "kms:UpdateKeyDescription",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:GetKeyPolicy",
    "kms:PutKeyPolicy",
    "kms:ListKeyPolicies",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:ListRetirableGrants",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:ListAliases",
    // ReEncrypt's plaintext never leaves KMS.
    "kms:ReEncrypt",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:GetKeyRotationStatus",
    "kms:RotateKeyOnDemand",
    "kms:ListKeyRotations",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ListResourceTags",
    "iam:CreateUser",
    "iam:CreateRole",
    "iam:PutUserPolicy",
    "iam:PutRolePolicy",
    "iam:DeleteUserPolicy",
    "iam:DeleteRolePolicy",
    "sts:AssumeRole",
    // EBS never sees a plaintext data key (GenerateDataKeyWithoutPlaintext).
    "ec2:CreateVolume",
    "ec2:DescribeVolumes",
    "rds:CreateDBCluster",
    "rds:DescribeDBClusters",
    "rds:CreateDBClusterSnapshot",
    "rds:CopyDBClusterSnapshot",
    "rds:RestoreDBClusterFromSnapshot",
    "rds:ModifyDBClusterSnapshotAttribute",
    "rds:DescribeDBClusterSnapshots",
    "ssm:DeleteParameter",
];

#[test]
fn every_request_kind_is_classified() {
    for action in Request::ACTIONS {
        let planted = SECRET_BEARING.iter().any(|(a, _)| a == action);
        assert!(
            planted ^ NO_SECRET.contains(action),
            "{action}: list it in SECRET_BEARING (and plant a marker below) or in NO_SECRET"
        );
    }
}

/// Everything a secret could leak into.
struct Exposure {
    texts: Vec<String>,
}

impl Exposure {
    fn of(world: &World, outcomes: &[Outcome]) -> Self {
        let mut texts = vec![
            AuditTrail::to_cloudtrail_json(world.audit().events()),
            format!("{world:?}"),
        ];
        for outcome in outcomes {
            texts.push(format!("{outcome:?}"));
            if let Err(e) = &outcome.result {
                texts.push(e.to_string());
            }
        }
        Self { texts }
    }

    /// The forms a secret can take once it leaves its type.
    fn assert_never_shows(&self, what: &str, secret: &[u8]) {
        let mut forms = vec![STANDARD.encode(secret), hex(secret)];
        if let Ok(text) = std::str::from_utf8(secret) {
            forms.push(text.to_string());
        }
        for form in forms.iter().filter(|f| f.len() >= 8) {
            for text in &self.texts {
                assert!(
                    !text.contains(form.as_str()),
                    "{what} ({form}) leaked into:\n{}",
                    &text[text.find(form.as_str()).unwrap().saturating_sub(200)..]
                        .chars()
                        .take(400)
                        .collect::<String>()
                );
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sql(caller: &Caller, text: &str) -> (Caller, Request) {
    (
        caller.clone(),
        Request::ExecuteStatement(ExecuteStatementRequest {
            resource_arn: "app-db".into(),
            sql: text.into(),
        }),
    )
}

fn put_parameter(caller: &Caller, name: &str, value: &str, key: Option<&str>) -> (Caller, Request) {
    (
        caller.clone(),
        Request::PutParameter(PutParameterRequest {
            name: name.into(),
            value: value.into(),
            kind: Some(if key.is_some() {
                ParameterType::SecureString
            } else {
                ParameterType::String
            }),
            key_id: key.map(String::from),
            ..Default::default()
        }),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn planted_secrets_never_reach_the_trail_debug_or_errors(
        marker in "zqMARK[a-zA-Z0-9]{14}",
        disabled in any::<bool>(),
    ) {
        let mut world = world();
        let admin = root(PROD);
        let stranger = add_user(&mut world, PROD, "mallory", None);
        let key = create_key(&mut world, &admin);
        world.call(admin.clone(), Request::CreateDBCluster(CreateDBClusterRequest {
            db_cluster_identifier: "app-db".into(),
            kms_key_id: Some(key.key_id.clone()),
            ..Default::default()
        })).result.unwrap();
        let mut outcomes = Vec::new();
        let mut send = |world: &mut World, (caller, request): (Caller, Request)| {
            let outcome = world.call(caller, request);
            outcomes.push(outcome.clone());
            outcome
        };
        send(&mut world, sql(&admin, "CREATE TABLE users (id integer, name text)"));
        let plaintext = marker.as_bytes().to_vec();
        let encrypt = |caller: &Caller| (caller.clone(), Request::Encrypt(EncryptRequest {
            key_id: key.key_id.clone(),
            plaintext: SecretBytes::new(plaintext.clone()),
            ..Default::default()
        }));
        // Allowed, then refused by policy.
        let blob = match send(&mut world, encrypt(&admin)).result {
            Ok(Response::Encrypt(e)) => e.ciphertext_blob,
            other => panic!("{other:?}"),
        };
        send(&mut world, encrypt(&stranger));
        send(&mut world, (admin.clone(), decrypt_request(&blob, &ctx(&[]))));
        send(&mut world, (stranger.clone(), decrypt_request(&blob, &ctx(&[]))));
        // KMS's own plaintexts.
        let data_key = match send(&mut world, (admin.clone(), gdk_request(&key.key_id, &ctx(&[("a", "b")])))).result {
            Ok(Response::GenerateDataKey(d)) => d.plaintext.expose().to_vec(),
            other => panic!("{other:?}"),
        };
        let random = match send(&mut world, (admin.clone(), Request::GenerateRandom(GenerateRandomRequest { number_of_bytes: Some(32) }))).result {
            Ok(Response::GenerateRandom(r)) => r.plaintext.expose().to_vec(),
            other => panic!("{other:?}"),
        };
        // Parameter Store: SecureString and String, allowed, refused, failing.
        send(&mut world, put_parameter(&admin, "/app/secret", &marker, Some(&key.key_id)));
        send(&mut world, put_parameter(&admin, "/app/plain", &marker, None));
        send(&mut world, put_parameter(&stranger, "/app/other", &marker, Some(&key.key_id)));
        send(&mut world, put_parameter(&admin, "/app/nokey", &marker, Some("alias/missing")));
        for with_decryption in [true, false] {
            send(&mut world, (admin.clone(), Request::GetParameter(GetParameterRequest { name: "/app/secret".into(), with_decryption: Some(with_decryption) })));
        }
        send(&mut world, (admin.clone(), Request::GetParameters(GetParametersRequest { names: vec!["/app/secret".into(), "/app/plain".into()], with_decryption: Some(true) })));
        send(&mut world, (stranger.clone(), Request::GetParameter(GetParameterRequest { name: "/app/secret".into(), with_decryption: Some(true) })));
        // Row data: written, read, refused, malformed.
        send(&mut world, sql(&admin, &format!("INSERT INTO users VALUES (1, '{marker}')")));
        send(&mut world, sql(&admin, "SELECT * FROM users"));
        send(&mut world, sql(&stranger, &format!("INSERT INTO users VALUES (2, '{marker}')")));
        send(&mut world, sql(&admin, &format!("INSERT INTO users VALUES ('{marker}' oops")));
        send(&mut world, sql(&admin, &format!("INSERT INTO users VALUES ('{marker}')")));
        if disabled {
            // The key unusable: every read through it fails.
            send(&mut world, (admin.clone(), Request::DisableKey(key_request(&key.key_id))));
            world.advance(20 * MINUTE).unwrap();
            send(&mut world, sql(&admin, "SELECT * FROM users"));
            send(&mut world, (admin.clone(), Request::GetParameter(GetParameterRequest { name: "/app/secret".into(), with_decryption: Some(true) })));
            send(&mut world, encrypt(&admin));
        }
        let exposure = Exposure::of(&world, &outcomes);
        exposure.assert_never_shows("the planted marker", marker.as_bytes());
        exposure.assert_never_shows("a data key", &data_key);
        exposure.assert_never_shows("random bytes", &random);
        // The secret did travel where it belongs: the responses.
        let decrypted = outcomes.iter().any(|o| matches!(&o.result, Ok(Response::Decrypt(d)) if d.plaintext.expose() == marker.as_bytes()));
        prop_assert!(decrypted);
    }
}

#[test]
fn the_log_carries_plaintexts_for_replay() {
    // The export and share link must replay exactly, so they hold what was
    // encrypted; the playground says so where it offers the link.
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    encrypt(
        &mut world,
        &root(PROD),
        &key.key_id,
        b"zqMARKreplayme",
        &ctx(&[]),
    );
    let exported = world.export_json();
    assert!(exported.contains(&STANDARD.encode(b"zqMARKreplayme")));
    assert!(
        !AuditTrail::to_cloudtrail_json(world.audit().events())
            .contains(&STANDARD.encode(b"zqMARKreplayme"))
    );
}
