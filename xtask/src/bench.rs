//! The three bench tasks end to end: `cargo xtask bench` (build, run, aggregate,
//! write results.json, report from it), `bench-report` and `check-bench-json`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::BenchArgs;
use crate::{build, chart, results, run, spec, table};

/// The workspace root (xtask lives one level below it).
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// `target/bench` (under `CARGO_TARGET_DIR` when that is set).
pub(crate) fn bench_dir(root: &Path) -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    };
    target.join("bench")
}

/// `cargo xtask bench`: build, run, aggregate, write results.json, then print the
/// table and draw the chart from the file just written.
pub(crate) fn bench(args: &BenchArgs) -> ExitCode {
    let root = workspace_root();
    let dir = bench_dir(&root);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("bench: cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    // The Rust runner is built only when one of its runtimes is wanted.
    let wants_rust = spec::RUST_RUNTIMES.iter().any(|r| args.wants_runtime(r));
    let runner = match &args.runner {
        Some(path) => Some(path.clone()),
        None if !wants_rust => None,
        None => match build::build_runner(&root) {
            Ok(path) => Some(path),
            Err(e) => {
                eprintln!("bench: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let plan = match run::plan(args, &root, &dir, runner.as_deref()) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("bench: {e}");
            return ExitCode::from(2);
        }
    };
    if plan.jobs.is_empty() {
        eprintln!("bench: no workload matches the filters");
        return ExitCode::from(2);
    }
    let collected = run::run_all(&plan, args, &dir);
    let entries = results::aggregate_all(&collected);
    let failed = entries.iter().any(|e| e.status == results::Status::Error);
    let path = dir.join("results.json");
    if let Err(e) = results::write(&path, &entries) {
        eprintln!("bench: {e}");
        return ExitCode::from(2);
    }
    // The table and the chart come from the file, as the contract says.
    if let Err(e) = report(&path) {
        eprintln!("bench: {e}");
        return ExitCode::from(2);
    }
    if failed {
        eprintln!("bench: at least one runner failed (status \"error\" above)");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints the table and draws `chart.svg` (beside the file) from a results.json:
/// the end of `cargo xtask bench`, and `cargo xtask bench-report`.
pub(crate) fn report(path: &Path) -> Result<(), String> {
    let entries = results::read(path)?;
    println!("{}", table::render(&entries));
    let svg = path.with_file_name("chart.svg");
    chart::draw(&entries, &svg).map_err(|e| format!("chart: {e}"))?;
    println!("wrote {} and {}", path.display(), svg.display());
    Ok(())
}

/// `cargo xtask check-bench-json`: the shape of results.json, never a timing.
pub(crate) fn check_bench_json(path: &Path, expect_ok: &[String]) -> ExitCode {
    match results::check_file(path, expect_ok) {
        Ok(summary) => {
            println!("{}: {summary}", path.display());
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", path.display());
            }
            ExitCode::from(1)
        }
    }
}
