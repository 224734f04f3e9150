//! Planning and running the runner processes: which (workload, mode) pairs run on
//! which runtimes, fresh processes interleaved A B C A B C, a progress bar over all
//! of them, each process's one JSON line read and checked, and the strace runs.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build;
use crate::cli::BenchArgs;
use crate::results::{Collected, RunnerLine, Status};
use crate::spec;
use crate::strace;

/// How to start a runner: a program and the arguments before `run` / `list`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RunnerCmd {
    /// The executable (the Rust runner, or a Python interpreter).
    pub(crate) program: PathBuf,
    /// Arguments before the runner's own (the path of bench.py).
    pub(crate) prefix: Vec<OsString>,
}

impl RunnerCmd {
    /// Every argument after the program, for `args`.
    fn argv(&self, args: &[String]) -> Vec<OsString> {
        let mut v = self.prefix.clone();
        v.extend(args.iter().map(OsString::from));
        v
    }

    /// The command running `args`.
    fn command(&self, args: &[String]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(self.argv(args));
        cmd
    }
}

/// One (workload, mode) and the runtimes that run it, in column order.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The workload.
    pub(crate) workload: String,
    /// `mt2` or `st`.
    pub(crate) mode: &'static str,
    /// (runtime, how to run it).
    pub(crate) runtimes: Vec<(&'static str, RunnerCmd)>,
}

/// Everything to run.
#[derive(Debug)]
pub(crate) struct Plan {
    /// In table order.
    pub(crate) jobs: Vec<Job>,
    /// Whether to make the strace runs.
    pub(crate) strace: bool,
}

/// Lists the runners' workloads, prepares Python, and orders the jobs. `runner` is
/// the Rust runner, `None` when none of its runtimes is wanted.
pub(crate) fn plan(
    args: &BenchArgs,
    root: &Path,
    dir: &Path,
    runner: Option<&Path>,
) -> Result<Plan, String> {
    let rust = RunnerCmd {
        program: runner.map(Path::to_path_buf).unwrap_or_default(),
        prefix: Vec::new(),
    };
    let rust_names = match runner {
        Some(path) => list(&rust).map_err(|e| format!("`{} list`: {e}", path.display()))?,
        None => Vec::new(),
    };
    let (python, py_names) = python_runner(args, root, dir);
    let known = spec::WORKLOADS.iter().map(|s| s.to_string());
    let mut order: Vec<String> = Vec::new();
    for name in known
        .chain(rust_names.iter().cloned())
        .chain(py_names.iter().cloned())
    {
        if !order.contains(&name) {
            order.push(name);
        }
    }
    let mut jobs = Vec::new();
    for workload in order.into_iter().filter(|w| args.wants_workload(w)) {
        for &mode in &args.modes {
            let mut runtimes = Vec::new();
            if rust_names.contains(&workload) {
                for rt in spec::RUST_RUNTIMES
                    .into_iter()
                    .filter(|r| args.wants_runtime(r))
                {
                    runtimes.push((rt, rust.clone()));
                }
            }
            if mode == "st" && py_names.contains(&workload) {
                for (rt, cmd) in &python {
                    runtimes.push((*rt, cmd.clone()));
                }
            }
            if !runtimes.is_empty() {
                jobs.push(Job {
                    workload: workload.clone(),
                    mode,
                    runtimes,
                });
            }
        }
    }
    let wants_strace = args.strace && jobs.iter().any(|j| spec::STRACED.contains(&&*j.workload));
    let strace = wants_strace && strace::available();
    if wants_strace && !strace {
        eprintln!("strace: not on PATH; no syscalls per op");
    }
    Ok(Plan { jobs, strace })
}

