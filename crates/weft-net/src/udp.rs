//! `UdpSocket`: asyncio's datagram endpoint over UDP.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::task::{Context, Poll};

use weft_reactor::Async;

use crate::addr::ToSocketAddrs;
use crate::lookup::resolve;
use crate::ready::{Dir, poll_io, try_io};

/// A UDP socket: asyncio's `create_datagram_endpoint`.
///
/// Unconnected, it sends to any address ([`send_to`](UdpSocket::send_to)) and
/// receives from any ([`recv_from`](UdpSocket::recv_from)); once
/// [`connect`](UdpSocket::connect)-ed, [`send`](UdpSocket::send) and
/// [`recv`](UdpSocket::recv) talk to one peer. Every method takes `&self`, so an
/// `Arc<UdpSocket>` serves a sending task and a receiving task.
///
/// # Examples
///
/// ```
/// use weft_net::UdpSocket;
///
/// # fn main() -> std::io::Result<()> {
/// weft_reactor::block_on(async {
///     let server = UdpSocket::bind("127.0.0.1:0").await?;
///     let client = UdpSocket::bind("127.0.0.1:0").await?;
///     client.send_to(b"ping", server.local_addr()?).await?;
///
///     let mut buf = [0; 64];
///     let (n, from) = server.recv_from(&mut buf).await?;
///     server.send_to(&buf[..n], from).await?;
///     let (n, _) = client.recv_from(&mut buf).await?;
///     assert_eq!(&buf[..n], b"ping");
///     Ok(())
/// })
/// # }
/// ```
pub struct UdpSocket {
    io: Async<std::net::UdpSocket>,
}

impl UdpSocket {
    /// A socket bound to `addr` (port 0 picks a free port). A name is resolved
    /// first, and the first address that binds is used.
    ///
    /// # Errors
    ///
    /// The resolver's error; otherwise the last address's: `AddrInUse` when the port
    /// is taken, `AddrNotAvailable` when the address is not this machine's.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a socket is made only when the future completes.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = weft_reactor::block_on(UdpSocket::bind("127.0.0.1:0"))?;
    /// assert_ne!(socket.local_addr()?.port(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        let mut last = None;
        for addr in resolve(addr.query()).await? {
            match std::net::UdpSocket::bind(addr) {
                Ok(s) => return UdpSocket::from_std(s),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("resolve gives at least one address"))
    }

