//! The KMS evaluation rules, each asserted through real requests.

mod common;

use common::*;
use kms_core::iam::AssumeRoleRequest;
use kms_core::kms::api::PutKeyPolicyRequest;
use kms_core::kms::api::{
    CreateGrantRequest, GrantConstraints, ListGrantsRequest, RetireGrantRequest, RevokeGrantRequest,
};
use kms_core::kms::ops::policy::LOCKOUT_MESSAGE;
use kms_core::policy::DecidingRule;
use kms_core::prelude::*;
use serde_json::json;

fn arn(caller: &Caller) -> String {
    caller.principal.arn()
}

/// S4's world: a KeyAdmin and an App role, and a key whose policy has the
/// four classic statements for them.
fn s4_world() -> (World, Caller, Caller, KeyMetadata) {
    let mut world = world();
    let admin = add_role(&mut world, PROD, "KeyAdmin", PROD, None);
    let app = add_role(&mut world, PROD, "App", PROD, None);
    let key = create_key_with_policy(
        &mut world,
        PROD,
        &four_statement_policy(PROD, &arn(&admin), &arn(&app)),
    );
    (world, admin, app, key)
}

/// S4: separate administrators from users.
#[test]
fn four_statement_policy_separates_administrators_from_users() {
    let (mut world, admin, app, key) = s4_world();
    let context = ctx(&[("table", "users")]);

    // (caller, request, expected error or None, deciding rule)
    let blob = {
        let Response::GenerateDataKey(k) = ok(&mut world, &app, gdk_request(&key.key_id, &context))
        else {
            panic!()
        };
        k.ciphertext_blob
    };
    let prod_root = root(PROD);
    let table: Vec<(&Caller, Request, Option<&str>, DecidingRule)> = vec![
        (
            &app,
            gdk_request(&key.key_id, &context),
            None,
            DecidingRule::DirectAllow,
        ),
        (
            &app,
            decrypt_request(&blob, &context),
            None,
            DecidingRule::DirectAllow,
        ),
        (
            &app,
            Request::DisableKey(key_request(&key.key_id)),
            Some("AccessDeniedException"),
            DecidingRule::ImplicitDeny,
        ),
        (
            &app,
            Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
                key_id: key.key_id.clone(),
                pending_window_in_days: None,
            }),
            Some("AccessDeniedException"),
            DecidingRule::ImplicitDeny,
        ),
        (
            &admin,
            decrypt_request(&blob, &context),
            Some("AccessDeniedException"),
            DecidingRule::ImplicitDeny,
        ),
        (
            &admin,
            gdk_request(&key.key_id, &context),
            Some("AccessDeniedException"),
            DecidingRule::ImplicitDeny,
        ),
        (
            &admin,
            Request::DescribeKey(key_request(&key.key_id)),
            None,
            DecidingRule::DirectAllow,
        ),
        (
            &admin,
            Request::DisableKey(key_request(&key.key_id)),
            None,
            DecidingRule::DirectAllow,
        ),
        (
            &admin,
            Request::EnableKey(key_request(&key.key_id)),
            None,
            DecidingRule::DirectAllow,
        ),
        // The root is allowed through "Enable IAM User Permissions".
        (
            &prod_root,
            Request::DescribeKey(key_request(&key.key_id)),
            None,
            DecidingRule::DelegatedAllow,
        ),
    ];
    for (caller, request, expected, rule) in table {
        let action = request.action();
        let outcome = world.call(caller.clone(), request);
        assert_eq!(
            outcome.result.as_ref().err().map(|e| e.name()),
            expected,
            "{action} by {}",
            caller.principal
        );
        assert_eq!(
            outcome.authorizations.last().unwrap().rule,
            rule,
            "{action} by {}",
            caller.principal
        );
    }

    // The denial names what is missing.
    let e = world
        .call(admin.clone(), decrypt_request(&blob, &context))
        .result
        .unwrap_err();
    assert_eq!(
        e.message(),
        kms_core::kms::CIPHERTEXT_KEY_INACCESSIBLE,
        "Decrypt without KeyId reveals nothing"
    );
    let e = err(
        &mut world,
        &admin,
        gdk_request(&key.key_id, &context),
        "AccessDeniedException",
    );
    assert_eq!(
        e,
        format!(
            "User: {} is not authorized to perform: kms:GenerateDataKey on resource: {} because no identity-based policy allows the kms:GenerateDataKey action",
            arn(&admin),
            key.arn
        )
    );

    // Grants for AWS resources only: the app may create a grant through a service, not directly.
    let grant =
        |caller: &Caller| world_grant_request(&key.key_id, &arn(caller), &["Decrypt"], None);
    err(&mut world, &app, grant(&app), "AccessDeniedException");
    ok(&mut world, &app.clone().via(AwsService::Rds), grant(&app));
}

fn world_grant_request(
    key_id: &str,
    grantee: &str,
    operations: &[&str],
    constraints: Option<GrantConstraints>,
) -> Request {
    Request::CreateGrant(CreateGrantRequest {
        key_id: key_id.into(),
        grantee_principal: grantee.into(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
        constraints,
        ..Default::default()
    })
}

/// S4: a user with an IAM policy is allowed through the delegation
/// statement; the best practice forbids DisableKey in both places.
#[test]
fn delegation_to_iam_and_an_explicit_deny_that_always_wins() {
    let mut world = world();
    let ops = add_user(
        &mut world,
        PROD,
        "ops",
        Some(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
                {"Sid": "NeverDisable", "Effect": "Deny", "Action": "kms:DisableKey", "Resource": "*"}
            ]
        })),
    );
    let plain = add_user(&mut world, PROD, "plain", None);
    let key = create_key(&mut world, &root(PROD));
    assert_eq!(
        rule_of(
            &mut world,
            &ops,
            Request::DescribeKey(key_request(&key.key_id))
        ),
        DecidingRule::DelegatedAllow
    );
    let e = err(
        &mut world,
        &ops,
        Request::DisableKey(key_request(&key.key_id)),
        "AccessDeniedException",
    );
    assert!(
        e.ends_with("with an explicit deny in an identity-based policy"),
        "{e}"
    );
    let outcome = world.call(ops.clone(), Request::DisableKey(key_request(&key.key_id)));
    let auth = &outcome.authorizations[0];
    assert_eq!(auth.rule, DecidingRule::ExplicitDeny);
    assert!(
        auth.explanation().contains("NeverDisable"),
        "{}",
        auth.explanation()
    );
    let e = err(
        &mut world,
        &plain,
        Request::DescribeKey(key_request(&key.key_id)),
        "AccessDeniedException",
    );
    assert!(
        e.ends_with("because no identity-based policy allows the kms:DescribeKey action"),
        "{e}"
    );

    // A Deny in the key policy wins over the root's kms:*.
    let mut policy = four_statement_policy(PROD, &root(PROD).principal.arn(), &arn(&ops));
    policy["Statement"].as_array_mut().unwrap().push(json!({
        "Sid": "DenyDisableForEveryone", "Effect": "Deny", "Principal": "*", "Action": "kms:DisableKey", "Resource": "*"
    }));
    let guarded = create_key_with_policy(&mut world, PROD, &policy);
    let e = err(
        &mut world,
        &root(PROD),
        Request::DisableKey(key_request(&guarded.key_id)),
        "AccessDeniedException",
    );
    assert!(
        e.ends_with("with an explicit deny in a resource-based policy"),
        "{e}"
    );
}

