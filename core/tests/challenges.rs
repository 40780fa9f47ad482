//! Every challenge: its reference solution passes every check, and a
//! plausible wrong attempt fails with the expected check (or edit).

use kms_core::scenario::ScenarioRun;
use kms_core::scenario::challenge::{Challenge, ChallengeFile};
use serde_json::{Value, json};

/// A challenge's run, with its challenge (`.1`).
struct Loaded(ScenarioRun, Challenge);

impl Loaded {
    fn attempt(&self, texts: &[String]) -> kms_core::scenario::challenge::Attempt {
        self.0.attempt(&self.1, texts).unwrap()
    }
    fn editable_text(&self, i: usize) -> Option<String> {
        self.0.editable_text(&self.1, i)
    }
}

fn load(id: &str) -> Loaded {
    load_file(&format!(
        "{}/challenges/{id}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// The example a docs author copies (`docs/example-challenge.json`).
const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../docs/example-challenge.json"
);

fn load_file(path: &str) -> Loaded {
    let id = path.rsplit('/').next().unwrap_or(path);
    let text = std::fs::read_to_string(path).unwrap();
    let file = ChallengeFile::parse(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
    let run = file.start().unwrap_or_else(|e| panic!("{id}: {e}"));
    Loaded(run, file.challenge)
}

fn policy(statements: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

const ROOT: &str = "arn:aws:iam::111122223333:root";
const APP: &str = "arn:aws:iam::111122223333:role/App";
const ADMIN: &str = "arn:aws:iam::111122223333:role/KeyAdmin";
const USE: [&str; 5] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/// The narrations of the checks that failed.
fn failed(run: &Loaded, texts: &[String]) -> Vec<String> {
    let attempt = run.attempt(texts);
    assert!(
        attempt.edits.iter().all(|e| e.passed),
        "an edit was refused: {:?}",
        attempt.edits
    );
    attempt
        .checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| c.narration.clone())
        .collect()
}

#[test]
fn every_challenge_has_a_solution_that_passes() {
    let dir = format!("{}/challenges", env!("CARGO_MANIFEST_DIR"));
    let mut count = 0;
    let files = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string());
    for path in files.chain([EXAMPLE.to_string()]) {
        let id = path.rsplit('/').next().unwrap().to_string();
        let run = load_file(&path);
        let challenge = run.1.clone();
        assert!(!challenge.hints.is_empty(), "{id}: no hints");
        let attempt = run.attempt(&challenge.solution);
        assert!(
            attempt.passed(),
            "{id}: the solution fails: {:?}",
            attempt
                .checks
                .iter()
                .chain(&attempt.edits)
                .filter(|c| !c.passed)
                .map(|c| (&c.narration, &c.failures))
                .collect::<Vec<_>>()
        );
        // Each check reports the decisions that made it, so a failure teaches.
        for check in attempt.checks.iter().filter(|c| c.request.is_some()) {
            assert!(
                !check.authorizations.is_empty(),
                "{id}: {}",
                check.narration
            );
        }
        // The editor starts from the world's text.
        for i in 0..challenge.editable.len() {
            assert!(
                run.editable_text(i).is_some(),
                "{id}: editable {i} has no text"
            );
        }
        // As started, the challenge is not solved already.
        let start: Vec<String> = (0..challenge.editable.len())
            .map(|i| run.editable_text(i).unwrap())
            .collect();
        assert!(
            !run.attempt(&start).passed(),
            "{id}: solved without a change"
        );
        count += 1;
    }
    count -= 1; // the docs' example is not built in
    assert!(count >= 8, "{count} challenges");
    // Every file is listed once among the built-in challenges, and only those.
    let listed: Vec<&str> = kms_core::scenario::builtin::CHALLENGES
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(listed.len(), count);
}

#[test]
fn giving_the_app_disable_key_fails_the_separation_check() {
    let run = load("challenge-app-without-disable");
    let wrong = policy(json!([
        {"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:Put*", "kms:Disable*"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DisableKey"], "Resource": "*"}
    ]));
    assert_eq!(failed(&run, &[wrong]), ["App cannot disable the key"]);
}

#[test]
fn an_admin_without_put_key_policy_is_refused_by_the_lockout_check() {
    let run = load("challenge-lockout-separate-admins");
    let wrong = policy(json!([
        {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": ["kms:Describe*", "kms:Get*", "kms:Disable*"], "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": APP}, "Action": USE, "Resource": "*"}
    ]));
    let attempt = run.attempt(&[wrong]);
    assert!(!attempt.passed());
    let edit = &attempt.edits[0];
    assert_eq!(
        edit.error.as_ref().map(|e| e.name()),
        Some("MalformedPolicyDocumentException"),
        "{edit:?}"
    );
    assert!(attempt.checks.is_empty());
    // The run itself is unchanged by attempts.
    let again = run.attempt(&run.1.solution.clone());
    assert!(again.passed());
}

#[test]
fn a_deny_on_caller_account_alone_breaks_aurora() {
    let run = load("challenge-deny-outside-account");
    let share = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"], "Resource": "*"});
    let root =
        json!({"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "kms:*", "Resource": "*"});
    let deny_accounts = policy(json!([root, share,
        {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
         "Condition": {"StringNotEquals": {"kms:CallerAccount": "111122223333"}}}]));
    assert_eq!(
        failed(&run, &[deny_accounts]),
        [
            "An hour later the cluster is still available (RDS's own background checks are not denied)"
        ]
    );
    let no_deny = policy(json!([root, share]));
    assert_eq!(
        failed(&run, &[no_deny]),
        ["Staging is refused, even with the sharing statement"]
    );
}

#[test]
fn a_grant_without_a_constraint_opens_every_tenant() {
    let run = load("challenge-grant-by-context");
    let wrong = json!({"Action": "kms:CreateGrant", "Parameters": {"KeyId": "${key}",
        "GranteePrincipal": APP, "Operations": ["Decrypt"]}})
    .to_string();
    assert_eq!(failed(&run, &[wrong]), ["App cannot decrypt globex's data"]);
}

#[test]
fn a_decrypt_missing_a_pair_of_its_context_is_refused_when_saved() {
    let run = load("challenge-wrong-context");
    let start = run.editable_text(0).unwrap();
    // The learner edits the real blob, not the file's `${blob}`.
    assert!(!start.contains("${"), "{start}");
    let attempt = run.attempt(&[start]);
    assert_eq!(
        attempt.edits[0].error.as_ref().map(|e| e.name()),
        Some("InvalidCiphertextException")
    );
    // A request is sent, not saved.
    assert_eq!(attempt.edits[0].narration, "Sending the request");
    // Not JSON at all is said, not guessed.
    let attempt = run.attempt(&["{".into()]);
    assert!(
        attempt.edits[0].failures[0].contains("not JSON"),
        "{:?}",
        attempt.edits[0]
    );
}

#[test]
fn the_staging_side_alone_is_not_enough() {
    let run = load("challenge-share-snapshot");
    let solution = run.1.solution.clone();
    // Only staging's IAM policy: the key policy still names no one there.
    let key_policy_as_is = run.editable_text(0).unwrap();
    assert_eq!(
        failed(&run, &[key_policy_as_is, solution[1].clone()]),
        ["Staging restores the shared snapshot"]
    );
    // Only the key policy: staging's role has no kms permission.
    assert_eq!(
        failed(
            &run,
            &[
                solution[0].clone(),
                policy(json!([{"Effect": "Allow", "Action": "rds:*", "Resource": "*"}]))
            ]
        ),
        ["Staging restores the shared snapshot"]
    );
}

#[test]
fn a_copy_still_under_the_managed_key_cannot_be_shared() {
    let run = load("challenge-managed-key-snapshot");
    let copy = json!({"Action": "rds:CopyDBClusterSnapshot", "Parameters": {
        "SourceDBClusterSnapshotIdentifier": "nightly", "TargetDBClusterSnapshotIdentifier": "nightly-shared"}})
    .to_string();
    let share = run.editable_text(1).unwrap();
    let attempt = run.attempt(&[copy, share]);
    assert!(attempt.edits[0].passed);
    assert_eq!(
        attempt.edits[1].error.as_ref().map(|e| e.name()),
        Some("InvalidParameterValue")
    );
}

#[test]
fn describing_the_key_does_not_heal_the_cluster() {
    let run = load("challenge-recover-cluster");
    let describe = run.editable_text(0).unwrap();
    let failed = failed(&run, &[describe]);
    assert_eq!(
        failed,
        [
            "An hour later the cluster is available again",
            "The key is enabled"
        ]
    );
}

#[test]
fn the_docs_example_fails_without_its_condition() {
    let run = load_file(EXAMPLE);
    let arn = run.0.expand("${key_arn}");
    let any_context = policy(json!([
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": arn}
    ]));
    assert_eq!(
        failed(&run, &[any_context]),
        ["Reports cannot decrypt HR data"]
    );
}

#[test]
fn the_story_player_names_a_challenge_file_as_such() {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    let refused = kms_core::scenario::Scenario::parse(&text).unwrap_err();
    assert!(refused.is_challenge_file(), "{refused}");
    assert!(refused.to_string().contains("workbench"), "{refused}");
    // A broken scenario is not taken for a challenge.
    let broken = kms_core::scenario::Scenario::parse(r#"{"Id": "x", "Steps": 3}"#).unwrap_err();
    assert!(!broken.is_challenge_file(), "{broken}");
}
