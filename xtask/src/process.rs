//! Running child processes and reporting what they did.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

/// Runs `cmd` with its output shown to the user; an error names the command.
pub fn run_inherit(cmd: &mut Command) -> Result<(), String> {
    let shown = describe(cmd);
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `cmd` like [`run_inherit`], its output shown as it comes, and on
/// failure ends the error with what failed: the lines that name a failing
/// test, a panic and its message, or an error. A CI log keeps only its tail,
/// and the tail is where this digest lands.
pub fn run_with_digest(cmd: &mut Command) -> Result<(), String> {
    let shown = describe(cmd);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let digest = Arc::new(Mutex::new(Digest::default()));
    let forwarders = [
        child.stdout.take().map(|out| forward(out, false, &digest)),
        child.stderr.take().map(|err| forward(err, true, &digest)),
    ];
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` could not be waited for: {e}"))?;
    for forwarder in forwarders.into_iter().flatten() {
        let _ = forwarder.join();
    }
    if status.success() {
        return Ok(());
    }
    let digest = digest.lock().map(|d| d.render()).unwrap_or_default();
    Err(format!("`{shown}` failed ({status}){digest}"))
}

/// Copies `from` line by line to this process's stdout or stderr, noting
/// in `digest` the lines that say what failed.
fn forward(
    from: impl Read + Send + 'static,
    to_stderr: bool,
    digest: &Arc<Mutex<Digest>>,
) -> thread::JoinHandle<()> {
    let digest = Arc::clone(digest);
    thread::spawn(move || {
        let mut reader = BufReader::new(from);
        let mut line = Vec::new();
        while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
            let _ = if to_stderr {
                io::stderr().write_all(&line)
            } else {
                io::stdout().write_all(&line)
            };
            if let Ok(mut digest) = digest.lock() {
                digest.note(&String::from_utf8_lossy(&line));
            }
            line.clear();
        }
    })
}

/// The lines of a failed command's output worth repeating at its end.
#[derive(Default)]
struct Digest {
    lines: Vec<String>,
    /// Lines still to keep after a panic: its message follows it.
    following: usize,
}

impl Digest {
    const MOST: usize = 60;

    fn note(&mut self, line: &str) {
        let line = line.trim_end();
        let wanted = (self.following > 0 && !line.is_empty()) || Self::says_what_failed(line);
        self.following = if line.contains("panicked at") {
            4
        } else if line.is_empty() {
            0
        } else {
            self.following.saturating_sub(1)
        };
        if wanted && self.lines.len() < Self::MOST {
            self.lines.push(line.chars().take(300).collect());
        }
    }

    fn says_what_failed(line: &str) -> bool {
        let trimmed = line.trim_start();
        // `... FAILED` natively, `... FAIL` from wasm-bindgen-test.
        line.ends_with("... FAILED")
            || line.ends_with("... FAIL")
            || line.contains("panicked at")
            || line.contains("timed out")
            || line.contains("Failed to detect test")
            // A full disk: the linker's mapped output file faults.
            || line.contains("Bus error")
            || line.contains("No space left")
            || trimmed.starts_with("error")
            || trimmed.starts_with("Error")
            || trimmed.starts_with("FAIL")
    }

    fn render(&self) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let mut text = String::from("\n  what it said of the failure:");
        for line in &self.lines {
            text.push_str("\n    ");
            text.push_str(line);
        }
        if self.lines.len() == Self::MOST {
            text.push_str("\n    (and more above)");
        }
        text
    }
}

/// The trimmed standard output of `cmd`, or `None` when it cannot run or fails.
pub fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A command as a user would type it.
pub fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::Digest;

    #[test]
    fn the_digest_keeps_the_failing_test_and_its_panic_message() {
        let mut digest = Digest::default();
        for line in [
            "test passes_fine ... ok",
            "test the_form_names_a_key ... FAILED",
            "test an_unmounted_playground_leaves_the_window_alone ... FAIL",
            "Compiling kms-core v0.1.0",
            "panicked at wasm-tests/tests/ui.rs:12:5:",
            "no element with data-testid=send",
            "",
            "later noise",
            "Error: missing field `chunk`",
            "collect2: fatal error: ld terminated with signal 7 [Bus error]",
        ] {
            digest.note(line);
        }
        assert_eq!(
            digest.render(),
            "\n  what it said of the failure:\
             \n    test the_form_names_a_key ... FAILED\
             \n    test an_unmounted_playground_leaves_the_window_alone ... FAIL\
             \n    panicked at wasm-tests/tests/ui.rs:12:5:\
             \n    no element with data-testid=send\
             \n    Error: missing field `chunk`\
             \n    collect2: fatal error: ld terminated with signal 7 [Bus error]"
        );
    }
}
