//! The bench runner: one process times one workload on one runtime in one mode, and
//! prints one JSON line. `cargo xtask bench` runs it as fresh processes, interleaved,
//! and gathers the lines (ARCHITECTURE.md, "Benchmarks").
//!
//! ```text
//! runner run --workload NAME --mode mt2|st --runtime weft|tokio|smol --warmups W --samples S
//! runner list
//! ```
//!
//! The line: `{"workload":..,"mode":..,"runtime":..,"status":"ok","samples_ns":[..],
//! "ops":N, ...optional fields}`, or `"status":"not_yet"` with a `"reason"` when weft
//! has no crate for the workload yet. `--samples 0` sets up and warms up only (the
//! harness subtracts such a run's syscalls from a full one's). A bench target rather
//! than a binary so that tokio and smol stay dev-dependencies; all runtimes share this
//! harness, allocator and build profile.
//!
//! Benchmarks measure and print; they never assert a time.

mod alloc;
mod channel_ring;
mod contention;
mod idle_wake_latency;
mod memory;
mod process;
mod rt;
mod sched;
mod sync;
mod tcp;
mod timer;
mod timer_churn;
mod timers_10k;

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use rt::{Mode, Rt};

/// What one process was asked to do.
pub(crate) struct Cfg {
    pub(crate) workload: String,
    pub(crate) mode: Mode,
    pub(crate) runtime: Rt,
    pub(crate) warmups: usize,
    pub(crate) samples: usize,
}

impl Cfg {
    /// Runs `f` `warmups` times unrecorded, then `samples` times; `f` returns what it
    /// measured itself (from its first poll to the end of its work, say).
    pub(crate) fn sample(&self, mut f: impl FnMut() -> Duration) -> Vec<Duration> {
        for _ in 0..self.warmups {
            f();
        }
        (0..self.samples).map(|_| f()).collect()
    }
}

/// What a workload reports.
pub(crate) enum Outcome {
    Ok(Measured),
    /// This runtime cannot run the workload yet: why. Every weft crate exists now;
    /// the status stays in the protocol (and in `xtask`) for workloads to come.
    #[allow(dead_code)]
    NotYet(&'static str),
}

/// A workload's measurements in one process.
#[derive(Default)]
pub(crate) struct Measured {
    /// One per sample: the timed quantity.
    pub(crate) samples: Vec<Duration>,
    /// Operations per sample (spawns, round trips, messages, ...).
    pub(crate) ops: u64,
    pub(crate) p99: Option<Duration>,
    pub(crate) bytes_per_task: Option<f64>,
    /// CPU time (user + system) per sample, the median.
    pub(crate) cpu: Option<Duration>,
    pub(crate) note: Option<String>,
}

impl Measured {
    pub(crate) fn new(samples: Vec<Duration>, ops: u64) -> Measured {
        Measured {
            samples,
            ops,
            ..Measured::default()
        }
    }
}

/// A workload: its name, and how it runs on one runtime.
pub(crate) struct Workload {
    pub(crate) name: &'static str,
    pub(crate) run: fn(&Cfg) -> Outcome,
}

/// Every workload, in table order (BENCHMARKS.md's numbering).
fn workloads() -> Vec<Workload> {
    let mut v = Vec::new();
    v.extend(sched::WORKLOADS);
    v.extend(channel_ring::WORKLOADS);
    v.extend(contention::WORKLOADS);
    v.extend(timers_10k::WORKLOADS);
    v.extend(timer_churn::WORKLOADS);
    v.extend(tcp::WORKLOADS);
    v.extend(memory::WORKLOADS);
    v.extend(sync::WORKLOADS);
    v.extend(process::WORKLOADS);
    v.extend(idle_wake_latency::WORKLOADS);
    v
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: runner run --workload NAME --mode mt2|st --runtime weft|tokio|smol \
         [--warmups W] [--samples S]\n       runner list"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    // Cargo passes `--bench` to bench targets; it means nothing here.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("list") => {
            for w in workloads() {
                println!("{}", w.name);
            }
            ExitCode::SUCCESS
        }
        Some("run") => match parse(&args[1..]) {
            Ok(cfg) => run(&cfg),
            Err(e) => {
                eprintln!("runner: {e}");
                usage()
            }
        },
        _ => usage(),
    }
}

fn parse(args: &[String]) -> Result<Cfg, String> {
    let mut workload = None;
    let mut mode = None;
    let mut runtime = None;
    let (mut warmups, mut samples) = (2, 15);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?
            .as_str();
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: `{value}` is not a count"))
        };
        match flag.as_str() {
            "--workload" => workload = Some(value.to_string()),
            "--mode" => mode = Some(Mode::parse(value).ok_or(format!("no mode `{value}`"))?),
            "--runtime" => {
                runtime = Some(Rt::parse(value).ok_or(format!("no runtime `{value}`"))?);
            }
            "--warmups" => warmups = number()?,
            "--samples" => samples = number()?,
            _ => return Err(format!("unknown flag `{flag}`")),
        }
    }
    Ok(Cfg {
        workload: workload.ok_or("--workload is required")?,
        mode: mode.ok_or("--mode is required")?,
        runtime: runtime.ok_or("--runtime is required")?,
        warmups,
        samples,
    })
}

fn run(cfg: &Cfg) -> ExitCode {
    let Some(w) = workloads().into_iter().find(|w| w.name == cfg.workload) else {
        eprintln!("runner: no workload `{}` (see `runner list`)", cfg.workload);
        return ExitCode::from(2);
    };
    let mut line = format!(
        "{{\"workload\":\"{}\",\"mode\":\"{}\",\"runtime\":\"{}\"",
        w.name,
        cfg.mode.name(),
        cfg.runtime.name()
    );
    match (w.run)(cfg) {
        Outcome::NotYet(reason) => {
            write!(
                line,
                ",\"status\":\"not_yet\",\"reason\":{}",
                json_str(reason)
            )
            .unwrap();
        }
        Outcome::Ok(m) => {
            let ns: Vec<String> = m.samples.iter().map(|d| d.as_nanos().to_string()).collect();
            write!(
                line,
                ",\"status\":\"ok\",\"samples_ns\":[{}],\"ops\":{}",
                ns.join(","),
                m.ops
            )
            .unwrap();
            if let Some(p) = m.p99 {
                write!(line, ",\"p99_ns\":{}", p.as_nanos()).unwrap();
            }
            if let Some(b) = m.bytes_per_task {
                write!(line, ",\"bytes_per_task\":{b:.1}").unwrap();
            }
            if let Some(c) = m.cpu {
                write!(line, ",\"cpu_ns\":{}", c.as_nanos()).unwrap();
            }
            if let Some(n) = &m.note {
                write!(line, ",\"note\":{}", json_str(n)).unwrap();
            }
        }
    }
    line.push('}');
    println!("{line}");
    ExitCode::SUCCESS
}

/// `s` as a JSON string.
fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `q`-quantile (0..=1) of `v`, which it sorts.
pub(crate) fn quantile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * q).round() as usize;
    v[i.min(v.len().saturating_sub(1))]
}

/// CPU time (user + system) that `getrusage(who)` reports (`RUSAGE_SELF`: this process,
/// all threads; `RUSAGE_CHILDREN`: its reaped children).
pub(crate) fn rusage(who: libc::c_int) -> Duration {
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable `rusage`; `who` is one of the two above.
    let rc = unsafe { libc::getrusage(who, &mut usage) };
    assert_eq!(rc, 0, "getrusage: {}", std::io::Error::last_os_error());
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
