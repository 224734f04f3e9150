//! The runners' JSON lines in, `target/bench/results.json` out: aggregation of the
//! samples of all processes, writing and reading the file, and the CI check of its
//! shape (`cargo xtask check-bench-json`).

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::spec;

/// How a (workload, mode, runtime) went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Status {
    /// Measured.
    #[default]
    Ok,
    /// The runtime cannot run this workload yet (the reason names the issue).
    NotYet,
    /// The runner failed, printed something off-contract, or timed out.
    Error,
}

impl Status {
    /// Whether this is [`Status::Ok`] (results.json leaves `status` out then).
    pub(crate) fn is_ok(&self) -> bool {
        *self == Status::Ok
    }
}

/// The one JSON line a runner prints on stdout (bench spec, "Runner output").
/// Numbers are read as `f64` so that a runner may print `1234` or `1234.0`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct RunnerLine {
    /// The workload name.
    pub(crate) workload: String,
    /// `mt2` or `st`.
    pub(crate) mode: String,
    /// The runtime name.
    pub(crate) runtime: String,
    /// `ok`, `not_yet` or `error`.
    pub(crate) status: Status,
    /// One timed quantity per sample, in ns.
    #[serde(default)]
    pub(crate) samples_ns: Vec<f64>,
    /// Operations per sample.
    #[serde(default)]
    pub(crate) ops: Option<f64>,
    /// The workload's p99, where it defines one.
    #[serde(default)]
    pub(crate) p99_ns: Option<f64>,
    /// Live heap bytes per task (memory_per_task).
    #[serde(default)]
    pub(crate) bytes_per_task: Option<f64>,
    /// CPU time used per sample (median), where measured.
    #[serde(default)]
    pub(crate) cpu_ns: Option<f64>,
    /// Free text: which channel, which analogue.
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// Why the status is not ok.
    #[serde(default)]
    pub(crate) reason: Option<String>,
}

/// Everything one (workload, mode, runtime) produced over its processes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Collected {
    /// The workload name.
    pub(crate) workload: String,
    /// `mt2` or `st`.
    pub(crate) mode: String,
    /// The runtime name.
    pub(crate) runtime: String,
    /// The ok lines of its processes, in run order.
    pub(crate) lines: Vec<RunnerLine>,
    /// Set when a process said not_yet or failed: then `lines` is ignored.
    pub(crate) failure: Option<(Status, String)>,
    /// From the strace runs, when made.
    pub(crate) syscalls_per_op: Option<f64>,
}

/// One object of results.json: one (workload, mode, runtime).
///
/// When `status` is ok the field is left out (BENCHMARKS.md's output contract:
/// `"status"` only when not ok) and `median_ns`, `min_ns` and `samples` are there.
/// When it is `not_yet` or `error`, the object has `status` and `reason` and no
/// timings: `median_ns`, `min_ns`, `samples` and the optional measurements are
/// **absent**, not null (`check-bench-json` accepts null as well, for other writers).
/// Beyond the contract's fields, an ok object also carries `samples_ns` (the raw
/// samples of all processes, in run order), `ops` (operations per sample),
/// `processes` and the runner's `note`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The workload name.
    pub(crate) workload: String,
    /// `mt2` or `st`.
    pub(crate) mode: String,
    /// `weft`, `tokio`, `smol`, `asyncio` or `uvloop`.
    pub(crate) runtime: String,
    /// Left out when ok.
    #[serde(default, skip_serializing_if = "Status::is_ok")]
    pub(crate) status: Status,
    /// Why the status is not ok.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
    /// Median of all samples of all processes, ns (the mean of the two middle ones,
    /// rounded, for an even count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) median_ns: Option<u64>,
    /// Smallest sample, ns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) min_ns: Option<u64>,
    /// Number of samples, all processes together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) samples: Option<u64>,
    /// System calls per operation (strace runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) syscalls_per_op: Option<f64>,
    /// Live heap bytes per task: median of the processes' values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) bytes_per_task: Option<f64>,
    /// p99 in ns: median of the processes' values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) p99_ns: Option<u64>,
    /// CPU ns per sample: median of the processes' values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cpu_ns: Option<u64>,
    /// Operations per sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ops: Option<u64>,
    /// Processes whose samples were pooled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) processes: Option<u64>,
    /// The runner's note (the first process's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// Every sample, ns, in run order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) samples_ns: Option<Vec<u64>>,
}

