//! Issue 7's fault: when `accept` hits `EMFILE`, the server keeps serving the
//! clients it has and recovers when descriptors free up.
//!
//! The test runs in a child process (this test binary, run again with an
//! environment variable and the test's name as the filter), which lowers its own
//! `RLIMIT_NOFILE` and then opens files until it has no descriptor left, so nothing
//! else in the test run is starved of descriptors.

mod stream_support;

use std::fs::File;
use std::process::Command;

use futures::StreamExt;
use stream_support::*;
use weft_net::{StreamReader, StreamWriter, open_connection, start_server_with};

const CHILD: &str = "WEFT_NET_EMFILE_CHILD";
const NAME: &str = "accept_hitting_emfile_keeps_serving_and_recovers";

#[test]
fn accept_hitting_emfile_keeps_serving_and_recovers() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the child failed ({})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    for rt in ["Weft", "Tokio"] {
        assert!(
            stdout.contains(&format!("recovered on {rt}")),
            "the child did not run the scenario on {rt}\n--- stdout\n{stdout}"
        );
    }
}

/// Echoes lines until end of stream.
async fn echo(mut r: StreamReader, mut w: StreamWriter) {
    while let Ok(line) = r.readline().await {
        if line.is_empty() {
            return;
        }
        w.write(&line);
    }
}

async fn round_trip(r: &mut StreamReader, w: &mut StreamWriter, line: &[u8]) {
    w.write(line);
    assert_eq!(deadline("echo", r.readline()).await.unwrap(), line);
}

fn child() {
    lower_nofile_limit(256);
    for rt in [Rt::Weft, Rt::Tokio] {
        run(rt, |spawn| async move {
            let server = start_server_with(spawn, echo, "127.0.0.1:0").await.unwrap();
            let addr = server.local_addrs()[0];
            let (errors_tx, mut errors) = futures::channel::mpsc::unbounded();
            server.set_accept_error_handler(move |e| {
                let _ = errors_tx.unbounded_send(e.raw_os_error());
            });

            // A client the server has, served.
            let (mut r1, mut w1) = open_connection(addr).await.unwrap();
            round_trip(&mut r1, &mut w1, b"one\n").await;

            // Every descriptor taken but one, which the next client's socket takes.
            let mut fillers = Vec::new();
            let full = loop {
                match File::open("/dev/null") {
                    Ok(f) => fillers.push(f),
                    Err(e) => break e,
                }
            };
            assert_eq!(full.raw_os_error(), Some(libc::EMFILE), "{full}");
            fillers.pop();
            let (mut r2, mut w2) = open_connection(addr).await.unwrap();

            // The server's accept fails for want of a descriptor...
            let errno = deadline("an accept error", errors.next()).await;
            assert_eq!(errno, Some(Some(libc::EMFILE)));
            // ...and it serves the client it has meanwhile, while it backs off.
            for i in 0..20 {
                round_trip(&mut r1, &mut w1, format!("still {i}\n").as_bytes()).await;
            }
            assert!(server.is_serving());
            assert_eq!(server.connections(), 1);

            // Descriptors free up: the waiting client is accepted and served.
            drop(fillers);
            round_trip(&mut r2, &mut w2, b"two\n").await;
            round_trip(&mut r1, &mut w1, b"one again\n").await;
            assert_eq!(server.connections(), 2);

            server.close();
            drop((r1, w1, r2, w2));
            deadline("wait_closed", server.wait_closed()).await;
            println!("recovered on {rt:?}");
        });
    }
}

/// Lowers the soft `RLIMIT_NOFILE` to `n` (or the hard limit, if lower).
fn lower_nofile_limit(n: libc::rlim_t) {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through the valid pointer it is given.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    lim.rlim_cur = n.min(lim.rlim_max);
    // SAFETY: `setrlimit` reads one `rlimit` through the valid pointer it is given.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
}
