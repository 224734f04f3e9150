//! What is measured and what counts as a hit: workload names in table order, runtimes,
//! modes, the targets of BENCHMARKS.md, and the verdicts drawn from results.json.

use crate::results::{Entry, Status};

/// Modes in table order: two worker threads, one thread.
pub(crate) const MODES: [&str; 2] = ["mt2", "st"];

/// Runtimes of the Rust runner, in column order.
pub(crate) const RUST_RUNTIMES: [&str; 3] = ["weft", "tokio", "smol"];

/// Runtimes of the Python runner, in column order; they run mode `st` only.
pub(crate) const PY_RUNTIMES: [&str; 2] = ["asyncio", "uvloop"];

/// Every runtime, in column order.
pub(crate) const RUNTIMES: [&str; 5] = ["weft", "tokio", "smol", "asyncio", "uvloop"];

/// The runtimes weft is measured against for the ratio (Python rows are not peers).
pub(crate) const PEERS: [&str; 2] = ["tokio", "smol"];

/// The workloads of the bench spec, in table order. A runner may list others; they
/// come after these, in the runner's order, with no target.
pub(crate) const WORKLOADS: [&str; 18] = [
    "spawn_many_local",
    "spawn_many_remote",
    "yield_many",
    "ping_pong",
    "chained_spawn",
    "channel_ring",
    "mpsc_contention",
    "mpsc_contention_own",
    "timers_10k",
    "timer_churn",
    "timer_churn_1m",
    "tcp_echo_latency",
    "tcp_echo_throughput",
    "tcp_echo_throughput_1k",
    "memory_per_task",
    "sync_primitives",
    "process_spawn",
    "idle_wake_latency",
];

/// Workloads whose syscalls per operation are counted (when strace is on PATH).
pub(crate) const STRACED: [&str; 4] = [
    "spawn_many_local",
    "spawn_many_remote",
    "tcp_echo_latency",
    "tcp_echo_throughput",
];

/// The workload compared by bytes per task instead of time.
pub(crate) const MEMORY: &str = "memory_per_task";

/// weft's syscalls per round trip target on `tcp_echo_latency`.
pub(crate) const TCP_SYSCALLS_PER_RT: f64 = 7.0;

/// weft's speed-up over uvloop that every (py) workload must reach.
pub(crate) const UVLOOP_SPEEDUP: f64 = 10.0;

/// A workload's target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Target {
    /// weft's median / the best peer's median (same mode) must be at most this.
    Ratio(f64),
    /// weft's bytes per task must be at most this many bytes (absolute).
    BytesPerTask(f64),
}

impl Target {
    /// How the table shows it: `<=0.8`, `<=150 B`.
    pub(crate) fn label(self) -> String {
        match self {
            Target::Ratio(r) if r.fract() == 0.0 => format!("<={r:.1}"),
            Target::Ratio(r) => format!("<={r}"),
            Target::BytesPerTask(b) => format!("<={b} B"),
        }
    }
}

/// The target of `workload` in `mode`, if it has one.
pub(crate) fn target(workload: &str, mode: &str) -> Option<Target> {
    let r = match workload {
        "spawn_many_local" | "spawn_many_remote" | "yield_many" | "ping_pong" | "chained_spawn"
        | "channel_ring" => 0.8,
        "mpsc_contention"
        | "mpsc_contention_own"
        | "timers_10k"
        | "timer_churn"
        | "timer_churn_1m"
        | "sync_primitives" => 0.9,
        "tcp_echo_latency" if mode == "st" => 0.95,
        "tcp_echo_latency" => 1.0,
        "tcp_echo_throughput" | "tcp_echo_throughput_1k" => 0.9,
        "process_spawn" | "idle_wake_latency" => 1.0,
        MEMORY => return Some(Target::BytesPerTask(150.0)),
        _ => return None,
    };
    Some(Target::Ratio(r))
}

/// The value compared between runtimes: bytes per task for [`MEMORY`], else the
/// median time. `None` when the entry is not ok or lacks it.
pub(crate) fn metric(entry: &Entry) -> Option<f64> {
    if entry.status != Status::Ok {
        return None;
    }
    if entry.workload == MEMORY {
        entry.bytes_per_task
    } else {
        entry.median_ns.map(|n| n as f64)
    }
}

