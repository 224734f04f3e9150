//! `race`: the first to finish wins and the loser is dropped.

mod common;

use std::future::{pending, ready};
use std::sync::atomic::Ordering;

use common::{Gate, everywhere, pending_guarded, yield_now};
use weft_util::race;

#[test]
fn the_first_to_finish_wins_and_the_loser_is_dropped() {
    everywhere(|| async {
        let (loser, dropped) = pending_guarded();
        let winner = async {
            yield_now().await;
            "winner"
        };
        assert_eq!(race(loser, winner).await, "winner");
        assert!(dropped.load(Ordering::SeqCst), "the loser was dropped");

        let (loser, dropped) = pending_guarded();
        assert_eq!(race(ready(1), loser).await, 1);
        assert!(dropped.load(Ordering::SeqCst), "the loser was dropped");
    });
}

#[test]
fn the_first_argument_wins_a_tie() {
    everywhere(|| async {
        assert_eq!(race(ready('a'), ready('b')).await, 'a');
    });
}

#[test]
fn both_run_concurrently() {
    everywhere(|| async {
        let gate = Gate::new();
        let waiter = async {
            gate.wait().await;
            "waiter"
        };
        let opener = async {
            gate.open();
            pending().await
        };
        assert_eq!(race(waiter, opener).await, "waiter");
    });
}
