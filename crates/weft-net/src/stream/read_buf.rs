//! The reader's buffer: bytes read from the transport and not yet handed out.
//!
//! One initialized `Vec<u8>` and the range `start..end` of live bytes. Reads go into
//! the tail; handing bytes out moves `start`. The live bytes move to the front only
//! when the tail is nearly used up, and the allocation grows (doubling) only when the
//! caller lets the live bytes grow past it: [`ReadBuf::spare`] takes the most the
//! buffer may hold after the read, which is how a line search stays within its limit.

/// The first allocation, made on the first read.
const INITIAL: usize = 8 * 1024;
/// Below this much room at the tail, the live bytes move to the front first.
const MIN_TAIL: usize = 1024;
/// An emptied buffer larger than this gives its memory back.
const KEEP_AT_MOST: usize = 256 * 1024;

#[derive(Default)]
pub(crate) struct ReadBuf {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl ReadBuf {
    pub(crate) fn new() -> ReadBuf {
        ReadBuf::default()
    }

    /// The buffered bytes.
    pub(crate) fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Drops the first `n` buffered bytes.
    pub(crate) fn consume(&mut self, n: usize) {
        assert!(n <= self.len(), "consumed more than was buffered");
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
            if self.buf.len() > KEEP_AT_MOST {
                self.buf = Vec::new();
            }
        }
    }

    /// Hands out the first `n` buffered bytes.
    pub(crate) fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.len());
        if n >= INITIAL && self.start == 0 && n == self.end && n * 2 >= self.buf.len() {
            // A large read that fills most of the allocation: hand the allocation over
            // rather than copy it; the next read allocates afresh.
            let mut out = std::mem::take(&mut self.buf);
            out.truncate(n);
            self.end = 0;
            return out;
        }
        let out = self.data()[..n].to_vec();
        self.consume(n);
        out
    }

    /// Hands out every buffered byte.
    pub(crate) fn take_all(&mut self) -> Vec<u8> {
        self.take(self.len())
    }

    /// Room at the tail to read into, such that the buffered bytes stay at most
    /// `max_len` (at least one byte of room is given while they are fewer). Moves the
    /// live bytes to the front or grows the allocation as needed.
    pub(crate) fn spare(&mut self, max_len: usize) -> &mut [u8] {
        let len = self.len();
        let max_len = max_len.max(len + 1);
        let tail = self.buf.len() - self.end;
        if self.start > 0 && tail < MIN_TAIL.min(max_len - len) {
            self.buf.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = len;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).max(INITIAL).min(max_len.max(INITIAL));
            self.buf.resize(grown, 0);
        }
        let hi = self.buf.len().min(self.start.saturating_add(max_len));
        &mut self.buf[self.end..hi]
    }

    /// Records that `n` bytes were read into [`spare`](ReadBuf::spare)'s slice.
    pub(crate) fn filled(&mut self, n: usize) {
        debug_assert!(self.end + n <= self.buf.len());
        self.end += n;
    }

    /// The allocation's size.
    pub(crate) fn capacity(&self) -> usize {
        self.buf.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(b: &mut ReadBuf, max_len: usize, bytes: &[u8]) -> usize {
        let spare = b.spare(max_len);
        let n = spare.len().min(bytes.len());
        spare[..n].copy_from_slice(&bytes[..n]);
        b.filled(n);
        n
    }

    #[test]
    fn spare_never_lets_the_bytes_pass_max_len() {
        let mut b = ReadBuf::new();
        let big = vec![7u8; 100_000];
        let mut total = 0;
        while total < 10_000 {
            total += fill(&mut b, 10_000, &big);
        }
        assert_eq!(b.len(), 10_000);
        assert!(b.capacity() <= 16 * 1024);
        // Full: one more byte of room, as promised, and no more.
        assert_eq!(fill(&mut b, 10_000, &big), 1);
    }

    #[test]
    fn bytes_move_to_the_front_and_keep_their_order() {
        let mut b = ReadBuf::new();
        let data: Vec<u8> = (0..INITIAL).map(|i| i as u8).collect();
        fill(&mut b, usize::MAX, &data);
        assert_eq!(b.take(INITIAL - 10), data[..INITIAL - 10]);
        fill(&mut b, usize::MAX, b"xyz");
        let mut want = data[INITIAL - 10..].to_vec();
        want.extend_from_slice(b"xyz");
        assert_eq!(b.data(), want);
        assert_eq!(b.capacity(), INITIAL);
        assert_eq!(b.take_all(), want);
        assert!(b.is_empty());
    }

    #[test]
    fn a_large_take_hands_the_allocation_over() {
        let mut b = ReadBuf::new();
        let data = vec![1u8; INITIAL];
        fill(&mut b, INITIAL, &data);
        assert_eq!(b.take_all(), data);
        assert_eq!(b.capacity(), 0);
        fill(&mut b, 4, b"more");
        assert_eq!(b.data(), b"more");
    }
}
