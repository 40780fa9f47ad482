//! Issue 14, class 1: which forms of KeyId each KMS operation accepts.
//!
//! Source: the KMS API reference, as botocore's `kms/2014-11-01`
//! `service-2.json` carries it. Each KeyId member says either "To specify a
//! KMS key, use its key ID, key ARN, alias name, or alias ARN" (all forms)
//! or "Specify the key ID or key ARN of the KMS key" (key forms only).
//! AWS does not document the error for a wrong form; the simulator answers
//! `NotFoundException "Invalid keyId <value>"` as moto does
//! (`moto/kms/responses.py`, `_validate_cmk_id`) — a stated choice.
//!
//! The expectations below are written from the API reference, not from the
//! simulator's action table, and every operation's request is its table
//! example with the key named by an alias.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

/// Operations whose KeyId takes an alias name or alias ARN, quoting the
/// API reference's member documentation.
const ALIAS_FORMS: &[(&str, &str)] = &[
    (
        "kms:DescribeKey",
        "DescribeKeyRequest.KeyId: key ID, key ARN, alias name, or alias ARN",
    ),
    (
        "kms:Encrypt",
        "EncryptRequest.KeyId: key ID, key ARN, alias name, or alias ARN",
    ),
    (
        "kms:Decrypt",
        "DecryptRequest.KeyId: key ID, key ARN, alias name, or alias ARN",
    ),
    (
        "kms:ReEncrypt",
        "ReEncryptRequest.DestinationKeyId: key ID, key ARN, alias name, or alias ARN",
    ),
    (
        "kms:GenerateDataKey",
        "GenerateDataKeyRequest.KeyId: key ID, key ARN, alias name, or alias ARN",
    ),
    (
        "kms:GenerateDataKeyWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintextRequest.KeyId: key ID, key ARN, alias name, or alias ARN",
    ),
];

/// Operations whose KeyId takes the key ID or key ARN only.
const KEY_FORMS_ONLY: &[(&str, &str)] = &[
    (
        "kms:UpdateKeyDescription",
        "UpdateKeyDescriptionRequest.KeyId: key ID or key ARN",
    ),
    ("kms:EnableKey", "EnableKeyRequest.KeyId: key ID or key ARN"),
    (
        "kms:DisableKey",
        "DisableKeyRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:ScheduleKeyDeletion",
        "ScheduleKeyDeletionRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:CancelKeyDeletion",
        "CancelKeyDeletionRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:GetKeyPolicy",
        "GetKeyPolicyRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:PutKeyPolicy",
        "PutKeyPolicyRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:ListKeyPolicies",
        "ListKeyPoliciesRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:CreateGrant",
        "CreateGrantRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:ListGrants",
        "ListGrantsRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:RetireGrant",
        "RetireGrant: \"a key identifier (key ID or key ARN)\"",
    ),
    (
        "kms:RevokeGrant",
        "RevokeGrantRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:CreateAlias",
        "CreateAliasRequest.TargetKeyId: key ID or key ARN",
    ),
    (
        "kms:UpdateAlias",
        "UpdateAliasRequest.TargetKeyId: key ID or key ARN",
    ),
    (
        "kms:ListAliases",
        "ListAliasesRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:EnableKeyRotation",
        "EnableKeyRotationRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:DisableKeyRotation",
        "DisableKeyRotationRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:GetKeyRotationStatus",
        "GetKeyRotationStatusRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:RotateKeyOnDemand",
        "RotateKeyOnDemandRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:ListKeyRotations",
        "ListKeyRotationsRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:TagResource",
        "TagResourceRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:UntagResource",
        "UntagResourceRequest.KeyId: key ID or key ARN",
    ),
    (
        "kms:ListResourceTags",
        "ListResourceTagsRequest.KeyId: key ID or key ARN",
    ),
];

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#;

