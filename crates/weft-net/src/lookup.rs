//! `lookup_host`: name resolution on weft-util's blocking pool.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::vec;

use crate::addr::{Query, ToSocketAddrs};

/// Resolves `host` to its socket addresses: asyncio's `getaddrinfo`.
///
/// A literal address (`"127.0.0.1:80"`, `("::1", 80)`, a [`SocketAddr`]) comes back
/// at once. A host name is resolved by the system resolver (`getaddrinfo`, which reads
/// `/etc/hosts` and asks DNS as the system is configured) on a thread of weft-util's
/// blocking pool ([`weft_util::to_thread`]), so the task's thread never blocks. The
/// addresses come in the resolver's order (RFC 6724's preference).
///
/// # Errors
///
/// When the name does not resolve, or resolves to no address, the error's message
/// names the host (`failed to resolve "nosuch.invalid:80": ...`); its kind is the
/// resolver's. `InvalidInput` for a string without a port.
///
/// # Cancel safety
///
/// Cancel safe: dropping the future before a pool thread starts the lookup cancels
/// it; a lookup already running finishes on its thread and its answer is discarded.
///
/// # Examples
///
/// ```
/// use weft_net::lookup_host;
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     for addr in lookup_host("localhost:8080").await? {
///         assert!(addr.ip().is_loopback());
///         assert_eq!(addr.port(), 8080);
///     }
///     let err = lookup_host("nosuch.invalid:80").await.unwrap_err();
///     assert!(err.to_string().contains("nosuch.invalid"));
///     Ok(())
/// })
/// # }
/// ```
pub async fn lookup_host(host: impl ToSocketAddrs) -> io::Result<SocketAddrs> {
    let query = host.query();
    resolve(query).await.map(|addrs| SocketAddrs {
        inner: addrs.into_iter(),
    })
}

/// The addresses of a [`Query`]: at once for literals, from the blocking pool for names.
/// Never empty when `Ok`.
pub(crate) async fn resolve(query: Query) -> io::Result<Vec<SocketAddr>> {
    let (name, addrs) = match query {
        Query::Ready(Ok(addrs)) if addrs.is_empty() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no socket address given",
            ));
        }
        Query::Ready(res) => return res,
        Query::HostPort(host, port) => {
            let name = format!("{host}:{port}");
            let job = weft_util::to_thread(move || {
                std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
                    .map(Iterator::collect::<Vec<_>>)
            });
            (name, job.await.map_err(io::Error::from).and_then(|r| r))
        }
        Query::Str(s) => {
            let name = s.clone();
            let job = weft_util::to_thread(move || {
                std::net::ToSocketAddrs::to_socket_addrs(s.as_str())
                    .map(Iterator::collect::<Vec<_>>)
            });
            (name, job.await.map_err(io::Error::from).and_then(|r| r))
        }
    };
    match addrs {
        Ok(addrs) if addrs.is_empty() => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("failed to resolve {name:?}: no addresses"),
        )),
        Ok(addrs) => Ok(addrs),
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("failed to resolve {name:?}: {e}"),
        )),
    }
}

/// The addresses [`lookup_host`] found, in the resolver's order.
///
/// # Examples
///
/// ```
/// use weft_net::lookup_host;
///
/// # fn main() -> std::io::Result<()> {
/// let addrs = weft_reactor::block_on(lookup_host("127.0.0.1:53"))?;
/// assert_eq!(addrs.len(), 1);
/// assert_eq!(addrs.map(|a| a.port()).collect::<Vec<_>>(), [53]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SocketAddrs {
    inner: vec::IntoIter<SocketAddr>,
}

impl Iterator for SocketAddrs {
    type Item = SocketAddr;

    fn next(&mut self) -> Option<SocketAddr> {
        self.inner.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl DoubleEndedIterator for SocketAddrs {
    fn next_back(&mut self) -> Option<SocketAddr> {
        self.inner.next_back()
    }
}

impl ExactSizeIterator for SocketAddrs {}

impl fmt::Debug for SocketAddrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.inner.as_slice()).finish()
    }
}
