//! Hostile input: what a share link, a scenario file or a console request can
//! ask for. Each input here once crashed, hung or exhausted a learner's tab;
//! each must now be refused (or finish) with bounded work and an AWS-named
//! error that says why, leaving the world as it was.

mod common;

use common::*;
use kms_core::prelude::*;
use kms_core::scenario::{Scenario, ScenarioRun};
use kms_core::services::rds::api::{CreateDBClusterRequest, ExecuteStatementRequest};
use kms_core::world::{MAX_EVENTS_PER_ADVANCE, WorldLog};
use serde_json::json;

fn scenario_json(accounts: serde_json::Value, steps: serde_json::Value) -> String {
    json!({
        "Id": "hostile", "Title": "Hostile", "Summary": "A file an attacker wrote.",
        "Accounts": accounts,
        "Steps": steps,
    })
    .to_string()
}

// 1. One function decides whether a scenario is valid.

#[test]
fn a_scenario_the_runner_would_refuse_is_refused_when_parsed() {
    let step = json!([{"Request": {"Action": "kms:ListKeys", "Parameters": {}}}]);
    for (accounts, why) in [
        (
            json!([{"Id": "111122223333", "Name": "a"}, {"Id": "111122223333", "Name": "b"}]),
            "share an id or a name",
        ),
        (
            json!([{"Id": "111122223333", "Name": "a"}, {"Id": "444455556666", "Name": "a"}]),
            "share an id or a name",
        ),
        (
            json!([{"Id": "111122223333", "Name": "x".repeat(51)}]),
            "less than or equal to 50",
        ),
        (json!([{"Id": "111122223333", "Name": ""}]), "1 to 50"),
        (
            json!([{"Id": "111122223333", "Name": "prod:role/x"}]),
            "1 to 50",
        ),
    ] {
        let text = scenario_json(accounts.clone(), step.clone());
        let error = Scenario::parse(&text).unwrap_err();
        assert!(error.0.contains(why), "{accounts}: {error}");
    }
}

#[test]
fn a_scenario_built_in_code_is_checked_by_the_same_rule() {
    let mut scenario = kms_core::scenario::builtin::get("aliases").unwrap();
    let first = scenario.accounts[0].clone();
    scenario.accounts.push(first);
    let error = ScenarioRun::start(&scenario).err().unwrap();
    assert!(error.0.contains("share an id or a name"), "{error}");
}

// 2. Time ends, and one advance does bounded work.

fn rotating_world() -> (World, String) {
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    ok(
        &mut world,
        &root(PROD),
        Request::EnableKeyRotation(EnableKeyRotationRequest {
            key_id: key.key_id.clone(),
            rotation_period_in_days: Some(90),
        }),
    );
    (world, key.key_id)
}

#[test]
fn the_clock_refuses_to_pass_the_end_of_time_and_changes_nothing() {
    let (mut world, _) = rotating_world();
    let before = snapshot(&world);
    let error = world.advance(1 << 53).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("9999-12-31T23:59:59Z"), "{error}");
    assert_eq!(snapshot(&world), before);
    assert_eq!(world.fired_events(), 0);
}

#[test]
fn a_log_that_asks_for_2_to_the_53_seconds_is_refused() {
    let (world, _) = rotating_world();
    let mut log = world.export_log();
    log.entries
        .push(kms_core::world::LogEntry::Advance { seconds: 1 << 53 });
    let error = World::replay(&log).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("Log entry"), "{error}");
}

#[test]
fn a_world_starting_near_the_top_of_time_cannot_loop() {
    let (world, _) = rotating_world();
    let mut log: WorldLog = world.export_log();
    log.start = Timestamp(u64::MAX - 10);
    let error = World::replay(&log).unwrap_err();
    assert!(error.message().contains("end of time"), "{error}");

    // Built directly, such a world refuses to move at all.
    let mut config = WorldConfig::from_seed([1; 32]);
    config.start = Timestamp(u64::MAX - 10);
    let mut world = World::new(config);
    world.add_account(account(PROD), "production").unwrap();
    let key = create_key(&mut world, &root(PROD));
    let _ = world.call(
        root(PROD),
        Request::EnableKeyRotation(EnableKeyRotationRequest {
            key_id: key.key_id,
            rotation_period_in_days: Some(90),
        }),
    );
    assert!(world.advance(0).is_err());
    assert!(world.advance_to_next_event().map_or(true, |moved| !moved));
    assert_eq!(world.fired_events(), 0);
}

