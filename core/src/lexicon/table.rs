//! Byte layout of a compiled lexicon and the hashed trie over it.
//!
//! Everything lives in one caller-provided `&mut [u8]` in explicit
//! little-endian records, so the same bytes work from Rust, C and Python
//! without `unsafe` casts and are identical on every platform:
//!
//! ```text
//! [node table: slot_cap x 16 B][postings: n x 12 B]
//! [start filter: 512..=131072 bits][category index: cats x 8 B][name bytes]
//! [conditions: c x 16 B]
//! ```
//!
//! The node table is an open-addressing hash table (linear probing, load
//! <= 1/2) that encodes a trie over token hashes. The key of a node is
//! `mix(parent node id, is_wildcard) ^ token_hash`, so walking one token is
//! one probe no matter how many terms the lexicon has. A wildcard prefix
//! of up to 7 bytes stands in by its [`prefix8_key`] instead of its
//! `token_hash`: one-to-one on bytes and length there (the length is the
//! top byte), and the matcher has it from the filter test, so it hashes
//! nothing. A slot holds:
//!
//! | bytes | field |
//! |-------|-------|
//! | 0..8  | key |
//! | 8..12 | head of the posting list + 1 (0: not the end of a term) |
//! | 12..16| node id (bits 0..28), negator (bit 28), occupied (bit 29), has exact children (bit 30), has wildcard children (bit 31) |
//!
//! A posting is `next + 1: u32, weight in milli-units: i32, category: u32`.
//! The category's low byte is its index; [`COND`] marks a LIWC 2007
//! conditional category, which applies only when the token before the
//! term is (or, with [`COND_ELSE`], is not) in one of the categories of
//! condition `(category >> COND_SHIFT) & COND_ID_MASK`: a 128-bit mask of
//! category indices in the conditions region.
//!
//! The start filter keeps the matcher away from the node table, and from
//! hashing prefixes, for the many tokens that cannot match: a blocked
//! Bloom filter (two bits in one 64-bit word per key, [`filter_bits`])
//! over three kinds of key:
//!
//! - the key of every exact node (later tokens of a term by [`child_key`])
//!   and, for a root (a term's first token or a listed negator), its hash's
//!   bits in the word of [`root_word_key`] (its first four bytes, or the
//!   hash itself for a token under four bytes), so a miss proves that a
//!   token starts nothing, or continues nothing, without a probe;
//! - [`prefix4_key`] of every wildcard prefix (its first four bytes, or all
//!   of a shorter one), so one test rejects a token that no wildcard is a
//!   prefix of, whatever the prefix lengths;
//! - [`prefix8_key`] of every wildcard prefix (its first eight bytes and its
//!   length), so that of the prefix lengths a token could have, only those
//!   that likely match are hashed and probed.
//!
//! A probe is an unpredictable branch or two on a cache line of its own;
//! a filter test is one load from at most 16 KiB and a branch that is
//! mostly not taken.
//!
//! A root's bits share the word of the prefix key of its first four bytes
//! so that the matcher's reject test, run on every token, reads one word
//! for both the exact test and the wildcard test.

pub(crate) const SLOT: usize = 16;
pub(crate) const POSTING: usize = 12;
pub(crate) const CAT: usize = 8;
/// Bytes of one condition: a mask of category indices.
pub(crate) const COND_BYTES: usize = 16;

/// A posting's category field: the category index ...
pub(crate) const CAT_INDEX: u32 = 0xff;
/// ... whether it is conditional ...
pub(crate) const COND: u32 = 1 << 31;
/// ... whether it applies when the condition fails (the `/id` branch) ...
pub(crate) const COND_ELSE: u32 = 1 << 30;
/// ... and which condition, `(field >> COND_SHIFT) & COND_ID_MASK`.
pub(crate) const COND_SHIFT: u32 = 8;
/// Condition ids have 22 bits: a lexicon has fewer conditional fields.
pub(crate) const COND_ID_MASK: u32 = (1 << 22) - 1;

/// Condition `id`'s mask of category indices in `conds`.
#[inline]
pub(crate) fn cond_mask(conds: &[u8], id: u32) -> u128 {
    let at = id as usize * COND_BYTES;
    u128::from(rd64(conds, at)) | u128::from(rd64(conds, at + 8)) << 64
}

/// Fewest bits in the start filter (64 bytes).
pub(crate) const FILTER_MIN_BITS: usize = 512;
/// Most bits in the start filter (16 KiB, so that it stays in L1 next to
/// the matcher's state; 2^11 words).
pub(crate) const FILTER_MAX_BITS: usize = 1 << 17;

/// The start-filter word of key `z` and the two bits it sets there;
/// `words - 1` is `word_mask` (words are a power of two, at most 2^11).
/// Fixed shifts of the top 30 bits, so that no shift count needs a
/// register; the node table's probe start uses the low bits.
#[inline(always)]
pub(crate) fn filter_bits(z: u64, word_mask: usize) -> (usize, u64) {
    let word = (z >> 53) as usize & word_mask;
    (word, 1 << ((z >> 40) & 63) | 1 << ((z >> 34) & 63))
}