    /// Connects the socket to `addr`: [`send`](UdpSocket::send) goes there, and only
    /// datagrams from there are received. A name is resolved first; the first
    /// address that connects is used. No packet is sent.
    ///
    /// # Errors
    ///
    /// The resolver's error; otherwise the last address's (`InvalidInput` when its
    /// family is not the socket's, for example).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, though a connect may have happened if the future is dropped after
    /// the name resolved.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     a.connect(b.local_addr()?).await?;
    ///     assert_eq!(a.peer_addr()?, b.local_addr()?);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn connect(&self, addr: impl ToSocketAddrs) -> io::Result<()> {
        let mut last = None;
        for addr in resolve(addr.query()).await? {
            match self.io.get_ref().connect(addr) {
                Ok(()) => return Ok(()),
                Err(e) => last = Some(e),
            }
        }
        Err(last.expect("resolve gives at least one address"))
    }

    /// Sends a datagram to `target`; returns the bytes sent (all of `buf`). A name is
    /// resolved first, and the datagram goes to its first address.
    ///
    /// # Errors
    ///
    /// The resolver's error; `InvalidInput` or the system's `EMSGSIZE` error when
    /// `buf` is too large for one datagram; the other errors of `sendto(2)`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a datagram is sent in the poll that returns, or not at all.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     assert_eq!(a.send_to(b"hi", b.local_addr()?).await?, 2);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn send_to(&self, buf: &[u8], target: impl ToSocketAddrs) -> io::Result<usize> {
        let target = resolve(target.query()).await?[0];
        self.io.write_with(|s| s.send_to(buf, target)).await
    }

    /// Sends a datagram to `target` without waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when the send buffer is full; otherwise as
    /// [`send_to`](UdpSocket::send_to).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     a.writable().await?;
    ///     assert_eq!(a.try_send_to(b"hi", a.local_addr()?)?, 2);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn try_send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        try_io(&self.io, Dir::Write, |s| s.send_to(buf, target))
    }

    /// Polls a send to `target`, keeping one waker (the last task to poll).
    ///
    /// # Errors
    ///
    /// As [`send_to`](UdpSocket::send_to).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let to = a.local_addr()?;
    ///     poll_fn(|cx| a.poll_send_to(cx, b"self", to)).await?;
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        poll_io(&self.io, Dir::Write, cx, |s| s.send_to(buf, target))
    }

    /// Receives a datagram and its sender's address, leaving the datagram queued: the
    /// next receive gets it again.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: peeking takes nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     b.send_to(b"twice", a.local_addr()?).await?;
    ///     let mut buf = [0; 8];
    ///     let (n, from) = a.peek_from(&mut buf).await?;
    ///     assert_eq!((&buf[..n], from), (&b"twice"[..], b.local_addr()?));
    ///     let (n, _) = a.recv_from(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"twice");
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub async fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.read_with(|s| s.peek_from(buf)).await
    }

    /// Polls [`peek_from`](UdpSocket::peek_from), keeping one waker (the last task to
    /// poll).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft_net::UdpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// weft_reactor::block_on(async {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     a.send_to(b"me", a.local_addr()?).await?;
    ///     let mut buf = [0; 8];
    ///     let (n, _) = poll_fn(|cx| a.poll_peek_from(cx, &mut buf)).await?;
    ///     assert_eq!(n, 2);
    ///     Ok(())
    /// })
    /// # }
    /// ```
    pub fn poll_peek_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        poll_io(&self.io, Dir::Read, cx, |s| s.peek_from(buf))
    }
}

/// One option's setter and getter, documented with an example that sets and reads it.
macro_rules! udp_option {
    ($(#[$set_doc:meta])* $set:ident, $(#[$get_doc:meta])* $get:ident, $t:ty, $v:expr, $bind:literal) => {
        impl UdpSocket {
            $(#[$set_doc])*
            ///
            /// # Errors
            ///
            /// As the system call's.
            ///
            /// # Examples
            ///
            #[doc = concat!(
                "```\n# weft_reactor::block_on(async {\n",
                "let socket = weft_net::UdpSocket::bind(\"", $bind, "\").await?;\n",
                "socket.", stringify!($set), "(", stringify!($v), ")?;\n",
                "assert_eq!(socket.", stringify!($get), "()?, ", stringify!($v), ");\n",
                "# std::io::Result::Ok(())\n# }).unwrap();\n```"
            )]
            pub fn $set(&self, value: $t) -> io::Result<()> {
                self.io.get_ref().$set(value)
            }

            $(#[$get_doc])*
            ///
            /// # Errors
            ///
            /// As the system call's.
            ///
            /// # Examples
            ///
            #[doc = concat!(
                "```\n# weft_reactor::block_on(async {\n",
                "let socket = weft_net::UdpSocket::bind(\"", $bind, "\").await?;\n",
                "println!(\"{:?}\", socket.", stringify!($get), "()?);\n",
                "# std::io::Result::Ok(())\n# }).unwrap();\n```"
            )]
            pub fn $get(&self) -> io::Result<$t> {
                self.io.get_ref().$get()
            }
        }
    };
}