/// The Python runtimes that will run (with how) and the workloads bench.py lists;
/// prints one line and returns nothing when Python is unavailable.
fn python_runner(
    args: &BenchArgs,
    root: &Path,
    dir: &Path,
) -> (Vec<(&'static str, RunnerCmd)>, Vec<String>) {
    let wanted: Vec<&'static str> = spec::PY_RUNTIMES
        .into_iter()
        .filter(|r| args.wants_runtime(r))
        .collect();
    if !args.python || wanted.is_empty() || !args.modes.contains(&"st") {
        return (Vec::new(), Vec::new());
    }
    let Some(system) = build::system_python() else {
        eprintln!("python3: not found on PATH; asyncio and uvloop rows skipped");
        return (Vec::new(), Vec::new());
    };
    let script = root.join("benches").join("py").join("bench.py");
    let listing = RunnerCmd {
        program: system.clone(),
        prefix: vec![script.clone().into()],
    };
    let names = match list(&listing) {
        Ok(names) => names,
        Err(e) => {
            eprintln!("python3: `bench.py list` failed ({e}); asyncio and uvloop rows skipped");
            return (Vec::new(), Vec::new());
        }
    };
    if !names.iter().any(|n| args.wants_workload(n)) {
        return (Vec::new(), names);
    }
    let python = build::prepare_python(dir, &system, wanted.contains(&"uvloop"));
    let cmd = RunnerCmd {
        program: python.interpreter,
        prefix: vec![script.into()],
    };
    let runtimes = wanted
        .into_iter()
        .filter(|&r| r != "uvloop" || python.uvloop)
        .map(|r| (r, cmd.clone()))
        .collect();
    (runtimes, names)
}

/// `runner list`: one workload name per line.
fn list(cmd: &RunnerCmd) -> Result<Vec<String>, String> {
    let out = cmd
        .command(&["list".to_string()])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("exited with {}", out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// The arguments of one run.
fn run_args(
    workload: &str,
    mode: &str,
    runtime: &str,
    warmups: usize,
    samples: usize,
) -> Vec<String> {
    [
        "run",
        "--workload",
        workload,
        "--mode",
        mode,
        "--runtime",
        runtime,
        "--warmups",
        &warmups.to_string(),
        "--samples",
        &samples.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// What a finished (or killed) process left.
#[derive(Debug)]
pub(crate) struct ProcOutput {
    /// Its exit status (after a kill too).
    pub(crate) status: ExitStatus,
    /// Whether it was killed for running past the timeout.
    pub(crate) timed_out: bool,
    /// Everything it printed on stdout.
    pub(crate) stdout: String,
    /// Everything it printed on stderr.
    pub(crate) stderr: String,
}

/// Runs `cmd` to the end with stdout and stderr captured, killing it after `timeout`.
/// The orchestrator sleeps in `wait` meanwhile (no polling loop to disturb the
/// runner); a watchdog thread kills the process if the time runs out.
fn execute(mut cmd: Command, timeout: Duration) -> Result<ProcOutput, String> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let (done, finished) = mpsc::channel::<()>();
    let timed_out = Arc::new(AtomicBool::new(false));
    let pid = child.id().to_string();
    let flag = timed_out.clone();
    let watchdog = thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(timeout) {
            flag.store(true, Ordering::SeqCst);
            let _ = Command::new("kill")
                .args(["-KILL", &pid])
                .stderr(Stdio::null())
                .status();
        }
    });
    let status = child
        .wait()
        .map_err(|e| format!("waiting for the runner: {e}"));
    drop(done);
    let _ = watchdog.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(ProcOutput {
        status: status?,
        timed_out: timed_out.load(Ordering::SeqCst),
        stdout,
        stderr,
    })
}

/// How one runner process went.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Its line, status ok, with the samples asked for.
    Ok(RunnerLine),
    /// The runtime cannot run this workload yet.
    NotYet(String),
    /// It failed or broke the contract.
    Error(String),
}

/// Reads a finished process against the contract: exactly one non-empty stdout line,
/// a JSON object for the (workload, mode, runtime) asked, `samples` samples when ok,
/// and a zero exit status when ok.
pub(crate) fn interpret(
    out: &ProcOutput,
    workload: &str,
    mode: &str,
    runtime: &str,
    samples: usize,
) -> Outcome {
    if out.timed_out {
        return Outcome::Error("killed: ran past the timeout".into());
    }
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let [line] = lines[..] else {
        return Outcome::Error(format!(
            "expected one JSON line on stdout, got {} ({})",
            lines.len(),
            out.status
        ));
    };
    let line: RunnerLine = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return Outcome::Error(format!("stdout is not the contract's JSON line: {e}")),
    };
    if (
        line.workload.as_str(),
        line.mode.as_str(),
        line.runtime.as_str(),
    ) != (workload, mode, runtime)
    {
        return Outcome::Error(format!(
            "answered for {} {} {}",
            line.workload, line.mode, line.runtime
        ));
    }
    let reason = line.reason.clone().unwrap_or_default();
    match line.status {
        Status::NotYet => Outcome::NotYet(if reason.is_empty() {
            "not yet".into()
        } else {
            reason
        }),
        Status::Error => Outcome::Error(if reason.is_empty() {
            "error".into()
        } else {
            reason
        }),
        Status::Ok if !out.status.success() => {
            Outcome::Error(format!("printed ok but exited with {}", out.status))
        }
        Status::Ok if line.samples_ns.len() != samples => Outcome::Error(format!(
            "asked for {samples} samples, got {}",
            line.samples_ns.len()
        )),
        Status::Ok => Outcome::Ok(line),
    }
}