/// Whether the start filter `filter` (its bytes, `word_mask + 1` words)
/// may hold `z`: false proves it does not.
#[inline(always)]
pub(crate) fn filter_test(filter: &[u8], word_mask: usize, z: u64) -> bool {
    let (word, bits) = filter_bits(z, word_mask);
    rd64(filter, word * 8) & bits == bits
}

/// The key whose filter word holds the bits of root token `norm`'s
/// `hash`: for a token of four bytes or more, the [`prefix4_key`] of its
/// first four, the word a wildcard prefix of the same first four bytes
/// uses; for a shorter token, its `hash`.
#[inline(always)]
pub(crate) fn root_word_key(norm: &[u8], hash: u64) -> u64 {
    if norm.len() >= 4 {
        prefix4_key(u64::from(rd32(norm, 0)), 4)
    } else {
        hash
    }
}

/// Whether the start filter may hold root token `hash`, with
/// [`root_word_key`] `wkey`: false proves it is no root node's.
#[inline(always)]
pub(crate) fn filter_test_root(
    filter: &[u8],
    word_mask: usize,
    wkey: u64,
    hash: u64,
) -> bool {
    let (word, _) = filter_bits(wkey, word_mask);
    let (_, bits) = filter_bits(hash, word_mask);
    rd64(filter, word * 8) & bits == bits
}

/// Mixes a 64-bit prefix key: the filter reads bits 34 and up, which one
/// multiplication alone would leave blind to the key's top bytes.
#[inline(always)]
fn mix(v: u64, k: u64) -> u64 {
    let z = v.wrapping_mul(k);
    (z ^ z >> 29).wrapping_mul(0xbf58_476d_1ce4_e5b9)
}

/// The first (up to) eight bytes of `b`, little-endian, zero-padded.
#[cfg(not(target_os = "none"))]
#[inline]
pub(crate) fn first8(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 8 {
        return rd64(b, 0);
    }
    // Overlapping loads instead of a variable-length copy (a `memcpy`
    // call): the bytes both loads cover are the same, so OR keeps them.
    if n >= 4 {
        let hi = u64::from(rd32(b, n - 4)) << (8 * (n - 4));
        return u64::from(rd32(b, 0)) | hi;
    }
    if n == 0 {
        return 0;
    }
    let mid = u64::from(b[n / 2]) << (8 * (n / 2));
    u64::from(b[0]) | mid | u64::from(b[n - 1]) << (8 * (n - 1))
}

/// [`first8`] without a microcontroller's OS: a copy, which takes less
/// flash than the loads above.
#[cfg(target_os = "none")]
#[inline]
pub(crate) fn first8(b: &[u8]) -> u64 {
    if b.len() >= 8 {
        return rd64(b, 0);
    }
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(w)
}

/// The filter key of the first `min(len, 4)` bytes of a wildcard prefix of
/// `len` bytes, given its [`first8`] `x`. Keys of prefixes of 4 or more
/// bytes stand for all of them: a token tests one such key.
#[inline]
pub(crate) fn prefix4_key(x: u64, len: usize) -> u64 {
    let c = len.min(4);
    // A shorter prefix's length in bits 32..34 keeps it apart from the
    // 4-byte keys, which leave them 0: the fast path's key of four bytes
    // is then the bare product, one multiplication and no addition.
    let v = (x & (u64::MAX >> (64 - 8 * c))) | ((c & 3) as u64) << 32;
    // `v` has 34 bits, so each bit of the product from bit 34 up (all the
    // filter reads) depends on all of them: one multiplication is enough
    // on the fast path.
    v.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The filter key of a wildcard prefix of `len` bytes (1..=63) by its
/// first eight bytes, given their [`first8`] `x` (bytes past `len` are
/// ignored).
#[inline]
pub(crate) fn prefix8_key(x: u64, len: usize) -> u64 {
    let v = if len < 8 { x & ((1 << (8 * len)) - 1) } else { x };
    // The length in the top byte: below 8 bytes that byte is 0 in `v`, so
    // keys of different lengths never coincide.
    mix(v ^ (len as u64) << 56, 0xc2b2_ae3d_27d4_eb4f)
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
    if parent == 0 {
        // The root's mixes are constants: no multiplication for a root
        // wildcard, the matcher's most frequent child probe.
        const ROOT_WILD: u64 = node_mix(0, true);
        return if wild { h ^ ROOT_WILD } else { h };
    }
    h ^ node_mix(parent, wild)
}

/// What [`child_key`] mixes into the hash for the children of `parent`
/// (not used for the root's exact children: their key is the hash).
#[inline]
const fn node_mix(parent: u32, wild: bool) -> u64 {
    // splitmix64 finaliser: distinct (parent, wild) pairs give unrelated
    // masks, so children of different nodes do not cluster.
    let mut z = ((parent as u64) << 1 | wild as u64)
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
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

#[cfg(test)]
mod tests {
    use super::first8;

    #[test]
    fn first8_is_the_zero_padded_prefix() {
        let bytes = [0x11u8, 0xe2, 0x80, 0x99, 0x74, 0xff, 0x00, 0x7f, 0x42];
        for n in 0..=bytes.len() {
            let b = &bytes[..n];
            let mut w = [0u8; 8];
            let k = n.min(8);
            w[..k].copy_from_slice(&b[..k]);
            assert_eq!(first8(b), u64::from_le_bytes(w), "{n}");
        }
    }
}
