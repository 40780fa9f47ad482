//! Service behaviours beyond the stories: terminal states, atomicity, errors.

mod common;

use common::*;
use kms_core::prelude::*;
use kms_core::services::rds::ClusterStatus;
use kms_core::services::rds::api::{CreateDBClusterRequest, ExecuteStatementRequest};
use kms_core::services::ssm::{GetParameterRequest, ParameterType, PutParameterRequest};

fn create_cluster(world: &mut World, caller: &Caller, id: &str, key: Option<&str>) -> Outcome {
    world.call(
        caller.clone(),
        Request::CreateDBCluster(CreateDBClusterRequest {
            db_cluster_identifier: id.into(),
            kms_key_id: key.map(String::from),
            ..Default::default()
        }),
    )
}

fn sql(world: &mut World, id: &str, text: &str) -> Result<Response, KmsError> {
    world
        .call(
            root(PROD),
            Request::ExecuteStatement(ExecuteStatementRequest {
                resource_arn: id.into(),
                sql: text.into(),
            }),
        )
        .result
}

fn status(world: &World, id: &str) -> ClusterStatus {
    world
        .state()
        .rds
        .clusters
        .values()
        .find(|c| c.id == id)
        .unwrap()
        .status
}

#[test]
fn seven_days_inaccessible_is_terminal_and_a_deleted_key_at_once() {
    let mut world = world();
    let key_a = create_key(&mut world, &root(PROD));
    let key_b = create_key(&mut world, &root(PROD));
    create_cluster(&mut world, &root(PROD), "a", Some(&key_a.key_id))
        .result
        .unwrap();
    create_cluster(&mut world, &root(PROD), "b", Some(&key_b.key_id))
        .result
        .unwrap();
    ok(
        &mut world,
        &root(PROD),
        Request::DisableKey(key_request(&key_a.key_id)),
    );
    ok(
        &mut world,
        &root(PROD),
        Request::ScheduleKeyDeletion(ScheduleKeyDeletionRequest {
            key_id: key_b.key_id.clone(),
            pending_window_in_days: Some(7),
        }),
    );
    world.advance(10 * MINUTE).unwrap();
    assert_eq!(status(&world, "a"), ClusterStatus::InaccessibleRecoverable);
    assert_eq!(
        status(&world, "b"),
        ClusterStatus::InaccessibleRecoverable,
        "pending deletion is unusable too"
    );
    world.advance(7 * DAY).unwrap();
    assert_eq!(
        status(&world, "a"),
        ClusterStatus::Inaccessible,
        "7 days inaccessible"
    );
    assert_eq!(
        status(&world, "b"),
        ClusterStatus::Inaccessible,
        "the key was deleted"
    );
    // Terminal: enabling the key does not bring it back.
    ok(
        &mut world,
        &root(PROD),
        Request::EnableKey(key_request(&key_a.key_id)),
    );
    world.advance(DAY).unwrap();
    assert_eq!(status(&world, "a"), ClusterStatus::Inaccessible);
    let e = sql(&mut world, "a", "SELECT * FROM t").unwrap_err();
    assert!(
        e.message().contains("Only a restore from a snapshot"),
        "{e}"
    );
}

#[test]
fn a_refused_cluster_leaves_no_grant_and_no_trace_but_the_trail() {
    let mut world = world();
    let creator = add_role(
        &mut world,
        PROD,
        "Creator",
        PROD,
        Some(allow(&["rds:*", "kms:DescribeKey", "kms:CreateGrant"], "*")),
    );
    let key = create_key(&mut world, &root(PROD));
    let kms_before = world.state().kms.clone();
    // DescribeKey and CreateGrant succeed; GenerateDataKey is not allowed.
    let outcome = create_cluster(&mut world, &creator, "orders", Some(&key.key_id));
    assert_eq!(
        outcome.result.unwrap_err().name(),
        "KMSKeyNotAccessibleFault"
    );
    let actions: Vec<(&str, bool)> = outcome
        .authorizations
        .iter()
        .map(|a| (a.action, a.allowed))
        .collect();
    assert_eq!(
        actions,
        [
            ("rds:CreateDBCluster", true),
            ("kms:DescribeKey", true),
            ("kms:CreateGrant", true),
            ("kms:GenerateDataKey", false)
        ]
    );
    assert_eq!(
        &world.state().kms,
        &kms_before,
        "the grant RDS created was rolled back"
    );
    assert!(world.state().rds.clusters.is_empty());
    assert_eq!(
        outcome.audit_events.len(),
        4,
        "each nested call and the request itself are audited"
    );
}

