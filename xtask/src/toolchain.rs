//! Installs what the project needs, idempotently: every step checks first and
//! says whether it found the tool or installs it. Versions are pinned here
//! (and, for wasm-bindgen, read from Cargo.lock) so nothing drifts.

use crate::process::{output_of, run_inherit};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// trunk 0.22 needs a newer rustc than the project's 1.95.
const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen (108) produces a wasm that dies at start; 132 works.
const BINARYEN_VERSION: &str = "132.0.0";
const PLAYWRIGHT_CORE_VERSION: &str = "1.64.1";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What a command needs installed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Building and serving the playground.
    Serve,
    /// Everything `serve` needs, plus a headless browser and its driver.
    Test,
    /// cargo-fuzz only (its targets build on the stable toolchain with
    /// `--sanitizer none`).
    Fuzz,
}

/// cargo-fuzz, for `cargo xtask fuzz`.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Where the installed tools are, and how to call them.
pub struct Tools {
    path: OsString,
    /// The project-local npm folder (git-ignored) with wasm-opt and playwright-core.
    pub npm_dir: PathBuf,
    /// Chromium's executable.
    pub chromium: PathBuf,
    /// ChromeDriver's executable.
    pub chromedriver: PathBuf,
}

impl Tools {
    /// A command whose `PATH` puts the project's tools first.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }
}

/// Makes sure every tool `needs` asks for is present, installing what is not.
pub fn ensure(root: &Path, needs: Needs) -> Result<Tools, String> {
    let npm_dir = root.join(".tools");
    let cargo_bin = cargo_home().join("bin");
    let mut dirs = vec![npm_dir.join("node_modules").join(".bin"), cargo_bin];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let path = std::env::join_paths(dirs).map_err(|e| format!("bad PATH: {e}"))?;
    let tools = Tools {
        path,
        npm_dir,
        chromium: PathBuf::from(CHROMIUM),
        chromedriver: PathBuf::from(CHROMEDRIVER),
    };

    if needs == Needs::Fuzz {
        cargo_tool(
            &tools,
            "cargo-fuzz",
            &["cargo-fuzz"],
            CARGO_FUZZ_VERSION,
            &[],
        )?;
        return Ok(tools);
    }
    wasm_target()?;
    cargo_tool(&tools, "trunk", &["trunk"], TRUNK_VERSION, &["--locked"])?;
    let bindgen = wasm_bindgen_version(root)?;
    // `--locked` fails for wasm-bindgen-cli: its lock file names a crate
    // version the registry no longer has.
    cargo_tool(
        &tools,
        "wasm-bindgen-cli",
        &["wasm-bindgen", "wasm-bindgen-test-runner"],
        &bindgen,
        &[],
    )?;
    let mut packages = vec![("binaryen", BINARYEN_VERSION)];
    if needs == Needs::Test {
        packages.push(("playwright-core", PLAYWRIGHT_CORE_VERSION));
        browser(&tools)?;
    }
    npm_packages(&tools, &packages)?;
    Ok(tools)
}

fn announce(what: &str, state: &str) {
    println!("==> toolchain: {what}: {state}");
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        announce(WASM_TARGET, "present");
        return Ok(());
    }
    announce(WASM_TARGET, "installing with rustup (seconds)");
    run_inherit(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Installs crate `krate` at `version` unless each of `binaries` already
/// reports that version.
fn cargo_tool(
    tools: &Tools,
    krate: &str,
    binaries: &[&str],
    version: &str,
    extra: &[&str],
) -> Result<(), String> {
    let present = binaries.iter().all(|bin| {
        output_of(tools.command(bin).arg("--version"))
            .is_some_and(|v| v.split_whitespace().any(|word| word == version))
    });
    if present {
        announce(&format!("{krate} {version}"), "present");
        return Ok(());
    }
    announce(
        &format!("{krate} {version}"),
        "installing with cargo install (several minutes, once)",
    );
    let mut cmd = tools.command("cargo");
    cmd.args(["install", krate, "--version", version])
        .args(extra);
    run_inherit(&mut cmd)
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn npm_packages(tools: &Tools, packages: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<String> = packages
        .iter()
        .filter(|(name, version)| {
            let manifest = tools
                .npm_dir
                .join("node_modules")
                .join(name)
                .join("package.json");
            let text = std::fs::read_to_string(manifest).unwrap_or_default();
            !text.contains(&format!("\"version\": \"{version}\""))
        })
        .map(|(name, version)| format!("{name}@{version}"))
        .collect();
    let names: Vec<String> = packages.iter().map(|(n, v)| format!("{n}@{v}")).collect();
    if missing.is_empty() {
        announce(&names.join(", "), "present in .tools/");
        return Ok(());
    }
    announce(
        &missing.join(", "),
        "installing with npm into .tools/ (a minute)",
    );
    std::fs::create_dir_all(&tools.npm_dir).map_err(|e| format!("cannot create .tools/: {e}"))?;
    let mut cmd = tools.command("npm");
    cmd.arg("install")
        .arg("--prefix")
        .arg(&tools.npm_dir)
        .args(["--no-audit", "--no-fund", "--save-exact"])
        .args(&missing);
    run_inherit(&mut cmd)
}

fn browser(tools: &Tools) -> Result<(), String> {
    if tools.chromium.exists() && tools.chromedriver.exists() {
        announce("chromium + chromium-driver (Debian)", "present");
        return Ok(());
    }
    let is_root = output_of(Command::new("id").arg("-u")).is_some_and(|uid| uid == "0");
    if !is_root {
        return Err(
            "Chromium and ChromeDriver are missing. Install them, then run this again:\n    \
             sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
                .into(),
        );
    }
    announce(
        "chromium + chromium-driver (Debian)",
        "installing with apt-get (a few minutes, once)",
    );
    run_inherit(Command::new("apt-get").args(["update", "-q"]))?;
    run_inherit(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
