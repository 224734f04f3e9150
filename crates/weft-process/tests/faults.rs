//! The bad input and faults, one test each (the 200-children test, which
//! scans /proc for zombies, has a process of its own: `zombies.rs`).

mod common;

use std::io::{ErrorKind, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

use common::{Watcher, run};
use futures::FutureExt;
use futures::io::AsyncReadExt;
use weft_process::{Command, SpawnError};

#[test]
fn missing_program_is_not_found_and_named() {
    let err = run(async { Command::new("weft-no-such-program").spawn() }).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(
        err.to_string().contains("weft-no-such-program"),
        "the message names the program: {err}"
    );
    let inner = err.get_ref().and_then(|e| e.downcast_ref::<SpawnError>());
    assert_eq!(
        inner.expect("a SpawnError").program(),
        "weft-no-such-program"
    );

    // Through the helpers and `status`/`output` too.
    let err = run(async { weft_process::create_subprocess_exec("/no/such/dir/prog", ["x"]) })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("/no/such/dir/prog"));
    let err = run(Command::new("weft-no-such-program").output()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

/// Writes 10 MiB to a child that echoes it on both stdout and stderr as it reads:
/// without concurrent draining, the pipes fill up and everyone waits forever.
#[test]
fn communicate_ten_mib_each_way_does_not_deadlock() {
    const LEN: usize = 10 * 1024 * 1024;
    let input: Vec<u8> = (0..LEN).map(|i| (i % 251) as u8).collect();
    let out = run(async {
        let mut child = weft_process::create_subprocess_shell("tee /dev/stderr")?;
        child.communicate(Some(&input)).await
    })
    .expect("communicate");
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(out.stdout.len(), LEN);
    assert_eq!(out.stderr.len(), LEN);
    assert!(out.stdout == input, "stdout holds the input, byte for byte");
    assert!(out.stderr == input, "stderr holds the input, byte for byte");
}

#[test]
fn child_killed_by_a_signal_reports_it() {
    run(async {
        let mut child = Command::new("sleep").arg("1000").spawn()?;
        assert_eq!(child.returncode(), None);
        child.kill()?;
        let status = child.wait().await?;
        assert_eq!(status.signal(), Some(9));
        assert_eq!(status.code(), None);
        assert!(!status.success());
        assert_eq!(child.returncode(), Some(-9));

        // A signal the child sends itself counts the same.
        let mut child = Command::new("sh").args(["-c", "kill -TERM $$"]).spawn()?;
        assert_eq!(child.wait().await?.signal(), Some(15));
        assert_eq!(child.returncode(), Some(-15));
        std::io::Result::Ok(())
    })
    .unwrap();
}

/// `kill` after the exit: on a zombie (exited, not reaped) and on a reaped child.
/// Neither sends anything anywhere: the zombie's status stays its exit code, and
/// a bystander process started meanwhile keeps running.
#[test]
fn kill_on_an_exited_child_is_harmless() {
    run(async {
        let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn()?;
        Watcher::new(child.id()).exited().await; // a zombie now, not reaped yet
        child.kill()?;
        child.terminate()?;
        let status = child.wait().await?;
        assert_eq!(status.code(), Some(3), "the exit status, not a kill");

        // Reaped: its pid may be reused; nothing must reach the new owner.
        let mut bystander = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        child.kill()?;
        child.send_signal(libc::SIGTERM)?;
        assert_eq!(child.wait().await?.code(), Some(3));
        assert_eq!(bystander.try_wait()?, None, "the bystander still runs");
        let status = bystander.wait().await?; // closes its stdin: it ends
        assert_eq!(status.code(), Some(0), "the bystander got no signal");
        std::io::Result::Ok(())
    })
    .unwrap();
}

/// The child dies when its handle drops: its stdout (held by the test) reaches end
/// of file, and the test's own pidfd sees it reaped.
#[test]
fn kill_on_drop_child_dies_when_its_handle_drops() {
    run(async {
        let mut child = Command::new("sleep")
            .arg("1000")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let watcher = Watcher::new(child.id());
        let mut stdout = child.stdout.take().expect("piped");
        drop(child);
        assert_eq!(
            stdout.read(&mut [0; 16]).await?,
            0,
            "end of file: the child is gone"
        );
        watcher.reaped().await;

        // Without kill_on_drop the child lives on, and is reaped once it ends.
        let mut child = Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let watcher = Watcher::new(child.id());
        let mut stdin = child.stdin.take().expect("piped");
        let mut stdout = child.stdout.take().expect("piped");
        drop(child);
        futures::io::AsyncWriteExt::write_all(&mut stdin, b"alive").await?;
        let mut buf = [0; 5];
        stdout.read_exact(&mut buf).await?;
        assert_eq!(&buf, b"alive", "the child outlived its handle");
        drop(stdin);
        watcher.reaped().await;
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn wait_from_tokio_current_thread() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (status, out) = rt
        .block_on(async {
            let status = Command::new("sh").args(["-c", "exit 5"]).status().await?;
            let mut child =
                weft_process::create_subprocess_exec("cat", std::iter::empty::<&str>())?;
            let out = child.communicate(Some(b"through tokio")).await?;
            std::io::Result::Ok((status, out))
        })
        .unwrap();
    assert_eq!(status.code(), Some(5));
    assert_eq!(out.stdout, b"through tokio");
}

#[test]
fn wait_from_tokio_multi_thread() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let codes = rt.block_on(async {
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                tokio::spawn(async move {
                    let status = Command::new("sh")
                        .args(["-c", &format!("exit {i}")])
                        .status()
                        .await?;
                    std::io::Result::Ok(status.code())
                })
            })
            .collect();
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap().unwrap());
        }
        codes
    });
    assert_eq!(codes, (0..8).map(Some).collect::<Vec<_>>());
}

