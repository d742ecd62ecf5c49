//! Classifies 64 ASCII bytes at once into bit masks, so the fast path finds
//! word boundaries with bit arithmetic instead of a branch per byte.
//!
//! On x86-64 this uses AVX2 where CPUID says the CPU and the OS support it
//! (checked once), else SSE2, which every x86-64 CPU has; elsewhere a
//! portable loop over the byte table gives the same masks. Tests check
//! each against the table on random blocks and every byte value. This
//! file and `prefetch.rs` hold the crate's only `unsafe` code.

use crate::counts::Counts;

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
    /// `A-Z` (only after [`add_details`]).
    pub(crate) upper: u64,
    /// `' . : , ;`: may join the characters on either side.
    pub(crate) joiner: u64,
    /// `. ! ? ; :` (only after [`add_details`]).
    pub(crate) clause: u64,
    /// Bytes >= 0x80 (after [`add_wide_letters`], those not in
    /// [`wide`](Self::wide)).
    pub(crate) non_ascii: u64,
    /// Both bytes of each two-byte letter [`add_wide_letters`] found.
    pub(crate) wide: u64,
}

/// True for the two-byte sequences `lead, cont` the block path treats as
/// letters: Latin-1 letters (`é ü ß`), Latin Extended-A/B and IPA, and
/// Cyrillic outside U+0482..U+0489 — all Word_Break ALetter, alphabetic,
/// and two bytes long after lowercasing, so a word's length and kind
/// follow from its bytes as for ASCII. Excluded: `×` and `÷` (not
/// letters), U+0130 `İ` and U+023A, U+023E (their lowercase is three
/// bytes long). A test checks this against the Unicode tables for every
/// pair.
#[inline(always)]
pub(crate) const fn is_wide_letter(lead: u8, cont: u8) -> bool {
    let leads = matches!(lead, 0xc3..=0xc9 | 0xd0 | 0xd1 | 0xd3);
    let excluded = matches!(
        (lead, cont),
        (0xc3, 0x97)
            | (0xc3, 0xb7)
            | (0xc4, 0xb0)
            | (0xc8, 0xba)
            | (0xc8, 0xbe)
    );
    leads && cont & 0xc0 == 0x80 && !excluded
}

/// Marks the two-byte letters of a block that has non-ASCII bytes
/// ([`is_wide_letter`]) as letters and word bytes, so Latin, German and
/// Russian words stay on the block path. Only called for blocks with a
/// non-ASCII byte, so pure-ASCII text pays nothing.
#[inline]
pub(crate) fn add_wide_letters(block: &[u8; BLOCK], m: &mut Masks) {
    // The block path stops at the first non-ASCII byte that is not a
    // letter: when the first one cannot start a letter, the letters after
    // it would change nothing (Chinese text skips the pass).
    let first = m.non_ascii.trailing_zeros() as usize;
    if !matches!(block.get(first), Some(0xc3..=0xd3)) {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    let leads = if avx2::available() {
        avx2::wide_leads(block)
    } else {
        sse2::wide_leads(block)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let leads = wide_leads_portable(block);
    let wide = leads | (leads << 1);
    m.wide = wide;
    m.letter |= wide;
    m.word |= wide;
    m.non_ascii &= !wide;
}

/// The SIMD passes' masks combined: a lead of the letter ranges followed
/// by a continuation byte, minus the excluded pairs, given as (mask of the
/// lead byte, mask of the bytes that may not follow it).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn wide_leads_from(lead: u64, cont: u64, excluded: [(u64, u64); 3]) -> u64 {
    let excluded = excluded
        .iter()
        .fold(0, |acc, &(first, second)| acc | (first & (second >> 1)));
    lead & (cont >> 1) & !excluded
}

/// Bit `k` set when bytes `k, k + 1` are a two-byte letter.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn wide_leads_portable(block: &[u8; BLOCK]) -> u64 {
    let mut leads = 0u64;
    for k in 0..BLOCK - 1 {
        if is_wide_letter(block[k], block[k + 1]) {
            leads |= 1 << k;
        }
    }
    leads
}

/// The block size.
pub(crate) const BLOCK: usize = 64;

