//! `HyperTimer`: hyper's timer on the reactor's timers.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::rt::Sleep;
use weft_reactor::time::{self, Timer};

/// hyper's [`Timer`](hyper::rt::Timer) on weft's reactor: its sleeps are
/// [`weft_reactor::time::Timer`]s, so they work under any executor.
///
/// Give it to hyper's connection builders (`.timer(HyperTimer)`) for the timeouts
/// that need one: HTTP/1 `header_read_timeout` (30 seconds by default once a timer
/// is set), HTTP/2 keep-alive pings, and the client pool's idle timeout.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use hyper::server::conn::http1;
/// use weft_net::hyper::HyperTimer;
///
/// let mut builder = http1::Builder::new();
/// builder.timer(HyperTimer).header_read_timeout(Duration::from_secs(5));
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct HyperTimer;

impl hyper::rt::Timer for HyperTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        Box::pin(HyperSleep(Timer::after(duration)))
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(HyperSleep(Timer::at(time::Instant::from_std(deadline))))
    }

    fn now(&self) -> Instant {
        time::Instant::now().into_std()
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<HyperSleep>() {
            // Re-arm the timer in place rather than allocate another one.
            Some(mut ours) => ours.0.reset(time::Instant::from_std(new_deadline)),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// A reactor timer as hyper's [`Sleep`].
struct HyperSleep(Timer);

impl Future for HyperSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(|_| ())
    }
}

impl Sleep for HyperSleep {}