#[test]
fn wait_from_futures_block_on() {
    let out = futures::executor::block_on(async {
        let mut child = Command::new("sh")
            .args(["-c", "echo from futures; exit 2"])
            .stdout(Stdio::piped())
            .spawn()?;
        child.communicate(None).await
    })
    .unwrap();
    assert_eq!(out.stdout, b"from futures\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn wait_from_weft_executor() {
    let ex = weft_executor::Executor::new(2).unwrap();
    let statuses = ex.block_on(async {
        let tasks: Vec<_> = (0..4)
            .map(|_| weft_executor::spawn(async { Command::new("true").status().await }))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap().unwrap());
        }
        out
    });
    assert!(statuses.iter().all(|s| s.success()));
}

/// A pending `wait` dropped, then another: the status is not lost.
#[test]
fn wait_is_cancel_safe() {
    run(async {
        let mut child = Command::new("sleep").arg("1000").spawn()?;
        assert!(child.wait().now_or_never().is_none(), "still running");
        // Cancelled by a timeout while pending, this time on the reactor.
        let waited = weft_util::timeout(std::time::Duration::from_millis(1), child.wait()).await;
        assert!(waited.is_err(), "timed out: still running");
        child.kill()?;
        assert_eq!(child.wait().await?.signal(), Some(9));

        // Exited and reaped by one wait; a second wait gets the same status.
        let mut child = Command::new("sh").args(["-c", "exit 4"]).spawn()?;
        Watcher::new(child.id()).exited().await;
        assert_eq!(child.wait().await?.code(), Some(4));
        assert_eq!(child.wait().await?.code(), Some(4));
        std::io::Result::Ok(())
    })
    .unwrap();
}

/// A `communicate` cancelled after reading part of the output, then called again:
/// every byte arrives once.
#[test]
fn communicate_is_cancel_safe() {
    let (gate_r, mut gate_w) = std::io::pipe().unwrap();
    let (mut ready_r, ready_w) = std::io::pipe().unwrap();
    run(async {
        // Writes "first", says so on stderr, then waits for a line on its stdin (a
        // pipe the test holds, not one `communicate` closes) to write "second".
        let mut child = Command::new("sh")
            .args(["-c", "echo first; echo ready >&2; read x; echo second"])
            .stdin(Stdio::from(gate_r))
            .stdout(Stdio::piped())
            .stderr(Stdio::from(ready_w))
            .spawn()?;
        let mut ready = [0; 6];
        ready_r.read_exact(&mut ready)?; // "first" is in the pipe now
        let cut = weft_util::timeout(
            std::time::Duration::from_millis(50),
            child.communicate(None),
        )
        .await;
        assert!(cut.is_err(), "cancelled while the child waits at the gate");
        gate_w.write_all(b"go\n")?;
        let out = child.communicate(None).await?;
        assert_eq!(out.stdout, b"first\nsecond\n");
        assert!(out.status.success());
        std::io::Result::Ok(())
    })
    .unwrap();
}
