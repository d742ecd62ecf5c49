//! Stable serialisation of one table.
//!
//! ```text
//! header (40 B): magic "TMNG" | version u16 = 2 | n u8 | flags u8
//!                | capacity u32 | pool_bytes u32 | len u32 | seed u32
//!                | total u64 | floor u64
//! len × entry:   hash u64 | count u64 | error u64 | enc_len u16
//!                (0xFFFF: bytes unknown) | encoded gram
//! ```
//! All integers little-endian. The format lists entries, not the in-memory
//! layout, so it does not depend on how the table was filled: equal tables
//! give equal bytes. Entries are re-inserted on reading and written in a
//! canonical order ([`canonical_order`]): which slots are occupied depends
//! only on the set of grams and the placement seed (linear probing with
//! backward-shift deletion), but the order of the entries inside a run of
//! occupied slots depends on the order they arrived in, so each run is
//! written sorted by hash. The seed is saved (0 before seeds existed) and
//! restored, so a table read back writes the same bytes.
//!
//! Flags bit 0 (version 2): the table is full and has its Space-Saving
//! buckets, and the entries are listed in bucket order (ascending count;
//! the order in which equal counts will be evicted is part of the state).
//! Reading restores that order, so the copy evolves like the original.
//! Version 1 (no flags) is still read.

use super::bytes::{
    rd16, rd32, rd64, wr16, wr32, wr64, EncodedKey, MAX_TOKEN_LEN,
};
use super::table::{
    enc_at, slots_for, GramTokens, TabRef, TableConfig, TableCore, SLOT,
};
use super::{gram_hash_tokens, Error, MAX_N};
use crate::counts::{COUNT_LIMIT, STATE_LIMIT};

const MAGIC: &[u8; 4] = b"TMNG";
const VERSION: u16 = 2;
/// Flags bit 0: entries in bucket order.
const IN_ORDER: u8 = 1;
const HEADER: usize = 40;
const ENTRY: usize = 26;

pub(crate) fn table_len(core: &TableCore, mem: &[u8]) -> usize {
    let t = core.view(mem);
    let mut n = HEADER;
    for i in 0..core.nslots as usize {
        if t.count(i) != 0 {
            n += ENTRY
                + enc_at(t.slots, t.pool, i * SLOT).map_or(0, <[u8]>::len);
        }
    }
    n
}

pub(crate) fn table_into(
    core: &TableCore,
    mem: &[u8],
    out: &mut [u8],
) -> Result<usize, Error> {
    let need = table_len(core, mem);
    if out.len() < need {
        return Err(Error::buffer(need, out.len()));
    }
    let out = &mut out[..need];
    out[..4].copy_from_slice(MAGIC);
    wr16(out, 4, VERSION);
    out[6] = core.n;
    wr32(out, 8, core.cap);
    wr32(out, 12, core.pool_len);
    wr32(out, 16, core.len);
    wr32(out, 20, core.seed);
    wr64(out, 24, core.total);
    wr64(out, 32, core.floor);
    let t = core.view(mem);
    let mut w = HEADER;
    let mut write = |i: usize| {
        let o = i * SLOT;
        out[w..w + 24].copy_from_slice(&t.slots[o..o + 24]);
        match enc_at(t.slots, t.pool, o) {
            Some(enc) => {
                wr16(out, w + 24, enc.len() as u16);
                out[w + ENTRY..w + ENTRY + enc.len()].copy_from_slice(enc);
                w += ENTRY + enc.len();
            }
            None => {
                wr16(out, w + 24, u16::MAX);
                w += ENTRY;
            }
        }
    };
    let in_order = t.positions(&mut write);
    if !in_order {
        canonical_order(&t, core.nslots as usize, write);
    }
    out[7] = if in_order { IN_ORDER } else { 0 };
    Ok(w)
}