/// Portable classification through the byte table: the masks
/// [`classify`] fills.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn classify_portable(block: &[u8; BLOCK]) -> Masks {
    let mut m = Masks::default();
    for (k, &b) in block.iter().enumerate() {
        let c = CLASS[usize::from(b)];
        let bit = |flag: u8| u64::from(c & flag != 0) << k;
        m.word |= bit(WORDISH);
        m.letter |= bit(LETTER);
        m.digit |= bit(DIGIT);
        m.joiner |= bit(JOINS_LETTERS | JOINS_DIGITS);
        m.non_ascii |= bit(NON_ASCII);
    }
    m
}

/// Portable form of [`add_details`].
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
pub(crate) fn add_details_portable(block: &[u8; BLOCK], m: &mut Masks) {
    for (k, &b) in block.iter().enumerate() {
        let c = CLASS[usize::from(b)];
        let bit = |flag: u8| u64::from(c & flag != 0) << k;
        m.upper |= bit(UPPER);
        m.clause |= bit(CLAUSE);
    }
}

/// Classifies a block: words, letters, digits, joiners and non-ASCII
/// bytes, all that counting needs.
#[inline]
pub(crate) fn classify(block: &[u8; BLOCK]) -> Masks {
    #[cfg(target_arch = "x86_64")]
    {
        if avx2::available() {
            avx2::classify(block)
        } else {
            sse2::classify(block)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        classify_portable(block)
    }
}

/// Adds the masks only tokens need: capitals (to lowercase) and clause
/// punctuation (for the lexicon's negation window).
#[inline]
pub(crate) fn add_details(block: &[u8; BLOCK], m: &mut Masks) {
    #[cfg(target_arch = "x86_64")]
    sse2::add_details(block, m);
    #[cfg(not(target_arch = "x86_64"))]
    add_details_portable(block, m);
}

/// The joiners UAX #29 joins to both neighbours: `' . :` between two
/// letters (WB6/WB7), `' . , ;` between two digits (WB11/WB12). Joiners
/// inside words are rare (`can't`, `U.S`, `1,000`), so the candidates —
/// joiners between two word bytes — are judged one by one from the byte
/// table rather than with two more masks per block.
#[inline(always)]
pub(crate) fn joined(block: &[u8; BLOCK], m: &Masks) -> u64 {
    let mut candidates = m.joiner & (m.word << 1) & (m.word >> 1);
    if candidates == 0 {
        return 0;
    }
    let letters = (m.letter << 1) & (m.letter >> 1);
    let digits = (m.digit << 1) & (m.digit >> 1);
    let mut joined = 0;
    while candidates != 0 {
        let k = candidates.trailing_zeros();
        candidates &= candidates - 1;
        let c = CLASS[usize::from(block[k as usize])];
        let bit = 1u64 << k;
        let between = if c & JOINS_LETTERS != 0 { letters } else { 0 }
            | if c & JOINS_DIGITS != 0 { digits } else { 0 };
        joined |= between & bit;
    }
    joined
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod sse2 {
    use super::{Masks, BLOCK};
    use core::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8,
        _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    /// Lanes of `x` in `lo..lo + len` (`len` < 128): shift the range to
    /// the bottom of the signed range, then one signed compare.
    #[inline(always)]
    fn in_range(x: __m128i, lo: u8, len: u8) -> __m128i {
        // SAFETY: SSE2 is part of the x86-64 baseline, so these
        // intrinsics are always available on this target.
        unsafe {
            let shifted =
                _mm_add_epi8(x, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8));
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

    /// [`super::wide_leads_portable`] with 16 lanes at a time: a lead
    /// byte of the letter ranges followed by a continuation byte, minus
    /// the excluded pairs.
    #[inline]
    pub(super) fn wide_leads(block: &[u8; BLOCK]) -> u64 {
        let (mut lead, mut cont) = (0u64, 0u64);
        let (mut c3, mut c4, mut c8) = (0u64, 0u64, 0u64);
        let (mut after_c3, mut after_c4, mut after_c8) = (0u64, 0u64, 0u64);
        for k in 0..4 {
            let lane = &block[16 * k..16 * k + 16];
            // SAFETY: `lane` is 16 readable bytes; loadu has no alignment
            // requirement.
            let x = unsafe { _mm_loadu_si128(lane.as_ptr().cast()) };
            let leads = or(
                or(in_range(x, 0xc3, 7), in_range(x, 0xd0, 2)),
                eq(x, 0xd3),
            );
            lead |= bits(leads, k);
            cont |= bits(in_range(x, 0x80, 0x40), k);
            c3 |= bits(eq(x, 0xc3), k);
            c4 |= bits(eq(x, 0xc4), k);
            c8 |= bits(eq(x, 0xc8), k);
            after_c3 |= bits(or(eq(x, 0x97), eq(x, 0xb7)), k);
            after_c4 |= bits(eq(x, 0xb0), k);
            after_c8 |= bits(or(eq(x, 0xba), eq(x, 0xbe)), k);
        }
        super::wide_leads_from(
            lead,
            cont,
            [(c3, after_c3), (c4, after_c4), (c8, after_c8)],
        )
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
            let digit = in_range(x, b'0', 10);
            let word = or(or(letter, digit), eq(x, b'_'));
            // `, . :` are 0x2c, 0x2e, 0x3a, `'` 0x27 and `;` 0x3b.
            let joiner = or(
                or(eq(x, b'\''), or(eq(x, b','), eq(x, b'.'))),
                in_range(x, b':', 2),
            );
            m.word |= bits(word, k);
            m.letter |= bits(letter, k);
            m.digit |= bits(digit, k);
            m.joiner |= bits(joiner, k);
            m.non_ascii |= bits(x, k);
        }
        m
    }

    #[inline]
    pub(super) fn add_details(block: &[u8; BLOCK], m: &mut Masks) {
        for k in 0..4 {
            let lane = &block[16 * k..16 * k + 16];
            // SAFETY: as in `classify`.
            let x = unsafe { _mm_loadu_si128(lane.as_ptr().cast()) };
            let upper = in_range(x, b'A', 26);
            let clause = or(
                or(eq(x, b'!'), eq(x, b'?')),
                or(eq(x, b'.'), in_range(x, b':', 2)),
            );
            m.upper |= bits(upper, k);
            m.clause |= bits(clause, k);
        }
    }
}

/// [`classify`] with 32 lanes at a time, on CPUs that have AVX2 (found
/// once with CPUID, as `is_x86_feature_detected!` does in `std`): half
/// the instructions of the SSE2 form for the same masks.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2 {
    use super::{Masks, BLOCK};
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8,
        _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
        _mm256_set1_epi8,
    };
    use core::sync::atomic::{AtomicU8, Ordering};

    /// 0: not yet known, 1: absent, 2: present.
    static STATE: AtomicU8 = AtomicU8::new(0);

    /// True when the CPU and the operating system support AVX2.
    #[inline(always)]
    pub(super) fn available() -> bool {
        match STATE.load(Ordering::Relaxed) {
            0 => {
                let yes = detect();
                STATE.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
                yes
            }
            state => state == 2,
        }
    }

    #[cfg(miri)]
    fn detect() -> bool {
        false
    }

    // `__cpuid` is an unsafe function before Rust 1.87 (our MSRV is 1.81).
    #[cfg(not(miri))]
    #[allow(unused_unsafe)]
    fn detect() -> bool {
        use core::arch::x86_64::{__cpuid, __cpuid_count};
        // SAFETY (all three): CPUID exists on every x86-64 CPU.
        let max_leaf = unsafe { __cpuid(0) }.eax;
        let leaf1 = unsafe { __cpuid(1) };
        // AVX, and XSAVE enabled by the OS (OSXSAVE), which makes XGETBV
        // usable.
        if max_leaf < 7
            || leaf1.ecx & (1 << 27 | 1 << 28) != (1 << 27 | 1 << 28)
        {
            return false;
        }
        // SAFETY: OSXSAVE is set, so XGETBV is enabled.
        let xcr0 = unsafe { xcr0() };
        // The OS saves the SSE and AVX register state on context switch.
        if xcr0 & 0b110 != 0b110 {
            return false;
        }
        let leaf7 = unsafe { __cpuid_count(7, 0) };
        leaf7.ebx & (1 << 5) != 0
    }

    #[cfg(not(miri))]
    #[target_feature(enable = "xsave")]
    unsafe fn xcr0() -> u64 {
        core::arch::x86_64::_xgetbv(0)
    }

    /// Lanes of `x` in `lo..lo + len` (`len` < 128).
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn in_range(x: __m256i, lo: u8, len: u8) -> __m256i {
        let shifted = _mm256_add_epi8(
            x,
            _mm256_set1_epi8(0x80u8.wrapping_sub(lo) as i8),
        );
        _mm256_cmpgt_epi8(
            _mm256_set1_epi8((0x80 + len as u32) as u8 as i8),
            shifted,
        )
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn eq(x: __m256i, b: u8) -> __m256i {
        _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b as i8))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn bits(x: __m256i, k: usize) -> u64 {
        (_mm256_movemask_epi8(x) as u32 as u64) << (32 * k)
    }

    /// The masks of [`super::classify`].
    #[inline]
    pub(super) fn classify(block: &[u8; BLOCK]) -> Masks {
        debug_assert!(available());
        // SAFETY: only called when `available()` found AVX2.
        unsafe { classify_avx2(block) }
    }

    /// The bits of [`super::wide_leads_portable`].
    #[inline]
    pub(super) fn wide_leads(block: &[u8; BLOCK]) -> u64 {
        debug_assert!(available());
        // SAFETY: only called when `available()` found AVX2.
        unsafe { wide_leads_avx2(block) }
    }

    #[target_feature(enable = "avx2")]
    unsafe fn wide_leads_avx2(block: &[u8; BLOCK]) -> u64 {
        let (mut lead, mut cont) = (0u64, 0u64);
        let (mut c3, mut c4, mut c8) = (0u64, 0u64, 0u64);
        let (mut after_c3, mut after_c4, mut after_c8) = (0u64, 0u64, 0u64);
        for k in 0..2 {
            let lane = &block[32 * k..32 * k + 32];
            // SAFETY: `lane` is 32 readable bytes; loadu has no alignment
            // requirement.
            let x = _mm256_loadu_si256(lane.as_ptr().cast());
            let leads = _mm256_or_si256(
                _mm256_or_si256(in_range(x, 0xc3, 7), in_range(x, 0xd0, 2)),
                eq(x, 0xd3),
            );
            lead |= bits(leads, k);
            cont |= bits(in_range(x, 0x80, 0x40), k);
            c3 |= bits(eq(x, 0xc3), k);
            c4 |= bits(eq(x, 0xc4), k);
            c8 |= bits(eq(x, 0xc8), k);
            after_c3 |= bits(_mm256_or_si256(eq(x, 0x97), eq(x, 0xb7)), k);
            after_c4 |= bits(eq(x, 0xb0), k);
            after_c8 |= bits(_mm256_or_si256(eq(x, 0xba), eq(x, 0xbe)), k);
        }
        super::wide_leads_from(
            lead,
            cont,
            [(c3, after_c3), (c4, after_c4), (c8, after_c8)],
        )
    }

    #[target_feature(enable = "avx2")]
    unsafe fn classify_avx2(block: &[u8; BLOCK]) -> Masks {
        let mut m = Masks::default();
        for k in 0..2 {
            let lane = &block[32 * k..32 * k + 32];
            // SAFETY: `lane` is 32 readable bytes; loadu has no alignment
            // requirement.
            let x = _mm256_loadu_si256(lane.as_ptr().cast());
            let lower = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
            let letter = in_range(lower, b'a', 26);
            let digit = in_range(x, b'0', 10);
            let word =
                _mm256_or_si256(_mm256_or_si256(letter, digit), eq(x, b'_'));
            let joiner = _mm256_or_si256(
                _mm256_or_si256(
                    eq(x, b'\''),
                    _mm256_or_si256(eq(x, b','), eq(x, b'.')),
                ),
                in_range(x, b':', 2),
            );
            m.word |= bits(word, k);
            m.letter |= bits(letter, k);
            m.digit |= bits(digit, k);
            m.joiner |= bits(joiner, k);
            m.non_ascii |= bits(x, k);
        }
        m
    }
}