/// S4: a Deny for "everyone but the app" also stops the service's own role
/// unless it carries a condition that spares the owning account.
#[test]
fn a_deny_needs_a_condition_that_spares_the_owning_account() {
    let mut world = world();
    let app = add_role(&mut world, PROD, "App", PROD, None);
    let service_role = add_role(&mut world, PROD, "AWSServiceRoleForRDS", PROD, None);
    let outsider = add_role(
        &mut world,
        STAGING,
        "Outsider",
        STAGING,
        Some(allow(&["kms:*"], "*")),
    );
    let policy = |deny_condition: serde_json::Value| {
        json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{PROD}:root")}, "Action": "kms:*", "Resource": "*"},
                {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": [arn(&app), arn(&service_role), format!("arn:aws:iam::{STAGING}:root")]}, "Action": ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*"},
                {"Sid": "DenyAllButApp", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": deny_condition}
            ]
        })
    };
    // The naive Deny also denies the root kms:PutKeyPolicy: the lockout check
    // refuses it, so creating it takes BypassPolicyLockoutSafetyCheck.
    let naive_policy = policy(json!({"StringNotEquals": {"aws:PrincipalArn": arn(&app)}}));
    let create = |bypass| {
        Request::CreateKey(CreateKeyRequest {
            policy: Some(naive_policy.to_string()),
            bypass_policy_lockout_safety_check: bypass,
            ..Default::default()
        })
    };
    err(
        &mut world,
        &root(PROD),
        create(None),
        "MalformedPolicyDocumentException",
    );
    let Response::KeyMetadata(m) = ok(&mut world, &root(PROD), create(Some(true))) else {
        panic!()
    };
    let naive = m.key_metadata.unwrap();
    let fixed = create_key_with_policy(
        &mut world,
        PROD,
        &policy(json!({
            "StringNotEquals": {"aws:PrincipalArn": arn(&app), "kms:CallerAccount": PROD}
        })),
    );
    let c = ctx(&[]);
    ok(&mut world, &app, gdk_request(&naive.key_id, &c));
    assert_eq!(
        rule_of(&mut world, &service_role, gdk_request(&naive.key_id, &c)),
        DecidingRule::ExplicitDeny
    );
    assert_eq!(
        rule_of(&mut world, &service_role, gdk_request(&fixed.key_id, &c)),
        DecidingRule::DirectAllow
    );
    // The fixed Deny still keeps other accounts out.
    assert_eq!(
        rule_of(&mut world, &outsider, gdk_request(&fixed.arn, &c)),
        DecidingRule::ExplicitDeny
    );
}

/// S7: cross-account use needs the key policy AND the caller's IAM policy.
#[test]
fn cross_account_use_needs_both_sides() {
    let mut world = world();
    let staging_role = add_role(&mut world, STAGING, "StagingDeploy", STAGING, None);
    let c = ctx(&[("aws:rds:db-id", "restored")]);
    let via_rds = staging_role.clone().via(AwsService::Rds);

    // 1. The production account's AWS managed key aws/rds: never usable from staging.
    ok(
        &mut world,
        &root(PROD).via(AwsService::Rds),
        gdk_request("alias/aws/rds", &c),
    );
    let Response::KeyMetadata(m) = ok(
        &mut world,
        &root(PROD),
        Request::DescribeKey(key_request("alias/aws/rds")),
    ) else {
        panic!()
    };
    let managed = m.key_metadata.unwrap();
    let outcome = world.call(via_rds.clone(), gdk_request(&managed.arn, &c));
    assert_eq!(outcome.result.unwrap_err().name(), "AccessDeniedException");
    let conditions = &outcome.authorizations[0].view().policies[0].statements[0].conditions;
    let caller_account = conditions
        .iter()
        .find(|c| c.key == "kms:CallerAccount")
        .unwrap();
    assert!(!caller_account.matched);
    assert_eq!(
        caller_account.request_values.as_deref(),
        Some(&[STAGING.to_string()][..])
    );

    // 2. A customer managed key whose policy allows the staging role: not enough alone.
    let mut policy = four_statement_policy(PROD, &root(PROD).principal.arn(), &arn(&staging_role));
    policy["Statement"].as_array_mut().unwrap().remove(1);
    let cmk = create_key_with_policy(&mut world, PROD, &policy);
    let e = err(
        &mut world,
        &via_rds,
        gdk_request(&cmk.arn, &c),
        "AccessDeniedException",
    );
    assert!(
        e.ends_with("because no identity-based policy allows the kms:GenerateDataKey action"),
        "{e}"
    );
    // A bare key id names a key in the caller's own account.
    err(
        &mut world,
        &via_rds,
        gdk_request(&cmk.key_id, &c),
        "NotFoundException",
    );

    // 3. Plus an IAM policy in staging allowing the same actions on the key: works.
    use kms_core::iam::PutIdentityPolicyRequest;
    ok(
        &mut world,
        &root(STAGING),
        Request::PutRolePolicy(PutIdentityPolicyRequest {
            user_name: None,
            role_name: Some("StagingDeploy".into()),
            policy_name: "UseProdKey".into(),
            policy_document: allow(
                &[
                    "kms:Decrypt",
                    "kms:GenerateDataKey*",
                    "kms:DescribeKey",
                    "kms:CreateGrant",
                ],
                &cmk.arn,
            )
            .to_string(),
        }),
    );
    assert_eq!(
        rule_of(&mut world, &via_rds, gdk_request(&cmk.arn, &c)),
        DecidingRule::CrossAccountAllow
    );
    ok(
        &mut world,
        &via_rds,
        world_grant_request(&cmk.arn, &arn(&staging_role), &["Decrypt"], None),
    );
    // Only AWS's cross-account operations exist across accounts.
    let mut admin_policy = policy.clone();
    admin_policy["Statement"][1]["Action"] = json!("kms:*");
    let open = create_key_with_policy(&mut world, PROD, &admin_policy);
    ok(
        &mut world,
        &root(STAGING),
        Request::PutRolePolicy(PutIdentityPolicyRequest {
            user_name: None,
            role_name: Some("StagingDeploy".into()),
            policy_name: "Everything".into(),
            policy_document: allow(&["kms:*"], "*").to_string(),
        }),
    );
    ok(
        &mut world,
        &staging_role,
        Request::DescribeKey(key_request(&open.arn)),
    );
    let e = err(
        &mut world,
        &staging_role,
        Request::DisableKey(key_request(&open.arn)),
        "AccessDeniedException",
    );
    let explanation = &world
        .call(
            staging_role.clone(),
            Request::DisableKey(key_request(&open.arn)),
        )
        .authorizations[0]
        .explanation();
    assert!(
        explanation.contains("another account"),
        "{e}: {explanation}"
    );
}

