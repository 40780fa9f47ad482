//! Issue 14, class 2: the grammar of each kind of policy.
//!
//! Sources (IAM user guide, `reference_policies_elements_*.md` and the
//! Access Analyzer policy checks; KMS developer guide `key-policy-overview.md`):
//! - a role trust policy must name a Principal, "cannot specify a resource.
//!   Remove the Resource or NotResource element", and cannot use
//!   NotPrincipal; IAM answers CreateRole with "Has prohibited field
//!   Resource" (captured CLI output);
//! - an identity policy "cannot use the Principal element" and "must include
//!   either a Resource or a NotResource element";
//! - a key policy statement names a principal.
//!
//! Left as the simulator had it, and said in the closing note: IAM's error
//! codes on the wire are `MalformedPolicyDocument` (no `Exception`), and a key
//! policy statement without Resource is accepted by AWS and never applies.

mod common;

use common::*;
use kms_core::iam::{CreateRoleRequest, PutIdentityPolicyRequest};
use kms_core::prelude::*;
use serde_json::{Value, json};

fn trust(statement: Value) -> Result<Response, KmsError> {
    let mut world = world();
    world
        .call(
            root(PROD),
            Request::CreateRole(CreateRoleRequest {
                role_name: "app".into(),
                assume_role_policy_document:
                    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string(),
            }),
        )
        .result
}

fn identity(statement: Value) -> Result<Response, KmsError> {
    let mut world = world();
    add_user(&mut world, PROD, "alice", None);
    world
        .call(
            root(PROD),
            Request::PutUserPolicy(PutIdentityPolicyRequest {
                user_name: Some("alice".into()),
                role_name: None,
                policy_name: "p".into(),
                policy_document: json!({"Version": "2012-10-17", "Statement": [statement]})
                    .to_string(),
            }),
        )
        .result
}

#[test]
fn each_kind_of_policy_has_its_own_grammar() {
    let principal = json!({"AWS": format!("arn:aws:iam::{PROD}:root")});
    type Case = (
        &'static str,
        Result<Response, KmsError>,
        Option<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "trust policy as the IAM guide writes it (no Resource)",
            trust(json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})),
            None,
        ),
        (
            "trust policy with Resource",
            trust(
                json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", "Resource": "*"}),
            ),
            Some("Has prohibited field Resource"),
        ),
        (
            "trust policy with NotResource",
            trust(
                json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", "NotResource": "x"}),
            ),
            Some("Has prohibited field NotResource"),
        ),
        (
            "trust policy with NotPrincipal",
            trust(json!({"Effect": "Deny", "NotPrincipal": principal, "Action": "sts:AssumeRole"})),
            Some("Has prohibited field NotPrincipal"),
        ),
        (
            "trust policy without Principal",
            trust(json!({"Effect": "Allow", "Action": "sts:AssumeRole"})),
            Some("missing Principal"),
        ),
        (
            "identity policy with Resource",
            identity(json!({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})),
            None,
        ),
        (
            "identity policy naming a Principal",
            identity(
                json!({"Effect": "Allow", "Principal": principal, "Action": "kms:Decrypt", "Resource": "*"}),
            ),
            Some("must not name a Principal"),
        ),
        (
            "identity policy without Resource",
            identity(json!({"Effect": "Allow", "Action": "kms:Decrypt"})),
            Some("missing Resource"),
        ),
    ];
    for (case, result, refused) in cases {
        match (result, refused) {
            (Ok(_), None) => {}
            (Err(e), Some(text)) => {
                assert_eq!(e.name(), "MalformedPolicyDocumentException", "{case}: {e}");
                assert!(e.message().contains(text), "{case}: {e}");
            }
            (other, _) => panic!("{case}: {other:?}"),
        }
    }
}

#[test]
fn a_role_whose_trust_policy_names_no_resource_can_be_assumed() {
    let mut world = world();
    add_role(&mut world, PROD, "app", PROD, None);
    let assumed = world.call(
        root(PROD),
        Request::from_json(
            &json!({"Action": "sts:AssumeRole", "Parameters": {"RoleArn": format!("arn:aws:iam::{PROD}:role/app"), "RoleSessionName": "batch"}})
                .to_string(),
        )
        .unwrap(),
    );
    assert!(assumed.result.is_ok(), "{:?}", assumed.result);
}
