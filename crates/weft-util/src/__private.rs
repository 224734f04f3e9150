//! What the macros' expansions call; not part of the API.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

thread_local! {
    /// A xorshift state per thread, seeded from the standard library's random keys.
    static RNG: Cell<u64> = Cell::new(RandomState::new().hash_one(0_u8) | 1);
}

/// A pseudo-random number below `n`, which must not be 0: the branch that
/// `select!` polls first.
#[doc(hidden)]
pub fn random_below(n: usize) -> usize {
    let x = RNG.with(|rng| {
        let mut x = rng.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rng.set(x);
        x
    });
    // Multiply-shift: unbiased enough for choosing among a few branches.
    ((u128::from(x) * n as u128) >> 64) as usize
}

/// The `i`th branch to poll when starting at `start`, of `n`.
#[doc(hidden)]
pub fn rotate(start: usize, i: usize, n: usize) -> usize {
    (start + i) % n
}