#[test]
fn assume_role_needs_the_trust_policy_and_the_callers_iam() {
    let mut world = world();
    add_role(
        &mut world,
        PROD,
        "ProdReader",
        STAGING,
        Some(allow(&["kms:DescribeKey"], "*")),
    );
    let dev = add_user(&mut world, STAGING, "dev", None);
    let assume = Request::AssumeRole(AssumeRoleRequest {
        role_arn: format!("arn:aws:iam::{PROD}:role/ProdReader"),
        role_session_name: "dev-session".into(),
    });
    // The trust policy names the staging account: staging's IAM must allow too.
    // STS answers with its own code, AccessDenied (captured AWS output).
    err(&mut world, &dev, assume.clone(), "AccessDenied");
    let dev = add_user(
        &mut world,
        STAGING,
        "dev2",
        Some(allow(&["sts:AssumeRole"], "*")),
    );
    let Response::IamEntity(session) = ok(&mut world, &dev, assume.clone()) else {
        panic!()
    };
    let session_arn = session.assumed_role_user.unwrap().arn;
    assert_eq!(
        session_arn,
        format!("arn:aws:sts::{PROD}:assumed-role/ProdReader/dev-session")
    );
    let as_session = Caller::new(Principal::parse(&session_arn).unwrap(), region());
    let key = create_key(&mut world, &root(PROD));
    assert_eq!(
        rule_of(
            &mut world,
            &as_session,
            Request::DescribeKey(key_request(&key.key_id))
        ),
        DecidingRule::DelegatedAllow
    );
    // Sessions that were never started are not callers.
    let forged = Caller::new(
        Principal::parse(&format!(
            "arn:aws:sts::{PROD}:assumed-role/ProdReader/other"
        ))
        .unwrap(),
        region(),
    );
    err(
        &mut world,
        &forged,
        Request::DescribeKey(key_request(&key.key_id)),
        "UnrecognizedClientException",
    );
}

