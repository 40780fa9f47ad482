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
//! - IAM's codes carry no `Exception` suffix (botocore's IAM model:
//!   `MalformedPolicyDocument`); its messages, as captured from AWS: "Policy
//!   document should not specify a principal.", "Policy statement must
//!   contain resources."; a missing principal in a trust policy: "Invalid
//!   principal in policy: "AWS":"<arn>"". KMS keeps
//!   `MalformedPolicyDocumentException` ("Policy contains a statement with
//!   no principal.").
//!
//! - a key policy statement without Resource or Action: "the policy
//!   statement has no effect. When a key policy statement is missing one of
//!   these elements, the KMS console correctly reports an error, but the
//!   PutKeyPolicy API request succeeds" (KMS API reference, PutKeyPolicy).

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

fn key_policy(statement: Value) -> Result<Response, KmsError> {
    let mut world = world();
    world
        .call(
            root(PROD),
            Request::CreateKey(CreateKeyRequest {
                policy: Some(
                    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string(),
                ),
                bypass_policy_lockout_safety_check: Some(true),
                ..Default::default()
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
            Some("Missing required field Principal."),
        ),
        (
            "trust policy naming a role that does not exist",
            trust(
                json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:role/ghost")}, "Action": "sts:AssumeRole"}),
            ),
            Some(r#"Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/ghost""#),
        ),
        (
            "key policy without Principal",
            key_policy(json!({"Effect": "Allow", "Action": "kms:*", "Resource": "*"})),
            Some("Policy contains a statement with no principal."),
        ),
        (
            "key policy naming a user that does not exist",
            key_policy(
                json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:user/ghost")}, "Action": "kms:*", "Resource": "*"}),
            ),
            Some("Policy contains a statement with one or more invalid principals."),
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
            Some("Policy document should not specify a principal."),
        ),
        (
            "identity policy without Resource",
            identity(json!({"Effect": "Allow", "Action": "kms:Decrypt"})),
            Some("Policy statement must contain resources."),
        ),
    ];
    for (case, result, refused) in cases {
        match (result, refused) {
            (Ok(_), None) => {}
            (Err(e), Some(text)) => {
                let code = if case.starts_with("key policy") {
                    "MalformedPolicyDocumentException"
                } else {
                    "MalformedPolicyDocument"
                };
                assert_eq!(e.name(), code, "{case}: {e}");
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

/// A key policy statement without Resource (or Action) is saved, written
/// back without it, and never applies; the trace says why.
#[test]
fn a_key_policy_statement_without_resource_is_accepted_and_inert() {
    let mut world = world();
    add_user(&mut world, PROD, "alice", None);
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "NoResource", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:user/alice")}, "Action": "kms:DescribeKey"},
            {"Sid": "NoAction", "Effect": "Deny", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")}, "Resource": "*"}
        ]
    });
    let key = create_key_with_policy(&mut world, PROD, &policy);
    let outcome = world.call(
        user(PROD, "alice"),
        Request::DescribeKey(key_request(&key.key_id)),
    );
    assert_eq!(
        outcome.result.unwrap_err().name(),
        "AccessDeniedException",
        "the statement without Resource never applies"
    );
    let view = serde_json::to_value(outcome.authorizations.last().unwrap()).unwrap();
    let statement = &view["Policies"][0]["Statements"][1];
    assert!(
        statement["Resource"]["Detail"]
            .as_str()
            .unwrap()
            .contains("has no Resource element"),
        "{statement}"
    );
    ok(
        &mut world,
        &root(PROD),
        Request::DescribeKey(key_request(&key.key_id)),
    );
    let saved = kms_core::policy::PolicyDocument::parse(
        &policy.to_string(),
        kms_core::policy::PolicyKind::Key,
    )
    .unwrap()
    .to_json();
    assert!(saved["Statement"][1].get("Resource").is_none(), "{saved}");
    assert!(saved["Statement"][2].get("Action").is_none(), "{saved}");
}