/// Spreads each set bit of `x` towards higher bits up to the end of its run
/// in `runs` (a segmented prefix OR, Kogge–Stone, six steps).
#[inline(always)]
fn spread(mut x: u64, runs: u64) -> u64 {
    let mut linked = runs & (runs << 1);
    let mut d = 1;
    while d < 64 {
        x |= (x << d) & linked;
        linked &= linked << d;
        d *= 2;
    }
    x
}

/// True when `runs` has a run of at least `k >= 1` set bits.
#[inline(always)]
fn has_run_of(runs: u64, k: u32) -> bool {
    let mut x = runs;
    let mut have = 1;
    while have * 2 <= k {
        x &= x << have;
        have *= 2;
    }
    if k > have {
        x &= x << (k - have);
    }
    x != 0
}

/// Token totals of ASCII blocks, kept in registers while a stretch of
/// blocks is counted and added to [`Counts`] once at its end (writing
/// through to memory after every block cost a store-to-load round trip
/// per block).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BlockTotals {
    pub(crate) tokens: u64,
    pub(crate) words: u64,
    /// The longest token seen, in bytes (starts at the counts' maximum so
    /// that the length scan is skipped once no run can beat it).
    pub(crate) longest: u64,
}

impl BlockTotals {
    /// Totals that continue `counts`.
    #[inline(always)]
    pub(crate) fn new(counts: &Counts) -> BlockTotals {
        BlockTotals { tokens: 0, words: 0, longest: counts.max_token_len }
    }

