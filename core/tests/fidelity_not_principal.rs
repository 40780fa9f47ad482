//! Issue 14, class 3: NotPrincipal, NotAction and NotResource as the IAM
//! user guide describes them.
//!
//! Sources (IAM User Guide):
//! - `reference_policies_elements_notprincipal.md`: "When you use
//!   NotPrincipal with Deny, you must also specify the account ARN of the
//!   not-denied principal. Otherwise, the policy might deny access to the
//!   entire account containing the principal." Its examples list the user
//!   and its account root; for a session, the session, the role and the
//!   account ("if the NotPrincipal element was missing the ARN of the role,
//!   the effect of the policy might be to explicitly deny access to the
//!   role"). The guide says "might": the simulator takes the strict reading
//!   (a caller is exempt only when every identity in its chain is listed).
//! - `reference_policies_elements_notaction.md`: NotAction "explicitly
//!   matches everything except the specified list of actions".
//! - `reference_policies_elements_notresource.md`: NotResource "explicitly
//!   matches every resource except those specified".

mod common;

use common::*;
use kms_core::prelude::*;
use serde_json::{Value, json};

fn request(action: &str, parameters: Value) -> Request {
    Request::from_json(&json!({"Action": action, "Parameters": parameters}).to_string()).unwrap()
}

fn session(account_id: &str, role: &str, name: &str) -> Caller {
    Caller::new(
        Principal::AssumedRole {
            account: account(account_id),
            role: role.into(),
            session: name.into(),
        },
        region(),
    )
}

/// A world in which bob, alice (users) and sessions of role app in
/// production, and dev and ops in staging, may all call DescribeKey on a
/// production key, except as a Deny with `NotPrincipal: listed` says.
fn world_denying_all_but(listed: &[String]) -> (World, KeyMetadata) {
    let mut world = world();
    let describe = allow(&["kms:DescribeKey"], "*");
    for name in ["bob", "alice"] {
        add_user(&mut world, PROD, name, Some(describe.clone()));
    }
    add_role(&mut world, PROD, "app", PROD, Some(describe.clone()));
    for name in ["batch", "other"] {
        ok(
            &mut world,
            &root(PROD),
            request(
                "sts:AssumeRole",
                json!({"RoleArn": format!("arn:aws:iam::{PROD}:role/app"), "RoleSessionName": name}),
            ),
        );
    }
    for name in ["dev", "ops"] {
        add_user(&mut world, STAGING, name, Some(describe.clone()));
    }
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "IAM", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "Staging", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{STAGING}:root")}, "Action": "kms:DescribeKey", "Resource": "*"},
            {"Sid": "OnlyListed", "Effect": "Deny", "NotPrincipal": {"AWS": listed}, "Action": "kms:DescribeKey", "Resource": "*"}
        ]
    });
    let key = create_key_with_policy(&mut world, PROD, &policy);
    (world, key)
}

