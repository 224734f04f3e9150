//! `Signals` and `ctrl_c`. Each test uses a signal of its own, since tests run
//! side by side in one process and every listener of a signal gets every delivery.

mod common;

use std::io::ErrorKind;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::run;
use futures::{FutureExt, StreamExt};
use signal_hook::low_level::raise;
use weft_process::Command;
use weft_process::signal::{self, Signals};

#[test]
fn several_signals_each_get_a_raised_signal() {
    run(async {
        let mut listeners = [
            Signals::new([signal::SIGUSR1])?,
            Signals::new([signal::SIGUSR1, signal::SIGTTIN])?,
            Signals::new([signal::SIGUSR1])?,
        ];
        for round in 0..2 {
            raise(signal::SIGUSR1)?;
            for (i, s) in listeners.iter_mut().enumerate() {
                assert_eq!(
                    s.next().await,
                    Some(signal::SIGUSR1),
                    "listener {i}, round {round}"
                );
            }
        }
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn a_handler_installed_by_signal_hook_still_runs() {
    let before = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal::SIGUSR2, before.clone()).unwrap();
    run(async {
        let mut signals = Signals::new([signal::SIGUSR2])?;
        let after = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(signal::SIGUSR2, after.clone())?;
        raise(signal::SIGUSR2)?;
        assert_eq!(signals.next().await, Some(signal::SIGUSR2));
        assert!(
            before.load(Ordering::SeqCst),
            "the handler installed before weft's ran"
        );
        assert!(
            after.load(Ordering::SeqCst),
            "the handler installed after weft's ran"
        );

        // Still so once weft's listener is gone.
        drop(signals);
        before.store(false, Ordering::SeqCst);
        raise(signal::SIGUSR2)?;
        assert!(before.load(Ordering::SeqCst));
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn ctrl_c_completes_on_sigint() {
    run(async {
        let mut interrupted = signal::ctrl_c();
        assert!((&mut interrupted).now_or_never().is_none(), "no SIGINT yet");
        raise(signal::SIGINT)?;
        interrupted.await
    })
    .unwrap();
}

#[test]
fn signals_under_foreign_executors() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let got = rt.block_on(async {
        let mut s = Signals::new([signal::SIGWINCH]).unwrap();
        raise(signal::SIGWINCH).unwrap();
        s.next().await
    });
    assert_eq!(got, Some(signal::SIGWINCH));

    let got = futures::executor::block_on(async {
        let mut s = Signals::new([signal::SIGURG]).unwrap();
        // From another thread this time: the handler runs there.
        std::thread::spawn(|| raise(signal::SIGURG).unwrap());
        s.recv().await
    });
    assert_eq!(got, Some(signal::SIGURG));
}

/// A pending `recv` dropped: the signal that comes next is not lost.
#[test]
fn recv_is_cancel_safe() {
    run(async {
        let mut s = Signals::new([signal::SIGALRM])?;
        assert!(s.recv().now_or_never().is_none());
        raise(signal::SIGALRM)?;
        assert!(s.recv().await == Some(signal::SIGALRM));
        std::io::Result::Ok(())
    })
    .unwrap();
}

#[test]
fn signals_that_cannot_be_handled_are_refused() {
    for sig in [
        signal::SIGKILL,
        signal::SIGSTOP,
        signal::SIGSEGV,
        0,
        -1,
        200,
    ] {
        let err = Signals::new([signal::SIGHUP, sig]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "signal {sig}");
    }
    let s = Signals::new([signal::SIGHUP]).unwrap();
    assert_eq!(
        s.add_signal(signal::SIGKILL).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn send_signal_refuses_numbers_that_are_not_signals() {
    run(async {
        let mut child = Command::new("sleep")
            .arg("1000")
            .kill_on_drop(true)
            .spawn()?;
        for sig in [0, -3, 1000] {
            let err = child.send_signal(sig).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "signal {sig}");
        }
        assert_eq!(child.try_wait()?, None, "nothing was sent");
        child.send_signal(signal::SIGHUP)?;
        assert_eq!(child.wait().await?.code(), None);
        assert_eq!(child.returncode(), Some(-signal::SIGHUP));
        std::io::Result::Ok(())
    })
    .unwrap();
}
