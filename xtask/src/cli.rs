//! The command line of every task.

use std::path::PathBuf;
use std::time::Duration;

use crate::spec;

/// `cargo xtask help`.
pub(crate) const HELP: &str = "\
usage: cargo xtask <task>

tasks:
  bench             run the workloads of BENCHMARKS.md on weft, tokio, smol, asyncio
                    and uvloop; write target/bench/results.json and chart.svg
  bench-report      print the table and redraw chart.svg from a results.json
  check-bench-json  check the shape of a results.json (CI; never a timing)
  help              print this message

cargo xtask bench [options]
  --quick               1 process per runtime, 1 warm-up, 5 samples (CI smoke run)
  --filter SUBSTR       only workloads whose name contains SUBSTR (repeatable)
  --runtime NAME[,..]   only these runtimes (weft tokio smol asyncio uvloop; repeatable)
  --mode mt2|st         only this mode
  --processes P         fresh processes per runtime (default 3, --quick 1)
  --warmups W           warm-ups per process (default 2, --quick 1)
  --samples S           samples per process (default 15, --quick 5)
  --strace-samples K    samples of the strace run (default 5, --quick 2)
  --no-strace           skip the syscalls-per-op runs
  --no-python           skip asyncio and uvloop
  --runner PATH         use this runner executable instead of building the bench
                        target `runner` of weft-benches (for testing the harness)
  --timeout SECS        kill a runner process after SECS seconds (default 900)

cargo xtask bench-report [PATH]
  PATH defaults to target/bench/results.json; the chart goes beside it

cargo xtask check-bench-json [PATH] [--expect-ok NAME[,..]]
  PATH defaults to target/bench/results.json; --expect-ok also requires at least one
  object with status ok for each named runtime
";

/// A task and its arguments.
#[derive(Debug)]
pub(crate) enum Task {
    /// Print [`HELP`].
    Help,
    /// `cargo xtask bench`.
    Bench(BenchArgs),
    /// `cargo xtask bench-report`.
    BenchReport {
        /// The results.json to report.
        path: PathBuf,
    },
    /// `cargo xtask check-bench-json`.
    CheckBenchJson {
        /// The results.json to check.
        path: PathBuf,
        /// Runtimes that must have at least one object with status ok.
        expect_ok: Vec<String>,
    },
}

/// The options of `cargo xtask bench`, defaults resolved.
#[derive(Debug, Clone)]
pub(crate) struct BenchArgs {
    /// Workload-name substrings; empty = all workloads.
    pub(crate) filters: Vec<String>,
    /// Runtimes to run; empty = all.
    pub(crate) runtimes: Vec<String>,
    /// Modes to run, in table order.
    pub(crate) modes: Vec<&'static str>,
    /// Fresh processes per (workload, mode, runtime).
    pub(crate) processes: usize,
    /// Warm-ups per process.
    pub(crate) warmups: usize,
    /// Recorded samples per process.
    pub(crate) samples: usize,
    /// Samples of the traced run of the syscall count.
    pub(crate) strace_samples: usize,
    /// Whether to count syscalls (when strace is on PATH).
    pub(crate) strace: bool,
    /// Whether to run the Python runtimes.
    pub(crate) python: bool,
    /// A prebuilt runner instead of the bench target.
    pub(crate) runner: Option<PathBuf>,
    /// Longest a runner process may take before it is killed.
    pub(crate) timeout: Duration,
}

impl BenchArgs {
    /// Whether `workload` passes `--filter` (any of the substrings).
    pub(crate) fn wants_workload(&self, workload: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| workload.contains(f.as_str()))
    }

    /// Whether `runtime` passes `--runtime`.
    pub(crate) fn wants_runtime(&self, runtime: &str) -> bool {
        self.runtimes.is_empty() || self.runtimes.iter().any(|r| r == runtime)
    }
}

