//! `TCP_INQ`: a read that also says how many bytes it left in the socket, so a read
//! that emptied it ends the readiness without a second, failing read.

use std::io;
use std::os::fd::RawFd;

/// Sets or clears `TCP_INQ` on `fd` (Linux 4.18 and later).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn set_tcp_inq(fd: RawFd, on: bool) -> io::Result<()> {
    let value = libc::c_int::from(on);
    // SAFETY: `value` is a live `c_int` and the length given is its size; a bad
    // descriptor or option yields -1 and an errno.
    let res = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_TCP,
            libc::TCP_INQ,
            (&raw const value).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if res == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn set_tcp_inq(_: RawFd, _: bool) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "weft-reactor: TCP_INQ is a Linux option",
    ))
}

/// One `recvmsg` into `buf`: the bytes read, and the bytes left when the kernel says
/// (the `TCP_CM_INQ` control message, sent while `TCP_INQ` is on). Descriptors passed
/// on a Unix socket are closed, as a plain read discards them.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn recv_inq(fd: RawFd, buf: &mut [u8]) -> io::Result<(usize, Option<usize>)> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // Room for one `c_int` message and then some, aligned for `cmsghdr`.
    let mut control = [0usize; 4];
    // SAFETY: `msghdr` is plain data, for which all zeroes is a valid (empty) value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &raw mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: `msg` points at one iovec over `buf` (valid for `buf.len()` bytes) and at
    // `control` (valid for `msg_controllen` bytes), all alive for the call; a bad
    // descriptor yields -1 and an errno.
    let n = unsafe { libc::recvmsg(fd, &raw mut msg, libc::MSG_CMSG_CLOEXEC) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut left = None;
    // SAFETY: `msg` is the header the kernel just filled: `msg_controllen` is the
    // length of the control data it wrote into `control`.
    let mut cmsg = unsafe { libc::CMSG_FIRSTHDR(&raw const msg) };
    // SAFETY: `CMSG_LEN` only computes a length.
    let want = unsafe { libc::CMSG_LEN(std::mem::size_of::<libc::c_int>() as _) } as usize;
    while !cmsg.is_null() {
        // SAFETY: a non-null result of `CMSG_FIRSTHDR`/`CMSG_NXTHDR` points at a whole,
        // aligned header inside `control`, which is alive.
        let hdr = unsafe { &*cmsg };
        if hdr.cmsg_level == libc::SOL_TCP
            && hdr.cmsg_type == libc::TCP_CM_INQ
            && hdr.cmsg_len as usize >= want
        {
            // SAFETY: the header is whole (above): its data follows it in `control`.
            let data = unsafe { libc::CMSG_DATA(cmsg) };
            // SAFETY: the header's length covers a `c_int` of data, inside `control`;
            // the read assumes no alignment.
            let v = unsafe { data.cast::<libc::c_int>().read_unaligned() };
            left = usize::try_from(v).ok();
        } else if hdr.cmsg_level == libc::SOL_SOCKET && hdr.cmsg_type == libc::SCM_RIGHTS {
            // Descriptors passed on a Unix socket: a plain read discards them, and so
            // does this one, rather than leave them open unknown to anyone.
            // SAFETY: as above, the header is whole: its data follows it in `control`.
            let data = unsafe { libc::CMSG_DATA(cmsg) }.cast::<libc::c_int>();
            // SAFETY: `CMSG_LEN` only computes a length.
            let header = unsafe { libc::CMSG_LEN(0) } as usize;
            // The data is `cmsg_len` less the header: a whole number of `c_int`s.
            let count =
                (hdr.cmsg_len as usize).saturating_sub(header) / std::mem::size_of::<libc::c_int>();
            for i in 0..count {
                // SAFETY: `i` is below the count of descriptors in this header's data,
                // which lies inside `control`; the read assumes no alignment.
                let passed = unsafe { data.wrapping_add(i).read_unaligned() };
                // SAFETY: the kernel has just installed `passed` for this call, and
                // nothing else knows of it; closing a bad descriptor only fails.
                unsafe { libc::close(passed) };
            }
        }
        // SAFETY: `cmsg` is a header of `msg`'s control data (above); the result is
        // the next whole header or null.
        cmsg = unsafe { libc::CMSG_NXTHDR(&raw const msg, cmsg) };
    }
    // `n` is not negative (checked above).
    Ok((n as usize, left))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(super) fn recv_inq(fd: RawFd, buf: &mut [u8]) -> io::Result<(usize, Option<usize>)> {
    // SAFETY: `buf` is valid for `buf.len()` bytes for the call; a bad descriptor
    // yields -1 and an errno.
    let n = unsafe { libc::recv(fd, buf.as_mut_ptr().cast(), buf.len(), 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // `n` is not negative (checked above).
    Ok((n as usize, None))
}
