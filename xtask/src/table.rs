//! The table printed from results.json: one row per (workload, mode), a column per
//! runtime ("median (min)"), the ratio weft / best peer and the target; then a
//! second table for syscalls per op, p99 and CPU where present; then weft's speed-up
//! over uvloop, and why rows are missing.

use std::fmt::Write as _;

use crate::results::{Entry, Status};
use crate::spec::{self, Target};

/// The (workload, mode) pairs of `entries`, in file order.
fn groups(entries: &[Entry]) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for e in entries {
        let key = (e.workload.as_str(), e.mode.as_str());
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

/// The runtimes `entries` mention, in column order.
fn runtimes(entries: &[Entry]) -> Vec<&'static str> {
    spec::RUNTIMES
        .into_iter()
        .filter(|r| entries.iter().any(|e| e.runtime == *r))
        .collect()
}

/// A number with three significant digits (fewer decimals as it grows).
fn sig3(x: f64) -> String {
    let a = x.abs();
    if a >= 99.95 {
        format!("{x:.0}")
    } else if a >= 9.995 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The unit in which `ns` reads with at most three digits before the point.
fn unit(ns: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 4] = [(1.0, "ns"), (1e3, "us"), (1e6, "ms"), (1e9, "s")];
    for (div, name) in UNITS {
        if ns.abs() / div < 999.5 {
            return (div, name);
        }
    }
    UNITS[3]
}

/// A duration in ns with human units: `570ns`, `1.96ms`, `12.3s`.
pub(crate) fn fmt_ns(ns: f64) -> String {
    let (div, name) = unit(ns);
    format!("{}{name}", sig3(ns / div))
}

/// Bytes per task: `140.5 B`.
pub(crate) fn fmt_bytes(b: f64) -> String {
    if b >= 999.95 {
        format!("{b:.0} B")
    } else {
        format!("{b:.1} B")
    }
}

/// A count per op: `7.00`, `0.0123`, `0`.
fn fmt_per_op(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x >= 1.0 {
        sig3(x)
    } else if x >= 0.001 {
        format!("{x:.4}")
    } else {
        format!("{x:.1e}")
    }
}

/// A runtime's cell of the main table: `1.96ms (1.90)` (median, then min in the
/// median's unit), bytes per task for memory_per_task, `not yet`, `error`, or `-`
/// when it did not run.
pub(crate) fn cell(entry: Option<&Entry>) -> String {
    let Some(e) = entry else {
        return "-".into();
    };
    match e.status {
        Status::NotYet => return "not yet".into(),
        Status::Error => return "error".into(),
        Status::Ok => {}
    }
    if e.workload == spec::MEMORY
        && let Some(b) = e.bytes_per_task
    {
        return fmt_bytes(b);
    }
    match (e.median_ns, e.min_ns) {
        (Some(med), Some(min)) => {
            let (div, _) = unit(med as f64);
            format!("{} ({})", fmt_ns(med as f64), sig3(min as f64 / div))
        }
        (Some(med), None) => fmt_ns(med as f64),
        _ => "-".into(),
    }
}