#[test]
fn sql_errors_read_like_postgres() {
    let mut world = world();
    create_cluster(&mut world, &root(PROD), "db", None)
        .result
        .unwrap();
    for (text, message) in [
        (
            "SELECT * FROM missing",
            "relation \"missing\" does not exist",
        ),
        ("DROP TABLE users", "syntax error"),
        ("CREATE TABLE t (a int, b int)", ""),
        ("CREATE TABLE t (a int)", "relation \"t\" already exists"),
        (
            "INSERT INTO t VALUES (1)",
            "INSERT has 1 expressions but 2 target columns",
        ),
        (
            "INSERT INTO t (c) VALUES (1)",
            "column \"c\" of relation \"t\" does not exist",
        ),
    ] {
        match sql(&mut world, "db", text) {
            Ok(_) => assert!(message.is_empty(), "{text} succeeded"),
            Err(e) => assert!(
                !message.is_empty() && e.message().contains(message),
                "{text}: {e}"
            ),
        }
    }
    let Ok(Response::Rds(_)) = sql(&mut world, "db", "INSERT INTO t (b) VALUES (2)") else {
        panic!()
    };
    let Ok(Response::Rds(kms_core::services::rds::api::RdsResponse::Statement(s))) =
        sql(&mut world, "db", "SELECT * FROM t")
    else {
        panic!()
    };
    assert_eq!(s.rows(), [["", "2"]]);
    assert_eq!(
        sql(&mut world, "nope", "SELECT * FROM t")
            .unwrap_err()
            .name(),
        "DBClusterNotFoundFault"
    );
    assert_eq!(
        create_cluster(&mut world, &root(PROD), "db", None)
            .result
            .unwrap_err()
            .name(),
        "DBClusterAlreadyExistsFault"
    );
    assert_eq!(
        create_cluster(&mut world, &root(PROD), "1bad", None)
            .result
            .unwrap_err()
            .name(),
        "InvalidParameterValue"
    );
}

#[test]
fn parameter_store_errors() {
    let mut world = world();
    let put = |overwrite| {
        Request::PutParameter(PutParameterRequest {
            name: "/app/token".into(),
            value: "v".into(),
            kind: Some(ParameterType::SecureString),
            overwrite,
            ..Default::default()
        })
    };
    ok(&mut world, &root(PROD), put(None));
    err(&mut world, &root(PROD), put(None), "ParameterAlreadyExists");
    ok(&mut world, &root(PROD), put(Some(true)));
    err(
        &mut world,
        &root(PROD),
        Request::GetParameter(GetParameterRequest {
            name: "/app/none".into(),
            with_decryption: None,
        }),
        "ParameterNotFound",
    );
    err(
        &mut world,
        &root(PROD),
        Request::PutParameter(PutParameterRequest {
            name: "/app/x".into(),
            value: "v".into(),
            kind: Some(ParameterType::SecureString),
            key_id: Some("alias/missing".into()),
            ..Default::default()
        }),
        "InvalidKeyId",
    );
    err(
        &mut world,
        &root(PROD),
        Request::PutParameter(PutParameterRequest {
            name: "aws-reserved".into(),
            value: "v".into(),
            ..Default::default()
        }),
        "ValidationException",
    );
}
