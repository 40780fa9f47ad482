//! The advisor: each finding has a policy that triggers it and one that
//! does not, and its fix (when it offers one) no longer triggers it.

mod common;

use common::*;
use kms_core::policy::PolicyKind;
use kms_core::prelude::*;
use kms_core::workbench::advisor::{Concern, advise, advise_key_policy, concerns};
use serde_json::{Value, json};

fn key_policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn root_statement() -> Value {
    json!({"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"})
}

fn found(text: &str) -> Vec<Concern> {
    concerns(&advise(text, PolicyKind::Key).unwrap())
}

/// `text` triggers `concern`, and its fix (if any) does not.
fn triggers_and_fix_clears(text: &str, concern: Concern) {
    let findings = advise(text, PolicyKind::Key).unwrap();
    let finding = findings
        .iter()
        .find(|f| f.concern == concern)
        .unwrap_or_else(|| panic!("{concern:?} not found in {text}"));
    assert!(!finding.why.is_empty());
    if let Some(fix) = &finding.fix {
        assert!(
            !found(fix).contains(&concern),
            "{concern:?} still after the fix:\n{fix}"
        );
    }
}

#[test]
fn the_classic_four_statements_are_clean() {
    let text = four_statement_policy(PROD, ADMIN, APP).to_string();
    // Its administrators hold kms:Disable*, but they do not use the key.
    assert_eq!(found(&text), vec![]);
}

#[test]
fn users_who_may_disable_or_delete() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP},
         "Action": ["kms:Decrypt", "kms:Encrypt", "kms:DisableKey"], "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::UsersMayDisableOrDelete);
    let good = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}]));
    assert!(!found(&good).contains(&Concern::UsersMayDisableOrDelete));
}

#[test]
fn one_principal_administers_and_uses() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP},
         "Action": ["kms:Decrypt", "kms:Put*"], "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::NoSeparation);
    let good = four_statement_policy(PROD, ADMIN, APP).to_string();
    assert!(!found(&good).contains(&Concern::NoSeparation));
}

#[test]
fn full_access_beyond_the_root() {
    // The practitioner's article: kms:* for a user.
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/CPI-HIGA"}, "Action": "kms:*", "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::FullAccessBeyondRoot);
    let good = key_policy(json!([root_statement()]));
    assert_eq!(
        found(&good),
        vec![],
        "kms:* for the root is the delegation statement"
    );
}

#[test]
fn open_to_anyone_without_an_account_condition() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::OpenToAnyone);
    let good = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}]));
    assert!(!found(&good).contains(&Concern::OpenToAnyone));
}

#[test]
fn a_deny_for_everyone_that_stops_the_services() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::DenyStopsServices);
    let outsiders = key_policy(json!([root_statement(),
        {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"kms:CallerAccount": "111122223333"}}}]));
    assert!(!found(&outsiders).contains(&Concern::DenyStopsServices));
    let disable_only = key_policy(json!([root_statement(),
        {"Effect": "Deny", "Principal": "*", "Action": "kms:DisableKey", "Resource": "*"}]));
    assert!(
        !found(&disable_only).contains(&Concern::DenyStopsServices),
        "services never disable"
    );
}

#[test]
fn for_all_values_on_the_context_keys() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}}}]));
    triggers_and_fix_clears(&bad, Concern::ForAllValuesOnEmptyContext);
    let any = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]}}}]));
    assert!(!found(&any).contains(&Concern::ForAllValuesOnEmptyContext));
    // Another condition an empty context fails closes the trap: a Null
    // guard on a pair, or a plain test of one.
    for guard in [
        json!({"Null": {"kms:EncryptionContext:tenant": "false"}}),
        json!({"StringEquals": {"kms:EncryptionContext:tenant": "acme"}}),
    ] {
        let mut condition = guard.as_object().unwrap().clone();
        condition.insert(
            "ForAllValues:StringEquals".into(),
            json!({"kms:EncryptionContextKeys": ["tenant"]}),
        );
        let guarded = key_policy(json!([root_statement(),
            {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Decrypt", "Resource": "*",
             "Condition": condition}]));
        assert!(
            !found(&guarded).contains(&Concern::ForAllValuesOnEmptyContext),
            "{guarded}"
        );
    }
    // IfExists keeps it open.
    let if_exists = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]},
                       "StringEqualsIfExists": {"kms:EncryptionContext:tenant": "acme"}}}]));
    assert!(found(&if_exists).contains(&Concern::ForAllValuesOnEmptyContext));
}