/// Parses the arguments after `cargo xtask`.
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Task, String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        None | Some("help" | "-h" | "--help") => Ok(Task::Help),
        Some("bench") => parse_bench(args).map(Task::Bench),
        Some("check-bench-json") => parse_check(args),
        Some("bench-report") => {
            let path = match (args.next(), args.next()) {
                (None, _) => default_results(),
                (Some(p), None) if !p.starts_with("--") => PathBuf::from(p),
                _ => return Err("usage: cargo xtask bench-report [PATH]".into()),
            };
            Ok(Task::BenchReport { path })
        }
        Some(other) => Err(format!("unknown task `{other}`")),
    }
}

/// Splits `--flag=value` and takes the value of `--flag value`.
struct Flags<I: Iterator<Item = String>> {
    args: I,
    pending: Option<String>,
}

impl<I: Iterator<Item = String>> Flags<I> {
    /// The next flag (with any `=value` kept for [`Flags::value`]).
    fn next_flag(&mut self) -> Option<String> {
        let arg = self.args.next()?;
        match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                self.pending = Some(value.to_string());
                Some(flag.to_string())
            }
            _ => Some(arg),
        }
    }

    /// The value of `flag`.
    fn value(&mut self, flag: &str) -> Result<String, String> {
        self.pending
            .take()
            .or_else(|| self.args.next())
            .ok_or_else(|| format!("{flag} needs a value"))
    }

    /// The value of `flag` as a count.
    fn count(&mut self, flag: &str) -> Result<usize, String> {
        let v = self.value(flag)?;
        v.parse()
            .map_err(|_| format!("{flag}: `{v}` is not a whole number"))
    }

    /// Fails if a value was given to a flag that takes none.
    fn no_value(&mut self, flag: &str) -> Result<(), String> {
        match self.pending.take() {
            Some(v) => Err(format!("{flag} takes no value (got `{v}`)")),
            None => Ok(()),
        }
    }
}

/// Parses `cargo xtask bench`'s options.
fn parse_bench(args: impl Iterator<Item = String>) -> Result<BenchArgs, String> {
    let mut flags = Flags {
        args,
        pending: None,
    };
    let mut quick = false;
    let mut filters = Vec::new();
    let mut runtimes = Vec::new();
    let mut mode: Option<&'static str> = None;
    let (mut processes, mut warmups, mut samples, mut strace_samples) = (None, None, None, None);
    let mut strace = true;
    let mut python = true;
    let mut runner = None;
    let mut timeout = Duration::from_secs(900);
    while let Some(flag) = flags.next_flag() {
        match flag.as_str() {
            "--quick" => {
                flags.no_value(&flag)?;
                quick = true;
            }
            "--no-strace" => {
                flags.no_value(&flag)?;
                strace = false;
            }
            "--no-python" => {
                flags.no_value(&flag)?;
                python = false;
            }
            "--filter" => filters.push(flags.value(&flag)?),
            "--runtime" => {
                for name in flags.value(&flag)?.split(',').filter(|s| !s.is_empty()) {
                    if !spec::RUNTIMES.contains(&name) {
                        return Err(format!(
                            "--runtime: unknown runtime `{name}` (one of {})",
                            spec::RUNTIMES.join(", ")
                        ));
                    }
                    runtimes.push(name.to_string());
                }
            }
            "--mode" => {
                let v = flags.value(&flag)?;
                mode = Some(
                    spec::MODES
                        .iter()
                        .copied()
                        .find(|m| *m == v)
                        .ok_or_else(|| format!("--mode: `{v}` is neither mt2 nor st"))?,
                );
            }
            "--processes" => processes = Some(flags.count(&flag)?),
            "--warmups" => warmups = Some(flags.count(&flag)?),
            "--samples" => samples = Some(flags.count(&flag)?),
            "--strace-samples" => strace_samples = Some(flags.count(&flag)?),
            "--runner" => runner = Some(PathBuf::from(flags.value(&flag)?)),
            "--timeout" => timeout = Duration::from_secs(flags.count(&flag)? as u64),
            // Cargo may append `--bench` when this is run through a bench alias.
            "--bench" => {}
            other => return Err(format!("bench: unknown option `{other}`")),
        }
    }
    let args = BenchArgs {
        filters,
        runtimes,
        modes: match mode {
            Some(m) => vec![m],
            None => spec::MODES.to_vec(),
        },
        processes: processes.unwrap_or(if quick { 1 } else { 3 }),
        warmups: warmups.unwrap_or(if quick { 1 } else { 2 }),
        samples: samples.unwrap_or(if quick { 5 } else { 15 }),
        strace_samples: strace_samples.unwrap_or(if quick { 2 } else { 5 }),
        strace,
        python,
        runner,
        timeout,
    };
    for (name, v) in [
        ("--processes", args.processes),
        ("--samples", args.samples),
        ("--strace-samples", args.strace_samples),
    ] {
        if v == 0 {
            return Err(format!("{name} must be at least 1"));
        }
    }
    Ok(args)
}