#[test]
fn an_advance_of_99999999999_days_in_a_scenario_is_a_failed_step() {
    let text = scenario_json(
        json!([{"Id": "111122223333", "Name": "production"}]),
        json!([{"Advance": "99999999999d"}]),
    );
    let scenario = Scenario::parse(&text).unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let result = run.step().unwrap().clone();
    assert!(!result.passed);
    assert!(
        result.failures[0].contains("time in the simulator ends"),
        "{:?}",
        result.failures
    );
}

#[test]
fn too_much_work_in_one_advance_is_refused_before_it_starts() {
    let mut world = world();
    for _ in 0..40 {
        let key = create_key(&mut world, &root(PROD));
        ok(
            &mut world,
            &root(PROD),
            Request::EnableKeyRotation(EnableKeyRotationRequest {
                key_id: key.key_id,
                rotation_period_in_days: Some(90),
            }),
        );
    }
    // 40 keys rotating every 90 days for 7,000 years: 1.1 million rotations.
    let before = snapshot(&world);
    let error = world.advance(7_000 * 365 * DAY).unwrap_err();
    assert!(
        error.message().contains("in smaller steps"),
        "{}",
        error.message()
    );
    assert_eq!(snapshot(&world), before);
    const { assert!(MAX_EVENTS_PER_ADVANCE < 1_100_000) };
    // A smaller step is fine.
    world.advance(10 * 365 * DAY).unwrap();
}

#[test]
fn a_century_with_rotating_keys_and_an_aurora_cluster_does_bounded_work() {
    let (mut world, key) = rotating_world();
    world
        .call(
            root(PROD),
            Request::CreateDBCluster(CreateDBClusterRequest {
                db_cluster_identifier: "app-db".into(),
                kms_key_id: Some(key),
                ..Default::default()
            }),
        )
        .result
        .unwrap();
    let recorded = world.audit().recorded();
    world.advance(100 * 365 * DAY).unwrap();
    // 405 rotations and a dozen audited checks, not 10 million checks.
    assert!(world.fired_events() < 1_000, "{}", world.fired_events());
    assert!(world.audit().recorded() - recorded < 1_000);
    let cluster = world.state().rds.clusters.values().next().unwrap();
    assert_eq!(
        cluster.status,
        kms_core::services::rds::ClusterStatus::Available
    );
    assert!(
        cluster.elided_checks > 10_000_000,
        "{}",
        cluster.elided_checks
    );
    let key = world.state().kms.keys.values().next().unwrap();
    assert_eq!(key.backing_keys.len(), 1 + 100 * 365 / 90);
    // The cluster still notices a disabled key within minutes.
    let key_id = key.id.to_string();
    ok(
        &mut world,
        &root(PROD),
        Request::DisableKey(key_request(&key_id)),
    );
    world.advance(20 * MINUTE).unwrap();
    let cluster = world.state().rds.clusters.values().next().unwrap();
    assert_eq!(
        cluster.status,
        kms_core::services::rds::ClusterStatus::InaccessibleRecoverable
    );
}

// 3. One query cannot ask for gigabytes.

fn sql(world: &mut World, text: &str) -> Result<Response, KmsError> {
    world
        .call(
            root(PROD),
            Request::ExecuteStatement(ExecuteStatementRequest {
                resource_arn: "app-db".into(),
                sql: text.into(),
            }),
        )
        .result
}

fn cluster_world() -> World {
    let mut world = world();
    world
        .call(
            root(PROD),
            Request::CreateDBCluster(CreateDBClusterRequest {
                db_cluster_identifier: "app-db".into(),
                ..Default::default()
            }),
        )
        .result
        .unwrap();
    sql(&mut world, "CREATE TABLE t (v text)").unwrap();
    world
}

