//! Issue 14, class 4: grants with encryption-context constraints, and grants
//! created through a grant.
//!
//! Sources: KMS developer guide `create-grant-overview.md`: "The encryption
//! context constraint is ignored for DescribeKey and RetireGrant operations
//! … you can include these operations in a grant that has an encryption
//! context constraint"; "when a grantee principal gets permission to call
//! CreateGrant from a grant … The grantee principal can only create grants
//! that allow some or all of the operations in the parent grant. The grant
//! constraints in the grants they create must be at least as strict as those
//! in the parent grant"; "the child grant can add pairs to an
//! EncryptionContextSubset constraint in the parent grant, but it cannot
//! remove them. The child grant can change an EncryptionContextSubset
//! constraint to an EncryptionContextEquals constraint, but not the reverse."
//! API reference, CreateGrantRequest.Constraints, says the same.
//!
//! The error for a child grant the parent does not cover is not documented:
//! the parent grant simply does not authorize it, so the caller gets KMS's
//! ordinary AccessDeniedException, with the grant's trace saying why.

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn send(world: &mut World, caller: &Caller, action: &str, parameters: Value) -> Outcome {
    let request =
        Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string())
            .unwrap();
    world.call(caller.clone(), request)
}

/// A world whose key policy trusts only the account (IAM), a role `app`
/// without identity policies holding `parent` through a grant, and a role
/// `batch` to give child grants to.
fn world_with_parent_grant(parent: Value) -> (World, String, Caller) {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let app = add_role(&mut world, PROD, "app", PROD, None);
    add_role(&mut world, PROD, "batch", PROD, None);
    let mut parameters = parent;
    parameters["KeyId"] = key.key_id.clone().into();
    parameters["GranteePrincipal"] = format!("arn:aws:iam::{PROD}:role/app").into();
    let made = send(&mut world, &root(PROD), "kms:CreateGrant", parameters);
    assert!(made.result.is_ok(), "{:?}", made.result);
    world.advance(300).unwrap();
    (world, key.key_id, app)
}

#[test]
fn a_constrained_grant_may_include_describe_key_and_retire_grant() {
    let (mut world, key, app) = world_with_parent_grant(json!({
        "Operations": ["Decrypt", "DescribeKey", "RetireGrant"],
        "Constraints": {"EncryptionContextSubset": {"order": "42"}},
    }));
    // DescribeKey has no encryption context: the constraint does not apply.
    let described = send(&mut world, &app, "kms:DescribeKey", json!({"KeyId": key}));
    assert!(described.result.is_ok(), "{:?}", described.result);
}

#[test]
fn a_grant_created_through_a_grant_is_at_most_as_wide_as_its_parent() {
    let child = |operations: Value, constraints: Option<Value>| {
        let mut p = json!({"GranteePrincipal": format!("arn:aws:iam::{PROD}:role/batch"), "Operations": operations});
        if let Some(c) = constraints {
            p["Constraints"] = c;
        }
        p
    };
    type Case = (&'static str, Value, Value, bool);
    let cases: Vec<Case> = vec![
        (
            "unconstrained parent, child with a subset of its operations",
            json!({"Operations": ["CreateGrant", "Decrypt"]}),
            child(json!(["Decrypt"]), None),
            true,
        ),
        (
            "unconstrained parent, child adding Encrypt (escalation)",
            json!({"Operations": ["CreateGrant", "Decrypt"]}),
            child(json!(["Encrypt"]), None),
            false,
        ),
        (
            "Subset parent, child adding pairs",
            json!({"Operations": ["CreateGrant", "Decrypt"], "Constraints": {"EncryptionContextSubset": {"a": "1"}}}),
            child(
                json!(["Decrypt"]),
                Some(json!({"EncryptionContextSubset": {"a": "1", "b": "2"}})),
            ),
            true,
        ),
        (
            "Subset parent, child turning it into Equals",
            json!({"Operations": ["CreateGrant", "Decrypt"], "Constraints": {"EncryptionContextSubset": {"a": "1"}}}),
            child(
                json!(["Decrypt"]),
                Some(json!({"EncryptionContextEquals": {"a": "1"}})),
            ),
            true,
        ),
        (
            "Subset parent, child removing its pair",
            json!({"Operations": ["CreateGrant", "Decrypt"], "Constraints": {"EncryptionContextSubset": {"a": "1"}}}),
            child(
                json!(["Decrypt"]),
                Some(json!({"EncryptionContextSubset": {"b": "2"}})),
            ),
            false,
        ),
        (
            "Subset parent, unconstrained child",
            json!({"Operations": ["CreateGrant", "Decrypt"], "Constraints": {"EncryptionContextSubset": {"a": "1"}}}),
            child(json!(["Decrypt"]), None),
            false,
        ),
        (
            "Equals parent, child turning it into Subset (the reverse is refused)",
            json!({"Operations": ["CreateGrant", "Decrypt"], "Constraints": {"EncryptionContextEquals": {"a": "1"}}}),
            child(
                json!(["Decrypt"]),
                Some(json!({"EncryptionContextSubset": {"a": "1"}})),
            ),
            false,
        ),
    ];
    for (case, parent, mut child, allowed) in cases {
        let (mut world, key, app) = world_with_parent_grant(parent);
        child["KeyId"] = key.into();
        let outcome = send(&mut world, &app, "kms:CreateGrant", child);
        match (&outcome.result, allowed) {
            (Ok(_), true) => {}
            (Err(e), false) => {
                assert_eq!(e.name(), "AccessDeniedException", "{case}: {e}");
                let decision = outcome.authorizations.last().unwrap();
                let why =
                    decision.explanation() + &serde_json::to_string(&decision.view()).unwrap();
                assert!(
                    why.contains("a grant created through it"),
                    "{case}: the trace says why the parent grant does not apply: {why}"
                );
            }
            (result, _) => panic!("{case}: {result:?}"),
        }
    }
}