/// Calls `f` with every occupied slot in an order that depends only on
/// the table's contents: run by run of occupied slots, starting after the
/// first empty slot (there is always one: `nslots > capacity`), and
/// within a run by (hash, gram bytes), which is unique per entry. A run
/// of `c` entries costs O(c²); runs are short at load factor 2/3.
fn canonical_order(t: &TabRef<'_>, nslots: usize, mut f: impl FnMut(usize)) {
    let used = |i: usize| t.count(i) != 0;
    let key = |i: usize| {
        (rd64(t.slots, i * SLOT), enc_at(t.slots, t.pool, i * SLOT))
    };
    let Some(empty) = (0..nslots).find(|&i| !used(i)) else {
        return;
    };
    let mut k = 1;
    while k <= nslots {
        let start = (empty + k) % nslots;
        if !used(start) {
            k += 1;
            continue;
        }
        let mut run = 0;
        while used((start + run) % nslots) {
            run += 1;
        }
        let mut last = None;
        for _ in 0..run {
            let mut best: Option<usize> = None;
            for j in 0..run {
                let s = (start + j) % nslots;
                let after_last = last.map_or(true, |l| key(s) > key(l));
                if after_last && best.map_or(true, |b| key(s) < key(b)) {
                    best = Some(s);
                }
            }
            let Some(b) = best else { break };
            f(b);
            last = Some(b);
        }
        k += run;
    }
}

/// Whether an encoded gram (valid for its `n`) hashes to `hash`, as every
/// gram textmeter stores does; a gram with a token of the maximal length
/// passes unchecked, since that token may have been cut after it was
/// hashed whole.
fn hash_matches(enc: &[u8], hash: u64) -> bool {
    let mut tokens: [&[u8]; MAX_N] = [&[]; MAX_N];
    let mut k = 0;
    for t in GramTokens::of(enc) {
        if t.len() >= MAX_TOKEN_LEN {
            return true;
        }
        tokens[k] = t;
        k += 1;
    }
    gram_hash_tokens(&tokens[..k]) == hash
}

/// Whether `enc` is `n` length-prefixed tokens exactly.
fn valid_enc(enc: &[u8], n: u8) -> bool {
    let mut p = 0;
    // Counted in `usize`: an encoding of 256 or more empty tokens once
    // wrapped a `u8` count around to `n` (regression, fuzz target
    // `deserialize`).
    let mut k = 0usize;
    while p < enc.len() {
        p += 1 + enc[p] as usize;
        k += 1;
    }
    p == enc.len() && k == usize::from(n)
}