    /// Adds the totals to `counts`.
    #[inline(always)]
    pub(crate) fn add_to(self, counts: &mut Counts) {
        counts.tokens += self.tokens;
        counts.words += self.words;
        counts.numbers += self.tokens - self.words;
        counts.max_token_len = counts.max_token_len.max(self.longest);
    }
}

/// Counts the tokens among `runs` — whole words of the block, each ended
/// inside it — without visiting them one by one: a word is a run with a
/// letter, a number a run with a digit and no letter (`_` alone is
/// neither). Only valid when no word can be truncated (`max_token_len`
/// >= 64).
#[inline(always)]
pub(crate) fn count_runs(totals: &mut BlockTotals, m: &Masks, runs: u64) {
    let last = runs & !(runs >> 1);
    let alnum = m.letter | m.digit;
    let underscore = runs & !alnum & m.word;
    let mixed = (m.letter & (m.digit << 1)) | (m.digit & (m.letter << 1));
    let (tokens, words) = if underscore | mixed == 0 {
        // Joiners only join two letters or two digits and `_` is absent,
        // so a run mixes letters and digits only where a letter touches a
        // digit: without that, every run is all letters or all digits
        // (joiners aside) and its last byte says which (a joiner never
        // ends a run).
        (last & alnum, last & m.letter)
    } else {
        (
            spread(runs & alnum, runs) & last,
            spread(runs & m.letter, runs) & last,
        )
    };
    totals.tokens += u64::from(tokens.count_ones());
    totals.words += u64::from(words.count_ones());
    let longest = totals.longest;
    // Once the longest token has 15 bytes or more, a run of 16 is needed
    // to beat it; that test has constant shifts (four steps, unrolled)
    // and almost every block of prose fails it, which skips the loop of
    // the exact test.
    let may_beat = longest < 15 || has_run_of(runs, 16);
    if longest < 63 && may_beat && has_run_of(runs, longest as u32 + 1) {
        raise_longest(totals, runs, last, tokens);
    }
}

