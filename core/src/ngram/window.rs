//! The n-gram window: the last `hi` tokens of the current document, and
//! the tokens staged after them.
//!
//! The window copies each token's normalised bytes (at most 255) into a
//! 256-byte ring slot in the arena (`(hi + lookahead) × 256` bytes) and keeps the hashes
//! inline, so grams that span the caller's chunks work although tokens are
//! only borrowed for the duration of one `push`.

use super::bytes::{copy_bytes, same_bytes, Key};

/// Bytes of one ring slot: a length byte and up to 255 token bytes.
pub(crate) const RING_SLOT: usize = 256;

/// The gram made of the newest `n` tokens of the ring.
pub(crate) struct WindowKey<'a> {
    pub ring: &'a [u8],
    /// Slots in the ring.
    pub ring_len: usize,
    pub newest: usize,
    pub n: usize,
    /// Encoded length of the gram.
    pub len: usize,
}

impl WindowKey<'_> {
    #[inline]
    fn slot(&self, k: usize) -> usize {
        // k = 0 is the oldest of the n tokens.
        let i = self.newest + self.ring_len + k + 1 - self.n;
        (if i >= self.ring_len { i - self.ring_len } else { i }) * RING_SLOT
    }
}

impl Key for WindowKey<'_> {
    #[inline]
    fn encoded_len(&self) -> Option<usize> {
        Some(self.len)
    }

    #[inline]
    fn matches(&self, enc: &[u8]) -> bool {
        if enc.len() != self.len {
            return false;
        }
        let mut p = 0;
        for k in 0..self.n {
            let s = self.slot(k);
            let l = self.ring[s] as usize + 1;
            if !same_bytes(&enc[p..p + l], &self.ring[s..s + l]) {
                return false;
            }
            p += l;
        }
        true
    }

    fn write(&self, out: &mut [u8]) {
        let mut p = 0;
        for k in 0..self.n {
            let s = self.slot(k);
            let l = self.ring[s] as usize + 1;
            copy_bytes(&mut out[p..p + l], &self.ring[s..s + l]);
            p += l;
        }
    }
}

/// The ring slot `k` tokens before slot `pos` (`k <= ring_len`). The ring
/// is walked several times per token and its length is known only at run
/// time, so `%` there was a division per step, slower than the rest of the
/// index arithmetic together.
#[inline(always)]
pub(crate) fn back(pos: usize, k: usize, ring_len: usize) -> usize {
    if pos >= k {
        pos - k
    } else {
        pos + ring_len - k
    }
}