impl Entry {
    /// An ok entry measured at `median_ns` (minimum `min_ns`) over 15 samples: for the
    /// tests of the modules that read entries.
    #[cfg(test)]
    pub(crate) fn measured(
        workload: &str,
        mode: &str,
        runtime: &str,
        median_ns: u64,
        min_ns: u64,
    ) -> Entry {
        Entry {
            median_ns: Some(median_ns),
            min_ns: Some(min_ns),
            samples: Some(15),
            ..Entry::new(workload, mode, runtime)
        }
    }

    /// An ok entry with no measurement yet.
    pub(crate) fn new(workload: &str, mode: &str, runtime: &str) -> Entry {
        Entry {
            workload: workload.to_string(),
            mode: mode.to_string(),
            runtime: runtime.to_string(),
            status: Status::Ok,
            reason: None,
            median_ns: None,
            min_ns: None,
            samples: None,
            syscalls_per_op: None,
            bytes_per_task: None,
            p99_ns: None,
            cpu_ns: None,
            ops: None,
            processes: None,
            note: None,
            samples_ns: None,
        }
    }
}

/// The median of `xs` (mean of the two middle values for an even count).
pub(crate) fn median(xs: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// A non-negative ns figure as an integer.
fn whole(x: f64) -> u64 {
    x.max(0.0).round() as u64
}

/// The median over processes of an optional per-process value.
fn median_of(lines: &[RunnerLine], f: impl Fn(&RunnerLine) -> Option<f64>) -> Option<f64> {
    let vals: Vec<f64> = lines.iter().filter_map(f).collect();
    median(&vals)
}

/// The results.json object of one (workload, mode, runtime): all samples of all
/// processes pooled for median and min; p99, bytes and cpu as the median of the
/// processes' values.
pub(crate) fn aggregate(c: &Collected) -> Entry {
    let mut e = Entry::new(&c.workload, &c.mode, &c.runtime);
    if let Some((status, reason)) = &c.failure {
        e.status = *status;
        e.reason = Some(reason.clone());
        return e;
    }
    let samples: Vec<f64> = c
        .lines
        .iter()
        .flat_map(|l| l.samples_ns.iter().copied())
        .collect();
    let (Some(med), Some(min)) = (median(&samples), samples.iter().copied().reduce(f64::min))
    else {
        e.status = Status::Error;
        e.reason = Some("no samples".into());
        return e;
    };
    e.median_ns = Some(whole(med));
    e.min_ns = Some(whole(min));
    e.samples = Some(samples.len() as u64);
    e.samples_ns = Some(samples.iter().map(|&s| whole(s)).collect());
    e.syscalls_per_op = c.syscalls_per_op;
    e.bytes_per_task = median_of(&c.lines, |l| l.bytes_per_task);
    e.p99_ns = median_of(&c.lines, |l| l.p99_ns).map(whole);
    e.cpu_ns = median_of(&c.lines, |l| l.cpu_ns).map(whole);
    e.ops = c.lines.iter().find_map(|l| l.ops).map(whole);
    e.processes = Some(c.lines.len() as u64);
    e.note = c.lines.iter().find_map(|l| l.note.clone());
    e
}

/// [`aggregate`] of each, in order.
pub(crate) fn aggregate_all(collected: &[Collected]) -> Vec<Entry> {
    collected.iter().map(aggregate).collect()
}

/// Writes results.json: a JSON array, one object per line.
pub(crate) fn write(path: &Path, entries: &[Entry]) -> Result<(), String> {
    let mut text = String::from("[\n");
    for (i, e) in entries.iter().enumerate() {
        let obj =
            serde_json::to_string(e).map_err(|e| format!("cannot serialise the results: {e}"))?;
        text.push_str("  ");
        text.push_str(&obj);
        text.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
    }
    text.push_str("]\n");
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads results.json back.
pub(crate) fn read(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: not a results array: {e}", path.display()))
}

/// `check-bench-json` on a file: a summary line, or every problem found.
pub(crate) fn check_file(path: &Path, expect_ok: &[String]) -> Result<String, Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![format!("cannot read: {e}")])?;
    let value: Value = serde_json::from_str(&text).map_err(|e| vec![format!("not JSON: {e}")])?;
    check(&value, expect_ok)
}