/// Raises `totals.longest` to the longest run of `runs` whose last byte
/// (in `last`) is a token's (in `tokens`): the exact test, a loop over
/// the runs.
#[inline]
fn raise_longest(totals: &mut BlockTotals, runs: u64, last: u64, tokens: u64) {
    let mut starts = runs & !(runs << 1);
    let mut ends = last;
    while starts != 0 {
        let (s, e) = (starts.trailing_zeros(), ends.trailing_zeros());
        starts &= starts - 1;
        ends &= ends - 1;
        if tokens & (1u64 << e) != 0 {
            totals.longest = totals.longest.max(u64::from(e - s + 1));
        }
    }
}

/// The general form of [`count_runs`] (two segmented prefix ORs for every
/// block), kept as its oracle.
#[cfg(test)]
fn count_runs_spread(totals: &mut BlockTotals, m: &Masks, runs: u64) {
    let last = runs & !(runs >> 1);
    let tokens = spread(runs & (m.letter | m.digit), runs) & last;
    let words = spread(runs & m.letter, runs) & last;
    totals.tokens += u64::from(tokens.count_ones());
    totals.words += u64::from(words.count_ones());
    raise_longest(totals, runs, last, tokens);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_stays_inside_runs() {
        let runs = 0b0111_0111_1110u64;
        assert_eq!(spread(0b0000_0000_0010, runs), 0b0000_0111_1110);
        assert_eq!(spread(0b0001_0000_0000, runs), 0b0111_0000_0000);
        assert_eq!(spread(1 << 63, u64::MAX), 1 << 63);
        assert_eq!(spread(1, u64::MAX), u64::MAX);
    }

    #[test]
    fn run_lengths() {
        let runs = 0b0111_0011_1110u64;
        assert!(has_run_of(runs, 5));
        assert!(!has_run_of(runs, 6));
        assert!(has_run_of(u64::MAX, 64));
        for k in 1..=64 {
            let r = if k == 64 { u64::MAX } else { (1u64 << k) - 1 };
            assert!(has_run_of(r << (64 - k), k));
            if k < 64 {
                assert!(!has_run_of(r << (64 - k), k + 1));
            }
        }
    }

    use proptest::prelude::*;

    /// Every mask, through the SIMD path where there is one.
    fn full(block: &[u8; BLOCK]) -> Masks {
        let mut m = classify(block);
        add_details(block, &mut m);
        m
    }

    fn full_portable(block: &[u8; BLOCK]) -> Masks {
        let mut m = classify_portable(block);
        add_details_portable(block, &mut m);
        m
    }

    /// `joined` with two more masks, as the SIMD pass computed it before.
    fn joined_reference(block: &[u8; BLOCK], m: &Masks) -> u64 {
        let (mut jl, mut jd) = (0u64, 0u64);
        for k in 0..BLOCK {
            let c = CLASS[usize::from(block[k])];
            jl |= u64::from(c & JOINS_LETTERS != 0) << k;
            jd |= u64::from(c & JOINS_DIGITS != 0) << k;
        }
        (jl & (m.letter << 1) & (m.letter >> 1))
            | (jd & (m.digit << 1) & (m.digit >> 1))
    }

    /// The runs `block_run` hands to `count_runs`: words (with the joiners
    /// WB6/7 and WB11/12 join) that end inside the block.
    fn runs_of(block: &[u8; BLOCK], m: &Masks) -> u64 {
        let word = m.word | joined_reference(block, m);
        let ends = !word & (word << 1) & (u64::MAX >> 1);
        if ends == 0 {
            return 0;
        }
        word & ((1u64 << (63 - ends.leading_zeros())) - 1)
    }

    proptest! {
        /// The shortcut for blocks without `_` and without a letter next
        /// to a digit counts what the prefix ORs count, on blocks that
        /// take either branch.
        #[test]
        fn count_runs_equals_spread(
            bytes in proptest::collection::vec(
                proptest::sample::select(
                    b"aZ09_.,:;' \n-".to_vec()), BLOCK),
            words in proptest::collection::vec(
                (
                    proptest::sample::select(std::vec![
                        "a", "Zq", "7", "12", "3.4", "1,000", "a'b",
                        "U.S", "x_1", "_", "a1", "e:f",
                    ]),
                    proptest::sample::select(std::vec![
                        " ", "\n", ". ", ",", ";", "'", "--", ":",
                    ]),
                ),
                0..40,
            ),
            use_words: bool,
            plain: bool,
            longest in 0u64..70,
        ) {
            // Random bytes almost always take the general branch; runs of
            // whole words between separators often take the shortcut.
            let mut v = bytes;
            if use_words {
                v.clear();
                for (w, sep) in &words {
                    if plain && (w.contains('_') || *w == "a1") {
                        continue;
                    }
                    v.extend_from_slice(w.as_bytes());
                    v.extend_from_slice(sep.as_bytes());
                }
                v.resize(BLOCK, b' ');
            }
            let block: &[u8; BLOCK] = v.as_slice().try_into().unwrap();
            let m = classify(block);
            let runs = runs_of(block, &m);
            let start = BlockTotals { tokens: 0, words: 0, longest };
            let (mut fast, mut slow) = (start, start);
            count_runs(&mut fast, &m, runs);
            count_runs_spread(&mut slow, &m, runs);
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn simd_equals_table(v in proptest::collection::vec(any::<u8>(), BLOCK)) {
            let block: &[u8; BLOCK] = v.as_slice().try_into().unwrap();
            prop_assert_eq!(full(block), full_portable(block));
            #[cfg(target_arch = "x86_64")]
            prop_assert_eq!(sse2::classify(block), classify_portable(block));
        }

        /// `joined` against the two masks it replaces, on blocks dense in
        /// joiners between letters and digits.
        #[test]
        fn joined_equals_reference(
            v in proptest::collection::vec(
                proptest::sample::select(b"aZ09_.,:;'! ".to_vec()), BLOCK)
        ) {
            let block: &[u8; BLOCK] = v.as_slice().try_into().unwrap();
            let m = classify(block);
            prop_assert_eq!(joined(block, &m), joined_reference(block, &m));
        }
    }

    /// The machines this runs on have AVX2; without it the SSE2 form is
    /// the one tested (and used), and this says so.
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn reports_which_classifier_runs() {
        std::println!("AVX2 classifier: {}", avx2::available());
    }

    /// The pairs the block path takes as letters are exactly those the
    /// Unicode tables make ALetter, alphabetic and two bytes long after
    /// normalising, among the lead bytes it handles.
    #[test]
    fn wide_letters_agree_with_the_tables() {
        use crate::tokenize::normalize::normalize;
        use crate::tokenize::props::{class_of, Prop, ALPHA};
        use crate::tokenize::TokenizerConfig;
        let config = TokenizerConfig::default();
        for lead in 0xc2..=0xdfu8 {
            for cont in 0x80..=0xbfu8 {
                let cp =
                    (u32::from(lead & 0x1f) << 6) | u32::from(cont & 0x3f);
                let class = class_of(cp);
                let fits = class.prop() == Prop::ALetter
                    && class.has(ALPHA)
                    && normalize(cp, class, &config).1 == 2;
                let handled = matches!(lead, 0xc3..=0xc9 | 0xd0 | 0xd1 | 0xd3);
                if is_wide_letter(lead, cont) {
                    assert!(fits, "{cp:#x}");
                } else if handled {
                    assert!(!fits, "{cp:#x} could be taken");
                }
            }
        }
        assert!(!is_wide_letter(0xd0, 0xd0));
        assert!(!is_wide_letter(0xd0, 0x41));
    }

    proptest! {
        #[test]
        fn simd_wide_letters_equal_portable(
            v in proptest::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    proptest::sample::select(std::vec![
                        0xc3u8, 0xc4, 0xc8, 0xd0, 0xd1, 0xd2, 0xd3, 0x97,
                        0xb0, 0xb7, 0xba, 0xbe, 0x80, 0xbf, 0xc0,
                    ]),
                ],
                BLOCK,
            )
        ) {
            let block: &[u8; BLOCK] = v.as_slice().try_into().unwrap();
            #[cfg(target_arch = "x86_64")]
            prop_assert_eq!(sse2::wide_leads(block), wide_leads_portable(block));
            #[cfg(target_arch = "x86_64")]
            if avx2::available() {
                prop_assert_eq!(
                    avx2::wide_leads(block),
                    wide_leads_portable(block)
                );
                prop_assert_eq!(avx2::classify(block), classify_portable(block));
            }
            let mut m = classify(block);
            add_wide_letters(block, &mut m);
            prop_assert_eq!(m.wide & !m.letter, 0);
            // Skipped only when the first non-ASCII byte is no letter.
            let first = classify(block).non_ascii.trailing_zeros();
            let all = wide_leads_portable(block);
            if all & (1u64 << (first % 64)) != 0 {
                prop_assert_eq!(m.wide, all | (all << 1));
            }
        }
    }

    #[test]
    fn every_byte_value_in_every_lane() {
        for b in 0..=255u8 {
            for k in [0, 15, 16, 31, 47, 63] {
                let mut block = [b' '; BLOCK];
                block[k] = b;
                assert_eq!(full(&block), full_portable(&block), "{b}");
                #[cfg(target_arch = "x86_64")]
                assert_eq!(
                    sse2::classify(&block),
                    classify_portable(&block),
                    "{b}"
                );
            }
        }
    }
}