#[test]
fn grants_not_only_for_aws_resources() {
    let bad = key_policy(json!([root_statement(),
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": ["kms:CreateGrant", "kms:ListGrants"], "Resource": "*"}]));
    triggers_and_fix_clears(&bad, Concern::GrantsNotOnlyForServices);
    let good = four_statement_policy(PROD, ADMIN, APP).to_string();
    assert!(!found(&good).contains(&Concern::GrantsNotOnlyForServices));
}

#[test]
fn a_policy_that_locks_its_author_out() {
    let mut world = world();
    add_role(
        &mut world,
        PROD,
        "KeyAdmin",
        "arn:aws:iam::111122223333:root",
        None,
    );
    let key = create_key(&mut world, &root(PROD)).arn;
    let before = world.export_json();
    let only_admin = key_policy(json!([
        {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": "kms:*", "Resource": "*"}]));
    let findings =
        advise_key_policy(&world, &key, "arn:aws:iam::111122223333:root", &only_admin).unwrap();
    let lockout = findings
        .iter()
        .find(|f| f.concern == Concern::LocksOutAuthor)
        .expect("the root would be locked out");
    let fixed = lockout.fix.as_ref().unwrap();
    let after = advise_key_policy(&world, &key, "arn:aws:iam::111122223333:root", fixed).unwrap();
    assert!(
        !concerns(&after).contains(&Concern::LocksOutAuthor),
        "{fixed}"
    );
    // The administrator it names is not locked out.
    let admin = advise_key_policy(&world, &key, ADMIN, &only_admin).unwrap();
    assert!(!concerns(&admin).contains(&Concern::LocksOutAuthor));
    assert_eq!(world.export_json(), before, "advice changes nothing");
}

#[test]
fn an_identity_policy_is_advised_too() {
    let text = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:ScheduleKeyDeletion"], "Resource": "*"}]})
    .to_string();
    let findings = advise(&text, PolicyKind::Identity).unwrap();
    assert_eq!(concerns(&findings), vec![Concern::UsersMayDisableOrDelete]);
    assert!(advise("{not json", PolicyKind::Key).is_err());
}

/// The Deny finding's fix keeps the owning account's Aurora cluster
/// working, where the Deny as written breaks it minutes later.
#[test]
fn the_deny_fix_keeps_aurora_working() {
    use kms_core::clock::MINUTE;
    use kms_core::services::rds::api::CreateDBClusterRequest;
    let deny_all = key_policy(json!([root_statement(),
        {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}]));
    let fix = advise(&deny_all, PolicyKind::Key)
        .unwrap()
        .into_iter()
        .find(|f| f.concern == Concern::DenyStopsServices)
        .and_then(|f| f.fix)
        .unwrap();
    let status_after = |policy: &str| {
        let mut world = world();
        let key = create_key(&mut world, &root(PROD)).key_id;
        ok(
            &mut world,
            &root(PROD),
            Request::CreateDBCluster(CreateDBClusterRequest {
                db_cluster_identifier: "db".into(),
                kms_key_id: Some(key.clone()),
                ..Default::default()
            }),
        );
        ok(
            &mut world,
            &root(PROD),
            Request::PutKeyPolicy(kms_core::kms::api::PutKeyPolicyRequest {
                key_id: key,
                policy: policy.into(),
                bypass_policy_lockout_safety_check: Some(true),
                ..Default::default()
            }),
        );
        world.advance(30 * MINUTE).unwrap();
        world
            .state()
            .rds
            .clusters
            .values()
            .next()
            .unwrap()
            .status
            .as_str()
    };
    assert_eq!(
        status_after(&deny_all),
        "inaccessible-encryption-credentials-recoverable"
    );
    assert_eq!(status_after(&fix), "available", "{fix}");
}

#[test]
fn one_principal_in_both_the_admin_and_the_user_statements() {
    // The Terraform seed's mistake: the four classic statements, with the
    // same user as administrator and as user.
    let text = four_statement_policy(PROD, APP, APP).to_string();
    let findings = advise(&text, PolicyKind::Key).unwrap();
    let concerns = concerns(&findings);
    for concern in [
        Concern::UsersMayDisableOrDelete,
        Concern::NoSeparation,
        Concern::GrantsNotOnlyForServices,
    ] {
        let finding = findings.iter().find(|f| f.concern == concern).unwrap();
        assert_eq!(
            finding.statements.len(),
            2,
            "{concern:?}: {:?}",
            finding.statements
        );
    }
    assert_eq!(concerns.len(), 3, "{concerns:?}");
    // The fix takes disabling and deletion from the administrators'
    // statement; the user keeps using the key.
    let fix = findings[0].fix.as_ref().unwrap();
    assert_eq!(findings[0].concern, Concern::UsersMayDisableOrDelete);
    assert!(
        !found(fix).contains(&Concern::UsersMayDisableOrDelete),
        "{fix}"
    );
    assert!(!fix.contains("kms:Disable*") && !fix.contains("kms:ScheduleKeyDeletion"));
    assert!(fix.contains("kms:Decrypt"));
    // With distinct principals the same statements are clean.
    assert_eq!(
        found(&four_statement_policy(PROD, ADMIN, APP).to_string()),
        vec![]
    );
}

#[test]
fn a_key_the_simulator_does_not_model_is_named_once_with_its_statements() {
    let text = key_policy(json!([root_statement(),
        {"Sid": "Org", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1234567890"}}},
        {"Sid": "Typo", "Effect": "Allow", "Principal": {"AWS": APP}, "Action": "kms:Encrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAcount": "111122223333", "AWS:PrincipalOrgId": "o-1234567890"}}}]));
    let findings = advise(&text, PolicyKind::Key).unwrap();
    let unmodelled: Vec<_> = findings
        .iter()
        .filter(|f| f.concern == Concern::UnmodelledKey)
        .collect();
    assert_eq!(unmodelled.len(), 2, "{unmodelled:?}");
    // Keys compare without case: one finding for both spellings.
    assert_eq!(
        unmodelled[0].statements,
        ["Statement 2 (Sid \"Org\")", "Statement 3 (Sid \"Typo\")"]
    );
    assert!(
        unmodelled[0]
            .why
            .contains("No request in the simulator has aws:PrincipalOrgID")
    );
    assert!(
        unmodelled[1]
            .why
            .ends_with("Did you mean kms:CallerAccount?"),
        "{}",
        unmodelled[1].why
    );
    assert!(unmodelled.iter().all(|f| f.fix.is_none()));
    // A policy variable reading an unmodelled key (an identity policy's
    // per-team keys); ${aws:username} is modelled.
    let team = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {
            "kms:EncryptionContext:team": "${aws:PrincipalTag/team}",
            "kms:EncryptionContext:owner": "${aws:username}"}}}]})
    .to_string();
    let findings = advise(&team, PolicyKind::Identity).unwrap();
    let named: Vec<&str> = findings
        .iter()
        .filter(|f| f.concern == Concern::UnmodelledKey)
        .map(|f| f.why.as_ref())
        .collect();
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].starts_with("No request in the simulator has aws:PrincipalTag/team"));
    // The classic policy tests only modelled keys.
    let clean = four_statement_policy(PROD, ADMIN, APP).to_string();
    assert!(!found(&clean).contains(&Concern::UnmodelledKey));
}

/// A key built with the lockout check bypassed and no statement for its
/// author: the advice on its saved policy is not lost (asking to save it
/// again would be refused), and names the lockout first-hand.
#[test]
fn a_key_already_locked_against_its_author_is_still_advised() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD)).arn;
    let locked = key_policy(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]));
    let put = json!({"Action": "kms:PutKeyPolicy", "Parameters": {
        "KeyId": key, "Policy": locked, "BypassPolicyLockoutSafetyCheck": true}});
    world
        .call(root(PROD), Request::from_json(&put.to_string()).unwrap())
        .result
        .unwrap();
    let saved = world
        .state()
        .kms
        .keys
        .values()
        .next()
        .unwrap()
        .policy
        .text
        .clone();
    let findings = advise_key_policy(&world, &key, "arn:aws:iam::111122223333:root", &saved)
        .expect("the saved policy is advised");
    let found = concerns(&findings);
    assert!(found.contains(&Concern::LocksOutAuthor), "{found:?}");
    assert!(found.contains(&Concern::UnmodelledKey), "{found:?}");
}
