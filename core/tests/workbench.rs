//! The policy workbench: "what if" answered by the real evaluation, drafts
//! that are never saved, the access matrix and what an edit opens.

mod common;

use common::*;
use kms_core::policy::DecidingRule;
use kms_core::prelude::*;
use kms_core::workbench::{Bench, Draft, Question, caveats, what_an_edit_opens};

/// Production with the four-statement key, its administrator and its user.
fn setup() -> (World, String) {
    let mut world = world();
    add_role(
        &mut world,
        PROD,
        "KeyAdmin",
        "arn:aws:iam::111122223333:root",
        None,
    );
    add_role(
        &mut world,
        PROD,
        "App",
        "arn:aws:iam::111122223333:root",
        None,
    );
    let key = create_key_with_policy(&mut world, PROD, &four_statement_policy(PROD, ADMIN, APP));
    (world, key.arn)
}

/// The question of `principal` doing `action` on `key`, without a context.
fn question<'a>(principal: &'a str, action: &'a str, key: &'a str) -> Question<'a> {
    Question {
        principal,
        via: None,
        action,
        key,
        encryption_context: None,
    }
}

fn ask(bench: &Bench<'_>, principal: &str, action: &str, key: &str) -> (bool, DecidingRule) {
    let answer = bench
        .ask(&question(principal, action, key))
        .unwrap_or_else(|e| panic!("{principal} {action}: {e}"));
    (answer.authorization.allowed, answer.authorization.rule)
}

#[test]
fn a_question_is_answered_by_the_real_evaluation_and_changes_nothing() {
    let (world, key) = setup();
    let before = world.export_json();
    let bench = Bench::new(&world);
    assert_eq!(
        ask(&bench, APP, "kms:Decrypt", &key),
        (true, DecidingRule::DirectAllow)
    );
    assert!(
        !ask(&bench, ADMIN, "kms:Decrypt", &key).0,
        "administrators do not use"
    );
    assert_eq!(
        ask(&bench, ADMIN, "kms:DisableKey", &key),
        (true, DecidingRule::DirectAllow)
    );
    let trace = bench
        .ask(&question(APP, "kms:Decrypt", &key))
        .unwrap()
        .authorization
        .view();
    assert!(
        trace.explanation.contains("Allow use of the key"),
        "{}",
        trace.explanation
    );
    assert_eq!(world.export_json(), before, "asking changes nothing");
}

#[test]
fn a_bad_question_gets_the_error_a_request_would() {
    let (world, key) = setup();
    let bench = Bench::new(&world);
    let error = |principal: &str, action: &str, key: &str| {
        bench
            .ask(&question(principal, action, key))
            .unwrap_err()
            .name()
    };
    assert_eq!(
        error("arn:aws:iam::111122223333:role/Nobody", "kms:Decrypt", &key),
        "UnrecognizedClientException"
    );
    assert_eq!(
        error("not an arn", "kms:Decrypt", &key),
        "InvalidArnException"
    );
    assert_eq!(error(APP, "kms:Fly", &key), "ValidationException");
    assert_eq!(error(APP, "kms:Decrypt", "alias/none"), "NotFoundException");
}

#[test]
fn a_disabled_key_allows_yet_refuses_by_its_state() {
    let (mut world, key) = setup();
    ok(
        &mut world,
        &root(PROD),
        Request::DisableKey(key_request(&key)),
    );
    let answer = Bench::new(&world)
        .ask(&question(APP, "kms:Decrypt", &key))
        .unwrap();
    assert!(answer.authorization.allowed);
    assert_eq!(
        answer.key_state.map(|e| e.name()),
        Some("DisabledException")
    );
}