/// Lays out `rows` under `headers`, two spaces apart; columns whose `right` is set
/// are right-aligned.
fn layout(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = widths[i].saturating_sub(c.chars().count());
            if right[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(pad));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

/// The main table.
fn main_table(entries: &[Entry]) -> String {
    let rts = runtimes(entries);
    let mut headers = vec!["workload", "mode"];
    headers.extend(&rts);
    headers.extend(["weft/best", "target"]);
    let mut right = vec![false, false];
    right.extend(rts.iter().map(|_| true));
    right.extend([true, false]);
    let mut rows = Vec::new();
    for (workload, mode) in groups(entries) {
        let mut row = vec![workload.to_string(), mode.to_string()];
        for rt in &rts {
            row.push(cell(spec::find(entries, workload, mode, rt)));
        }
        let v = spec::verdict(entries, workload, mode);
        let ratio = v.ratio.map(|r| format!("{r:.2}"));
        row.push(match (ratio, v.miss) {
            (Some(r), true) => format!("{r} MISS"),
            (Some(r), false) => r,
            (None, true) => "MISS".into(),
            (None, false) => "-".into(),
        });
        row.push(v.target.map(Target::label).unwrap_or_default());
        rows.push(row);
    }
    layout(&headers, &right, &rows)
}

/// The second table: syscalls/op, p99 and CPU per sample, where any runtime has them.
fn extras_table(entries: &[Entry]) -> Option<String> {
    type Metric = (&'static str, fn(&Entry) -> Option<String>);
    let metrics: [Metric; 3] = [
        ("syscalls/op", |e| e.syscalls_per_op.map(fmt_per_op)),
        ("p99", |e| e.p99_ns.map(|n| fmt_ns(n as f64))),
        ("cpu/sample", |e| e.cpu_ns.map(|n| fmt_ns(n as f64))),
    ];
    let rts = runtimes(entries);
    let mut headers = vec!["workload", "mode", "metric"];
    headers.extend(&rts);
    headers.push("target");
    let mut right = vec![false, false, false];
    right.extend(rts.iter().map(|_| true));
    right.push(false);
    let mut rows = Vec::new();
    for (workload, mode) in groups(entries) {
        for (name, get) in &metrics {
            let cells: Vec<Option<String>> = rts
                .iter()
                .map(|rt| {
                    spec::find(entries, workload, mode, rt)
                        .filter(|e| e.status == Status::Ok)
                        .and_then(get)
                })
                .collect();
            if cells.iter().all(Option::is_none) {
                continue;
            }
            let mut row = vec![workload.to_string(), mode.to_string(), name.to_string()];
            row.extend(cells.into_iter().map(|c| c.unwrap_or_else(|| "-".into())));
            let mut target = String::new();
            if workload == "tcp_echo_latency" && *name == "syscalls/op" {
                target = format!("<={}", spec::TCP_SYSCALLS_PER_RT);
                let weft =
                    spec::find(entries, workload, mode, "weft").and_then(|e| e.syscalls_per_op);
                if weft.is_some_and(|x| x > spec::TCP_SYSCALLS_PER_RT) {
                    target.push_str(" MISS");
                }
            }
            row.push(target);
            rows.push(row);
        }
    }
    (!rows.is_empty()).then(|| layout(&headers, &right, &rows))
}

/// Joins `items` after `head` with ", ", wrapping before 120 columns with an indent.
fn wrapped(head: &str, items: &[String]) -> String {
    let mut out = head.to_string();
    let mut width = out.len();
    for (i, item) in items.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        if i > 0 && width + sep.len() + item.len() > 118 {
            out.push_str(",\n   ");
            width = 3;
        } else {
            out.push_str(sep);
            width += sep.len();
        }
        out.push_str(item);
        width += item.len();
    }
    out.push('\n');
    out
}

/// The entries that share a status, runtime and reason: (workload, its modes).
type ReasonGroup<'a> = (Status, &'a str, &'a str, Vec<(&'a str, Vec<&'a str>)>);

/// Why some cells say `not yet` or `error`: one line per runtime and reason, listing
/// its workloads (with the mode when only one of the modes is concerned).
fn reasons(entries: &[Entry]) -> String {
    let mut groups: Vec<ReasonGroup<'_>> = Vec::new();
    for e in entries.iter().filter(|e| e.status != Status::Ok) {
        let reason = e.reason.as_deref().unwrap_or("");
        let g = match groups
            .iter_mut()
            .position(|g| g.0 == e.status && g.1 == e.runtime && g.2 == reason)
        {
            Some(i) => &mut groups[i],
            None => {
                groups.push((e.status, &e.runtime, reason, Vec::new()));
                groups.last_mut().expect("just pushed")
            }
        };
        match g.3.iter_mut().find(|(w, _)| *w == e.workload) {
            Some((_, modes)) => modes.push(&e.mode),
            None => g.3.push((&e.workload, vec![&e.mode])),
        }
    }
    let all_modes = |modes: &[&str]| spec::MODES.iter().all(|m| modes.contains(m));
    let mut out = String::new();
    for (status, runtime, reason, workloads) in groups {
        let label = if status == Status::NotYet {
            "not yet"
        } else {
            "error"
        };
        let items: Vec<String> = workloads
            .iter()
            .map(|(w, modes)| {
                if all_modes(modes) {
                    w.to_string()
                } else {
                    format!("{w} ({})", modes.join(", "))
                }
            })
            .collect();
        out.push_str(&wrapped(&format!("{label}: {runtime} ({reason}):"), &items));
    }
    out
}

/// The runners' notes, shortened: per workload and runtime, the note of the first
/// mode that has one; runtimes with the same text on one line; each line cut at 120
/// columns (results.json keeps every note whole).
fn notes(entries: &[Entry]) -> String {
    let mut first_mode: Vec<(&str, &str, &str)> = Vec::new();
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for e in entries {
        let Some(note) = e.note.as_deref() else {
            continue;
        };
        let mode = match first_mode
            .iter()
            .find(|(w, r, _)| *w == e.workload && *r == e.runtime)
        {
            Some((_, _, m)) => *m,
            None => {
                first_mode.push((&e.workload, &e.runtime, &e.mode));
                &e.mode
            }
        };
        if e.mode != mode {
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == e.workload && g.1 == note) {
            Some(g) => g.2.push(&e.runtime),
            None => groups.push((&e.workload, note, vec![&e.runtime])),
        }
    }
    let mut out = String::new();
    for (workload, note, rts) in groups {
        let line = format!("note: {workload} ({}): {note}", rts.join(", "));
        if line.chars().count() > 120 {
            let cut: String = line.chars().take(117).collect();
            let _ = writeln!(out, "{cut}...");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// Everything printed after a run, drawn from results.json's entries.
pub(crate) fn render(entries: &[Entry]) -> String {
    let mut out = main_table(entries);
    out.push_str(
        "(cells: median (min, in the median's unit) over all samples of all processes; \
         memory_per_task: bytes per task)\n",
    );
    if let Some(extras) = extras_table(entries) {
        out.push('\n');
        out.push_str(&extras);
    }
    let speedups = spec::uvloop_speedups(entries);
    if !speedups.is_empty() {
        let _ = writeln!(
            out,
            "\nweft's speed-up over uvloop (target >= {}x):",
            spec::UVLOOP_SPEEDUP
        );
        let width = speedups.iter().map(|s| s.workload.len()).max().unwrap_or(0);
        for s in &speedups {
            let _ = writeln!(
                out,
                "  {:width$}  {:>6}x  (weft {} vs uvloop st){}",
                s.workload,
                sig3(s.factor),
                s.weft_mode,
                if s.miss { "  MISS" } else { "" }
            );
        }
    }
    let why = reasons(entries) + &notes(entries);
    if !why.is_empty() {
        out.push('\n');
        out.push_str(&why);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_yet(workload: &str, mode: &str) -> Entry {
        Entry {
            status: Status::NotYet,
            reason: Some("weft-net (issue 7)".into()),
            ..Entry::new(workload, mode, "weft")
        }
    }

    #[test]
    fn durations_get_human_units() {
        assert_eq!(fmt_ns(25.0), "25.0ns");
        assert_eq!(fmt_ns(570_123.0), "570us");
        assert_eq!(fmt_ns(1_960_000.0), "1.96ms");
        assert_eq!(fmt_ns(18_100_000.0), "18.1ms");
        assert_eq!(fmt_ns(999_700.0), "1.00ms"); // not "1000us"
        assert_eq!(fmt_ns(12_340_000_000.0), "12.3s");
        assert_eq!(fmt_bytes(140.54), "140.5 B");
    }

    #[test]
    fn cells_show_median_then_min_in_its_unit() {
        assert_eq!(
            cell(Some(&Entry::measured(
                "x", "st", "weft", 1_960_000, 1_900_000
            ))),
            "1.96ms (1.90)"
        );
        assert_eq!(
            cell(Some(&Entry::measured(
                "x",
                "st",
                "weft",
                570_000,
                998_000 / 2
            ))),
            "570us (499)"
        );
        assert_eq!(cell(Some(&not_yet("x", "st"))), "not yet");
        assert_eq!(cell(None), "-");
        let mut mem = Entry::measured(spec::MEMORY, "st", "weft", 5_000_000, 4_000_000);
        mem.bytes_per_task = Some(140.0);
        assert_eq!(cell(Some(&mem)), "140.0 B");
    }

    /// A full-size table like the one BENCHMARKS.md's peer figures would give.
    fn realistic() -> Vec<Entry> {
        let mut v = Vec::new();
        for w in spec::WORKLOADS {
            for m in spec::MODES {
                if w.starts_with("tcp_") || w.ends_with("_own") {
                    v.push(not_yet(w, m));
                } else {
                    v.push(Entry::measured(w, m, "weft", 1_234_000, 1_200_000));
                }
                v.push(Entry::measured(w, m, "tokio", 24_000_000, 23_900_000));
                v.push(Entry::measured(w, m, "smol", 58_000_000, 57_100_000));
                if m == "st" {
                    v.push(Entry::measured(w, m, "asyncio", 174_000_000, 171_000_000));
                    v.push(Entry::measured(w, m, "uvloop", 142_000_000, 139_000_000));
                }
            }
        }
        v
    }

    #[test]
    fn the_table_fits_in_120_columns() {
        let text = render(&realistic());
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 120, "{widest} columns:\n{text}");
        assert!(text.lines().next().unwrap().starts_with("workload"));
        assert!(
            text.contains(
                "not yet: weft (weft-net (issue 7)): mpsc_contention_own, tcp_echo_latency"
            )
        );
    }

    #[test]
    fn notes_are_shortened() {
        let mut a = Entry::measured("memory_per_task", "mt2", "weft", 1, 1);
        a.note = Some(format!("fresh 231.5 B/task; {}", "x".repeat(200)));
        let mut b = Entry::measured("memory_per_task", "st", "weft", 1, 1);
        b.note = Some("another mode's note".into());
        let mut py = Entry::measured("memory_per_task", "st", "asyncio", 1, 1);
        py.note = Some("asyncio's own".into());
        let mut c = Entry::measured("channel_ring", "mt2", "weft", 1, 1);
        c.note = Some("async-channel".into());
        let mut d = Entry::measured("channel_ring", "mt2", "tokio", 1, 1);
        d.note = Some("async-channel".into());
        let text = notes(&[a, b, py, c, d]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("note: memory_per_task (weft): fresh 231.5"));
        assert!(lines[0].ends_with("...") && lines[0].chars().count() == 120);
        // A runtime that runs only the second mode keeps its note.
        assert_eq!(lines[1], "note: memory_per_task (asyncio): asyncio's own");
        assert_eq!(lines[2], "note: channel_ring (weft, tokio): async-channel");
    }

    #[test]
    fn long_lists_wrap_before_120_columns() {
        let items: Vec<String> = (0..12).map(|i| format!("workload_number_{i}")).collect();
        let text = wrapped("not yet: weft (a reason):", &items);
        assert!(text.lines().count() >= 2, "{text}");
        assert!(text.lines().all(|l| l.len() <= 120), "{text}");
        assert!(
            text.lines()
                .nth(1)
                .unwrap()
                .starts_with("   workload_number_"),
            "{text}"
        );
        // Nothing lost on the way.
        assert_eq!(text.matches("workload_number_").count(), 12);
    }

    #[test]
    fn rows_show_ratio_target_and_miss() {
        let entries = vec![
            Entry::measured("ping_pong", "mt2", "weft", 450_000, 440_000),
            Entry::measured("ping_pong", "mt2", "tokio", 570_000, 560_000),
            Entry::measured("ping_pong", "mt2", "smol", 1_900_000, 1_800_000),
            Entry::measured("ping_pong", "st", "weft", 600_000, 590_000),
            Entry::measured("ping_pong", "st", "tokio", 556_000, 550_000),
            not_yet("tcp_echo_latency", "st"),
            Entry::measured("tcp_echo_latency", "st", "tokio", 101_000_000, 100_000_000),
        ];
        let text = render(&entries);
        let row = |prefix: &str| {
            text.lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("no row {prefix}:\n{text}"))
                .to_string()
        };
        let mt2 = row("ping_pong         mt2");
        assert!(
            mt2.contains("450us (440)") && mt2.contains("0.79") && !mt2.contains("MISS"),
            "{mt2}"
        );
        assert!(mt2.ends_with("<=0.8"), "{mt2}");
        let st = row("ping_pong         st");
        assert!(st.contains("1.08 MISS"), "{st}");
        // smol did not run in st: a dash, not a zero.
        let tcp = row("tcp_echo_latency");
        assert!(tcp.contains("not yet") && tcp.contains("<=0.95"), "{tcp}");
        assert!(!tcp.contains("MISS"), "{tcp}");
        assert!(
            text.contains("not yet: weft (weft-net (issue 7)): tcp_echo_latency (st)"),
            "{text}"
        );
        // No Python ran: no Python columns, no speed-up lines.
        assert!(!text.contains("uvloop"), "{text}");
    }

    #[test]
    fn extras_and_uvloop_lines_appear_when_present() {
        let mut weft = Entry::measured("spawn_many_local", "st", "weft", 1_000_000, 900_000);
        weft.syscalls_per_op = Some(0.0123);
        let mut tcp = Entry::measured("tcp_echo_latency", "st", "weft", 90_000_000, 89_000_000);
        tcp.syscalls_per_op = Some(7.5);
        tcp.p99_ns = Some(12_000);
        let entries = vec![
            weft,
            Entry::measured("spawn_many_local", "st", "uvloop", 18_100_000, 18_000_000),
            tcp,
            Entry::measured("tcp_echo_latency", "st", "uvloop", 142_000_000, 140_000_000),
        ];
        let text = render(&entries);
        assert!(text.contains("syscalls/op"), "{text}");
        assert!(text.contains("0.0123"), "{text}");
        assert!(text.contains("12.0us"), "{text}");
        assert!(text.contains("<=7 MISS"), "{text}");
        let spawn = text
            .lines()
            .find(|l| l.trim_start().starts_with("spawn_many_local") && l.contains('x'))
            .unwrap();
        assert!(
            spawn.contains("18.1x") && !spawn.contains("MISS"),
            "{spawn}"
        );
        let slow = text
            .lines()
            .find(|l| l.trim_start().starts_with("tcp_echo_latency") && l.contains("vs uvloop"))
            .unwrap();
        assert!(slow.contains("1.58x") && slow.contains("MISS"), "{slow}");
    }
}