#[test]
fn grants_allow_exactly_their_operations_under_their_constraints() {
    let mut world = world();
    let app = add_role(&mut world, PROD, "App", PROD, None);
    let key = create_key(&mut world, &root(PROD));
    let tenant = ctx(&[("Tenant", "acme"), ("purpose", "billing")]);
    let create = |constraints| {
        world_grant_request(
            &key.key_id,
            &arn(&app),
            &["Encrypt", "GenerateDataKey"],
            constraints,
        )
    };
    let Response::CreateGrant(g) = ok(&mut world, &root(PROD), create(None)) else {
        panic!()
    };
    // Not yet propagated...
    assert_eq!(
        rule_of(&mut world, &app, gdk_request(&key.key_id, &tenant)),
        DecidingRule::ImplicitDeny
    );
    // ...unless the grant token is presented.
    let with_token = Request::GenerateDataKey(GenerateDataKeyRequest {
        key_id: key.key_id.clone(),
        key_spec: Some(DataKeySpec::AES_256),
        grant_tokens: Some(vec![g.grant_token.clone()]),
        ..Default::default()
    });
    assert_eq!(rule_of(&mut world, &app, with_token), DecidingRule::Grant);
    world.advance(3 * MINUTE).unwrap();
    assert_eq!(
        rule_of(&mut world, &app, gdk_request(&key.key_id, &tenant)),
        DecidingRule::Grant
    );
    // Only the granted operations.
    let blob = encrypt(&mut world, &root(PROD), &key.key_id, b"x", &tenant);
    assert_eq!(
        rule_of(&mut world, &app, decrypt_request(&blob, &tenant)),
        DecidingRule::ImplicitDeny
    );

    // EncryptionContextEquals: exact context; keys case-insensitive, values case-sensitive.
    let equals = GrantConstraints {
        encryption_context_equals: Some(tenant.0.clone()),
        encryption_context_subset: None,
    };
    let subset = GrantConstraints {
        encryption_context_equals: None,
        encryption_context_subset: Some(ctx(&[("tenant", "acme")]).0),
    };
    let reader = add_role(&mut world, PROD, "Reader", PROD, None);
    for constraints in [equals, subset.clone()] {
        ok(
            &mut world,
            &root(PROD),
            world_grant_request(&key.key_id, &arn(&reader), &["Decrypt"], Some(constraints)),
        );
    }
    world.advance(3 * MINUTE).unwrap();
    let cases = [
        (
            ctx(&[("tenant", "acme"), ("PURPOSE", "billing")]),
            DecidingRule::Grant,
        ),
        (
            ctx(&[("Tenant", "acme"), ("purpose", "billing"), ("extra", "1")]),
            DecidingRule::Grant,
        ), // subset grant
        (ctx(&[("Tenant", "ACME")]), DecidingRule::ImplicitDeny),
        (ctx(&[("purpose", "billing")]), DecidingRule::ImplicitDeny),
    ];
    for (context, rule) in cases {
        let blob = encrypt(&mut world, &root(PROD), &key.key_id, b"x", &context);
        assert_eq!(
            rule_of(&mut world, &reader, decrypt_request(&blob, &context)),
            rule,
            "{context:?}"
        );
    }
    // Constraints are allowed with operations that take no context (they do
    // not apply to them: developer guide, create-grant-overview).
    let describe = world_grant_request(&key.key_id, &arn(&reader), &["DescribeKey"], Some(subset));
    ok(&mut world, &root(PROD), describe);
    err(
        &mut world,
        &root(PROD),
        world_grant_request(&key.key_id, &arn(&reader), &["Sign"], None),
        "ValidationException",
    );
    let Response::ListGrants(list) = ok(
        &mut world,
        &root(PROD),
        Request::ListGrants(ListGrantsRequest {
            key_id: key.key_id.clone(),
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    assert_eq!(list.grants.len(), 4);
}

#[test]
fn who_may_retire_and_who_may_revoke() {
    let mut world = world();
    let admin = add_role(&mut world, PROD, "KeyAdmin", PROD, None);
    let app = add_role(&mut world, PROD, "App", PROD, None);
    let janitor = add_role(&mut world, PROD, "Janitor", PROD, None);
    let stranger = add_role(
        &mut world,
        PROD,
        "Stranger",
        PROD,
        Some(allow(&["kms:DescribeKey"], "*")),
    );
    let key = create_key_with_policy(
        &mut world,
        PROD,
        &four_statement_policy(PROD, &arn(&admin), &arn(&app)),
    );
    let grant = |world: &mut World, retiring: Option<&Caller>, operations: &[&str]| {
        let mut request = CreateGrantRequest {
            key_id: key.key_id.clone(),
            grantee_principal: arn(&app),
            operations: operations.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        request.retiring_principal = retiring.map(arn);
        let Response::CreateGrant(g) = ok(world, &root(PROD), Request::CreateGrant(request)) else {
            panic!()
        };
        g
    };
    let retire = |g: &kms_core::kms::api::CreateGrantResponse| {
        Request::RetireGrant(RetireGrantRequest {
            grant_token: Some(g.grant_token.clone()),
            ..Default::default()
        })
    };
    let revoke = |g: &kms_core::kms::api::CreateGrantResponse| {
        Request::RevokeGrant(RevokeGrantRequest {
            key_id: key.key_id.clone(),
            grant_id: g.grant_id.clone(),
        })
    };
    // The retiring principal may retire.
    let g = grant(&mut world, Some(&janitor), &["Decrypt"]);
    err(&mut world, &stranger, retire(&g), "AccessDeniedException");
    err(&mut world, &app, retire(&g), "AccessDeniedException");
    ok(&mut world, &janitor, retire(&g));
    err(
        &mut world,
        &janitor,
        retire(&g),
        "InvalidGrantTokenException",
    );
    // The grantee may retire only when the grant includes RetireGrant.
    let g = grant(&mut world, None, &["Decrypt", "RetireGrant"]);
    ok(&mut world, &app, retire(&g));
    // The root of the account that created the grant may retire.
    let g = grant(&mut world, None, &["Decrypt"]);
    ok(&mut world, &root(PROD), retire(&g));
    // Revoking is decided by policies: the key administrator may, the grantee may not.
    let g = grant(&mut world, Some(&janitor), &["Decrypt"]);
    err(&mut world, &app, revoke(&g), "AccessDeniedException");
    err(&mut world, &janitor, revoke(&g), "AccessDeniedException");
    ok(&mut world, &admin, revoke(&g));
    err(&mut world, &admin, revoke(&g), "InvalidGrantIdException");
}

#[test]
fn the_lockout_safety_check() {
    let mut world = world();
    let admin = add_role(&mut world, PROD, "KeyAdmin", PROD, None);
    let only_admin = json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "OnlyAdmin", "Effect": "Allow", "Principal": {"AWS": arn(&admin)}, "Action": "kms:*", "Resource": "*"}]
    });
    let create = |bypass: Option<bool>| {
        Request::CreateKey(CreateKeyRequest {
            policy: Some(only_admin.to_string()),
            bypass_policy_lockout_safety_check: bypass,
            ..Default::default()
        })
    };
    // The root creating a key it could not manage afterwards is refused...
    assert_eq!(
        err(
            &mut world,
            &root(PROD),
            create(None),
            "MalformedPolicyDocumentException"
        ),
        LOCKOUT_MESSAGE
    );
    // ...unless it insists.
    let Response::KeyMetadata(m) = ok(&mut world, &root(PROD), create(Some(true))) else {
        panic!()
    };
    let key = m.key_metadata.unwrap();
    // And then the root is locked out: the key policy is the root of trust.
    let put = |policy: &serde_json::Value, bypass| {
        Request::PutKeyPolicy(PutKeyPolicyRequest {
            key_id: key.key_id.clone(),
            policy: policy.to_string(),
            bypass_policy_lockout_safety_check: bypass,
            ..Default::default()
        })
    };
    err(
        &mut world,
        &root(PROD),
        put(&only_admin, None),
        "AccessDeniedException",
    );
    // The administrator can manage it, but not give it away from themself by accident.
    let to_root = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "kms:*", "Resource": "*"}]
    });
    assert_eq!(
        err(
            &mut world,
            &admin,
            put(&to_root, None),
            "MalformedPolicyDocumentException"
        ),
        LOCKOUT_MESSAGE
    );
    ok(&mut world, &admin, put(&to_root, Some(true)));
    ok(&mut world, &root(PROD), put(&to_root, None));
}