/// The shape of results.json, never a timing: a non-empty array of objects, each
/// naming a known workload-like string, mode and runtime (Python runtimes in `st`
/// only), no (workload, mode, runtime) twice; an ok object (no `status`, or `"ok"`)
/// has `median_ns`, `min_ns` (non-negative numbers, min <= median) and `samples`
/// (a whole number >= 1); a `not_yet` or `error` object has a non-empty `reason`
/// and no timings (absent or null); optional measurements are numbers when present.
/// Each runtime of `expect_ok` must have at least one ok object.
pub(crate) fn check(value: &Value, expect_ok: &[String]) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let Some(items) = value.as_array() else {
        return Err(vec!["the top level is not an array".into()]);
    };
    if items.is_empty() {
        problems.push("the array is empty: no workload ran".into());
    }
    let mut seen: Vec<(String, String, String)> = Vec::new();
    let mut ok_runtimes: Vec<String> = Vec::new();
    let (mut n_ok, mut n_not_yet) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        let Some(obj) = item.as_object() else {
            problems.push(format!("[{i}]: not an object"));
            continue;
        };
        let text = |k: &str| obj.get(k).and_then(Value::as_str).unwrap_or("");
        let (workload, mode, runtime) = (text("workload"), text("mode"), text("runtime"));
        let at = format!("[{i}] ({workload} {mode} {runtime})");
        if workload.is_empty() {
            problems.push(format!("{at}: no \"workload\" string"));
        }
        if !spec::MODES.contains(&mode) {
            problems.push(format!("{at}: \"mode\" must be mt2 or st"));
        }
        if !spec::RUNTIMES.contains(&runtime) {
            problems.push(format!(
                "{at}: \"runtime\" must name one of {}",
                spec::RUNTIMES.join(", ")
            ));
        }
        if spec::PY_RUNTIMES.contains(&runtime) && mode != "st" {
            problems.push(format!("{at}: Python runtimes run mode st only"));
        }
        let key = (workload.to_string(), mode.to_string(), runtime.to_string());
        if seen.contains(&key) {
            problems.push(format!("{at}: appears twice"));
        }
        seen.push(key);
        let present = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
        let number = |k: &str| obj.get(k).and_then(Value::as_f64);
        for k in ["syscalls_per_op", "bytes_per_task", "p99_ns", "cpu_ns"] {
            if present(k) && number(k).is_none_or(|x| x < 0.0) {
                problems.push(format!("{at}: \"{k}\" is not a non-negative number"));
            }
        }
        match obj.get("status").map(|s| s.as_str()) {
            None | Some(Some("ok")) => {
                n_ok += 1;
                if !ok_runtimes.iter().any(|r| r == runtime) {
                    ok_runtimes.push(runtime.to_string());
                }
                let (med, min) = (number("median_ns"), number("min_ns"));
                for (k, v) in [("median_ns", med), ("min_ns", min)] {
                    if v.is_none_or(|x| x < 0.0) {
                        problems.push(format!("{at}: ok but \"{k}\" is not a non-negative number"));
                    }
                }
                if let (Some(med), Some(min)) = (med, min)
                    && min > med
                {
                    problems.push(format!("{at}: min_ns above median_ns"));
                }
                if obj
                    .get("samples")
                    .and_then(Value::as_u64)
                    .is_none_or(|n| n == 0)
                {
                    problems.push(format!("{at}: ok but \"samples\" is not a count >= 1"));
                }
            }
            Some(Some(status @ ("not_yet" | "error"))) => {
                if status == "not_yet" {
                    n_not_yet += 1;
                }
                if obj
                    .get("reason")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    problems.push(format!("{at}: status {status} without a \"reason\""));
                }
                for k in ["median_ns", "min_ns"] {
                    if present(k) {
                        problems.push(format!("{at}: status {status} but has \"{k}\""));
                    }
                }
            }
            Some(_) => problems.push(format!("{at}: \"status\" must be ok, not_yet or error")),
        }
    }
    for r in expect_ok {
        if !ok_runtimes.contains(r) {
            problems.push(format!("runtime {r} has no object with status ok"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut summary = format!(
        "{} objects ({n_ok} ok, {n_not_yet} not_yet); ok runtimes:",
        items.len()
    );
    for r in &ok_runtimes {
        let _ = write!(summary, " {r}");
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(samples: &[f64]) -> RunnerLine {
        RunnerLine {
            workload: "timers_10k".into(),
            mode: "st".into(),
            runtime: "weft".into(),
            status: Status::Ok,
            samples_ns: samples.to_vec(),
            ops: Some(10_000.0),
            p99_ns: None,
            bytes_per_task: None,
            cpu_ns: None,
            note: None,
            reason: None,
        }
    }

    fn collected(lines: Vec<RunnerLine>) -> Collected {
        Collected {
            workload: "timers_10k".into(),
            mode: "st".into(),
            runtime: "weft".into(),
            lines,
            failure: None,
            syscalls_per_op: None,
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[5.0]), Some(5.0));
    }

    #[test]
    fn aggregation_pools_samples_and_takes_medians_of_process_values() {
        let mut a = line(&[10.0, 30.0, 20.0]);
        a.p99_ns = Some(100.0);
        a.note = Some("first".into());
        let mut b = line(&[5.0, 50.0, 40.0]);
        b.p99_ns = Some(300.0);
        let mut c = line(&[25.0, 35.0, 45.0]);
        c.p99_ns = Some(200.0);
        let mut col = collected(vec![a, b, c]);
        col.syscalls_per_op = Some(0.5);
        let e = aggregate(&col);
        assert_eq!(e.status, Status::Ok);
        // Pooled: 5 10 20 25 30 35 40 45 50 -> median 30, min 5.
        assert_eq!(e.median_ns, Some(30));
        assert_eq!(e.min_ns, Some(5));
        assert_eq!(e.samples, Some(9));
        assert_eq!(e.processes, Some(3));
        // Median of the processes' p99 values, not of anything pooled.
        assert_eq!(e.p99_ns, Some(200));
        assert_eq!(e.ops, Some(10_000));
        assert_eq!(e.note.as_deref(), Some("first"));
        assert_eq!(e.syscalls_per_op, Some(0.5));
        assert_eq!(e.samples_ns.as_ref().unwrap()[..3], [10, 30, 20]);
    }

    #[test]
    fn a_failure_keeps_only_status_and_reason() {
        let mut col = collected(vec![line(&[1.0])]);
        col.failure = Some((Status::NotYet, "weft-net (issue 7)".into()));
        let e = aggregate(&col);
        assert_eq!(e.status, Status::NotYet);
        assert_eq!(e.median_ns, None);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["status"], "not_yet");
        assert_eq!(json["reason"], "weft-net (issue 7)");
        assert!(json.get("median_ns").is_none());
        assert!(json.get("samples").is_none());
    }

    #[test]
    fn no_samples_is_an_error() {
        let e = aggregate(&collected(vec![line(&[])]));
        assert_eq!(e.status, Status::Error);
    }

    #[test]
    fn results_round_trip_through_the_file() {
        let mut ok = aggregate(&collected(vec![line(&[1.0, 2.0, 3.0])]));
        ok.bytes_per_task = Some(140.5);
        let mut nope = Entry::new("tcp_echo_latency", "st", "weft");
        nope.status = Status::NotYet;
        nope.reason = Some("weft-net (issue 7)".into());
        let entries = vec![ok, nope];
        let dir = std::env::temp_dir().join(format!("xtask-results-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("results.json");
        write(&path, &entries).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back, entries);
        // An ok object has no "status" field; the file passes the CI check.
        let raw: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(raw[0].get("status").is_none());
        assert_eq!(raw[0]["median_ns"], 2);
        assert!(check(&raw, &["weft".into()]).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn runner_lines_parse_with_integer_or_float_numbers() {
        let l: RunnerLine = serde_json::from_str(
            r#"{"workload":"ping_pong","mode":"mt2","runtime":"weft","status":"ok",
                "samples_ns":[512345,498765.5],"ops":1000,"p99_ns":1234,"note":"x"}"#,
        )
        .unwrap();
        assert_eq!(l.samples_ns, vec![512345.0, 498765.5]);
        assert_eq!(l.ops, Some(1000.0));
        let n: RunnerLine = serde_json::from_str(
            r#"{"workload":"tcp_echo_latency","mode":"st","runtime":"weft",
                "status":"not_yet","reason":"weft-net (issue 7)"}"#,
        )
        .unwrap();
        assert_eq!(n.status, Status::NotYet);
        assert!(n.samples_ns.is_empty());
    }

    #[test]
    fn the_check_accepts_good_files() {
        let v = serde_json::json!([
            {"workload":"ping_pong","mode":"mt2","runtime":"weft","median_ns":5,"min_ns":4,"samples":15},
            {"workload":"ping_pong","mode":"st","runtime":"uvloop","status":"ok","median_ns":5,"min_ns":4,"samples":15,"p99_ns":7},
            {"workload":"tcp_echo_latency","mode":"st","runtime":"weft","status":"not_yet","reason":"weft-net"},
            {"workload":"tcp_echo_latency","mode":"mt2","runtime":"weft","status":"not_yet","reason":"weft-net","median_ns":null}
        ]);
        let summary = check(&v, &["weft".into(), "uvloop".into()]).unwrap();
        assert!(summary.contains("4 objects (2 ok, 2 not_yet)"), "{summary}");
    }

    #[test]
    fn the_check_names_what_is_wrong() {
        let bad = |v: Value| check(&v, &[]).unwrap_err().join("\n");
        assert!(bad(serde_json::json!([])).contains("empty"));
        assert!(bad(serde_json::json!({})).contains("not an array"));
        let missing = bad(serde_json::json!([
            {"workload":"ping_pong","mode":"mt2","runtime":"weft","min_ns":4,"samples":15}
        ]));
        assert!(missing.contains("median_ns"), "{missing}");
        let runtime = bad(serde_json::json!([
            {"workload":"ping_pong","mode":"mt2","runtime":"glommio","median_ns":5,"min_ns":4,"samples":1}
        ]));
        assert!(runtime.contains("runtime"), "{runtime}");
        let py_mt2 = bad(serde_json::json!([
            {"workload":"ping_pong","mode":"mt2","runtime":"asyncio","median_ns":5,"min_ns":4,"samples":1}
        ]));
        assert!(py_mt2.contains("st only"), "{py_mt2}");
        let no_reason = bad(serde_json::json!([
            {"workload":"x","mode":"st","runtime":"weft","status":"error"}
        ]));
        assert!(no_reason.contains("reason"), "{no_reason}");
        let timed_not_yet = bad(serde_json::json!([
            {"workload":"x","mode":"st","runtime":"weft","status":"not_yet","reason":"r","median_ns":3}
        ]));
        assert!(timed_not_yet.contains("median_ns"), "{timed_not_yet}");
        let twice = bad(serde_json::json!([
            {"workload":"x","mode":"st","runtime":"weft","status":"not_yet","reason":"r"},
            {"workload":"x","mode":"st","runtime":"weft","status":"not_yet","reason":"r"}
        ]));
        assert!(twice.contains("twice"), "{twice}");
        let expected = check(
            &serde_json::json!([
                {"workload":"x","mode":"st","runtime":"weft","median_ns":5,"min_ns":4,"samples":1}
            ]),
            &["tokio".into()],
        )
        .unwrap_err()
        .join("\n");
        assert!(expected.contains("tokio"), "{expected}");
    }
}