pub(crate) fn table_from(
    bytes: &[u8],
    mem: &mut [u8],
) -> Result<TableCore, Error> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err(Error::corrupt("bad magic"));
    }
    let version = rd16(bytes, 4);
    if version != VERSION && version != 1 {
        return Err(Error::corrupt("unknown version"));
    }
    let flags = bytes[7];
    if flags & !IN_ORDER != 0 || (version == 1 && flags != 0) {
        return Err(Error::corrupt("unknown flags"));
    }
    let cfg = TableConfig::new(bytes[6], rd32(bytes, 8))
        .with_pool_bytes(rd32(bytes, 12) as u64);
    let (mut core, need) =
        TableCore::new(&cfg).map_err(|_| Error::corrupt("bad config"))?;
    if mem.len() < need {
        return Err(Error::arena(need, mem.len()));
    }
    let len = rd32(bytes, 16);
    if len > core.cap {
        return Err(Error::corrupt("more entries than capacity"));
    }
    // The placement seed (0 before there were seeds): placing the
    // entries as the original did keeps the canonical order of the bytes.
    core.place_by(rd32(bytes, 20));
    // Sized for all entries up front, so that no insertion moves another
    // (positions are recorded as they go).
    core.nslots = slots_for(len, core.max_slots);
    mem[..core.nslots as usize * SLOT].fill(0);
    let mut r = HEADER;
    let mut max_count = 0;
    let (mut sum, mut any_error) = (0u64, false);
    {
        let mut t = core.view_mut(mem);
        for p in 0..len as usize {
            if bytes.len() < r + ENTRY {
                return Err(Error::corrupt("truncated"));
            }
            let hash = rd64(bytes, r);
            let count = rd64(bytes, r + 8);
            let error = rd64(bytes, r + 16);
            let el = rd16(bytes, r + 24);
            r += ENTRY;
            let enc = if el == u16::MAX {
                None
            } else {
                let el = el as usize;
                if bytes.len() < r + el
                    || !valid_enc(&bytes[r..r + el], cfg.n())
                {
                    return Err(Error::corrupt("bad gram"));
                }
                // A hash that is not its gram's would count the gram
                // again under its own hash when it next occurs.
                if !hash_matches(&bytes[r..r + el], hash) {
                    return Err(Error::corrupt("gram hash does not match"));
                }
                r += el;
                Some(&bytes[r - el..r])
            };
            if count == 0 || error > count || count > STATE_LIMIT {
                return Err(Error::corrupt("bad count"));
            }
            max_count = max_count.max(count);
            sum = sum.saturating_add(count);
            any_error |= error != 0;
            let key = EncodedKey { enc };
            match t.find(hash, &key) {
                Ok(_) => return Err(Error::corrupt("duplicate entry")),
                Err(i) => {
                    t.insert_new(i, hash, &key, count, error);
                    // Later insertions never move an entry (linear
                    // probing), so its slot is final.
                    t.set_position(p, i);
                }
            }
        }
        if flags & IN_ORDER != 0 && !t.link_positions() {
            return Err(Error::corrupt("entries out of order"));
        }
    }
    if r != bytes.len() {
        return Err(Error::corrupt("trailing bytes"));
    }
    core.total = rd64(bytes, 24);
    core.floor = rd64(bytes, 32);
    if core.total > STATE_LIMIT || core.floor > STATE_LIMIT {
        return Err(Error::corrupt("bad count"));
    }
    // No gram occurs more often than grams were counted: not an absent
    // one (the floor bounds those) and not a listed one. A state that
    // says otherwise would grow counts past the limit as text comes (a
    // newcomer starts at the floor + 1), into a state its reader refuses.
    if core.floor > core.total || max_count > core.total {
        return Err(Error::corrupt("count above the total"));
    }
    // An exact table (floor 0) holds every gram it counted, each exactly:
    // no error, and counts that add up to the total (at least to it once
    // merges reach `COUNT_LIMIT`, where capped sums stop adding).
    if core.floor == 0
        && (any_error
            || sum < core.total
            || (core.total < COUNT_LIMIT && sum != core.total))
    {
        return Err(Error::corrupt("exact counts disagree"));
    }
    Ok(core)
}

#[cfg(test)]
mod tests {
    use super::{valid_enc, HEADER, STATE_LIMIT};
    use crate::counts::COUNT_LIMIT;
    use crate::ngram::{ErrorKind, NgramTable, TableConfig};
    use std::vec;

