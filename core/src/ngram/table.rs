//! One n-gram table: open addressing over byte slots, Space-Saving
//! buckets built once the table is full, and a byte pool for gram bytes.
//!
//! # Layout (all little-endian, inside the caller's arena)
//!
//! ```text
//! slots  nslots × 32 B   hash u64 | count u64 | error u64 | pool u32 | pos u32
//! order  capacity × 24 B counting: positions  capacity × (slot u32 | bucket u32)
//!                                   buckets    capacity × (count u64 | start u32
//!                                                          | end u32)
//!                        merging:  4-ary min-heap, 16 B per entry
//!                                  (count u64 | hash low u32 | slot u32),
//!                                  from byte 0..63 (each node's children
//!                                  one cache line); the last 4 B per
//!                                  entry list the entries a merge offers
//!                                  (slots in the other table, u32)
//! pool   pool_bytes      records: cap u16 | len u16 (bit 15: garbage)
//!                        | 0 u32 (scratch for compaction) | encoded gram
//! ```
//!
//! `nslots = capacity + capacity / 2 + 1` (load factor at most 2/3) and a
//! slot's home is `(hash × m mod 2^64) × nslots >> 64`, where `m` is the
//! placement multiplier (1 without a placement seed, else an odd number
//! drawn from it: see [`NgramTable::set_placement_seed`]). Collisions
//! probe linearly, so a lookup walks adjacent 32-byte slots and compares
//! 64-bit hashes, and reads the gram bytes in the pool only on a hash
//! match. `count == 0` marks an
//! empty slot. Deletion (eviction) is backward-shift deletion, so there are
//! no tombstones; moved slots fix their position and pool back-pointer.
//!
//! The region has room for all `nslots`, but a table uses only the first
//! 64, 128, … of them until its entries need more (`slots_for`: load at
//! most 2/3, a function of the entry count alone, so equal contents have
//! equal layouts); it rehashes into the next size, with the unused order
//! region as scratch, and is at full size before it is full. Clearing,
//! iterating and merging then cost what the entries take, not what the
//! capacity reserves: the CLI over 200 files of 6 KB with its 65,536
//! entries per `n` spent 43 % of its instructions zeroing slots and 30 %
//! merging empty ones (4.37 G instructions, 0.95 s CPU; now 0.91 G,
//! 0.16 s); on one 8.35 MB file the rehashes add 0.3 %.
//!
//! While the table has room nothing but the slots is touched. When the
//! first new gram arrives at a full table, the entries are sorted by
//! count (ties by `order_key`, so the result depends only on the
//! contents) into the position array, cut into buckets of equal count.
//! From then on an increment and an eviction are each O(1): the
//! stream-summary of Metwally et al. kept in two arrays (see `bump`).
//! The victim is the last entry of the lowest bucket, so equal counts are
//! evicted first in, first out, scattered over the table. This replaced a
//! min-heap, in which a newcomer (the minimum + 1, above nearly every
//! other entry once a big table overflows) sank to the bottom on every
//! eviction, one cache miss per level: the CLI with its defaults on the
//! 8.35 MB corpus went from 3.4 to 2.2 CPU seconds.
//!
//! Merging changes counts wholesale and inserts arbitrary counts, so it
//! uses a heap by `order_key` in the same region instead (O(log capacity)
//! per candidate), and leaves the buckets to be rebuilt by the next push.
//! A newcomer sinks through most levels (its count is the floor plus a
//! little, like most of the heap's): the heap is placed so that each
//! node's four children share a cache line, the sift prefetches the next
//! level while it compares this one, and it sifts bottom-up (down the
//! smallest children to a leaf, then back up to the newcomer's place), so
//! the newcomer is compared at the last levels only. A merge lists the
//! other table's absent entries in the order region's spare end, to look
//! each entry up once (see `merge.rs`).
//!
//! Gram bytes are encoded as each token's length byte followed by its bytes.
//! Records are appended to the pool; an evicted record is reused in place
//! when the new gram fits, otherwise it becomes garbage. When the pool is
//! full it is compacted, but only if at least 1/8 of it is garbage (so the
//! O(pool) compaction is amortised over many evictions). If a gram still does
//! not fit, the entry is counted without bytes: it then matches on its
//! 64-bit hash alone, [`Entry::gram`] returns `None` and
//! [`NgramTable::missing_bytes`] counts it. This is never silent.

use core::cmp::Ordering;
use core::fmt;
use core::iter::FusedIterator;

use super::bytes::{
    rd128, rd16, rd32, rd64, wr128, wr16, wr32, wr64, Key, SliceKey,
};
use super::sort;
use super::{gram_hash_tokens, Error, MAX_N};
use crate::counts::capped_add;

pub(crate) const SLOT: usize = 32;
const O_HASH: usize = 0;
const O_COUNT: usize = 8;
const O_ERROR: usize = 16;
const O_POOL: usize = 24;
const O_HPOS: usize = 28;
pub(crate) const NONE: u32 = u32::MAX;
/// Bytes of a pool record's header (capacity, length, scratch).
pub(crate) const REC: usize = 8;
/// Flag in a record's length: the record is garbage.
const DEAD: u16 = 0x8000;
/// Bytes of one heap entry: count u64, low half of the hash u32, slot
/// index u32, at these offsets.
const HEAP_ENTRY: usize = 16;
const H_TIE: usize = 8;
const H_SLOT: usize = 12;
/// Children per heap node.
const ARITY: usize = 4;
/// Bytes per entry of the order region: while merging it holds the heap
/// (16 B per entry); while counting, the Space-Saving buckets — the
/// position array (`slot u32 | bucket u32`, 8 B per entry) followed by
/// the bucket nodes (`count u64 | start u32 | end u32`, 16 B each, at most
/// one per entry).
const ORDER_ENTRY: usize = 24;
const POS_ENTRY: usize = 8;
const NODE: usize = 16;

/// The largest capacity of one table, in entries (2^28).
pub const MAX_CAPACITY: u32 = 1 << 28;

/// Largest gram byte pool of one table, in bytes (`2^32 − 2`: pool
/// offsets are 32-bit, and one value marks "no bytes").
pub const MAX_POOL_BYTES: u64 = u32::MAX as u64 - 1;

/// Configuration of one n-gram table: `n`, capacity in entries and the size
/// of the byte pool that keeps gram bytes.
///
/// ```
/// use textmeter::ngram::TableConfig;
/// let cfg = TableConfig::new(2, 1000);
/// assert_eq!(cfg.pool_bytes(), 1000 * (12 + 12 * 2) + 2 * (8 + 512));
/// assert!(cfg.bytes_needed() >= 1000 * 32);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableConfig {
    n: u8,
    capacity: u32,
    pool_bytes: u64,
}

impl TableConfig {
    /// A table for `n`-grams holding up to `capacity` entries, with the
    /// default pool ([`TableConfig::default_pool_bytes`]).
    ///
    /// ```
    /// let cfg = textmeter::ngram::TableConfig::new(3, 1 << 16);
    /// assert_eq!(cfg.n(), 3);
    /// ```
    pub const fn new(n: u8, capacity: u32) -> Self {
        TableConfig { n, capacity, pool_bytes: u64::MAX }
    }

    /// Sets the gram byte pool size in bytes (at most [`MAX_POOL_BYTES`];
    /// `u64::MAX` stands for the default, [`TableConfig::default_pool_bytes`]).
    /// Each stored gram takes 8 bytes of header plus one length byte and the
    /// bytes of each token.
    ///
    /// ```
    /// let cfg = textmeter::ngram::TableConfig::new(1, 10)
    ///     .with_pool_bytes(4096);
    /// assert_eq!(cfg.pool_bytes(), 4096);
    /// ```
    pub const fn with_pool_bytes(mut self, bytes: u64) -> Self {
        self.pool_bytes = bytes;
        self
    }

    /// The default pool: `capacity × (12 + 12 n)` bytes, half as much again
    /// as grams of 7-byte tokens need (8 + 8 n; English averages under 5
    /// bytes a token), plus room for two grams of maximal length
    /// (`2 × (8 + 256 n)`) so that small tables can always store a long
    /// gram; 0 for capacity 0. At most [`MAX_POOL_BYTES`] (what a table
    /// can address): from about 40 M entries of 8-grams (89 M of 3-grams)
    /// a table then stores the bytes of as many grams as fit and counts
    /// the rest by hash alone, saying so ([`NgramTable::missing_bytes`]),
    /// instead of refusing the capacity.
    ///
    /// The spare half is for the records of evicted grams: an evicting
    /// table turns a record into garbage whenever the newcomer is longer
    /// than its victim, and compacts once the pool is full, which costs a
    /// pass over the slots and the pool whatever it reclaims. With a
    /// quarter spare (`8 + 8 n`) the CLI's defaults on the 8.35 MB corpus
    /// spent 6.8 % of their instructions compacting (3,271 M in all); with
    /// half, 1.6 % (3,074 M), and 9 % less CPU time. A microcontroller short
    /// of RAM can set a tighter pool ([`TableConfig::with_pool_bytes`]).
    ///
    /// ```
    /// use textmeter::ngram::TableConfig;
    /// assert_eq!(TableConfig::default_pool_bytes(1, 10), 240 + 528);
    /// assert_eq!(TableConfig::default_pool_bytes(1, 0), 0);
    /// assert_eq!(
    ///     TableConfig::default_pool_bytes(8, textmeter::ngram::MAX_CAPACITY),
    ///     textmeter::ngram::MAX_POOL_BYTES,
    /// );
    /// ```
    pub const fn default_pool_bytes(n: u8, capacity: u32) -> u64 {
        if capacity == 0 {
            return 0;
        }
        let bytes =
            capacity as u64 * (12 + 12 * n as u64) + 2 * (8 + 256 * n as u64);
        if bytes > MAX_POOL_BYTES {
            MAX_POOL_BYTES
        } else {
            bytes
        }
    }

    /// The `n` of the n-grams.
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::TableConfig::new(2, 1).n(), 2);
    /// ```
    pub const fn n(&self) -> u8 {
        self.n
    }

    /// The capacity in entries.
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::TableConfig::new(2, 7).capacity(), 7);
    /// ```
    pub const fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The pool size in bytes (the default unless set).
    ///
    /// ```
    /// assert_eq!(textmeter::ngram::TableConfig::new(1, 0).pool_bytes(), 0);
    /// ```
    pub const fn pool_bytes(&self) -> u64 {
        if self.pool_bytes == u64::MAX {
            Self::default_pool_bytes(self.n, self.capacity)
        } else {
            self.pool_bytes
        }
    }

    const fn nslots(&self) -> u64 {
        if self.capacity == 0 {
            0
        } else {
            self.capacity as u64 + self.capacity as u64 / 2 + 1
        }
    }

    /// Checks the configuration and returns the arena bytes it needs.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::InvalidConfig`] when `n` is not in 1..=8,
    /// the capacity exceeds [`MAX_CAPACITY`], the pool exceeds
    /// `u32::MAX - 1` bytes or the total does not fit in `usize`.
    ///
    /// ```
    /// use textmeter::ngram::TableConfig;
    /// assert!(TableConfig::new(9, 1).try_bytes_needed().is_err());
    /// assert_eq!(TableConfig::new(1, 0).try_bytes_needed(), Ok(0));
    /// ```
    pub const fn try_bytes_needed(&self) -> Result<usize, Error> {
        if self.n == 0 || self.n as usize > MAX_N {
            return Err(Error::config("n must be in 1..=8"));
        }
        if self.capacity > MAX_CAPACITY {
            return Err(Error::config("capacity above 2^28 entries"));
        }
        let pool = self.pool_bytes();
        if pool > MAX_POOL_BYTES {
            return Err(Error::config("pool above 2^32 - 2 bytes"));
        }
        let total = self.nslots() * SLOT as u64
            + self.capacity as u64 * ORDER_ENTRY as u64
            + pool;
        if total > usize::MAX as u64 {
            return Err(Error::config("size does not fit in usize"));
        }
        Ok(total as usize)
    }

    /// The arena bytes this configuration needs.
    ///
    /// # Panics
    /// If the configuration is invalid (see
    /// [`TableConfig::try_bytes_needed`]); fine in `const` items.
    ///
    /// ```
    /// use textmeter::ngram::TableConfig;
    /// const BYTES: usize = TableConfig::new(2, 64).bytes_needed();
    /// assert_eq!(BYTES, 97 * 32 + 64 * 24 + 64 * 36 + 2 * (8 + 512));
    /// ```
    pub const fn bytes_needed(&self) -> usize {
        match self.try_bytes_needed() {
            Ok(n) => n,
            Err(_) => panic!("invalid n-gram table configuration"),
        }
    }
}

