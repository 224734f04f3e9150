//! `gather!` and `try_gather!`: outputs in order, concurrency, any arity, and the
//! `try_` form's early exit, under weft's `block_on`, futures' and tokio's.

mod common;

use std::future::ready;
use std::sync::atomic::Ordering;

use common::{Gate, everywhere, pending_guarded};
use weft_util::{gather, try_gather};

#[test]
fn outputs_come_in_the_order_written() {
    everywhere(|| async {
        let (a, b, c) = gather!(async { 1_u8 }, ready("two"), async {
            String::from("three")
        })
        .await;
        assert_eq!((a, b, c.as_str()), (1, "two", "three"));
    });
}

#[test]
fn futures_run_concurrently() {
    // The first waits for a gate that only the second opens: awaited one after the
    // other, this would never finish.
    everywhere(|| async {
        let gate = Gate::new();
        let waiter = async {
            gate.wait().await;
            "waited"
        };
        let opener = async {
            gate.open();
            "opened"
        };
        assert_eq!(gather!(waiter, opener).await, ("waited", "opened"));
    });
}

#[test]
fn sixteen_futures() {
    everywhere(|| async {
        let (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p) = gather!(
            ready(0),
            ready(1),
            ready(2),
            ready(3),
            ready(4),
            ready(5),
            ready(6),
            ready(7),
            ready(8),
            ready(9),
            ready(10),
            ready(11),
            ready(12),
            ready(13),
            ready(14),
            async { 15 },
        )
        .await;
        assert_eq!(
            [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p],
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        );
        assert_eq!(gather!(ready('x')).await, ('x',));
        gather!().await;
    });
}

#[test]
fn expressions_are_evaluated_at_once_and_borrow_only_what_they_use() {
    everywhere(|| async {
        let mut log = Vec::new();
        let text = String::from("kept");
        let fut = gather!(
            {
                log.push("first");
                ready(text.len())
            },
            {
                log.push("second");
                ready(())
            },
        );
        assert_eq!(log, ["first", "second"]); // before the first poll
        assert_eq!(fut.await, (4, ()));
        assert_eq!(text, "kept"); // not moved into the gather
    });
}

#[test]
fn try_gather_gives_all_values() {
    everywhere(|| async {
        let out = try_gather!(async { Ok::<_, String>(1) }, ready(Ok("b"))).await;
        assert_eq!(out, Ok((1, "b")));
    });
}

#[test]
fn try_gather_stops_at_the_first_error_and_drops_the_rest() {
    everywhere(|| async {
        let (stuck, dropped) = pending_guarded::<Result<u8, &str>>();
        let gate = Gate::new();
        let late_error = async {
            gate.wait().await;
            Err::<(), _>("second error")
        };
        let first_error = async {
            gate.open(); // the later error becomes ready too, but is not the first
            Err::<char, _>("first error")
        };
        let out = try_gather!(stuck, late_error, first_error).await;
        assert_eq!(out, Err("first error"));
        assert!(
            dropped.load(Ordering::SeqCst),
            "the pending future was dropped"
        );
    });
}

#[test]
fn gather_of_results_keeps_every_error() {
    // asyncio's return_exceptions=True.
    everywhere(|| async {
        let (a, b) = gather!(ready(Err::<u8, _>("bad")), ready(Ok::<_, &str>(2))).await;
        assert_eq!((a, b), (Err("bad"), Ok(2)));
    });
}