#[test]
fn not_principal_exempts_a_caller_only_when_its_whole_chain_is_listed() {
    let prod_root = format!("arn:aws:iam::{PROD}:root");
    let staging_root = format!("arn:aws:iam::{STAGING}:root");
    let bob = format!("arn:aws:iam::{PROD}:user/bob");
    let app_role = format!("arn:aws:iam::{PROD}:role/app");
    let app_session = format!("arn:aws:sts::{PROD}:assumed-role/app/batch");
    let dev = format!("arn:aws:iam::{STAGING}:user/dev");
    // (NotPrincipal lists, caller, exempt?)
    let cases: Vec<(Vec<String>, Caller, bool)> = vec![
        // The account root alone exempts the root, not its users or sessions.
        (vec![prod_root.clone()], root(PROD), true),
        (vec![prod_root.clone()], user(PROD, "bob"), false),
        (
            vec![prod_root.clone()],
            session(PROD, "app", "batch"),
            false,
        ),
        // A bare account id names the same account as its root ARN.
        (vec![PROD.into(), bob.clone()], user(PROD, "bob"), true),
        // The guide's user example: the user and its account.
        (vec![bob.clone()], user(PROD, "bob"), false),
        (
            vec![bob.clone(), prod_root.clone()],
            user(PROD, "bob"),
            true,
        ),
        (
            vec![bob.clone(), prod_root.clone()],
            user(PROD, "alice"),
            false,
        ),
        // The guide's session example: session, role and account.
        (vec![app_role.clone()], session(PROD, "app", "batch"), false),
        (
            vec![app_role.clone(), prod_root.clone()],
            session(PROD, "app", "batch"),
            false,
        ),
        (
            vec![app_session.clone(), prod_root.clone()],
            session(PROD, "app", "batch"),
            false,
        ),
        (
            vec![app_session.clone(), app_role.clone(), prod_root.clone()],
            session(PROD, "app", "batch"),
            true,
        ),
        (
            vec![app_session.clone(), app_role.clone(), prod_root.clone()],
            session(PROD, "app", "other"),
            false,
        ),
        // The held-out case: naming a user and the root of another account
        // exempts that user, not every principal of that account.
        (
            vec![dev.clone(), staging_root.clone()],
            user(STAGING, "dev"),
            true,
        ),
        (
            vec![dev.clone(), staging_root.clone()],
            user(STAGING, "ops"),
            false,
        ),
        (
            vec![dev.clone(), staging_root.clone()],
            user(PROD, "bob"),
            false,
        ),
    ];
    for (listed, caller, exempt) in cases {
        let (mut world, key) = world_denying_all_but(&listed);
        let outcome = world.call(
            caller.clone(),
            request("kms:DescribeKey", json!({"KeyId": key.arn})),
        );
        let who = caller.principal.arn();
        assert_eq!(
            outcome.result.is_ok(),
            exempt,
            "NotPrincipal {listed:?}, caller {who}: {:?}",
            outcome.result
        );
        if !exempt {
            let error = outcome.result.unwrap_err();
            assert_eq!(error.name(), "AccessDeniedException", "{who}: {error}");
            assert!(
                error
                    .message()
                    .contains("with an explicit deny in a resource-based policy"),
                "{error}"
            );
            let explanation = outcome.authorizations.last().unwrap().explanation();
            assert!(
                explanation.contains("NotPrincipal does not list"),
                "the trace says which identity is missing: {explanation}"
            );
        }
    }
}

/// NotAction and NotResource invert their lists and nothing else.
#[test]
fn not_action_and_not_resource_match_everything_except_their_lists() {
    let mut world = world();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": ["kms:Describe*", "kms:List*"], "Resource": "*"}
        ]
    });
    let reader = add_user(&mut world, PROD, "reader", Some(policy));
    let key = create_key(&mut world, &root(PROD));
    let other = create_key(&mut world, &root(PROD));
    ok(
        &mut world,
        &reader,
        request("kms:DescribeKey", json!({"KeyId": key.key_id})),
    );
    let denied = err(
        &mut world,
        &reader,
        request("kms:DisableKey", json!({"KeyId": key.key_id})),
        "AccessDeniedException",
    );
    assert!(
        denied.contains("with an explicit deny in an identity-based policy"),
        "{denied}"
    );

    let only_one_key = json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"},
            {"Effect": "Deny", "Action": "kms:DescribeKey", "NotResource": key.arn}
        ]
    });
    let scoped = add_user(&mut world, PROD, "scoped", Some(only_one_key));
    ok(
        &mut world,
        &scoped,
        request("kms:DescribeKey", json!({"KeyId": key.arn})),
    );
    let denied = err(
        &mut world,
        &scoped,
        request("kms:DescribeKey", json!({"KeyId": other.arn})),
        "AccessDeniedException",
    );
    assert!(
        denied.contains("with an explicit deny in an identity-based policy"),
        "{denied}"
    );
}