/// Sends `action`'s table example in a fresh world, naming the key `key_as`
/// (a closure of the key's id and ARN), as the account root.
fn send(action: &str, key_as: impl Fn(&str, &str) -> String) -> Result<Response, KmsError> {
    let mut world = world();
    let admin = root(PROD);
    let key = create_key(&mut world, &admin);
    ok(
        &mut world,
        &admin,
        Request::from_json(
            &json!({"Action": "kms:CreateAlias", "Parameters": {"AliasName": "alias/fidelity", "TargetKeyId": key.key_id}})
                .to_string(),
        )
        .unwrap(),
    );
    let blob = encrypt(
        &mut world,
        &admin,
        &key.key_id,
        b"x",
        &EncryptionContext::from_pairs([("purpose", "demo")]),
    );
    let named = key_as(&key.key_id, &key.arn);
    let example = Request::example(action).expect("every action has an example");
    let mut parameters: Value = serde_json::from_str(example).unwrap();
    let object = parameters.as_object_mut().unwrap();
    for value in object.values_mut() {
        if let Value::String(s) = value {
            *s = s
                .replace("KEY", &named)
                .replace("BLOB", &kms_core::base64_blob::encode(&blob))
                .replace("POLICY", POLICY)
                .replace("ACCOUNT", PROD);
        }
    }
    if matches!(action, "kms:Decrypt" | "kms:ListAliases") {
        object.insert("KeyId".into(), Value::String(named.clone()));
    }
    match action {
        "kms:CreateAlias" => object.insert("AliasName".into(), "alias/another".into()),
        "kms:UpdateAlias" => object.insert("AliasName".into(), "alias/fidelity".into()),
        _ => None,
    };
    let request =
        Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string())
            .unwrap();
    world.call(admin, request).result
}

fn alias_name(_: &str, _: &str) -> String {
    "alias/fidelity".into()
}

fn alias_arn(_: &str, arn: &str) -> String {
    let (prefix, _) = arn.split_once(":key/").unwrap();
    format!("{prefix}:alias/fidelity")
}

#[test]
fn every_kms_operation_taking_a_key_id_is_covered() {
    let covered: Vec<&str> = ALIAS_FORMS
        .iter()
        .chain(KEY_FORMS_ONLY)
        .map(|(a, _)| *a)
        .collect();
    for action in Request::ACTIONS {
        let example = Request::example(action).unwrap();
        let takes_key = example.contains("KEY") || *action == "kms:ListAliases";
        if action.starts_with("kms:") && takes_key {
            assert!(covered.contains(action), "{action} has no expectation");
        }
    }
}

#[test]
fn alias_forms_are_refused_where_the_api_reference_allows_only_key_forms() {
    for (action, source) in KEY_FORMS_ONLY {
        for (form, name) in [
            (alias_name as fn(&str, &str) -> String, "alias name"),
            (alias_arn, "alias ARN"),
        ] {
            let error = send(action, form).expect_err(action);
            if matches!(*action, "kms:CreateAlias" | "kms:UpdateAlias") {
                // TargetKeyId naming an alias: moto's wording (not documented by AWS).
                assert_eq!(
                    error.name(),
                    "ValidationException",
                    "{action} ({name}): {error}"
                );
                assert_eq!(error.message(), "Aliases must refer to keys. Not aliases");
                continue;
            }
            assert_eq!(
                error.name(),
                "NotFoundException",
                "{action} ({name}); {source}: {error}"
            );
            assert!(
                error.message().starts_with("Invalid keyId ")
                    && error.message().contains("alias/fidelity"),
                "{action} ({name}): {error}"
            );
        }
    }
}

#[test]
fn alias_forms_work_where_the_api_reference_allows_them() {
    for (action, source) in ALIAS_FORMS {
        for (form, name) in [
            (alias_name as fn(&str, &str) -> String, "alias name"),
            (alias_arn, "alias ARN"),
        ] {
            let result = send(action, form);
            assert!(result.is_ok(), "{action} ({name}); {source}: {result:?}");
        }
    }
}

#[test]
fn key_ids_and_key_arns_work_everywhere() {
    for (action, _) in ALIAS_FORMS.iter().chain(KEY_FORMS_ONLY) {
        for (form, name) in [
            (|id: &str, _: &str| id.to_string()) as fn(&str, &str) -> String,
            |_: &str, arn: &str| arn.to_string(),
        ]
        .into_iter()
        .zip(["key id", "key ARN"])
        {
            if let Err(e) = send(action, form) {
                assert!(
                    !e.message().starts_with("Invalid keyId"),
                    "{action} ({name}): {e}"
                );
            }
        }
    }
}