/// The state of one table apart from its bytes (which live in the arena).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TableCore {
    pub n: u8,
    pub cap: u32,
    /// Slots in use: the table starts small and grows (see
    /// [`slots_for`]), so that a short document clears, iterates and
    /// merges a few slots, not the whole region.
    pub nslots: u32,
    /// Slots of the region, the configuration's: the size once full.
    pub max_slots: u32,
    pub pool_len: u32,
    pub len: u32,
    pub total: u64,
    /// Upper bound of the true count of any gram not in the table; 0 while
    /// exact.
    pub floor: u64,
    pub used: u32,
    pub live: u32,
    pub missing: u32,
    pub order: Order,
    /// Head of the list of free bucket nodes (linked through their
    /// `start` field), `NONE` when empty.
    pub free: u32,
    /// Bucket nodes ever handed out; nodes at and above are unused.
    pub fresh: u32,
    /// Where the heap starts in the order region, in bytes (see
    /// [`TabMut::build_heap`]).
    pub heap_at: u32,
    /// The placement seed (0: none), which slot a hash calls home: see
    /// [`NgramTable::set_placement_seed`]. Kept by `clear`.
    pub seed: u32,
    /// [`salt_of`] `seed`: the placement multiplier (1 without a seed).
    pub salt: u64,
}

/// Which structure the order region holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Nothing: the table has had room so far, or a merge or a read has
    /// just changed counts wholesale. Rebuilt from the contents when
    /// needed, so this state depends only on the contents.
    Unordered,
    /// The 4-ary min-heap by [`order_key`], used while merging.
    Heap,
    /// The Space-Saving buckets, used while counting (see
    /// [`TabMut::bump`]).
    Buckets,
}

impl TableCore {
    pub(crate) fn new(cfg: &TableConfig) -> Result<(Self, usize), Error> {
        let bytes = cfg.try_bytes_needed()?;
        Ok((
            TableCore {
                n: cfg.n,
                cap: cfg.capacity,
                nslots: slots_for(0, cfg.nslots() as u32),
                max_slots: cfg.nslots() as u32,
                pool_len: cfg.pool_bytes() as u32,
                len: 0,
                total: 0,
                floor: 0,
                used: 0,
                live: 0,
                missing: 0,
                order: Order::Unordered,
                free: NONE,
                fresh: 0,
                heap_at: 0,
                seed: 0,
                salt: 1,
            },
            bytes,
        ))
    }

    pub(crate) fn config(&self) -> TableConfig {
        TableConfig::new(self.n, self.cap)
            .with_pool_bytes(self.pool_len as u64)
    }

    pub(crate) fn bytes(&self) -> usize {
        self.max_slots as usize * SLOT
            + self.cap as usize * ORDER_ENTRY
            + self.pool_len as usize
    }

    /// Places hashes by `seed` (and its multiplier, which the lookups
    /// read) from now on. Only for an empty table, or one whose entries
    /// are about to be inserted (a table being read back).
    pub(crate) fn place_by(&mut self, seed: u32) {
        self.seed = seed;
        self.salt = salt_of(seed);
    }

    /// The parts of the table's region (offsets from its start) that
    /// hold its state: the slots in use, the order region while it holds
    /// buckets or a heap, and the pool up to its last record. The rest is
    /// never read before it is written (growth clears the slots it takes
    /// on, the order region is rebuilt, the pool appended to), so a copy
    /// of these parts is the table, in time and memory what it holds.
    pub(crate) fn state_ranges(&self) -> [core::ops::Range<usize>; 3] {
        let (a, b) = self.split();
        let order = if self.order == Order::Unordered { a..a } else { a..b };
        [0..self.nslots as usize * SLOT, order, b..b + self.used as usize]
    }

    fn split(&self) -> (usize, usize) {
        let s = self.max_slots as usize * SLOT;
        (s, s + self.cap as usize * ORDER_ENTRY)
    }

    /// Starts loading the home slot of `hash`, for a lookup some tokens
    /// later.
    #[inline(always)]
    pub(crate) fn prefetch(&self, mem: &[u8], hash: u64) {
        if self.nslots != 0 {
            // A full table's probes for a new gram (every eviction) walk
            // 2.5 lines on average at load 2/3.
            let o = home(hash, self.nslots, self.salt) * SLOT + O_COUNT;
            crate::prefetch::prefetch(mem, o);
            crate::prefetch::prefetch(mem, o + 64);
        }
    }

    /// If the home slot of `hash` holds that hash, starts loading the
    /// entry's gram bytes and position (the slot itself should be in cache
    /// by now).
    #[inline(always)]
    pub(crate) fn prefetch_bytes(&self, mem: &[u8], hash: u64) {
        if self.nslots != 0 {
            let o = home(hash, self.nslots, self.salt) * SLOT;
            if rd64(mem, o + O_HASH) == hash {
                let (order, pool) = self.split();
                let rec = rd32(mem, o + O_POOL);
                if rec != NONE {
                    crate::prefetch::prefetch(mem, pool + rec as usize);
                }
                if self.order == Order::Buckets {
                    // And its position, which the increment reads.
                    let p = rd32(mem, o + O_HPOS) as usize;
                    crate::prefetch::prefetch(mem, order + p * POS_ENTRY);
                }
            }
        }
    }

    /// Loads the home slot of `hash` so that a later lookup finds it in
    /// cache (a software prefetch without `unsafe`).
    #[inline(always)]
    pub(crate) fn touch(&self, mem: &[u8], hash: u64) {
        if self.nslots != 0 {
            let o = home(hash, self.nslots, self.salt) * SLOT + O_COUNT;
            core::hint::black_box(mem[o]);
        }
    }

    pub(crate) fn view<'m>(&'m self, mem: &'m [u8]) -> TabRef<'m> {
        let (a, b) = self.split();
        TabRef {
            c: self,
            slots: &mem[..a],
            order: &mem[a..b],
            pool: &mem[b..self.bytes()],
        }
    }

    pub(crate) fn view_mut<'m>(&'m mut self, mem: &'m mut [u8]) -> TabMut<'m> {
        let (a, b) = self.split();
        let end = self.bytes();
        let (slots, rest) = mem[..end].split_at_mut(a);
        let (order, pool) = rest.split_at_mut(b - a);
        TabMut { c: self, slots, order, pool }
    }
}

/// The Space-Saving order of entries: count, then the hash rotated by 32
/// bits. A total order (hashes are unique per table but for 2^-64
/// collisions), so which entry is the minimum — the one evicted — depends
/// only on the table's contents, never on its slot layout: a table and its
/// deserialised copy evolve identically.
///
/// NOTE: ties at the minimum are the rule once a table fills, so victims
/// leave in this order. Ordering them by the plain hash would evict them by
/// home slot (the home is the hash's high bits), region by region, while
/// newcomers land everywhere: the rest of the table packs and linear
/// probing degrades to long scans (seen: 60 s stalls at 300,000 entries).
/// The rotation puts the low bits first, which say nothing about the home.
#[inline]
pub(crate) fn order_key(count: u64, hash: u64) -> (u64, u64) {
    (count, hash.rotate_left(32))
}

/// One heap entry, unpacked.
#[derive(Clone, Copy)]
struct HeapItem {
    count: u64,
    /// The low half of the hash (the first tie-break of [`order_key`]).
    tie: u32,
    slot: u32,
}

impl HeapItem {
    /// The heap entry at the start of `e`.
    #[inline(always)]
    fn at(e: &[u8; HEAP_ENTRY]) -> Self {
        HeapItem {
            count: rd64(e, 0),
            tie: rd32(e, H_TIE),
            slot: rd32(e, H_SLOT),
        }
    }
}

/// Sorts the 24-byte records of `buf` by their first two little-endian
/// `u64`s, in place ([`sort::sort`]). Used once per fill of a table, where
/// a plain heapsort took 1,250 instructions per entry of a 65,536-entry
/// table (its sift-downs compare twice per level and touch the whole
/// heap), and the quicksort 400. On hosts, ranges of [`RADIX_MIN`]
/// records or more are cut by [`radix_records`] first.
fn sort_records(buf: &mut [u8]) {
    #[cfg(not(target_os = "none"))]
    if buf.len() / ORDER_ENTRY >= RADIX_MIN {
        radix_records(buf);
        return;
    }
    sort::sort(&mut Records(buf));
}

/// The records of a byte buffer, as [`sort::Items`].
struct Records<'b>(&'b mut [u8]);

impl sort::Items for Records<'_> {
    type Key = u128;
    fn len(&self) -> usize {
        self.0.len() / ORDER_ENTRY
    }
    #[inline(always)]
    fn key(&self, k: usize) -> u128 {
        record_key(self.0, k)
    }
    #[inline(always)]
    fn swap(&mut self, a: usize, b: usize) {
        swap_records(self.0, a, b);
    }
}

/// Ranges at least this long are radix-sorted (hosts only).
#[cfg(not(target_os = "none"))]
const RADIX_MIN: usize = 64;

/// Most-significant-digit radix sort of `buf`'s records (at least two):
/// one in-place partition by the 8 highest bits in which the keys differ
/// (American flag sort), then [`sort_records`] on each part. The keys
/// of a full table are mostly one small count followed by a uniform
/// hash, so each pass spreads a range over all 256 digits, and the
/// partitions skip the bits all keys share (the count's upper bits): the
/// 65,536 records of a default table take four or five passes instead of
/// quicksort's 16 levels of comparisons. Each level consumes at least 8
/// bits of the 128-bit key, so the recursion (2 KiB a frame) is at most 16
/// deep. Not on targets without an OS, whose stacks are small.
#[cfg(not(target_os = "none"))]
fn radix_records(buf: &mut [u8]) {
    let n = buf.len() / ORDER_ENTRY;
    let first = record_key(buf, 0);
    let mut diff = 0;
    for k in 1..n {
        diff |= record_key(buf, k) ^ first;
    }
    if diff == 0 {
        return;
    }
    let shift = (127 - diff.leading_zeros()).saturating_sub(7);
    let digit = |buf: &[u8], k: usize| (record_key(buf, k) >> shift) as u8;
    // `end[d]`: where digit `d`'s part ends; `next[d]`: its first record
    // not yet known to belong there. The capacity bounds `n` below 2^32.
    let mut end = [0u32; 256];
    for k in 0..n {
        end[digit(buf, k) as usize] += 1;
    }
    let mut next = [0u32; 256];
    let mut at = 0;
    for d in 0..256 {
        next[d] = at;
        at += end[d];
        end[d] = at;
    }
    for d in 0..256 {
        // Each swap puts one record into its part for good.
        while next[d] < end[d] {
            let k = next[d] as usize;
            let e = digit(buf, k) as usize;
            if e == d {
                next[d] += 1;
            } else {
                swap_records(buf, k, next[e] as usize);
                next[e] += 1;
            }
        }
    }
    let mut start = 0;
    for e in end {
        let e = e as usize;
        // Most parts of the last pass hold one record or none.
        if e > start + 1 {
            sort_records(&mut buf[start * ORDER_ENTRY..e * ORDER_ENTRY]);
        }
        start = e;
    }
}

/// The sort key of record `k`.
/// (As one `u128`, count high: the same order as the pair, in one
/// comparison.)
#[inline(always)]
fn record_key(buf: &[u8], k: usize) -> u128 {
    let r = at::<16>(buf, k * ORDER_ENTRY);
    (rd64(r, 0) as u128) << 64 | rd64(r, 8) as u128
}

