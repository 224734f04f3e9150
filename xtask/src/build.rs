//! Getting the runners ready: the Rust runner (the bench target `runner` of
//! weft-benches) and the Python venv with uvloop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// Builds the Rust runner with
/// `cargo bench -p weft-benches --bench runner --no-run --message-format=json`
/// and returns the `executable` of the compiler-artifact whose target is `runner`.
/// Cargo's own progress goes to stderr; compiler messages, which JSON output puts on
/// stdout, are printed rendered to stderr.
pub(crate) fn build_runner(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let args = [
        "bench",
        "-p",
        "weft-benches",
        "--bench",
        "runner",
        "--no-run",
        "--message-format=json",
    ];
    eprintln!("bench: building the runner: cargo {}", args.join(" "));
    let mut child = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut executable = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading cargo's output: {e}"))?;
        let Ok(msg) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        match msg["reason"].as_str() {
            Some("compiler-message") => {
                if let Some(text) = msg["message"]["rendered"].as_str() {
                    eprint!("{text}");
                }
            }
            Some("compiler-artifact") => {
                if let Some(exe) = artifact_executable(&msg, "runner") {
                    executable = Some(exe);
                }
            }
            _ => {}
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("waiting for cargo: {e}"))?;
    if !status.success() {
        return Err(format!("building the runner failed ({status})"));
    }
    executable.ok_or_else(|| {
        "cargo built no executable for the bench target `runner` of weft-benches".to_string()
    })
}

/// The executable of a compiler-artifact message for target `name`.
fn artifact_executable(msg: &Value, name: &str) -> Option<PathBuf> {
    if msg["target"]["name"].as_str() != Some(name) {
        return None;
    }
    msg["executable"].as_str().map(PathBuf::from)
}

/// What the Python runtimes run with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Python {
    /// The interpreter for asyncio (the venv's when there is one).
    pub(crate) interpreter: PathBuf,
    /// Whether `interpreter` can import uvloop.
    pub(crate) uvloop: bool,
}

/// The system's `python3`, if it runs.
pub(crate) fn system_python() -> Option<PathBuf> {
    let ok = Command::new("python3")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| PathBuf::from("python3"))
}

/// Prepares `dir/venv` with uvloop (when `want_uvloop`), reusing a venv that
/// already imports it. Any failure prints one line and leaves uvloop out; asyncio
/// then runs on the venv's interpreter if there is one, else on `python3`.
pub(crate) fn prepare_python(dir: &Path, system: &Path, want_uvloop: bool) -> Python {
    let venv = dir.join("venv");
    let venv_python = venv.join("bin").join("python");
    let fallback = |uvloop: bool| Python {
        interpreter: if venv_python.exists() {
            venv_python.clone()
        } else {
            system.to_path_buf()
        },
        uvloop,
    };
    if !want_uvloop {
        return fallback(false);
    }
    if venv_python.exists() && imports_uvloop(&venv_python) {
        eprintln!("uvloop: reusing the venv at {}", venv.display());
        return fallback(true);
    }
    if !venv_python.exists() {
        eprintln!("uvloop: creating a venv at {}", venv.display());
        if let Err(why) = quiet(Command::new(system).args(["-m", "venv"]).arg(&venv)) {
            eprintln!("uvloop: python3 -m venv failed ({why}); uvloop rows skipped");
            return fallback(false);
        }
    }
    eprintln!("uvloop: pip install uvloop");
    let pip = quiet(
        Command::new(&venv_python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .arg("uvloop"),
    );
    match pip {
        Err(why) => {
            eprintln!("uvloop: pip install failed ({why}); uvloop rows skipped");
            fallback(false)
        }
        Ok(()) if !imports_uvloop(&venv_python) => {
            eprintln!("uvloop: pip install failed (uvloop does not import); uvloop rows skipped");
            fallback(false)
        }
        Ok(()) => fallback(true),
    }
}

/// Whether `python` can import uvloop.
fn imports_uvloop(python: &Path) -> bool {
    quiet(Command::new(python).args(["-c", "import uvloop"])).is_ok()
}

/// Runs `cmd` with its output captured: `Err` holds the last line of its stderr
/// (or how it ended).
fn quiet(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string);
    Err(last.unwrap_or_else(|| out.status.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runner_artifact_is_found_by_target_name() {
        let runner = serde_json::json!({
            "reason": "compiler-artifact",
            "target": {"name": "runner", "kind": ["bench"]},
            "executable": "/w/target/release/deps/runner-0123abcd"
        });
        let lib = serde_json::json!({
            "reason": "compiler-artifact",
            "target": {"name": "weft_benches", "kind": ["lib"]},
            "executable": null
        });
        assert_eq!(
            artifact_executable(&runner, "runner"),
            Some(PathBuf::from("/w/target/release/deps/runner-0123abcd"))
        );
        assert_eq!(artifact_executable(&lib, "runner"), None);
        assert_eq!(artifact_executable(&runner, "timers"), None);
    }

    #[test]
    fn quiet_reports_the_last_stderr_line() {
        let err = quiet(Command::new("sh").args(["-c", "echo one >&2; echo two >&2; exit 3"]))
            .unwrap_err();
        assert_eq!(err, "two");
        assert!(quiet(Command::new("sh").args(["-c", "exit 0"])).is_ok());
    }
}
