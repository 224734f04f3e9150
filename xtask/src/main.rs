//! weft's project tasks: `cargo xtask <task>` (the alias is in `.cargo/config.toml`).
//!
//! `cargo xtask bench` is the side-by-side benchmark harness of BENCHMARKS.md; the
//! contract between its pieces (the Rust runner, `benches/py/bench.py` and this
//! orchestrator) is the bench spec of issue 4. Where each step lives:
//!
//! - [`bench`](mod@bench): the bench tasks end to end (the order of the steps below);
//! - [`cli`]: the command line of every task;
//! - [`spec`]: what is measured: workloads in table order, runtimes, modes, targets,
//!   and the ratio / MISS verdicts;
//! - [`build`]: building the Rust runner, preparing the Python venv (uvloop);
//! - [`run`]: planning and running the runner processes (interleaved, with a progress
//!   bar) and reading their one JSON line;
//! - [`strace`]: syscalls per operation, by subtracting a zero-sample run;
//! - [`results`]: aggregation, `target/bench/results.json` (writing, reading back,
//!   and the CI check of its shape);
//! - [`table`]: the table printed from results.json;
//! - [`chart`]: `target/bench/chart.svg`, drawn from results.json.

mod bench;
mod build;
mod chart;
mod cli;
mod results;
mod run;
mod spec;
mod strace;
mod table;

use std::process::ExitCode;

use cli::Task;

fn main() -> ExitCode {
    match cli::parse(std::env::args().skip(1)) {
        Ok(Task::Help) => {
            print!("{}", cli::HELP);
            ExitCode::SUCCESS
        }
        Ok(Task::Bench(args)) => bench::bench(&args),
        Ok(Task::BenchReport { path }) => match bench::report(&path) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench-report: {e}");
                ExitCode::from(2)
            }
        },
        Ok(Task::CheckBenchJson { path, expect_ok }) => bench::check_bench_json(&path, &expect_ok),
        Err(msg) => {
            eprintln!("cargo xtask: {msg}\n\n{}", cli::HELP);
            ExitCode::from(2)
        }
    }
}