#[inline(always)]
fn swap_records(buf: &mut [u8], a: usize, b: usize) {
    let (a, b) = (a * ORDER_ENTRY, b * ORDER_ENTRY);
    let t = *at::<ORDER_ENTRY>(buf, a);
    *at_mut::<ORDER_ENTRY>(buf, a) = *at::<ORDER_ENTRY>(buf, b);
    *at_mut::<ORDER_ENTRY>(buf, b) = t;
}

#[cfg(test)]
std::thread_local! {
    /// Calls of `TabMut::grow` on this thread (tests count rehashes).
    pub(crate) static GROWS: core::cell::Cell<usize> =
        const { core::cell::Cell::new(0) };
}

/// Fewest slots a table in use has (when its region has at least twice
/// as many).
const MIN_SLOTS: u32 = 64;

/// The slots a table of `max` slots uses while it holds `len` entries and
/// has never been full: the first size of 64, 128, … (each at most half of
/// `max`) that keeps the load at most 2/3, else `max`. A function of `len`
/// alone, so equal contents have equal layouts (the serialised order
/// depends on it), however the table was filled.
pub(crate) const fn slots_for(len: u32, max: u32) -> u32 {
    let mut s = MIN_SLOTS;
    if max < 2 * MIN_SLOTS {
        return max;
    }
    while (len as u64) * 3 > s as u64 * 2 {
        if s as u64 * 4 > max as u64 {
            return max;
        }
        s *= 2;
    }
    s
}

/// The home slot of `hash` in a table of `nslots` slots placed with
/// multiplier `salt` (see [`NgramTable::set_placement_seed`]): the top
/// bits of `hash × salt` scaled to the table. The product's top bits
/// depend on every bit of the hash, so hashes chosen to share their top
/// bits land anywhere under a multiplier their author does not know.
#[inline(always)]
fn home(hash: u64, nslots: u32, salt: u64) -> usize {
    let h = hash.wrapping_mul(salt);
    ((h as u128 * nslots as u128) >> 64) as usize
}

/// The placement multiplier of a seed: 1 (the hash itself) for 0, else
/// an odd number drawn from the seed, so that multiplying is a bijection.
const fn salt_of(seed: u32) -> u64 {
    (seed as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}

/// The `N` bytes of `b` at `o` as an array: one bounds check, after which
/// fields at constant offsets are read without any.
#[inline(always)]
fn at<const N: usize>(b: &[u8], o: usize) -> &[u8; N] {
    b[o..o + N].try_into().unwrap()
}

/// [`at`], mutable.
#[inline(always)]
fn at_mut<const N: usize>(b: &mut [u8], o: usize) -> &mut [u8; N] {
    (&mut b[o..o + N]).try_into().unwrap()
}

/// Copies the `n` bytes at `from` to `to` (`8 <= n`; the ranges may
/// overlap): loads first, then stores, so compaction moves its records,
/// most of them a few dozen bytes, without a call to `memmove`.
#[inline(always)]
fn slide(b: &mut [u8], from: usize, to: usize, n: usize) {
    if n <= 16 {
        let (x, y) = (rd64(b, from), rd64(b, from + n - 8));
        wr64(b, to, x);
        wr64(b, to + n - 8, y);
    } else if n <= 32 {
        let (x, y) = (rd128(b, from), rd128(b, from + n - 16));
        wr128(b, to, x);
        wr128(b, to + n - 16, y);
    } else {
        b.copy_within(from..from + n, to);
    }
}

/// Read-only view of a table's regions.
pub(crate) struct TabRef<'m> {
    pub c: &'m TableCore,
    pub slots: &'m [u8],
    pub order: &'m [u8],
    pub pool: &'m [u8],
}

/// Mutable view of a table's regions.
pub(crate) struct TabMut<'m> {
    pub c: &'m mut TableCore,
    pub slots: &'m mut [u8],
    pub order: &'m mut [u8],
    pub pool: &'m mut [u8],
}

/// The encoded gram of the entry at slot offset `o`, `None` without bytes.
#[inline]
pub(crate) fn enc_at<'p>(
    slots: &[u8],
    pool: &'p [u8],
    o: usize,
) -> Option<&'p [u8]> {
    let p = rd32(slots, o + O_POOL);
    if p == NONE {
        return None;
    }
    let p = p as usize;
    let len = rd16(pool, p + 2) as usize;
    Some(&pool[p + REC..p + REC + len])
}

/// Finds `hash`/`key`: `Ok(slot)` or `Err(empty slot where it would go)`.
/// The table must have at least one slot.
#[inline]
fn find<K: Key>(
    nslots: u32,
    salt: u64,
    slots: &[u8],
    pool: &[u8],
    hash: u64,
    key: &K,
) -> Result<usize, usize> {
    let mut i = home(hash, nslots, salt);
    loop {
        let o = i * SLOT;
        let s: &[u8; SLOT] = slots[o..o + SLOT].try_into().unwrap();
        if rd64(s, O_COUNT) == 0 {
            return Err(i);
        }
        if rd64(s, O_HASH) == hash {
            let hit = match enc_at(slots, pool, o) {
                None => true,
                Some(enc) => match key.encoded_len() {
                    None => true,
                    Some(_) => key.matches(enc),
                },
            };
            if hit {
                return Ok(i);
            }
        }
        i += 1;
        if i == nslots as usize {
            i = 0;
        }
    }
}

/// The first free slot at or after the home of `hash`: where a gram known
/// to be absent goes. The table must have a free slot.
#[inline]
pub(crate) fn free_slot(
    nslots: u32,
    salt: u64,
    slots: &[u8],
    hash: u64,
) -> usize {
    let mut i = home(hash, nslots, salt);
    while rd64(slots, i * SLOT + O_COUNT) != 0 {
        i += 1;
        if i == nslots as usize {
            i = 0;
        }
    }
    i
}

impl<'m> TabRef<'m> {
    /// [`find`] in this table.
    #[inline]
    pub(crate) fn find<K: Key>(
        &self,
        hash: u64,
        key: &K,
    ) -> Result<usize, usize> {
        find(self.c.nslots, self.c.salt, self.slots, self.pool, hash, key)
    }

    /// The entries in slot order (see [`NgramTable::entries`]).
    pub(crate) fn entries(&self) -> Entries<'m> {
        Entries {
            slots: self.slots,
            pool: self.pool,
            next: 0,
            left: self.c.len as usize,
        }
    }

    /// The slots of the entries, in the order of
    /// [`entries`](Self::entries) (a merge visits them by slot, and looks
    /// ahead with their hashes without reading their bytes).
    pub(crate) fn used(&self) -> impl Iterator<Item = usize> + 'm {
        let slots = self.slots;
        slots
            .chunks_exact(SLOT)
            .enumerate()
            .filter(|(_, s)| rd64(s, O_COUNT) != 0)
            .map(|(i, _)| i)
            .take(self.c.len as usize)
    }

    /// Calls `f` with each slot in position order, if the table has its
    /// buckets; `false` otherwise.
    pub(crate) fn positions(&self, mut f: impl FnMut(usize)) -> bool {
        if self.c.order != Order::Buckets {
            return false;
        }
        for p in 0..self.c.len as usize {
            f(rd32(self.order, p * POS_ENTRY) as usize);
        }
        true
    }

    pub(crate) fn count(&self, i: usize) -> u64 {
        rd64(self.slots, i * SLOT + O_COUNT)
    }

    #[inline]
    pub(crate) fn entry(&self, i: usize) -> Entry<'m> {
        let o = i * SLOT;
        Entry {
            hash: rd64(self.slots, o + O_HASH),
            count: rd64(self.slots, o + O_COUNT),
            error: rd64(self.slots, o + O_ERROR),
            gram: enc_at(self.slots, self.pool, o).map(|enc| Gram { enc }),
        }
    }
}

impl<'m> TabMut<'m> {
    /// [`find`] in this table.
    #[inline]
    pub(crate) fn find<K: Key>(
        &self,
        hash: u64,
        key: &K,
    ) -> Result<usize, usize> {
        find(self.c.nslots, self.c.salt, self.slots, self.pool, hash, key)
    }

    #[inline]
    pub(crate) fn count(&self, i: usize) -> u64 {
        rd64(self.slots, i * SLOT + O_COUNT)
    }

    /// Where heap entry `k` starts in the order region.
    #[inline]
    fn heap_entry(&self, k: usize) -> usize {
        self.c.heap_at as usize + k * HEAP_ENTRY
    }

    #[inline]
    fn hslot(&self, k: usize) -> usize {
        rd32(self.order, self.heap_entry(k) + H_SLOT) as usize
    }

    #[inline]
    fn hitem(&self, k: usize) -> HeapItem {
        HeapItem::at(at::<HEAP_ENTRY>(self.order, self.heap_entry(k)))
    }

    /// The item for the entry in `slot`.
    #[inline]
    fn item_of(&self, slot: usize) -> HeapItem {
        let o = slot * SLOT;
        HeapItem {
            count: rd64(self.slots, o + O_COUNT),
            tie: rd64(self.slots, o + O_HASH) as u32,
            slot: slot as u32,
        }
    }

    /// The [`order_key`] of the entry in `slot`.
    #[inline]
    fn key_of(&self, slot: usize) -> (u64, u64) {
        let o = slot * SLOT;
        order_key(rd64(self.slots, o + O_COUNT), rd64(self.slots, o + O_HASH))
    }

