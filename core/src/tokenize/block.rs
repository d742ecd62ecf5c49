//! Classifies 64 ASCII bytes at once into bit masks, so the fast path finds
//! word boundaries with bit arithmetic instead of a branch per byte.
//!
//! On x86-64 this uses SSE2, which every x86-64 CPU has (so no runtime
//! detection is needed); elsewhere a portable loop over the byte table
//! gives the same masks. A test checks both against the table on random
//! blocks.

use super::ascii::{
    CLASS, CLAUSE, DIGIT, JOINS_DIGITS, JOINS_LETTERS, LETTER, NON_ASCII,
    UPPER, WORDISH,
};

/// Bit `k` of each mask describes byte `k` of the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Masks {
    /// Letters, digits and `_`.
    pub(crate) word: u64,
    /// `A-Z a-z`.
    pub(crate) letter: u64,
    /// `0-9`.
    pub(crate) digit: u64,
    /// `A-Z`.
    pub(crate) upper: u64,
    /// `' . : , ;`: may join the characters on either side.
    pub(crate) joiner: u64,
    /// `. ! ? ; :`.
    pub(crate) clause: u64,
    /// Bytes >= 0x80.
    pub(crate) non_ascii: u64,
}

/// The block size.
pub(crate) const BLOCK: usize = 64;

/// Portable classification through the byte table.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn classify_portable(block: &[u8; BLOCK]) -> Masks {
    let mut m = Masks::default();
    for (k, &b) in block.iter().enumerate() {
        let c = CLASS[usize::from(b)];
        let bit = |flag: u8| u64::from(c & flag != 0) << k;
        m.word |= bit(WORDISH);
        m.letter |= bit(LETTER);
        m.digit |= bit(DIGIT);
        m.upper |= bit(UPPER);
        m.joiner |= bit(JOINS_LETTERS | JOINS_DIGITS);
        m.clause |= bit(CLAUSE);
        m.non_ascii |= bit(NON_ASCII);
    }
    m
}

/// Classifies a block.
#[inline]
pub(crate) fn classify(block: &[u8; BLOCK]) -> Masks {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::classify(block)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        classify_portable(block)
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod sse2 {
    use super::{Masks, BLOCK};
    use core::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8,
        _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// Lanes of `x` in `lo..lo + len` (ASCII ranges only): shift the range
    /// to the bottom of the signed range, then one signed compare.
    #[inline(always)]
    fn in_range(x: __m128i, lo: u8, len: u8) -> __m128i {
        // SAFETY: SSE2 is part of the x86-64 baseline, so these
        // intrinsics are always available on this target.
        unsafe {
            let shifted = _mm_add_epi8(x, _mm_set1_epi8((0x80 - lo) as i8));
            _mm_cmplt_epi8(
                shifted,
                _mm_set1_epi8((0x80 + len as u32) as u8 as i8),
            )
        }
    }

    #[inline(always)]
    fn eq(x: __m128i, b: u8) -> __m128i {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe { _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8)) }
    }

    #[inline(always)]
    fn or(a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe { _mm_or_si128(a, b) }
    }

    #[inline(always)]
    fn bits(x: __m128i, k: usize) -> u64 {
        // SAFETY: SSE2 is part of the x86-64 baseline.
        let m = unsafe { _mm_movemask_epi8(x) } as u32 as u64;
        m << (16 * k)
    }

    #[inline]
    pub(super) fn classify(block: &[u8; BLOCK]) -> Masks {
        let mut m = Masks::default();
        for k in 0..4 {
            let lane = &block[16 * k..16 * k + 16];
            // SAFETY: `lane` is 16 readable bytes; loadu has no alignment
            // requirement.
            let x = unsafe { _mm_loadu_si128(lane.as_ptr().cast()) };
            // `x | 0x20` folds A-Z onto a-z; non-ASCII bytes stay >= 0xa0,
            // outside every ASCII range below.
            // SAFETY: SSE2 is part of the x86-64 baseline.
            let lower = unsafe { _mm_or_si128(x, _mm_set1_epi8(0x20)) };
            let letter = in_range(lower, b'a', 26);
            let upper = in_range(x, b'A', 26);
            let digit = in_range(x, b'0', 10);
            let word = or(or(letter, digit), eq(x, b'_'));
            let dot = eq(x, b'.');
            let colon = eq(x, b':');
            let semi = eq(x, b';');
            let joiner =
                or(or(eq(x, b'\''), eq(x, b',')), or(dot, or(colon, semi)));
            let clause =
                or(or(eq(x, b'!'), eq(x, b'?')), or(dot, or(colon, semi)));
            m.word |= bits(word, k);
            m.letter |= bits(letter, k);
            m.digit |= bits(digit, k);
            m.upper |= bits(upper, k);
            m.joiner |= bits(joiner, k);
            m.clause |= bits(clause, k);
            m.non_ascii |= bits(x, k);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn simd_equals_table(v in proptest::collection::vec(any::<u8>(), BLOCK)) {
            let block: &[u8; BLOCK] = v.as_slice().try_into().unwrap();
            prop_assert_eq!(classify(block), classify_portable(block));
        }
    }

    #[test]
    fn every_byte_value_in_every_lane() {
        for b in 0..=255u8 {
            for k in [0, 15, 16, 31, 47, 63] {
                let mut block = [b' '; BLOCK];
                block[k] = b;
                assert_eq!(classify(&block), classify_portable(&block), "{b}");
            }
        }
    }
}