udp_option!(
    /// Sets `SO_BROADCAST`: whether datagrams may go to a broadcast address.
    set_broadcast,
    /// Whether `SO_BROADCAST` is set.
    broadcast,
    bool,
    true,
    "127.0.0.1:0"
);
udp_option!(
    /// Sets `IP_TTL`, the time-to-live of the datagrams sent.
    set_ttl,
    /// `IP_TTL`, the time-to-live of the datagrams sent.
    ttl,
    u32,
    33,
    "127.0.0.1:0"
);
udp_option!(
    /// Sets `IP_MULTICAST_LOOP`: whether IPv4 multicast datagrams sent come back to
    /// this host's sockets.
    set_multicast_loop_v4,
    /// Whether `IP_MULTICAST_LOOP` is set.
    multicast_loop_v4,
    bool,
    false,
    "127.0.0.1:0"
);
udp_option!(
    /// Sets `IP_MULTICAST_TTL`, how far IPv4 multicast datagrams travel (1: this
    /// network only).
    set_multicast_ttl_v4,
    /// `IP_MULTICAST_TTL`.
    multicast_ttl_v4,
    u32,
    4,
    "127.0.0.1:0"
);
impl UdpSocket {
    /// Sets `IPV6_MULTICAST_LOOP`: whether IPv6 multicast datagrams sent come back to
    /// this host's sockets.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// if let Ok(socket) = UdpSocket::bind("[::1]:0").await {
    ///     socket.set_multicast_loop_v6(false)?;
    ///     assert!(!socket.multicast_loop_v6()?);
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.io.get_ref().set_multicast_loop_v6(on)
    }

    /// Whether `IPV6_MULTICAST_LOOP` is set.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// if let Ok(socket) = UdpSocket::bind("[::1]:0").await {
    ///     println!("{}", socket.multicast_loop_v6()?);
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.io.get_ref().multicast_loop_v6()
    }

    /// Joins the IPv4 multicast group `group` on the interface with address
    /// `interface` (`UNSPECIFIED`: the system picks).
    ///
    /// # Errors
    ///
    /// As the system call's: `InvalidInput` when `group` is not a multicast address.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// let socket = UdpSocket::bind("0.0.0.0:0").await?;
    /// let group = Ipv4Addr::new(239, 255, 0, 1);
    /// // A machine without a multicast route refuses; that is its business.
    /// if socket.join_multicast_v4(group, Ipv4Addr::UNSPECIFIED).is_ok() {
    ///     socket.leave_multicast_v4(group, Ipv4Addr::UNSPECIFIED)?;
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn join_multicast_v4(&self, group: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.get_ref().join_multicast_v4(&group, &interface)
    }

    /// Leaves the IPv4 multicast group `group` on the interface `interface`.
    ///
    /// # Errors
    ///
    /// As the system call's: `AddrNotAvailable` when the socket is not a member.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::Ipv4Addr;
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// let socket = UdpSocket::bind("0.0.0.0:0").await?;
    /// let group = Ipv4Addr::new(239, 255, 0, 2);
    /// assert!(socket.leave_multicast_v4(group, Ipv4Addr::UNSPECIFIED).is_err()); // not joined
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn leave_multicast_v4(&self, group: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.get_ref().leave_multicast_v4(&group, &interface)
    }

    /// Joins the IPv6 multicast group `group` on interface number `interface` (0: the
    /// system picks).
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::Ipv6Addr;
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// if let Ok(socket) = UdpSocket::bind("[::]:0").await {
    ///     let group: Ipv6Addr = "ff02::1:3".parse().unwrap();
    ///     if socket.join_multicast_v6(&group, 0).is_ok() {
    ///         socket.leave_multicast_v6(&group, 0)?;
    ///     }
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn join_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.get_ref().join_multicast_v6(group, interface)
    }

    /// Leaves the IPv6 multicast group `group` on interface number `interface`.
    ///
    /// # Errors
    ///
    /// As the system call's.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::net::Ipv6Addr;
    /// use weft_net::UdpSocket;
    ///
    /// # weft_reactor::block_on(async {
    /// if let Ok(socket) = UdpSocket::bind("[::]:0").await {
    ///     let group: Ipv6Addr = "ff02::1:4".parse().unwrap();
    ///     assert!(socket.leave_multicast_v6(&group, 0).is_err()); // not joined
    /// }
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn leave_multicast_v6(&self, group: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.get_ref().leave_multicast_v6(group, interface)
    }
}

datagram_io!(
    UdpSocket,
    std::net::UdpSocket,
    SocketAddr,
    "# let a = weft_net::UdpSocket::bind(\"127.0.0.1:0\").await?;\n# let b = weft_net::UdpSocket::bind(\"127.0.0.1:0\").await?;\n# a.connect(b.local_addr()?).await?;\n# b.connect(a.local_addr()?).await?;\n"
);