    /// `a < b` in the heap order, [`order_key`]: count, then the low
    /// half of the hash (kept in the heap), then the high half (read from
    /// the slots only on a tie of both, which is rare).
    #[inline]
    fn less(&self, a: &HeapItem, b: &HeapItem) -> bool {
        match (a.count, a.tie).cmp(&(b.count, b.tie)) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => {
                self.key_of(a.slot as usize) < self.key_of(b.slot as usize)
            }
        }
    }

    /// Puts `item` at heap index `k`.
    #[inline]
    fn hput(&mut self, k: usize, item: HeapItem) {
        self.hset(k, &item);
        wr32(self.slots, item.slot as usize * SLOT + O_HPOS, k as u32);
    }

    /// Writes heap entry `k` only: for an item whose slot already records
    /// `k`.
    #[inline]
    fn hset(&mut self, k: usize, item: &HeapItem) {
        let o = self.heap_entry(k);
        let e = at_mut::<HEAP_ENTRY>(self.order, o);
        wr64(e, 0, item.count);
        wr32(e, H_TIE, item.tie);
        wr32(e, H_SLOT, item.slot);
    }

    /// The smallest of the children `first..` (at most [`ARITY`], those
    /// below `len`) and its index; the first of equal ones, as the heap
    /// order is total but for hash collisions. The children share one
    /// slice, so they cost one bounds check, not one per field.
    #[inline(always)]
    fn min_child(&self, first: usize, len: usize) -> (usize, HeapItem) {
        let o = self.heap_entry(first);
        let n = (len - first).min(ARITY);
        let kids = &self.order[o..o + n * HEAP_ENTRY];
        let mut best = (first, HeapItem::at(at::<HEAP_ENTRY>(kids, 0)));
        for (j, e) in kids.chunks_exact(HEAP_ENTRY).enumerate().skip(1) {
            let ji = HeapItem::at(e.try_into().unwrap());
            if self.less(&ji, &best.1) {
                best = (first + j, ji);
            }
        }
        best
    }

    /// Puts `it`, whose slot already records position `k`, at its place
    /// in the subtree of `k` (its key is at least that of the entry it
    /// replaces there).
    ///
    /// Bottom-up: walks the path of smallest children to a leaf first,
    /// comparing children only, then climbs back to the deepest path node
    /// smaller than `it` and shifts the path above it up one level. A
    /// newcomer at the root (the minimum plus a little, like most of the
    /// heap) belongs near the leaves, so the climb is a step or two, where
    /// sifting down compared it with every level's smallest child as
    /// well. The result is the same heap. While walking down it prefetches
    /// the next level's children and the slots of the path, whose position
    /// fields the shift writes.
    fn sift_down(&mut self, k: usize, it: HeapItem) {
        let len = self.c.len as usize;
        let mut leaf = k;
        loop {
            let first = ARITY * leaf + 1;
            if first >= len {
                break;
            }
            // The children of these four children are the next four lines.
            let next = self.heap_entry(ARITY * first + 1);
            for line in 0..ARITY {
                crate::prefetch::prefetch(self.order, next + line * 64);
            }
            let (m, mi) = self.min_child(first, len);
            crate::prefetch::prefetch(self.slots, mi.slot as usize * SLOT);
            leaf = m;
        }
        let mut to = leaf;
        while to != k && !self.less(&self.hitem(to), &it) {
            to = (to - 1) / ARITY;
        }
        if to == k {
            // It stays: its slot already says so.
            self.hset(k, &it);
            return;
        }
        let mut carry = it;
        loop {
            let up = self.hitem(to);
            self.hput(to, carry);
            carry = up;
            to = (to - 1) / ARITY;
            if to == k {
                break;
            }
        }
        self.hput(k, carry);
    }

    fn sift_up(&mut self, mut k: usize) {
        let it = self.hitem(k);
        while k > 0 {
            let p = (k - 1) / ARITY;
            let pi = self.hitem(p);
            if !self.less(&it, &pi) {
                break;
            }
            self.hput(k, pi);
            k = p;
        }
        self.hput(k, it);
    }

    pub(crate) fn build_heap(&mut self) {
        // Children `4k + 1 ..= 4k + 4` fill one cache line when entry 1
        // starts a line: shift the heap by up to 63 bytes, which the order
        // region has to spare (24 B per entry, the heap takes 16, a merge's
        // list of absent entries the last 4) once the capacity is 16 or
        // more. The shift is kept, not recomputed, so a copy of the table
        // at another address still reads its heap.
        let addr = self.order.as_ptr() as usize + HEAP_ENTRY;
        self.c.heap_at =
            if self.c.cap >= 16 { ((64 - addr % 64) % 64) as u32 } else { 0 };
        let mut k = 0;
        for i in 0..self.c.nslots as usize {
            if self.count(i) != 0 {
                let it = self.item_of(i);
                self.hput(k, it);
                k += 1;
            }
        }
        let len = self.c.len as usize;
        if len > 1 {
            for k in (0..=(len - 2) / ARITY).rev() {
                let it = self.hitem(k);
                self.sift_down(k, it);
            }
        }
        self.c.order = Order::Heap;
    }

    /// The heap order's minimum, [`order_key`], of a full table (builds
    /// the heap if needed; for merging).
    pub(crate) fn min_key(&mut self) -> (u64, u64) {
        if self.c.order != Order::Heap {
            self.build_heap();
        }
        self.key_of(self.hslot(0))
    }

    // -- Space-Saving buckets ---------------------------------------------
    //
    // The position array lists the entries by ascending count; a bucket is
    // the run of positions `start..end` whose entries share one count, and
    // every position records its entry's slot and bucket. Counting one
    // more occurrence of an entry swaps it with the last entry of its
    // bucket and moves that boundary by one: O(1), touching the entry, one
    // other entry and two bucket nodes, where the heap sifted a newcomer
    // through all its levels (one cache miss per level, since most entries
    // share the minimum count). The victim of an eviction is the last
    // entry of the first bucket; its successor enters at that position, so
    // it needs no swap at all, and equal counts leave first in, first out.

    #[inline]
    fn pos_slot(&self, p: usize) -> usize {
        rd32(self.order, p * POS_ENTRY) as usize
    }

    #[inline]
    fn pos_bucket(&self, p: usize) -> usize {
        rd32(self.order, p * POS_ENTRY + 4) as usize
    }

    /// Puts the entry in `slot` at position `p`, in bucket `b`.
    #[inline]
    fn set_pos(&mut self, p: usize, slot: usize, b: usize) {
        wr32(self.order, p * POS_ENTRY, slot as u32);
        wr32(self.order, p * POS_ENTRY + 4, b as u32);
        wr32(self.slots, slot * SLOT + O_HPOS, p as u32);
    }

    #[inline]
    fn node_at(&self, b: usize) -> usize {
        self.c.cap as usize * POS_ENTRY + b * NODE
    }

    /// Bucket `b`: (count, start, end).
    #[inline]
    fn node(&self, b: usize) -> (u64, usize, usize) {
        let o = self.node_at(b);
        (
            rd64(self.order, o),
            rd32(self.order, o + 8) as usize,
            rd32(self.order, o + 12) as usize,
        )
    }

    #[inline]
    fn set_node(&mut self, b: usize, count: u64, start: usize, end: usize) {
        let o = self.node_at(b);
        wr64(self.order, o, count);
        wr32(self.order, o + 8, start as u32);
        wr32(self.order, o + 12, end as u32);
    }

    fn alloc_node(&mut self) -> usize {
        let f = self.c.free;
        if f != NONE {
            let o = self.node_at(f as usize);
            self.c.free = rd32(self.order, o + 8);
            return f as usize;
        }
        // At most one bucket per entry is ever live, and a bucket is freed
        // as soon as it empties, so `fresh` stays below the capacity.
        self.c.fresh += 1;
        self.c.fresh as usize - 1
    }

    fn free_node(&mut self, b: usize) {
        let o = self.node_at(b);
        wr32(self.order, o + 8, self.c.free);
        self.c.free = b as u32;
    }

    /// Builds the buckets of a full table from its contents: entries
    /// sorted by [`order_key`], so the result depends only on the
    /// contents. The order region is the sort's scratch space first.
    pub(crate) fn build_buckets(&mut self) {
        let len = self.c.len as usize;
        let mut k = 0;
        for i in 0..self.c.nslots as usize {
            let o = i * SLOT;
            let count = rd64(self.slots, o + O_COUNT);
            if count != 0 {
                let (c, h) = order_key(count, rd64(self.slots, o + O_HASH));
                let r = k * ORDER_ENTRY;
                wr64(self.order, r, c);
                wr64(self.order, r + 8, h);
                wr32(self.order, r + 16, i as u32);
                k += 1;
            }
        }
        sort_records(&mut self.order[..len * ORDER_ENTRY]);
        // Position `p` (8 bytes at 8p) only overwrites records `< p`, which
        // have been read.
        for p in 0..len {
            let slot = rd32(self.order, p * ORDER_ENTRY + 16);
            wr32(self.order, p * POS_ENTRY, slot);
        }
        self.link_buckets();
    }

    /// Sets position `p` to the entry in `slot`, before
    /// [`TabMut::link_positions`] (for reading a table).
    pub(crate) fn set_position(&mut self, p: usize, slot: usize) {
        wr32(self.order, p * POS_ENTRY, slot as u32);
    }

    /// Makes the positions set by [`TabMut::set_position`] (all `len` of
    /// them, in a full table) the table's buckets; `false`, changing
    /// nothing, unless their counts ascend.
    pub(crate) fn link_positions(&mut self) -> bool {
        let len = self.c.len as usize;
        if len != self.c.cap as usize {
            return false;
        }
        for p in 1..len {
            if self.count(self.pos_slot(p - 1)) > self.count(self.pos_slot(p))
            {
                return false;
            }
        }
        self.link_buckets();
        true
    }

    /// Gives the position array (slots filled in, by ascending count) its
    /// buckets: one per run of equal counts.
    fn link_buckets(&mut self) {
        let len = self.c.len as usize;
        self.c.free = NONE;
        self.c.fresh = 0;
        let mut p = 0;
        while p < len {
            let count = self.count(self.pos_slot(p));
            let b = self.alloc_node();
            let start = p;
            while p < len && self.count(self.pos_slot(p)) == count {
                let slot = self.pos_slot(p);
                self.set_pos(p, slot, b);
                p += 1;
            }
            self.set_node(b, count, start, p);
        }
        self.c.order = Order::Buckets;
    }

    /// Moves the entry at position `p`, whose count has just risen from
    /// its bucket's count to `count` (one more), into the right bucket.
    /// Only the fields that change are written; each position and node is
    /// bounds-checked once (this runs for every increment and eviction of
    /// a full table).
    #[inline]
    fn bump(&mut self, p: usize, count: u64) {
        let (pos, nodes) =
            self.order.split_at_mut(self.c.cap as usize * POS_ENTRY);
        let pe = at::<POS_ENTRY>(pos, p * POS_ENTRY);
        let (me, b) = (rd32(pe, 0), rd32(pe, 4) as usize);
        let bn = at::<NODE>(nodes, b * NODE);
        let (start, end) = (rd32(bn, 8) as usize, rd32(bn, 12) as usize);
        let q = end - 1;
        if p != q {
            // Swap with the bucket's last entry (both stay in bucket `b`).
            let other = rd32(at::<POS_ENTRY>(pos, q * POS_ENTRY), 0);
            wr32(pos, p * POS_ENTRY, other);
            wr32(pos, q * POS_ENTRY, me);
            wr32(self.slots, other as usize * SLOT + O_HPOS, p as u32);
            wr32(self.slots, me as usize * SLOT + O_HPOS, q as u32);
        }
        // Position `q` holds the entry now, still in bucket `b`.
        self.raise_last(q, b, start, end, count);
    }

    /// Moves the entry at position `q`, the last of bucket `b`
    /// (`start..end`), whose count has just risen to `count` (one more than
    /// the bucket's), into the bucket above: the next bucket if it has that
    /// count, else `b` itself when `q` was its only entry, else a new one.
    /// `bump` and `evict_for` end with this.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn raise_last(
        &mut self,
        q: usize,
        b: usize,
        start: usize,
        end: usize,
        count: u64,
    ) {
        let len = self.c.len as usize;
        let (pos, nodes) =
            self.order.split_at_mut(self.c.cap as usize * POS_ENTRY);
        let next = if end < len {
            let nb = rd32(pos, end * POS_ENTRY + 4) as usize;
            (rd64(at::<NODE>(nodes, nb * NODE), 0) == count).then_some(nb)
        } else {
            None
        };
        match next {
            Some(nb) => {
                wr32(nodes, nb * NODE + 8, q as u32);
                wr32(pos, q * POS_ENTRY + 4, nb as u32);
                if start == q {
                    self.free_node(b);
                } else {
                    wr32(nodes, b * NODE + 12, q as u32);
                }
            }
            None if start == q => wr64(nodes, b * NODE, count),
            None => {
                wr32(nodes, b * NODE + 12, q as u32);
                let nb = self.alloc_node();
                self.set_node(nb, count, q, end);
                wr32(self.order, q * POS_ENTRY + 4, nb as u32);
            }
        }
    }

    /// Counts one occurrence of `hash`/`key`: the hot path.
    #[inline]
    pub(crate) fn add<K: Key>(&mut self, hash: u64, key: &K) {
        self.c.total += 1;
        if self.c.cap == 0 {
            self.c.floor = self.c.total;
            return;
        }
        match self.find(hash, key) {
            Ok(i) => {
                let o = i * SLOT + O_COUNT;
                let c = rd64(self.slots, o) + 1;
                wr64(self.slots, o, c);
                if self.c.missing > 0
                    && rd32(self.slots, i * SLOT + O_POOL) == NONE
                {
                    // Retry storing the bytes of a gram that lacks them.
                    self.c.missing -= 1;
                    let r = self.store_bytes(key, None);
                    wr32(self.slots, i * SLOT + O_POOL, r);
                }
                match self.c.order {
                    Order::Buckets => {
                        let p = rd32(self.slots, i * SLOT + O_HPOS);
                        self.bump(p as usize, c);
                    }
                    Order::Heap => self.c.order = Order::Unordered,
                    Order::Unordered => {}
                }
            }
            Err(i) if self.c.len < self.c.cap => {
                // While there is room the newcomer takes the floor plus
                // one (the floor is 0 but after merges).
                let f = self.c.floor;
                self.insert_new(i, hash, key, f + 1, f);
            }
            Err(i) => self.evict_for(i, hash, key),
        }
    }

    /// Space-Saving in a full table: `hash`/`key` (absent, its free slot
    /// `i`) replaces the entry of minimum count `m` and enters with
    /// `m + 1`, error `m`.
    fn evict_for<K: Key>(&mut self, i: usize, hash: u64, key: &K) {
        if self.c.order != Order::Buckets {
            self.build_buckets();
        }
        let (pos, nodes) =
            self.order.split_at(self.c.cap as usize * POS_ENTRY);
        let head = rd32(at::<POS_ENTRY>(pos, 0), 4) as usize;
        let hn = at::<NODE>(nodes, head * NODE);
        let (m, start, end) =
            (rd64(hn, 0), rd32(hn, 8) as usize, rd32(hn, 12) as usize);
        if self.c.floor > m {
            // Only a table read from inconsistent bytes gets here (every
            // count is at least the floor otherwise): take the general
            // path, whose count is the floor plus one.
            let f = self.c.floor;
            self.insert_new(i, hash, key, f + 1, f);
            return;
        }
        self.c.floor = m;
        let q = end - 1;
        let v = rd32(at::<POS_ENTRY>(pos, q * POS_ENTRY), 0) as usize;
        // The newcomer takes the victim's position `q` (what `bump` does
        // for `p == q`, without reading back what is known here).
        let j = self.replace_entry(v, i, hash, key, m + 1, m, q as u32);
        wr32(self.order, q * POS_ENTRY, j as u32);
        self.raise_last(q, head, start, end, m + 1);
        // The lowest bucket is now `start..q`, unless `q` was its last
        // entry.
        let (start, end) = if start < q {
            (start, q)
        } else {
            let (_, start, end) = self.node(self.pos_bucket(0));
            (start, end)
        };
        self.prefetch_victims(start, end);
    }

    /// Victims leave from the end of the lowest bucket (`start..end`), so
    /// the next ones are known: start loading the slot of the one after
    /// next, and the pool record of the next (whose slot the previous call
    /// loaded). Evictions in a thrashing table then find their random slot
    /// and record in cache.
    #[inline]
    fn prefetch_victims(&self, start: usize, end: usize) {
        if end >= start + 2 {
            // Backward-shift deletion reads the slots after it, too.
            let far = self.pos_slot(end - 2) * SLOT;
            crate::prefetch::prefetch(self.slots, far);
            crate::prefetch::prefetch(self.slots, far + 64);
        }
        let next = self.pos_slot(end - 1);
        let rec = rd32(self.slots, next * SLOT + O_POOL);
        if rec != NONE {
            crate::prefetch::prefetch(self.pool, rec as usize);
        }
    }

    /// Inserts a gram known to be absent, whose free slot is `i`, with the
    /// given count and error. A full table evicts its minimum in the heap
    /// order (the merge rule) and raises the floor to the evicted count.
    pub(crate) fn insert_new<K: Key>(
        &mut self,
        i: usize,
        hash: u64,
        key: &K,
        count: u64,
        error: u64,
    ) {
        if self.c.len < self.c.cap {
            let mut i = i;
            // `slots_for` keeps the size the table has (one of its sizes)
            // while the load allows it: only past that is its loop worth
            // running (it took 44 % of an insertion's instructions).
            let (len, nslots) = (self.c.len as u64 + 1, self.c.nslots);
            if len * 3 > nslots as u64 * 2 {
                let want = slots_for(self.c.len + 1, self.c.max_slots);
                if want > nslots {
                    self.grow(want);
                    i = free_slot(want, self.c.salt, self.slots, hash);
                }
            }
            debug_assert_eq!(
                self.c.nslots,
                slots_for(self.c.len + 1, self.c.max_slots).max(nslots)
            );
            self.c.len += 1;
            let r = self.store_bytes(key, None);
            self.write_slot(i, hash, count, error, r, 0);
            match self.c.order {
                Order::Heap => {
                    let k = self.c.len as usize - 1;
                    let it = self.item_of(i);
                    self.hput(k, it);
                    self.sift_up(k);
                }
                Order::Buckets => self.c.order = Order::Unordered,
                Order::Unordered => {}
            }
            return;
        }
        if self.c.order != Order::Heap {
            self.build_heap();
        }
        let v = self.hslot(0);
        let vc = self.count(v);
        if vc > self.c.floor {
            self.c.floor = vc;
        }
        let j = self.replace_entry(v, i, hash, key, count, error, 0);
        let it = self.item_of(j);
        self.sift_down(0, it);
    }

    /// Called after a merge inserted an entry while the table keeps its
    /// heap: once the table is full, the heap's minimum is the next
    /// victim, so this starts loading what evicting it reads, the slots
    /// after its own (backward-shift deletion) and its pool record (reused
    /// by its successor). Its own slot is in cache: the sift just wrote
    /// its position. (Merging documents into a full total waited on these
    /// two misses for 12 % of its time.)
    #[inline]
    pub(crate) fn prefetch_victim(&self) {
        let o = self.hslot(0) * SLOT;
        crate::prefetch::prefetch(self.slots, o + SLOT);
        crate::prefetch::prefetch(self.slots, o + SLOT + 64);
        let rec = rd32(self.slots, o + O_POOL);
        if rec != NONE {
            crate::prefetch::prefetch(self.pool, rec as usize);
        }
    }

    /// Evicts the entry in slot `v` and enters `hash`/`key` (absent, its
    /// free slot `i`) with `count`, `error` and position `hpos`, reusing
    /// the victim's pool record when the gram fits; returns the new
    /// entry's slot. The caller keeps its order structure (buckets or
    /// heap) and the floor.
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn replace_entry<K: Key>(
        &mut self,
        v: usize,
        i: usize,
        hash: u64,
        key: &K,
        count: u64,
        error: u64,
        hpos: u32,
    ) -> usize {
        let vpool = rd32(self.slots, v * SLOT + O_POOL);
        if vpool == NONE {
            self.c.missing -= 1;
        }
        let hole = self.delete_slot(v);
        // The gram's slot is the first free one from its home. Before the
        // deletion that was `i`; the deletion emptied `hole` and nothing
        // else, so it is whichever of the two comes first (no probe).
        let ns = self.c.nslots as usize;
        let h = home(hash, self.c.nslots, self.c.salt);
        let from_home = |s: usize| if s >= h { s - h } else { s + ns - h };
        let j = if from_home(hole) < from_home(i) { hole } else { i };
        debug_assert_eq!(
            j,
            free_slot(self.c.nslots, self.c.salt, self.slots, hash)
        );
        let reuse = if vpool == NONE { None } else { Some(vpool as usize) };
        let r = self.store_bytes(key, reuse);
        self.write_slot(j, hash, count, error, r, hpos);
        j
    }

    /// Rehashes the entries into `want` slots (more than now). The order
    /// region is the scratch space: the table is not full, so it holds no
    /// buckets, and a heap is rebuilt from the contents when needed.
    /// Entries take at most 32 B × 2/3 of half the region's slots, about
    /// 16 B per entry of capacity, so the last 4 B per entry of the order
    /// region (a merge's list of absent entries) survive a rehash.
    #[cold]
    pub(crate) fn grow(&mut self, want: u32) {
        #[cfg(test)]
        GROWS.with(|g| g.set(g.get() + 1));
        let mut k = 0;
        for i in 0..self.c.nslots as usize {
            let o = i * SLOT;
            if rd64(self.slots, o + O_COUNT) != 0 {
                self.order[k..k + SLOT]
                    .copy_from_slice(&self.slots[o..o + SLOT]);
                k += SLOT;
            }
        }
        self.slots[..want as usize * SLOT].fill(0);
        self.c.nslots = want;
        self.c.order = Order::Unordered;
        for e in (0..k).step_by(SLOT) {
            let hash = rd64(self.order, e + O_HASH);
            let j = free_slot(want, self.c.salt, self.slots, hash) * SLOT;
            self.slots[j..j + SLOT].copy_from_slice(&self.order[e..e + SLOT]);
        }
    }

    /// Fills slot `i`, all 32 bytes in one store.
    #[inline(always)]
    fn write_slot(
        &mut self,
        i: usize,
        hash: u64,
        count: u64,
        error: u64,
        rec: u32,
        hpos: u32,
    ) {
        let mut s = [0u8; SLOT];
        wr64(&mut s, O_HASH, hash);
        wr64(&mut s, O_COUNT, count);
        wr64(&mut s, O_ERROR, error);
        wr32(&mut s, O_POOL, rec);
        wr32(&mut s, O_HPOS, hpos);
        *at_mut::<SLOT>(self.slots, i * SLOT) = s;
    }

    /// Backward-shift deletion of slot `i` (its pool record is left
    /// alone); returns the slot it leaves empty.
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn delete_slot(&mut self, i: usize) -> usize {
        let nslots = self.c.nslots;
        let ns = nslots as usize;
        let slots = &mut self.slots[..ns * SLOT];
        let (order, heap_at) = (self.c.order, self.c.heap_at as usize);
        let salt = self.c.salt;
        let mut hole = i;
        let mut j = i;
        loop {
            j += 1;
            if j == ns {
                j = 0;
            }
            let s = at::<SLOT>(slots, j * SLOT);
            if rd64(s, O_COUNT) == 0 {
                break;
            }
            let h = home(rd64(s, O_HASH), nslots, salt);
            let stays = if hole <= j {
                hole < h && h <= j
            } else {
                h > hole || h <= j
            };
            if stays {
                continue;
            }
            let k = rd32(s, O_HPOS) as usize;
            slots.copy_within(j * SLOT..j * SLOT + SLOT, hole * SLOT);
            match order {
                Order::Heap => {
                    let o = heap_at + k * HEAP_ENTRY + H_SLOT;
                    wr32(self.order, o, hole as u32)
                }
                Order::Buckets => wr32(self.order, k * POS_ENTRY, hole as u32),
                Order::Unordered => {}
            }
            hole = j;
        }
        wr64(slots, hole * SLOT + O_COUNT, 0);
        hole
    }

    fn free_record(&mut self, r: usize) {
        let cap = rd16(self.pool, r) as u32;
        let len = rd16(self.pool, r + 2);
        wr16(self.pool, r + 2, len | DEAD);
        self.c.live -= REC as u32 + cap;
    }

    /// Stores the bytes of `key`, reusing record `reuse` (an evicted
    /// entry's) when the gram fits in it; returns the record, `NONE` if
    /// the bytes are not stored (the caller puts it in the entry's slot).
    #[cfg_attr(not(target_os = "none"), inline(always))]
    fn store_bytes<K: Key>(&mut self, key: &K, reuse: Option<usize>) -> u32 {
        let Some(need) = key.encoded_len() else {
            if let Some(r) = reuse {
                self.free_record(r);
            }
            self.c.missing += 1;
            return NONE;
        };
        if let Some(r) = reuse {
            let h = at_mut::<REC>(self.pool, r);
            if need <= rd16(h, 0) as usize {
                wr16(h, 2, need as u16);
                wr32(h, 4, 0);
                key.write(&mut self.pool[r + REC..r + REC + need]);
                return r as u32;
            }
            self.free_record(r);
        }
        let rec = (REC + need) as u32;
        let (pool_len, used, live) =
            (self.c.pool_len, self.c.used, self.c.live);
        if pool_len - used < rec
            && pool_len - live >= rec
            && (used - live) as u64 * 8 >= pool_len as u64
        {
            self.compact();
        }
        if self.c.pool_len - self.c.used < rec {
            self.c.missing += 1;
            return NONE;
        }
        let r = self.c.used as usize;
        let h = at_mut::<REC>(self.pool, r);
        wr16(h, 0, need as u16);
        wr16(h, 2, need as u16);
        wr32(h, 4, 0);
        key.write(&mut self.pool[r + REC..r + REC + need]);
        self.c.used += rec;
        self.c.live += rec;
        r as u32
    }

    /// Slides live records down over garbage (and trims reused records).
    ///
    /// Records do not know their slot (keeping a back-pointer would cost a
    /// pool write, a cache miss, for every slot that backward-shift
    /// deletion moves). So first every slot writes its index into its
    /// record's scratch field and marks it claimed (a scan of the slots
    /// whose writes need not wait for anything), then the claimed records
    /// slide down and tell their slots where they went.
    fn compact(&mut self) {
        const CLAIMED: u16 = 0x4000;
        let ns = self.c.nslots as usize;
        let used = self.c.used as usize;
        let pool = &mut self.pool[..used];
        for (i, s) in self.slots[..ns * SLOT].chunks_exact(SLOT).enumerate() {
            let p = rd32(s, O_POOL);
            if rd64(s, O_COUNT) != 0 && p != NONE {
                let h = at_mut::<REC>(pool, p as usize);
                let len = rd16(h, 2);
                wr16(h, 2, len | CLAIMED);
                wr32(h, 4, i as u32);
            }
        }
        let mut r = 0;
        let mut w = 0;
        while r < used {
            let h = at::<REC>(pool, r);
            let (cap, len) = (rd16(h, 0) as usize, rd16(h, 2));
            if len & (DEAD | CLAIMED) == CLAIMED {
                let len = (len & !CLAIMED) as usize;
                let slot = rd32(h, 4) as usize;
                if w != r {
                    slide(pool, r, w, REC + len);
                    wr32(self.slots, slot * SLOT + O_POOL, w as u32);
                }
                let h = at_mut::<REC>(pool, w);
                wr16(h, 0, len as u16);
                wr16(h, 2, len as u16);
                wr32(h, 4, 0);
                w += REC + len;
            }
            r += REC + cap;
        }
        self.c.used = w as u32;
        self.c.live = w as u32;
    }

    /// Whether [`copy_of`](Self::copy_of) can take `b` (of the same `n`
    /// and capacity): this table has a capacity and is empty, with room
    /// in its pool for all of `b`'s records, and places grams by the same
    /// seed (the copy keeps `b`'s slots).
    pub(crate) fn can_copy(&self, b: &TabRef<'_>) -> bool {
        self.c.cap > 0
            && self.c.len == 0
            && self.c.total == 0
            && self.c.floor == 0
            && b.c.max_slots == self.c.max_slots
            && b.c.used <= self.c.pool_len
            && b.c.salt == self.c.salt
    }

    /// Becomes a copy of `b`'s entries, slots and records, which is what
    /// merging `b` into this empty table gives (every entry enters with
    /// its own count and error, the floor is `b`'s). The merge would
    /// append each entry's record at its exact size: an exact `b` never
    /// evicted, so its records are already packed that way; otherwise
    /// they are compacted here, which drops garbage and trims reused
    /// records to the same sizes (their order in the pool differs, which
    /// nothing observes). Inserting the entries one by one read each
    /// record at random in `b`'s pool: with 10^6-entry exact tables that
    /// merge took a fifth of the CLI's time on one file.
    pub(crate) fn copy_of(&mut self, b: &TabRef<'_>) {
        let (mine, theirs) = (self.c.nslots as usize, b.c.nslots as usize);
        self.slots[..theirs * SLOT].copy_from_slice(&b.slots[..theirs * SLOT]);
        if mine > theirs {
            self.slots[theirs * SLOT..mine * SLOT].fill(0);
        }
        let used = b.c.used as usize;
        self.pool[..used].copy_from_slice(&b.pool[..used]);
        let c = &mut *self.c;
        c.nslots = b.c.nslots;
        c.len = b.c.len;
        c.total = b.c.total;
        c.used = b.c.used;
        c.live = b.c.live;
        c.missing = b.c.missing;
        c.floor = b.c.floor;
        // The slots' position fields are `b`'s: stale until the order is
        // rebuilt from the contents, which `Unordered` asks for.
        c.order = Order::Unordered;
        if b.c.floor > 0 {
            self.compact();
        }
    }

    /// Places hashes by `seed` from now on; the table must be empty.
    pub(crate) fn set_seed(&mut self, seed: u32) -> Result<(), Error> {
        if self.c.len != 0 {
            return Err(Error::config("placement seed set on a table in use"));
        }
        self.c.place_by(seed);
        Ok(())
    }

    pub(crate) fn clear(&mut self) {
        self.slots[..self.c.nslots as usize * SLOT].fill(0);
        let c = &mut *self.c;
        c.nslots = slots_for(0, c.max_slots);
        c.len = 0;
        c.total = 0;
        c.floor = 0;
        c.used = 0;
        c.live = 0;
        c.missing = 0;
        c.order = Order::Unordered;
    }

    /// [`add_counts`](Self::add_counts), keeping the order structure: a
    /// heap entry moves down to its place (its key only grew); buckets,
    /// which only know increments by one, are dropped. (Most raised
    /// entries are leaves, so this costs little; leaving them stale until
    /// they reach the root cost more: there they sink through every level.)
    pub(crate) fn raise_counts(&mut self, i: usize, count: u64, error: u64) {
        self.add_counts(i, count, error);
        match self.c.order {
            Order::Heap => {
                let k = rd32(self.slots, i * SLOT + O_HPOS) as usize;
                let it = self.item_of(i);
                self.sift_down(k, it);
            }
            Order::Buckets => self.c.order = Order::Unordered,
            Order::Unordered => {}
        }
    }

    pub(crate) fn add_counts(&mut self, i: usize, count: u64, error: u64) {
        let o = i * SLOT;
        let c = rd64(self.slots, o + O_COUNT);
        let e = rd64(self.slots, o + O_ERROR);
        wr64(self.slots, o + O_COUNT, capped_add(c, count));
        wr64(self.slots, o + O_ERROR, capped_add(e, error));
    }
}

