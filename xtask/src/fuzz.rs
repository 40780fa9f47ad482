//! `cargo xtask fuzz [--seconds N] [TARGET…]`: installs cargo-fuzz if it is
//! missing, seeds each target's corpus from the built-in stories (the
//! scenario files, the worlds they end in, their requests, policies and
//! ciphertext blobs), runs every target of `fuzz/` for N seconds (default
//! 60) and prints one line per target: inputs tried, time, findings.
//! Not part of `cargo xtask test`: a short proptest sweep of the same entry
//! points is (`core/tests/properties.rs`).

use crate::process::describe;
use crate::toolchain::{self, Needs};
use kms_core::scenario::{ScenarioRun, builtin};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

/// The targets of `fuzz/fuzz_targets`, each named after what it reads.
pub const TARGETS: [&str; 5] = ["blob", "policy", "request", "scenario", "world_import"];

/// Runs the fuzzers; fails if any found a crash, a hang or a leak.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut seconds: u64 = 60;
    let mut chosen = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = rest
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s| *s > 0)
                    .ok_or("--seconds needs a whole number of seconds")?;
            }
            t if TARGETS.contains(&t) => chosen.push(t),
            other => {
                return Err(format!(
                    "unknown fuzz option or target {other:?}; targets: {}",
                    TARGETS.join(", ")
                ));
            }
        }
    }
    if chosen.is_empty() {
        chosen = TARGETS.to_vec();
    }
    let tools = toolchain::ensure(root, Needs::Fuzz)?;
    let work = root.join("target").join("fuzz");
    println!("==> seeding the corpora from the built-in stories");
    let seeded = seed(&work.join("seeds"))?;
    let mut report = Vec::new();
    for target in chosen {
        let corpus = work.join("corpus").join(target);
        let artifacts = work.join("artifacts").join(target);
        for dir in [&corpus, &artifacts] {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {dir:?}: {e}"))?;
        }
        let mut cmd = tools.command("cargo");
        cmd.current_dir(root.join("fuzz"))
            .args(["fuzz", "run", target, "--sanitizer", "none"])
            .arg(&corpus)
            .arg(work.join("seeds").join(target))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-max_len=65536")
            .arg("-timeout=10")
            .arg("-rss_limit_mb=2048")
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", artifacts.display()));
        println!("\n==> [fuzz {target}] {}", describe(&cmd));
        let started = Instant::now();
        let output = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = log.lines().rev().take(12).collect();
        for line in tail.iter().rev() {
            println!("    {line}");
        }
        let runs = stat(&log, "stat::number_of_executed_units:").unwrap_or(0);
        let findings = std::fs::read_dir(&artifacts)
            .map(|d| d.filter_map(Result::ok).count())
            .unwrap_or(0);
        report.push((
            target,
            runs,
            started.elapsed().as_secs(),
            findings,
            output.status.success(),
        ));
    }
    println!("\nfuzzing, seeded with {seeded} inputs from the built-in stories:");
    println!(
        "  {:<13} {:>12} {:>8} {:>9}",
        "target", "inputs", "seconds", "findings"
    );
    for (target, runs, secs, findings, _) in &report {
        println!("  {target:<13} {runs:>12} {secs:>8} {findings:>9}");
    }
    let failed: Vec<&str> = report
        .iter()
        .filter(|(_, _, _, findings, ok)| *findings > 0 || !ok)
        .map(|(t, ..)| *t)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "findings in {} (inputs under target/fuzz/artifacts/; replay one with `cargo fuzz run <target> -s none <file>` in fuzz/)",
            failed.join(", ")
        ))
    }
}

fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines()
        .filter_map(|l| l.trim().strip_prefix(name))
        .filter_map(|v| v.trim().parse().ok())
        .next_back()
}

/// Writes every seed; returns how many.
fn seed(dir: &Path) -> Result<usize, String> {
    let mut seeds: Vec<(&str, Vec<u8>)> = Vec::new();
    for entry in builtin::INDEX {
        if let Some(text) = builtin::text(entry.id) {
            seeds.push(("scenario", text.as_bytes().to_vec()));
        }
    }
    let root = crate::workspace_root();
    if let Ok(text) = std::fs::read(root.join("docs").join("example-scenario.json")) {
        seeds.push(("scenario", text));
    }
    for scenario in builtin::all().map_err(|e| e.0)? {
        let mut run = ScenarioRun::start(&scenario).map_err(|e| e.0)?;
        let mut values = Vec::new();
        for result in run.run_to_end() {
            if let Some(request) = &result.request {
                seeds.push(("request", request.to_string().into_bytes()));
                values.push(request.clone());
            }
            values.extend(result.response.clone());
        }
        seeds.push(("world_import", run.world().export_json().into_bytes()));
        let mut strings = BTreeSet::new();
        for v in &values {
            collect(v, &mut strings);
        }
        for (field, text) in strings {
            match field.as_str() {
                "Policy" | "PolicyDocument" | "AssumeRolePolicyDocument" => {
                    seeds.push(("policy", text.into_bytes()))
                }
                "CiphertextBlob" => {
                    if let Some(bytes) = kms_core::base64_blob::decode(&text) {
                        seeds.push(("blob", bytes));
                    }
                }
                _ => {}
            }
        }
    }
    for (i, (target, bytes)) in seeds.iter().enumerate() {
        let at: PathBuf = dir.join(target);
        std::fs::create_dir_all(&at).map_err(|e| format!("cannot create {at:?}: {e}"))?;
        std::fs::write(at.join(format!("seed-{i:04}")), bytes)
            .map_err(|e| format!("cannot write a seed: {e}"))?;
    }
    Ok(seeds.len())
}

/// Every (field name, string value) pair in a JSON value.
fn collect(value: &Value, out: &mut BTreeSet<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if let Value::String(s) = v {
                    out.insert((k.clone(), s.clone()));
                }
                collect(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}
