//! `select!`: the winning branch, losers dropped before its handler, disabled
//! branches, `else`, `biased;`, fairness, and control flow in handlers.

mod common;

use std::future::{pending, ready};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{Gate, everywhere, pending_guarded, yield_now};
use weft_util::select;

#[test]
fn the_ready_branch_wins() {
    everywhere(|| async {
        let out = select! {
            () = pending::<()>() => 0,
            n = async { yield_now().await; 2 } => n,
            s = async { pending::<()>().await; "never" } => s.len(),
        };
        assert_eq!(out, 2);
    });
}

#[test]
fn the_losers_are_dropped_before_the_handler_runs() {
    everywhere(|| async {
        let (loser, dropped) = pending_guarded::<()>();
        let seen_in_handler: Arc<AtomicBool> = select! {
            () = loser => unreachable!(),
            () = ready(()) => {
                Arc::new(AtomicBool::new(dropped.load(Ordering::SeqCst)))
            }
        };
        assert!(
            seen_in_handler.load(Ordering::SeqCst),
            "dropped before the handler"
        );
    });
}

#[test]
fn a_mismatched_pattern_disables_its_branch() {
    everywhere(|| async {
        let gate = Gate::new();
        let out = select! {
            biased;
            Some(n) = async { gate.open(); None::<u8> } => n,
            Ok(n) = async { gate.wait().await; Ok::<u8, ()>(5) } => n,
        };
        assert_eq!(out, 5);
    });
}

#[test]
fn else_runs_when_every_branch_is_disabled() {
    everywhere(|| async {
        let out = select! {
            Some(n) = ready(None::<u8>) => n,
            Err(e) = ready(Ok::<(), u8>(())) => e,
            else => 99,
        };
        assert_eq!(out, 99);
    });
}

#[test]
#[should_panic(expected = "every branch is disabled")]
fn no_else_panics_when_every_branch_is_disabled() {
    weft_reactor::block_on(async {
        select! {
            Some(n) = ready(None::<u8>) => n,
        }
    });
}

#[test]
fn biased_polls_in_order() {
    everywhere(|| async {
        for _ in 0..100 {
            let out = select! {
                biased;
                a = ready('a') => a,
                b = ready('b') => b,
            };
            assert_eq!(out, 'a');
        }
    });
}

#[test]
fn unbiased_gives_every_ready_branch_a_turn() {
    everywhere(|| async {
        let (mut a, mut b) = (0, 0);
        for _ in 0..1_000 {
            select! {
                () = ready(()) => a += 1,
                () = ready(()) => b += 1,
            }
        }
        // Both at 0 but one has a chance of 2^-999.
        assert!(a > 0 && b > 0, "a won {a} times, b {b} times");
    });
}

#[test]
fn handlers_can_break_continue_and_return() {
    async fn first_even(values: &[u32]) -> Option<u32> {
        let mut i = 0;
        loop {
            let value = values.get(i).copied();
            i += 1;
            select! {
                v = ready(value) => match v {
                    None => return None,
                    Some(v) if v % 2 == 1 => continue,
                    Some(v) => break Some(v),
                },
            }
        }
    }
    everywhere(|| async {
        assert_eq!(first_even(&[1, 3, 4, 5]).await, Some(4));
        assert_eq!(first_even(&[1, 3]).await, None);
    });
}

#[test]
fn a_future_kept_across_iterations() {
    // `&mut fut` keeps a future (and its progress) across loop iterations.
    everywhere(|| async {
        let gate = Gate::new();
        let mut done = std::pin::pin!(gate.wait());
        let mut ticks = 0;
        loop {
            select! {
                biased;
                () = &mut done => break,
                () = yield_now() => {
                    ticks += 1;
                    if ticks == 3 {
                        gate.open();
                    }
                }
            }
        }
        assert_eq!(ticks, 3);
    });
}