/// One counted gram: its hash, `count` (an upper bound of the true count)
/// and `error` (`count - error` is a lower bound). While the table is exact,
/// `error == 0` and `count` is the true count.
///
/// ```
/// use textmeter::ngram::{NgramTable, TableConfig};
/// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
/// t.insert(&[b"hi"])?;
/// let e = t.get(&[b"hi"]).unwrap();
/// assert_eq!((e.count(), e.error(), e.lower_bound()), (1, 0, 1));
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Entry<'t> {
    hash: u64,
    count: u64,
    error: u64,
    gram: Option<Gram<'t>>,
}

impl<'t> Entry<'t> {
    /// The gram hash ([`crate::ngram::gram_hash`]).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig, gram_hash};
    /// # use textmeter::hash::token_hash;
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"hi"])?;
    /// let h = gram_hash(&[token_hash(b"hi")]);
    /// assert_eq!(t.get(&[b"hi"]).unwrap().hash(), h);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn hash(&self) -> u64 {
        self.hash
    }

    /// Upper bound of the true count (the true count while exact).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"hi"])?;
    /// t.insert(&[b"hi"])?;
    /// assert_eq!(t.get(&[b"hi"]).unwrap().count(), 2);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn count(&self) -> u64 {
        self.count
    }

    /// Maximum overestimation: `count - error <= true count <= count`.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 1))?;
    /// t.insert(&[b"a"])?;
    /// t.insert(&[b"b"])?; // evicts "a" (count 1)
    /// assert_eq!(t.get(&[b"b"]).unwrap().error(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn error(&self) -> u64 {
        self.error
    }

    /// `count - error`, a lower bound of the true count.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 1))?;
    /// t.insert(&[b"a"])?;
    /// t.insert(&[b"b"])?;
    /// assert_eq!(t.get(&[b"b"]).unwrap().lower_bound(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn lower_bound(&self) -> u64 {
        self.count - self.error
    }

    /// The gram's tokens, or `None` if its bytes could not be stored (see
    /// [`NgramTable::missing_bytes`]).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"new", b"york"])?;
    /// let e = t.get(&[b"new", b"york"]).unwrap();
    /// let toks: Vec<&[u8]> = e.gram().unwrap().tokens().collect();
    /// assert_eq!(toks, [&b"new"[..], &b"york"[..]]);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub const fn gram(&self) -> Option<Gram<'t>> {
        self.gram
    }

    /// The report order: count descending, then gram ascending (entries
    /// without bytes last), then hash ascending.
    fn report_cmp(&self, other: &Self) -> Ordering {
        other
            .count
            .cmp(&self.count)
            .then_with(|| match (&self.gram, &other.gram) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| self.hash.cmp(&other.hash))
    }
}