/// The entry of (workload, mode, runtime), if results.json has one.
pub(crate) fn find<'a>(
    entries: &'a [Entry],
    workload: &str,
    mode: &str,
    runtime: &str,
) -> Option<&'a Entry> {
    entries
        .iter()
        .find(|e| e.workload == workload && e.mode == mode && e.runtime == runtime)
}

/// How weft does on one (workload, mode).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    /// The best peer (smallest metric) and its metric, when a peer ran.
    pub(crate) best_peer: Option<(&'static str, f64)>,
    /// weft's metric / the best peer's, when both ran.
    pub(crate) ratio: Option<f64>,
    /// The workload's target.
    pub(crate) target: Option<Target>,
    /// The target expressed as a ratio to the best peer (what the chart draws):
    /// the ratio itself, or 150 B / the best peer's bytes.
    pub(crate) target_ratio: Option<f64>,
    /// weft ran and misses the target.
    pub(crate) miss: bool,
}

/// The verdict of (workload, mode) from results.json's entries.
pub(crate) fn verdict(entries: &[Entry], workload: &str, mode: &str) -> Verdict {
    let weft = find(entries, workload, mode, "weft").and_then(metric);
    let best_peer = PEERS
        .iter()
        .filter_map(|&p| {
            find(entries, workload, mode, p)
                .and_then(metric)
                .map(|m| (p, m))
        })
        .filter(|&(_, m)| m > 0.0)
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let ratio = match (weft, best_peer) {
        (Some(w), Some((_, b))) => Some(w / b),
        _ => None,
    };
    let target = target(workload, mode);
    let (target_ratio, miss) = match target {
        Some(Target::Ratio(t)) => (Some(t), ratio.is_some_and(|r| r > t)),
        Some(Target::BytesPerTask(max)) => (
            best_peer.map(|(_, b)| max / b),
            weft.is_some_and(|w| w > max),
        ),
        None => (None, false),
    };
    Verdict {
        best_peer,
        ratio,
        target,
        target_ratio,
        miss,
    }
}

/// weft's speed-up over uvloop on one workload.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Speedup {
    /// The workload.
    pub(crate) workload: String,
    /// weft's mode compared (`st`, like uvloop, when it ran; else `mt2`).
    pub(crate) weft_mode: &'static str,
    /// uvloop's median / weft's median.
    pub(crate) factor: f64,
    /// `factor` is below [`UVLOOP_SPEEDUP`].
    pub(crate) miss: bool,
}

