//! Connecting to the first of several addresses that answers: Happy Eyeballs
//! (RFC 8305, section 5).
//!
//! The addresses are taken in the resolver's order with the two families interleaved,
//! starting with the family of the first. One attempt starts; the next starts when the
//! previous attempt fails, or when 250 ms (the Connection Attempt Delay) pass without
//! a result, while the earlier attempts go on. The first connection made wins and the
//! other attempts are dropped (their sockets closed); when every attempt fails, the
//! last failure's error is returned.

use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use weft_reactor::time::Timer;

use super::TcpStream;
use super::connect::{connect_socket, new_socket};

/// How long an attempt runs alone before the next one starts (RFC 8305's
/// recommended Connection Attempt Delay).
pub(crate) const ATTEMPT_DELAY: Duration = Duration::from_millis(250);

type Attempt = Pin<Box<dyn Future<Output = io::Result<TcpStream>> + Send>>;

/// Connects to the first of `addrs` (not empty) that answers.
pub(crate) async fn connect(addrs: Vec<SocketAddr>) -> io::Result<TcpStream> {
    match addrs.as_slice() {
        [addr] => connect_addr(*addr).await,
        _ => Race::new(interleave(addrs)).await,
    }
}

async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
    connect_socket(new_socket(&addr)?, addr).await
}

/// `addrs` with the families alternating, starting with the first address's; the
/// order within each family is kept.
fn interleave(addrs: Vec<SocketAddr>) -> VecDeque<SocketAddr> {
    let Some(first) = addrs.first() else {
        return VecDeque::new();
    };
    let first_v6 = first.is_ipv6();
    let (mut a, mut b): (VecDeque<_>, VecDeque<_>) =
        addrs.into_iter().partition(|x| x.is_ipv6() == first_v6);
    let mut out = VecDeque::with_capacity(a.len() + b.len());
    loop {
        match (a.pop_front(), b.pop_front()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

/// The attempts under way, the addresses not tried yet, and the delay's timer.
struct Race {
    queue: VecDeque<SocketAddr>,
    attempts: Vec<Attempt>,
    timer: Timer,
    last_error: Option<io::Error>,
}

impl Race {
    fn new(queue: VecDeque<SocketAddr>) -> Race {
        Race {
            queue,
            attempts: Vec::new(),
            timer: Timer::never(),
            last_error: None,
        }
    }

    fn start_next(&mut self) {
        if let Some(addr) = self.queue.pop_front() {
            self.attempts.push(Box::pin(connect_addr(addr)));
            self.timer.reset_after(ATTEMPT_DELAY);
        }
    }
}

impl Future for Race {
    type Output = io::Result<TcpStream>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<TcpStream>> {
        let this = self.get_mut();
        if this.attempts.is_empty() {
            this.start_next();
        }
        loop {
            let mut failed = false;
            let mut i = 0;
            while i < this.attempts.len() {
                match this.attempts[i].as_mut().poll(cx) {
                    Poll::Ready(Ok(stream)) => return Poll::Ready(Ok(stream)),
                    Poll::Ready(Err(e)) => {
                        this.last_error = Some(e);
                        drop(this.attempts.swap_remove(i));
                        failed = true;
                    }
                    Poll::Pending => i += 1,
                }
            }
            if this.queue.is_empty() {
                if this.attempts.is_empty() {
                    let e = this.last_error.take().unwrap_or_else(|| {
                        io::Error::new(io::ErrorKind::InvalidInput, "no address to connect to")
                    });
                    return Poll::Ready(Err(e));
                }
                return Poll::Pending;
            }
            // A failure starts the next attempt at once; otherwise the delay does.
            if failed || Pin::new(&mut this.timer).poll(cx).is_ready() {
                this.start_next();
                continue;
            }
            return Poll::Pending;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::interleave;
    use std::net::SocketAddr;

    fn addrs(list: &[&str]) -> Vec<SocketAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn interleave_alternates_families_from_the_first() {
        let got = interleave(addrs(&[
            "[::1]:1",
            "[::2]:1",
            "[::3]:1",
            "10.0.0.1:1",
            "10.0.0.2:1",
        ]));
        let want = addrs(&["[::1]:1", "10.0.0.1:1", "[::2]:1", "10.0.0.2:1", "[::3]:1"]);
        assert_eq!(Vec::from(got), want);
        let got = interleave(addrs(&["10.0.0.1:1", "[::1]:1"]));
        assert_eq!(Vec::from(got), addrs(&["10.0.0.1:1", "[::1]:1"]));
    }
}