/// A stored gram: a sequence of tokens, each its normalised bytes.
///
/// Grams order lexicographically as sequences of byte strings (the first
/// differing token decides; a proper prefix sorts first), which is the byte
/// order of the tokens joined with a NUL. `Display` joins the tokens with
/// spaces, replacing invalid UTF-8 with U+FFFD.
///
/// ```
/// # use textmeter::ngram::{NgramTable, TableConfig};
/// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
/// t.insert(&[b"new", b"york"])?;
/// let g = t.get(&[b"new", b"york"]).unwrap().gram().unwrap();
/// assert_eq!(g.to_string(), "new york");
/// assert_eq!(g.len(), 2);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Gram<'t> {
    enc: &'t [u8],
}

impl<'t> Gram<'t> {
    /// The tokens, in order.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"a", b"b"])?;
    /// let g = t.get(&[b"a", b"b"]).unwrap().gram().unwrap();
    /// assert_eq!(g.tokens().nth(1), Some(&b"b"[..]));
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn tokens(&self) -> GramTokens<'t> {
        GramTokens::of(self.enc)
    }

    /// The number of tokens.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(3, 8))?;
    /// t.insert(&[b"a", b"b", b"c"])?;
    /// assert_eq!(t.get(&[b"a", b"b", b"c"]).unwrap().gram().unwrap().len(), 3);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.tokens().count()
    }

    /// Whether the gram has no tokens (never true for stored grams).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// assert!(!t.get(&[b"a"]).unwrap().gram().unwrap().is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.enc.is_empty()
    }

    /// The stored encoding: each token as a length byte and its bytes.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"a", b"bc"])?;
    /// let g = t.get(&[b"a", b"bc"]).unwrap().gram().unwrap();
    /// assert_eq!(g.encoded(), b"\x01a\x02bc");
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn encoded(&self) -> &'t [u8] {
        self.enc
    }

    /// Writes the tokens joined by `sep` into `out`, returning the length.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::BufferTooSmall`] if `out` is too short
    /// (nothing useful is written then).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"a", b"bc"])?;
    /// let g = t.get(&[b"a", b"bc"]).unwrap().gram().unwrap();
    /// let mut buf = [0u8; 16];
    /// let n = g.join_into(b'_', &mut buf)?;
    /// assert_eq!(&buf[..n], b"a_bc");
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn join_into(&self, sep: u8, out: &mut [u8]) -> Result<usize, Error> {
        let need = self.enc.len().saturating_sub(1);
        if out.len() < need {
            return Err(Error::buffer(need, out.len()));
        }
        let mut w = 0;
        for (k, t) in self.tokens().enumerate() {
            if k > 0 {
                out[w] = sep;
                w += 1;
            }
            out[w..w + t.len()].copy_from_slice(t);
            w += t.len();
        }
        Ok(w)
    }
}

impl Ord for Gram<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.tokens().cmp(other.tokens())
    }
}

impl PartialOrd for Gram<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Gram<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, t) in self.tokens().enumerate() {
            if k > 0 {
                f.write_str(" ")?;
            }
            for chunk in t.utf8_chunks() {
                f.write_str(chunk.valid())?;
                if !chunk.invalid().is_empty() {
                    f.write_str("\u{FFFD}")?;
                }
            }
        }
        Ok(())
    }
}

/// Iterator over a gram's tokens; returned by [`Gram::tokens`].
///
/// ```
/// # use textmeter::ngram::{NgramTable, TableConfig};
/// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
/// t.insert(&[b"a", b"b"])?;
/// let g = t.get(&[b"a", b"b"]).unwrap().gram().unwrap();
/// assert_eq!(g.tokens().count(), 2);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct GramTokens<'t> {
    rest: &'t [u8],
}

impl<'t> GramTokens<'t> {
    /// The tokens of an encoded gram (length byte, then the bytes, per
    /// token).
    pub(crate) fn of(enc: &'t [u8]) -> Self {
        GramTokens { rest: enc }
    }