/// weft's speed-up over uvloop on every workload where both ran, in file order.
pub(crate) fn uvloop_speedups(entries: &[Entry]) -> Vec<Speedup> {
    let mut out: Vec<Speedup> = Vec::new();
    for uv in entries.iter().filter(|e| e.runtime == "uvloop") {
        if out.iter().any(|s| s.workload == uv.workload) {
            continue;
        }
        let Some(uv_ns) = uv.median_ns.filter(|_| uv.status == Status::Ok) else {
            continue;
        };
        let weft = ["st", "mt2"].into_iter().find_map(|m| {
            find(entries, &uv.workload, m, "weft")
                .filter(|e| e.status == Status::Ok)
                .and_then(|e| e.median_ns)
                .filter(|&n| n > 0)
                .map(|n| (m, n))
        });
        if let Some((weft_mode, weft_ns)) = weft {
            let factor = uv_ns as f64 / weft_ns as f64;
            out.push(Speedup {
                workload: uv.workload.clone(),
                weft_mode,
                factor,
                miss: factor < UVLOOP_SPEEDUP,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(workload: &str, mode: &str, runtime: &str, median_ns: u64) -> Entry {
        Entry::measured(workload, mode, runtime, median_ns, median_ns)
    }

    fn mem(mode: &str, runtime: &str, bytes: f64) -> Entry {
        Entry {
            bytes_per_task: Some(bytes),
            ..ok(MEMORY, mode, runtime, 1_000_000)
        }
    }

    #[test]
    fn ratio_is_weft_over_the_best_peer_of_the_same_mode() {
        let entries = vec![
            ok("ping_pong", "mt2", "weft", 450),
            ok("ping_pong", "mt2", "tokio", 570),
            ok("ping_pong", "mt2", "smol", 1900),
            // Another mode and Python must not count as peers.
            ok("ping_pong", "st", "tokio", 100),
            ok("ping_pong", "st", "asyncio", 10),
        ];
        let v = verdict(&entries, "ping_pong", "mt2");
        assert_eq!(v.best_peer, Some(("tokio", 570.0)));
        let r = v.ratio.unwrap();
        assert!((r - 450.0 / 570.0).abs() < 1e-12);
        assert_eq!(v.target, Some(Target::Ratio(0.8)));
        assert!(r < 0.8 && !v.miss);
    }

    #[test]
    fn a_ratio_above_the_target_is_a_miss() {
        let entries = vec![
            ok("ping_pong", "st", "weft", 500),
            ok("ping_pong", "st", "tokio", 556),
            ok("ping_pong", "st", "smol", 606),
        ];
        // 500 / 556 = 0.90 > 0.8.
        assert!(verdict(&entries, "ping_pong", "st").miss);
    }

    #[test]
    fn tcp_latency_target_depends_on_the_mode() {
        let entries = vec![
            ok("tcp_echo_latency", "st", "weft", 98),
            ok("tcp_echo_latency", "st", "tokio", 100),
            ok("tcp_echo_latency", "mt2", "weft", 98),
            ok("tcp_echo_latency", "mt2", "tokio", 100),
        ];
        assert!(verdict(&entries, "tcp_echo_latency", "st").miss); // 0.98 > 0.95
        assert!(!verdict(&entries, "tcp_echo_latency", "mt2").miss); // 0.98 <= 1.0
    }

    #[test]
    fn not_yet_weft_has_no_ratio_and_no_miss() {
        let mut weft = Entry::new("sync_primitives", "st", "weft");
        weft.status = Status::NotYet;
        weft.reason = Some("weft-sync (issue 5)".into());
        let entries = vec![weft, ok("sync_primitives", "st", "tokio", 100)];
        let v = verdict(&entries, "sync_primitives", "st");
        assert_eq!(v.ratio, None);
        assert!(!v.miss);
        assert_eq!(v.best_peer, Some(("tokio", 100.0)));
    }

    #[test]
    fn memory_compares_bytes_against_an_absolute_target() {
        let entries = vec![
            mem("mt2", "weft", 160.0),
            mem("mt2", "tokio", 312.0),
            mem("mt2", "smol", 190.0),
        ];
        let v = verdict(&entries, MEMORY, "mt2");
        // Better than both peers, but above 150 B: a miss all the same.
        assert!((v.ratio.unwrap() - 160.0 / 190.0).abs() < 1e-12);
        assert!(v.miss);
        assert!((v.target_ratio.unwrap() - 150.0 / 190.0).abs() < 1e-12);
        // Under 150 B is a hit even with no peer to compare with.
        let alone = vec![mem("st", "weft", 140.0)];
        let v = verdict(&alone, MEMORY, "st");
        assert!(!v.miss);
        assert_eq!(v.ratio, None);
    }

    #[test]
    fn uvloop_speedup_prefers_weft_st_and_flags_below_10x() {
        let entries = vec![
            ok("ping_pong", "mt2", "weft", 100),
            ok("ping_pong", "st", "weft", 400),
            ok("ping_pong", "st", "uvloop", 4500),
            ok("yield_many", "mt2", "weft", 5_000),
            ok("yield_many", "st", "uvloop", 75_000),
        ];
        let s = uvloop_speedups(&entries);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].weft_mode, "st");
        assert!((s[0].factor - 11.25).abs() < 1e-12);
        assert!(!s[0].miss);
        assert_eq!(s[1].weft_mode, "mt2");
        assert!(s[1].factor > 14.9 && s[1].factor < 15.1);
        let slow = vec![
            ok("timers_10k", "st", "weft", 13_000_000),
            ok("timers_10k", "st", "uvloop", 46_000_000),
        ];
        assert!(uvloop_speedups(&slow)[0].miss);
    }

    #[test]
    fn every_workload_of_the_spec_has_a_target() {
        for w in WORKLOADS {
            for m in MODES {
                assert!(target(w, m).is_some(), "{w} {m}");
            }
        }
        assert_eq!(target("something_else", "st"), None);
    }
}