#[test]
fn policy_documents_are_validated_with_precise_errors() {
    let mut world = world();
    let put = |world: &mut World, policy: &str| {
        world
            .call(
                root(PROD),
                Request::CreateKey(CreateKeyRequest {
                    policy: Some(policy.into()),
                    ..Default::default()
                }),
            )
            .result
            .unwrap_err()
    };
    let statement = |extra: serde_json::Value| {
        let mut s = json!({"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "kms:*", "Resource": "*"});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                s.as_object_mut().unwrap().remove(k);
            } else {
                s[k] = v.clone();
            }
        }
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "kms:*", "Resource": "*"}, s]}).to_string()
    };
    let cases = [
        ("{", "not valid JSON".to_string()),
        (
            &statement(json!({"Actions": "kms:*"})) as &str,
            "Statement 2 (Sid \"Use\"): unknown element \"Actions\"".to_string(),
        ),
        (
            &statement(json!({"Effect": null})),
            "Statement 2 (Sid \"Use\"): missing Effect".to_string(),
        ),
        (
            &statement(json!({"Effect": "Permit"})),
            "Effect must be \"Allow\" or \"Deny\"".to_string(),
        ),
        (
            &statement(json!({"Principal": null})),
            "Policy contains a statement with no principal. (Statement 2 (Sid \"Use\")".to_string(),
        ),
        (
            &statement(json!({"Principal": {"AWS": format!("arn:aws:iam::{PROD}:user/nobody")}})),
            "invalid principals".to_string(),
        ),
        (
            &statement(json!({"Condition": {"StringEquals": {"Nope": "x"}}})),
            "\"Nope\" in StringEquals is not a condition key".to_string(),
        ),
        // IAM policies only: a key policy may not test the key's aliases
        // or tags (each key named once, as written).
        (
            &statement(json!({"Condition": {
                "ForAnyValue:StringLike": {"kms:ResourceAliases": "alias/app-*"},
                "StringEquals": {"aws:ResourceTag/team": "payments", "kms:resourcealiases": "alias/x"}
            }})),
            "These condition keys are not permitted in a key policy: kms:ResourceAliases, aws:ResourceTag/team"
                .to_string(),
        ),
        // ForAllValues on a single-valued key also matches a request
        // without it: KMS refuses the trap (the multi-valued
        // kms:EncryptionContextKeys is another matter).
        (
            &statement(json!({"Condition": {
                "ForAllValues:StringEquals": {"kms:EncryptionContext:tenant": "acme"}
            }})),
            "OverlyPermissiveCondition: Using the ForAllValues set operator with a single-valued condition key matches requests without the specified encryption context or with an unspecified encryption context. To fix, remove ForAllValues."
                .to_string(),
        ),
        (
            &statement(json!({"Action": "Decrypt"})),
            "must look like service:Action".to_string(),
        ),
    ];
    for (policy, needle) in cases {
        let e = put(&mut world, policy);
        assert_eq!(e.name(), "MalformedPolicyDocumentException", "{policy}");
        assert!(e.message().contains(&needle), "{}: {e}", needle);
    }
    // KMS answers an oversize key policy with LimitExceededException.
    let huge = statement(json!({"Sid": "x".repeat(33 * 1024)}));
    let e = put(&mut world, &huge);
    assert_eq!(e.name(), "LimitExceededException");
    assert!(e.message().contains("32768"), "{e}");
}

#[test]
fn re_encrypt_and_alias_operations_need_every_resource() {
    let mut world = world();
    let key_a = create_key(&mut world, &root(PROD));
    let key_b = create_key(&mut world, &root(PROD));
    let mover = add_user(
        &mut world,
        PROD,
        "mover",
        Some(allow(&["kms:ReEncryptFrom"], &key_a.arn)),
    );
    let blob = encrypt(&mut world, &root(PROD), &key_a.key_id, b"x", &ctx(&[]));
    let reencrypt = Request::ReEncrypt(ReEncryptRequest {
        ciphertext_blob: blob.clone(),
        destination_key_id: key_b.key_id.clone(),
        ..Default::default()
    });
    let outcome = world.call(mover.clone(), reencrypt.clone());
    assert_eq!(outcome.result.unwrap_err().name(), "AccessDeniedException");
    let actions: Vec<(&str, bool)> = outcome
        .authorizations
        .iter()
        .map(|a| (a.action, a.allowed))
        .collect();
    assert_eq!(
        actions,
        [("kms:ReEncryptFrom", true), ("kms:ReEncryptTo", false)]
    );
    let mover = add_user(
        &mut world,
        PROD,
        "mover2",
        Some(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "kms:ReEncryptFrom", "Resource": key_a.arn},
                {"Effect": "Allow", "Action": "kms:ReEncryptTo", "Resource": key_b.arn}
            ]
        })),
    );
    ok(&mut world, &mover, reencrypt);

    // CreateAlias: permission on the alias and on the key; UpdateAlias: alias, old key and new key.
    let alias_arn = format!("arn:aws:kms:{REGION}:{PROD}:alias/app");
    let namer = add_user(
        &mut world,
        PROD,
        "namer",
        Some(allow(&["kms:CreateAlias", "kms:UpdateAlias"], &alias_arn)),
    );
    let alias = |target: &str| AliasRequest {
        alias_name: "alias/app".into(),
        target_key_id: target.into(),
    };
    let outcome = world.call(namer.clone(), Request::CreateAlias(alias(&key_a.key_id)));
    let resources: Vec<(&str, bool)> = outcome
        .authorizations
        .iter()
        .map(|a| (&*a.resource, a.allowed))
        .collect();
    assert_eq!(
        resources,
        [(alias_arn.as_str(), true), (key_a.arn.as_str(), false)]
    );
    let namer = add_user(
        &mut world,
        PROD,
        "namer2",
        Some(allow(&["kms:CreateAlias", "kms:UpdateAlias"], "*")),
    );
    ok(
        &mut world,
        &namer,
        Request::CreateAlias(alias(&key_a.key_id)),
    );
    let outcome = world.call(namer, Request::UpdateAlias(alias(&key_b.key_id)));
    assert!(outcome.result.is_ok());
    let resources: Vec<&str> = outcome
        .authorizations
        .iter()
        .map(|a| &*a.resource)
        .collect();
    assert_eq!(
        resources,
        [alias_arn.as_str(), key_a.arn.as_str(), key_b.arn.as_str()]
    );
}