    /// The encoding of the tokens not yet yielded.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"a", b"b"])?;
    /// let g = t.get(&[b"a", b"b"]).unwrap().gram().unwrap();
    /// let mut it = g.tokens();
    /// it.next();
    /// assert_eq!(it.remaining(), b"\x01b");
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn remaining(&self) -> &[u8] {
        self.rest
    }
}

impl<'t> Iterator for GramTokens<'t> {
    type Item = &'t [u8];

    fn next(&mut self) -> Option<&'t [u8]> {
        let (&len, rest) = self.rest.split_first()?;
        let len = (len as usize).min(rest.len());
        let (t, rest) = rest.split_at(len);
        self.rest = rest;
        Some(t)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Each token takes at least its length byte.
        (usize::from(!self.rest.is_empty()), Some(self.rest.len()))
    }
}

impl FusedIterator for GramTokens<'_> {}

/// Iterator over all entries of a table in slot order; returned by
/// [`NgramTable::entries`]. Use [`NgramTable::top_into`] for report order.
///
/// ```
/// # use textmeter::ngram::{NgramTable, TableConfig};
/// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
/// t.insert(&[b"a"])?;
/// t.insert(&[b"b"])?;
/// assert_eq!(t.entries().count(), 2);
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Entries<'t> {
    slots: &'t [u8],
    pool: &'t [u8],
    next: usize,
    left: usize,
}

impl<'t> Iterator for Entries<'t> {
    type Item = Entry<'t>;

    fn next(&mut self) -> Option<Entry<'t>> {
        while self.left > 0 {
            let o = self.next * SLOT;
            self.next += 1;
            let count = rd64(self.slots, o + O_COUNT);
            if count != 0 {
                self.left -= 1;
                return Some(Entry {
                    hash: rd64(self.slots, o + O_HASH),
                    count,
                    error: rd64(self.slots, o + O_ERROR),
                    gram: enc_at(self.slots, self.pool, o)
                        .map(|enc| Gram { enc }),
                });
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Entries<'_> {}
impl FusedIterator for Entries<'_> {}

/// A table of `n`-gram counts in caller storage `A`: `&mut [u8]` (an arena
/// sized by [`TableConfig::bytes_needed`]), an owned `[u8; N]` for
/// `static`/stack use, or `&[u8]` for read-only views (as returned by
/// [`crate::ngram::NgramSet::table`]).
///
/// Exact while the number of distinct grams fits the capacity; after that,
/// Space-Saving (see the [module docs](crate::ngram)).
///
/// ```
/// use textmeter::ngram::{NgramTable, TableConfig};
/// const CFG: TableConfig = TableConfig::new(2, 16);
/// let mut mem = [0u8; CFG.bytes_needed()];
/// let mut t = NgramTable::new(&mut mem[..], CFG)?;
/// for w in [b"a", b"b", b"a", b"b"].windows(2) {
///     t.insert(&[w[0], w[1]])?;
/// }
/// assert_eq!(t.get(&[b"a", b"b"]).unwrap().count(), 2);
/// assert_eq!(t.total(), 3);
/// assert!(t.is_exact());
/// # Ok::<(), textmeter::ngram::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct NgramTable<A> {
    pub(crate) core: TableCore,
    pub(crate) arena: A,
}

impl<A: AsRef<[u8]>> NgramTable<A> {
    pub(crate) fn tab(&self) -> TabRef<'_> {
        self.core.view(self.arena.as_ref())
    }

    /// Panics unless the Space-Saving buckets (when built) are consistent
    /// with the slots: positions ascend by count, each position names its
    /// bucket, each bucket spans exactly its run of equal counts, and
    /// every slot knows its position.
    #[cfg(test)]
    pub(crate) fn check_order(&self) {
        let t = self.tab();
        if t.c.order != Order::Buckets {
            return;
        }
        let len = t.c.len as usize;
        assert_eq!(len, t.c.cap as usize, "buckets in a table with room");
        let slot_at = |p: usize| rd32(t.order, p * POS_ENTRY) as usize;
        let bucket_at = |p: usize| rd32(t.order, p * POS_ENTRY + 4) as usize;
        let node = |b: usize| {
            let o = t.c.cap as usize * POS_ENTRY + b * NODE;
            (
                rd64(t.order, o),
                rd32(t.order, o + 8) as usize,
                rd32(t.order, o + 12) as usize,
            )
        };
        let mut p = 0;
        while p < len {
            let b = bucket_at(p);
            assert!(b < t.c.fresh as usize, "bucket {b} never allocated");
            let (count, start, end) = node(b);
            assert_eq!(start, p, "bucket {b} starts elsewhere");
            assert!(
                end > start && end <= len,
                "bucket {b} spans {start}..{end}"
            );
            for q in start..end {
                let slot = slot_at(q);
                assert_eq!(bucket_at(q), b, "position {q}");
                assert_eq!(t.count(slot), count, "position {q}");
                assert_eq!(
                    rd32(t.slots, slot * SLOT + O_HPOS) as usize,
                    q,
                    "slot {slot}"
                );
            }
            if p > 0 {
                assert!(node(bucket_at(p - 1)).0 < count, "counts ascend");
            }
            p = end;
        }
    }

    /// The configuration.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// assert_eq!(t.config().capacity(), 8);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn config(&self) -> TableConfig {
        self.core.config()
    }

    /// The `n` of the n-grams.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// assert_eq!(t.n(), 2);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn n(&self) -> usize {
        self.core.n as usize
    }

    /// Number of entries stored.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// t.insert(&[b"a"])?;
    /// assert_eq!(t.len(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.core.len as usize
    }

    /// Whether no entry is stored.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// assert!(t.is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.core.len == 0
    }

    /// Capacity in entries.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// assert_eq!(t.capacity(), 8);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn capacity(&self) -> usize {
        self.core.cap as usize
    }

    /// Number of grams counted (always exact, whatever the capacity).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 0], TableConfig::new(1, 0))?;
    /// t.insert(&[b"a"])?;
    /// assert_eq!(t.total(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn total(&self) -> u64 {
        self.core.total
    }

    /// Whether every count is exact (nothing was ever evicted or dropped).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 1))?;
    /// t.insert(&[b"a"])?;
    /// assert!(t.is_exact());
    /// t.insert(&[b"b"])?;
    /// assert!(!t.is_exact());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn is_exact(&self) -> bool {
        self.core.floor == 0
    }

    /// The error bound: an upper bound of the true count of any gram *not*
    /// in the table, and of every entry's `error`. 0 while exact; at most
    /// `total / capacity` (Space-Saving, also after merges), so every gram
    /// more frequent than that is present.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 2))?;
    /// for w in [b"a", b"b", b"c", b"a"] {
    ///     t.insert(&[w])?;
    /// }
    /// assert!(t.max_error() <= t.total() / 2);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn max_error(&self) -> u64 {
        self.core.floor
    }

    /// The placement seed ([`NgramTable::set_placement_seed`]; 0: none).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// assert_eq!(t.placement_seed(), 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn placement_seed(&self) -> u32 {
        self.core.seed
    }

    /// Number of entries whose gram bytes could not be stored because the
    /// pool was full (they are counted and match on hash alone).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let cfg = TableConfig::new(1, 4).with_pool_bytes(0);
    /// let mut t = NgramTable::new([0u8; 512], cfg)?;
    /// t.insert(&[b"a"])?;
    /// assert_eq!(t.missing_bytes(), 1);
    /// assert!(t.get(&[b"a"]).unwrap().gram().is_none());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn missing_bytes(&self) -> usize {
        self.core.missing as usize
    }

    /// All entries, in slot order.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// assert_eq!(t.entries().map(|e| e.count()).sum::<u64>(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn entries(&self) -> Entries<'_> {
        self.tab().entries()
    }

    /// Looks up a gram given as its tokens (normalised bytes).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// assert!(t.get(&[b"a"]).is_some());
    /// assert!(t.get(&[b"b"]).is_none());
    /// assert!(t.get(&[b"a", b"b"]).is_none());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn get(&self, tokens: &[&[u8]]) -> Option<Entry<'_>> {
        if tokens.len() != self.n() || self.core.cap == 0 {
            return None;
        }
        let hash = gram_hash_tokens(tokens);
        let t = self.tab();
        let key = SliceKey { tokens };
        match t.find(hash, &key) {
            Ok(i) => Some(t.entry(i)),
            Err(_) => None,
        }
    }

    /// Writes the `out.len()` most frequent entries into `out`, sorted by
    /// count descending, then gram ascending (entries without bytes after
    /// those with, then by hash), and returns how many were written
    /// (fewer when the table has fewer entries). O(len · log k).
    ///
    /// ```
    /// # use textmeter::ngram::{Entry, NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// for w in [b"b", b"a", b"c", b"a", b"b", b"a"] {
    ///     t.insert(&[w])?;
    /// }
    /// let mut top = [Entry::default(); 2];
    /// let k = t.top_into(&mut top);
    /// assert_eq!(k, 2);
    /// assert_eq!(top[0].gram().unwrap().to_string(), "a");
    /// assert_eq!(top[1].count(), 2);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn top_into<'t>(&'t self, out: &mut [Entry<'t>]) -> usize {
        top_into(&self.tab(), out)
    }

    /// Writes the serialised table (see the [module docs](crate::ngram))
    /// into `out`, returning its length; [`NgramTable::serialized_len`]
    /// bytes are needed.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::BufferTooSmall`] if `out` is too short.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// let mut buf = [0u8; 4096];
    /// let n = t.serialize_into(&mut buf)?;
    /// let mut mem = [0u8; 4096];
    /// let u = NgramTable::deserialize(&buf[..n], &mut mem[..])?;
    /// assert_eq!(u.get(&[b"a"]).unwrap().count(), 1);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn serialize_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        super::serial::table_into(&self.core, self.arena.as_ref(), out)
    }

    /// Bytes needed by [`NgramTable::serialize_into`].
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// assert!(t.serialized_len() > 0);
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn serialized_len(&self) -> usize {
        super::serial::table_len(&self.core, self.arena.as_ref())
    }
}

/// [`NgramTable::top_into`] over the entries of `tab`.
pub(crate) fn top_into<'t>(tab: &TabRef<'t>, out: &mut [Entry<'t>]) -> usize {
    let k = out.len();
    if k == 0 {
        return 0;
    }
    // A heap whose root is the worst kept entry (largest in report order).
    let worse =
        |a: &Entry<'t>, b: &Entry<'t>| a.report_cmp(b) == Ordering::Greater;
    let mut n = 0;
    for i in 0..tab.c.nslots as usize {
        let count = tab.count(i);
        // A lower count than the worst kept entry's ranks below it: skip
        // it before reading its gram bytes, which lie in the pool in
        // arrival order, not slot order (a cache miss each, which made
        // this scan most of the CLI's time with exact tables of 10^6
        // entries).
        if count == 0 || (n == k && count < out[0].count) {
            continue;
        }
        let e = tab.entry(i);
        if n < k {
            out[n] = e;
            let mut c = n;
            n += 1;
            while c > 0 {
                let p = (c - 1) / 2;
                if !worse(&out[c], &out[p]) {
                    break;
                }
                out.swap(c, p);
                c = p;
            }
        } else if worse(&out[0], &e) {
            out[0] = e;
            let mut c = 0;
            loop {
                let l = 2 * c + 1;
                if l >= k {
                    break;
                }
                let mut m = l;
                if l + 1 < k && worse(&out[l + 1], &out[l]) {
                    m = l + 1;
                }
                if !worse(&out[m], &out[c]) {
                    break;
                }
                out.swap(c, m);
                c = m;
            }
        }
    }
    out[..n].sort_unstable_by(Entry::report_cmp);
    n
}