    /// Writes `v` over the `u64` at `at` of a saved table.
    fn set64(b: &mut [u8], at: usize, v: u64) {
        b[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }

    /// Saved tables claiming more than twice [`COUNT_LIMIT`] are corrupt;
    /// merges of ones at the limit stay there, later grams count on
    /// without overflowing, and what that makes reads back.
    #[test]
    fn totals_and_counts_beyond_the_limit_are_corrupt() {
        let cfg = TableConfig::new(1, 4);
        let mut t =
            NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        t.insert(&[b"peace"]).unwrap();
        let mut bytes = vec![0u8; t.serialized_len()];
        t.serialize_into(&mut bytes).unwrap();
        let read = |b: &[u8]| NgramTable::deserialize(b, vec![0u8; 1 << 12]);
        for (at, v) in [
            (24, STATE_LIMIT + 1),
            (32, STATE_LIMIT + 1),
            (HEADER + 8, STATE_LIMIT + 1),
        ] {
            let mut e = bytes.clone();
            set64(&mut e, at, v);
            assert_eq!(
                read(&e).unwrap_err().kind(),
                ErrorKind::Corrupt,
                "{at}"
            );
        }
        set64(&mut bytes, 24, COUNT_LIMIT);
        set64(&mut bytes, HEADER + 8, COUNT_LIMIT);
        let big = read(&bytes).unwrap();
        let mut t = read(&bytes).unwrap();
        for _ in 0..3 {
            t.merge(&big).unwrap();
        }
        assert_eq!(t.total(), COUNT_LIMIT);
        assert_eq!(t.get(&[b"peace"]).unwrap().count(), COUNT_LIMIT);
        t.insert(&[b"peace"]).unwrap();
        assert_eq!(t.total(), COUNT_LIMIT + 1);
        assert_eq!(t.get(&[b"peace"]).unwrap().count(), COUNT_LIMIT + 1);
        let mut again = vec![0u8; t.serialized_len()];
        t.serialize_into(&mut again).unwrap();
        assert_eq!(read(&again).unwrap().total(), COUNT_LIMIT + 1);
    }

    /// Found by a probe of the Python package: a saved floor (or count)
    /// above the total was accepted, and the next gram (floor + 1) grew
    /// past the limit into a state its reader then refused.
    #[test]
    fn floor_and_counts_above_the_total_are_corrupt() {
        let cfg = TableConfig::new(1, 1);
        let mut t =
            NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        t.insert(&[b"peace"]).unwrap();
        t.insert(&[b"talks"]).unwrap();
        assert!(!t.is_exact());
        let mut bytes = vec![0u8; t.serialized_len()];
        t.serialize_into(&mut bytes).unwrap();
        let read = |b: &[u8]| NgramTable::deserialize(b, vec![0u8; 1 << 12]);
        assert!(read(&bytes).is_ok());
        let total = u64::from_le_bytes(bytes[24..32].try_into().unwrap());
        assert_eq!(total, 2);
        for (at, v) in [(32, 3), (32, 1 << 63), (HEADER + 8, 3)] {
            let mut e = bytes.clone();
            set64(&mut e, at, v);
            let err = read(&e).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Corrupt, "{at}");
        }
    }

    /// Found by a probe of the C API: an exact table whose entries carry
    /// an error, or whose counts do not add up to its total, was accepted.
    #[test]
    fn exact_tables_with_errors_or_counts_off_the_total_are_corrupt() {
        let cfg = TableConfig::new(1, 64);
        let mut t =
            NgramTable::new(vec![0u8; cfg.bytes_needed()], cfg).unwrap();
        for w in [b"peace", b"peace", b"talks"] {
            t.insert(&[w]).unwrap();
        }
        assert!(t.is_exact());
        let mut bytes = vec![0u8; t.serialized_len()];
        t.serialize_into(&mut bytes).unwrap();
        let read = |b: &[u8]| NgramTable::deserialize(b, vec![0u8; 1 << 14]);
        assert!(read(&bytes).is_ok());
        // The first entry's count and error, then the total.
        for (at, v) in [(HEADER + 16, 1), (HEADER + 8, 3), (24, 2)] {
            let mut e = bytes.clone();
            set64(&mut e, at, v);
            let err = read(&e).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Corrupt, "{at} = {v}");
        }
    }

    /// Regression (fuzz target `deserialize`, via the property test in
    /// debug): 264 empty tokens wrapped a `u8` token count around to 8.
    #[test]
    fn an_encoding_counts_its_tokens_without_wrapping() {
        assert!(valid_enc(&[0; 8], 8));
        assert!(!valid_enc(&[0; 264], 8));
        assert!(!valid_enc(&[0; 256], 0));
        assert!(valid_enc(&[2, b'a', b'b', 0], 2));
        assert!(!valid_enc(&[3, b'a', b'b'], 1));
    }
}