#[test]
fn conditions_see_the_real_request() {
    let mut world = world();
    let app = add_role(&mut world, PROD, "App", PROD, None);
    let statement = |condition: serde_json::Value| {
        json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": PROD}, "Action": "kms:*", "Resource": "*"},
                {"Sid": "Conditional", "Effect": "Allow", "Principal": {"AWS": arn(&app)}, "Action": ["kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey"], "Resource": "*", "Condition": condition}
            ]
        })
    };
    let now = world.now();
    let cases: Vec<(serde_json::Value, Caller, &str, EncryptionContext, bool)> = vec![
        (
            json!({"StringEquals": {"kms:EncryptionContext:tenant": "acme"}}),
            app.clone(),
            "",
            ctx(&[("tenant", "acme")]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:EncryptionContext:tenant": "acme"}}),
            app.clone(),
            "",
            ctx(&[("tenant", "other")]),
            false,
        ),
        (
            json!({"StringEquals": {"kms:ViaService": format!("rds.{REGION}.amazonaws.com")}}),
            app.clone().via(AwsService::Rds),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:ViaService": format!("rds.{REGION}.amazonaws.com")}}),
            app.clone(),
            "",
            ctx(&[]),
            false,
        ),
        (
            json!({"StringEquals": {"kms:CallerAccount": PROD}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"DateLessThan": {"aws:CurrentTime": now.plus(HOUR).iso8601()}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:RequestAlias": "alias/app-key"}}),
            app.clone(),
            "alias",
            ctx(&[]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:RequestAlias": "alias/app-key"}}),
            app.clone(),
            "",
            ctx(&[]),
            false,
        ),
        // KMS supports every global key; one the simulator does not fill
        // in is absent, like an organization id for a principal in none.
        (
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-1234567890"}}),
            app.clone(),
            "",
            ctx(&[]),
            false,
        ),
        (
            json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-1234567890"}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"StringEquals": {"kms:EncryptionAlgorithm": "RSAES_OAEP_SHA_256"}}),
            app.clone(),
            "",
            ctx(&[]),
            false,
        ),
        // The ForAllValues trap: true when the request has no context at all.
        (
            json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
        (
            json!({"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}}),
            app.clone(),
            "",
            ctx(&[("other", "x")]),
            false,
        ),
        (
            json!({"Null": {"kms:EncryptionContextKeys": "false"}}),
            app.clone(),
            "",
            ctx(&[]),
            false,
        ),
        // Values are ORed for Null too: either answer holds.
        (
            json!({"Null": {"kms:EncryptionContextKeys": ["false", "true"]}}),
            app.clone(),
            "",
            ctx(&[]),
            true,
        ),
    ];
    for (condition, caller, by, context, allowed) in cases {
        let key = create_key_with_policy(&mut world, PROD, &statement(condition.clone()));
        let _ = world.call(
            root(PROD),
            Request::DeleteAlias(DeleteAliasRequest {
                alias_name: "alias/app-key".into(),
            }),
        );
        ok(
            &mut world,
            &root(PROD),
            Request::CreateAlias(AliasRequest {
                alias_name: "alias/app-key".into(),
                target_key_id: key.key_id.clone(),
            }),
        );
        let key_id = if by == "alias" {
            "alias/app-key".to_string()
        } else {
            key.key_id.clone()
        };
        let outcome = world.call(caller, gdk_request(&key_id, &context));
        assert_eq!(
            outcome.result.is_ok(),
            allowed,
            "{condition} with {context:?}"
        );
    }
    // The clock moves the decision.
    let key = create_key_with_policy(
        &mut world,
        PROD,
        &statement(json!({"DateLessThan": {"aws:CurrentTime": now.plus(2 * HOUR).iso8601()}})),
    );
    ok(&mut world, &app, gdk_request(&key.key_id, &ctx(&[])));
    world.advance(3 * HOUR).unwrap();
    err(
        &mut world,
        &app,
        gdk_request(&key.key_id, &ctx(&[])),
        "AccessDeniedException",
    );
}

#[test]
fn the_dry_run_explains_without_acting() {
    let (world, admin, app, key) = s4_world();
    let log_length = world.log().len();
    let audited = world.audit().recorded();
    let decision = world
        .simulate(
            &admin,
            "kms:Decrypt",
            &key.key_id,
            Some(&ctx(&[("a", "b")])),
        )
        .unwrap();
    assert!(!decision.allowed);
    assert_eq!(decision.rule, DecidingRule::ImplicitDeny);
    let view = decision.view();
    let trace = &view.policies[0];
    assert_eq!(trace.statements.len(), 4);
    let admins = &trace.statements[1];
    assert_eq!(
        admins.label,
        "Statement 2 (Sid \"Allow access for Key Administrators\")"
    );
    assert!(
        admins.action.detail.contains("kms:Decrypt is not in"),
        "{}",
        admins.action.detail
    );
    assert!(
        view.request_context
            .iter()
            .any(|c| c.key == "kms:EncryptionContext:a" && c.values == ["b"])
    );
    let allowed = world
        .simulate(&app, "kms:Decrypt", &key.key_id, None)
        .unwrap();
    assert_eq!(allowed.rule, DecidingRule::DirectAllow);
    // Statement 1 names the App's account (it would delegate to IAM); Statement 3 names the App and decides.
    let allowed_view = allowed.view();
    let applied: Vec<&str> = allowed_view.applied_statements().map(|(_, s)| s).collect();
    assert_eq!(
        applied,
        [
            "Statement 1 (Sid \"Enable IAM User Permissions\")",
            "Statement 3 (Sid \"Allow use of the key\")"
        ]
    );
    assert!(
        allowed
            .explanation()
            .starts_with("Statement 3 (Sid \"Allow use of the key\")"),
        "{}",
        allowed.explanation()
    );
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["Rule"], "ImplicitDeny");
    assert_eq!(
        json["Policies"][0]["Statements"][3]["Conditions"][0]["Key"],
        "kms:GrantIsForAWSResource"
    );
    assert_eq!(
        (world.log().len(), world.audit().recorded()),
        (log_length, audited),
        "a dry run leaves no trace"
    );
    assert_eq!(
        world
            .simulate(&app, "kms:Decrypt", "alias/aws/ssm", None)
            .unwrap_err()
            .name(),
        "NotFoundException"
    );
}

#[test]
fn policies_round_trip_to_equivalent_json() {
    use kms_core::policy::{PolicyDocument, PolicyKind};
    let original = json!({
        "Version": "2012-10-17",
        "Id": "p",
        "Statement": {
            "Sid": "One",
            "Effect": "Deny",
            "NotPrincipal": {"AWS": ["111122223333"], "Service": "rds.amazonaws.com"},
            "NotAction": "kms:Describe*",
            "Resource": ["*"],
            "Condition": {"ForAnyValue:StringLike": {"kms:EncryptionContextKeys": ["a*", "b"]}, "Bool": {"kms:GrantIsForAWSResource": "true"}}
        }
    });
    let parsed = PolicyDocument::parse(&original.to_string(), PolicyKind::Key).unwrap();
    assert_eq!(parsed.to_json(), original);
    let again = PolicyDocument::parse(&parsed.to_json().to_string(), PolicyKind::Key).unwrap();
    assert_eq!(again, parsed);
}

/// Every decision is an Authorization a learner can open: the retirement of
/// a grant (decided by the grant, not by policies) and the lockout check
/// (the trace of "could the caller still call PutKeyPolicy under the
/// draft?"), with the statement that decided.
#[test]
fn retirement_and_the_lockout_check_are_explained_decisions() {
    use kms_core::policy::{Purpose, Reason};
    let (mut world, admin, app, key) = s4_world();
    let Response::CreateGrant(g) = ok(
        &mut world,
        &root(PROD),
        Request::CreateGrant(CreateGrantRequest {
            key_id: key.key_id.clone(),
            grantee_principal: arn(&app),
            operations: vec!["Decrypt".into()],
            ..Default::default()
        }),
    ) else {
        panic!()
    };
    let retire = Request::RetireGrant(RetireGrantRequest {
        grant_token: Some(g.grant_token.clone()),
        ..Default::default()
    });
    let refused = world.call(app.clone(), retire);
    assert!(refused.result.is_err());
    let decision = refused
        .authorizations
        .iter()
        .find(|a| a.action == "kms:RetireGrant")
        .expect("the refused retirement is an explained decision");
    assert!(!decision.allowed);
    assert!(
        matches!(decision.reason, Reason::Retirement(_)),
        "{decision:?}"
    );
    assert!(
        decision.explanation().contains("retir"),
        "{}",
        decision.explanation()
    );

    let only_app = json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AppOnly", "Effect": "Allow", "Principal": {"AWS": arn(&app)}, "Action": "kms:Decrypt", "Resource": "*"}]
    });
    let locked = world.call(
        admin.clone(),
        Request::PutKeyPolicy(PutKeyPolicyRequest {
            key_id: key.key_id.clone(),
            policy: only_app.to_string(),
            ..Default::default()
        }),
    );
    assert_eq!(
        locked.result.unwrap_err().name(),
        "MalformedPolicyDocumentException"
    );
    let check = locked
        .authorizations
        .iter()
        .find(|a| a.purpose == Purpose::LockoutCheck)
        .expect("the lockout check's evaluation is kept");
    assert!(!check.allowed, "the draft would lock the caller out");
    assert_eq!(check.action, "kms:PutKeyPolicy");
    let view = check.view();
    assert!(
        serde_json::to_string(&view).unwrap().contains("AppOnly"),
        "the trace shows the draft's statements: {view:?}"
    );
}

/// ListAliases, ListKeys, CreateKey and GenerateRandom name no key: only
/// IAM policies allow them (on `*`). A key policy's `kms:List*` does not,
/// and the dry run answers as the call does.
#[test]
fn the_dry_run_decides_actions_on_no_key_by_iam_alone() {
    let (mut world, admin, _app, key) = s4_world();
    // The key policy gives the administrators kms:List* and kms:Create*.
    let dry = world
        .simulate(&admin, "kms:ListAliases", &key.key_id, None)
        .unwrap();
    assert!(!dry.allowed, "{:?}", dry.rule);
    assert_eq!(dry.rule, DecidingRule::ImplicitDeny);
    assert_eq!(&*dry.resource, "*");
    err(
        &mut world,
        &admin,
        Request::ListAliases(kms_core::kms::api::ListAliasesRequest::default()),
        "AccessDeniedException",
    );
    // An IAM policy allows it, on the call and in the dry run alike.
    let lister = add_role(
        &mut world,
        PROD,
        "Lister",
        PROD,
        Some(allow(&["kms:ListAliases", "kms:ListKeys"], "*")),
    );
    for action in ["kms:ListAliases", "kms:ListKeys"] {
        let dry = world.simulate(&lister, action, &key.key_id, None).unwrap();
        assert!(dry.allowed, "{action}: {:?}", dry.rule);
    }
    ok(
        &mut world,
        &lister,
        Request::ListAliases(kms_core::kms::api::ListAliasesRequest::default()),
    );
    // The workbench's matrix is about one key: ListAliases is not a column.
    let columns = kms_core::workbench::matrix_actions();
    assert!(!columns.contains(&"kms:ListAliases"));
    assert!(columns.contains(&"kms:CreateAlias"));
}

#[test]
fn a_role_s_arn_is_written_once_and_shared_by_its_decisions() {
    let (world, admin, app, key) = s4_world();
    let first = world
        .simulate(&app, "kms:Decrypt", &key.key_id, None)
        .unwrap();
    let second = world
        .simulate(&app, "kms:Encrypt", &key.key_id, None)
        .unwrap();
    assert!(first.allowed && second.allowed);
    assert_eq!(*first.principal, arn(&app));
    // IAM wrote the ARN when it created the role; decisions share it.
    assert!(
        std::sync::Arc::ptr_eq(&first.principal, &second.principal),
        "the ARN was formatted again"
    );
    let admin_decision = world
        .simulate(&admin, "kms:Decrypt", &key.key_id, None)
        .unwrap();
    assert_eq!(*admin_decision.principal, arn(&admin));
}

#[test]
fn the_dry_run_leaves_retiring_a_grant_to_the_grant() {
    // "The grant determines who can retire it" (KMS developer guide,
    // "Retiring and revoking grants"): neither the key policy nor IAM
    // policies answer it, so the dry run and the matrix do not either.
    let (world, admin, _app, key) = s4_world();
    let refused = world
        .simulate(&admin, "kms:RetireGrant", &key.key_id, None)
        .unwrap_err();
    assert_eq!(refused.name(), "ValidationException");
    assert!(
        refused.message().contains("decided by each grant"),
        "{refused}"
    );
    let columns = kms_core::workbench::matrix_actions();
    assert!(!columns.contains(&"kms:RetireGrant"));
    assert!(
        columns.contains(&"kms:RevokeGrant"),
        "revoking is policies' to decide"
    );
}

#[test]
fn policy_variables_take_the_request_s_values_in_the_current_version_only() {
    // "IAM policy elements: Variables and tags": `${aws:PrincipalAccount}`
    // is the caller's account when the request is evaluated; a 2008-10-17
    // policy keeps it as text.
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let own_account = "arn:aws:kms:*:${aws:PrincipalAccount}:key/*";
    let reader = add_role(
        &mut world,
        PROD,
        "Reader",
        PROD,
        Some(allow(&["kms:DescribeKey"], own_account)),
    );
    let decided = |world: &World, who: &Caller| {
        world
            .simulate(who, "kms:DescribeKey", &key.key_id, None)
            .unwrap()
    };
    let yes = decided(&world, &reader);
    assert!(yes.allowed, "{}", yes.explanation());
    let mut old = allow(&["kms:DescribeKey"], own_account);
    old["Version"] = json!("2008-10-17");
    let literal = add_role(&mut world, PROD, "Literal", PROD, Some(old));
    assert!(
        !decided(&world, &literal).allowed,
        "2008-10-17: literal text"
    );
    // A condition value; a variable the request cannot fill matches nothing,
    // unless it has a default.
    let conditioned = |value: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "kms:DescribeKey", "Resource": "*",
            "Condition": {"StringEquals": {"kms:CallerAccount": value}}}]})
    };
    for (name, value, allowed) in [
        ("Same", "${aws:PrincipalAccount}", true),
        ("Unknown", "${aws:username}", false),
        ("Defaulted", "${aws:username, '111122223333'}", true),
    ] {
        let who = add_role(&mut world, PROD, name, PROD, Some(conditioned(value)));
        assert_eq!(decided(&world, &who).allowed, allowed, "{value}");
    }
}