/// The last lines of a runner's stderr, indented, for an error report.
fn tail(stderr: &str, n: usize) -> String {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(n);
    lines[start..]
        .iter()
        .map(|l| format!("\n    {l}"))
        .collect()
}

/// Runs every job, interleaving the runtimes' processes, then the strace runs;
/// returns one [`Collected`] per (workload, mode, runtime), in table order.
pub(crate) fn run_all(plan: &Plan, args: &BenchArgs, dir: &Path) -> Vec<Collected> {
    let traced = |job: &Job| plan.strace && spec::STRACED.contains(&&*job.workload);
    let per_runtime = |job: &Job| args.processes as u64 + if traced(job) { 2 } else { 0 };
    let total: u64 = plan
        .jobs
        .iter()
        .map(|j| j.runtimes.len() as u64 * per_runtime(j))
        .sum();
    eprintln!(
        "bench: {} workload/mode pairs, {} process(es) per runtime of {} warm-up(s) + {} samples{}",
        plan.jobs.len(),
        args.processes,
        args.warmups,
        args.samples,
        if plan.strace {
            ", plus 2 strace runs where counted"
        } else {
            ""
        }
    );
    let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} {msg}")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    let strace_dir = dir.join("strace");
    let mut strace_on = plan.strace && std::fs::create_dir_all(&strace_dir).is_ok();
    let mut out = Vec::new();
    for job in &plan.jobs {
        let mut cols: Vec<Collected> = job
            .runtimes
            .iter()
            .map(|(rt, _)| Collected {
                workload: job.workload.clone(),
                mode: job.mode.to_string(),
                runtime: rt.to_string(),
                lines: Vec::new(),
                failure: None,
                syscalls_per_op: None,
            })
            .collect();
        for p in 0..args.processes {
            for ((rt, cmd), col) in job.runtimes.iter().zip(cols.iter_mut()) {
                if col.failure.is_some() {
                    continue;
                }
                pb.set_message(format!(
                    "{} {} {rt} ({}/{})",
                    job.workload,
                    job.mode,
                    p + 1,
                    args.processes
                ));
                let a = run_args(&job.workload, job.mode, rt, args.warmups, args.samples);
                let outcome = match execute(cmd.command(&a), args.timeout) {
                    Ok(o) => {
                        let outcome = interpret(&o, &job.workload, job.mode, rt, args.samples);
                        if let Outcome::Error(why) = &outcome {
                            pb.suspend(|| {
                                eprintln!(
                                    "error: {} {} {rt}: {why}{}",
                                    job.workload,
                                    job.mode,
                                    tail(&o.stderr, 10)
                                );
                            });
                        }
                        outcome
                    }
                    Err(e) => {
                        pb.suspend(|| eprintln!("error: {} {} {rt}: {e}", job.workload, job.mode));
                        Outcome::Error(e)
                    }
                };
                pb.inc(1);
                let failure = match outcome {
                    Outcome::Ok(line) => {
                        col.lines.push(line);
                        continue;
                    }
                    Outcome::NotYet(reason) => (Status::NotYet, reason),
                    Outcome::Error(reason) => (Status::Error, reason),
                };
                col.failure = Some(failure);
                // Its remaining processes and strace runs will not happen.
                let skipped = per_runtime(job) - (p as u64 + 1);
                pb.set_length(pb.length().unwrap_or(total).saturating_sub(skipped));
            }
        }
        if traced(job) {
            for ((rt, cmd), col) in job.runtimes.iter().zip(cols.iter_mut()) {
                if col.failure.is_some() {
                    continue;
                }
                if !strace_on {
                    pb.inc(2);
                    continue;
                }
                pb.set_message(format!("{} {} {rt} (strace)", job.workload, job.mode));
                match count_syscalls(cmd, job, rt, args, &strace_dir, &pb) {
                    Ok(x) => col.syscalls_per_op = Some(x),
                    Err((why, give_up)) => {
                        pb.suspend(|| {
                            eprintln!("strace: {} {} {rt}: {why}", job.workload, job.mode);
                            if give_up {
                                eprintln!("strace: giving up; no more syscalls per op");
                            }
                        });
                        strace_on &= !give_up;
                    }
                }
            }
        }
        out.extend(cols);
    }
    pb.finish_and_clear();
    out
}

