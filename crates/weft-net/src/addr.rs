//! `ToSocketAddrs`: what `connect`, `bind` and `lookup_host` accept as an address.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// A value that names one or more socket addresses: a literal address, or a host name
/// and port to resolve.
///
/// Implemented for [`SocketAddr`], [`SocketAddrV4`], [`SocketAddrV6`], `(IpAddr, u16)`,
/// `(Ipv4Addr, u16)`, `(Ipv6Addr, u16)`, `(&str, u16)`, `(String, u16)`, `&str` and
/// `String` (`"host:port"`), `&[SocketAddr]`, and references to any of these. Literal
/// addresses (`"127.0.0.1:80"`, `("::1", 80)`) are parsed in place; host names are
/// resolved with the system resolver on weft-util's blocking pool (see
/// [`lookup_host`](crate::lookup_host)).
///
/// The trait is sealed: its machinery is private, so it cannot be implemented outside
/// this crate.
///
/// # Examples
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
/// use weft_net::{ToSocketAddrs, lookup_host};
///
/// async fn first(addr: impl ToSocketAddrs) -> std::io::Result<SocketAddr> {
///     Ok(lookup_host(addr).await?.next().expect("at least one address"))
/// }
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let want: SocketAddr = "127.0.0.1:8080".parse().unwrap();
///     assert_eq!(first("127.0.0.1:8080").await?, want);
///     assert_eq!(first((Ipv4Addr::LOCALHOST, 8080)).await?, want);
///     assert_eq!(first(("127.0.0.1", 8080)).await?, want);
///     assert_eq!(first(&[want][..]).await?, want);
///     Ok(())
/// })
/// # }
/// ```
pub trait ToSocketAddrs: sealed::ToSocketAddrsPriv {}

pub(crate) mod sealed {
    use super::Query;

    /// The private half of [`ToSocketAddrs`](super::ToSocketAddrs).
    pub trait ToSocketAddrsPriv {
        /// The addresses, or the name to resolve.
        fn query(&self) -> Query;
    }
}

use sealed::ToSocketAddrsPriv;

/// What a [`ToSocketAddrs`] value asks for.
#[derive(Debug)]
pub enum Query {
    /// Literal addresses (or an error found while parsing): no resolver needed.
    Ready(io::Result<Vec<SocketAddr>>),
    /// A host name and a port.
    HostPort(String, u16),
    /// A `"host:port"` string that is not a literal address.
    Str(String),
}

macro_rules! literal {
    ($($t:ty),*) => {$(
        impl ToSocketAddrs for $t {}
        impl ToSocketAddrsPriv for $t {
            fn query(&self) -> Query {
                Query::Ready(Ok(vec![SocketAddr::from(*self)]))
            }
        }
    )*};
}

literal!(
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    (IpAddr, u16),
    (Ipv4Addr, u16),
    (Ipv6Addr, u16)
);

impl ToSocketAddrs for (&str, u16) {}
impl ToSocketAddrsPriv for (&str, u16) {
    fn query(&self) -> Query {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Query::Ready(Ok(vec![SocketAddr::new(ip, port)])),
            Err(_) => Query::HostPort(host.to_owned(), port),
        }
    }
}

impl ToSocketAddrs for (String, u16) {}
impl ToSocketAddrsPriv for (String, u16) {
    fn query(&self) -> Query {
        (self.0.as_str(), self.1).query()
    }
}

impl ToSocketAddrs for str {}
impl ToSocketAddrsPriv for str {
    fn query(&self) -> Query {
        match self.parse::<SocketAddr>() {
            Ok(addr) => Query::Ready(Ok(vec![addr])),
            Err(_) if self.rsplit_once(':').is_none() => Query::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid socket address {self:?}: no port"),
            ))),
            Err(_) => Query::Str(self.to_owned()),
        }
    }
}

impl ToSocketAddrs for String {}
impl ToSocketAddrsPriv for String {
    fn query(&self) -> Query {
        self.as_str().query()
    }
}

impl ToSocketAddrs for [SocketAddr] {}
impl ToSocketAddrsPriv for [SocketAddr] {
    fn query(&self) -> Query {
        Query::Ready(Ok(self.to_vec()))
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: ToSocketAddrs + ?Sized> ToSocketAddrsPriv for &T {
    fn query(&self) -> Query {
        (**self).query()
    }
}