/// `kms:ResourceAliases` is for IAM policies (a key policy may not test
/// it): there it lets a principal use exactly the keys with a given alias.
#[test]
fn an_iam_policy_may_test_a_key_s_aliases() {
    let mut world = world();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": "*",
            "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/app-key"}}}]
    });
    let app = add_user(&mut world, PROD, "app", Some(policy));
    let named = create_key(&mut world, &root(PROD));
    let other = create_key(&mut world, &root(PROD));
    ok(
        &mut world,
        &root(PROD),
        Request::CreateAlias(AliasRequest {
            alias_name: "alias/app-key".into(),
            target_key_id: named.key_id.clone(),
        }),
    );
    let context = ctx(&[]);
    ok(&mut world, &app, gdk_request(&named.key_id, &context));
    err(
        &mut world,
        &app,
        gdk_request(&other.key_id, &context),
        "AccessDeniedException",
    );
}

/// For CreateKey, kms:KeySpec, kms:KeyUsage and kms:KeyOrigin are the
/// request's: an IAM policy can allow symmetric keys only.
#[test]
fn an_iam_policy_may_test_the_key_create_key_asks_for() {
    let mut world = world();
    let policy = json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "kms:CreateKey", "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:KeySpec": "SYMMETRIC_DEFAULT",
                "kms:KeyUsage": "ENCRYPT_DECRYPT",
                "kms:KeyOrigin": "AWS_KMS"
            }}}]
    });
    let maker = add_user(&mut world, PROD, "maker", Some(policy));
    let create = |body: serde_json::Value| {
        Request::from_json(&json!({"Action": "kms:CreateKey", "Parameters": body}).to_string())
            .unwrap()
    };
    ok(&mut world, &maker, create(json!({})));
    let message = err(
        &mut world,
        &maker,
        create(json!({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})),
        "AccessDeniedException",
    );
    assert!(message.contains("kms:CreateKey"), "{message}");
}

