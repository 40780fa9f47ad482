//! The project's task runner.
//!
//! `cargo xtask serve [--port N] [--dev]`: install what is missing, build the
//! playground with Trunk and serve it on 127.0.0.1.
//! `cargo xtask test`: install what is missing, then run every check, stopping
//! at the first failure, and end with one `N passed, N failed` line.
//! `cargo xtask bench [--quick]`: the same workloads natively and in the
//! browser, with `openssl speed` as the physical reference, in one table.
//! `cargo xtask fuzz [--seconds N] [TARGET…]`: every cargo-fuzz target of
//! `fuzz/`, seeded from the built-in stories (not part of `test`).

mod bench;
mod fuzz;
mod process;
mod static_server;
mod test;
mod toolchain;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask serve [--port N] [--dev]   build the playground and serve it on 127.0.0.1 (default port 8080)
  cargo xtask test                       install the toolchain if needed, then run every check
  cargo xtask bench [--quick]            the benchmarks natively and in headless Chromium, side by side
  cargo xtask fuzz [--seconds N] [TARGET...]   run the fuzz targets (default 60 s each): blob, policy, request, scenario, world_import";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") if args.len() == 1 => test::run(&workspace_root()),
        Some("bench") if args.len() <= 2 => match args.get(1).map(String::as_str) {
            None => bench::run(&workspace_root(), false),
            Some("--quick") => bench::run(&workspace_root(), true),
            Some(other) => Err(format!("unknown option {other:?} for bench\n{USAGE}")),
        },
        Some("fuzz") => fuzz::run(&workspace_root(), &args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command {args:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: xtask lives one folder below it.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Trunk's build of the policy workbench (`workbench.html`) into
/// `target/workbench`, which the playground's build copies to `/workbench/`:
/// a second wasm that only the workbench page loads.
pub fn workbench_build(tools: &toolchain::Tools, root: &Path, release: bool) -> Command {
    let mut trunk = tools.command("trunk");
    trunk.current_dir(root).args(["build", "workbench.html"]);
    if release {
        trunk.arg("--release");
    }
    trunk
        .args(["--offline", "--public-url", "/workbench/", "--dist"])
        .arg(root.join("target").join("workbench"));
    trunk
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut port: u16 = 8080;
    let mut release = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--port" => {
                port = rest
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a number from 1 to 65535")?;
            }
            "--dev" => release = false,
            other => return Err(format!("unknown option {other:?} for serve\n{USAGE}")),
        }
    }
    let root = workspace_root();
    let tools = toolchain::ensure(&root, toolchain::Needs::Serve)?;
    println!("==> building the policy workbench (its own page and wasm, served at /workbench/)");
    process::run_inherit(&mut workbench_build(&tools, &root, release))?;
    println!("==> serving the playground at http://127.0.0.1:{port}/ (Ctrl-C stops)");
    let mut trunk = tools.command("trunk");
    trunk.current_dir(&root).arg("serve");
    if release {
        trunk.arg("--release");
    }
    trunk.args([
        "--offline",
        "--address",
        "127.0.0.1",
        "--port",
        &port.to_string(),
    ]);
    process::run_inherit(&mut trunk)
}
