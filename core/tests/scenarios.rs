//! Every built-in scenario replays natively and every step does what it says.

use kms_core::scenario::{Scenario, ScenarioRun, builtin};

#[test]
fn every_builtin_scenario_passes_every_step() {
    let all = builtin::all().unwrap_or_else(|e| panic!("a built-in scenario does not parse: {e}"));
    assert_eq!(all.len(), builtin::INDEX.len());
    for scenario in &all {
        let mut run =
            ScenarioRun::start(scenario).unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
        let results = run.run_to_end();
        assert_eq!(results.len(), scenario.steps.len());
        for r in results {
            assert!(
                r.passed,
                "{} step {} ({}):\n  {}\n  request: {}\n  error: {:?}",
                scenario.id,
                r.index + 1,
                r.narration.chars().take(80).collect::<String>(),
                r.failures.join("\n  "),
                r.request
                    .as_ref()
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                r.error,
            );
        }
    }
}

#[test]
fn builtin_ids_match_their_files_and_are_unique() {
    let mut seen = std::collections::BTreeSet::new();
    for entry in builtin::INDEX {
        let id = entry.id;
        let scenario = Scenario::parse(builtin::text(id).unwrap()).unwrap();
        assert_eq!(scenario.id, id);
        // The index the playground lists is the files' own title and tag.
        assert_eq!(scenario.title, entry.title, "{id}");
        assert_eq!(scenario.story.as_deref(), entry.story, "{id}");
        assert!(seen.insert(id), "duplicate id {id}");
        assert!(
            !scenario.summary.is_empty() && scenario.steps.iter().all(|s| !s.narration.is_empty()),
            "{id}: every step is narrated"
        );
    }
}

#[test]
fn every_scenario_file_is_registered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut registered: Vec<String> = builtin::INDEX.iter().map(|e| e.id.to_string()).collect();
    registered.sort();
    assert_eq!(
        files, registered,
        "core/scenarios/*.json and the ORDER of core/build.rs must list the same scenarios"
    );
}

#[test]
fn replaying_a_scenario_twice_gives_the_same_world() {
    for scenario in builtin::all().unwrap() {
        let mut a = ScenarioRun::start(&scenario).unwrap();
        let mut b = ScenarioRun::start(&scenario).unwrap();
        a.run_to_end();
        b.run_to_end();
        assert_eq!(
            a.world().state().kms,
            b.world().state().kms,
            "{}",
            scenario.id
        );
        assert_eq!(
            a.world().export_json(),
            b.world().export_json(),
            "{}",
            scenario.id
        );
    }
}