#[test]
fn a_wide_value_and_many_rows_give_a_bounded_answer() {
    let mut world = cluster_world();
    sql(
        &mut world,
        &format!("INSERT INTO t VALUES ('{}')", "x".repeat(60_000)),
    )
    .unwrap();
    for chunk in 0..20 {
        let values: Vec<String> = (0..5_000)
            .map(|i| format!("({})", chunk * 5_000 + i))
            .collect();
        sql(
            &mut world,
            &format!("INSERT INTO t VALUES {}", values.join(",")),
        )
        .unwrap();
    }
    let Ok(Response::Rds(kms_core::services::rds::api::RdsResponse::Statement(answer))) =
        sql(&mut world, "SELECT * FROM t")
    else {
        panic!("the SELECT failed");
    };
    assert_eq!(answer.records.len(), 100_001);
    let drawn = answer.psql_output.expose();
    assert!(drawn.len() < 100_000, "{} bytes drawn", drawn.len());
    assert!(drawn.ends_with("(100001 rows)"));
}

#[test]
fn an_answer_over_a_mebibyte_and_a_statement_over_64_kib_are_refused() {
    let mut world = cluster_world();
    let long = format!("INSERT INTO t VALUES ('{}')", "y".repeat(65_536));
    let e = sql(&mut world, &long).unwrap_err();
    assert_eq!(e.name(), "ValidationException");
    assert!(!e.message().contains("yyyy"), "the statement is not echoed");
    for _ in 0..20 {
        sql(
            &mut world,
            &format!("INSERT INTO t VALUES ('{}')", "z".repeat(60_000)),
        )
        .unwrap();
    }
    let e = sql(&mut world, "SELECT * FROM t").unwrap_err();
    assert_eq!(e.name(), "BadRequestException");
    assert!(e.message().contains("response size limit"), "{e}");
}

// 4. Scenario variables are expanded once, within a stated size.

#[test]
fn saved_values_are_not_expanded_again() {
    // Each key's description is "${vNN}${vNN}" for the next NN: expanded
    // again in the same pass, 30 levels would ask for 2^30 copies.
    let mut steps = Vec::new();
    for i in 0..30 {
        steps.push(json!({
            "Request": {"Action": "kms:CreateKey", "Parameters": {
                "Description": format!("${{v{:02}}}${{v{:02}}}", i + 1, i + 1)
            }},
            "Save": {format!("v{i:02}"): "/KeyMetadata/Description"}
        }));
    }
    steps.push(json!({
        "Request": {"Action": "kms:CreateKey", "Parameters": {"Description": "${v00}"}}
    }));
    let text = scenario_json(
        json!([{"Id": "111122223333", "Name": "production"}]),
        json!(steps),
    );
    let mut run = ScenarioRun::start(&Scenario::parse(&text).unwrap()).unwrap();
    let results = run.run_to_end();
    for result in results {
        assert!(result.passed, "{:?}", result.failures);
    }
    let last = results.last().unwrap().response.as_ref().unwrap();
    assert_eq!(last["KeyMetadata"]["Description"], "${v01}${v01}");
}

#[test]
fn expansion_past_a_mebibyte_is_a_failed_step() {
    let big = "a".repeat(8000);
    let uses = "${big}".repeat(200);
    let text = scenario_json(
        json!([{"Id": "111122223333", "Name": "production"}]),
        json!([
            {"Request": {"Action": "kms:CreateKey", "Parameters": {"Description": big}},
             "Save": {"big": "/KeyMetadata/Description"}},
            {"Request": {"Action": "kms:CreateKey", "Parameters": {"Description": uses}}}
        ]),
    );
    let mut run = ScenarioRun::start(&Scenario::parse(&text).unwrap()).unwrap();
    let results = run.run_to_end();
    assert!(results[0].passed);
    assert!(!results[1].passed);
    assert!(
        results[1].failures[0].contains("more than 1048576 bytes"),
        "{:?}",
        results[1].failures
    );
    assert!(results[1].request.is_none(), "nothing was sent");
}

