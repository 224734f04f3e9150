//! weft's project tasks: `cargo xtask <task>` (the alias is in `.cargo/config.toml`).

use std::process::ExitCode;

const HELP: &str = "\
usage: cargo xtask <task>

tasks:
  bench    run the workloads of BENCHMARKS.md on weft, tokio, smol and asyncio
  help     print this message
";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        None | Some("help" | "-h" | "--help") => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("bench") => {
            eprintln!(
                "cargo xtask bench: the side-by-side harness is not built yet (issue 4); \
                 until then `cargo bench -p weft-benches` runs the reactor's benchmarks"
            );
            ExitCode::from(2)
        }
        Some(other) => {
            eprintln!("cargo xtask: unknown task `{other}`\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
