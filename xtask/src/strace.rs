//! System calls per operation, counted with `strace -f -c`.
//!
//! A runner process makes system calls that are not the workload's: loading,
//! building the runtime and its threads, the warm-up, printing, tearing down. So each
//! (workload, mode, runtime) is traced twice, both with one warm-up:
//! `strace -f -c -o FILE runner run ... --warmups 1 --samples K` and the same with
//! `--samples 0`. The second run does everything but the K timed samples, so the
//! difference of the two `total` call counts is the syscalls of K samples, and
//! syscalls per op = (calls(K) - calls(0)) / (K * ops), `ops` being the operations
//! per sample that the runner's JSON line reports. `-f` follows every thread and
//! child process, so a runtime's worker threads count too.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// Whether `strace` is on PATH and runs.
pub(crate) fn available() -> bool {
    Command::new("strace")
        .arg("-V")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `strace -f -c -o summary program args..`: the summary table goes to `summary`, the
/// program's stdout and stderr stay its own.
pub(crate) fn command<I, S>(summary: &Path, program: &Path, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new("strace");
    cmd.args(["-f", "-c", "-o"])
        .arg(summary)
        .arg(program)
        .args(args);
    cmd
}

/// The total number of calls in an `strace -c` summary: its last line reads
/// `100.00 <seconds> <usecs/call> <calls> [<errors>] total`.
pub(crate) fn total_calls(summary: &str) -> Option<u64> {
    summary.lines().rev().find_map(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.last() != Some(&"total") || cols.len() < 5 {
            return None;
        }
        cols[3].parse().ok()
    })
}

/// Syscalls per operation from the call counts of the K-sample and the zero-sample
/// runs (clamped at zero: noise can make the zero-sample run the busier one).
pub(crate) fn per_op(calls_k: u64, calls_0: u64, k: usize, ops: f64) -> Option<f64> {
    let denominator = k as f64 * ops;
    if denominator <= 0.0 {
        return None;
    }
    Some((calls_k as f64 - calls_0 as f64).max(0.0) / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 61.20    0.001234          12       100           futex
 38.80    0.000782           3       245        12 epoll_wait
------ ----------- ----------- --------- --------- ----------------
100.00    0.002016           5       345        12 total
";

    #[test]
    fn reads_the_total_with_or_without_errors() {
        assert_eq!(total_calls(SUMMARY), Some(345));
        let no_errors = "100.00    0.000100           1        77           total\n";
        assert_eq!(total_calls(no_errors), Some(77));
        assert_eq!(
            total_calls("strace: ptrace(PTRACE_SEIZE): Operation not permitted"),
            None
        );
        assert_eq!(total_calls(""), None);
    }

    #[test]
    fn subtracts_the_zero_sample_run() {
        // 5 samples of 10,000 ops, 50,000 calls more than the run without samples.
        assert_eq!(per_op(50_700, 700, 5, 10_000.0), Some(1.0));
        assert_eq!(per_op(600, 700, 5, 10_000.0), Some(0.0));
        assert_eq!(per_op(600, 0, 5, 0.0), None);
    }
}