// 6. AWS's own limits, where AWS has them; linear work where it has none.

#[test]
fn inline_policies_are_limited_together_as_iam_limits_them() {
    use kms_core::iam::PutIdentityPolicyRequest;
    let mut world = world();
    add_user(&mut world, PROD, "alice", None);
    add_role(&mut world, PROD, "App", PROD, None);
    // A statement of about 100 characters, repeated.
    let policy = |n: usize| {
        let statements: Vec<_> = (0..n)
            .map(|i| json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}))
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements}).to_string()
    };
    let put =
        |world: &mut World, user: Option<&str>, role: Option<&str>, name: &str, text: String| {
            let request = PutIdentityPolicyRequest {
                user_name: user.map(String::from),
                role_name: role.map(String::from),
                policy_name: name.into(),
                policy_document: text,
            };
            let request = if user.is_some() {
                Request::PutUserPolicy(request)
            } else {
                Request::PutRolePolicy(request)
            };
            world.call(root(PROD), request).result
        };
    let one = policy(20);
    let size = kms_core::iam::policy_size(&one);
    assert!((1025..=2048).contains(&size), "{size}");
    put(&mut world, Some("alice"), None, "one", one.clone()).unwrap();
    let e = put(&mut world, Some("alice"), None, "two", one.clone()).unwrap_err();
    assert_eq!(e.name(), "LimitExceeded");
    assert_eq!(
        e.message(),
        "Maximum policy size of 2048 bytes exceeded for user alice"
    );
    // Replacing a policy counts the new text instead of the old one.
    put(&mut world, Some("alice"), None, "one", one.clone()).unwrap();
    // White space does not count.
    let spaced =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&one).unwrap())
            .unwrap();
    assert!(spaced.len() > 2048);
    put(&mut world, Some("alice"), None, "one", spaced).unwrap();
    // Roles have 10,240 characters.
    let fit = 10_240 / size;
    for i in 0..fit {
        put(&mut world, None, Some("App"), &format!("p{i}"), one.clone()).unwrap();
    }
    let e = put(&mut world, None, Some("App"), "last", one).unwrap_err();
    assert_eq!(
        e.message(),
        "Maximum policy size of 10240 bytes exceeded for role App"
    );
}

#[test]
fn grant_constraints_are_limited_as_the_api_reference_says() {
    use kms_core::kms::api::{CreateGrantRequest, GrantConstraints};
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let grant = |pairs: usize, value_len: usize| {
        Request::CreateGrant(CreateGrantRequest {
            key_id: key.key_id.clone(),
            grantee_principal: format!("arn:aws:iam::{PROD}:root"),
            operations: vec!["Decrypt".into()],
            constraints: Some(GrantConstraints {
                encryption_context_subset: Some(
                    (0..pairs)
                        .map(|i| (format!("k{i}"), "v".repeat(value_len)))
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        })
    };
    ok(&mut world, &root(PROD), grant(8, 384));
    let e = err(&mut world, &root(PROD), grant(9, 1), "ValidationException");
    assert!(e.contains("at most 8"), "{e}");
    let e = err(
        &mut world,
        &root(PROD),
        grant(1, 385),
        "ValidationException",
    );
    assert!(e.contains("384"), "{e}");
}

#[test]
fn an_encryption_context_of_many_pairs_round_trips() {
    // AWS documents no limit on the encryption context; the simulator's
    // cost per request grows with its size, not with its square (see the
    // `hostile` benchmarks).
    let mut world = world();
    let key = create_key(&mut world, &root(PROD));
    let pairs: Vec<(String, String)> = (0..20_000)
        .map(|i| (format!("Key{i}"), format!("value {i}")))
        .collect();
    let context = EncryptionContext::from_pairs(pairs);
    let blob = encrypt(&mut world, &root(PROD), &key.key_id, b"data", &context);
    assert_eq!(decrypt(&mut world, &root(PROD), &blob, &context), b"data");
}
