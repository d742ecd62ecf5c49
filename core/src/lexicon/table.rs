//! Byte layout of a compiled lexicon and the hashed trie over it.
//!
//! Everything lives in one caller-provided `&mut [u8]` in explicit
//! little-endian records, so the same bytes work from Rust, C and Python
//! without `unsafe` casts and are identical on every platform:
//!
//! ```text
//! [node table: slot_cap x 16 B][postings: n x 12 B]
//! [wildcard filter: 0 or 16..=1024 x 8 B]
//! [root filter: 512..=65536 bits][category index: cats x 8 B][name bytes]
//! ```
//!
//! The node table is an open-addressing hash table (linear probing, load
//! <= 1/2) that encodes a trie over token hashes. The key of a node is
//! `mix(parent node id, is_wildcard) ^ token_hash`, so walking one token is
//! one probe no matter how many terms the lexicon has. A slot holds:
//!
//! | bytes | field |
//! |-------|-------|
//! | 0..8  | key |
//! | 8..12 | head of the posting list + 1 (0: not the end of a term) |
//! | 12..16| node id (bits 0..28), negator (bit 28), occupied (bit 29), has exact children (bit 30), has wildcard children (bit 31) |
//!
//! A posting is `next + 1: u32, weight in milli-units: i32, category: u32`.
//!
//! The wildcard filter keeps the matcher from hashing every prefix of every
//! token: bucket [`wild_bucket`]`(b0, b1)` holds a bit `len - 1` for each
//! wildcard prefix of `len >= 2` bytes starting with `b0 b1`, so a token
//! only tries the prefix lengths some wildcard with its first two bytes
//! has (one-byte prefixes are in `Meta::wild_lens` bit 0).
//!
//! The root filter keeps the matcher from probing the node table for most
//! tokens: bit [`root_filter_bit`]`(h)` is set for the hash `h` of every
//! exact first token of a term and of every listed negator, so a clear bit
//! proves the token has no exact root node. The table's probe is an
//! unpredictable branch or two on a cache line of its own; the filter is
//! one load from at most 8 KiB and a branch that is mostly not taken.

pub(crate) const SLOT: usize = 16;
pub(crate) const POSTING: usize = 12;
pub(crate) const CAT: usize = 8;
pub(crate) const WILD_BUCKETS: usize = 1024;

/// The wildcard-filter bucket of a token starting with bytes `b0 b1`.
#[inline]
pub(crate) fn wild_bucket(b0: u8, b1: u8, buckets: usize) -> usize {
    // Fibonacci hashing of the two bytes; `buckets` is a power of two in
    // 16..=1024, so the shift is in 22..=28.
    let x = (u32::from(b0) << 8 | u32::from(b1)).wrapping_mul(0x9e37_79b1);
    (x >> (32 - buckets.trailing_zeros())) as usize
}

/// Fewest bits in the root filter (64 bytes).
pub(crate) const ROOT_FILTER_MIN_BITS: usize = 512;
/// Most bits in the root filter (8 KiB, so that it stays in L1).
pub(crate) const ROOT_FILTER_MAX_BITS: usize = 1 << 16;

/// The root-filter word and bit of token hash `h`. The top bits index it,
/// so that it is independent of the node table's probe start (the low
/// bits); `bits` is a power of two in the filter's range.
#[inline]
pub(crate) fn root_filter_bit(h: u64, bits: usize) -> (usize, u64) {
    let i = (h >> (64 - bits.trailing_zeros())) as usize;
    (i / 64, 1 << (i % 64))
}

pub(crate) const OCCUPIED: u32 = 1 << 29;
pub(crate) const EXACT_KIDS: u32 = 1 << 30;
pub(crate) const WILD_KIDS: u32 = 1 << 31;
/// A root node whose token is a negator (so one probe answers both).
pub(crate) const NEGATOR: u32 = 1 << 28;
pub(crate) const ID_MASK: u32 = NEGATOR - 1;

/// Key of the child of node `parent` reached by a token with hash `h`.
#[inline]
pub(crate) fn child_key(parent: u32, wild: bool, h: u64) -> u64 {
    if parent == 0 && !wild {
        return h;
    }
    // splitmix64 finaliser: distinct (parent, wild) pairs give unrelated
    // masks, so children of different nodes do not cluster.
    let mut z = ((parent as u64) << 1 | wild as u64)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ z ^ (z >> 31)
}

#[inline]
pub(crate) fn rd32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

#[inline]
pub(crate) fn rd64(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline]
pub(crate) fn wr32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

#[inline]
pub(crate) fn wr64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

/// A found slot: its index, posting head + 1 and flag word.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub(crate) index: usize,
    pub(crate) postings: u32,
    pub(crate) word: u32,
}

impl Node {
    #[inline]
    pub(crate) fn id(&self) -> u32 {
        self.word & ID_MASK
    }
}

/// Probes the node table (`table` is exactly the table's bytes) for `key`.
#[inline]
pub(crate) fn find(table: &[u8], key: u64) -> Result<Node, usize> {
    let cap = table.len() / SLOT;
    let mask = cap - 1;
    let mut i = (key as usize) & mask;
    loop {
        let at = i * SLOT;
        let word = rd32(table, at + 12);
        if word & OCCUPIED == 0 {
            return Err(i);
        }
        if rd64(table, at) == key {
            return Ok(Node { index: i, postings: rd32(table, at + 8), word });
        }
        i = (i + 1) & mask;
    }
}
