//! The floor under any exact n-gram counter on the machine at hand: the
//! `ngrams/hash-floor` row.
//!
//! It tokenizes and hashes exactly as textmeter does, then counts the
//! 64-bit gram hashes of 1..=3-grams in open-addressing tables of 16-byte
//! slots (hash, count) at load ≤ 1/2, prefetching the home slots 16 tokens
//! ahead, with the tables' pages already touched. It keeps no gram bytes,
//! so it cannot say which gram a count belongs to and treats two grams of
//! equal hash as one: not a usable counter, but every real one does at
//! least this work (one random slot per gram, in tables far larger than
//! the caches). Where this row is slower than `wc -w`, an exact counter at
//! `wc -w`'s speed is out of reach on that machine.

use textmeter::hash::token_hash;
use textmeter::ngram::gram_hash;
use textmeter::tokenize::{for_each_token, TokenizerConfig};

/// How many tokens ahead the home slots are prefetched.
const LOOKAHEAD: usize = 16;

/// Hash-only 1..=`N`-gram tables, sized for known distinct counts.
///
/// ```
/// use textmeter::tokenize::TokenizerConfig;
/// use textmeter_bench::hash_floor::HashFloor;
///
/// let mut floor = HashFloor::<2>::new([3, 3]);
/// let stored = floor.count(b"a b a b", &TokenizerConfig::default());
/// assert_eq!(stored, [2, 2]); // {a, b} and {a b, b a}
/// ```
#[derive(Clone, Debug)]
pub struct HashFloor<const N: usize> {
    tables: [Vec<[u64; 2]>; N],
    bits: [u32; N],
}

impl<const N: usize> HashFloor<N> {
    /// Tables for at most `distinct[n - 1]` distinct `n`-grams each, their
    /// pages touched.
    pub fn new(distinct: [usize; N]) -> Self {
        let bits = distinct
            .map(|d| (2 * d.max(1)).next_power_of_two().trailing_zeros());
        HashFloor { tables: bits.map(|b| vec![[1, 0]; 1 << b]), bits }
            .cleared()
    }

    fn cleared(mut self) -> Self {
        self.clear();
        self
    }

    /// Empties the tables without giving their pages back (call it
    /// outside the timed region).
    pub fn clear(&mut self) {
        for t in &mut self.tables {
            t.fill([0, 0]);
        }
    }

    /// Tokenizes `text` with `config`, counts the gram hashes of every
    /// `n` and returns how many distinct hashes each table holds.
    pub fn count(
        &mut self,
        text: &[u8],
        config: &TokenizerConfig,
    ) -> [usize; N] {
        let mut hashes = Vec::with_capacity(text.len() / 4);
        for_each_token(text, config, |t| hashes.push(token_hash(t.norm())));
        let grams = |i: usize| -> [u64; N] {
            core::array::from_fn(|k| {
                if i >= k {
                    gram_hash(&hashes[i - k..=i])
                } else {
                    0
                }
            })
        };
        for i in 0..hashes.len() {
            if i + LOOKAHEAD < hashes.len() {
                let ahead = grams(i + LOOKAHEAD);
                for ((t, &bits), &h) in
                    self.tables.iter().zip(&self.bits).zip(&ahead)
                {
                    prefetch(&t[slot_of(h, bits)]);
                }
            }
            let g = grams(i);
            for ((t, &bits), &h) in
                self.tables.iter_mut().zip(&self.bits).zip(&g).take(i + 1)
            {
                add(t, bits, h);
            }
        }
        self.tables.each_ref().map(|t| t.iter().filter(|s| s[1] != 0).count())
    }
}

/// The home slot of `hash` in a table of `2^bits` slots.
fn slot_of(hash: u64, bits: u32) -> usize {
    (hash >> (64 - bits)) as usize
}

/// Counts one `hash`: linear probing, an empty slot has count 0.
#[inline(always)]
fn add(table: &mut [[u64; 2]], bits: u32, hash: u64) {
    let mask = table.len() - 1;
    let mut i = slot_of(hash, bits);
    loop {
        let s = &mut table[i];
        if s[1] == 0 {
            *s = [hash, 1];
            return;
        }
        if s[0] == hash {
            s[1] += 1;
            return;
        }
        i = (i + 1) & mask;
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch(slot: &[u64; 2]) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: a prefetch is a hint with no architectural effect; the
    // pointer comes from a live reference.
    unsafe { _mm_prefetch::<_MM_HINT_T0>((slot as *const [u64; 2]).cast()) }
}

/// No portable prefetch elsewhere: the row then measures without it.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn prefetch(_slot: &[u64; 2]) {}
