//! The n-gram window: the last `hi` tokens of the current document, and
//! the tokens staged after them.
//!
//! The window copies each token's normalised bytes (at most 255), encoded
//! as for a gram (a length byte, then the bytes), into a byte buffer in the
//! arena, one after the other, so grams that span the caller's chunks work
//! although tokens are only borrowed for the duration of one `push`. The
//! buffer holds `(hi + lookahead) × 256` bytes, room for every token the
//! window may still need at the largest length; when the next token does
//! not fit behind the others, the ones still needed move to the front.
//! Tokens stay in order and contiguous, so the encoding of any gram of the
//! window is one slice of the buffer: a lookup compares it, and a new entry
//! copies it, in one piece rather than token by token.

use super::bytes::{short_copy, short_eq, Key};

/// Bytes of the window buffer per token it can hold: a length byte and up
/// to 255 token bytes.
pub(crate) const RING_SLOT: usize = 256;

/// A gram of the window: its encoding, one slice of the buffer.
pub(crate) struct GramKey<'a> {
    pub enc: &'a [u8],
}

impl Key for GramKey<'_> {
    #[inline]
    fn encoded_len(&self) -> Option<usize> {
        Some(self.enc.len())
    }

    #[inline]
    fn matches(&self, enc: &[u8]) -> bool {
        short_eq(enc, self.enc)
    }

    #[inline]
    fn write(&self, out: &mut [u8]) {
        short_copy(out, self.enc);
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