/// `target/bench/results.json`.
fn default_results() -> PathBuf {
    crate::bench::bench_dir(&crate::bench::workspace_root()).join("results.json")
}

/// Parses `cargo xtask check-bench-json`'s arguments.
fn parse_check(args: impl Iterator<Item = String>) -> Result<Task, String> {
    let mut flags = Flags {
        args,
        pending: None,
    };
    let mut path = None;
    let mut expect_ok = Vec::new();
    while let Some(arg) = flags.next_flag() {
        match arg.as_str() {
            "--expect-ok" => {
                for name in flags.value(&arg)?.split(',').filter(|s| !s.is_empty()) {
                    if !spec::RUNTIMES.contains(&name) {
                        return Err(format!("--expect-ok: unknown runtime `{name}`"));
                    }
                    expect_ok.push(name.to_string());
                }
            }
            flag if flag.starts_with("--") => {
                return Err(format!("check-bench-json: unknown option `{flag}`"));
            }
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            _ => return Err(format!("check-bench-json: one path only (got `{arg}` too)")),
        }
    }
    let path = path.unwrap_or_else(default_results);
    Ok(Task::CheckBenchJson { path, expect_ok })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bench(args: &[&str]) -> Result<BenchArgs, String> {
        let mut all = vec!["bench".to_string()];
        all.extend(args.iter().map(|s| s.to_string()));
        match parse(all)? {
            Task::Bench(b) => Ok(b),
            other => panic!("not a bench task: {other:?}"),
        }
    }

    #[test]
    fn quick_changes_the_defaults_and_flags_override_them() {
        let full = bench(&[]).unwrap();
        assert_eq!((full.processes, full.warmups, full.samples), (3, 2, 15));
        assert_eq!(full.modes, vec!["mt2", "st"]);
        let quick = bench(&["--quick", "--samples=7"]).unwrap();
        assert_eq!((quick.processes, quick.warmups, quick.samples), (1, 1, 7));
    }

    #[test]
    fn filters_runtimes_and_modes() {
        let b = bench(&[
            "--filter",
            "spawn",
            "--runtime",
            "weft,tokio",
            "--mode",
            "st",
            "--bench",
        ])
        .unwrap();
        assert!(b.wants_workload("spawn_many_local"));
        assert!(!b.wants_workload("ping_pong"));
        assert!(b.wants_runtime("tokio"));
        assert!(!b.wants_runtime("smol"));
        assert_eq!(b.modes, vec!["st"]);
    }

    #[test]
    fn rejects_bad_values() {
        assert!(bench(&["--mode", "mt4"]).is_err());
        assert!(bench(&["--runtime", "async-std"]).is_err());
        assert!(bench(&["--samples", "0"]).is_err());
        assert!(bench(&["--quick=yes"]).is_err());
        assert!(bench(&["--frobnicate"]).is_err());
        assert!(bench(&["--filter"]).is_err());
    }

    #[test]
    fn check_takes_a_path_and_expected_runtimes() {
        let task = parse(
            ["check-bench-json", "x.json", "--expect-ok=weft,smol"]
                .iter()
                .map(|s| s.to_string()),
        )
        .unwrap();
        match task {
            Task::CheckBenchJson { path, expect_ok } => {
                assert_eq!(path, PathBuf::from("x.json"));
                assert_eq!(expect_ok, vec!["weft", "smol"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
