//! `cargo xtask test`: every check the project has, in order, stopping at the
//! first failure and naming it. Ends with the plain `N passed, N failed` line.

use crate::process::{describe, output_of, run_with_digest};
use crate::static_server::StaticServer;
use crate::toolchain::{self, Tools};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Seconds a single wasm-bindgen test may take in Chromium.
const WASM_TEST_TIMEOUT_SECS: &str = "120";

struct Step {
    name: &'static str,
    commands: Vec<Command>,
}

fn cargo(tools: &Tools, root: &Path, args: &[&str]) -> Command {
    let mut cmd = tools.command("cargo");
    cmd.current_dir(root).args(args);
    // Incremental state is for editing, not for a run that builds once: it
    // was 2.5 GB of a cold run's 9.0 GB under target/ (Cargo.toml's
    // [profile.dev] has the rest of that story).
    if std::env::var_os("CARGO_INCREMENTAL").is_none() {
        cmd.env("CARGO_INCREMENTAL", "0");
    }
    cmd
}

/// Free space on the filesystem holding `path`, as `df` reports it: a build
/// that runs out of disk fails in odd ways (the linker's "Bus error"), so
/// the run says how much there was.
fn free_space(path: &Path) -> Option<String> {
    let out = output_of(Command::new("df").arg("-Pk").arg(path))?;
    let kib: u64 = out
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(format!("{:.1} GB", kib as f64 * 1024.0 / 1e9))
}

fn steps(tools: &Tools, root: &Path, dist: &Path) -> Vec<Step> {
    let wasm = "wasm32-unknown-unknown";
    let mut wasm_tests = cargo(
        tools,
        root,
        // Every suite runs, so one CI log names every failing test.
        &[
            "test",
            "-p",
            "kms-wasm-tests",
            "--target",
            wasm,
            "--no-fail-fast",
        ],
    );
    wasm_tests
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", WASM_TEST_TIMEOUT_SECS)
        // The runner gives chromedriver 5 s to start by default; a 2-core CI
        // machine still busy from the build can take longer.
        .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30");
    let workbench = crate::workbench_build(tools, root, true);
    let mut trunk = tools.command("trunk");
    trunk
        .current_dir(root)
        .args(["build", "--release", "--offline", "--dist"])
        .arg(dist);
    vec![
        Step {
            name: "format (cargo fmt --check)",
            commands: vec![cargo(tools, root, &["fmt", "--all", "--", "--check"])],
        },
        Step {
            name: "clippy, native",
            commands: vec![cargo(
                tools,
                root,
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    // The benchmarks' workloads and criterion benches too.
                    "--features",
                    "kms-core/bench",
                    "--",
                    "-D",
                    "warnings",
                ],
            )],
        },
        Step {
            name: "clippy, wasm32",
            commands: vec![
                // The browser's kms-core: no_std, no default features.
                cargo(
                    tools,
                    root,
                    &[
                        "clippy",
                        "-p",
                        "kms-core",
                        "--no-default-features",
                        "--lib",
                        "--target",
                        wasm,
                        "--",
                        "-D",
                        "warnings",
                    ],
                ),
                cargo(
                    tools,
                    root,
                    &[
                        "clippy",
                        "-p",
                        "kms-web",
                        "-p",
                        "kms-wasm-tests",
                        // The Terraform translation runs in the browser too.
                        "-p",
                        "kms-terraform",
                        "-p",
                        "kms-workbench",
                        "--all-targets",
                        // Also checks the browser benchmark, so it cannot rot.
                        "--features",
                        "kms-wasm-tests/bench",
                        "--target",
                        wasm,
                        "--",
                        "-D",
                        "warnings",
                    ],
                ),
            ],
        },
        Step {
            name: "tests, native",
            commands: vec![cargo(
                tools,
                root,
                &["test", "--workspace", "--features", "kms-core/bench"],
            )],
        },
        Step {
            name: "tests, wasm in headless Chromium",
            commands: vec![wasm_tests],
        },
        Step {
            name: "Trunk release build",
            commands: vec![workbench, trunk],
        },
    ]
}

/// Runs every step; returns an error naming the first one that failed.
pub fn run(root: &Path) -> Result<(), String> {
    let tools = toolchain::ensure(root, toolchain::Needs::Test)?;
    let dist = root.join("target").join("dist-test");
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let mut failure = None;
    // The page's first load, as the end-to-end step measures it (written
    // by the step, so a run that stops earlier prints none).
    let first_load = root.join("target").join("e2e").join("first-load.txt");
    let _ = std::fs::remove_file(&first_load);
    let target = root.join("target");
    let _ = std::fs::create_dir_all(&target);
    let free_at_start = free_space(&target);
    if let Some(free) = &free_at_start {
        println!("==> disk: {free} free where target/ is");
    }

    for step in steps(&tools, root, &dist) {
        let started = Instant::now();
        let result = step.commands.into_iter().try_for_each(|mut cmd| {
            println!("\n==> [{}] {}", step.name, describe(&cmd));
            run_with_digest(&mut cmd)
        });
        timings.push((step.name, started.elapsed()));
        if let Err(e) = result {
            failure = Some((step.name, e));
            break;
        }
    }
    if failure.is_none() {
        let name = "end-to-end smoke, built page in headless Chromium";
        let started = Instant::now();
        let result = smoke(&tools, root, &dist);
        timings.push((name, started.elapsed()));
        if let Err(e) = result {
            failure = Some((name, e));
        }
    }

    println!("\nstep timings:");
    for (name, took) in &timings {
        println!("  {:>7.1}s  {name}", took.as_secs_f64());
    }
    if let Ok(figure) = std::fs::read_to_string(&first_load) {
        println!("\nfirst load: {figure}");
    }
    if let (Some(start), Some(end)) = (&free_at_start, free_space(&target)) {
        println!("disk free where target/ is: {start} at the start, {end} at the end");
    }
    let failed = usize::from(failure.is_some());
    if let Some((name, error)) = &failure {
        println!("\nFAILED step: {name}\n  {error}");
    }
    println!("{} passed, {} failed", timings.len() - failed, failed);
    match failure {
        Some((name, _)) => Err(format!("step failed: {name}")),
        None => Ok(()),
    }
}

/// Serves the Trunk build on a free loopback port and loads it in headless
/// Chromium with playwright-core; the script fails on any page error, console
/// error, or an app that did not mount, and saves a screenshot under target/.
fn smoke(tools: &Tools, root: &Path, dist: &Path) -> Result<(), String> {
    let server = StaticServer::start(dist)?;
    let shots = root.join("target").join("e2e");
    std::fs::create_dir_all(&shots).map_err(|e| format!("cannot create {shots:?}: {e}"))?;
    let mut node = tools.command("node");
    node.current_dir(root)
        .arg(root.join("xtask").join("e2e").join("smoke.cjs"))
        .arg(server.url())
        .arg(&shots)
        .env("NODE_PATH", tools.npm_dir.join("node_modules"))
        .env("CHROMIUM", &tools.chromium);
    println!("\n==> [end-to-end smoke] {}", describe(&node));
    run_with_digest(&mut node)
}