/// The two strace runs of one (workload, mode, runtime) (see [`strace`]): syscalls
/// per op, or why not and whether strace itself seems unusable (the runner never
/// printed its line).
fn count_syscalls(
    cmd: &RunnerCmd,
    job: &Job,
    rt: &str,
    args: &BenchArgs,
    dir: &Path,
    pb: &ProgressBar,
) -> Result<f64, (String, bool)> {
    let mut calls = [0u64; 2];
    let mut ops = None;
    for (i, k) in [args.strace_samples, 0].into_iter().enumerate() {
        let file = dir.join(format!("{}-{}-{rt}-{k}.txt", job.workload, job.mode));
        let a = run_args(&job.workload, job.mode, rt, 1, k);
        let traced = strace::command(&file, &cmd.program, cmd.argv(&a));
        let result = execute(traced, args.timeout);
        pb.inc(1);
        let o = result.map_err(|e| (e, true))?;
        match interpret(&o, &job.workload, job.mode, rt, k) {
            Outcome::Ok(line) => ops = ops.or(line.ops),
            Outcome::NotYet(why) | Outcome::Error(why) => {
                let give_up = o.stdout.trim().is_empty();
                let why = if give_up {
                    format!("{why}{}", tail(&o.stderr, 3))
                } else {
                    why
                };
                return Err((why, give_up));
            }
        }
        let summary = std::fs::read_to_string(&file).unwrap_or_default();
        calls[i] = strace::total_calls(&summary)
            .ok_or_else(|| (format!("no summary in {}", file.display()), true))?;
    }
    let ops = ops.ok_or_else(|| ("the runner's line has no \"ops\"".to_string(), false))?;
    strace::per_op(calls[0], calls[1], args.strace_samples, ops)
        .ok_or_else(|| ("\"ops\" is zero".to_string(), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn output(stdout: &str, code: i32) -> ProcOutput {
        ProcOutput {
            status: ExitStatus::from_raw(code << 8),
            timed_out: false,
            stdout: stdout.into(),
            stderr: String::new(),
        }
    }

    const OK: &str = r#"{"workload":"ping_pong","mode":"st","runtime":"weft","status":"ok","samples_ns":[1,2],"ops":1000}"#;

    #[test]
    fn one_ok_line_with_the_samples_asked_for() {
        match interpret(
            &output(&format!("\n{OK}\n"), 0),
            "ping_pong",
            "st",
            "weft",
            2,
        ) {
            Outcome::Ok(l) => assert_eq!(l.samples_ns, vec![1.0, 2.0]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn off_contract_output_is_an_error() {
        let err = |o: ProcOutput, samples| match interpret(&o, "ping_pong", "st", "weft", samples) {
            Outcome::Error(why) => why,
            other => panic!("{other:?}"),
        };
        assert!(err(output(&format!("hello\n{OK}"), 0), 2).contains("got 2"));
        assert!(err(output("", 101), 2).contains("got 0"));
        assert!(err(output("{not json", 0), 2).contains("JSON"));
        assert!(err(output(OK, 1), 2).contains("exited"));
        assert!(err(output(OK, 0), 5).contains("asked for 5"));
        let other = interpret(&output(OK, 0), "ping_pong", "mt2", "weft", 2);
        assert!(matches!(other, Outcome::Error(why) if why.contains("answered for")));
        let mut killed = output(OK, 0);
        killed.timed_out = true;
        assert!(err(killed, 2).contains("timeout"));
    }

    #[test]
    fn not_yet_and_error_lines_carry_their_reason() {
        let nope = r#"{"workload":"x","mode":"st","runtime":"weft","status":"not_yet","reason":"weft-net (issue 7)"}"#;
        assert_eq!(
            interpret(&output(nope, 0), "x", "st", "weft", 5),
            Outcome::NotYet("weft-net (issue 7)".into())
        );
        let failed =
            r#"{"workload":"x","mode":"st","runtime":"weft","status":"error","reason":"boom"}"#;
        assert_eq!(
            interpret(&output(failed, 1), "x", "st", "weft", 5),
            Outcome::Error("boom".into())
        );
    }

    #[test]
    fn execute_captures_output_and_kills_on_timeout() {
        let mut sh = Command::new("sh");
        sh.args(["-c", "echo out; echo err >&2; exit 3"]);
        let o = execute(sh, Duration::from_secs(30)).unwrap();
        assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("out\n", "err\n"));
        assert_eq!(o.status.code(), Some(3));
        assert!(!o.timed_out);
        let mut slow = Command::new("sleep");
        slow.arg("30");
        let o = execute(slow, Duration::from_millis(100)).unwrap();
        assert!(o.timed_out);
        assert!(!o.status.success());
    }
}
