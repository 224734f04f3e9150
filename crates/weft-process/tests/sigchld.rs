//! The SIGCHLD reaper, which serves kernels without pidfds: the tests below run once
//! as they are (pidfd reaper) and once more, through the first test, in a fresh
//! process with `WEFT_PROCESS_REAPER=sigchld`, where each checks that the process
//! does catch SIGCHLD, i.e. that the fallback is the path under test.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Duration;

use common::{Watcher, catches_sigchld, run};
use futures::io::AsyncReadExt;
use weft_process::Command;

const FORCE: &str = "WEFT_PROCESS_REAPER";
/// The tests below, not counting the driver.
const CASES: usize = 6;

fn forced() -> bool {
    std::env::var_os(FORCE).is_some_and(|v| v == "sigchld")
}

/// After a spawn: the reaper in use is the one this run is meant to test.
fn check_mode() {
    assert_eq!(
        catches_sigchld(),
        forced(),
        "SIGCHLD is caught exactly when the SIGCHLD reaper is forced"
    );
}

#[test]
fn every_case_passes_again_under_the_sigchld_reaper() {
    if forced() {
        return; // the inner run skips this test anyway
    }
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::process::Command::new(exe)
        .env(FORCE, "sigchld")
        .args(["--skip", "every_case_passes_again", "--test-threads", "4"])
        .output()
        .expect("run the test binary again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let summary = format!("test result: ok. {CASES} passed");
    assert!(
        stdout.contains(&summary),
        "expected {summary:?} in:\n{stdout}"
    );
}

#[test]
fn exit_codes_and_signals() {
    run(async {
        let mut child = Command::new("sh").args(["-c", "exit 6"]).spawn()?;
        check_mode();
        assert_eq!(child.wait().await?.code(), Some(6));
        assert_eq!(child.returncode(), Some(6));

        let mut child = Command::new("sleep").arg("1000").spawn()?;
        child.kill()?;
        assert_eq!(child.wait().await?.signal(), Some(9));
        assert_eq!(child.returncode(), Some(-9));
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn dropped_children_are_reaped() {
    run(async {
        let child = Command::new("true").spawn()?;
        check_mode();
        let watcher = Watcher::new(child.id());
        drop(child);
        watcher.reaped().await;

        let mut child = Command::new("sleep")
            .arg("1000")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let watcher = Watcher::new(child.id());
        let mut stdout = child.stdout.take().expect("piped");
        drop(child);
        assert_eq!(stdout.read(&mut [0; 8]).await?, 0);
        watcher.reaped().await;
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn fifty_concurrent_children_on_tokio() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let codes = rt.block_on(async {
        let tasks: Vec<_> = (0..50)
            .map(|i| {
                tokio::spawn(async move {
                    let arg = format!("exit {}", i % 5);
                    Command::new("sh").args(["-c", &arg]).status().await
                })
            })
            .collect();
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap().unwrap().code());
        }
        codes
    });
    check_mode();
    assert_eq!(codes, (0..50).map(|i| Some(i % 5)).collect::<Vec<_>>());
}

#[test]
fn communicate_on_both_pipes() {
    let input: Vec<u8> = (0..1 << 20).map(|i| (i % 13) as u8).collect();
    let out = run(async {
        let mut child = weft_process::create_subprocess_shell("tee /dev/stderr")?;
        check_mode();
        child.communicate(Some(&input)).await
    })
    .unwrap();
    assert!(out.status.success());
    assert!(out.stdout == input && out.stderr == input);
}

#[test]
fn kill_after_exit_is_harmless() {
    run(async {
        let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn()?;
        check_mode();
        Watcher::new(child.id()).exited().await;
        child.kill()?;
        assert_eq!(child.wait().await?.code(), Some(3));
        child.kill()?;
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn wait_is_cancel_safe() {
    run(async {
        let mut child = Command::new("sleep").arg("1000").spawn()?;
        check_mode();
        let cut = weft_util::timeout(Duration::from_millis(1), child.wait()).await;
        assert!(cut.is_err());
        child.terminate()?;
        assert_eq!(child.wait().await?.signal(), Some(15));
        std::io::Result::Ok(())
    })
    .unwrap();
}
