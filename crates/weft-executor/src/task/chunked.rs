//! A growable array in fixed-size chunks: growing never moves what is stored nor
//! leaves more than one chunk unused (a `Vec` that doubles leaves up to half its room
//! unused, and copies everything when it grows). The task registry's slots.

/// Slots per chunk.
const CHUNK: usize = 1024;

pub(crate) struct Chunked<T> {
    chunks: Vec<Box<[Option<T>; CHUNK]>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Appends a slot holding `value`; returns its index.
    pub(crate) fn push(&mut self, value: T) -> usize {
        let i = self.len;
        if i.is_multiple_of(CHUNK) {
            self.chunks.push(Box::new([const { None }; CHUNK]));
        }
        self.chunks[i / CHUNK][i % CHUNK] = Some(value);
        self.len += 1;
        i
    }

    /// The slot at `i` (`None` past the end).
    pub(crate) fn get(&self, i: usize) -> Option<&Option<T>> {
        (i < self.len).then(|| &self.chunks[i / CHUNK][i % CHUNK])
    }

    /// The slot at `i`, which must be below `len`.
    pub(crate) fn slot_mut(&mut self, i: usize) -> &mut Option<T> {
        assert!(i < self.len, "slot {i} past the end ({})", self.len);
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }

    /// The filled slots' values.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.chunks
            .iter()
            .flat_map(|c| c.iter())
            .take(self.len)
            .flatten()
    }

    /// Every slot with its index.
    pub(crate) fn slots_mut(&mut self) -> impl Iterator<Item = (usize, &mut Option<T>)> {
        self.chunks
            .iter_mut()
            .flat_map(|c| c.iter_mut())
            .take(self.len)
            .enumerate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_by_chunks_and_keeps_indices() {
        let mut c = Chunked::default();
        for i in 0..2 * CHUNK + 3 {
            assert_eq!(c.push(i), i);
        }
        assert_eq!(c.len(), 2 * CHUNK + 3);
        assert_eq!(c.chunks.len(), 3);
        assert_eq!(c.get(CHUNK + 1), Some(&Some(CHUNK + 1)));
        assert_eq!(c.get(2 * CHUNK + 3), None);
        *c.slot_mut(5) = None;
        assert_eq!(c.values().count(), 2 * CHUNK + 2);
        assert!(c.slots_mut().all(|(i, s)| s.is_none_or(|v| v == i)));
    }
}