#[test]
fn a_draft_key_policy_is_evaluated_and_never_saved() {
    let (world, key) = setup();
    let before = world.export_json();
    // The draft drops the key users' statement.
    let mut policy = four_statement_policy(PROD, ADMIN, APP);
    policy["Statement"].as_array_mut().unwrap().remove(2);
    let draft = Draft::KeyPolicy {
        key: key.clone(),
        policy: policy.to_string(),
    };
    let drafted = Bench::with_draft(&world, &draft).unwrap();
    let (allowed, _) = ask(&drafted, APP, "kms:Decrypt", &key);
    assert!(!allowed, "under the draft the application cannot decrypt");
    assert!(
        ask(&Bench::new(&world), APP, "kms:Decrypt", &key).0,
        "the world still can"
    );
    assert_eq!(world.export_json(), before);

    // A draft is refused exactly as saving it would be.
    let refused = |policy: &str| {
        Bench::with_draft(
            &world,
            &Draft::KeyPolicy {
                key: key.clone(),
                policy: policy.into(),
            },
        )
        .unwrap_err()
        .name()
    };
    assert_eq!(refused("{not json"), "MalformedPolicyDocumentException");
    let ghost = four_statement_policy(PROD, ADMIN, "arn:aws:iam::111122223333:role/Ghost");
    assert_eq!(
        refused(&ghost.to_string()),
        "MalformedPolicyDocumentException"
    );
}

#[test]
fn a_draft_identity_policy_opens_what_the_key_policy_delegates() {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD)).arn; // the default policy delegates to IAM
    add_role(
        &mut world,
        PROD,
        "Reader",
        "arn:aws:iam::111122223333:root",
        None,
    );
    let reader = "arn:aws:iam::111122223333:role/Reader";
    assert!(!ask(&Bench::new(&world), reader, "kms:Decrypt", &key).0);
    let draft = Draft::IdentityPolicy {
        identity: reader.into(),
        name: "decrypt".into(),
        policy: allow(&["kms:Decrypt"], &key).to_string(),
    };
    let drafted = Bench::with_draft(&world, &draft).unwrap();
    assert_eq!(
        ask(&drafted, reader, "kms:Decrypt", &key),
        (true, DecidingRule::DelegatedAllow)
    );
    assert!(
        !ask(&Bench::new(&world), reader, "kms:Decrypt", &key).0,
        "not saved"
    );
    let root_draft = Draft::IdentityPolicy {
        identity: "arn:aws:iam::111122223333:root".into(),
        name: "x".into(),
        policy: allow(&["kms:Decrypt"], "*").to_string(),
    };
    assert_eq!(
        Bench::with_draft(&world, &root_draft).unwrap_err().name(),
        "ValidationException"
    );
}

#[test]
fn the_matrix_shows_every_principal_and_action_with_its_rule() {
    let (world, key) = setup();
    let matrix = Bench::new(&world).matrix(&key, None).unwrap();
    assert_eq!(matrix.key_arn, key);
    assert_eq!(
        matrix.cells.len(),
        matrix.principals.len() * matrix.actions.len()
    );
    for principal in [
        APP,
        ADMIN,
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::444455556666:root",
    ] {
        assert!(
            matrix.principals.iter().any(|p| p == principal),
            "{principal}"
        );
    }
    for action in [
        "kms:Decrypt",
        "kms:DisableKey",
        "kms:PutKeyPolicy",
        "kms:CreateGrant",
    ] {
        assert!(matrix.actions.contains(&action), "{action}");
    }
    let cell = |p: &str, a: &str| matrix.cell(p, a).unwrap();
    assert_eq!(cell(APP, "kms:Decrypt").rule, DecidingRule::DirectAllow);
    assert!(!cell(APP, "kms:DisableKey").allowed);
    assert!(cell(ADMIN, "kms:DisableKey").allowed);
    assert!(!cell(ADMIN, "kms:Decrypt").allowed);
    assert!(
        !cell("arn:aws:iam::444455556666:root", "kms:Decrypt").allowed,
        "staging is not named"
    );
    // Each cell is what asking would answer.
    let bench = Bench::new(&world);
    for (row, principal) in matrix.principals.iter().enumerate() {
        for (column, action) in matrix.actions.iter().enumerate() {
            let c = matrix.cells[row * matrix.actions.len() + column];
            assert_eq!(
                ask(&bench, principal, action, &key),
                (c.allowed, c.rule),
                "{principal} {action}"
            );
        }
    }
}

