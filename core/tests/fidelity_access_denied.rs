//! Issue 14, class 8d: access-denied messages as AWS writes them.
//!
//! Sources: IAM user guide `troubleshoot_access-denied.md` ("User user is
//! not authorized to perform action on resource because context"); captured
//! KMS output for an assumed role ("User:
//! arn:aws:sts::<account>:assumed-role/<role>/<session> is not authorized to
//! perform: kms:Decrypt on resource: <key ARN> because no identity-based
//! policy allows the kms:Decrypt action"); captured STS output ("An error
//! occurred (AccessDenied) when calling the AssumeRole operation: User: ...
//! is not authorized to perform: sts:AssumeRole on resource: <role ARN>",
//! code AccessDenied, no reason clause).

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::json;

fn request(action: &str, parameters: serde_json::Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

#[test]
fn kms_names_the_session_and_sts_answers_in_its_own_words() {
    let mut world = world();
    add_role(&mut world, PROD, "app", PROD, None);
    let key = create_key(&mut world, &root(PROD));
    let Response::IamEntity(session) = ok(
        &mut world,
        &root(PROD),
        request(
            "sts:AssumeRole",
            json!({"RoleArn": format!("arn:aws:iam::{PROD}:role/app"), "RoleSessionName": "batch"}),
        ),
    ) else {
        panic!()
    };
    let session_arn = session.assumed_role_user.unwrap().arn;
    let as_session = Caller::new(Principal::parse(&session_arn).unwrap(), region());
    let message = err(
        &mut world,
        &as_session,
        request("kms:DisableKey", json!({"KeyId": key.key_id})),
        "AccessDeniedException",
    );
    assert_eq!(
        message,
        format!(
            "User: arn:aws:sts::{PROD}:assumed-role/app/batch is not authorized to perform: kms:DisableKey on resource: {} because no identity-based policy allows the kms:DisableKey action",
            key.arn
        )
    );

    let stranger = add_user(&mut world, STAGING, "dev", None);
    let outcome = world.call(
        stranger,
        request(
            "sts:AssumeRole",
            json!({"RoleArn": format!("arn:aws:iam::{PROD}:role/app"), "RoleSessionName": "x1"}),
        ),
    );
    let error = outcome.result.unwrap_err();
    assert_eq!(error.name(), "AccessDenied");
    assert_eq!(
        error.message(),
        format!(
            "User: arn:aws:iam::{STAGING}:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{PROD}:role/app"
        )
    );
    assert!(
        outcome
            .authorizations
            .iter()
            .any(|a| a.action == "sts:AssumeRole" && !a.allowed),
        "the decision and its trace are still there for the learner"
    );
}