impl<A: AsRef<[u8]> + AsMut<[u8]>> NgramTable<A> {
    /// A new, empty table in `arena` (zeroed here; extra bytes are unused).
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::InvalidConfig`] for an invalid
    /// configuration, [`crate::ngram::ErrorKind::ArenaTooSmall`] if the
    /// arena is shorter than [`TableConfig::bytes_needed`].
    ///
    /// ```
    /// use textmeter::ngram::{NgramTable, TableConfig};
    /// let cfg = TableConfig::new(1, 100);
    /// let mut mem = vec![0u8; cfg.bytes_needed()];
    /// let t = NgramTable::new(&mut mem[..], cfg)?;
    /// assert!(t.is_empty());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn new(mut arena: A, config: TableConfig) -> Result<Self, Error> {
        let (core, bytes) = TableCore::new(&config)?;
        let mem = arena.as_mut();
        if mem.len() < bytes {
            return Err(Error::arena(bytes, mem.len()));
        }
        mem[..core.nslots as usize * SLOT].fill(0);
        Ok(NgramTable { core, arena })
    }

    pub(crate) fn tab_mut(&mut self) -> TabMut<'_> {
        self.core.view_mut(self.arena.as_mut())
    }

    /// Counts one occurrence of the gram made of `tokens` (normalised
    /// bytes; tokens longer than 255 bytes are truncated for storage but
    /// hashed whole). The hash is [`crate::ngram::gram_hash`] of the
    /// tokens' [`crate::hash::token_hash`]es, as the window computes it.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::WrongArity`] if `tokens.len() != n`.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(2, 8))?;
    /// t.insert(&[b"a", b"b"])?;
    /// assert!(t.insert(&[b"a"]).is_err());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn insert(&mut self, tokens: &[&[u8]]) -> Result<(), Error> {
        if tokens.len() != self.n() {
            return Err(Error::arity(self.n(), tokens.len()));
        }
        let hash = gram_hash_tokens(tokens);
        self.tab_mut().add(hash, &SliceKey { tokens });
        Ok(())
    }

    /// Merges `other` (same configuration) into `self`; see the
    /// [module docs](crate::ngram) for the rule and its error bound.
    /// Exact when both are exact and the union fits.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::ConfigMismatch`] when `n` or the capacity
    /// differ.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let cfg = TableConfig::new(1, 8);
    /// let mut a = NgramTable::new([0u8; 4096], cfg)?;
    /// let mut b = NgramTable::new([0u8; 4096], cfg)?;
    /// a.insert(&[b"x"])?;
    /// b.insert(&[b"x"])?;
    /// b.insert(&[b"y"])?;
    /// a.merge(&b)?;
    /// assert_eq!(a.get(&[b"x"]).unwrap().count(), 2);
    /// assert_eq!(a.total(), 3);
    /// assert!(a.is_exact());
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn merge<B: AsRef<[u8]>>(
        &mut self,
        other: &NgramTable<B>,
    ) -> Result<(), Error> {
        check_mergeable(&self.core, &other.core)?;
        let b = other.tab();
        self.tab_mut().merge_from(&b);
        Ok(())
    }

    /// Places grams in the table's slots by `seed` as well as their hash;
    /// the table must be empty (else [`ErrorKind::InvalidConfig`]).
    ///
    /// Results never depend on where an entry sits, only lookups' speed
    /// does: counts, errors, evictions, `top` and merges are the same for
    /// every seed, and tables with different seeds merge. But the gram
    /// hash is fixed and documented (results must be the same in every
    /// process), so anyone can search for tokens whose hashes share a
    /// home slot; linear probing then walks their whole cluster on every
    /// lookup (10,000 such words made the CLI 45 times slower before it
    /// set a seed). A seed the author of the text does not know scatters
    /// them. 0 (the default) places by the hash alone; the CLI and the
    /// Python package draw a random seed per table set. The seed is
    /// saved with the table, kept by [`clear`](Self::clear), and changes
    /// the order of entries in [`serialize_into`](Self::serialize_into)'s
    /// bytes, not which entries they list.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let cfg = TableConfig::new(1, 8);
    /// let mut a = NgramTable::new([0u8; 4096], cfg)?;
    /// let mut b = NgramTable::new([0u8; 4096], cfg)?;
    /// b.set_placement_seed(0x5eed)?;
    /// for t in [&mut a, &mut b] {
    ///     t.insert(&[b"x"])?;
    ///     t.insert(&[b"x"])?;
    /// }
    /// assert_eq!(a.get(&[b"x"]).unwrap().count(), b.get(&[b"x"]).unwrap().count());
    /// assert!(b.set_placement_seed(1).is_err()); // in use
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    ///
    /// [`ErrorKind::InvalidConfig`]: crate::ngram::ErrorKind::InvalidConfig
    pub fn set_placement_seed(&mut self, seed: u32) -> Result<(), Error> {
        self.tab_mut().set_seed(seed)
    }

    /// Forgets everything (the configuration stays).
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut t = NgramTable::new([0u8; 4096], TableConfig::new(1, 8))?;
    /// t.insert(&[b"a"])?;
    /// t.clear();
    /// assert_eq!((t.len(), t.total()), (0, 0));
    /// # Ok::<(), textmeter::ngram::Error>(())
    /// ```
    pub fn clear(&mut self) {
        self.tab_mut().clear();
    }

    /// Reads a table written by [`NgramTable::serialize_into`] into
    /// `arena`.
    ///
    /// # Errors
    /// [`crate::ngram::ErrorKind::Corrupt`] for bytes that are not a valid
    /// serialised table (a count, total or floor above
    /// [`COUNT_LIMIT`](crate::counts::COUNT_LIMIT) included),
    /// [`crate::ngram::ErrorKind::ArenaTooSmall`] if the arena is too short
    /// for its configuration.
    ///
    /// ```
    /// # use textmeter::ngram::{NgramTable, TableConfig};
    /// let mut mem = [0u8; 64];
    /// assert!(NgramTable::deserialize(b"nope", &mut mem[..]).is_err());
    /// ```
    pub fn deserialize(bytes: &[u8], mut arena: A) -> Result<Self, Error> {
        let core = super::serial::table_from(bytes, arena.as_mut())?;
        Ok(NgramTable { core, arena })
    }
}

pub(crate) fn check_mergeable(
    a: &TableCore,
    b: &TableCore,
) -> Result<(), Error> {
    if a.n != b.n {
        return Err(Error::mismatch("n differs"));
    }
    if a.cap != b.cap {
        return Err(Error::mismatch("capacity differs"));
    }
    Ok(())
}

#[cfg(test)]
mod slots_for_tests {
    use super::{slots_for, TableConfig, MIN_SLOTS};

    /// Every size a table uses keeps the load at most 2/3, grows with the
    /// entries, is the region's size once full, and is otherwise at most
    /// half of it (what `grow` needs of its scratch space).
    #[test]
    fn sizes_fit_and_grow() {
        for cap in [0u32, 1, 2, 40, 84, 85, 86, 87, 100, 1000, 65_536] {
            let max = TableConfig::new(1, cap).nslots() as u32;
            let mut last = 0;
            for len in 0..=cap {
                let s = slots_for(len, max);
                assert!(s >= last, "cap {cap} len {len}");
                assert!(len as u64 * 3 <= s as u64 * 2 || cap == 0);
                if s != max {
                    assert!(s >= MIN_SLOTS && s.is_power_of_two());
                    assert!(s <= max / 2, "cap {cap} len {len}");
                }
                last = s;
            }
            assert_eq!(slots_for(cap, max), max, "cap {cap}");
        }
    }
}

#[cfg(test)]
mod sort_tests {
    use super::super::sort::{heapsort, quicksort};
    use super::{rd64, sort_records, wr64, Records, ORDER_ENTRY};
    use std::vec::Vec;

    /// Each sort agrees with std's on random keys with many ties, all-equal,
    /// ascending, descending and full-width keys (the radix passes of
    /// `sort_records` from 64 records on), and keeps each record's payload with
    /// its key; quicksort with no partitions left is the heapsort.
    #[test]
    fn sort_records_matches_std() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        type Sort = fn(&mut [u8]);
        let sorts: [(&str, Sort); 4] = [
            ("sort_records", sort_records),
            ("heapsort", |b| {
                let n = b.len() / ORDER_ENTRY;
                if n > 1 {
                    heapsort(&mut Records(b), 0, n - 1)
                }
            }),
            ("depth 0", |b| {
                let n = b.len() / ORDER_ENTRY;
                if n > 1 {
                    quicksort(&mut Records(b), 0, n - 1, 0)
                }
            }),
            ("depth 2", |b| {
                let n = b.len() / ORDER_ENTRY;
                if n > 1 {
                    quicksort(&mut Records(b), 0, n - 1, 2)
                }
            }),
        ];
        for n in [0usize, 1, 2, 3, 7, 15, 16, 17, 63, 64, 65, 1000, 5000] {
            for shape in 0..6 {
                let mut buf = std::vec![0u8; n * ORDER_ENTRY];
                let mut want = Vec::new();
                for k in 0..n {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let key = match shape {
                        0 => (x % 5, x >> 40),
                        1 => (x % 3, 0),
                        2 => (7, 7),
                        3 => (k as u64 / 3, k as u64),
                        4 => ((n - k) as u64, x),
                        _ => (x, x >> 3),
                    };
                    let o = k * ORDER_ENTRY;
                    wr64(&mut buf, o, key.0);
                    wr64(&mut buf, o + 8, key.1);
                    wr64(&mut buf, o + 16, key.0 ^ key.1.rotate_left(7));
                    want.push(key);
                }
                want.sort_unstable();
                for (name, sort) in sorts {
                    let mut got = buf.clone();
                    sort(&mut got);
                    for (k, key) in want.iter().enumerate() {
                        let o = k * ORDER_ENTRY;
                        let have = (rd64(&got, o), rd64(&got, o + 8));
                        assert_eq!(
                            have, *key,
                            "{name}: n {n} shape {shape} at {k}"
                        );
                        assert_eq!(
                            rd64(&got, o + 16),
                            key.0 ^ key.1.rotate_left(7),
                            "{name}: payload"
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod heap_place_tests {
    use super::super::merge::tests::serialized;
    use super::{NgramTable, TableConfig};
    use std::format;
    use std::vec;
    use std::vec::Vec;

    /// Documents whose merges fill a total of `CFG` and keep it evicting.
    fn docs() -> Vec<NgramTable<Vec<u8>>> {
        (0..12u32)
            .map(|d| {
                let mut t =
                    NgramTable::new(vec![0u8; CFG.bytes_needed()], CFG)
                        .unwrap();
                for w in 0..(20 + d * 7) {
                    let w = (w * 31 + d * 11) % (50 + d * 13);
                    t.insert(&[format!("w{w}").as_bytes()]).unwrap();
                }
                t
            })
            .collect()
    }

    const CFG: TableConfig = TableConfig::new(1, 40);

    /// The merge heap sits wherever the arena's address puts a cache line
    /// (`build_heap`): tables at every offset from a line give the same
    /// bytes, and a heap copied to another address, so no longer aligned,
    /// goes on merging as the original does.
    #[test]
    fn heap_placement_changes_nothing() {
        let docs = docs();
        let mut want = None;
        let mut places = Vec::new();
        let mut backing = vec![0u8; CFG.bytes_needed() + 64];
        for off in [0usize, 1, 8, 16, 24, 32, 48, 63] {
            backing.fill(0);
            let mem = &mut backing[off..off + CFG.bytes_needed()];
            let mut t = NgramTable::new(mem, CFG).unwrap();
            for d in &docs[..6] {
                t.merge(d).unwrap();
            }
            places.push(t.core.heap_at);
            // A copy at another address (by one byte) with the same state.
            let mut copy_mem = vec![0u8; CFG.bytes_needed() + 1];
            copy_mem[1..].copy_from_slice(t.arena.as_ref());
            let mut copy =
                NgramTable { core: t.core, arena: &mut copy_mem[1..] };
            for d in &docs[6..] {
                t.merge(d).unwrap();
                copy.merge(d).unwrap();
            }
            let bytes = serialized(&t);
            assert_eq!(serialized(&copy), bytes, "copy at offset {off}");
            match &want {
                None => want = Some(bytes),
                Some(w) => assert_eq!(&bytes, w, "offset {off}"),
            }
        }
        places.sort_unstable();
        places.dedup();
        assert!(places.len() > 1, "every heap at {places:?}");
    }
}