#[test]
fn what_an_edit_opens_lists_exactly_the_cells_it_changes() {
    let (world, key) = setup();
    // The draft lets the application disable the key, and takes kms:Disable* from the administrators.
    let mut policy = four_statement_policy(PROD, ADMIN, APP);
    let statements = policy["Statement"].as_array_mut().unwrap();
    statements[2]["Action"]
        .as_array_mut()
        .unwrap()
        .push("kms:DisableKey".into());
    statements[1]["Action"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a != "kms:Disable*");
    let draft = Draft::KeyPolicy {
        key: key.clone(),
        policy: policy.to_string(),
    };
    let changes = what_an_edit_opens(&world, &key, &draft, None).unwrap();
    let mut seen: Vec<(String, &str, bool)> = changes
        .iter()
        .map(|c| (c.principal.clone(), c.action, c.opens()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            (APP.to_string(), "kms:DisableKey", true),
            (ADMIN.to_string(), "kms:DisableKey", false),
            (ADMIN.to_string(), "kms:DisableKeyRotation", false),
        ]
    );
    assert!(changes.iter().all(|c| c.before.allowed != c.after.allowed));
}

/// An answer that an unmodelled condition key decided says so: the
/// statement that names the caller and covers the action, and the key.
/// A statement that does not reach the request adds nothing.
#[test]
fn an_answer_an_unmodelled_key_may_change_names_the_statement_and_the_key() {
    let (world, key) = setup();
    let mut policy = four_statement_policy(PROD, ADMIN, APP);
    let statements = policy["Statement"].as_array_mut().unwrap();
    statements.push(serde_json::json!({
        "Sid": "Org members", "Effect": "Allow", "Principal": "*",
        "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}));
    statements.push(serde_json::json!({
        "Sid": "Only through the endpoint", "Effect": "Deny", "Principal": "*",
        "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}));
    let draft = Draft::KeyPolicy {
        key: key.clone(),
        policy: policy.to_string(),
    };
    let bench = Bench::with_draft(&world, &draft).unwrap();
    let stranger = "arn:aws:iam::111122223333:user/Stranger";
    let mut world_with_user = world.clone();
    add_user(&mut world_with_user, PROD, "Stranger", None);
    let bench_user = Bench::with_draft(&world_with_user, &draft).unwrap();
    let answer = bench_user
        .ask(&question(stranger, "kms:Decrypt", &key))
        .unwrap();
    assert!(!answer.authorization.allowed);
    let said = caveats(&answer.authorization.view());
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("Statement 5 (Sid \"Org members\") of the key policy of ")
            && said[0].contains("tests aws:PrincipalOrgID, which no request in the simulator has"),
        "{said:?}"
    );
    // Encrypt is not the statement's action: nothing to add.
    let answer = bench.ask(&question(APP, "kms:Encrypt", &key)).unwrap();
    assert!(caveats(&answer.authorization.view()).is_empty());
}

/// A cell denied for the matrix's direct call without context, but
/// covered by an Allow on conditions (through a service), is marked so; an
/// action no statement covers is not, nor is one an explicit Deny stops.
#[test]
fn a_cell_allowed_only_on_conditions_is_marked() {
    let (world, key) = setup();
    let mut policy = four_statement_policy(PROD, ADMIN, APP);
    let statements = policy["Statement"].as_array_mut().unwrap();
    statements.push(serde_json::json!({
        "Sid": "Through Parameter Store", "Effect": "Allow", "Principal": {"AWS": ADMIN},
        "Action": "kms:Decrypt", "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "ssm.eu-west-1.amazonaws.com"}}}));
    statements.push(serde_json::json!({
        "Sid": "Never", "Effect": "Deny", "Principal": {"AWS": APP},
        "Action": "kms:Encrypt", "Resource": "*"}));
    statements.push(serde_json::json!({
        "Sid": "On conditions", "Effect": "Allow", "Principal": {"AWS": APP},
        "Action": "kms:Encrypt", "Resource": "*",
        "Condition": {"StringEquals": {"kms:EncryptionContext:app": "orders"}}}));
    let draft = Draft::KeyPolicy {
        key: key.clone(),
        policy: policy.to_string(),
    };
    let matrix = Bench::with_draft(&world, &draft)
        .unwrap()
        .matrix(&key, None)
        .unwrap();
    let cell = |p: &str, a: &str| matrix.cell(p, a).unwrap();
    let decrypt = cell(ADMIN, "kms:Decrypt");
    assert!(!decrypt.allowed && decrypt.conditional);
    let encrypt = cell(ADMIN, "kms:Encrypt");
    assert!(!encrypt.allowed && !encrypt.conditional);
    let denied = cell(APP, "kms:Encrypt");
    assert!(
        !denied.allowed && !denied.conditional,
        "an explicit deny is final"
    );
    assert!(!cell(APP, "kms:Decrypt").conditional, "allowed outright");
}