#[test]
fn malformed_scenarios_name_the_step_and_field() {
    let base = |steps: &str| {
        format!(
            r#"{{"Id": "t", "Title": "t", "Summary": "s", "Accounts": [{{"Id": "111122223333", "Name": "production"}}], "Steps": {steps}}}"#
        )
    };
    let cases = [
        ("not json".to_string(), "not valid JSON"),
        (base(r#"[{"Narration": "x", "Requst": {}}]"#), "Step 1: unknown field `Requst`"),
        (base(r#"[{"Narration": "x", "Advance": "5m"}, {"Narration": "y", "Advance": "soon"}]"#), "Step 2: Advance \"soon\""),
        (base(r#"[{"Narration": "x", "Request": {"Action": "kms:Teleport", "Parameters": {}}}]"#), "Step 1: Request is not valid"),
        (base(r#"[{"Narration": "x", "Request": {"Action": "kms:CreateKey", "Parameters": {"KeySpecs": "x"}}}]"#), "KeySpecs"),
        (base(r#"[{"Narration": "x"}]"#), "Step 1: a step needs a Request, an Advance or Checks"),
        (base(r#"[{"Narration": "x", "Advance": "1m", "Expect": {}}]"#), "Step 1: Expect needs a Request"),
        (base(r#"[]"#), "at least one step"),
        (base(r#"[{"Narration": "x", "Checks": [{"ClusterStatus": {"Cluster": "a"}}]}]"#), "Step 1: missing field `Equals`"),
        (base(r#"{"a": 1}"#), "Steps must be a list"),
        (r#"{"Id": "Bad Id", "Title": "t", "Summary": "s", "Accounts": [{"Id": "1", "Name": "p"}], "Steps": []}"#.to_string(), "Id \"Bad Id\""),
    ];
    for (text, needle) in cases {
        let e = Scenario::parse(&text).unwrap_err();
        assert!(e.0.contains(needle), "{needle}: {e}");
    }
}

#[test]
fn a_failing_expectation_is_reported_not_hidden() {
    let text = r#"{"Id": "t", "Title": "t", "Summary": "s", "Accounts": [{"Id": "111122223333", "Name": "production"}],
      "Steps": [{"Narration": "x", "Request": {"Action": "kms:DescribeKey", "Parameters": {"KeyId": "alias/nope"}}, "Expect": {"Error": "DisabledException"}}]}"#;
    let scenario = Scenario::parse(text).unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let result = run.step().unwrap().clone();
    assert!(!result.passed);
    assert!(
        result.failures[0].contains("expected DisabledException, got NotFoundException"),
        "{:?}",
        result.failures
    );
    assert!(run.step().is_none());
}

/// A step's request is shown as the story sent it: S2's "same pairs in
/// another order" must not come back re-sorted, or the learner sees two
/// identical requests.
#[test]
fn requests_keep_the_order_they_were_written_in() {
    let scenario = builtin::all()
        .unwrap()
        .into_iter()
        .find(|s| s.id == "encryption-context")
        .unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let results = run.run_to_end();
    let context = |i: usize| {
        results[i].request.as_ref().unwrap()["Parameters"]["EncryptionContext"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let reordered = results
        .iter()
        .position(|r| r.narration.contains("another order"))
        .unwrap();
    assert_eq!(context(reordered - 1), ["tenant", "purpose"]);
    assert_eq!(context(reordered), ["purpose", "tenant"]);
    let written = results[reordered].request.as_ref().unwrap().to_string();
    assert!(
        written.find("\"Action\"") < written.find("\"Parameters\""),
        "{written}"
    );
}

#[test]
fn every_builtin_story_ends_with_a_recap() {
    for s in builtin::all().unwrap() {
        let recap = s.recap.as_deref().unwrap_or_default();
        assert!(recap.len() > 80, "{} has no recap", s.id);
    }
}

/// The rotation story encrypts after each rotation, so the learner sees
/// backing-key versions 1, 2 and 3 in the envelope.
#[test]
fn the_rotation_story_shows_each_backing_key_version() {
    let scenario = builtin::get("rotation-and-deletion").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let versions: Vec<u32> = run
        .run_to_end()
        .iter()
        .filter_map(|r| r.envelope.as_ref())
        .filter(|e| e.call == kms_core::kms::envelope::EnvelopeCall::Encrypt)
        .map(|e| e.backing_version)
        .collect();
    assert_eq!(versions, [1, 2, 3]);
}

/// The Aurora story lets the clock reach the terminal state.
#[test]
fn the_aurora_story_reaches_the_terminal_state() {
    let scenario = builtin::get("aurora-disable-key").unwrap();
    let mut run = ScenarioRun::start(&scenario).unwrap();
    let reached = run.run_to_end().iter().any(|r| {
        r.changes.iter().any(|c| {
            c.after.as_deref() == Some("inaccessible-encryption-credentials")
                && c.before.as_deref() == Some("inaccessible-encryption-credentials-recoverable")
        })
    });
    assert!(reached);
}

/// Every request of every story also reads as the AWS CLI command that
/// makes it.
#[test]
fn every_story_request_has_its_cli_command() {
    for s in builtin::all().unwrap() {
        let mut run = ScenarioRun::start(&s).unwrap();
        for r in run.run_to_end() {
            if let Some(sent) = &r.request {
                let command = kms_core::cli::aws_command(sent)
                    .unwrap_or_else(|| panic!("{} step {}: no command", s.id, r.index + 1));
                let action = sent["Action"].as_str().unwrap();
                let service = action.split(':').next().unwrap();
                assert!(command.starts_with(&format!("aws {service} ")), "{command}");
            }
        }
    }
}

/// The page shows cards newest first: a narration that continues the
/// previous step ("A new key..." then "... and UpdateAlias") reads
/// backwards there. Every step's narration stands on its own.
#[test]
fn every_narration_reads_on_its_own() {
    for scenario in builtin::all().unwrap() {
        for (i, step) in scenario.steps.iter().enumerate() {
            let n = step.narration.trim();
            assert!(
                !(n.starts_with("...")
                    || n.starts_with('…')
                    || n.ends_with("...")
                    || n.ends_with('…')),
                "{} step {}: {n}",
                scenario.id,
                i + 1
            );
        }
    }
}
