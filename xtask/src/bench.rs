//! `cargo xtask bench`: criterion natively, the same workloads in headless
//! Chromium, a world's memory after a million calls, and `openssl speed`,
//! printed as one table (and written to target/benchmarks.md).

use crate::process::{describe, output_of, run_inherit};
use crate::toolchain::{self, Tools};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// Workloads measured in bytes per operation (the rest are operations).
fn bytes_per_op(name: &str) -> Option<f64> {
    if name.contains("64 MiB") {
        Some((64u64 << 20) as f64)
    } else if name.contains("1 MiB") {
        Some((1u64 << 20) as f64)
    } else {
        None
    }
}

pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let tools = toolchain::ensure(root, toolchain::Needs::Test)?;
    let native = native(&tools, root, quick)?;
    let memory = memory(&tools, root, quick)?;
    let browser = browser(&tools, root, quick)?;
    let openssl = openssl(quick);
    let table = render(&native, &browser, &memory, openssl, quick);
    println!("\n{table}");
    let out = root.join("target").join("benchmarks.md");
    std::fs::write(&out, &table).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("(written to {})", out.display());
    Ok(())
}

/// Mean operations per second of every criterion benchmark in group `kms`.
fn native(tools: &Tools, root: &Path, quick: bool) -> Result<BTreeMap<String, f64>, String> {
    let mut cmd = tools.command("cargo");
    cmd.current_dir(root).args([
        "bench",
        "-p",
        "kms-core",
        "--features",
        "bench",
        "--bench",
        "kms",
        "--",
    ]);
    if quick {
        cmd.args([
            "--warm-up-time",
            "0.2",
            "--measurement-time",
            "0.5",
            "--sample-size",
            "10",
        ]);
    }
    println!("==> [bench, native] {}", describe(&cmd));
    run_inherit(&mut cmd)?;
    let dir = root.join("target").join("criterion").join("kms");
    let mut results = BTreeMap::new();
    for entry in std::fs::read_dir(&dir)
        .map_err(|e| format!("no criterion results in {}: {e}", dir.display()))?
    {
        let path = entry.map_err(|e| e.to_string())?.path().join("new");
        let read = |file: &str| -> Option<serde_json::Value> {
            serde_json::from_str(&std::fs::read_to_string(path.join(file)).ok()?).ok()
        };
        let (Some(benchmark), Some(estimates)) = (read("benchmark.json"), read("estimates.json"))
        else {
            continue;
        };
        let name = benchmark["function_id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if let Some(nanos) = estimates["mean"]["point_estimate"]
            .as_f64()
            .filter(|n| *n > 0.0)
        {
            results.insert(name, 1e9 / nanos);
        }
    }
    Ok(results)
}

fn memory(tools: &Tools, root: &Path, quick: bool) -> Result<String, String> {
    let mut cmd = tools.command("cargo");
    cmd.current_dir(root)
        .args(["bench", "-p", "kms-core", "--bench", "memory", "--"]);
    if quick {
        cmd.arg("--quick");
    }
    println!("==> [bench, memory] {}", describe(&cmd));
    let output = captured(&mut cmd)?;
    output
        .lines()
        .find(|l| l.starts_with("MEMORY "))
        .map(str::to_string)
        .ok_or_else(|| "the memory benchmark printed no MEMORY line".to_string())
}

fn browser(tools: &Tools, root: &Path, quick: bool) -> Result<BTreeMap<String, f64>, String> {
    let mut cmd = tools.command("cargo");
    cmd.current_dir(root)
        .args([
            "test",
            "-p",
            "kms-wasm-tests",
            "--release",
            "--features",
            "bench",
            "--test",
            "browser_bench",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "--nocapture",
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "900");
    if quick {
        cmd.env("KMS_BENCH_QUICK", "1");
    } else {
        cmd.env_remove("KMS_BENCH_QUICK");
    }
    println!("==> [bench, browser] {}", describe(&cmd));
    let output = captured(&mut cmd)?;
    let results: BTreeMap<String, f64> = output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("BENCH\t"))
        .filter_map(|l| {
            let (name, rate) = l.rsplit_once('\t')?;
            Some((name.to_string(), rate.trim().parse().ok()?))
        })
        .collect();
    if results.is_empty() {
        return Err(format!(
            "the browser benchmark printed no BENCH lines:\n{output}"
        ));
    }
    Ok(results)
}

/// AES-256-GCM bytes per second on 16 KiB blocks, per `openssl speed`.
fn openssl(quick: bool) -> Option<f64> {
    let seconds = if quick { "1" } else { "3" };
    let output = output_of(Command::new("openssl").args([
        "speed",
        "-evp",
        "aes-256-gcm",
        "-seconds",
        seconds,
    ]))?;
    let line = output
        .lines()
        .rev()
        .find(|l| l.to_ascii_lowercase().starts_with("aes-256-gcm"))?;
    let last = line.split_whitespace().last()?.trim_end_matches('k');
    last.parse::<f64>().ok().map(|k| k * 1000.0)
}

fn captured(cmd: &mut Command) -> Result<String, String> {
    let shown = describe(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("`{shown}` failed ({})\n{text}", out.status))
    }
}

fn rate(name: &str, per_second: f64) -> String {
    match bytes_per_op(name) {
        Some(bytes) => format!("{:.0} MB/s", per_second * bytes / 1e6),
        None if per_second >= 1e6 => format!("{:.2} M/s", per_second / 1e6),
        None if per_second >= 1e3 => format!("{:.1} k/s", per_second / 1e3),
        None => format!("{per_second:.1} /s"),
    }
}

fn render(
    native: &BTreeMap<String, f64>,
    browser: &BTreeMap<String, f64>,
    memory: &str,
    openssl: Option<f64>,
    quick: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| workload | native | browser (wasm, Chromium) | browser / native |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: |");
    // The browser lists workloads in table order; natives without a browser figure follow.
    let mut order: Vec<&String> = browser.keys().collect();
    order.sort_by_key(|name| kms_order(name));
    for name in native.keys() {
        if !browser.contains_key(name) {
            order.push(name);
        }
    }
    for name in order {
        let n = native.get(name);
        let b = browser.get(name);
        let ratio = match (n, b) {
            (Some(n), Some(b)) => format!("{:.2}", b / n),
            _ => "-".into(),
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {ratio} |",
            n.map_or("-".into(), |v| rate(name, *v)),
            b.map_or("-".into(), |v| rate(name, *v)),
        );
    }
    if let Some(bytes) = openssl {
        let _ = writeln!(
            out,
            "\n`openssl speed -evp aes-256-gcm` (16 KiB blocks): {:.0} MB/s",
            bytes / 1e6
        );
        if let Some(bulk) = native.get("Bulk AES-256-GCM, 64 MiB") {
            let ours = bulk * (64u64 << 20) as f64;
            let _ = writeln!(
                out,
                "Native bulk AES-256-GCM (64 MiB) is {:.0}% of openssl's figure.",
                100.0 * ours / bytes
            );
        }
    }
    let _ = writeln!(out, "\nMemory: {memory}");
    if quick {
        let _ = writeln!(out, "\n(quick run: short measurements, figures are rough)");
    }
    out
}

/// The position of a workload in `kms_core::workloads::all()`'s order.
fn kms_order(name: &str) -> usize {
    kms_core::workloads::names()
        .iter()
        .position(|o| o == name)
        .unwrap_or(usize::MAX)
}