/// `aws:username` is an IAM user's name (absent for the root, roles and
/// their sessions): policies test it directly or through `${aws:username}`,
/// as in the IAM User Guide's per-user examples.
#[test]
fn aws_username_is_the_calling_user_s_name() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    for alias in ["alias/alice-key", "alias/bob-key", "alias/app-key"] {
        ok(
            &mut world,
            &root(PROD),
            Request::CreateAlias(AliasRequest {
                alias_name: alias.into(),
                target_key_id: key.key_id.clone(),
            }),
        );
    }
    let own_aliases = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "kms:DescribeKey", "Resource": "*",
        "Condition": {"StringLike": {"kms:RequestAlias": "alias/${aws:username}-*"}}}]});
    let alice = add_user(&mut world, PROD, "alice", Some(own_aliases.clone()));
    let app = add_role(&mut world, PROD, "app", PROD, Some(own_aliases));
    let decided = |world: &World, who: &Caller, alias: &str| {
        world.simulate(who, "kms:DescribeKey", alias, None).unwrap()
    };
    let mine = decided(&world, &alice, "alias/alice-key");
    assert!(mine.allowed, "{}", mine.explanation());
    assert!(!decided(&world, &alice, "alias/bob-key").allowed);
    assert!(
        !decided(&world, &app, "alias/app-key").allowed,
        "a role has no aws:username"
    );
    // Tested directly, and listed among the request's keys.
    let only_alice = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "kms:DescribeKey", "Resource": "*",
        "Condition": {"StringEquals": {"aws:username": "alice"}}}]});
    let bob = add_user(&mut world, PROD, "bob", Some(only_alice));
    let denied = decided(&world, &bob, &key.key_id);
    assert!(!denied.allowed);
    let keys = denied.context().entries();
    assert!(
        keys.iter()
            .any(|(k, v)| k == "aws:username" && v.as_slice() == ["bob"]),
        "{keys:?}"
    );
}
